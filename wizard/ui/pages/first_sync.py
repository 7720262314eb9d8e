"""Page 7: the first sync. A date range (at most a year back), an optional dry run, then the
sync with a bar per object, the rate and time left, and Stop. Records Intacct refuses are
listed as they are found, grouped by fix, each group with its fix panel, Retry and Ignore.

Before the sync itself starts, the checks of the posting choices run on what was chosen, with
a test posting dated the "from" day (undone at once). A failed check keeps the sync from
starting and shows its fix, with "Check again" and "Sync anyway".
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from wizard.checks import CheckStatus, Finding
from wizard.fixes.surfaces import Surface
from wizard.flow import PageId, WizardData
from wizard.redaction import redact
from wizard.ui import session_adapter
from wizard.ui.context import WizardContext
from wizard.ui.dates import date_format, local_dates, show_date
from wizard.ui.fix_panel import FixPanel
from wizard.ui.pages.base import FlowPage, set_severity, show_message, wrapped_label
from wizard.ui.posting_check_view import PostingCheckView
from wizard.ui.qt_compat import emit
from wizard.ui.records_dialog import RecordsButtons
from wizard.ui.sync_view import (
    ErrorList,
    ProgressBridge,
    ProgressPanel,
    outbox_text,
    sync_figures_text,
)
from wizard.ui.worker import Task

log = logging.getLogger(__name__)

MAX_DAYS_BACK = 365
CHECKING_TEXT = "Checking your choices with a test posting (undone at once)…"


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


class FirstSyncPage(FlowPage):
    run_ended = Signal()  # a sync, dry run or retry ended (finished, failed or stopped)
    choices_checked = Signal(bool)  # the posting checks ended: True = the sync goes on

    page_id = PageId.FIRST_SYNC
    instruction = "Run the first sync. Anything Intacct refuses is listed with its fix."

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.task: Task | None = None
        self.summary: object | None = None
        self.finished_ok = False
        self.bridge = ProgressBridge(self)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        options = QFrame()
        options.setProperty("role", "card")
        row = QHBoxLayout(options)
        row.setContentsMargins(14, 8, 14, 8)
        self.since = QDateEdit()
        self.since.setObjectName("syncSince")
        self.since.setAccessibleName("Read history from this day")
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat(date_format())
        label = QLabel("Read history &from:")
        label.setBuddy(self.since)
        row.addWidget(label)
        row.addWidget(self.since)
        row.addSpacing(12)
        self.dry_run = QCheckBox("&Dry run first (predict problems, send nothing)")
        self.dry_run.setObjectName("dryRun")
        self.dry_run.setAccessibleName("Dry run first: predict problems and send nothing")
        row.addWidget(self.dry_run)
        row.addStretch(1)
        outer.addWidget(options)

        self.records = RecordsButtons(lambda: self._job().store_path, context.workers, self)
        self.records.said.connect(self._note)
        outer.addWidget(self.records)

        buttons = QHBoxLayout()
        self.start_button = QPushButton("Start the s&ync")
        self.start_button.setObjectName("startSync")
        self.start_button.setAccessibleName("Start the sync")
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton("S&top")
        self.stop_button.setObjectName("stopSync")
        self.stop_button.setAccessibleName("Stop the sync at the next safe point")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        self.status = wrapped_label("", "syncStatus")
        self.status.setAccessibleName("Sync status")
        self.unignore_button = QPushButton("S&end the ignored records again")
        self.unignore_button.setObjectName("unignore")
        self.unignore_button.setAccessibleName("Send the ignored records again on the next sync")
        self.unignore_button.clicked.connect(self.unignore)
        self.unignore_button.hide()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.unignore_button)
        buttons.addWidget(self.status, 1)
        outer.addLayout(buttons)

        scroll = QScrollArea()
        scroll.setObjectName("syncScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("syncBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 8, 0)
        self.posting_checks = PostingCheckView()
        self.posting_checks.check_again.connect(self.start_checked)
        self.posting_checks.sync_anyway.connect(self.sync_anyway)
        layout.addWidget(self.posting_checks)
        self.checked_note = wrapped_label("", "choicesChecked", "hint")
        self.checked_note.setAccessibleName("What was checked before the sync")
        self.checked_note.hide()
        layout.addWidget(self.checked_note)
        self.progress = ProgressPanel()
        layout.addWidget(self.progress)
        self.stop_panel_holder = QVBoxLayout()
        layout.addLayout(self.stop_panel_holder)
        self.stop_panel: FixPanel | None = None
        self.predictions = wrapped_label("", "dryRunResult")
        self.predictions.hide()
        layout.addWidget(self.predictions)
        self.errors = ErrorList()
        self.errors.hide()
        self.errors.retry.connect(self.retry)
        self.errors.ignore.connect(self.ignore)
        layout.addWidget(self.errors)
        layout.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.bridge.progressed.connect(self.progress.update_progress)
        self.bridge.progressed.connect(self._watch_errors)
        self._errors_seen = 0
        self._reading_errors = False
        self._checked: tuple[Finding, ...] | None = None
        self._check_problem = ""

    # -- flow -----------------------------------------------------------------------------

    def initializePage(self) -> None:
        now = today()
        earliest = now - dt.timedelta(days=MAX_DAYS_BACK)
        self.since.setDateRange(
            QDate(earliest.year, earliest.month, earliest.day), QDate(now.year, now.month, now.day)
        )
        start = now - dt.timedelta(days=90)
        self.since.setDate(QDate(start.year, start.month, start.day))
        self.start_button.setDefault(False)
        self.start_button.setFocus()
        self._say("Choose how far back to read, then start the sync.", "")

    def entered(self) -> None:
        if self.task is None:
            self.start_button.setFocus()

    def apply(self, data: WizardData) -> WizardData:
        return data.replace(sync_finished=self.finished_ok)

    def isComplete(self) -> bool:
        return self.task is None and super().isComplete()

    def leaving(self) -> bool:
        return self.task is None

    def left(self) -> None:
        self.stop()  # Back during a sync stops it at the next safe point

    def since_date(self) -> dt.date:
        chosen = self.since.date()
        return dt.date(chosen.year(), chosen.month(), chosen.day())

    def _job(self) -> session_adapter.SyncJob:
        if self.context.sync_job is None:
            target = self.context.target
            if target is None:
                raise RuntimeError("Test the connection first (go Back to the test).")
            data = self.context.flow.data
            entity = (
                data.entity_choice if data.entity_choice is not None else (target.profile.entity_id)
            )
            choices = session_adapter.SyncChoices(
                flows=data.flows,
                entity_id=entity or "",
                default_location=data.default_location,
                default_department=data.default_department,
                dimensions=data.dimension_map,
                custom_fields=data.custom_field_map,
            )
            self.context.sync_job = session_adapter.SyncJob.for_target(target, choices)
        return self.context.sync_job

    # -- running ----------------------------------------------------------------------------

    def start(self) -> None:
        """Start: a dry run at once; the sync itself after the posting checks pass."""
        if self.task is not None:
            return
        if not self.dry_run.isChecked():
            self.start_checked()
            return
        try:
            job = self._job()
        except RuntimeError as error:
            self._say(str(error), "error")
            return
        since = self.since_date()
        self._hide_checks()
        self._begin("Reading Intacct and predicting problems (nothing is sent)…")
        self._launch(
            "dry run",
            lambda cancel: job.run(since, self.bridge, lambda: cancel.is_set, dry_run=True),
        )

    def start_checked(self) -> None:
        """Run the posting checks on the chosen settings; the sync starts if none fails."""
        if self.task is not None:
            return
        target = self.context.target
        if target is None:
            self._say("Test the connection first (go Back to the test).", "error")
            return
        since = self.since_date()
        self._hide_checks()
        self._begin(CHECKING_TEXT)
        self._checked, self._check_problem = None, ""
        task = self.context.workers.run(
            "check the posting choices",
            lambda cancel: session_adapter.check_posting(target, since, lambda: cancel.is_set),
        )
        self.task = task
        task.succeeded.connect(self._choices_checked)
        task.failed.connect(self._choices_not_checked)
        task.finished.connect(lambda: self._checks_ended(task.cancelled, since))
        emit(self.completeChanged)
        self.stop_button.setFocus()

    def sync_anyway(self) -> None:
        """Start the sync although a check of the choices failed."""
        if self.task is not None:
            return
        failed = [row.finding.title for row in self.posting_checks.rows.values()]
        self.context.synced_despite = tuple(failed)
        self._hide_checks()
        if failed:
            self._note(
                f"Started although {'these checks' if len(failed) > 1 else 'this check'} "
                f"failed: {'; '.join(failed)}.",
                "warning",
            )
        self._sync(self.since_date())

    def _sync(self, since: dt.date) -> None:
        try:
            job = self._job()
        except RuntimeError as error:
            self._say(str(error), "error")
            emit(self.completeChanged)
            return
        self._begin("Syncing…")
        self._launch(
            "first sync",
            lambda cancel: job.outcome_of(job.run(since, self.bridge, lambda: cancel.is_set)),
        )

    def _choices_checked(self, findings: tuple[Finding, ...]) -> None:
        self._checked = findings

    def _choices_not_checked(self, error: BaseException) -> None:
        self._check_problem = str(error) or type(error).__name__

    def _checks_ended(self, cancelled: bool, since: dt.date) -> None:
        self.task = None
        self._idle()
        findings, problem = self._checked, self._check_problem
        self._checked, self._check_problem = None, ""
        if cancelled:
            self._say("Stopped before the sync started; nothing was sent.", "")
            emit(self.completeChanged)
            emit(self.choices_checked, False)
            return
        failed = [f for f in findings or () if f.status is CheckStatus.FAIL]
        if findings is None and not problem:
            problem = "no answer came back"
        if problem or failed:
            if not self.progress.bars:
                self.progress.hide()  # no empty card under the fixes: nothing ran yet
            self.posting_checks.show_failures(failed, problem)
            self._say(
                "The sync was not started: "
                + ("the checks could not run." if problem else "a check of your choices failed.")
                + " See below.",
                "error",
            )
            self.posting_checks.again.setFocus()
            emit(self.completeChanged)
            emit(self.choices_checked, False)
            return
        self._note(_checked_line(findings, since), "")
        self.context.synced_despite = ()
        emit(self.choices_checked, True)
        self._sync(since)

    def _hide_checks(self) -> None:
        self.posting_checks.clear()
        self.checked_note.hide()

    def _note(self, text: str, severity: str) -> None:
        show_message(self.checked_note, text, severity)

    def retry(self, outbox_ids: tuple[int, ...]) -> None:
        if self.task is not None:
            return
        job = self._job()
        self._begin(f"Sending {len(outbox_ids):,} records again…")
        self._launch(
            "retry failed records",
            lambda cancel: job.outcome_of(
                job.retry(outbox_ids, self.bridge, lambda: cancel.is_set)
            ),
        )

    def ignore(self, outbox_ids: tuple[int, ...]) -> None:
        if self.task is not None:
            return
        count = len(outbox_ids)
        records = f"these {count:,} records" if count != 1 else "this record"
        if not self.context.ask(
            "Ignore these records?",
            f"Stop sending {records} to Intacct? They stay in the outbox, marked ignored, and "
            "are listed on the Done page. You can send them again with “Send ignored records "
            "again”.",
            f"&Ignore {count:,}",
        ):
            return
        job = self._job()
        self.errors.set_enabled_buttons(False)
        task = self.context.workers.run("ignore records", lambda _c: job.ignore(outbox_ids))
        task.succeeded.connect(self._ignored)
        task.failed.connect(self._failed_task)

    def unignore(self) -> None:
        """Undo Ignore: every ignored record is sent on the next sync."""
        if self.task is not None:
            return
        job = self._job()
        self.unignore_button.setEnabled(False)
        task = self.context.workers.run("send ignored records again", lambda _c: job.unignore())
        task.succeeded.connect(self._unignored)
        task.failed.connect(self._failed_task)

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel_flag.set()
            self.stop_button.setEnabled(False)
            self._say("Stopping at the next safe point…", "")

    def _watch_errors(self, progress: object) -> None:
        """List refused records while the sync still runs (read off the GUI thread)."""
        errors = progress.errors  # type: ignore[attr-defined]
        if errors <= self._errors_seen or self._reading_errors or self.task is None:
            return
        job = self.context.sync_job
        if job is None:
            return
        self._errors_seen = errors
        self._reading_errors = True
        task = self.context.workers.run("read failed records", lambda _c: job.open_groups())
        task.succeeded.connect(self._errors_so_far)
        task.finished.connect(lambda: setattr(self, "_reading_errors", False))

    def _errors_so_far(self, groups: tuple[session_adapter.ErrorGroup, ...]) -> None:
        if self.task is None:
            return  # the run's own summary is newer
        self.errors.show_groups(groups)
        self.errors.set_enabled_buttons(False)  # retry and ignore once the run has ended

    def _begin(self, text: str) -> None:
        self._errors_seen = 0
        self.progress.reset()
        self.predictions.hide()
        self._clear_stop_panel()
        self.errors.set_enabled_buttons(False)
        self.start_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.dry_run.setEnabled(False)
        self.since.setEnabled(False)
        self._say(text, "")

    def _launch(self, name: str, op: object) -> None:
        # A cancelled task delivers nothing, so "finished" (always sent) ends the run here.
        self.task = self.context.workers.run(name, op)  # type: ignore[arg-type]
        self.task.succeeded.connect(self._done)
        self.task.failed.connect(self._failed_task)
        self.task.finished.connect(self._task_ended)
        emit(self.completeChanged)
        self.stop_button.setFocus()

    def _idle(self) -> None:
        self.start_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.dry_run.setEnabled(True)
        self.since.setEnabled(True)
        self.errors.set_enabled_buttons(True)
        self.progress.finish()

    def _task_ended(self) -> None:
        cancelled = self.task is not None and self.task.cancelled
        self.task = None
        self._idle()
        if cancelled:
            self._say("Stopped. Nothing was left half-written; start again to carry on.", "")
        self.context.flow.update(self.apply(self.context.flow.data))
        emit(self.completeChanged)
        emit(self.run_ended)

    def _done(self, result: object) -> None:
        from wizard.sync.store import RunStatus

        if not isinstance(result, session_adapter.SyncOutcome):  # a dry run
            self.summary = result
            self._show_dry_run(result)
            self.dry_run.setChecked(False)
            self.start_button.setText("Start the s&ync")
            return
        s = result.summary
        self.summary = s
        self.context.sync_summaries.append(s)
        self.context.sync_outcomes.append(result)
        self.context.outbox = result.figures.outbox
        self.context.open_groups = result.groups
        self.errors.show_groups(result.groups)
        self._show_ignored(result.figures.outbox.ignored)
        if s.status is RunStatus.FAILED:
            self.finished_ok = False
            self._say(local_dates(redact(s.message)) or "The sync stopped.", "error")
            if s.fix is not None:
                self._show_stop_panel(s.fix)
            return
        if s.status is RunStatus.CANCELLED:
            return
        self.finished_ok = True
        figures = result.figures
        text = sync_figures_text(figures)
        slower = s.slowdown_note  # Intacct allowed fewer requests at once than set
        tail = f"\n{slower}" if slower else ""
        box = figures.outbox
        if box.refused:
            self._say(
                f"{text} Fix each group below, then press Retry these (or Ignore these). You "
                f"can also go on and retry later.{tail}",
                "warning",
            )
            first = next(iter(self.errors.groups.values()), None)
            if first is not None and "retry" in first.panel.buttons:
                first.panel.buttons["retry"].setFocus()
        elif box.waiting or box.ignored:
            self._say(f"{text} Press Next.{tail}", "warning")
        elif box.total:
            self._say(f"{text} Everything landed. Press Next.{tail}", "ok")
            self.start_button.setText("Sync a&gain")
        else:
            self._say(f"{text} Press Next.{tail}", "ok")
            self.start_button.setText("Sync a&gain")
        if self.wizard() is not None:
            self.wizard().mark_work_done()  # type: ignore[attr-defined]

    def _show_dry_run(self, summary: object) -> None:
        report = summary.dry_run  # type: ignore[attr-defined]
        lines = [f"Dry run: {report.checked:,} records checked; nothing was sent to Intacct."]
        if report.missing_reference:
            lines.append(
                "Not checked yet (nothing read from Intacct so far): "
                + ", ".join(noun for noun in report.missing_reference)
                + ". The sync itself checks them."
            )
        by_fix: dict[str, int] = {}
        for guess in report.predictions:
            by_fix[guess.fix.title] = by_fix.get(guess.fix.title, 0) + 1
        if by_fix:
            lines.extend(f"⚠  {n:,} likely to be refused: {title}" for title, n in by_fix.items())
        else:
            lines.append("No problems predicted. Press Start the sync.")
        self.predictions.setText("\n".join(lines))
        self.predictions.show()
        self._say("Dry run finished.", "ok" if not by_fix else "warning")

    def _ignored(
        self, result: tuple[tuple[session_adapter.ErrorGroup, ...], session_adapter.OutboxFigures]
    ) -> None:
        groups, outbox = result
        self.context.outbox, self.context.open_groups = outbox, groups
        self.errors.show_groups(groups)
        self.errors.set_enabled_buttons(True)
        self._show_ignored(outbox.ignored)
        self._say(outbox_text(outbox) + " Press Next, or send the ignored ones again.", "warning")
        self.unignore_button.setFocus()  # Enter must not fall to Back

    def _unignored(
        self, result: tuple[tuple[session_adapter.ErrorGroup, ...], session_adapter.OutboxFigures]
    ) -> None:
        groups, outbox = result
        self.context.outbox, self.context.open_groups = outbox, groups
        self.errors.show_groups(groups)
        self._show_ignored(outbox.ignored)
        self._say(
            outbox_text(outbox) + " Press Start the sync to send the waiting ones.", "warning"
        )
        self.start_button.setFocus()

    def _show_ignored(self, ignored: int) -> None:
        self.unignore_button.setEnabled(True)
        self.unignore_button.setVisible(ignored > 0)
        self.unignore_button.setText(f"S&end the {ignored:,} ignored records again")

    def _failed_task(self, error: BaseException) -> None:
        self._say(
            f"The sync could not run: {redact(str(error))}. Check the connection (Back) and "
            "start again.",
            "error",
        )
        if self.task is None:
            self.errors.set_enabled_buttons(True)

    def _show_stop_panel(self, fix: object) -> None:
        self._clear_stop_panel()
        self.stop_panel = FixPanel(fix, surface=Surface.SYNC_PAGE)  # type: ignore[arg-type]
        self.stop_panel_holder.addWidget(self.stop_panel)

    def _clear_stop_panel(self) -> None:
        if self.stop_panel is not None:
            self.stop_panel_holder.removeWidget(self.stop_panel)
            self.stop_panel.deleteLater()
            self.stop_panel = None

    def _say(self, text: str, severity: str) -> None:
        self.status.setText(text)
        set_severity(self.status, severity)


def _checked_line(findings: tuple[Finding, ...], since: dt.date) -> str:
    """One line: which checks of the choices ran, and how they ended (none failed)."""
    ours = [f for f in findings if f.check in session_adapter.POSTING_CHECKS]
    passed = sum(1 for f in ours if f.status is CheckStatus.PASS)
    skipped = sum(1 for f in ours if f.status is CheckStatus.SKIPPED)
    warned = [f.title for f in ours if f.status is CheckStatus.WARN]
    parts = [f"{passed} passed"]
    if skipped:
        parts.append(f"{skipped} skipped (nothing chosen to check)")
    if warned:
        parts.append(f"{len(warned)} with a warning: {'; '.join(warned)}")
    return (
        f"✔ Checked your choices before the sync (GL accounts, deposit accounts, payment "
        f"summaries, invoice numbers, a test posting dated {show_date(since)}, undone at once): "
        + ", ".join(parts)
        + "."
    )
