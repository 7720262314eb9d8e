"""The last page for a third-party integration: the trial run, each outcome with its fix."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from wizard.checks.trial_run import TrialReport, TrialStatus
from wizard.flow import PageId, WizardData
from wizard.redaction import redact
from wizard.ui import session_adapter
from wizard.ui.context import WizardContext
from wizard.ui.dates import local_dates
from wizard.ui.fix_panel import FixPanel
from wizard.ui.pages.base import FlowPage, set_severity, wrapped_label

_MARK = {TrialStatus.OK: "✔", TrialStatus.REFUSED: "✖", TrialStatus.UNVERIFIED: "?"}
_SEVERITY = {TrialStatus.OK: "ok", TrialStatus.REFUSED: "error", TrialStatus.UNVERIFIED: "warning"}


class TrialPage(FlowPage):
    page_id = PageId.TRIAL
    instruction = "Try once what the integration will do; Intacct undoes every test at once."

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.report: TrialReport | None = None
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        self.lead = wrapped_label("", "trialLead", "pageLead")
        layout.addWidget(self.lead)
        self.outcomes = QVBoxLayout()
        self.outcomes.setSpacing(2)
        layout.addLayout(self.outcomes)
        self.summary = wrapped_label("", "trialSummary")
        self.summary.hide()
        layout.addWidget(self.summary)
        self.fixes = QVBoxLayout()
        layout.addLayout(self.fixes)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.again = QPushButton("&Run the trial again")
        self.again.setObjectName("trialAgain")
        self.again.setAccessibleName("Run the trial again")
        self.again.setAutoDefault(False)
        self.again.clicked.connect(self.start)
        row.addWidget(self.again)
        layout.addLayout(row)

    def apply(self, data: WizardData) -> WizardData:
        return data.replace(trial_finished=self.report is not None)

    def entered(self) -> None:
        self.show_step()
        integration = self.context.integration()
        self.lead.setText(
            f"The wizard reads one record of each thing {integration.name} reads, and tries "
            f"each kind of document it writes inside a transaction Intacct undoes, so nothing "
            "is kept."
        )
        self.start()

    def start(self) -> None:
        target = self.context.target
        if target is None or self.busy:
            return
        data = self.context.flow.data
        if data.entity_choice is not None:
            target = target.with_choices(entity_id=data.entity_choice)
        target = dataclasses.replace(
            target, profile=target.profile.replace(integration=data.integration, custom=data.custom)
        )
        self.set_busy(True)
        self.again.setEnabled(False)
        self._clear()
        self.summary.setText("Trying…")
        set_severity(self.summary, "")
        self.summary.show()
        task = self.context.workers.run("trial run", lambda _c: session_adapter.run_trial(target))
        task.succeeded.connect(self._finished)
        task.failed.connect(self._failed)

    def _clear(self) -> None:
        for layout in (self.outcomes, self.fixes):
            while layout.count():
                item = layout.takeAt(0)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.hide()
                    widget.setParent(None)
                    widget.deleteLater()

    def _finished(self, report: TrialReport) -> None:
        self.report = report
        for number, outcome in enumerate(report.outcomes):
            line = wrapped_label(
                f"{_MARK[outcome.status]}  {outcome.what[0].upper()}{outcome.what[1:]}: "
                f"{local_dates(redact(outcome.evidence))}",
                f"trialOutcome{number}",
            )
            set_severity(line, _SEVERITY[outcome.status])
            self.outcomes.addWidget(line)
        self.summary.setText(report.summary)
        set_severity(self.summary, "ok" if report.ready else "error")
        for fix in report.fixes:
            self.fixes.addWidget(FixPanel(fix))
        self.again.setEnabled(True)
        self.set_busy(False)

    def _failed(self, error: BaseException) -> None:
        self.summary.setText(f"The trial could not run: {redact(str(error))}. Run it again.")
        set_severity(self.summary, "error")
        self.again.setEnabled(True)
        self.set_busy(False)
