"""Every gateway answer in the conformance corpus gives the outcome its index says.

Driven by intacct-sdk-php/index.tsv (every `response` row, including rows the folder gains
later) and by a table for jfcote87-intacct/*.xml (which has no index), so a change in the
parser that misreads any real-world answer fails here.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from pathlib import Path

import pytest
from gateway_loopback import Step, loopback

from wizard.gateway import functions as fn
from wizard.gateway.errors import (
    AuthenticationError,
    ControlError,
    ErrorDetail,
    GatewayError,
    MalformedResponseError,
    ResultError,
    TransportError,
)
from wizard.gateway.request import ControlBlock, SessionAuthentication, build_request
from wizard.gateway.response import Expect, Response, Status, parse_errormessage, parse_response
from wizard.gateway.transport import RetryPolicy, Transport

SDK = "intacct-sdk-php"
CHECKOUT_PARENT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Row:
    file: str
    statuses: tuple[int, ...]
    label: str
    items: dict[str, str]

    @property
    def errornos(self) -> list[str]:
        value = self.items.get("errorno", "").split(" (present in body")[0]
        return [v for v in value.split("|") if v]

    @property
    def expect(self) -> Expect:
        parsed_as = self.items.get("parsed-as", "")
        if parsed_as.startswith("OfflineResponse"):
            return Expect.OFFLINE
        if parsed_as.startswith("AbstractResponse"):
            return Expect.CONTROL
        return Expect.ONLINE


def parse_expected(text: str) -> tuple[str, dict[str, str]]:
    parts = text.split("; ")
    items: dict[str, str] = {}
    for index, part in enumerate(parts[1:], start=1):
        if part.startswith("message="):
            items["message"] = "; ".join(parts[index:])[len("message=") :]
            break
        key, _, value = part.partition("=")
        items[key] = value
    return parts[0], items


def sdk_rows() -> list[Row]:
    index = CHECKOUT_PARENT / "shared" / "conformance" / SDK / "index.tsv"
    if not index.is_file():
        return []
    rows = []
    with index.open(encoding="utf-8", newline="") as handle:
        for raw in csv.DictReader(handle, delimiter="\t"):
            if raw["kind"] != "response":
                continue
            label, items = parse_expected(raw["expected"])
            statuses = tuple(int(s) for s in raw["http_status"].split(",") if s)
            rows.append(Row(raw["file"], statuses, label, items))
    return rows


ROWS = sdk_rows()


def _sdk_text(error: ErrorDetail) -> str:
    """How the SDK's messages print one error: errorno then the non-empty texts."""
    return " ".join(t for t in (error.errorno, error.message) if t)


def assert_message(row: Row, errors: tuple[ErrorDetail, ...]) -> None:
    message = row.items.get("message")
    if not message or " - " not in message:
        return
    segments = message.split(" - ")[1:]
    assert [_sdk_text(e) for e in errors] == segments


def check_ok(row: Row, response: Response) -> None:
    items = row.items
    assert response.control.status == "success"
    for key, value in items.items():
        if key.startswith("control."):
            assert getattr(response.control, key.split(".", 1)[1]) == value, key
        elif key.startswith("auth."):
            assert response.authentication is not None
            name = key.split(".", 1)[1]
            name = "locationid" if name == "entityid" else name
            assert getattr(response.authentication, name) == value, key
    if row.expect is Expect.CONTROL:
        assert response.results == ()
        return
    if not response.results:
        return
    result = response.results[0]
    data = result.data
    expectations = {
        "result.status": lambda: result.status.value,
        "result.function": lambda: result.function,
        "result.controlid": lambda: result.control_id,
        "count": lambda: str(data.count) if data else None,
        "totalcount": lambda: str(data.totalcount) if data else None,
        "numremaining": lambda: str(data.numremaining) if data else None,
        "resultId": lambda: data.result_id if data else None,
        "listtype": lambda: data.listtype if data else None,
        "start": lambda: str(data.start) if data else None,
        "end": lambda: str(data.end) if data else None,
        "records": lambda: str(len(result.records)),
        "key": lambda: result.key,
        "sessionid": lambda: result.records[0]["sessionid"],
        "endpoint": lambda: result.records[0]["endpoint"],
        "entityid": lambda: result.records[0].get("locationid", ""),
    }
    for key, read in expectations.items():
        if key in items:
            assert read() == items[key], key
    if "sessiontimestamp" in items:
        assert response.authentication is not None
        assert response.authentication.sessiontimestamp == items["sessiontimestamp"]
        assert response.authentication.sessiontimeout == items["sessiontimeout"]
    if "getResults() is an array" in items.get("asserts", ""):
        assert isinstance(response.results, tuple)


