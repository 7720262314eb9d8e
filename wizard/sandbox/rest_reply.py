"""Writing REST answers: the JSON envelope variants of reference intacct-rest-api.md §4.1."""

from __future__ import annotations

import json
import secrets
import string
from dataclasses import dataclass, field
from typing import Any

from wizard.sandbox.rest_data import RestErrorSpec

JSON_TYPE = "application/json"
HTML_TYPE = "text/html; charset=UTF-8"

_PAGE = """<!DOCTYPE html>
<html lang="en-US"><head><title>Error {status}: {title}</title></head>
<body><h1>{title}</h1><p>Ray ID: 0000000000000000 &bull; sandbox</p></body></html>
"""


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)
    records: int = 0  # rows in the answer, for the sandbox's latency model


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, values: dict[str, object]) -> str:
    return string.Formatter().vformat(text, (), _Blank({k: str(v) for k, v in values.items()}))


def support_id() -> str:
    # Same form as Sage's samples: URL-encoded, "%7E" for "~" (§4.1).
    return secrets.token_urlsafe(18).replace("-", "A").replace("_", "B") + "%7EsbxAAAAo"


def dumps(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def error_object(spec: RestErrorSpec, values: dict[str, object]) -> dict[str, Any]:
    error: dict[str, Any] = {"code": spec.code, "message": fill(spec.message, values)}
    if spec.error_id:
        error["errorId"] = spec.error_id
    if spec.message_id:
        error["additionalInfo"] = {
            "messageId": spec.message_id,
            "placeholders": {},
            "propertySet": {},
        }
    if spec.detail_code or spec.detail_message:
        detail: dict[str, Any] = {
            "code": spec.detail_code,
            "message": fill(spec.detail_message, values),
        }
        if spec.detail_error_id:
            detail["errorId"] = spec.detail_error_id
        if "target" in values:
            detail["target"] = str(values["target"])
        error["details"] = [detail]
    if spec.code.startswith("GW-"):
        # Gateway errors carry a request id object instead of a support id (§2.5 sample).
        error["details"] = {"requestId": "AC47C2BE:D9EE_" + secrets.token_hex(4).upper()}
    else:
        error["supportId"] = support_id()
    return error


def error_reply(
    spec: RestErrorSpec,
    values: dict[str, object] | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    values = values or {}
    if spec.shape == "html":
        page = _PAGE.format(status=spec.status, title=spec.message)
        return Reply(spec.status, page.encode(), HTML_TYPE, headers or {})
    error = error_object(spec, values)
    meta = {"totalCount": 1, "totalSuccess": 0, "totalError": 1}
    if spec.shape == "plain":
        body: dict[str, Any] = {"error": error}
    elif spec.shape == "result":
        body = {"ia::result": {"ia::error": error}, "ia::meta": meta}
    else:
        body = {"ia::error": error, "ia::meta": meta}
    return Reply(spec.status, dumps(body), JSON_TYPE, headers or {})


def result_reply(status: int, result: object, meta: dict[str, Any] | None = None) -> Reply:
    if meta is None:
        count = len(result) if isinstance(result, list) else 1
        meta = {"totalCount": count, "totalSuccess": count, "totalError": 0}
    records = len(result) if isinstance(result, list) else 1
    return Reply(status, dumps({"ia::result": result, "ia::meta": meta}), records=records)
