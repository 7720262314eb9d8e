"""`Sandbox`: the simulated Intacct company behind a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType

from wizard.sandbox.company import Company
from wizard.sandbox.gateway import LOGIN_PATH, Gateway
from wizard.sandbox.rest_api import API_PREFIX, RestApi
from wizard.sandbox.scenarios import SCENARIOS, check_names, check_times
from wizard.sandbox.server import ADMIN_PATH, RateLimiter, SandboxServer

# Levels whose scenarios hit every gateway request (counted per request when limited).
PER_REQUEST = frozenset({"http", "transport", "control"})


@dataclass(frozen=True)
class Credentials:
    """What an integration needs to sign in to the demo company (fixed, public demo values)."""

    sender_id: str
    sender_password: str
    company_id: str
    user_id: str
    user_password: str
    entities: tuple[str, ...]


@dataclass(frozen=True)
class RestApp:
    """The demo app registered for the REST API (fixed, public demo values)."""

    client_id: str
    client_secret: str
    redirect_uri: str


class Sandbox:
    """The demo company served on 127.0.0.1; use as a context manager or start()/stop()."""

    def __init__(
        self,
        scenarios: Iterable[str] = (),
        records: int | None = None,
        latency_ms: float | None = None,
        latency_per_record_us: float | None = None,
        session_timeout_s: float | None = None,
        max_in_flight: int | None = 2,
        rate_limit_per_s: float | None = None,
        port: int = 0,
        strict: bool = False,
        user_permissions: dict[str, list[str]] | None = None,
        times: dict[str, int] | None = None,
        token_lifetime_s: float | None = None,
        tls: ssl.SSLContext | None = None,
        hostname: str = "127.0.0.1",
    ) -> None:
        """`strict=True`: answer only what public sources document. A fact labelled chosen in
        resources/sandbox (a correction text, an AR preference name, an error code) is left
        out or answered with the documented generic code, as a real Intacct may.
        `times`: {scenario: hits} for scenarios on for that many hits only.

        `tls`: serve HTTPS with this server context (its certificate names `hostname`, the
        name clients use in the address; the server listens on 127.0.0.1 only)."""
        if records is not None and records < 0:
            raise ValueError("records must be 0 or more.")
        if max_in_flight is not None and max_in_flight < 1:
            raise ValueError("max_in_flight must be 1 or more.")
        if (latency_ms or 0) < 0 or (latency_per_record_us or 0) < 0:
            raise ValueError("latencies must be 0 or more.")
        self._scenarios = check_names(list(scenarios))
        self._scenario_lock = threading.Lock()
        # Scenarios on for a number of hits only (a transient fault), and how many are left.
        self._times: dict[str, int] = check_times(times, self._scenarios)
        self.company = Company(records=records)
        self.company.set_user_permissions(user_permissions)
        self.latency_ms = latency_ms
        self.latency_per_record_us = latency_per_record_us
        self.max_in_flight = max_in_flight or self.company.max_in_flight
        self._limiter = RateLimiter(rate_limit_per_s) if rate_limit_per_s else None
        self._in_flight = 0
        self._flight_lock = threading.Lock()
        self.port = port
        self.strict = strict
        self.tls = tls
        self.hostname = hostname
        self.gateway = Gateway(
            self.company,
            lambda: self._scenarios,
            lambda: self.base_url,
            session_timeout_s,
            strict=strict,
            take=self._take,
            limited=lambda name: name in self._times,
        )
        self.rest = RestApi(self.company, lambda: self._scenarios, token_lifetime_s)
        self._server: SandboxServer | None = None
        self._thread: threading.Thread | None = None
        self._show_settings()

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> Sandbox:
        if self._server is not None:
            return self
        self._server = SandboxServer(self, self.port, self.tls)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="intacct-sandbox",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
            server.close_connections()
        if thread is not None:
            thread.join(timeout=5)

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted (for the `sandbox` command)."""
        if self._server is None:
            self._server = SandboxServer(self, self.port, self.tls)
            self.port = self._server.server_address[1]
        try:
            self._server.serve_forever(poll_interval=0.2)
        finally:
            self._server.server_close()
            self._server = None

    def bind(self) -> None:
        """Open the listening socket now (so `endpoint` is known before serving)."""
        if self._server is None:
            self._server = SandboxServer(self, self.port, self.tls)
            self.port = self._server.server_address[1]

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses and credentials ---------------------------------------------------------

    @property
    def base_url(self) -> str:
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://{self.hostname}:{self.port}"

    @property
    def endpoint(self) -> str:
        """The login endpoint (getAPISession answers with a different, session endpoint)."""
        return self.base_url + LOGIN_PATH

    @property
    def rest_base_url(self) -> str:
        """The REST API's base (`…/ia/api/v1`); OAuth lives under it (`/oauth2/token`)."""
        return f"{self.base_url}{API_PREFIX}v1"

    @property
    def rest_app(self) -> RestApp:
        """The demo integration's app registration (client ID, secret, redirect URI)."""
        data = self.rest.data
        return RestApp(data.client_id, data.client_secret, data.redirect_uris[0])

    @property
    def admin_url(self) -> str:
        return self.base_url + ADMIN_PATH

    @property
    def credentials(self) -> Credentials:
        company = self.company
        company_id = company.id
        if "company-id-trailing-blank" in self._scenarios:
            company_id += " "
        return Credentials(
            sender_id=company.sender_id,
            sender_password=company.sender_password,
            company_id=company_id,
            user_id=company.user_id,
            user_password=company.user_password,
            entities=tuple(e.id for e in company.entities),
        )

    # -- the Web Services user's permissions ------------------------------------------------

    @property
    def user_permissions(self) -> dict[str, frozenset[str]] | None:
        return self.company.user_permissions

    def set_user_permissions(self, permissions: dict[str, list[str]] | None) -> None:
        """Exactly these rights per object for the Web Services user, at run time ({"APBILL":
        ["list", "view", "add"], ...}); None: the module subscriptions of company.toml."""
        with self.company.lock:
            self.company.set_user_permissions(permissions)

    # -- scenarios -------------------------------------------------------------------------

    @property
    def scenarios(self) -> frozenset[str]:
        return self._scenarios

    def enable(self, name: str, times: int | None = None) -> None:
        """Switch a scenario on; with `times`, only for that many hits (a fault that goes
        away: e.g. two 429 answers, then normal ones)."""
        self.change_scenarios(enable=[name], times={name: times} if times is not None else None)

    def disable(self, name: str) -> None:
        self.change_scenarios(disable=[name])

    def set_scenarios(self, names: Iterable[str]) -> None:
        wanted = check_names(list(names))
        with self._scenario_lock:
            self._scenarios = wanted
            self._times.clear()
            self._show_settings()

    def change_scenarios(
        self, enable: object = (), disable: object = (), times: object = None
    ) -> frozenset[str]:
        """`times`: {name: hits} for scenarios switched on for a number of hits only."""
        on, off = check_names(enable), check_names(disable)
        counts = check_times(times, on)
        with self._scenario_lock:
            self._scenarios = (self._scenarios | on) - off
            for name in on | off:
                self._times.pop(name, None)
            self._times.update(counts)
            self._show_settings()
            return self._scenarios

    def times_left(self) -> dict[str, int]:
        with self._scenario_lock:
            return dict(self._times)

    def take_request(self) -> frozenset[str]:
        """The scenarios on for one gateway request. A scenario on for a number of hits that
        hits every request (HTTP, transport and control levels) counts one down."""
        with self._scenario_lock:
            active = self._scenarios
            for name in [n for n in self._times if SCENARIOS[n].level in PER_REQUEST]:
                self._count_down(name)
            return active

    def _take(self, name: str) -> bool:
        """Count down one hit of a scenario on for a number of hits (True: this is one)."""
        with self._scenario_lock:
            if name not in self._times:
                return False
            self._count_down(name)
            return True

    def _count_down(self, name: str) -> None:
        self._times[name] -= 1
        if self._times[name] <= 0:
            del self._times[name]
            self._scenarios = self._scenarios - {name}
            self._show_settings()

    def _show_settings(self) -> None:
        """Company settings a scenario stands for are visible in reads while it is on."""
        self.company.show_required_dimensions("account-requires-dimension" in self._scenarios)
        self.company.show_checking_locations("checking-account-no-location" in self._scenarios)

    def expire_sessions(self) -> None:
        """End every open session now, as a session timeout in Intacct would."""
        self.gateway.expire_sessions()

    # -- limits (used by the server) --------------------------------------------------------

    def rate_allows(self) -> bool:
        return self._limiter is None or self._limiter.allow()

    def enter(self) -> bool:
        with self._flight_lock:
            if self._in_flight >= self.max_in_flight:
                return False
            self._in_flight += 1
            return True

    def leave(self) -> None:
        with self._flight_lock:
            self._in_flight -= 1

    def answer_time_s(self, records: int) -> float:
        """How long an answer holding `records` records takes: BASE + records x PER_RECORD.

        The latency model (chosen: Sage publishes no answer times; the issue's figures for a
        real company are "a second or more" for a page of 1,000). The time counts from when
        the request takes its slot, so the sandbox's own work is part of it, and the slot is
        held for all of it, as a real company's job slot is. The slow-responses scenario adds
        its own delay on top."""
        delay = (self.latency_ms or 0) / 1000 + records * (self.latency_per_record_us or 0) / 1e6
        if "slow-responses" in self._scenarios:
            delay += float(SCENARIOS["slow-responses"].params.get("delay_s", 1.0))
        return delay
