"""The "Network" section of the Credentials page: which proxy, its sign-in, an extra certificate.

Most admins leave it alone: the wizard uses this computer's own proxy and certificates. It says
which proxy that is, and offers the overrides IT may ask for: no proxy, a named proxy, a proxy
sign-in (the password goes to the keyring with the others) and an extra certificate file.
Every field is checked as it is typed, with a message that says what to change.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from wizard.ui import connection_adapter
from wizard.ui.connection_adapter import FieldCheck, NetworkInput, Severity
from wizard.ui.pages.base import set_severity, wrapped_label


class NetworkSection(QWidget):
    """One line on what this computer's settings do, and the overrides behind a button.

    Emits `changed` whenever a choice or field changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.saved_proxy_user = ""  # the proxy user whose password the keyring holds
        self.setObjectName("network")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        self.system_hint = wrapped_label("", "systemProxy", "hint")
        header.addWidget(self.system_hint, 1)
        self.toggle = QPushButton("Chan&ge network settings…")
        self.toggle.setObjectName("change_network")
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName("Change the network settings: proxy and certificates")
        self.toggle.toggled.connect(self._show_details)
        header.addWidget(self.toggle)
        outer.addLayout(header)
        self.details = QGroupBox("Network")
        self.details.setObjectName("networkDetails")
        self.details.setAccessibleName("Network: proxy and certificates")
        self.details.hide()
        outer.addWidget(self.details)
        grid = QGridLayout(self.details)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)

        self.modes = QButtonGroup(self)
        self.system = QRadioButton("Use the s&ystem's proxy settings (recommended)")
        self.direct = QRadioButton("Connect directly, with n&o proxy")
        self.manual = QRadioButton("Use &this proxy:")
        for row, (button, mode, name) in enumerate(
            (
                (self.system, "system", "Use the system's proxy settings (recommended)"),
                (self.direct, "none", "Connect directly, with no proxy"),
                (self.manual, "manual", "Use this proxy"),
            ),
            start=1,
        ):
            button.setObjectName(f"proxy_{mode}")
            button.setAccessibleName(name)
            button.setProperty("mode", mode)
            self.modes.addButton(button)
            grid.addWidget(button, row - 1, 0, 1, 1 if button is self.manual else 3)
        self.system.setChecked(True)

        self.proxy_url = self._field("proxy_url", "Proxy address", "http://proxy.example.com:8080")
        grid.addWidget(self.proxy_url, 2, 1, 1, 2)
        self.proxy_user = self._field("proxy_user", "Proxy user", "only if the proxy asks")
        self.proxy_password = self._field("proxy_password", "Proxy password", "")
        self.proxy_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.ca_file = self._field(
            "extra_ca_file", "Extra certificate file", "only if your IT team gives you one"
        )
        choose = QPushButton("C&hoose…")
        choose.setObjectName("choose_ca_file")
        choose.setAccessibleName("Choose the extra certificate file")
        choose.clicked.connect(self._choose_ca_file)
        self.messages: dict[str, QLabel] = {}
        row = 3
        for label_text, edit, extra in (
            ("Pro&xy user (if the proxy asks)", self.proxy_user, None),
            ("Proxy passwo&rd", self.proxy_password, None),
            ("Extra certificate &file (optional)", self.ca_file, choose),
        ):
            label = QLabel(label_text)
            label.setBuddy(edit)
            grid.addWidget(label, row, 0)
            grid.addWidget(edit, row, 1, 1, 1 if extra else 2)
            if extra is not None:
                grid.addWidget(extra, row, 2)
            row += 1
        for name in ("proxy_url", "proxy_user", "proxy_password", "extra_ca_file"):
            message = QLabel()
            message.setObjectName(f"{name}_message")
            message.setWordWrap(True)
            message.hide()
            self.messages[name] = message
        grid.addWidget(self.messages["proxy_url"], row, 0, 1, 3)
        grid.addWidget(self.messages["proxy_user"], row + 1, 0, 1, 3)
        grid.addWidget(self.messages["proxy_password"], row + 2, 0, 1, 3)
        grid.addWidget(self.messages["extra_ca_file"], row + 3, 0, 1, 3)
        self.modes.buttonToggled.connect(lambda *_: self._changed())
        self._sync_enabled()

    def _field(self, name: str, label: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setAccessibleName(label)
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(lambda _text: self._changed())
        return edit

    def _choose_ca_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            "Choose the certificate file from your IT team",
            "",
            "Certificates (*.pem *.crt *.cer);;All files (*)",
        )
        if path:
            self.ca_file.setText(path)
            self._changed()

    def _show_details(self, shown: bool, focus: bool = True) -> None:
        self.details.setVisible(shown)
        self.toggle.setText("Hide network settin&gs" if shown else "Chan&ge network settings…")
        checked = self.modes.checkedButton()
        if shown and focus and checked is not None:
            checked.setFocus()

    def expand(self) -> None:
        """Show the settings (when one of them needs correcting, or is not the default)."""
        self.toggle.setChecked(True)

    def _sync_enabled(self) -> None:
        self.proxy_url.setEnabled(self.manual.isChecked())
        self.proxy_user.setEnabled(not self.direct.isChecked())
        self.proxy_password.setEnabled(not self.direct.isChecked())

    def _changed(self) -> None:
        if self._loading:
            return
        self._sync_enabled()
        self.show_checks()
        self.changed.emit()

    # -- values ---------------------------------------------------------------------------

    def mode(self) -> str:
        checked = self.modes.checkedButton()
        return str(checked.property("mode")) if checked is not None else "system"

    def values(self) -> NetworkInput:
        return NetworkInput(
            proxy_mode=self.mode(),
            proxy_url=self.proxy_url.text().strip(),
            proxy_user=self.proxy_user.text().strip(),
            proxy_password=self.proxy_password.text(),
            extra_ca_file=self.ca_file.text().strip(),
        )

    def set_values(self, values: NetworkInput, proxy_password_saved: bool = False) -> None:
        """Show saved settings (the password is never read back into the form: when one is
        saved the field says so, and leaving it empty keeps it). Emits no `changed`: nothing
        was edited."""
        self._loading = True
        try:
            for button in self.modes.buttons():
                button.setChecked(button.property("mode") == values.proxy_mode)
            self.proxy_url.setText(values.proxy_url)
            self.proxy_user.setText(values.proxy_user)
            self.proxy_password.clear()
            self.ca_file.setText(values.extra_ca_file)
        finally:
            self._loading = False
        self.saved_proxy_user = values.proxy_user if proxy_password_saved else ""
        self.proxy_password.setPlaceholderText(
            "saved: leave empty to keep it" if self.saved_proxy_user else ""
        )
        self._sync_enabled()
        self.show_checks()
        if values != NetworkInput() and not self.toggle.isChecked():
            # Opened quietly: the admin may be typing in another field (no focus moved, no
            # `toggled`, so the page does not scroll away from it).
            with QSignalBlocker(self.toggle):
                self.toggle.setChecked(True)
            self._show_details(True, focus=False)

    def has_proxy_password(self) -> bool:
        """Whether saving keeps a proxy password: one typed, or the one saved for this user."""
        if self.direct.isChecked() or not self.proxy_user.text().strip():
            return False
        typed = bool(self.proxy_password.text())
        return typed or self.proxy_user.text().strip() == self.saved_proxy_user

    def describe_system(self) -> None:
        """Say which proxy this computer's settings give for Intacct."""
        self.system_hint.setText(connection_adapter.system_proxy_sentence())

    def checks(self) -> dict[str, FieldCheck]:
        return connection_adapter.validate_network(self.values())

    def show_checks(self) -> bool:
        """Show each field's message; True when nothing blocks saving."""
        ok = True
        fields = self._fields()
        for name, result in self.checks().items():
            severity = "" if result.severity is Severity.OK else result.severity.value
            message = self.messages[name]
            set_severity(message, severity)
            set_severity(fields[name], severity)
            prefix = {"error": "✖  ", "warning": "⚠  ", "": ""}[severity]
            message.setText(prefix + result.message if result.message else "")
            message.setVisible(bool(result.message))
            fields[name].setAccessibleDescription(result.message)
            ok = ok and result.severity is not Severity.ERROR
        return ok

    def _fields(self) -> dict[str, QLineEdit]:
        return {
            "proxy_url": self.proxy_url,
            "proxy_user": self.proxy_user,
            "proxy_password": self.proxy_password,
            "extra_ca_file": self.ca_file,
        }

    def first_error(self) -> QLineEdit | None:
        fields = self._fields()
        for name, result in self.checks().items():
            if result.severity is Severity.ERROR:
                return fields[name]
        return None