def check_parsed(row: Row, body: bytes, http_status: int) -> None:
    label = row.label
    if label.startswith("missing-") or label == "parse-error":
        with pytest.raises(MalformedResponseError) as caught:
            parse_response(body, http_status, row.expect)
        expected = {"not-xml", "truncated"} if label == "parse-error" else {label}
        assert caught.value.reason in expected
        assert isinstance(caught.value, TransportError)
        assert "Traceback" not in str(caught.value) and str(caught.value)
        return
    if label == "control-failure":
        with pytest.raises(ControlError) as control_failure:
            parse_response(body, http_status, row.expect)
        assert list(control_failure.value.errornos) == row.errornos
        assert_message(row, control_failure.value.errors)
        return
    if label == "auth-failure":
        with pytest.raises(AuthenticationError) as auth_failure:
            parse_response(body, http_status, row.expect)
        assert list(auth_failure.value.errornos) == row.errornos
        assert_message(row, auth_failure.value.errors)
        return
    response = parse_response(body, http_status, row.expect)
    if label in ("ok", "retry-then-ok"):
        check_ok(row, response)
    elif label == "offline-ack":
        assert response.offline
        assert response.acknowledgement == row.items.get("acknowledgement.status", "success")
        if "control.controlid" in row.items:
            assert response.control.controlid == row.items["control.controlid"]
    elif label == "result-failure":
        failed = [r for r in response.results if r.status is Status.FAILURE]
        assert len(failed) == 1
        assert [e.errorno for e in failed[0].errors] == row.errornos
        if "ResultException" in row.items.get("exception", ""):
            with pytest.raises(ResultError) as result_failure:
                for result in response.results:
                    result.raise_for_status(allow_aborted=True)
            assert failed[0].control_id in str(result_failure.value)
            assert_message(row, result_failure.value.errors)
    elif label == "result-aborted":
        result = response.results[0]
        assert result.status is Status.ABORTED
        assert [e.errorno for e in result.errors] == row.errornos
        result.raise_for_status(allow_aborted=True)  # aborted is not a failure of its own
        if "ensureStatusSuccess" in row.items.get("call", ""):
            with pytest.raises(ResultError) as aborted:
                result.raise_for_status()
            assert_message(row, aborted.value.errors)
    elif label == "log-redaction":
        pass  # checked over real HTTP in test_log_redaction below
    else:
        pytest.fail(f"index.tsv label {label!r} is not handled by this test yet")


@pytest.mark.parametrize("row", [r for r in ROWS if r.file], ids=lambda r: Path(r.file).stem)
def test_sdk_response(row: Row, conformance_dir: Path) -> None:
    body = (conformance_dir / SDK / row.file).read_bytes()
    if row.label == "errormessage-fragment":
        errors = parse_errormessage(body)
        assert [e.errorno for e in errors] == row.errornos
        for index, error in enumerate(errors):
            assert _sdk_text(error) == row.items[f"errors[{index}]"]
        return
    check_parsed(row, body, row.statuses[-1] if row.statuses else 200)


def _fast(attempts: int) -> RetryPolicy:
    sleeps: list[float] = []
    return RetryPolicy(max_attempts=attempts, base_delay_s=0.001, sleep=sleeps.append)


@pytest.mark.parametrize(
    "row", [r for r in ROWS if len(r.statuses) > 1 or not r.file], ids=lambda r: r.label
)
def test_sdk_http_sequence(row: Row, conformance_dir: Path) -> None:
    """Rows with a queue of HTTP statuses are replayed over real HTTP on 127.0.0.1."""
    body = (conformance_dir / SDK / row.file).read_bytes() if row.file else b""
    steps = [Step(status) for status in row.statuses[:-1]]
    steps.append(Step(row.statuses[-1], body))
    request = build_request(
        ControlBlock("s", "sender-pass", "c1"),
        SessionAuthentication("session-123"),
        [fn.create("CLASS", {"CLASSID": "C1"}) if row.label == "no-retry-524" else fn.lookup("X")],
    )
    with loopback(steps) as server, Transport(timeout=5, retry=_fast(len(row.statuses))) as http:
        if row.label == "retry-then-ok":
            answer = http.post(server.url, request)
            assert [answer.status] == [200] and answer.attempts == len(row.statuses)
            check_ok(row, parse_response(answer.body, answer.status))
        else:
            with pytest.raises(TransportError) as caught:
                http.post(server.url, request, writes=row.label == "no-retry-524")
            assert caught.value.http_status == row.statuses[-1]
        assert len(server.received) == len(row.statuses)


