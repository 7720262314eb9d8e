"""Unexpected errors: caught from any thread, shown on the GUI thread, secrets removed.

`ErrorHook.install()` replaces sys.excepthook and threading.excepthook. Whatever thread the
error happens on, the hook re-emits it through a Qt signal so the dialog always opens on the
GUI thread (Electrum's pattern). The dialog shows a plain explanation and the redacted details
in a read-only box with a Copy button, for the admin to send to support.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wizard.redaction import redact
from wizard.ui.qt_compat import emit

log = logging.getLogger(__name__)


def redacted_details(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> str:
    return redact("".join(traceback.format_exception(kind, error, trace)))


class ErrorDialog(QDialog):
    """A calm "something went wrong" window with copyable, redacted details."""

    def __init__(self, summary: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle("Something went wrong")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        lead = QLabel(
            "The wizard ran into a problem it did not expect. Your saved settings are safe. "
            "You can copy the details below and send them to support; passwords and session "
            "ids have been removed from them."
        )
        lead.setWordWrap(True)
        layout.addWidget(lead)
        self.summary = QLabel(summary)
        self.summary.setObjectName("errorSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.details = QPlainTextEdit(details)
        self.details.setObjectName("errorDetails")
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Error details")
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy details")
        self.copy_button.setObjectName("copyDetails")
        self.copy_button.setAccessibleName("Copy error details")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText("&Copied")


class ErrorHook(QObject):
    """Routes uncaught exceptions from any thread to one dialog on the GUI thread."""

    caught = Signal(str, str)  # summary, redacted details
    shown = Signal(object)  # the ErrorDialog, once it is on screen

    def __init__(self, parent_widget: QWidget | None = None) -> None:
        super().__init__()
        self.parent_widget = parent_widget
        self.dialog: ErrorDialog | None = None
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        self.caught.connect(self._show)  # queued when emitted from another thread

    def install(self) -> None:
        sys.excepthook = self.handle
        threading.excepthook = self._handle_thread

    def uninstall(self) -> None:
        sys.excepthook = self._previous_hook
        threading.excepthook = self._previous_thread_hook

    def handle(
        self, kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous_hook(kind, error, trace)
            return
        details = redacted_details(kind, error, trace)
        log.error("unexpected error:\n%s", details)
        summary = redact(f"{kind.__name__}: {error}")
        emit(self.caught, summary, details)

    def _handle_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    @Slot(str, str)
    def _show(self, summary: str, details: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.details.appendPlainText("\n" + details)  # one window, not a cascade
            return
        self.dialog = ErrorDialog(summary, details, self.parent_widget)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.dialog.open()  # window-modal, never a blocking exec()
        emit(self.shown, self.dialog)
