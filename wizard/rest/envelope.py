"""Parsing REST answers: the `ia::result` / `ia::meta` / `ia::error` envelope in every variant.

Intacct's answers come in several shapes (reference intacct-rest-api.md §4.1), and a client
must accept each: `ia::error` inside `ia::result` (the OpenAPI example), `ia::error` at the top
(the error-handling guide), a plain `error` object (token problems), RFC 6749 `error` strings
(not seen from Intacct, accepted anyway), per-item `ia::status` / `ia::error` in bulk answers,
and non-JSON pages (an HTML 404). `parse_envelope` never raises on a bad body: what Intacct
said, or that it said nothing usable, ends up in `Envelope.errors`.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from wizard.gateway.errors import ErrorDetail

# Far above any page Intacct sends (4000 rows); protects memory from a runaway answer.
MAX_BODY_BYTES = 64 * 1024 * 1024
# Nesting deeper than this is not an Intacct answer (orjson's own limit is 1024).
_MAX_DEPTH = 64

NOT_JSON = "not-json"
EMPTY = "empty"
NOT_AN_ENVELOPE = "not-an-envelope"


@dataclass(frozen=True, slots=True)
class Meta:
    """`ia::meta`: counts and paging. Counts may arrive as strings ("15"); they are read as ints."""

    total_count: int | None = None
    total_success: int | None = None
    total_error: int | None = None
    start: int | None = None
    page_size: int | None = None
    next: int | None = None
    previous: int | None = None


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    """One record of a bulk call (array body), matched to the request by position."""

    index: int
    status: int
    result: Mapping[str, Any] | None = None
    errors: tuple[ErrorDetail, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors and 200 <= self.status < 300

    @property
    def key(self) -> str:
        value = (self.result or {}).get("key")
        return value if isinstance(value, str) else str(value) if value is not None else ""


@dataclass(frozen=True, slots=True)
class Envelope:
    """One parsed REST answer."""

    http_status: int
    result: Any = None
    meta: Meta = field(default_factory=Meta)
    errors: tuple[ErrorDetail, ...] = ()
    items: tuple[ItemOutcome, ...] = ()
    # Why the body was unusable ("not-json", "empty", "not-an-envelope"); empty when it parsed.
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.problem and 200 <= self.http_status < 300

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(e.errorno for e in self.errors)


def _text(value: object) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return ""


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _support_id(value: object) -> str:
    return urllib.parse.unquote(_text(value))


def error_details(error: object) -> tuple[ErrorDetail, ...]:
    """An `ia::error` (or `error`) object as details, most specific first.

    `details` may be an array of errors (business and field errors: listed first) or, from
    the gateway, an object holding a `requestId` (kept as the support reference)."""
    if isinstance(error, str):  # RFC 6749 style {"error": "invalid_grant"}: not seen from Intacct
        return (ErrorDetail(error.strip()),) if error.strip() else ()
    if not isinstance(error, Mapping):
        return ()
    support = _support_id(error.get("supportId"))
    raw_details = error.get("details")
    specific: list[ErrorDetail] = []
    if isinstance(raw_details, list):
        for item in raw_details:
            if isinstance(item, Mapping):
                specific.append(
                    ErrorDetail(
                        errorno=_text(item.get("code")),
                        description=_text(item.get("message")),
                        correction=_text(item.get("correction")),
                        support_id=_support_id(item.get("supportId")) or support,
                        error_id=_text(item.get("errorId")),
                    )
                )
    elif isinstance(raw_details, Mapping) and not support:
        support = _text(raw_details.get("requestId"))
    top = ErrorDetail(
        errorno=_text(error.get("code")),
        description=_text(error.get("message")) or _text(error.get("error_description")),
        correction=_text(error.get("correction")),
        support_id=support,
        error_id=_text(error.get("errorId")),
    )
    if not (top.errorno or top.description or top.error_id):
        return tuple(specific)
    return (*specific, top)


def _meta(value: object) -> Meta:
    if not isinstance(value, Mapping):
        return Meta()
    return Meta(
        total_count=_int(value.get("totalCount")),
        total_success=_int(value.get("totalSuccess")),
        total_error=_int(value.get("totalError")),
        start=_int(value.get("start")),
        page_size=_int(value.get("pageSize")),
        next=_int(value.get("next")),
        previous=_int(value.get("previous")),
    )


def _items(result: list[Any], http_status: int) -> tuple[ItemOutcome, ...]:
    outcomes = []
    for index, item in enumerate(result):
        if not isinstance(item, Mapping):
            outcomes.append(ItemOutcome(index, http_status))
            continue
        errors = error_details(item.get("ia::error"))
        status = _int(item.get("ia::status"))
        if status is None:
            status = 400 if errors else http_status if http_status < 300 else 200
        inner = item.get("ia::result", item)
        body = inner if isinstance(inner, Mapping) else None
        if body is item:
            body = {k: v for k, v in item.items() if not k.startswith("ia::")} or None
        outcomes.append(ItemOutcome(index, status, body, errors))
    return tuple(outcomes)


def _too_deep(value: object, depth: int = 0) -> bool:
    if depth > _MAX_DEPTH:
        return True
    if isinstance(value, Mapping):
        return any(_too_deep(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(_too_deep(v, depth + 1) for v in value)
    return False


def _unusable(http_status: int, problem: str, summary: str) -> Envelope:
    code = f"HTTP {http_status}" if http_status >= 400 else ""
    return Envelope(http_status, errors=(ErrorDetail(code, summary),), problem=problem)


def parse_envelope(http_status: int, body: bytes) -> Envelope:
    """The answer's result, paging, errors and per-item outcomes; never raises on bad input."""
    if not body.strip():
        if http_status in (202, 204):  # "a successful DELETE always returns 204"
            return Envelope(http_status)
        return _unusable(http_status, EMPTY, f"Intacct sent an empty answer (HTTP {http_status})")
    if len(body) > MAX_BODY_BYTES:
        return _unusable(http_status, NOT_AN_ENVELOPE, "Intacct's answer is too large to read")
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        looks_html = body.lstrip()[:15].lower().startswith((b"<!doctype", b"<html"))
        kind = "a web page" if looks_html else "something that is not JSON"
        return _unusable(
            http_status, NOT_JSON, f"Intacct answered with {kind} (HTTP {http_status})"
        )
    if not isinstance(data, Mapping) or _too_deep(data):
        return _unusable(
            http_status,
            NOT_AN_ENVELOPE,
            f"Intacct's answer is not in the REST API's format (HTTP {http_status})",
        )
    result = data.get("ia::result")
    errors = error_details(data.get("ia::error"))
    if isinstance(result, Mapping) and "ia::error" in result:
        errors = error_details(result.get("ia::error")) + errors
        result = None
    if not errors and "error" in data:
        errors = error_details(data.get("error"))
        if not errors and isinstance(data.get("error_description"), str):
            errors = (ErrorDetail("", _text(data.get("error_description"))),)
    items = _items(result, http_status) if isinstance(result, list) else ()
    meta_source = data.get("ia::meta")
    if meta_source is None and isinstance(result, Mapping):
        meta_source = result.get("ia::meta")  # where the OpenAPI schema (not its example) puts it
    meta = _meta(meta_source)
    if http_status >= 400 and not errors:
        errors = (ErrorDetail(f"HTTP {http_status}", "Intacct refused the request"),)
    if "ia::result" not in data and not errors and not _is_token(data):
        return _unusable(
            http_status,
            NOT_AN_ENVELOPE,
            f"Intacct's answer is not in the REST API's format (HTTP {http_status})",
        )
    return Envelope(http_status, result, meta, errors, items)


def _is_token(data: Mapping[str, Any]) -> bool:
    return "access_token" in data


def parse_json_object(body: bytes) -> Mapping[str, Any] | None:
    """The body as a JSON object, or None (token answers have no `ia::` envelope)."""
    if not body.strip() or len(body) > MAX_BODY_BYTES:
        return None
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    return data if isinstance(data, Mapping) else None
