"""A password field as every page shows it: typing hidden, a Show button beside it, and the
message the live check gives under it (the Sign-in details and Passwords pages share these)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QToolButton

from wizard.ui.connection_adapter import FieldCheck, Severity
from wizard.ui.pages.base import set_severity


def hide_typing(edit: QLineEdit) -> None:
    """Dots instead of the characters, and no input method that would learn the password."""
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setInputMethodHints(
        Qt.InputMethodHint.ImhHiddenText | Qt.InputMethodHint.ImhNoPredictiveText
    )


def show_toggle(name: str, label_text: str, edit: QLineEdit) -> QToolButton:
    """The Show / Hide button beside a password field (in the tab order after it)."""
    toggle = QToolButton()
    toggle.setObjectName(f"show_{name}")
    toggle.setProperty("role", "inline")
    toggle.setCheckable(True)
    toggle.setText("Show")
    toggle.setAccessibleName(f"Show {label_text.lower()}")
    toggle.setToolTip(f"Show or hide the {label_text.lower()}")
    toggle.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def flip(shown: bool) -> None:
        edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        toggle.setText("Hide" if shown else "Show")
        toggle.setAccessibleName(f"{'Hide' if shown else 'Show'} {label_text.lower()}")

    toggle.toggled.connect(flip)
    toggle.setFixedHeight(edit.sizeHint().height())  # level with the field
    return toggle


def show_check(edit: QLineEdit, message: QLabel, result: FieldCheck) -> None:
    """Colour the field and say under it what the live check found ("" hides the line)."""
    severity = "" if result.severity is Severity.OK else result.severity.value
    for widget in (message, edit):
        set_severity(widget, severity)
    prefix = {"error": "✖  ", "warning": "⚠  ", "": ""}[severity]
    message.setText(prefix + result.message if result.message else "")
    message.setVisible(bool(result.message))
    edit.setAccessibleDescription(result.message)
