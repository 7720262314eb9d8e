"""What the posting checks found before the first sync, when something would be refused.

Each failed check is listed with what was found and its fix panel, followed by two buttons:
"Check again" (run the checks again, after the admin made the change) and "Sync anyway".
The First sync page shows this only when a check failed; warnings never get here.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from wizard.checks import Finding
from wizard.fixes.surfaces import Surface
from wizard.redaction import redact
from wizard.ui.dates import local_dates
from wizard.ui.fix_panel import FixPanel
from wizard.ui.pages.base import wrapped_label
from wizard.ui.qt_compat import emit


class FailedCheck(QFrame):
    """One failed check: its title, what was found, and the fix."""

    def __init__(self, finding: Finding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.finding = finding
        self.setObjectName(f"failedCheck_{finding.check}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(4)
        evidence = local_dates(redact(finding.evidence))
        self.title = wrapped_label(f"✖  {finding.title}", "failedCheckTitle", "checkTitle")
        self.title.setProperty("severity", "error")
        self.title.setAccessibleName(f"Failed: {finding.title}")
        layout.addWidget(self.title)
        self.evidence = wrapped_label(evidence, "failedCheckEvidence", "hint")
        layout.addWidget(self.evidence)
        self.fix_panel: FixPanel | None = None
        if finding.fix is not None:
            self.fix_panel = FixPanel(finding.fix, surface=Surface.SYNC_PAGE)
            layout.addWidget(self.fix_panel)


class PostingCheckView(QFrame):
    """The failed posting checks, "Check again" and "Sync anyway"."""

    check_again = Signal()
    sync_anyway = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("postingChecks")
        self.setProperty("role", "card")
        self.setAccessibleName("Checks of your choices that failed")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        self.heading = wrapped_label("", "postingChecksHeading")
        layout.addWidget(self.heading)
        self.list_layout = QVBoxLayout()
        self.list_layout.setSpacing(6)
        layout.addLayout(self.list_layout)
        self.rows: dict[str, FailedCheck] = {}
        row = QHBoxLayout()
        row.addStretch(1)
        self.again = QPushButton("Check a&gain")
        self.again.setObjectName("checkChoicesAgain")
        self.again.setAccessibleName("Check again: run the checks of your choices again")
        self.again.setToolTip("Run these checks again, after you made the change")
        self.again.clicked.connect(lambda: emit(self.check_again))
        self.anyway = QPushButton("Sync &anyway")
        self.anyway.setObjectName("syncAnyway")
        self.anyway.setAccessibleName("Sync anyway: start the sync without these checks passing")
        self.anyway.setToolTip(
            "Start the sync now; records Intacct refuses are listed with the fix"
        )
        self.anyway.clicked.connect(lambda: emit(self.sync_anyway))
        row.addWidget(self.again)
        row.addWidget(self.anyway)
        layout.addLayout(row)
        QWidget.setTabOrder(self.again, self.anyway)
        self.hide()

    def show_failures(self, failed: Sequence[Finding], problem: str = "") -> None:
        """List these failed checks (or, with `problem`, why the checks could not run)."""
        self.clear()
        if problem:
            self.heading.setText(
                f"The checks of your choices could not run: {local_dates(redact(problem))}. The "
                "sync was not started. Press Check again, or Sync anyway."
            )
        else:
            count = len(failed)
            self.heading.setText(
                f"{count} check{'s' if count != 1 else ''} of your choices failed, so the sync "
                "was not started: Intacct would refuse what it sends. Follow the steps, then "
                "press Check again (or Sync anyway)."
            )
        for finding in failed:
            row = FailedCheck(finding)
            self.rows[finding.check] = row
            self.list_layout.addWidget(row)
        self.show()

    def clear(self) -> None:
        for row in self.rows.values():
            self.list_layout.removeWidget(row)
            row.deleteLater()
        self.rows = {}
        self.hide()
