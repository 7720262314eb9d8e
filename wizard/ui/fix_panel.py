"""The fix panel: what went wrong, why, the numbered steps, who can do them, and "Check again".

When the error also fits another cause almost as well, that one follows as "Or, if that does
not fit: ...", with its own steps.

Used wherever something failed: a connection check, a group of failed records, a stopped sync.
It shows a `wizard.fixes.Fix` as it is; the words come from resources/fixes/*.toml.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from wizard.fixes import Fix
from wizard.fixes.surfaces import Surface, render_steps
from wizard.redaction import redact
from wizard.ui.dates import local_dates
from wizard.ui.qt_compat import emit


def _label(text: str, object_name: str, rich: bool = False) -> QLabel:
    label = QLabel(text)
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def steps_html(steps: tuple[str, ...]) -> str:
    items = "".join(f"<li style='margin-bottom:3px'>{html.escape(step)}</li>" for step in steps)
    return f"<ol style='margin-left:-18px; margin-top:0px'>{items}</ol>"


class FixPanel(QFrame):
    """One fix. `check_again` is emitted with the check id the fix names (or the owner's)."""

    check_again = Signal(str)
    action = Signal(str)  # extra buttons ("retry", "ignore") by their key

    def __init__(
        self,
        fix: Fix,
        check_id: str | None = None,
        actions: tuple[tuple[str, str], ...] = (),
        parent: QWidget | None = None,
        surface: Surface = Surface.TEST_PAGE,
    ) -> None:
        super().__init__(parent)
        self.fix = fix
        self.check_id = check_id
        self.setObjectName(f"fixPanel_{fix.id}")
        self.setProperty("role", "fix")
        self.setAccessibleName(f"How to fix: {fix.title}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        self.title = _label(f"How to fix: {fix.title}", "fixTitle")
        self.title.setProperty("role", "fixTitle")
        layout.addWidget(self.title)
        self.cause = _label(fix.cause, "fixCause")
        layout.addWidget(self.cause)
        # Steps that point into the product name this page's own buttons.
        self.step_texts = render_steps(fix.steps, surface)
        self.steps = _label(steps_html(self.step_texts), "fixSteps", rich=True)
        self.steps.setAccessibleName(
            "Steps: " + " ".join(f"{n}. {s}" for n, s in enumerate(self.step_texts, 1))
        )
        layout.addWidget(self.steps)
        self.who = _label(f"Who can do this: {fix.who}", "fixWho")
        self.who.setProperty("role", "hint")
        layout.addWidget(self.who)
        self.alternatives: list[QLabel] = []
        for alternative in fix.alternatives:
            alternative_steps = render_steps(alternative.steps, surface)
            other = _label(
                f"<b>Or, if that does not fit: {html.escape(alternative.title)}</b><br>"
                f"{html.escape(alternative.cause)}{steps_html(alternative_steps)}",
                f"fixAlternative_{alternative.id}",
                rich=True,
            )
            other.setAccessibleName(
                f"Or, if that does not fit: {alternative.title}. {alternative.cause} Steps: "
                + " ".join(f"{n}. {s}" for n, s in enumerate(alternative_steps, 1))
            )
            layout.addWidget(other)
            self.alternatives.append(other)
        if fix.error_text:
            said = _label(f"Intacct said: {local_dates(redact(fix.error_text))}", "fixErrorText")
            said.setProperty("role", "hint")
            layout.addWidget(said)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.addStretch(1)
        for key, text in actions:
            button = QPushButton(text)
            button.setObjectName(f"fix_{key}")
            button.setAccessibleName(f"{text.replace('&', '')}: {fix.title}")
            button.clicked.connect(lambda _checked=False, k=key: emit(self.action, k))
            row.addWidget(button)
            self.buttons[key] = button
        if check_id:
            again = QPushButton("Check a&gain")
            again.setObjectName("checkAgain")
            again.setAccessibleName(f"Check again: {fix.title}")
            again.setToolTip("Run just this check again, after you made the change")
            again.clicked.connect(lambda: emit(self.check_again, check_id))
            row.addWidget(again)
            self.buttons["check_again"] = again
        if self.buttons:
            layout.addLayout(row)

    def set_enabled_buttons(self, enabled: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(enabled)
