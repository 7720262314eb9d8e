"""The base of every page: it hands its inputs to the flow and asks the flow whether Next may go.

A page never decides where Next leads (the flow does), and never waits on the network or the
disk (it starts a task on `context.workers` and emits completeChanged when the task ends).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QLabel, QRadioButton, QWidget, QWizardPage

from wizard.flow import PAGES, PageId, WizardData
from wizard.ui.context import WizardContext
from wizard.ui.qt_compat import emit


class FlowPage(QWizardPage):
    page_id: PageId
    instruction = ""  # the page's main instruction, in the admin's words

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.busy = False
        self.setObjectName(f"page_{self.page_id.name.lower()}")
        self.setTitle(
            f'<span style="font-size:14pt; font-weight:600;">{PAGES[self.page_id].title}</span>'
        )
        self.setAccessibleName(PAGES[self.page_id].title)
        self.setSubTitle(self.instruction)

    def apply(self, data: WizardData) -> WizardData:
        """`data` with this page's inputs (pure: reads widgets, changes nothing)."""
        return data

    def isComplete(self) -> bool:
        if self.busy:
            return False
        flow = self.context.flow
        if flow.page is not self.page_id:
            return False
        data = self.apply(flow.data)
        return flow.is_last(data) or flow.can_advance(data)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        emit(self.completeChanged)

    def entered(self) -> None:
        """Called every time the page is shown (initializePage runs only the first time)."""

    def left(self) -> None:
        """Called when the admin moved to another page (Back included)."""

    def leaving(self) -> bool:
        """Whether the wizard may close now (a page with work under way asks first)."""
        return True

    def show_step(self) -> None:
        """Put "Step X of Y" before the main instruction."""
        number, total = self.context.flow.position()
        if self.context.flow.data.route is None:
            self.setSubTitle(self.instruction)
        else:
            self.setSubTitle(f"Step {number} of {total}. {self.instruction}")


def wrapped_label(text: str, object_name: str = "", role: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if object_name:
        label.setObjectName(object_name)
    if role:
        label.setProperty("role", role)
    return label


def set_severity(widget: QWidget, severity: str) -> None:
    """Style `widget` for `severity` ("", "warning", "error", ...; the style sheet selects on
    the property). Qt reads a changed property only when the widget is polished again."""
    widget.setProperty("severity", severity)
    repolish(widget)


def show_message(label: QLabel, text: str, severity: str) -> None:
    """Show `text` in `label`, styled for `severity` (a page's or window's status line)."""
    label.setText(text)
    set_severity(label, severity)
    label.show()


def repolish(widget: QWidget) -> None:
    """Apply the style sheet again after a property it selects on has changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def radio_with_hint(
    group: QButtonGroup, text: str, caption: str, name: str
) -> tuple[QRadioButton, QLabel]:
    """A choice in `group` and the line under it that says what it means (indented to the
    choice's text); a screen reader hears the caption as the choice's description."""
    button = QRadioButton(text)
    button.setObjectName(name)
    button.setAccessibleName(text.replace("&", ""))
    button.setAccessibleDescription(caption)
    group.addButton(button)
    hint = wrapped_label(caption, f"{name}Hint", "hint")
    hint.setContentsMargins(24, 0, 0, 4)
    return button, hint
