"""One wizard per user: a second start asks the first to come to the front, then exits."""

from __future__ import annotations

import getpass
import hashlib
import logging
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from wizard import APP_ID

log = logging.getLogger(__name__)
_ACTIVATE = b"activate\n"


def server_name() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "user"
    return f"{APP_ID}-{hashlib.sha256(user.encode()).hexdigest()[:12]}"


def ask_running_instance(name: str | None = None, timeout_ms: int = 500) -> bool:
    """True when another wizard is running (and has been asked to show itself)."""
    socket = QLocalSocket()
    socket.connectToServer(name or server_name())
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(_ACTIVATE)
    socket.flush()
    socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Listens for a second start and calls `on_activate` on the GUI thread."""

    def __init__(self, on_activate: Callable[[], None], name: str | None = None) -> None:
        super().__init__()
        self._on_activate = on_activate
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.name = name or server_name()
        QLocalServer.removeServer(self.name)  # a stale socket left by a crash
        if not self.server.listen(self.name):
            log.warning("single-instance server not listening: %s", self.server.errorString())
        self.server.newConnection.connect(self._accept)

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(partial(self._read, socket))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(_ACTIVATE.strip()):
            self._on_activate()

    def close(self) -> None:
        self.server.close()
