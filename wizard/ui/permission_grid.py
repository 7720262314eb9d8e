"""The permission grid: one row per Intacct object (with its module), one column per operation.

Shows a `wizard.checks.PermissionGrid` as it is: allowed ✔, refused ✖ (only where the sync
needs it), unknown ?, not needed —.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from wizard.checks import Access, PermissionGrid
from wizard.ui.style import current_colours

_SYMBOL = {Access.ALLOWED: "✔", Access.DENIED: "✖", Access.UNKNOWN: "?", Access.NOT_NEEDED: "—"}
_WORD = {
    Access.ALLOWED: "allowed",
    Access.DENIED: "refused",
    Access.UNKNOWN: "not known",
    Access.NOT_NEEDED: "not needed",
}


class PermissionGridView(QTableWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("permissionGrid")
        self.setAccessibleName("Permissions the sync needs, by module and object")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setTabKeyNavigation(False)
        self.verticalHeader().hide()
        self.setAlternatingRowColors(True)
        self.grid: PermissionGrid | None = None

    def show_grid(self, grid: PermissionGrid, only: Iterable[str] | None = None) -> None:
        self.grid = grid
        wanted = set(only) if only is not None else None
        rows = [row for row in grid.rows if wanted is None or row.object in wanted]
        colours = current_colours()
        self.clear()
        self.setColumnCount(2 + len(grid.columns))
        self.setHorizontalHeaderLabels(["Module", "Object", *[c.title() for c in grid.columns]])
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            self.setItem(r, 0, QTableWidgetItem(row.shown))
            self.setItem(r, 1, QTableWidgetItem(row.object))
            for c, (column, cell) in enumerate(zip(grid.columns, row.cells, strict=True)):
                access = cell.access if cell.needed else Access.NOT_NEEDED
                if cell.access is Access.DENIED and not cell.needed:
                    access = Access.NOT_NEEDED
                item = QTableWidgetItem(_SYMBOL[access])
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{column}: {_WORD[access]}")
                item.setToolTip(f"{row.shown}, {row.object}, {column}: {_WORD[access]}")
                if access is Access.DENIED:
                    item.setForeground(QBrush(QColor(colours["error"])))
                elif access is Access.ALLOWED:
                    item.setForeground(QBrush(QColor(colours["success"])))
                self.setItem(r, 2 + c, item)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for c in range(len(grid.columns)):
            header.setSectionResizeMode(2 + c, QHeaderView.ResizeMode.ResizeToContents)
        height = self.horizontalHeader().height() + sum(
            self.rowHeight(r) for r in range(self.rowCount())
        )
        self.setMinimumHeight(min(height + 4, 260))
        self.setMaximumHeight(height + 4)

    def denied_text(self) -> list[str]:
        """ "AR ARINVOICE create" for each refused cell (what the grid shows in red)."""
        if self.grid is None:
            return []
        return [f"{obj} {op}" for obj, op in self.grid.denied()]
