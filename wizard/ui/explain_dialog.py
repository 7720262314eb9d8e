"""The "Explain an error message" window: the fix for an error copied from any integration.

An admin pastes what their integration showed, wrappers, codes and all; the window names the
likeliest cause with its steps, and "Or, if that does not fit" the runner-up, the answer
`intacct-wizard explain` gives. Opened from the first page; nothing is sent or saved.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from wizard.fixes import CatalogueError
from wizard.fixes.surfaces import Surface
from wizard.integrations import load_integrations
from wizard.redaction import redact
from wizard.ui import session_adapter
from wizard.ui.fix_panel import FixPanel
from wizard.ui.pages.base import show_message, wrapped_label

NOT_SURE = "Not sure / another one"


class ExplainDialog(QDialog):
    """`integration_id`: the first page's choice; its own codes count when it is a vendor."""

    def __init__(self, integration_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("explainDialog")
        self.setWindowTitle("Explain an error message")
        self.resize(720, 640)
        self.panel: FixPanel | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped_label(
                "Paste the error your integration showed, all of it: its own words around "
                "Intacct's, codes and IDs too. The wizard names the likeliest cause and how to "
                "fix it. Nothing is sent anywhere or saved.",
                "explainLead",
            )
        )
        form = QGridLayout()
        pasted_label = QLabel("&Error message:")
        self.pasted = QPlainTextEdit()
        self.pasted.setObjectName("pastedError")
        self.pasted.setAccessibleName("The error message to explain")
        self.pasted.setPlaceholderText(
            "e.g. Export failed: BL01001973 Could not create Bill record! "
            "The period for 01/31/2026 is closed"
        )
        self.pasted.setTabChangesFocus(True)  # Tab leaves the box: the keyboard is never stuck
        # Room for a few lines; the answer below gets the rest of the window.
        self.pasted.setFixedHeight(self.pasted.fontMetrics().lineSpacing() * 6 + 12)
        pasted_label.setBuddy(self.pasted)
        form.addWidget(pasted_label, 0, 0, Qt.AlignmentFlag.AlignTop)
        form.addWidget(self.pasted, 0, 1)
        integration_label = QLabel("Shown &by:")
        self.integration = QComboBox()
        self.integration.setObjectName("explainIntegration")
        self.integration.setAccessibleName("The integration that showed the error")
        self.integration.addItem(NOT_SURE, "")
        for integration in load_integrations():
            shown = "This wizard's own sync" if integration.is_own else integration.name
            self.integration.addItem(shown, integration.id)
        chosen = self.integration.findData(integration_id or "")
        self.integration.setCurrentIndex(max(chosen, 0))
        integration_label.setBuddy(self.integration)
        form.addWidget(integration_label, 1, 0)
        form.addWidget(self.integration, 1, 1)
        form.setColumnStretch(1, 1)
        layout.addLayout(form)

        buttons = QDialogButtonBox()
        self.explain_button = QPushButton("E&xplain")
        self.explain_button.setObjectName("explainButton")
        self.explain_button.setAccessibleName("Explain the pasted error")
        self.explain_button.setDefault(True)
        self.explain_button.setToolTip("Name the cause and the fix (Ctrl+Enter)")
        buttons.addButton(self.explain_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("explainClose")
        close.setAccessibleName("Close this window")
        buttons.rejected.connect(self.reject)
        self.explain_button.clicked.connect(self.explain)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.explain)
        layout.addWidget(buttons)

        self.status = wrapped_label("", "explainStatus")
        self.status.hide()
        layout.addWidget(self.status)
        self.result = QScrollArea()
        self.result.setObjectName("explainResult")
        self.result.setWidgetResizable(True)
        self.result.setFrameShape(QScrollArea.Shape.NoFrame)
        self.result.hide()
        layout.addWidget(self.result, 1)
        self.pasted.setFocus()

    def integration_id(self) -> str | None:
        """The chosen integration's id; None when not sure (every vendor's codes count)."""
        return str(self.integration.currentData() or "") or None

    def explain(self) -> None:
        text = self.pasted.toPlainText().strip()
        if not text:
            self._say("Paste the error message first: copy it from the integration's screen.", "")
            self.pasted.setFocus()
            return
        try:
            fix = session_adapter.explain_error(text, self.integration_id())
        except CatalogueError as error:
            self._say(f"The fix catalogue could not be loaded: {redact(str(error))}", "error")
            return
        self._say(self._summary(fix.is_generic, bool(fix.alternatives), len(text)), "")
        self.panel = FixPanel(fix, surface=Surface.EXPLAIN)
        self.result.setWidget(self.panel)
        self.result.show()

    @staticmethod
    def _summary(generic: bool, runner_up: bool, length: int) -> str:
        if generic:
            said = "The wizard does not know this error yet. What to send to support is below."
        elif runner_up:
            said = "The likeliest cause, then another that fits almost as well:"
        else:
            said = "The cause and the fix:"
        if length > session_adapter.EXPLAIN_MAX_CHARS:
            said += (
                f" (Only the first {session_adapter.EXPLAIN_MAX_CHARS:,} characters were read: "
                "paste the lines around the error for a surer answer.)"
            )
        return said

    def _say(self, text: str, severity: str) -> None:
        show_message(self.status, text, severity)
