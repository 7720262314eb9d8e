"""`Client`: signs in, keeps the API session, and calls functions on the gateway.

    with Client(Credentials(...), endpoint=LOGIN_ENDPOINT, timeout=60) as client:
        client.login()                       # getAPISession; later calls use its endpoint
        result = client.call(functions.get_dimensions())
        outcomes = client.batch([...], transaction=True)
        for record in client.read_by_query("CUSTOMER", fields=["CUSTOMERID"]):
            ...

The session is renewed once when Intacct says it is no longer valid (XL03000006 "Invalid
session"); the gateway's "too many operations" refusal is retried with the same backoff as
HTTP 429 and 5xx answers (see `transport.RetryPolicy`) and counted in `busy_refusals`, so a
caller running requests side by side can use fewer at once.

One `Client` may be used from several threads at once (its httpx pool is): they share one
session, signed in once, and renewed once when it lapses, however many calls saw it lapse.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from types import TracebackType

from wizard.gateway import functions as fn
from wizard.gateway.errors import (
    AuthenticationError,
    ControlError,
    ErrorDetail,
    ErrorLevel,
    MalformedResponseError,
    is_session_expired,
    is_too_many_operations,
)
from wizard.gateway.network import NetworkSettings, ProxyChoice
from wizard.gateway.paging import PagedReader
from wizard.gateway.records import Record
from wizard.gateway.request import (
    ControlBlock,
    LoginAuthentication,
    SessionAuthentication,
    build_request,
)
from wizard.gateway.response import (
    DataInfo,
    Response,
    Result,
    Status,
    check_body_start,
    iter_response,
)
from wizard.gateway.transport import Retried, RetryPolicy, Transport, check_endpoint
from wizard.gateway.xmlparse import chunked
from wizard.redaction import remember_secret

log = logging.getLogger("wizard.gateway")

LOGIN_ENDPOINT = "https://api.intacct.com/ia/xml/xmlgw.phtml"


@dataclass(frozen=True, slots=True)
class Credentials:
    """Sender (Web Services) and user credentials; `entity_id` signs in to one entity."""

    sender_id: str
    sender_password: str
    company_id: str
    user_id: str
    user_password: str
    entity_id: str | None = None

    def __post_init__(self) -> None:
        remember_secret(self.sender_password)
        remember_secret(self.user_password)

    def __repr__(self) -> str:
        return (
            f"Credentials(sender_id={self.sender_id!r}, company_id={self.company_id!r}, "
            f"user_id={self.user_id!r}, entity_id={self.entity_id!r})"
        )


@dataclass(frozen=True, slots=True)
class Session:
    session_id: str
    endpoint: str
    entity_id: str
    user_id: str
    company_id: str
    timeout: str = ""  # when Intacct says the session lapses if unused (ISO 8601)

    def __repr__(self) -> str:
        return f"Session(endpoint={self.endpoint!r}, entity_id={self.entity_id!r})"


@dataclass(frozen=True, slots=True)
class Outcome:
    """One function's outcome in a batch, matched to the function by control id."""

    function: fn.Function
    result: Result

    @property
    def control_id(self) -> str:
        return self.function.control_id

    @property
    def ok(self) -> bool:
        return self.result.ok

    @property
    def errors(self) -> tuple[ErrorDetail, ...]:
        return self.result.errors


