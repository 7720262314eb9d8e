"""The HTTP side: a loopback-only threading server, transport faults, limits and the admin call."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from wizard.sandbox import messages
from wizard.sandbox.gateway import LOGIN_PATH
from wizard.sandbox.render import control_failure, gateway_failure
from wizard.sandbox.rest_api import API_PREFIX
from wizard.sandbox.scenarios import SCENARIOS

if TYPE_CHECKING:
    from wizard.sandbox.sandbox import Sandbox

ADMIN_PATH = "/sandbox/admin/scenarios"
XML_TYPE = "text/xml; charset=UTF-8"
LOOPBACK = ("127.0.0.1", "::1")

_CDN_PAGE = """<!DOCTYPE html>
<html lang="en-US"><head><title>{title}</title></head>
<body><div id="cf-wrapper"><div id="cf-error-details" class="cf-error-details-wrapper">
<h1>{title}</h1><p>{text}</p><p>Ray ID: 0000000000000000 &bull; sandbox</p>
</div></div></body></html>
"""


_DATA_COUNT = re.compile(rb'<data [^>]*?\bcount="(\d+)"')


def records_in(answer: bytes) -> int:
    """The records an answer carries: the sum of its <data count="n"> attributes (the reads'
    pages; answers without a count, such as sign-in or a write, carry none)."""
    return sum(int(n) for n in _DATA_COUNT.findall(answer))


class RateLimiter:
    """A token bucket: `rate` requests per second on average, bursts up to `rate`."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.tokens = max(rate, 1.0)
        self.updated = time.monotonic()
        self._lock = threading.Lock()

    def allow(self) -> bool:
        with self._lock:
            now = time.monotonic()
            self.tokens = min(max(self.rate, 1.0), self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            if self.tokens >= 1.0:
                self.tokens -= 1.0
                return True
            return False


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, sandbox: Sandbox, port: int, tls: ssl.SSLContext | None = None) -> None:
        self.sandbox = sandbox
        self.tls = tls
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", port), _Handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        """With TLS, the handshake runs here, in the connection's own thread (a client that
        stalls or refuses the certificate holds up no one else)."""
        if self.tls is None:
            super().finish_request(request, client_address)
            return
        with self.tls.wrap_socket(request, server_side=True) as secured:
            super().finish_request(secured, client_address)

    def close_connections(self) -> None:
        """Cut every kept-alive client connection (after `shutdown`, on stop)."""
        with self.connections_lock:
            open_now = list(self.connections)
        for connection in open_now:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Connections a client drops (or the sandbox drops on purpose) are not errors."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SandboxServer
    server_version = "IntacctSandbox/1.0"

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the sandbox never logs requests (they hold passwords)."""

    # -- plumbing --------------------------------------------------------------------------

    def _send_transport_fault(self, active: frozenset[str]) -> bool:
        """Answer as a broken path to Intacct would (a CDN's timeout page, a dropped
        connection) when such a scenario is on; True when the answer went out that way."""
        if "cdn-timeout-524" in active:
            page = _CDN_PAGE.format(
                title="Error 524: A timeout occurred",
                text="The origin web server timed out responding to this request.",
            )
            self._send(524, page.encode(), "text/html; charset=UTF-8")
            return True
        if "dropped-connections" in active:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return True
        return False

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        reason = self.responses.get(status, ("A Timeout Occurred" if status == 524 else "",))[0]
        lines = [
            f"{self.protocol_version} {status} {reason}",
            f"Server: {self.version_string()}",
            f"Date: {self.date_time_string()}",
            f"Content-Type: {content_type}",
            f"Content-Length: {len(body)}",
        ]
        lines += [f"{key}: {value}" for key, value in (headers or {}).items()]
        if self.close_connection:
            lines.append("Connection: close")
        # Status, headers and body in one write: no Nagle / delayed-ACK stall between them.
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _path(self) -> str:
        return self.path.split("?", 1)[0]

    def _is_gateway(self, path: str) -> bool:
        return path in (LOGIN_PATH, self.server.sandbox.gateway.session_path)

    # -- methods ---------------------------------------------------------------------------

    def _rest(self, method: str) -> None:
        body = self._body()
        sandbox = self.server.sandbox
        headers = {k.lower(): v for k, v in self.headers.items()}
        started = time.monotonic()
        reply = sandbox.rest.handle(method, self.path, headers, body)
        delay = sandbox.answer_time_s(reply.records) - (time.monotonic() - started)
        if delay > 0:
            time.sleep(delay)
        active = sandbox.scenarios
        if self._send_transport_fault(active):
            return
        content = reply.body
        if "truncated-responses" in active:
            content = content[: len(content) // 2]
        self._send(reply.status, content, reply.content_type, reply.headers)

    def do_PATCH(self) -> None:
        if self._path().startswith(API_PREFIX):
            self._rest("PATCH")
        else:
            self._send(404, b"Not found\n", "text/plain")

    def do_DELETE(self) -> None:
        if self._path().startswith(API_PREFIX):
            self._rest("DELETE")
        else:
            self._send(404, b"Not found\n", "text/plain")

    def do_GET(self) -> None:
        path = self._path()
        if path.startswith(API_PREFIX):
            self._rest("GET")
        elif path == ADMIN_PATH:
            self._admin(None)
        elif self._is_gateway(path):
            # GET is blocked by the real gateway (developer.intacct.com); the exact status and
            # body it answers are not documented: 405 is chosen for the sandbox.
            self._send(
                405,
                b"The XML gateway accepts POST requests only.\n",
                "text/plain",
                {"Allow": "POST"},
            )
        else:
            self._send(404, b"Not found\n", "text/plain")

    def do_POST(self) -> None:
        path = self._path()
        if path.startswith(API_PREFIX):
            self._rest("POST")
            return
        body = self._body()
        if path == ADMIN_PATH:
            self._admin(body)
        elif self._is_gateway(path):
            self._gateway(body, path)
        else:
            self._send(404, b"Not found\n", "text/plain")

    def _admin(self, body: bytes | None) -> None:
        sandbox = self.server.sandbox
        if self.client_address[0] not in LOOPBACK:
            self._send(403, b"The admin call is for loopback clients only.\n", "text/plain")
            return
        if body is not None:
            try:
                change = json.loads(body or b"{}")
                if not isinstance(change, dict):
                    raise ValueError(
                        "Send a JSON object with 'enable' and/or 'disable' lists (and 'times')."
                    )
                enable = change.get("enable", [])
                disable = change.get("disable", [])
                times = change.get("times")  # {name: hits}: on for that many hits only
                sandbox.change_scenarios(enable=enable, disable=disable, times=times)
                if "user_permissions" in change:
                    sandbox.set_user_permissions(change["user_permissions"])
            except ValueError as error:
                answer = json.dumps({"error": str(error)}).encode()
                self._send(400, answer, "application/json")
                return
        granted = sandbox.user_permissions
        answer = json.dumps(
            {
                "scenarios": sorted(sandbox.scenarios),
                "times_left": sandbox.times_left(),
                "user_permissions": None
                if granted is None
                else {name: sorted(rights) for name, rights in granted.items()},
            }
        ).encode()
        self._send(200, answer, "application/json")

    def _gateway(self, body: bytes, path: str) -> None:
        sandbox = self.server.sandbox
        active = sandbox.take_request()
        if "html-error-pages" in active:
            page = _CDN_PAGE.format(
                title="Error 502: Bad gateway", text="The web server reported a bad gateway error."
            )
            self._send(
                SCENARIOS["html-error-pages"].http_status or 502,
                page.encode(),
                "text/html; charset=UTF-8",
            )
            return
        if "server-error" in active:
            text = str(SCENARIOS["server-error"].params.get("body", "Service Unavailable"))
            self._send(SCENARIOS["server-error"].http_status or 503, text.encode(), "text/plain")
            return
        if "rate-limited" in active or not sandbox.rate_allows():
            retry = str(SCENARIOS["rate-limited"].params.get("retry_after_s", 1))
            (error,) = sandbox.gateway.shown([messages.error("rate_limited")])
            self._send(429, gateway_failure(error), XML_TYPE, {"Retry-After": retry})
            return
        if not sandbox.enter():
            # Refused at once, holding no slot (chosen: Intacct's refusal time is not known).
            busy = sandbox.gateway.shown([messages.error("too_many_operations")])
            self._send(200, control_failure(busy), XML_TYPE)
            return
        try:
            started = time.monotonic()
            answer = sandbox.gateway.handle(body, path, active)
            rest = started + sandbox.answer_time_s(records_in(answer)) - time.monotonic()
            if rest > 0:
                time.sleep(rest)
        finally:
            sandbox.leave()
        if self._send_transport_fault(active):
            return
        if "truncated-responses" in active:
            answer = answer[: len(answer) // 2]
        self._send(200, answer, XML_TYPE)
