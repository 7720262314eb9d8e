"""Where the secrets typed on Sign-in details are kept: the OS keyring, or (with no usable
keyring, or when the admin asks) this session's memory only."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from wizard.ui import connection_adapter
from wizard.ui.pages.base import repolish, wrapped_label
from wizard.ui.qt_compat import emit


def secrets_phrase(over_rest: bool, proxy: bool) -> str:
    """ "user and sender passwords", "client secret and proxy password", ..."""
    if over_rest:
        return "client secret and proxy password" if proxy else "client secret"
    return "user, sender and proxy passwords" if proxy else "user and sender passwords"


def saved_ids_phrase(over_rest: bool) -> str:
    return (
        "company ID, user ID and client ID are"
        if over_rest
        else ("company, user and sender IDs are")
    )


class SecretsStorage(QWidget):
    """The sentence saying where the secrets go, and "Keep … for this session only"."""

    session_only_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.where = wrapped_label("", "secretsWhere", "hint")
        layout.addWidget(self.where)
        self.session_only = QCheckBox(
            "&Keep the passwords for this session only (forgotten when the wizard closes)"
        )
        self.session_only.setObjectName("sessionOnly")
        self.session_only.setAccessibleName(
            "Keep the passwords for this session only; they are forgotten when the wizard closes"
        )
        self.session_only.hide()
        self.session_only.toggled.connect(self._toggled)
        layout.addWidget(self.session_only)
        self._over_rest = False
        self._proxy = False

    def describe(self, over_rest: bool, proxy: bool) -> None:
        """Say where the secrets of this connection (REST or XML, with a proxy password or
        not) will be kept."""
        self._over_rest, self._proxy = over_rest, proxy
        status = connection_adapter.keyring_status()
        self.session_only.setVisible(not status.usable or self.session_only.isChecked())
        if not status.usable:
            self.where.setText(
                "This computer has no usable password store, so the passwords cannot be saved "
                f"yet. {status.help} Or keep them for this session only: the test and the "
                "first sync work, and you enter them again next time."
            )
            self.where.setProperty("severity", "warning")
        elif self.session_only.isChecked():
            self.where.setText(
                "The passwords are kept in memory for this session only and never written "
                "anywhere. You will enter them again the next time you open the wizard."
            )
            self.where.setProperty("severity", "")
        else:
            self.where.setText(
                f"The {secrets_phrase(over_rest, proxy)} will be kept in {status.backend_name}, "
                f"never in a file. The {saved_ids_phrase(over_rest)} saved with the "
                "connection's settings on this computer."
            )
        repolish(self.where)

    def _toggled(self, on: bool) -> None:
        if on:  # in memory from now on, for this run
            connection_adapter.keep_for_session_only()
        else:  # back to the keyring: what was kept in memory is forgotten, so save again
            connection_adapter.keep_in_keyring()
        self.describe(self._over_rest, self._proxy)
        emit(self.session_only_changed, on)
