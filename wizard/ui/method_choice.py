"""How the integration talks to Intacct: the XML gateway or the REST API (on Sign-in details)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QFrame, QLabel, QRadioButton, QVBoxLayout, QWidget

from wizard.connection import ConnectionMethod
from wizard.ui.pages.base import radio_with_hint, wrapped_label
from wizard.ui.qt_compat import emit

_CHOICES = (
    (
        ConnectionMethod.XML,
        "&XML gateway: a sender ID and two passwords",
        "Most integrations connect this way: a Web Services user and password, with the "
        "vendor's sender ID and its password.",
    ),
    (
        ConnectionMethod.REST,
        "REST &API: an app's client ID and secret",
        "For an integration that gave you a client ID and client secret (OAuth 2.0). The app "
        "must be on the company's Authorized client applications list.",
    ),
)


class MethodChoice(QFrame):
    """Two choices and what each needs; `changed` carries the chosen ConnectionMethod."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("methodChoice")
        self.setProperty("role", "card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(2)
        layout.addWidget(QLabel("<b>How does the integration connect to Intacct?</b>"))
        layout.addWidget(
            wrapped_label("Ask the integration's vendor if you are not sure.", "methodLead", "hint")
        )
        self.group = QButtonGroup(self)
        self.buttons: dict[ConnectionMethod, QRadioButton] = {}
        for method, text, caption in _CHOICES:
            button, hint = radio_with_hint(self.group, text, caption, f"method_{method.value}")
            self.buttons[method] = button
            layout.addWidget(button)
            layout.addWidget(hint)
        self.buttons[ConnectionMethod.XML].setChecked(True)
        self.group.buttonToggled.connect(self._toggled)

    def method(self) -> ConnectionMethod:
        for method, button in self.buttons.items():
            if button.isChecked():
                return method
        return ConnectionMethod.XML

    def set_method(self, method: ConnectionMethod) -> None:
        self.buttons[method].setChecked(True)

    def _toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            emit(self.changed, self.method())
