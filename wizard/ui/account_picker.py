"""A list of accounts to tick, with a field to add one by number when Intacct did not list it
(the list could not be read, or the account is new). Used by the Mappings page's Posting group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wizard.ui.pages.base import wrapped_label
from wizard.ui.qt_compat import emit


@dataclass(frozen=True)
class AccountOption:
    """One account Intacct listed: its id, the text shown, a plain-words tooltip."""

    id: str
    text: str
    tooltip: str = ""


class _AddField(QLineEdit):
    """A line edit whose Enter adds the account and goes no further (not the wizard's Next)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


class AccountPicker(QWidget):
    """Tick accounts from a list; type a number below to add one the list does not hold."""

    changed = Signal()

    def __init__(
        self, noun: str, object_name: str, height: int = 132, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.noun = noun  # "GL account", "checking account"
        self.setObjectName(object_name)
        self._listed: set[str] = set()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.list = QListWidget()
        self.list.setObjectName(f"{object_name}List")
        self.list.setFixedHeight(height)  # the page scrolls; the list need not grow
        layout.addWidget(self.list)
        row = QHBoxLayout()
        self.add_edit = _AddField()
        self.add_edit.setObjectName(f"{object_name}Add")
        self.add_edit.setPlaceholderText(f"Not in the list? Type the {noun} number, press Enter")
        self.add_edit.setAccessibleName(f"Add a {noun} by its number")
        self.add_edit.setToolTip(
            f"For a {noun} Intacct did not list here: type its number exactly as in Intacct."
        )
        self.add_button = QPushButton("Add")
        self.add_button.setObjectName(f"{object_name}AddButton")
        self.add_button.setAccessibleName(f"Add the typed {noun}")
        self.add_button.setAutoDefault(False)
        row.addWidget(self.add_edit, 1)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        self.note = wrapped_label("", f"{object_name}Note", "hint")
        self.note.hide()
        layout.addWidget(self.note)
        self.add_edit.returnPressed.connect(self._add_typed)
        self.add_button.clicked.connect(self._add_typed)
        self.list.itemChanged.connect(self._item_changed)

    def set_accessible_name(self, name: str) -> None:
        self.list.setAccessibleName(name)
        self.setAccessibleName(name)

    def set_tooltip(self, text: str) -> None:
        self.list.setToolTip(text)

    # -- filling and reading ---------------------------------------------------------------

    def set_options(self, options: Sequence[AccountOption], chosen: Sequence[str]) -> None:
        """Show `options` with `chosen` ticked; chosen ids Intacct did not list are kept."""
        self.list.blockSignals(True)
        self.list.clear()
        self._listed = {option.id for option in options}
        wanted = set(chosen)
        for option in options:
            self._append(option.id, option.text, option.tooltip, option.id in wanted)
        for account in chosen:
            if account not in self._listed:
                self._append_unlisted(account)
        self.list.blockSignals(False)
        if self.list.count():
            self.list.setCurrentRow(0, QItemSelectionModel.SelectionFlag.NoUpdate)
        self._update_note()

    def chosen(self) -> tuple[str, ...]:
        found = []
        for index in range(self.list.count()):
            item = self.list.item(index)
            if item.checkState() == Qt.CheckState.Checked:
                found.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return tuple(found)

    def add(self, account: str) -> None:
        """Tick `account`, adding it to the list first when Intacct did not list it."""
        account = account.strip()
        if not account:
            return
        self.list.blockSignals(True)
        item = self._item(account)
        if item is None:
            item = self._append_unlisted(account)
        item.setCheckState(Qt.CheckState.Checked)
        self.list.blockSignals(False)
        self.list.scrollToItem(item)
        self._update_note()
        emit(self.changed)

    # -- inside ------------------------------------------------------------------------------

    def _append(self, account: str, text: str, tooltip: str, on: bool) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, account)
        if tooltip:
            item.setToolTip(tooltip)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.list.addItem(item)
        return item

    def _append_unlisted(self, account: str) -> QListWidgetItem:
        return self._append(
            account,
            f"{account}  (typed: not among the active accounts Intacct listed)",
            f"Intacct did not list {account} as an active {self.noun}. "
            "The connection test checks it.",
            True,
        )

    def _item(self, account: str) -> QListWidgetItem | None:
        for index in range(self.list.count()):
            item = self.list.item(index)
            if item.data(Qt.ItemDataRole.UserRole) == account:
                return item
        return None

    def _add_typed(self) -> None:
        self.add(self.add_edit.text())
        self.add_edit.clear()

    def _item_changed(self, _item: QListWidgetItem) -> None:
        emit(self.changed)

    def _update_note(self) -> None:
        if self.list.count() == 0:
            self.note.setText(
                f"Intacct listed no {self.noun}s here. Type each number above and press Enter."
            )
        else:
            self.note.setText("")
        self.note.setVisible(bool(self.note.text()))
