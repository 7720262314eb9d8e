""" "Add records to send": a file's first rows, the problems its import would meet (row,
column and what to change), "Check again" after fixing the file, then "Add". Thin: the
reading and checking happen in session_adapter.records, on a worker thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wizard.ui import session_adapter
from wizard.ui.pages.base import set_severity, wrapped_label
from wizard.ui.qt_compat import emit
from wizard.ui.worker import Task, Workers

if TYPE_CHECKING:
    from wizard.sync.intake.results import ImportResult


class RecordsDialog(QDialog):
    checked = Signal(object)  # a FileReview
    added = Signal(object)  # the ImportResult of the file added

    def __init__(self, store_path: Path, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordsDialog")
        self.setWindowTitle("Add records to send")
        self.setMinimumWidth(720)
        self.store_path = store_path
        self.workers = workers
        self.path: Path | None = None
        self.review: session_adapter.FileReview | None = None
        self.task: Task | None = None

        layout = QVBoxLayout(self)
        self.what = wrapped_label("", "recordsFile")
        self.what.setAccessibleName("The file and what it holds")
        layout.addWidget(self.what)
        self.preview = QTableWidget(0, 0)
        self.preview.setObjectName("recordsPreview")
        self.preview.setAccessibleName("The first rows of the file")
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview.setMaximumHeight(190)
        layout.addWidget(self.preview)
        self.status = wrapped_label("", "recordsStatus")
        self.status.setAccessibleName("What the check found")
        layout.addWidget(self.status)
        self.problems = QListWidget()
        self.problems.setObjectName("recordsProblems")
        self.problems.setAccessibleName("Problems to fix in the file, by row and column")
        self.problems.setWordWrap(True)
        layout.addWidget(self.problems, 1)

        row = QHBoxLayout()
        self.check_again = QPushButton("&Check again")
        self.check_again.setObjectName("recordsCheckAgain")
        self.check_again.setAccessibleName("Read the file again after fixing it")
        self.check_again.clicked.connect(self.recheck)
        self.add_button = QPushButton("&Add")
        self.add_button.setObjectName("recordsAdd")
        self.add_button.setAccessibleName("Add the file's records to the next sync")
        self.add_button.setEnabled(False)
        self.add_button.clicked.connect(self.add)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row.addWidget(self.check_again)
        row.addStretch(1)
        row.addWidget(self.add_button)
        row.addWidget(buttons)
        layout.addLayout(row)

    def load(self, path: Path) -> None:
        """Show the file's first rows and check it (nothing is added yet)."""
        self.path = Path(path)
        self.recheck()

    def recheck(self) -> None:
        if self.path is None or self.task is not None:
            return
        path, store_path = self.path, self.store_path
        self.add_button.setEnabled(False)
        self._say(f"Reading {path.name}…", "")
        self._run(
            "check a file of records", lambda _c: session_adapter.review_file(store_path, path)
        )
        assert self.task is not None
        self.task.succeeded.connect(self._show_review)

    def add(self) -> None:
        if self.path is None or self.task is not None or self.review is None or not self.review.ok:
            return
        path, store_path = self.path, self.store_path
        self.add_button.setEnabled(False)
        self._say(f"Adding the records of {path.name}…", "")
        self._run("add a file of records", lambda _c: session_adapter.add_file(store_path, path))
        assert self.task is not None
        self.task.succeeded.connect(self._show_added)

    # -- results ------------------------------------------------------------------------

    def _run(self, name: str, op: object) -> None:
        task = self.workers.run(name, op)  # type: ignore[arg-type]
        self.task = task
        task.failed.connect(self._failed)
        task.finished.connect(self._ended)

    def _ended(self) -> None:
        self.task = None

    def _failed(self, error: object) -> None:
        self._say(f"The file could not be read: {error}", "error")

    def _show_review(self, review: session_adapter.FileReview) -> None:
        self.review = review
        self.what.setText(f"{review.path.name}: {review.what}")
        self.preview.clear()
        self.preview.setColumnCount(len(review.header))
        self.preview.setRowCount(len(review.rows))
        self.preview.setHorizontalHeaderLabels(list(review.header))
        for r, cells in enumerate(review.rows):
            for c, cell in enumerate(cells):
                self.preview.setItem(r, c, QTableWidgetItem(cell))
        self.problems.clear()
        result = review.result
        for problem in result.problems:
            self.problems.addItem(str(problem))
        if result.more_problems:
            self.problems.addItem(f"… and {result.more_problems} more problems.")
        for warning in result.warnings:
            self.problems.addItem(f"Note: {warning}")
        if review.ok:
            self._say(
                f"{result.records} record{'s' if result.records != 1 else ''} ready: "
                f"{result.added} new, {result.updated} changed, {result.unchanged} already "
                "added. Add them to send them with the next sync.",
                "ok",
            )
            self.add_button.setEnabled(result.added + result.updated > 0)
            self.add_button.setFocus()
        else:
            count = len(result.problems) + result.more_problems
            self._say(
                f"Nothing can be added yet: {count} problem{'s' if count != 1 else ''} to fix "
                "in the file (listed below). Fix them, save the file, then Check again.",
                "error",
            )
            self.check_again.setFocus()
        emit(self.checked, review)

    def _show_added(self, result: ImportResult) -> None:
        if result.ok:
            self._say(f"Added. {result.summary()} They go to Intacct with the next sync.", "ok")
        else:  # the file changed since it was checked: show what it has now
            self._say(f"{result.summary()} Check again to see why.", "error")
        emit(self.added, result)

    def _say(self, text: str, severity: str) -> None:
        self.status.setText(text)
        set_severity(self.status, severity)


