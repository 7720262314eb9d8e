"""Every check against the strict sandbox: only what a real Intacct is documented to send.

The strict sandbox leaves out every fact resources/sandbox labels "chosen" (correction texts,
the AR preference names, chosen error codes). No check may pass on a fact it withheld; every
fault is either named with its fix or reported as "could not verify" with the right causes.

Expected outcome per scenario, and why:

- The clean company: every check passes except the two AR settings checks, which could not
  verify (warn): Intacct's answer to get_companyprefs carries no AR summary frequency or
  numbering (their names are not documented), and the test posting then shows payments and
  invoices accepted.
- user-locked, user-not-web-services-only: Intacct answers both exactly like a wrong password.
  Signing in fails ("user-sign-in", the credentials fix, whose steps cover all three causes)
  and "web-services-only-user" could not verify, naming the wrong password, the locked-out
  user and the interactive user with the Intacct pages that tell them apart.
- payment-summary-user-specified: the AR setting is withheld, so "payment-summary-frequency"
  could not verify; the test posting's payment is refused and names the batch key fix.
- invoice-number-exists, liability-account-entity-level: found by the test posting, as in the
  friendly sandbox (the choices they punish are given; see test_diagnose_scenarios.py).
- slow-responses and the REST-only scenarios: not a fault of the XML gateway; as the clean
  company.
- Every other scenario: the fault rests on documented codes and texts only, so it is named by
  the same check with the same fix as in the friendly sandbox (test_diagnose_scenarios.VISIBLE).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from diagnose_helpers import demo_target, diagnose, failures
from test_diagnose_scenarios import NOT_A_FAULT, REST_ONLY, SETTING_PUNISHED, VISIBLE

from wizard.checks import CheckContext, CheckStatus, Finding
from wizard.checks.connect import FoundSecrets, context_for_profile
from wizard.sandbox import SCENARIOS, Sandbox

# Checks whose fact the strict sandbox withholds: they must never pass on it.
WITHHELD = ("payment-summary-frequency", "document-numbering")

SIGN_IN_CAUSES = ("password", "Locked out", "User type", "Company > Admin")
# Scenario -> (the failing check and its fix, the checks that could not verify and words
# each names). Scenarios not listed here behave as in the friendly sandbox.
STRICT: dict[str, tuple[dict[str, str], dict[str, tuple[str, ...]]]] = {
    "user-locked": (
        {"user-sign-in": "user-credentials-invalid"},
        {"web-services-only-user": SIGN_IN_CAUSES},
    ),
    "user-not-web-services-only": (
        {"user-sign-in": "user-credentials-invalid"},
        {"web-services-only-user": SIGN_IN_CAUSES},
    ),
    "wrong-user-password": (
        {"user-sign-in": "user-credentials-invalid"},
        {"web-services-only-user": SIGN_IN_CAUSES},
    ),
    "payment-summary-user-specified": (
        {"test-posting": "payment-batch-key"},
        {"payment-summary-frequency": ("User specified", "Accounts Receivable > Setup")},
    ),
}
AR_UNVERIFIED = {
    "payment-summary-frequency": ("User specified", "Accounts Receivable > Setup"),
    "document-numbering": ("Document sequencing", "test posting"),
}


@pytest.fixture(scope="module")
def strict_sandbox() -> Iterator[Sandbox]:
    with Sandbox(strict=True) as running:
        yield running


def _diagnose(sandbox: Sandbox, scenario: str) -> dict[str, Finding]:
    sandbox.set_scenarios([scenario] if scenario else [])
    profile, secrets = demo_target(sandbox)
    setting: dict[str, Any] = SETTING_PUNISHED.get(scenario, {})
    profile = replace(profile, **{k: v for k, v in setting.items() if k != "posting"})
    profile = replace(profile, posting=replace(profile.posting, **setting.get("posting", {})))
    context: CheckContext = context_for_profile(
        profile, FoundSecrets(secrets, "the demo company", problem="")
    )
    try:
        return diagnose(context)
    finally:
        context.close()


def _expected(scenario: str) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    if scenario in STRICT:
        return STRICT[scenario]
    if scenario in NOT_A_FAULT | REST_ONLY or not scenario:
        return {}, AR_UNVERIFIED
    check, fix_id = VISIBLE[scenario]
    return {check: fix_id}, {}


@pytest.mark.parametrize("scenario", ["", *sorted(SCENARIOS)])
def test_strict_outcome_per_scenario(strict_sandbox: Sandbox, scenario: str) -> None:
    findings = _diagnose(strict_sandbox, scenario)
    named, unsure = _expected(scenario)
    assert failures(findings) == named, {c: findings[c].evidence for c in failures(findings)}
    for check, words in unsure.items():
        finding = findings[check]
        assert finding.status is CheckStatus.WARN, finding.evidence
        assert finding.evidence.startswith("Could not verify"), finding.evidence
        for word in words:
            assert word in finding.evidence, (word, finding.evidence)
    for check in WITHHELD:
        # Never a pass on a fact Intacct did not return (unless the sync needs no such fact).
        finding = findings[check]
        needs_none = finding.evidence.startswith("The sync does not")
        assert finding.status is not CheckStatus.PASS or needs_none, finding.evidence
    for check, fix_id in named.items():
        fix = findings[check].fix
        assert fix is not None and fix.id == fix_id and fix.steps


def test_the_friendly_sandbox_still_decides_the_ar_settings(
    strict_sandbox: Sandbox,
) -> None:
    """The withheld facts are what makes the difference: with them, the same checks pass."""
    with Sandbox() as friendly:
        findings = _diagnose(friendly, "")
    for check in WITHHELD:
        assert findings[check].status is CheckStatus.PASS, findings[check].evidence
