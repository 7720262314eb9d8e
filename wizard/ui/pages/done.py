"""Page 8: what was set up and synced, where settings and secrets live, how to run the wizard
again, and "Save diagnostic report" (a redacted zip for support)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from wizard.flow import PageId, Route
from wizard.redaction import redact
from wizard.ui import session_adapter
from wizard.ui.context import WizardContext
from wizard.ui.pages.base import FlowPage, set_severity, wrapped_label
from wizard.ui.sync_view import sync_figures_text


def default_report_name() -> str:
    return f"intacct-wizard-report-{dt.datetime.now():%Y%m%d-%H%M}.zip"


class ReportButton(QPushButton):
    """Save diagnostic report: asks where (unless `path` is preset), writes on a worker."""

    def __init__(self, page: FlowPage, status_say: object) -> None:
        super().__init__("Save diagnostic &report…")
        self.page = page
        self.say = status_say
        self.path: Path | None = None  # preset by tests and the self-test
        self.setObjectName("saveReport")
        self.setAccessibleName("Save a diagnostic report for support (no passwords in it)")
        self.clicked.connect(self.save)

    def save(self) -> None:
        path = self.path
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                "Save diagnostic report",
                str(Path.home() / default_report_name()),
                "Zip files (*.zip)",
            )
            if not chosen:
                return
            path = Path(chosen)
        context = self.page.context
        findings = context.findings
        summary = context.flow.data.describe()
        self.setEnabled(False)
        task = context.workers.run(
            "save report", lambda _c: session_adapter.write_report(path, findings, summary)
        )
        task.succeeded.connect(self._saved)
        task.failed.connect(self._failed)

    def _saved(self, path: Path) -> None:
        self.setEnabled(True)
        self.say(  # type: ignore[operator]
            f"Report saved to {path}. It holds no passwords; send it to your integration's "
            "support team.",
            "ok",
        )

    def _failed(self, error: BaseException) -> None:
        self.setEnabled(True)
        self.say(  # type: ignore[operator]
            f"The report could not be saved: {redact(str(error))}. Choose another folder.",
            "error",
        )


class DonePage(FlowPage):
    page_id = PageId.DONE
    instruction = "The connection is set up. Here is what was done and where it is kept."

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        card = QFrame()
        card.setProperty("role", "card")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(16, 12, 16, 12)
        self.headline = wrapped_label("✔  The connection is set up.", "doneHeadline")
        self.headline.setProperty("severity", "ok")
        self._sync_lines: list[str] | None = None
        self.headline.setProperty("role", "sectionHeading")
        inner.addWidget(self.headline)
        self.summary = wrapped_label("", "doneSummary")
        self.summary.setAccessibleName("What was set up and synced")
        inner.addWidget(self.summary)
        layout.addWidget(card)
        self.places = wrapped_label("", "donePlaces")
        self.places.setAccessibleName("Where settings, passwords, data and logs are kept")
        layout.addWidget(self.places)
        self.rerun = wrapped_label(
            "To check this connection later, open the wizard again and choose “Diagnose an "
            "existing connection”, or run “intacct-wizard diagnose” on a server.",
            "doneRerun",
            "hint",
        )
        layout.addWidget(self.rerun)
        row = QHBoxLayout()
        self.status = wrapped_label("", "doneStatus")
        self.report = ReportButton(self, self._say)
        row.addWidget(self.report)
        row.addWidget(self.status, 1)
        layout.addLayout(row)
        layout.addStretch(1)

    def initializePage(self) -> None:
        data = self.context.flow.data
        target = self.context.target
        lines = []
        company = target.profile.company_id if target else data.company_id
        where = f"entity {data.entity_choice}" if data.entity_choice else "the top level"
        lines.append(f"Connected to {company} at {where}.")
        catalogue = session_adapter.flow_catalogue()
        titles = [catalogue[f].title for f in data.flows if f in catalogue]
        if titles:
            lines.append(f"Syncing: {', '.join(titles)}.")
        if data.default_location or data.default_department:
            lines.append(
                "Defaults: "
                + ", ".join(
                    x
                    for x in (
                        f"location {data.default_location}" if data.default_location else "",
                        f"department {data.default_department}" if data.default_department else "",
                    )
                    if x
                )
                + "."
            )
        if data.dimension_map:
            lines.append(
                "Dimensions: " + ", ".join(f"{a} → {b}" for a, b in data.dimension_map) + "."
            )
        self._sync_lines = lines
        self._show_sync()
        if data.route is Route.DEMO:
            self.places.setText(
                "This was the demo company: nothing was saved, and its data disappears when "
                "you close the wizard."
            )
        else:
            profile = data.profile
            task = self.context.workers.run(
                "storage locations", lambda _c: session_adapter.storage_lines(profile)
            )
            task.succeeded.connect(lambda lines: self.places.setText("\n".join(lines)))
        self.report.setFocus()

    def entered(self) -> None:
        if self._sync_lines is not None:  # back from First sync, maybe after Ignore or Retry
            self._show_sync()

    def _show_sync(self) -> None:
        """What landed, what failed, what was ignored (with the way back), in its colour."""
        lines = list(self._sync_lines or ())
        outcomes = self.context.sync_outcomes
        box = self.context.outbox
        if not outcomes or box is None:
            self.headline.setText("✔  The connection is set up.")
            set_severity(self.headline, "ok")
            self.summary.setText("\n".join(lines))
            return
        # The last run's figures, with the outbox as it is now (after any Ignore).
        last = dataclasses.replace(outcomes[-1].figures, outbox=box)
        lines.append(sync_figures_text(last))
        if len(outcomes) > 1:
            read = sum(o.figures.read_total for o in outcomes)
            sent = sum(o.figures.sent_this_run for o in outcomes)
            lines.append(
                f"All {len(outcomes)} runs since the wizard opened: read {read:,} records, "
                f"sent {sent:,} to Intacct."
            )
        despite = self.context.synced_despite
        if despite:
            lines.append(
                "The sync was started although "
                + ("these checks" if len(despite) > 1 else "this check")
                + f" of your choices failed: {'; '.join(despite)}."
            )
        refused_names = [
            group.name(i)
            for o in outcomes[-1:]
            for group in o.groups
            for i in range(len(group.errors))
        ]
        if box.refused:
            shown = ", ".join(refused_names[:5]) + (
                f" and {len(refused_names) - 5:,} more" if len(refused_names) > 5 else ""
            )
            lines.append(
                f"Refused by Intacct: {shown or f'{box.refused:,} records'}. Press Back to see "
                "each fix and Retry them."
            )
        if box.ignored:
            lines.append(
                f"Ignored (not sent): {box.ignored:,} record{'s' if box.ignored != 1 else ''}. "
                "To send them after all, press Back and then “Send the ignored records again”."
            )
        if box.refused:
            headline, severity = (
                f"✖  {box.refused:,} record{'s' if box.refused != 1 else ''} did not land: "
                "Intacct refused them.",
                "error",
            )
        elif despite or box.ignored or box.waiting:
            words = []
            if box.ignored:
                words.append(f"{box.ignored:,} ignored")
            if box.waiting:
                words.append(f"{box.waiting:,} not sent yet")
            if words:
                headline = f"⚠  The first sync ran, with {' and '.join(words)}."
            else:
                headline = (
                    "⚠  Everything landed, but a check of your choices had failed when the "
                    "sync started (see below)."
                )
            severity = "warning"
        else:
            headline = (
                "✔  The connection works: everything in the outbox is in Intacct."
                if box.total
                else "✔  The connection works; the outbox was empty, so nothing was sent."
            )
            severity = "ok"
        self.headline.setText(headline)
        set_severity(self.headline, severity)
        self.summary.setText("\n".join(lines))

    def _say(self, text: str, severity: str) -> None:
        self.status.setText(text)
        set_severity(self.status, severity)
