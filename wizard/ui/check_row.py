"""A check in the Test page's live list (`CheckRow`: status, title, what was found, the fix when
it failed), and `FindingBridge`, which brings each finding from the checks' thread to it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from wizard.checks import CheckStatus, Finding
from wizard.checks.text import readable
from wizard.redaction import redact
from wizard.ui.dates import local_dates
from wizard.ui.fix_panel import FixPanel
from wizard.ui.pages.base import set_severity, wrapped_label
from wizard.ui.qt_compat import emit
from wizard.ui.worker import WorkerBridge

_ICON = {
    None: ("…", "Checking"),
    CheckStatus.PASS: ("✔", "Passed"),
    CheckStatus.WARN: ("⚠", "Warning"),
    CheckStatus.FAIL: ("✖", "Failed"),
    CheckStatus.SKIPPED: ("–", "Skipped"),
}
_SEVERITY = {
    CheckStatus.PASS: "ok",
    CheckStatus.WARN: "warning",
    CheckStatus.FAIL: "error",
    CheckStatus.SKIPPED: "",
}


class FindingBridge(WorkerBridge):
    """Carries findings from the runner's thread to the GUI thread: `found` is emitted there."""

    found = Signal(object)

    def __call__(self, finding: Finding) -> None:
        self.post(finding)

    def arrived(self, value: object) -> None:
        emit(self.found, value)


class CheckRow(QFrame):
    """One check in the live list: status, title, what was found, and the fix when it failed."""

    check_again = Signal(str)

    def __init__(self, check_id: str, title: str) -> None:
        super().__init__()
        self.check_id = check_id
        self.title_text = title
        self.finding: Finding | None = None
        self.fix_panel: FixPanel | None = None
        self.setObjectName(f"check_{check_id}")
        self.setProperty("role", "checkRow")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(2)
        top = QHBoxLayout()
        self.icon = QLabel()
        self.icon.setObjectName("checkIcon")
        self.icon.setFixedWidth(22)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        top.addWidget(self.icon)
        self.title = wrapped_label(title, "checkTitle")
        self.title.setProperty("role", "checkTitle")
        top.addWidget(self.title, 1)
        layout.addLayout(top)
        self.evidence = wrapped_label("", "checkEvidence", "hint")
        self.evidence.setContentsMargins(26, 0, 0, 0)
        self.evidence.hide()
        layout.addWidget(self.evidence)
        self.set_running()

    @property
    def status(self) -> CheckStatus | None:
        return self.finding.status if self.finding is not None else None

    def set_running(self, text: str = "Checking…") -> None:
        self.finding = None
        self._icon(None)
        self.evidence.setText(text)
        self.evidence.setVisible(bool(text))
        self.setAccessibleName(f"{self.title_text}: checking")
        if self.fix_panel is not None:
            self.fix_panel.set_enabled_buttons(False)

    def _icon(self, status: CheckStatus | None) -> None:
        symbol, word = _ICON[status]
        self.icon.setText(symbol)
        self.icon.setToolTip(word)
        set_severity(self.icon, _SEVERITY.get(status, "") if status else "")

    def show_finding(self, finding: Finding) -> None:
        self.finding = finding
        self._icon(finding.status)
        evidence = local_dates(redact(readable(finding.evidence)))
        self.evidence.setText(evidence)
        self.evidence.show()
        word = _ICON[finding.status][1]
        self.setAccessibleName(f"{self.title_text}: {word}. {evidence}")
        if self.fix_panel is not None:
            self.layout().removeWidget(self.fix_panel)
            self.fix_panel.deleteLater()
            self.fix_panel = None
        if finding.fix is not None and finding.status in (CheckStatus.FAIL, CheckStatus.WARN):
            self.fix_panel = FixPanel(finding.fix, check_id=finding.check)
            self.fix_panel.check_again.connect(lambda check: emit(self.check_again, check))
            self.layout().addWidget(self.fix_panel)