class RecordsButtons(QWidget):
    """ "Add records to send…" (a file dialog, then the RecordsDialog) and "Save a
    template…" (a menu of the templates, then where to save it)."""

    said = Signal(str, str)  # text, severity: what happened, for the page to show

    def __init__(
        self, store_path: Callable[[], Path], workers: Workers, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store_path = store_path
        self.workers = workers
        self.dialog: RecordsDialog | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton("Add records to &send…")
        self.add_button.setObjectName("addRecords")
        self.add_button.setAccessibleName(
            "Add records to send to Intacct from a CSV or JSON Lines file"
        )
        self.add_button.clicked.connect(self.choose_file)
        self.template_button = QPushButton("Save a tem&plate…")
        self.template_button.setObjectName("saveTemplate")
        self.template_button.setAccessibleName("Save a blank template of records to send")
        menu = QMenu(self.template_button)
        for name, title in session_adapter.template_titles().items():
            menu.addAction(title, lambda name=name: self.choose_template_file(name))
        self.template_button.setMenu(menu)
        row.addWidget(self.add_button)
        row.addWidget(self.template_button)
        row.addStretch(1)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Add records to send", "", "Records (*.csv *.txt *.jsonl *.ndjson);;All files (*)"
        )
        if path:
            self.open_dialog(Path(path))

    def open_dialog(self, path: Path) -> RecordsDialog | None:
        """Show the file's first rows and what its import would meet; Add from there."""
        try:
            store_path = self.store_path()
        except RuntimeError as error:  # no connection tested yet
            emit(self.said, str(error), "error")
            return None
        dialog = RecordsDialog(store_path, self.workers, self.window())
        dialog.added.connect(self._added)
        self.dialog = dialog
        dialog.load(path)
        dialog.open()
        return dialog

    def _added(self, result: ImportResult) -> None:
        if result.ok:
            emit(self.said, f"{result.summary()} They go to Intacct with the next sync.", "")

    def choose_template_file(self, name: str) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save a template", f"{name}.csv", "CSV files (*.csv)"
        )
        if path:
            self.save_template(name, Path(path))

    def save_template(self, name: str, path: Path) -> None:
        try:
            session_adapter.save_template(name, path)
        except OSError as error:
            emit(
                self.said, f"The template could not be saved to {path}: {error.strerror}.", "error"
            )
            return
        emit(
            self.said,
            f"Template saved to {path}. Fill in one record per row under the column names, "
            "save it as CSV, then Add records to send.",
            "",
        )
