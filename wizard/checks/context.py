"""`CheckContext`: what every check reads — the connection, one shared gateway session, the
chosen flows and mappings, and a cache of pulled reference data so checks don't repeat calls.

Every gateway request a check makes goes through `call()` / `batch()` / `records()`, which hold
one of `max_in_flight` slots for the length of the request: the company's concurrency limit
is never exceeded however many checks run at once (`peak_in_flight` shows what was used).
"""

from __future__ import annotations

import contextlib
import contextvars
import enum
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from wizard.connection import PostingChoices, Profile, Secrets
from wizard.connection.credentials import gateway_credentials, network_settings
from wizard.fixes import Catalogue, Fix, MatchContext, load_catalogue
from wizard.gateway import (
    Client,
    Credentials,
    ErrorLevel,
    GatewayError,
    NetworkSettings,
    Outcome,
    Record,
    Result,
    Retried,
    RetryPolicy,
    Session,
    functions,
)
from wizard.integrations import Integration, IntegrationCatalogue, load_integrations
from wizard.sync.flows import FlowCatalogue, load_flows

log = logging.getLogger("wizard.checks")

T = TypeVar("T")
A = TypeVar("A")

# Diagnose retries by the sync's own rules (RetryPolicy's defaults: Retry-After honoured,
# backoff with jitter, "too many operations" waited out), bounded in total wait per request so
# a full diagnose still answers within seconds: two refusals in a row (two 429s with
# Retry-After: 1, two 502s, two "too many operations") are ridden out, as the sync would; a
# refusal that lasts is reported with its fix.
DIAGNOSE_WAIT_S = 4.5
DIAGNOSE_RETRY = replace(RetryPolicy(), max_total_s=DIAGNOSE_WAIT_S)

# The refusals waited out while the current check ran (see `CheckContext.retries_seen`).
_RETRIES_SEEN: contextvars.ContextVar[list[Retried] | None] = contextvars.ContextVar(
    "retries_seen", default=None
)

# "You do not have permission for API operation …" (a function's result).
PERMISSION_CODES = frozenset({"PL04000005"})

# One field list per reference object, so every check that needs it shares one read.
ENTITY_FIELDS = ("LOCATIONID", "CURRENCY")
CHECKING_ACCOUNT_FIELDS = ("BANKACCOUNTID", "BANKNAME", "LOCATIONID", "STATUS", "CURRENCY")

# Checks of what the wizard's own sync posts (its mappings, numbering, test documents): for
# another integration they run only when its file names them among its module settings.
OWN_SYNC_CHECKS = frozenset(
    {
        "dimensions",
        "gl-accounts",
        "checking-account-locations",
        "payment-summary-frequency",
        "custom-fields",
        "document-numbering",
        "test-posting",
    }
)

# The checks that make up signing in, in the order a request meets them.
SIGN_IN_CHAIN = (
    "endpoint-reachable",
    "sender-authorized",
    "web-services-only-user",
    "user-sign-in",
    "session-entity",
)
_LEVEL_OWNER = {
    ErrorLevel.TRANSPORT: "endpoint-reachable",
    ErrorLevel.CONTROL: "sender-authorized",
    ErrorLevel.AUTHENTICATION: "user-sign-in",
    ErrorLevel.RESULT: "user-sign-in",
}


@dataclass(frozen=True)
class SignIn:
    """The outcome of the one sign-in all checks share."""

    session: Session | None
    error: GatewayError | None = None
    fix: Fix | None = None
    owner: str = ""  # the check that reports the failure

    @property
    def ok(self) -> bool:
        return self.session is not None


class SecretsKept(enum.Enum):
    """Where the passwords were found: it decides whether they are there next time."""

    KEYRING = "keyring"  # the OS keyring: kept until the admin forgets the connection
    SESSION_ONLY = "session-only"  # this run's memory: asked for again next time
    ENVIRONMENT = "environment"  # INTACCT_*_PASSWORD: only where those variables are set
    BUILT_IN = "built-in"  # the demo company's own passwords


class MissingSecrets(Exception):
    """The passwords are not available (the keyring check says why)."""


