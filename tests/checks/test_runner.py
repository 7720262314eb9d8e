"""The runner: concurrent within the company's limit, live findings, skips, "Check again"."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from itertools import combinations

import pytest
from diagnose_helpers import MakeContext, demo_target

from wizard.checks import (
    Check,
    CheckContext,
    CheckStatus,
    Finding,
    Registry,
    Runner,
    Verdict,
    default_registry,
)
from wizard.checks.connect import FoundSecrets, context_for_profile
from wizard.gateway import RetryPolicy
from wizard.redaction import MASK, remember_secret
from wizard.sandbox import Sandbox

NO_RETRY = RetryPolicy(max_attempts=1, max_total_s=0.0)


@pytest.fixture
def slow_sandbox() -> Iterator[Sandbox]:
    # Every answer takes 40 ms, and the company refuses a request beyond 2 in flight.
    with Sandbox(latency_ms=40, max_in_flight=2) as running:
        yield running


def _context(sandbox: Sandbox, limit: int) -> CheckContext:
    profile, secrets = demo_target(sandbox)
    profile = replace(profile, sync=replace(profile.sync, concurrency=limit))
    context = context_for_profile(profile, FoundSecrets(secrets, "test"), limit)
    context.retry = NO_RETRY  # a refusal would show as a failure, not be retried away
    return context


@pytest.mark.parametrize("limit", [1, 2])
def test_checks_run_side_by_side_but_never_beyond_the_request_limit(
    slow_sandbox: Sandbox, limit: int
) -> None:
    with _context(slow_sandbox, limit) as context:
        findings = Runner(context, workers=6).run_all()
    assert all(f.status is CheckStatus.PASS for f in findings), [
        (f.check, f.evidence) for f in findings if f.status is not CheckStatus.PASS
    ]
    assert context.peak_in_flight == limit
    # Independent checks overlapped in time (the data checks all wait only on the session).
    data = [f for f in findings if f.check in ("permissions", "dimensions", "gl-accounts")]
    overlapping = [
        (a.check, b.check)
        for a, b in combinations(data, 2)
        if a.started < b.finished and b.started < a.finished
    ]
    assert overlapping


def test_each_finding_is_reported_once_as_it_completes(make_context: MakeContext) -> None:
    seen: list[Finding] = []
    lock = threading.Lock()

    def show(finding: Finding) -> None:
        with lock:
            seen.append(finding)

    findings = Runner(make_context(), on_finding=show).run_all()
    assert sorted(f.check for f in seen) == sorted(default_registry().ids)
    assert {f.check: f for f in seen} == {f.check: f for f in findings}
    order = [f.check for f in seen]
    # A check is only reported after everything it depends on.
    for check in default_registry():
        for dependency in check.depends_on:
            assert order.index(dependency) < order.index(check.id)


def test_check_again_asks_intacct_afresh(sandbox: Sandbox, make_context: MakeContext) -> None:
    sandbox.set_scenarios(["no-permission-gl"])
    runner = Runner(make_context())
    first = {f.check: f for f in runner.run_all()}
    assert first["permissions"].fix_id == "permission-missing"
    assert first["permissions"].grid is not None
    sandbox.set_scenarios([])  # the admin granted General Ledger permissions
    again = runner.run_one("permissions")
    assert again.status is CheckStatus.PASS
    assert runner.findings["permissions"] is again


def test_a_check_that_breaks_fails_with_the_generic_fix_and_no_secret(
    make_context: MakeContext,
) -> None:
    remember_secret("Hidden-Token-991")

    def broken(context: CheckContext) -> Verdict:
        raise RuntimeError("answer held Hidden-Token-991")

    def fine(context: CheckContext) -> Verdict:
        return Verdict(CheckStatus.PASS, "ok")

    registry = Registry(
        [Check("first", "First", broken), Check("second", "Second", fine, ("first",))]
    )
    findings = {f.check: f for f in Runner(make_context(), registry).run_all()}
    assert findings["first"].status is CheckStatus.FAIL
    assert findings["first"].fix_id == "unrecognised-error"
    assert "Hidden-Token-991" not in findings["first"].evidence
    assert MASK in findings["first"].evidence
    assert findings["second"].status is CheckStatus.SKIPPED


def test_a_registry_refuses_unknown_or_later_dependencies() -> None:
    def fine(context: CheckContext) -> Verdict:
        return Verdict(CheckStatus.PASS, "ok")

    with pytest.raises(ValueError, match="depends on"):
        Registry([Check("b", "B", fine, ("a",)), Check("a", "A", fine)])
    with pytest.raises(ValueError, match="Two checks"):
        Registry([Check("a", "A", fine), Check("a", "A again", fine)])


def test_before_the_choices_the_checks_that_judge_them_and_their_dependents_wait(
    make_context: MakeContext,
) -> None:
    """Issue 12, item 9: a new connection's test checks no account or field not chosen yet;
    a saved connection (diagnose) keeps every check."""
    registry = default_registry()
    early = registry.before_choices()
    waiting = {c.id for c in registry.waiting_for_choices()}
    assert {"gl-accounts", "custom-fields", "checking-account-locations"} <= waiting
    assert "test-posting" in waiting, "it posts to the chosen accounts"
    assert {"user-sign-in", "permissions", "dimensions"}.isdisjoint(waiting)
    assert set(early.ids) == set(registry.ids) - waiting
    ran = {f.check for f in Runner(make_context(), early).run_all()}
    assert ran == set(early.ids)
    assert waiting <= {f.check for f in Runner(make_context()).run_all()}


def test_every_contract_check_id_is_registered() -> None:
    from wizard.checks.builtin import rest_registry
    from wizard.fixes import CHECK_IDS

    assert set(default_registry().ids) | set(rest_registry().ids) == set(CHECK_IDS)
    assert not set(default_registry().ids) & set(rest_registry().ids)


def test_missing_passwords_fail_the_keyring_check_and_skip_the_sign_in(
    make_context: MakeContext,
) -> None:
    findings = {f.check: f for f in Runner(make_context(secrets=None)).run_all()}
    assert findings["keyring-secrets"].fix_id == "keyring-unavailable"
    assert "No passwords are saved" in findings["keyring-secrets"].evidence
    assert findings["endpoint-reachable"].status is CheckStatus.PASS  # no password needed
    assert findings["user-sign-in"].status is CheckStatus.SKIPPED
    assert findings["concurrency"].status is CheckStatus.SKIPPED


def test_a_concurrency_above_what_the_company_allows_is_named() -> None:
    # The company takes 2 requests at once (each answered in 200 ms); the sync wants 3.
    with Sandbox(latency_ms=200, max_in_flight=2) as sandbox:
        with _context(sandbox, 3) as context:
            finding = Runner(context).run_one("concurrency")
        assert finding.fix_id == "too-many-operations"
        assert "1 of 3 requests sent at once were refused" in finding.evidence
        with _context(sandbox, 2) as context:
            assert Runner(context).run_one("concurrency").status is CheckStatus.PASS


def test_check_again_signs_in_afresh_after_the_password_was_fixed(
    sandbox: Sandbox, make_context: MakeContext
) -> None:
    sandbox.set_scenarios(["wrong-user-password"])
    runner = Runner(make_context())
    assert runner.run_one("user-sign-in").fix_id == "user-credentials-invalid"
    sandbox.set_scenarios([])  # the admin reset the password in Intacct to the saved one
    assert runner.run_one("user-sign-in").status is CheckStatus.PASS
    assert runner.findings["sender-authorized"].status is CheckStatus.PASS


def test_cancel_stops_starting_checks(make_context: MakeContext) -> None:
    runner: Runner

    def stop_after_first(finding: Finding) -> None:
        runner.cancel()

    runner = Runner(make_context(), on_finding=stop_after_first, workers=1)
    findings = runner.run_all()
    assert 1 <= len(findings) < len(default_registry())


def test_check_again_runs_what_the_check_decides_and_what_those_need() -> None:
    def ok(_ctx: CheckContext) -> Verdict:
        return Verdict(CheckStatus.PASS, "fine")

    registry = Registry(
        [
            Check("sign-in", "Sign in", ok),
            Check("endpoint", "Endpoint", ok),
            Check("permissions", "Permissions", ok, ("sign-in",)),
            Check("posting", "Posting", ok, ("permissions", "endpoint")),
            Check("unrelated", "Unrelated", ok),
        ]
    )
    assert [c.id for c in registry.dependents("sign-in")] == ["permissions", "posting"]
    assert [c.id for c in registry.affected_by("sign-in")] == [
        "sign-in",
        "endpoint",
        "permissions",
        "posting",
    ]
    assert [c.id for c in registry.affected_by("posting")] == [
        "sign-in",
        "endpoint",
        "permissions",
        "posting",
    ]
