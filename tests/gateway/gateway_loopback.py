"""A scripted HTTP peer on 127.0.0.1 for transport faults a real gateway cannot make on demand.

Each POST is answered by the next `Step` in the script (the last step repeats), or by a
`responder` function given the request. A step sets the status, body, headers, a delay before
answering, or drops the connection (with no answer, or part way through the body).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Step:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/xml"})
    delay_s: float = 0.0
    drop: bool = False  # close the connection without answering
    cut_after: int | None = None  # send this many body bytes, then close
    drip_s: float = 0.0  # send the body 16 bytes at a time, waiting this long between


@dataclass(frozen=True)
class Received:
    path: str
    body: bytes
    headers: dict[str, str]


class LoopbackGateway:
    def __init__(
        self,
        steps: Sequence[Step] = (),
        responder: Callable[[Received], Step] | None = None,
    ) -> None:
        self.steps = list(steps)
        self.responder = responder
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                received = Received(self.path, self.rfile.read(length), dict(self.headers))
                step = gateway._next(received)
                if step.delay_s:
                    gateway._stop.wait(step.delay_s)
                if step.drop:
                    self.close_connection = True
                    return
                self.send_response(step.status)
                for name, value in step.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(step.body)))
                self.end_headers()
                if step.drip_s:
                    try:
                        for start in range(0, len(step.body), 16):
                            self.wfile.write(step.body[start : start + 16])
                            self.wfile.flush()
                            if gateway._stop.wait(step.drip_s):
                                return
                    except OSError:  # the client gave up and hung up: that is the point
                        self.close_connection = True
                    return
                if step.cut_after is not None:
                    self.wfile.write(step.body[: step.cut_after])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(step.body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
        )

    def _next(self, received: Received) -> Step:
        with self._lock:
            self.received.append(received)
            if self.responder is not None:
                return self.responder(received)
            if len(self.steps) > 1:
                return self.steps.pop(0)
            return self.steps[0] if self.steps else Step(500)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def url(self) -> str:
        return f"{self.base}/ia/xml/xmlgw.phtml"

    def start(self) -> LoopbackGateway:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


@contextmanager
def loopback(
    steps: Sequence[Step] = (), responder: Callable[[Received], Step] | None = None
) -> Iterator[LoopbackGateway]:
    server = LoopbackGateway(steps, responder).start()
    try:
        yield server
    finally:
        server.stop()
