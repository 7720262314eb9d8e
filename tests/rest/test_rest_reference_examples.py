"""Every example body in the REST reference goes through the client with the expected outcome.

The examples are read at test time from reference/intacct-rest-api.md (never copied here):
each ```json block (split at its `//` comment lines) and each inline `{…}` / `[…]` span that
is valid JSON. Each must match exactly one row of EXPECTED, and each row one example, so an
example added to the reference fails here until someone says what the client must make of it.
Spans that are not JSON (schematic, like `{key,id,href}`) are not bodies and are counted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from wizard.rest.bodies import allowed_operations_body, query_body, without_blank_refs
from wizard.rest.client import is_token_rejection
from wizard.rest.envelope import NOT_AN_ENVELOPE, Envelope, parse_envelope
from wizard.rest.oauth import DEFAULT_LIFETIME_S, token_from

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "intacct-rest-api.md"


def _examples(text: str) -> tuple[list[str], int]:
    found: list[str] = []
    for block in re.finditer(r"```json\n(.*?)```", text, re.S):
        for part in re.split(r"^//.*$", block.group(1), flags=re.M):
            if part.strip():
                found.append(part.strip())
    schematic = 0
    for span in re.finditer(r"`(\{[^`]*\}|\[[^`]*\])`", text):
        try:
            json.loads(span.group(1))
        except ValueError:
            schematic += 1
            continue
        found.append(span.group(1))
    return found, schematic


def _parse(status: int, example: str) -> Envelope:
    return parse_envelope(status, example.encode())


def _ok(status: int = 200, **expected: Any) -> Callable[[str], None]:
    def check(example: str) -> None:
        envelope = _parse(status, example)
        assert envelope.ok, envelope.errors
        for name, value in expected.items():
            assert getattr(envelope.meta, name) == value, name

    return check


def _refused(status: int, codes: tuple[str, ...], **detail: str) -> Callable[[str], None]:
    def check(example: str) -> None:
        envelope = _parse(status, example)
        assert not envelope.ok
        assert envelope.codes == codes
        top = envelope.errors[-1]
        for name, value in detail.items():
            assert getattr(top, name) == value, name

    return check


def _error_object(status: int, codes: tuple[str, ...]) -> Callable[[str], None]:
    """A bare error object: as Intacct wraps it in an envelope, and as one bulk item."""

    def check(example: str) -> None:
        error = json.loads(example)
        whole = _parse(status, json.dumps({"ia::error": error}))
        assert whole.codes == codes
        item = _parse(207, json.dumps({"ia::result": [{"ia::error": error, "ia::status": status}]}))
        assert not item.items[0].ok and item.items[0].status == status
        assert tuple(e.errorno for e in item.items[0].errors) == codes

    return check


def _field_error(example: str) -> None:
    detail = json.loads(example)
    body = {
        "ia::error": {
            "code": "invalidRequest",
            "message": "Payload contains errors",
            "errorId": "REST-1064",
            "details": [detail],
        }
    }
    envelope = _parse(400, json.dumps(body))
    assert envelope.errors[0].errorno == "invalidRequest"
    assert envelope.errors[0].error_id == "REST-1043"
    assert "/newDate" in envelope.errors[0].description
    assert envelope.errors[1].error_id == "REST-1064"


def _record(example: str) -> None:
    envelope = _parse(200, json.dumps({"ia::result": json.loads(example)}))
    assert envelope.ok and isinstance(envelope.result, dict)


def _token(example: str) -> None:
    token = token_from(orjson.loads(example), now=1000.0)
    assert token is not None
    assert token.expires_at == 1000.0 + 21600 and token.refresh_token == "<opaque>"
    assert DEFAULT_LIFETIME_S == 21600


def _token_rejected(example: str) -> None:
    envelope = _parse(401, example)
    assert envelope.codes == ("tokenInvalid",)
    assert envelope.errors[0].error_id == "REST-2102"
    assert is_token_rejection(envelope)
    assert is_token_rejection(_parse(400, example))  # FYLE-SDK saw 400 for this too


def _query_request(example: str) -> None:
    sent = json.loads(example)
    built = query_body(
        sent["object"],
        sent["fields"],
        sent["filters"],
        sent["filterExpression"],
        sent["filterParameters"],
        sent["orderBy"],
        sent["start"],
        sent["size"],
    )
    assert built == sent


def _filter(example: str) -> None:
    condition = json.loads(example)
    assert query_body("x/y", ["key"], [condition])["filters"] == [condition]


def _allowed_request(example: str) -> None:
    sent = json.loads(example)
    built = allowed_operations_body(
        sent["object"], sent["keys"], sent["operations"], sent["options"]["includePrivate"]
    )
    assert built == sent


def _blank_ref(example: str) -> None:
    assert without_blank_refs({"name": "A", "term": json.loads(example)}) == {"name": "A"}


def _not_a_response(example: str) -> None:
    """A request the wizard never sends (bulk jobs): not mistaken for an answer."""
    envelope = _parse(200, example)
    assert not envelope.ok and envelope.problem == NOT_AN_ENVELOPE


EXPECTED: list[tuple[str, Callable[[str], None]]] = [
    ('"token_type": "Bearer"', _token),
    ('"errorId": "REST-2102"', _token_rejected),
    ('"sessionId": "Qw8RmZ3T', _ok(total_count=1)),
    ('"dimensionName": "CHANNEL"', _ok(total_count=15, total_error=0)),
    ('"filterExpression": "1 and 2"', _query_request),
    ('"Vend-00002"', _ok(total_count=2, next=None, page_size=100)),
    ('"idempotenceSupported": true', _ok(total_count=1)),
    (
        "REST-1028",
        _refused(
            400,
            ("invalidRequest",),
            error_id="REST-1028",
            support_id="Kxi78~ZuyXBDEGVHD2UmO1phYXDQAAAAo",
        ),
    ),
    (
        "Version is not supported",
        _refused(400, ("invalidRequest",), support_id="63avN~YPhcEDEPVpw1ywI1oV0iNQAAAAw"),
    ),
    ('{"ia::error": {"code": "GW-0010"}}', _refused(429, ("GW-0010",))),
    ('"GW-0011"', _refused(400, ("GW-0011",), support_id="AC47C2BE:D9EE_63EBC07F.59")),
    ('"id":"2091"', _ok(201, total_success=1)),
    ('{"id": ""}', _blank_ref),
    ('"keys": ["1","6","65"]', _allowed_request),
    ('"objectName": "vendor"', _not_a_response),
    ('"jobId": "950bf10d', _ok(200)),
    ('"state": "queued"', _ok(202)),
    ('"errorId": "REST-1043"', _field_error),
    ("HQemployee", _refused(422, ("BL01001973", "operationFailed"))),
    ("Asynchronous job", _error_object(404, ("notFound",))),
    ('"code": "unprocessed"', _error_object(422, ("unprocessed",))),
    ('"switchToMyAccounting"', _record),
    ('{"$eq": {"id": "<login>"}}', _filter),
    ('{"$gte": {"audit.modifiedDateTime"', _filter),
    ('"id": "103:9"', _record),
]


@pytest.fixture(scope="module")
def examples() -> tuple[list[str], int]:
    if not REFERENCE.is_file():
        pytest.skip(f"the REST reference is not here ({REFERENCE}); nothing to check against")
    return _examples(REFERENCE.read_text(encoding="utf-8"))


def test_every_example_has_exactly_one_expected_outcome(examples: tuple[list[str], int]) -> None:
    found, schematic = examples
    assert found, "no JSON example found: has the reference's format changed?"
    for example in found:
        rows = [key for key, _ in EXPECTED if key in example]
        assert len(rows) == 1, (rows, example[:120])
    for key, _ in EXPECTED:
        assert sum(key in e for e in found) == 1, f"no single example holds {key!r}"
    assert schematic > 0  # e.g. {key,id,href}: described shapes, not bodies


@pytest.mark.parametrize("key", [key for key, _ in EXPECTED])
def test_example_goes_through_the_client_as_expected(
    key: str, examples: tuple[list[str], int]
) -> None:
    example = next(e for e in examples[0] if key in e)
    check = dict(EXPECTED)[key]
    check(example)
