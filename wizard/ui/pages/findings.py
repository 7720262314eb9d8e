"""Diagnose: the Findings page (what changed since the last good run, each failing check with
its fix) and the Retry page (send the records that failed again, now the cause is fixed)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from wizard.checks import CheckStatus
from wizard.flow import PageId, WizardData
from wizard.redaction import redact
from wizard.ui import session_adapter
from wizard.ui.context import WizardContext
from wizard.ui.dates import local_dates, show_moment
from wizard.ui.fix_panel import FixPanel
from wizard.ui.pages.base import FlowPage, set_severity, wrapped_label
from wizard.ui.pages.done import ReportButton
from wizard.ui.qt_compat import emit
from wizard.ui.sync_view import ErrorList, ProgressBridge, ProgressPanel, sync_figures_text
from wizard.ui.worker import Task


def _say(label: QLabel, text: str, severity: str) -> None:
    label.setText(text)
    set_severity(label, severity)


class FindingsPage(FlowPage):
    history_shown = Signal()

    page_id = PageId.FINDINGS
    instruction = "What is different since the sync last worked, and how to fix it."

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.history: session_adapter.History | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("findingsBody")
        self.body = QVBoxLayout(body)
        self.body.setContentsMargins(0, 0, 8, 0)
        card = QFrame()
        card.setProperty("role", "card")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(16, 12, 16, 12)
        self.changes = wrapped_label("Reading the sync history…", "findingsChanges")
        self.changes.setAccessibleName("What changed since the last good run")
        inner.addWidget(self.changes)
        self.body.addWidget(card)
        self.panels = QVBoxLayout()
        self.body.addLayout(self.panels)
        self.retry_box = QCheckBox("Retr&y the records that failed, on the next page")
        self.retry_box.setObjectName("retryFailed")
        self.retry_box.setAccessibleName("Retry the records that failed on the next page")
        self.retry_box.hide()
        self.retry_box.toggled.connect(self._retry_toggled)
        self.body.addWidget(self.retry_box)
        self.status = wrapped_label("", "findingsStatus")
        self.report = ReportButton(self, lambda text, severity: _say(self.status, text, severity))
        row = QHBoxLayout()
        row.addWidget(self.report)
        row.addWidget(self.status, 1)
        self.body.addLayout(row)
        self.body.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll)

    def initializePage(self) -> None:
        self.entered()

    def _retry_toggled(self, on: bool) -> None:
        # setFinalPage makes QWizard lay its buttons out again: Next when retrying, else Finish.
        self.setFinalPage(False)
        self.context.flow.update(self.apply(self.context.flow.data))
        emit(self.completeChanged)

    def entered(self) -> None:
        while self.panels.count():
            item = self.panels.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for finding in self.context.findings:
            if finding.status is CheckStatus.FAIL and finding.fix is not None:
                title = wrapped_label(f"✖  {finding.title}", "findingTitle")
                title.setProperty("severity", "error")
                title.setProperty("role", "checkTitle")
                self.panels.addWidget(title)
                self.panels.addWidget(
                    wrapped_label(local_dates(redact(finding.evidence)), "", "hint")
                )
                self.panels.addWidget(FixPanel(finding.fix))
        target = self.context.target
        if target is None:
            self.changes.setText("The saved connection could not be opened; see the test page.")
            return
        findings = self.context.findings
        task = self.context.workers.run("sync history", lambda _c: session_adapter.history(target))
        task.succeeded.connect(lambda past: self._show_history(past, findings))
        task.failed.connect(
            lambda error: self.changes.setText(
                f"The sync history could not be read: {redact(str(error))}."
            )
        )
        self.report.setFocus()

    def _show_history(self, past: session_adapter.History, findings: tuple[object, ...]) -> None:
        self.history = past
        lines = session_adapter.changes(findings, past, show_moment)  # type: ignore[arg-type]
        self.changes.setText("\n".join(lines))
        can_retry = bool(past.failed_records) and bool(self.context.flow.data.connection_ok)
        self.retry_box.setVisible(can_retry)
        emit(self.completeChanged)
        emit(self.history_shown)

    def apply(self, data: WizardData) -> WizardData:
        return data.replace(
            retry_requested=self.retry_box.isVisible() and self.retry_box.isChecked()
        )


class RetryPage(FlowPage):
    run_ended = Signal()

    page_id = PageId.RETRY
    instruction = "Send the records that failed again, now that their cause is fixed."

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.task: Task | None = None
        self.bridge = ProgressBridge(self)
        layout = QVBoxLayout(self)
        self.status = wrapped_label("", "retryStatus")
        layout.addWidget(self.status)
        self.progress = ProgressPanel()
        layout.addWidget(self.progress)
        self.errors = ErrorList()
        self.errors.hide()
        layout.addWidget(self.errors)
        layout.addStretch(1)
        self.bridge.progressed.connect(self.progress.update_progress)
        self.summary: object | None = None

    def initializePage(self) -> None:
        target = self.context.target
        if target is None:
            return
        mappings = target.profile.mappings
        choices = session_adapter.SyncChoices(
            flows=mappings.flows or session_adapter.flow_catalogue().default,
            entity_id=target.profile.entity_id,
            default_location=mappings.default_location,
            default_department=mappings.default_department,
            dimensions=mappings.dimensions,
            custom_fields=mappings.custom_fields,
        )
        job = session_adapter.SyncJob.for_target(target, choices)
        self.context.sync_job = job
        self.progress.reset()
        _say(self.status, "Sending the failed records again…", "")
        self.task = self.context.workers.run(
            "retry failed",
            lambda cancel: job.outcome_of(job.retry_all(self.bridge, lambda: cancel.is_set)),
        )
        self.task.succeeded.connect(self._done)
        self.task.failed.connect(
            lambda error: _say(
                self.status, f"The retry could not run: {redact(str(error))}", "error"
            )
        )
        self.task.finished.connect(self._ended)
        emit(self.completeChanged)

    def _ended(self) -> None:
        self.task = None
        self.progress.finish()
        emit(self.completeChanged)
        emit(self.run_ended)

    def _done(self, outcome: session_adapter.SyncOutcome) -> None:
        self.summary = outcome.summary
        self.context.sync_outcomes.append(outcome)
        self.context.outbox = outcome.figures.outbox
        self.context.open_groups = groups = outcome.groups
        self.errors.show_groups(groups)
        text = sync_figures_text(outcome.figures)
        if groups:
            _say(self.status, f"{text} The fixes for the refused ones are below.", "warning")
        elif outcome.figures.outbox.waiting or outcome.figures.outbox.ignored:
            _say(self.status, f"{text} You can close the wizard.", "warning")
        else:
            _say(self.status, f"{text} Everything landed. You can close the wizard.", "ok")
        wizard = self.wizard()
        if wizard is not None:
            wizard.mark_work_done()  # type: ignore[attr-defined]

    def isComplete(self) -> bool:
        return self.task is None and super().isComplete()

    def leaving(self) -> bool:
        return self.task is None
