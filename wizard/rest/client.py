"""`RestClient`: OAuth tokens, the entity header, objects, the query service and bulk calls.

    app = App(client_id, client_secret)
    with RestClient(app, user=ClientCredentialsUser("WS_USER", "ACME"), entity_id="US") as rest:
        for row in rest.query("general-ledger/account", ["id", "name", "status"]):
            ...
        ref = rest.create("company-config/department", {"id": "D9", "name": "Ops"})
        outcomes = rest.create_many("company-config/class", [{...}, {...}])

Tokens: signs in on first use (client credentials, or the saved refresh token), renews a
token `REFRESH_MARGIN_S` before it ends, and renews once more if Intacct still calls it
invalid. A refresh token Intacct refuses raises `SignInRequired`. Every new token is handed to
`on_token` so the caller can keep the (possibly rotated) refresh token.

Retries: HTTP 429 and 5xx with `Retry-After` (or Intacct's `X-IA-…-Retry-After` headers),
and broken connections, per `RetryPolicy`. A write is retried only when it carries an
`Idempotency-Key` (every create/update this client sends does) or on 429, which Intacct sends
before doing any work.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import orjson

from wizard.gateway.errors import ErrorDetail, ErrorLevel
from wizard.gateway.network import NetworkSettings
from wizard.gateway.transport import RetryPolicy, check_endpoint
from wizard.rest import oauth
from wizard.rest.bodies import (
    QUERY_MAX_SIZE,
    allowed_operations_body,
    query_body,
    without_blank_refs,
)
from wizard.rest.envelope import (
    Envelope,
    ItemOutcome,
    parse_envelope,
    parse_json_object,
)
from wizard.rest.errors import RestError, SignInRequired, TokenError
from wizard.rest.transport import RestTransport

log = logging.getLogger("wizard.rest")

ENTITY_HEADER = "X-IA-API-Param-Entity"  # live-verified spelling (reference §1.3)
TRANSACTION_HEADER = "X-IA-API-Param-Transaction"
QUERY_PATH = "/services/core/query"
ALLOWED_OPERATIONS_PATH = "/services/core/allowed-operations/list"
DIMENSIONS_PATH = "/services/company-config/dimensions/list"
BULK_MAX = 500
# Answers that mean "this access token is no longer good" (reference §2.5, §4.3).
_TOKEN_CODES = {"tokeninvalid", "gw-0031", "gw-0034"}
# Token-endpoint refusals of the app, the tenant or the request itself (§2.5), not of a token.
_CLIENT_REFUSALS = frozenset(
    {
        "GW-0011",
        "GW-0012",
        "GW-0032",
        "GW-0033",
        "GW-0035",
        "GW-0036",
        "GW-0037",
        "GW-0038",
        "GW-0039",
        "GW-0042",
    }
)
_TOKEN_TEXTS = ("invalid token", "the token is not valid", "token is not valid")


@dataclass(frozen=True, slots=True)
class ClientCredentialsUser:
    """The Web Services user the client-credentials grant signs in as."""

    user_id: str
    company_id: str


def is_token_rejection(envelope: Envelope) -> bool:
    """True when Intacct refused the access token itself (expired, revoked, malformed)."""
    if envelope.http_status not in (400, 401):
        return False
    for error in envelope.errors:
        if error.errorno.lower() in _TOKEN_CODES or error.error_id.upper() == "REST-2102":
            return True
        if any(text in error.message.lower() for text in _TOKEN_TEXTS):
            return True
    return envelope.http_status == 401


class RestClient:
    def __init__(
        self,
        app: oauth.App,
        *,
        base_url: str = oauth.API_BASE,
        user: ClientCredentialsUser | None = None,
        token: oauth.Token | None = None,
        entity_id: str | None = None,
        on_token: Callable[[oauth.Token], None] | None = None,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        clock: Callable[[], float] = time.time,
        entity_header: str = ENTITY_HEADER,
        network: NetworkSettings | None = None,
        transaction_header: str = TRANSACTION_HEADER,
    ) -> None:
        self.app = app
        self.base_url = check_endpoint(base_url.rstrip("/"))
        self.user = user
        self.entity_id = entity_id or None
        self.on_token = on_token
        self.clock = clock
        self.entity_header = entity_header
        self.transaction_header = transaction_header
        self._token = token
        self.tokens_issued = 0
        self._transport = RestTransport(timeout, retry, network)

    # -- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> RestClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def requests_sent(self) -> int:
        """HTTP requests sent, retries included."""
        return self._transport.requests_sent

    # -- tokens ------------------------------------------------------------------------

    @property
    def token(self) -> oauth.Token | None:
        return self._token

    def use_token(self, token: oauth.Token | None) -> None:
        """Start from this token (another client's, for the same user and company)."""
        self._token = token

    def sign_in(self) -> oauth.Token:
        """A new token: from the refresh token if there is one, else client credentials."""
        if self._token is not None and self._token.refresh_token:
            return self._refresh(self._token.refresh_token)
        if self.user is None:
            raise SignInRequired(
                ErrorLevel.AUTHENTICATION,
                "Sign in with Sage Intacct again: there is no saved sign-in for this connection",
                reason="no-sign-in",
            )
        form = oauth.client_credentials_form(self.app, self.user.user_id, self.user.company_id)
        return self._fetch_token(form, refreshing=False)

    def exchange_code(self, code: str, request: oauth.AuthorizationRequest) -> oauth.Token:
        """Trade the pasted authorization code (with its PKCE verifier) for tokens."""
        form = oauth.authorization_code_form(self.app, code, request.pkce, request.redirect_uri)
        return self._fetch_token(form, refreshing=False)

    def open_sign_in_page(self, request: oauth.AuthorizationRequest) -> tuple[bool, Envelope]:
        """Ask for Sage's sign-in page (signs nobody in): (a page was shown, the answer).

        A refused request (unknown client, redirect address not registered) answers with an
        error instead of the page."""
        status, body, headers = self._transport.send("GET", request.url, writes=False)
        page = status == 200 and "html" in headers.get("content-type", "").lower()
        return page, (Envelope(status) if page else parse_envelope(status, body))

    def _refresh(self, refresh_token: str) -> oauth.Token:
        return self._fetch_token(oauth.refresh_form(self.app, refresh_token), refreshing=True)

    def _fetch_token(self, form: dict[str, str], refreshing: bool) -> oauth.Token:
        url = self.base_url + oauth.TOKEN_PATH
        status, body, _ = self._transport.send("POST", url, form=form, writes=False)
        now = self.clock()
        data = parse_json_object(body) if status < 300 else None
        token = oauth.token_from(data, now, form.get("refresh_token", "")) if data else None
        if token is None:
            envelope = parse_envelope(status, body)
            errors = envelope.errors or (ErrorDetail("", "Intacct issued no access token"),)
            # A refused refresh token means "sign in again"; a refused app, tenant or request
            # (GW-0011 and the other token-request codes, §2.5) does not, whatever the grant.
            stale = refreshing and not any(e.errorno.upper() in _CLIENT_REFUSALS for e in errors)
            kind = SignInRequired if stale else TokenError
            summary = (
                "Sage Intacct no longer accepts the saved sign-in; sign in again"
                if stale
                else "Sage Intacct did not issue an access token"
            )
            raise kind(ErrorLevel.AUTHENTICATION, summary, errors, status, "token-refused")
        self._token = token
        self.tokens_issued += 1
        log.info("Intacct issued an access token (%s)", form["grant_type"])
        if self.on_token is not None:
            self.on_token(token)
        return token

    def _access_token(self) -> str:
        token = self._token
        if token is None or token.expires_within(oauth.REFRESH_MARGIN_S, self.clock()):
            token = self.sign_in()
        return token.access_token

    # -- calls -------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        body: object = None,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        entity: bool = True,
        multi_status: bool = False,
    ) -> Envelope:
        """One API call; raises `RestError` unless it succeeded (or `multi_status` and 207)."""
        writes = (
            method in ("POST", "PATCH", "DELETE")
            and path != QUERY_PATH
            and not (path.startswith("/services/core/"))
        )
        extra = dict(headers or {})
        if entity and self.entity_id:
            extra[self.entity_header] = self.entity_id
        content = orjson.dumps(body) if body is not None else None
        if content is not None:
            extra["Content-Type"] = "application/json"
        renewed = False
        while True:
            extra["Authorization"] = f"Bearer {self._access_token()}"
            status, raw, _ = self._transport.send(
                method,
                self.base_url + path,
                content=content,
                headers=extra,
                params=params,
                writes=writes and "Idempotency-Key" not in extra,
            )
            envelope = parse_envelope(status, raw)
            if not renewed and is_token_rejection(envelope):
                log.info("Intacct refused the access token; getting a new one")
                renewed = True
                self._token = self._token and oauth.Token(
                    self._token.access_token, 0.0, self._token.refresh_token
                )
                continue
            if envelope.ok or (multi_status and envelope.items and status in (200, 207)):
                return envelope
            raise RestError(
                ErrorLevel.RESULT if status in (403, 404, 409, 422) else ErrorLevel.CONTROL,
                _summary(method, path, status),
                envelope.errors,
                status,
                envelope.problem or ("token-refused" if is_token_rejection(envelope) else ""),
            )

    def get(self, object_name: str, key: str) -> Mapping[str, Any]:
        result = self.request("GET", f"/objects/{object_name}/{key}").result
        return result if isinstance(result, Mapping) else {}

    def create(self, object_name: str, record: Mapping[str, Any]) -> Mapping[str, Any]:
        """Create one record; returns its reference (`key`, `id`, `href`)."""
        envelope = self.request(
            "POST", f"/objects/{object_name}", without_blank_refs(record), headers=_idempotent()
        )
        return envelope.result if isinstance(envelope.result, Mapping) else {}

    def update(self, object_name: str, key: str, changes: Mapping[str, Any]) -> Mapping[str, Any]:
        envelope = self.request(
            "PATCH",
            f"/objects/{object_name}/{key}",
            without_blank_refs(changes),
            headers=_idempotent(),
        )
        return envelope.result if isinstance(envelope.result, Mapping) else {}

    def delete(self, object_name: str, key: str) -> None:
        self.request("DELETE", f"/objects/{object_name}/{key}")

    def create_many(
        self, object_name: str, records: Sequence[Mapping[str, Any]], atomic: bool = False
    ) -> tuple[ItemOutcome, ...]:
        return self._bulk("POST", object_name, records, atomic)

    def update_many(
        self, object_name: str, records: Sequence[Mapping[str, Any]], atomic: bool = False
    ) -> tuple[ItemOutcome, ...]:
        """PATCH several records; each carries its `key` in the body."""
        return self._bulk("PATCH", object_name, records, atomic)

    def _bulk(
        self, method: str, object_name: str, records: Sequence[Mapping[str, Any]], atomic: bool
    ) -> tuple[ItemOutcome, ...]:
        if not 1 <= len(records) <= BULK_MAX:
            raise ValueError(f"Send 1 to {BULK_MAX} records at a time.")
        headers = _idempotent()
        if atomic:
            headers[self.transaction_header] = "true"
        try:
            envelope = self.request(
                method,
                f"/objects/{object_name}",
                list(records),
                headers=headers,
                multi_status=True,
            )
        except RestError as failed:
            if failed.http_status in (None, 401) or failed.reason == "token-refused":
                raise
            # One error for the whole batch: every record shares it.
            status = failed.http_status or 400
            return tuple(ItemOutcome(i, status, None, failed.errors) for i in range(len(records)))
        if len(envelope.items) != len(records):
            raise RestError(
                ErrorLevel.TRANSPORT,
                f"Intacct answered {len(envelope.items)} results for {len(records)} records",
                http_status=envelope.http_status,
                reason="item-count",
            )
        return envelope.items

    def query(
        self,
        object_name: str,
        fields: Sequence[str],
        filters: Sequence[Mapping[str, Any]] = (),
        filter_expression: str = "",
        filter_parameters: Mapping[str, Any] | None = None,
        order_by: Sequence[Mapping[str, str]] = (),
        size: int = 1000,
        limit: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every row of a query-service query (or the first `limit`), following
        `ia::meta.next` page by page."""
        body = query_body(
            object_name, fields, filters, filter_expression, filter_parameters, order_by
        )
        size = max(1, min(size, QUERY_MAX_SIZE, limit or QUERY_MAX_SIZE))
        start: int | None = 1
        seen = 0
        while start is not None:
            envelope = self.request("POST", QUERY_PATH, {**body, "start": start, "size": size})
            rows = envelope.result if isinstance(envelope.result, list) else []
            for row in rows:
                if isinstance(row, Mapping):
                    yield dict(row)
                    seen += 1
                    if limit is not None and seen >= limit:
                        return
            following = envelope.meta.next
            if following is not None and (following <= start or not rows):
                raise RestError(
                    ErrorLevel.TRANSPORT,
                    "Intacct's query paging went backwards; the read was stopped",
                    http_status=envelope.http_status,
                    reason="bad-paging",
                )
            start = following

    def count(self, object_name: str, filters: Sequence[Mapping[str, Any]] = ()) -> int:
        """How many records match (query with size 1, read `ia::meta.totalCount`)."""
        body = query_body(object_name, ["key"], filters, size=1)
        return self.request("POST", QUERY_PATH, body).meta.total_count or 0

    def allowed_operations(
        self, object_name: str, keys: Sequence[str], operations: Sequence[str]
    ) -> dict[str, frozenset[str]]:
        """Per record key, which of `operations` (canView, canEdit, canDelete…) the user may do."""
        body = allowed_operations_body(object_name, keys, operations)
        envelope = self.request("POST", ALLOWED_OPERATIONS_PATH, body)
        allowed: dict[str, frozenset[str]] = {}
        for row in envelope.result if isinstance(envelope.result, list) else []:
            if isinstance(row, Mapping) and isinstance(row.get("key"), str):
                ops = row.get("operations")
                allowed[row["key"]] = frozenset(
                    o for o in (ops if isinstance(ops, list) else []) if isinstance(o, str)
                )
        return allowed

    def dimensions(self) -> list[Mapping[str, Any]]:
        result = self.request("GET", DIMENSIONS_PATH).result
        return [r for r in result if isinstance(r, Mapping)] if isinstance(result, list) else []

    # -- HTTP --------------------------------------------------------------------------


def _idempotent() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def _summary(method: str, path: str, status: int) -> str:
    what = {
        400: "Intacct refused the request",
        401: "Intacct did not accept the sign-in",
        403: "The Web Services user is not allowed to do this",
        404: "Intacct has no such record or service",
        409: "Intacct refused a duplicate request",
        422: "Intacct refused the change (a business rule)",
    }.get(status, "Intacct could not do it")
    return f"{what} ({method} {path}, HTTP {status})"
