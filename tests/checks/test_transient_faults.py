"""A fault that goes away is a warning; the same fault left on fails with its fix.

`intacct-wizard diagnose --demo --scenario NAME:N` runs the demo sandbox over real loopback
HTTP with the fault answering N times, then going away. Diagnose retries as the sync does
(Retry-After honoured, backoff with jitter, "too many operations" waited out), bounded so the
whole diagnosis waits at most a few seconds: two refusals in a row are ridden out and reported
as a warning; one expired session is renewed without a word; a fault that lasts fails.
"""

from __future__ import annotations

import json
import time

import pytest

from wizard.checks.context import DIAGNOSE_WAIT_S
from wizard.cli import main

# The fault, how the warning names it (None: renewed silently), and the fix when it lasts.
TRANSIENT = {
    "rate-limited": (2, "2 requests with HTTP 429 (rate limit)", "rate-limited"),
    "html-error-pages": (2, "2 requests with HTTP 502", "service-unavailable"),
    "too-many-operations": (2, "2 requests with “too many operations”", "too-many-operations"),
    "session-expiry": (1, None, "session-expired"),
}
# Waiting allowed on top of a clean diagnosis: the budget for all retries, with slack for a
# loaded machine.
SLACK_S = 3.0


def _diagnose(
    capsys: pytest.CaptureFixture[str], scenario: str
) -> tuple[int, list[dict[str, str]], float]:
    started = time.monotonic()
    code = main(["diagnose", "--demo", "--scenario", scenario, "--json"])
    took = time.monotonic() - started
    findings: list[dict[str, str]] = json.loads(capsys.readouterr().out)["findings"]
    return code, findings, took


@pytest.fixture(scope="module")
def clean_seconds() -> float:
    started = time.monotonic()
    assert main(["diagnose", "--demo", "--json"]) == 0
    return time.monotonic() - started


@pytest.mark.parametrize("scenario", sorted(TRANSIENT))
def test_a_fault_that_goes_away_is_a_warning_and_diagnose_exits_0(
    scenario: str, capsys: pytest.CaptureFixture[str], clean_seconds: float
) -> None:
    capsys.readouterr()
    times, words, _fix = TRANSIENT[scenario]
    code, findings, took = _diagnose(capsys, f"{scenario}:{times}")
    assert code == 0, [f for f in findings if f["status"] == "fail"]
    assert not [f for f in findings if f["status"] == "fail"]
    warned = [f for f in findings if f["status"] == "warn" and "then answered" in f["evidence"]]
    if words is None:
        assert warned == []  # renewed once, silently
    else:
        assert len(warned) == 1, [f["evidence"] for f in findings if f["status"] == "warn"]
        assert (
            f"Intacct refused {words}, then answered; the sync rides this out."
            in (warned[0]["evidence"])
        )
    assert took < clean_seconds + DIAGNOSE_WAIT_S + SLACK_S, (took, clean_seconds)


@pytest.mark.parametrize("scenario", sorted(TRANSIENT))
def test_the_same_fault_left_on_fails_with_its_fix(
    scenario: str, capsys: pytest.CaptureFixture[str], clean_seconds: float
) -> None:
    capsys.readouterr()
    _times, _words, fix_id = TRANSIENT[scenario]
    code, findings, took = _diagnose(capsys, scenario)
    assert code == 1
    assert [f["fix_id"] for f in findings if f["status"] == "fail"] == [fix_id]
    assert took < clean_seconds + DIAGNOSE_WAIT_S + SLACK_S, (took, clean_seconds)


@pytest.mark.parametrize("given", ["rate-limited:0", "rate-limited:two", "rate-limited:"])
def test_a_wrong_count_is_a_usage_error_that_shows_the_form(
    given: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diagnose", "--demo", "--scenario", given]) == 2
    assert "for example rate-limited:2" in capsys.readouterr().err
