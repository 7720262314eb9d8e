"""Other / not listed: the admin ticks what their integration needs, module › permission by
operation, and may give its name and sender ID. The ticks become wizard.connection.CustomNeeds,
which wizard.integrations turns into an Integration like any catalogue file's."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wizard.connection import CustomNeeds
from wizard.integrations import OPERATIONS, Permission
from wizard.ui.pages.base import wrapped_label


class CustomNeedsPanel(QFrame):
    """A table: one row per module › permission, one tick column per operation."""

    changed = Signal()

    def __init__(self, permissions: Mapping[str, Permission], parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setObjectName("customNeeds")
        self._objects = list(permissions)
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        label = QLabel("&Permissions it needs (tick each one its help pages ask for):")
        label.setObjectName("customNeedsQuestion")
        box.addWidget(label)
        self.table = QTableWidget(len(self._objects), 1 + len(OPERATIONS))
        self.table.setObjectName("customNeedsTable")
        self.table.setAccessibleName("Permissions the integration needs")
        self.table.setAccessibleDescription(
            "Arrow keys move between ticks; Space ticks or clears one."
        )
        self.table.setHorizontalHeaderLabels(
            ["Module › permission", *(op.capitalize() for op in OPERATIONS)]
        )
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside
        self.table.setCornerButtonEnabled(False)
        for corner in self.table.findChildren(QAbstractButton):  # the unused select-all corner
            corner.setAccessibleName("Select all (not used)")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 1 + len(OPERATIONS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for row, obj in enumerate(self._objects):
            permission = permissions[obj]
            name = QTableWidgetItem(permission.shown)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            name.setToolTip(f"Intacct object {obj}")
            self.table.setItem(row, 0, name)
            for column, operation in enumerate(OPERATIONS, 1):
                tick = QTableWidgetItem()
                tick.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsUserCheckable
                )
                tick.setCheckState(Qt.CheckState.Unchecked)
                spoken = f"{permission.shown}: {operation}"
                tick.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
                tick.setToolTip(spoken)
                self.table.setItem(row, column, tick)
        self.table.setCurrentCell(0, 1)
        self.table.setMinimumHeight(230)
        label.setBuddy(self.table)
        box.addWidget(self.table, 1)

        fields = QGridLayout()
        name_label = QLabel("Its n&ame (optional):")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("customName")
        self.name_edit.setAccessibleName("The integration's name (optional)")
        name_label.setBuddy(self.name_edit)
        sender_label = QLabel("Its sende&r ID (optional):")
        self.sender_edit = QLineEdit()
        self.sender_edit.setObjectName("customSender")
        self.sender_edit.setAccessibleName("The integration's sender ID (optional)")
        sender_label.setBuddy(self.sender_edit)
        fields.addWidget(name_label, 0, 0)
        fields.addWidget(self.name_edit, 0, 1)
        fields.addWidget(sender_label, 0, 2)
        fields.addWidget(self.sender_edit, 0, 3)
        fields.setColumnStretch(1, 1)
        fields.setColumnStretch(3, 1)
        box.addLayout(fields)
        self.hint = wrapped_label(
            "Tick at least one permission. Ask the integration's vendor which ones it needs if "
            "its help pages do not say.",
            "customNeedsHint",
            "hint",
        )
        box.addWidget(self.hint)
        QWidget.setTabOrder(self.table, self.name_edit)
        QWidget.setTabOrder(self.name_edit, self.sender_edit)
        self.table.itemChanged.connect(self._ticked)
        self.name_edit.textChanged.connect(lambda _t: self.changed.emit())
        self.sender_edit.textChanged.connect(lambda _t: self.changed.emit())

    def _ticked(self, _item: QTableWidgetItem) -> None:
        self.hint.setVisible(not self.custom().needs)
        self.changed.emit()

    def row_of(self, obj: str) -> int:
        return self._objects.index(obj)

    def tick(self, obj: str, operation: str, ticked: bool = True) -> None:
        """Tick (or clear) one operation on one object, as a Space press in its cell would."""
        item = self.table.item(self._objects.index(obj), 1 + OPERATIONS.index(operation))
        state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        if item is not None:
            item.setCheckState(state)

    def show_custom(self, custom: CustomNeeds) -> None:
        """Show what a saved connection ticked (its name and sender ID too)."""
        ticked = dict(custom.needs)
        for obj in self._objects:
            for operation in OPERATIONS:
                self.tick(obj, operation, operation in ticked.get(obj, ()))
        self.name_edit.setText(custom.name)
        self.sender_edit.setText(custom.sender_id)

    def custom(self) -> CustomNeeds:
        needs = []
        for row, obj in enumerate(self._objects):
            ticked = tuple(
                operation
                for column, operation in enumerate(OPERATIONS, 1)
                if (item := self.table.item(row, column)) is not None
                and item.checkState() == Qt.CheckState.Checked
            )
            if ticked:
                needs.append((obj, ticked))
        return CustomNeeds(
            name=self.name_edit.text().strip(),
            sender_id=self.sender_edit.text().strip(),
            needs=tuple(needs),
        )
