"""Welcome's "Which integration are you connecting?": a search field over the list of the
integrations the wizard knows, the wizard's own sync first and Other / not listed last."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

from wizard.integrations import CUSTOM_INTEGRATION_ID, OWN_INTEGRATION_ID, load_integrations
from wizard.ui.qt_compat import emit

OTHER_TEXT = "Other / not listed: tick what it needs"


class IntegrationPicker(QFrame):
    """`changed` follows every change of the choice; `picked` is True once the admin chose
    (a search or a click), not when the program did (`choose`)."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.picked = False
        self._choosing = False
        self.setProperty("role", "card")
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        label = QLabel("Which &integration are you connecting?")
        label.setObjectName("integrationQuestion")
        box.addWidget(label)
        self.search = QLineEdit()
        self.search.setObjectName("integrationSearch")
        self.search.setPlaceholderText("Type to search: Expensify, BILL, Ramp…")
        self.search.setAccessibleName("Search the integrations")
        label.setBuddy(self.search)
        box.addWidget(self.search)
        self.list = QListWidget()
        self.list.setObjectName("integrationList")
        self.list.setAccessibleName("Integrations")
        for integration in load_integrations():
            shown = (
                "None: this wizard's own sync (accounts receivable)"
                if integration.is_own
                else f"{integration.name}"
            )
            item = QListWidgetItem(shown)
            item.setData(Qt.ItemDataRole.UserRole, integration.id)
            item.setToolTip(f"Sender ID: {integration.sender_text}")
            self.list.addItem(item)
        other = QListWidgetItem(OTHER_TEXT)
        other.setData(Qt.ItemDataRole.UserRole, CUSTOM_INTEGRATION_ID)
        other.setToolTip("Tick the permissions it needs yourself")
        self.list.addItem(other)
        self.list.setCurrentRow(0)
        self.list.setMinimumHeight(60)
        box.addWidget(self.list, 1)
        self.search.textChanged.connect(self._filter)
        self.list.currentItemChanged.connect(self._current_changed)

    def integration_id(self) -> str:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return OWN_INTEGRATION_ID
        return str(item.data(Qt.ItemDataRole.UserRole))

    def choose(self, integration_id: str) -> None:
        """Show `integration_id` as the choice (the program's doing, not the admin's pick)."""
        self._choosing = True
        try:
            for row in range(self.list.count()):
                item = self.list.item(row)
                if item is not None and item.data(Qt.ItemDataRole.UserRole) == integration_id:
                    self.list.setCurrentItem(item)
        finally:
            self._choosing = False

    def _current_changed(self, *_args: object) -> None:
        if not self._choosing:
            self.picked = True
        emit(self.changed)

    def _filter(self, text: str) -> None:
        wanted = text.strip().casefold()
        first = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item is None:
                continue
            # Other / not listed stays: what the admin typed may simply not be in the list.
            hidden = (
                bool(wanted) and wanted not in item.text().casefold() and item.text() != OTHER_TEXT
            )
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        current = self.list.currentItem()
        if first is not None and (current is None or current.isHidden()):
            self.list.setCurrentItem(first)
