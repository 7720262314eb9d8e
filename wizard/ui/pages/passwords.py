"""Diagnose, when the saved connection's passwords are not on this computer (no password store,
or its item is missing or locked): type them here, for this session only, then the test runs.

They go into `WizardContext.typed_passwords` (memory) and nowhere else: not the keyring, not a
file, not the flow's data. The page says so, and that they are asked for again next time.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from wizard.connection import Secrets
from wizard.flow import PageId, WizardData
from wizard.ui import connection_adapter
from wizard.ui.connection_adapter import FIELDS, FieldCheck, Severity
from wizard.ui.context import WizardContext
from wizard.ui.pages.base import FlowPage, set_severity, wrapped_label
from wizard.ui.password_field import hide_typing, show_check, show_toggle
from wizard.ui.qt_compat import emit
from wizard.ui.session_adapter import PasswordsNeeded

# The two passwords, in the order the Sign-in details page asks for them (same mnemonics).
_PASSWORDS = (("user_password", "User &password"), ("sender_password", "Sender pass&word"))
_LABELS = {name: label for name, label, _required, _secret in FIELDS}

KEPT_FOR_THE_SESSION = (
    "Kept for this session only: the passwords stay in this wizard's memory until you close "
    "it, and are never written to disk or to a password store. You will be asked for them "
    "again next time."
)


class PasswordsPage(FlowPage):
    page_id = PageId.PASSWORDS
    instruction = "Type the connection's passwords to diagnose it."

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.needed: PasswordsNeeded | None = None
        self.fields: dict[str, QLineEdit] = {}
        self.messages: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.lead = wrapped_label("", "passwordsLead", "pageLead")
        layout.addWidget(self.lead)

        card = QFrame()
        card.setProperty("role", "card")
        grid = QGridLayout(card)
        grid.setContentsMargins(16, 14, 16, 14)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        self.whose = wrapped_label("", "passwordsWhose", "hint")
        grid.addWidget(self.whose, 0, 0, 1, 3)
        grid.setRowMinimumHeight(1, 8)
        row = 2
        previous: QWidget | None = None
        for name, mnemonic in _PASSWORDS:
            label = QLabel(mnemonic)
            edit = QLineEdit()
            edit.setObjectName(name)
            edit.setAccessibleName(_LABELS[name])
            edit.setAccessibleDescription(f"{_LABELS[name]}, required")
            hide_typing(edit)
            label.setBuddy(edit)
            toggle = show_toggle(name, _LABELS[name], edit)
            message = QLabel()
            message.setObjectName(f"{name}_message")
            message.setWordWrap(True)
            message.hide()
            grid.addWidget(label, row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(toggle, row, 2)
            grid.addWidget(message, row + 1, 1, 1, 2)
            grid.setRowMinimumHeight(row + 2, 6)
            if previous is not None:
                QWidget.setTabOrder(previous, edit)
            QWidget.setTabOrder(edit, toggle)
            previous = toggle
            edit.textEdited.connect(partial(self._edited, name))
            self.fields[name] = edit
            self.messages[name] = message
            row += 3
        layout.addWidget(card)

        self.where = wrapped_label(KEPT_FOR_THE_SESSION, "passwordsWhere")
        layout.addWidget(self.where)
        self.keeping = wrapped_label("", "passwordsKeeping", "hint")
        layout.addWidget(self.keeping)
        self.status = wrapped_label("", "passwordsStatus")
        self.status.hide()
        layout.addWidget(self.status)
        layout.addStretch(1)

    # -- what is asked, and why -------------------------------------------------------------

    def entered(self) -> None:
        needed = self.context.passwords_request
        if needed is None:
            return
        if self.needed is None or needed.profile != self.needed.profile:
            # Another connection than last time: its own passwords, or none typed yet.
            typed = self.context.typed_passwords.get(needed.profile)
            self.fields["user_password"].setText(typed.user_password if typed else "")
            self.fields["sender_password"].setText(typed.sender_password if typed else "")
            for message in self.messages.values():
                message.hide()
        self.needed = needed
        self.lead.setText(
            f"The passwords of “{needed.profile}” are needed to diagnose it, but {needed.why}. "
            "Type them here and the connection test runs with them."
        )
        self.whose.setText(
            f"Company ID: {needed.company_id}    User ID: {needed.user_id}    "
            f"Sender ID: {needed.sender_id}"
        )
        if needed.store_usable:
            keeping = (
                "To keep them for next time, set up this connection again (Set up a new "
                "connection on the first page) and save it: the passwords then go into this "
                "computer's password store."
            )
        else:
            keeping = (
                "To keep them for next time, this computer needs a password store. "
                f"{needed.store_help}"
            ).strip()
        self.keeping.setText(keeping)
        self.status.hide()
        self.fields["user_password"].setFocus()
        emit(self.completeChanged)

    # -- checking as the admin types ------------------------------------------------------

    def _check(self, name: str) -> FieldCheck:
        """As the admin types: the passwords are masked once Next takes them."""
        return connection_adapter.validate(name, self.fields[name].text(), typing=True)

    def _edited(self, name: str, _text: str = "") -> None:
        show_check(self.fields[name], self.messages[name], self._check(name))
        self.status.hide()
        emit(self.completeChanged)

    # -- flow -----------------------------------------------------------------------------

    def _typed(self) -> bool:
        return all(self._check(name).severity is not Severity.ERROR for name in self.fields)

    def apply(self, data: WizardData) -> WizardData:
        return data.replace(passwords_typed=self._typed())

    def isComplete(self) -> bool:
        # Next stays on while both are typed; what is wrong is said inline (and on Next).
        if self.busy or not all(field.text() for field in self.fields.values()):
            return False
        return self.context.flow.page is self.page_id

    def validatePage(self) -> bool:
        results = {name: self._check(name) for name in self.fields}
        for name, result in results.items():
            show_check(self.fields[name], self.messages[name], result)
        wrong = [name for name, result in results.items() if result.severity is Severity.ERROR]
        if wrong or self.needed is None:
            if wrong:
                self.fields[wrong[0]].setFocus()
            self.status.setText("Please correct the password marked above, then press Next.")
            set_severity(self.status, "error")
            self.status.show()
            return False
        typed = Secrets(
            sender_password=results["sender_password"].cleaned,
            user_password=results["user_password"].cleaned,
        )
        if self.context.typed_passwords.get(self.needed.profile) != typed:
            self.context.typed_passwords[self.needed.profile] = typed
            self.context.credentials_version += 1  # the last test's results no longer hold
        return True
