"""The Sign-in details form: a labelled field per setting (FIELDS), its inline message, and a
Show button beside each secret. The page decides which fields its way of connecting shows."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QLineEdit, QToolButton, QWidget

from wizard.ui.connection_adapter import FIELDS
from wizard.ui.password_field import hide_typing, show_toggle

# Labels with mnemonics (Alt+letter); the wizard's own buttons use B, N and S.
_MNEMONIC_LABELS = {
    "company_id": "&Company ID",
    "user_id": "&User ID",
    "user_password": "User &password",
    "sender_id": "Sen&der ID",
    "sender_password": "Sender pass&word",
    "entity_id": "&Entity ID (optional)",
    "client_id": "C&lient ID",
    "client_secret": "Cl&ient secret",
}
_PLACEHOLDERS = {
    "company_id": "as shown in Company > Setup > Company",
    "user_id": "the Web Services user, e.g. ws_integration",
    "sender_id": "from your integration provider (capitals matter)",
    "entity_id": "leave empty to connect at the top level",
    "client_id": "from the integration's vendor (or Sage's Developer Portal)",
}


_FIELD_GAP = 6  # pixels between one field's message and the next field


class CredentialForm(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, QLineEdit] = {}
        self.messages: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.toggles: dict[str, QToolButton] = {}
        self._rows: dict[str, int] = {}  # the grid row of each field
        self.setProperty("role", "card")
        self.grid = grid = QGridLayout(self)
        grid.setContentsMargins(16, 14, 16, 14)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        row = 0
        for name, label_text, required, secret in FIELDS:
            label = QLabel(_MNEMONIC_LABELS[name])
            edit = QLineEdit()
            edit.setObjectName(name)
            edit.setAccessibleName(label_text)
            edit.setPlaceholderText(_PLACEHOLDERS.get(name, ""))
            if required:
                edit.setAccessibleDescription(f"{label_text}, required")
            label.setBuddy(edit)
            grid.addWidget(label, row, 0)
            grid.addWidget(edit, row, 1)
            if secret:
                hide_typing(edit)
                toggle = show_toggle(name, label_text, edit)
                self.toggles[name] = toggle
                grid.addWidget(toggle, row, 2)
            message = QLabel()
            message.setObjectName(f"{name}_message")
            message.setWordWrap(True)
            message.hide()
            grid.addWidget(message, row + 1, 1, 1, 2)
            grid.setRowMinimumHeight(row + 2, _FIELD_GAP)
            self.fields[name] = edit
            self.messages[name] = message
            self.labels[name] = label
            self._rows[name] = row
            row += 3

    def show_only(self, names: tuple[str, ...]) -> None:
        """Show the fields named (with their labels and Show buttons), hide the others."""
        for name, edit in self.fields.items():
            shown = name in names
            for widget in (self.labels[name], edit, self.toggles.get(name)):
                if widget is not None:
                    widget.setVisible(shown)
            if not shown:
                self.messages[name].hide()
            # A hidden field leaves no gap: its spacer row shrinks with it.
            self.grid.setRowMinimumHeight(self._rows[name] + 2, _FIELD_GAP if shown else 0)