class Client:
    def __init__(
        self,
        credentials: Credentials,
        endpoint: str = LOGIN_ENDPOINT,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        total_timeout: float | None = None,
        network: NetworkSettings | None = None,
    ) -> None:
        self.credentials = credentials
        self.endpoint = check_endpoint(endpoint)
        self.retry = retry or RetryPolicy()
        self._transport = Transport(
            timeout=timeout, retry=self.retry, total_timeout=total_timeout, network=network
        )
        self._session: Session | None = None
        self._ids = itertools.count(1)
        self._session_lock = threading.Lock()
        self._count_lock = threading.Lock()
        self.requests_sent = 0
        self.busy_refusals = 0  # "too many operations" answers, retried or not

    # -- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def proxy_for(self, url: str | None = None) -> ProxyChoice:
        """The proxy (or none) used to reach `url` (default: the sign-in endpoint), and why."""
        return self._transport.proxy_for(url or self.endpoint)

    # -- session -----------------------------------------------------------------------

    @property
    def session(self) -> Session:
        """The current API session, signing in first if there is none."""
        session = self._session
        if session is not None:
            return session
        with self._session_lock:
            if self._session is None:  # no other thread signed in meanwhile
                return self.login()
            return self._session

    def login(self) -> Session:
        """Sign in with the user credentials and open an API session (getAPISession)."""
        creds = self.credentials
        auth = LoginAuthentication(
            creds.user_id, creds.company_id, creds.user_password, creds.entity_id
        )
        function = fn.get_api_session(control_id="getAPISession")
        response = self._exchange(self.endpoint, auth, [function])
        result = response.results[0].raise_for_status()
        if not result.records:
            raise MalformedResponseError(
                ErrorLevel.TRANSPORT,
                "Intacct opened a session but did not say which one",
                reason="missing-session",
            )
        api = result.records[0]
        session_id = api.get("sessionid", "")
        remember_secret(session_id)
        endpoint = check_endpoint(api.get("endpoint") or self.endpoint)
        authentication = response.authentication
        self._session = Session(
            session_id=session_id,
            endpoint=endpoint,
            entity_id=api.get("locationid", ""),
            user_id=authentication.userid if authentication else creds.user_id,
            company_id=authentication.companyid if authentication else creds.company_id,
            timeout=authentication.sessiontimeout if authentication else "",
        )
        log.info("Signed in to %s; session endpoint %s", creds.company_id, endpoint)
        return self._session

    # -- calls -------------------------------------------------------------------------

    def call(self, function: fn.Function) -> Result:
        """Send one function; its result (success or not) is returned, never raised."""
        return self.execute([function]).results[0]

    def batch(self, functions: Sequence[fn.Function], transaction: bool = False) -> list[Outcome]:
        """Send many functions in one request; one `Outcome` per function, in their order.

        With `transaction=True` they all succeed or none is kept (the others come back
        `aborted`)."""
        response = self.execute(functions, transaction)
        by_id = {r.control_id: r for r in response.results}
        outcomes = []
        for function in functions:
            result = by_id.get(function.control_id)
            if result is None:
                result = Result(
                    Status.FAILURE,
                    function.name,
                    function.control_id,
                    errors=(ErrorDetail("missing", "Intacct returned no result for it"),),
                )
            outcomes.append(Outcome(function, result))
        return outcomes

    def execute(self, functions: Sequence[fn.Function], transaction: bool = False) -> Response:
        """Send functions with the session and return the whole parsed `Response`."""
        generator = self.stream(functions, transaction, keep_records=True)
        while True:
            try:
                next(generator)
            except StopIteration as done:
                response: Response = done.value
                return response

    def stream(
        self,
        functions: Sequence[fn.Function],
        transaction: bool = False,
        keep_records: bool = False,
    ) -> Generator[tuple[int, Record | DataInfo], None, Response]:
        """Like `execute`, but yield (function index, record) while the answer is parsed."""
        if not functions:
            raise ValueError("send at least one function")
        renewed = False
        busy, waited = 0, [0.0]
        while True:
            session = self.session
            try:
                return (
                    yield from self._stream_once(
                        session.endpoint,
                        SessionAuthentication(session.session_id),
                        functions,
                        transaction,
                        keep_records,
                    )
                )
            except AuthenticationError as exc:
                if renewed or not is_session_expired(exc.errors):
                    raise
                log.info("The Intacct session expired; signing in again")
                renewed = True
                with self._session_lock:
                    if self._session is session:  # not renewed by another thread already
                        self._session = None
            except ControlError as exc:
                busy += 1
                self._wait_if_busy(exc, busy, waited)

    def read_by_query(
        self,
        object_name: str,
        query: str = "",
        fields: Sequence[str] | str = "*",
        pagesize: int = fn.READ_BY_QUERY_MAX_PAGE,
    ) -> PagedReader:
        """Every record matching `query`, one page (readByQuery, then readMore) at a time."""
        first = fn.read_by_query(object_name, query, fields, pagesize)
        return PagedReader(self.stream, first, mode="readMore")

    def query(
        self,
        object_name: str,
        select: Sequence[str | tuple[str, str]],
        filter: fn.Filter | None = None,
        orderby: Sequence[tuple[str, bool]] = (),
        pagesize: int = fn.QUERY_MAX_PAGE,
        case_insensitive: bool | None = None,
        show_private: bool | None = None,
    ) -> PagedReader:
        """Every record of a `query`, paged with `offset`."""

        def page(offset: int) -> fn.Function:
            return fn.query(
                object_name,
                select,
                filter,
                orderby,
                case_insensitive,
                show_private,
                pagesize,
                offset,
            )

        return PagedReader(self.stream, page(0), mode="offset", next_page=page)

    # -- internals ---------------------------------------------------------------------

    def _control(self) -> ControlBlock:
        # uniqueid stays false: duplicate protection comes from the caller's function
        # control ids and from never re-sending a write after a CDN timeout or a cut line.
        creds = self.credentials
        return ControlBlock(
            creds.sender_id, creds.sender_password, f"{int(time.time())}-{next(self._ids)}"
        )

    def _wait_if_busy(self, error: ControlError, attempt: int, waited: list[float]) -> None:
        """Back off after "too many operations"; re-raise anything else or when out of tries
        (attempts or total wait, as for HTTP refusals). `waited` holds the seconds so far."""
        policy = self.retry
        if not is_too_many_operations(error.errors):
            raise error
        with self._count_lock:
            self.busy_refusals += 1
        if attempt >= policy.max_attempts:
            raise error
        delay = policy.delay(attempt)
        if waited[0] + delay > policy.max_total_s:
            raise error
        log.info("Intacct is busy (too many operations); retrying in %.1f s", delay)
        policy.on_retry(Retried("too-many-operations", error.summary, None, delay))
        policy.sleep(delay)
        waited[0] += delay

    def _exchange(
        self,
        endpoint: str,
        auth: LoginAuthentication | SessionAuthentication,
        functions: Sequence[fn.Function],
    ) -> Response:
        busy, waited = 0, [0.0]
        while True:
            generator = self._stream_once(endpoint, auth, functions, False, True)
            try:
                while True:
                    next(generator)
            except StopIteration as done:
                response: Response = done.value
                return response
            except ControlError as exc:
                busy += 1
                self._wait_if_busy(exc, busy, waited)

    def _stream_once(
        self,
        endpoint: str,
        auth: LoginAuthentication | SessionAuthentication,
        functions: Sequence[fn.Function],
        transaction: bool,
        keep_records: bool,
    ) -> Generator[tuple[int, Record | DataInfo], None, Response]:
        writes = any(f.writes for f in functions)
        body = build_request(self._control(), auth, functions, transaction)
        answer = self._transport.post(endpoint, body, writes=writes)
        with self._count_lock:
            self.requests_sent += answer.attempts
        check_body_start(answer.body, answer.status)
        return (
            yield from iter_response(chunked(answer.body), answer.status, keep_records=keep_records)
        )