def test_log_redaction(conformance_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Debug logs of a request and its answer never hold a password, session id or bank data."""
    row = next(r for r in ROWS if r.label == "log-redaction")
    body = (conformance_dir / SDK / row.file).read_bytes()
    request = build_request(
        ControlBlock("testsenderid", "pass123!", "unittest"),
        SessionAuthentication("fAkESesSiOnId.."),
        [fn.create("VENDOR", {"VENDORID": "V1", "ACHACCOUNTNUMBER": "P@ssW0rd!123"})],
    )
    caplog.set_level(logging.DEBUG, logger="wizard.gateway")
    with loopback([Step(200, body)]) as server, Transport(timeout=5) as http:
        http.post(server.url, request)
    logged = caplog.text
    assert "<sessionid>[redacted]</sessionid>" in logged
    assert "<taxid>[redacted]</taxid>" in logged and "<TAXID>[redacted]</TAXID>" in logged
    for secret in ("fAkESesSiOnId..", "99-9999999", "1111222233334444", "pass123!", "P@ssW0rd!123"):
        assert secret not in logged


# -- jfcote87-intacct: no index, so the expected outcome of each file is written here -------

JFC = {
    "execFuncError.xml": ("result", [("failure", ["BL34000061", "BL01001973", "BL01001973"], 1)]),
    "execLoginInvalid.xml": ("auth", ["XL03000006"]),
    "execProjectSuccess.xml": ("result", [("success", [], 5), ("success", [], 1)]),
    "execXMLError.xml": ("control", ["XL03000003", "XL03000003"]),
    "functionErrorSuccess.xml": (
        "result",
        [
            ("failure", ["Invalid fields list x"], 0),
            ("success", [], 1),
            ("failure", ["Invalid fields list y"], 0),
        ],
    ),
    "sessionInvalid.xml": ("auth", ["XL03000006"]),
    "vendorResponse.xml": ("result", [("success", [], 2), ("success", [], 1)]),
}


def test_every_jfcote87_file_has_an_expectation(conformance_dir: Path) -> None:
    files = {p.name for p in (conformance_dir / "jfcote87-intacct").glob("*.xml")}
    assert files <= set(JFC), f"new corpus files need an expected outcome: {files - set(JFC)}"


@pytest.mark.parametrize("name", sorted(JFC))
def test_jfcote87_response(name: str, conformance_dir: Path) -> None:
    path = conformance_dir / "jfcote87-intacct" / name
    if not path.is_file():
        pytest.skip(f"{name} is no longer in the corpus")
    body = path.read_bytes()
    level, expected = JFC[name]
    if level in ("auth", "control"):
        kind: type[GatewayError] = AuthenticationError if level == "auth" else ControlError
        with pytest.raises(kind) as caught:
            parse_response(body)
        assert list(caught.value.errornos) == expected
        return
    response = parse_response(body)
    assert [
        (r.status.value, [e.errorno for e in r.errors], len(r.records)) for r in response.results
    ] == expected


def test_jfcote87_paging_and_session_details(conformance_dir: Path) -> None:
    folder = conformance_dir / "jfcote87-intacct"
    project = parse_response((folder / "execProjectSuccess.xml").read_bytes()).results[0]
    assert project.data is not None
    assert (project.data.count, project.data.totalcount, project.data.numremaining) == (5, 35, 30)
    assert project.data.result_id.startswith("7765623336")
    assert all("PROJECTID" in record for record in project.records)
    with pytest.raises(AuthenticationError) as caught:
        parse_response((folder / "sessionInvalid.xml").read_bytes())
    from wizard.gateway.errors import is_session_expired

    assert is_session_expired(caught.value.errors)
