"""A small HTTP CONNECT proxy on 127.0.0.1, as a company network puts in front of the internet.

    with ConnectProxy(hosts={"intacct.sandbox.test": ("127.0.0.1", 8443)}) as proxy:
        ...  # HTTPS_PROXY=proxy.url
        proxy.tunnels  # [(host, port, user)] of every tunnel it opened

It only tunnels (CONNECT host:port), as corporate proxies do for HTTPS. `users` makes it ask
for a Basic sign-in (407 with Proxy-Authenticate) and check it. `hosts` is the proxy's own
name resolution (the company's DNS, which this computer may not have); a host it cannot
reach gets 502 Bad Gateway, one in `forbidden` gets 403. Real sockets throughout.
"""

from __future__ import annotations

import base64
import contextlib
import socket
import socketserver
import ssl
import threading
from collections.abc import Iterator
from types import TracebackType

import trustme

from wizard.sandbox import Sandbox


class _Handler(socketserver.StreamRequestHandler):
    server: _Server
    rbufsize = 0  # unbuffered: after the CONNECT head, every byte belongs to the tunnel

    def _answer(self, status: str, headers: tuple[str, ...] = ()) -> None:
        lines = [f"HTTP/1.1 {status}", *headers, "Content-Length: 0", "Connection: close"]
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def handle(self) -> None:
        first = self.rfile.readline(8192).decode("latin-1").strip()
        headers: dict[str, str] = {}
        while True:
            line = self.rfile.readline(8192).decode("latin-1")
            if line in ("\r\n", "\n", ""):
                break
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        method, _, rest = first.partition(" ")
        target = rest.split(" ", 1)[0]
        if method != "CONNECT":
            self._answer("405 Method Not Allowed")
            return
        host, _, port_text = target.rpartition(":")
        user = self._signed_in_user(headers.get("proxy-authorization", ""))
        if self.server.owner.users and user is None:
            self.server.owner.refused.append((host, int(port_text or 0)))
            self._answer(
                "407 Proxy Authentication Required",
                ('Proxy-Authenticate: Basic realm="Company proxy"',),
            )
            return
        if host in self.server.owner.forbidden:
            self._answer("403 Forbidden")
            return
        address = self.server.owner.hosts.get(host, (host, int(port_text or 443)))
        try:
            upstream = socket.create_connection(address, timeout=5)
        except OSError:
            self._answer("502 Bad Gateway")
            return
        self.server.owner.tunnels.append((host, int(port_text or 0), user or ""))
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()
        with upstream:
            self._pipe(upstream)

    def _signed_in_user(self, header: str) -> str | None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            user, _, password = base64.b64decode(token).decode().partition(":")
        except ValueError:
            return None
        return user if self.server.owner.users.get(user) == password else None

    def _pipe(self, upstream: socket.socket) -> None:
        client = self.connection

        def forward(source: socket.socket, sink: socket.socket) -> None:
            with contextlib.suppress(OSError):
                while chunk := source.recv(65536):
                    sink.sendall(chunk)
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)

        back = threading.Thread(target=forward, args=(upstream, client), daemon=True)
        back.start()
        forward(client, upstream)
        back.join(timeout=10)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, owner: ConnectProxy) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that drop the tunnel are not errors."""


class ConnectProxy:
    def __init__(
        self,
        hosts: dict[str, tuple[str, int]] | None = None,
        users: dict[str, str] | None = None,
        forbidden: frozenset[str] = frozenset(),
    ) -> None:
        self.hosts = hosts or {}
        self.users = users or {}
        self.forbidden = forbidden
        self.tunnels: list[tuple[str, int, str]] = []
        self.refused: list[tuple[str, int]] = []  # CONNECTs answered with 407
        self._server = _Server(self)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> ConnectProxy:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@contextlib.contextmanager
def sandbox_signed_by(ca: trustme.CA, host: str) -> Iterator[Sandbox]:
    """The sandbox over HTTPS as `host`, its certificate issued by `ca` (a company's own CA,
    which the computer trusts only once IT installs it)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(host).configure_cert(context)
    with Sandbox(tls=context, hostname=host) as sandbox:
        yield sandbox