class CheckContext:
    def __init__(
        self,
        profile: Profile,
        secrets: Secrets | None,
        *,
        secrets_problem: str = "",
        secrets_source: str = "the system keyring",
        secrets_fix_id: str = "keyring-unavailable",
        secrets_kept: SecretsKept | None = None,
        max_in_flight: int | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        catalogue: Catalogue | None = None,
        flow_catalogue: FlowCatalogue | None = None,
        integrations: IntegrationCatalogue | None = None,
    ) -> None:
        self.profile = profile
        self.secrets = secrets
        self.secrets_problem = secrets_problem
        self.secrets_source = secrets_source
        self.secrets_fix_id = secrets_fix_id
        self.secrets_kept = secrets_kept
        self.test_posting = True  # False: the check "test-posting" sends nothing
        self.max_in_flight = max(1, max_in_flight or profile.sync.concurrency)
        self.retry = replace(retry or DIAGNOSE_RETRY, on_retry=self._heard_retry)
        self.retries: list[Retried] = []  # every refusal waited out, in this context
        self.timeout = timeout
        self.catalogue = catalogue or load_catalogue()
        self.flow_catalogue = flow_catalogue or load_flows()
        self.integrations = integrations or load_integrations()
        self._slots = threading.BoundedSemaphore(self.max_in_flight)
        self._count_lock = threading.Lock()
        self.in_flight = 0
        self.peak_in_flight = 0
        self.requests = 0
        self._client: Client | None = None
        self._client_lock = threading.Lock()
        self._cache: dict[str, Any] = {}
        self._cache_locks: dict[str, threading.Lock] = {}
        self._cache_lock = threading.Lock()

    # -- what was chosen -------------------------------------------------------------------

    @property
    def flows(self) -> tuple[str, ...]:
        return self.profile.mappings.flows or self.flow_catalogue.default

    @property
    def integration(self) -> Integration:
        """The integration the connection is for: the profile's (KeyError names the known), or
        its custom one built from the admin's ticks."""
        return self.integrations.resolve(self.profile.integration, self.profile.custom)

    def applies(self, check_id: str) -> bool:
        """False for a check of the wizard's own sync when another integration is chosen,
        unless that integration depends on the setting the check reads."""
        integration = self.integration
        if integration.is_own or check_id not in OWN_SYNC_CHECKS:
            return True
        return check_id in {setting.check for setting in integration.settings}

    @property
    def posting(self) -> PostingChoices:
        """Where the sync posts (accounts, payments, numbering), as the profile says."""
        return self.profile.posting

    @property
    def top_level(self) -> bool:
        return self.profile.top_level

    def fix(self, fix_id: str) -> Fix:
        return self.catalogue.get(fix_id)

    def match(self, error: BaseException | str, **context: Any) -> Fix:
        situation = set(context.pop("situation", ()))
        context.setdefault("integration", self.profile.integration)
        if self.profile.company_id != self.profile.company_id.strip():
            situation.add("company-id-padded")
        if isinstance(error, GatewayError):
            return self.catalogue.match(
                error, MatchContext(situation=frozenset(situation), **context)
            )
        return self.catalogue.match(
            str(error), MatchContext(situation=frozenset(situation), **context)
        )

    # -- the gateway -----------------------------------------------------------------------

    def credentials(self, entity_id: str | None = None) -> Credentials:
        if self.secrets is None:
            raise MissingSecrets(self.secrets_problem or "The passwords are not available.")
        return gateway_credentials(self.profile, self.secrets, entity_id)

    @property
    def network(self) -> NetworkSettings:
        """The proxy and certificate settings (with the proxy password, when known)."""
        return network_settings(self.profile, self.secrets)

    def new_client(self, entity_id: str | None = None, retry: RetryPolicy | None = None) -> Client:
        """A client of its own (the caller closes it), e.g. to try another entity."""
        return Client(
            self.credentials(entity_id),
            self.profile.endpoint,
            self.timeout,
            retry or self.retry,
            network=self.network,
        )

    @property
    def client(self) -> Client:
        with self._client_lock:
            if self._client is None:
                self._client = self.new_client()
            return self._client

    def close(self) -> None:
        with self._client_lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def __enter__(self) -> CheckContext:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def slot(self) -> _Slot:
        """Hold one of the company's request slots (`with context.slot(): ...`)."""
        return _Slot(self)

    def all_slots(self) -> _AllSlots:
        """Hold every request slot at once (waits for other checks' requests to finish)."""
        return _AllSlots(self)

    def _enter(self) -> None:
        self._slots.acquire()
        with self._count_lock:
            self.in_flight += 1
            self.requests += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)

    def _leave(self) -> None:
        with self._count_lock:
            self.in_flight -= 1
        self._slots.release()

    def _heard_retry(self, retried: Retried) -> None:
        with self._count_lock:
            self.retries.append(retried)
        seen = _RETRIES_SEEN.get()
        if seen is not None:
            seen.append(retried)

    @contextlib.contextmanager
    def retries_seen(self) -> Iterator[list[Retried]]:
        """The refusals waited out by requests made in this thread (and in work handed on
        with `contextvars.copy_context()`) while the block runs."""
        seen: list[Retried] = []
        token = _RETRIES_SEEN.set(seen)
        try:
            yield seen
        finally:
            _RETRIES_SEEN.reset(token)

    def in_threads(self, work: Callable[[A], T], items: Sequence[A], workers: int) -> list[T]:
        """`work(item)` for each item on up to `workers` threads, results in order. The
        refusals they wait out count for the calling check (see `retries_seen`)."""
        with ThreadPoolExecutor(max(1, workers), thread_name_prefix="check-part") as pool:
            futures = [pool.submit(contextvars.copy_context().run, work, i) for i in items]
            return [future.result() for future in futures]

    def sign_in(self) -> SignIn:
        """Sign in once (getAPISession) and remember how it went; every check shares it."""
        return self.cached("sign-in", self._sign_in)

    def _sign_in(self) -> SignIn:
        client = self.client
        try:
            with self.slot():
                session = client.login()
        except GatewayError as error:
            fix = self.match(error)
            owner = fix.verified_by or ""
            if owner not in (*SIGN_IN_CHAIN, "concurrency"):
                owner = _LEVEL_OWNER[error.level]
            log.info("Sign-in failed (%s): %s", fix.id, error)
            return SignIn(None, error, fix, owner)
        return SignIn(session)

    def call(self, function: functions.Function) -> Result:
        with self.slot():
            return self.client.call(function)

    def batch(
        self, calls: Sequence[functions.Function], transaction: bool = False
    ) -> list[Outcome]:
        with self.slot():
            return self.client.batch(calls, transaction)

    def records(
        self, object_name: str, fields: Sequence[str], filter: functions.Filter | None = None
    ) -> tuple[Record, ...]:
        """Every record of a (small, reference) object, read once per diagnosis."""
        key = f"records:{object_name}:{','.join(fields)}:{filter!r}"

        def read() -> tuple[Record, ...]:
            with self.slot():
                reader = self.client.query(object_name, list(fields), filter)
                return tuple(reader)

        return self.cached(key, read)

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """`compute()` once per key (concurrent callers of the same key wait for the first)."""
        with self._cache_lock:
            if key in self._cache:
                value: T = self._cache[key]
                return value
            lock = self._cache_locks.setdefault(key, threading.Lock())
        with lock:
            with self._cache_lock:
                if key in self._cache:
                    found: T = self._cache[key]
                    return found
            result = compute()
            with self._cache_lock:
                self._cache[key] = result
            return result

    def forget_cache(self) -> None:
        """Drop pulled data (and the sign-in outcome) so "Check again" asks Intacct afresh."""
        with self._cache_lock:
            self._cache.clear()
            self._cache_locks.clear()


class _Slot:
    def __init__(self, context: CheckContext) -> None:
        self._context = context
        self.since = 0.0

    def __enter__(self) -> _Slot:
        self._context._enter()
        self.since = time.monotonic()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._context._leave()


class _AllSlots:
    """Every slot, taken one by one: other checks hold at most one each and always give it
    back, so this cannot deadlock."""

    def __init__(self, context: CheckContext) -> None:
        self._context = context
        self._taken = 0

    def __enter__(self) -> int:
        for _ in range(self._context.max_in_flight):
            self._context._slots.acquire()
            self._taken += 1
        with self._context._count_lock:
            self._context.in_flight += self._taken
            self._context.peak_in_flight = max(
                self._context.peak_in_flight, self._context.in_flight
            )
        return self._taken

    def __exit__(self, *exc_info: object) -> None:
        with self._context._count_lock:
            self._context.in_flight -= self._taken
        for _ in range(self._taken):
            self._context._slots.release()
        self._taken = 0
