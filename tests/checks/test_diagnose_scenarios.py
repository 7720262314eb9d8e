"""Every sandbox fault is named by diagnose with its fix; the clean company passes.

The scenario -> fix table is the cross-team contract (/work/notes/contracts.md). Faults that
Intacct reveals only when a document is posted (a closed period, a smart rule, a restricted
account...) are found by the test posting, which is undone at once. A few faults need the
setting they punish (an invoice prefix like Intacct's own, the card-account flow at the top
level): those scenarios name the choices to diagnose with.
"""

from __future__ import annotations

from typing import Any

import pytest
from diagnose_helpers import MakeContext, diagnose, failures

from wizard.checks import CheckStatus, default_registry
from wizard.connection import Mappings
from wizard.sandbox import SCENARIOS, Sandbox

VISIBLE = {
    # sign-in
    "sender-not-authorized": ("sender-authorized", "sender-not-authorized"),
    "wrong-sender-password": ("sender-authorized", "sender-credentials-invalid"),
    "web-services-off": ("sender-authorized", "web-services-not-subscribed"),
    "wrong-user-password": ("user-sign-in", "user-credentials-invalid"),
    "user-not-web-services-only": ("web-services-only-user", "user-not-web-services-only"),
    "user-locked": ("user-sign-in", "user-locked"),
    "company-id-trailing-blank": ("user-sign-in", "company-id-whitespace"),
    "company-expired": ("user-sign-in", "company-expired"),
    # entity and session
    "entity-access-denied": ("session-entity", "entity-access"),
    "session-expiry": ("session-entity", "session-expired"),
    "liability-account-entity-level": ("test-posting", "liability-account-entity-level"),
    # permissions and dimensions
    "no-permission-ar": ("permissions", "permission-missing"),
    "no-permission-gl": ("permissions", "permission-missing"),
    "no-permission-cm": ("permissions", "permission-missing"),
    "no-permission-oe": ("permissions", "permission-missing"),
    "udd-values-unreadable": ("dimensions", "udd-values-unavailable"),
    # accounts and AR settings
    "account-requires-dimension": ("gl-accounts", "dimension-required"),
    "checking-account-no-location": ("checking-account-locations", "location-missing"),
    "payment-summary-user-specified": ("payment-summary-frequency", "payment-batch-key"),
    "invoice-number-exists": ("test-posting", "document-number-exists"),
    "field-not-found": ("custom-fields", "field-not-found"),
    # concurrency and transport
    "too-many-operations": ("concurrency", "too-many-operations"),
    "rate-limited": ("concurrency", "rate-limited"),
    "server-error": ("endpoint-reachable", "service-unavailable"),
    "cdn-timeout-524": ("endpoint-reachable", "service-unavailable"),
    "dropped-connections": ("endpoint-reachable", "service-unavailable"),
    "html-error-pages": ("endpoint-reachable", "service-unavailable"),
    "truncated-responses": ("endpoint-reachable", "malformed-response"),
    # seen only by posting: the test posting
    "gl-account-restricted": ("test-posting", "gl-account-restricted"),
    "undeposited-funds-foreign-currency": ("test-posting", "undeposited-funds-foreign-currency"),
    "smart-rule-violated": ("test-posting", "smart-rule-violated"),
    "period-closed": ("test-posting", "period-closed"),
}
# The demo's choices changed to the setting a scenario punishes (make_context's arguments).
SETTING_PUNISHED: dict[str, dict[str, Any]] = {
    "invoice-number-exists": {"posting": {"document_number_prefix": "INV-"}},
    "liability-account-entity-level": {
        "mappings": Mappings(
            default_location="US-EAST",
            flows=("customers-to-intacct", "invoices-to-intacct", "card-accounts-to-intacct"),
        )
    },
}
NOT_A_FAULT = {"slow-responses"}  # everything still works, only slowly
# REST-only faults change nothing on the XML gateway.
REST_ONLY = {name for name, scenario in SCENARIOS.items() if scenario.level == "rest"}


def test_every_scenario_is_either_diagnosed_or_not_a_fault() -> None:
    assert set(VISIBLE) | NOT_A_FAULT | REST_ONLY == set(SCENARIOS)
    for name, (_check, fix_id) in VISIBLE.items():
        assert SCENARIOS[name].fix_id == fix_id, name


def test_the_clean_demo_company_passes_every_check(make_context: MakeContext) -> None:
    findings = diagnose(make_context())
    assert list(findings) == list(default_registry().ids)
    assert {c: f.status for c, f in findings.items()} == {c: CheckStatus.PASS for c in findings}, {
        c: f.evidence for c, f in findings.items() if f.status is not CheckStatus.PASS
    }


@pytest.mark.parametrize("scenario", sorted(VISIBLE))
def test_a_fault_is_named_by_the_check_that_owns_it_with_the_contract_fix(
    scenario: str, sandbox: Sandbox, make_context: MakeContext
) -> None:
    sandbox.set_scenarios([scenario])
    check, fix_id = VISIBLE[scenario]
    setting = SETTING_PUNISHED.get(scenario, {})
    context = make_context(company_id=sandbox.credentials.company_id, **setting)
    findings = diagnose(context)
    assert failures(findings) == {check: fix_id}, findings[check].evidence
    assert findings[check].fix is not None and findings[check].fix.steps


def test_rest_only_faults_leave_the_xml_diagnosis_clean(
    sandbox: Sandbox, make_context: MakeContext
) -> None:
    sandbox.set_scenarios(REST_ONLY)
    findings = diagnose(make_context())
    assert failures(findings) == {}, {c: f.evidence for c, f in findings.items()}


POSTED = sorted(s for s, (check, _fix) in VISIBLE.items() if check == "test-posting")


@pytest.mark.parametrize("scenario", POSTED)
def test_the_test_posting_finds_the_fault_live_and_keeps_nothing(
    scenario: str, sandbox: Sandbox, make_context: MakeContext
) -> None:
    company = sandbox.company
    objects = ("CUSTOMER", "ARINVOICE", "ARPYMT", "CREDITCARD")
    kept = {obj: company.count(obj) for obj in objects}
    setting = SETTING_PUNISHED.get(scenario, {})
    sandbox.set_scenarios([scenario])
    refused = diagnose(make_context(**setting))["test-posting"]
    assert refused.status is CheckStatus.FAIL
    assert refused.fix_id == VISIBLE[scenario][1]
    assert "nothing was kept" in refused.evidence
    # The same choices with the fault off: the same documents are accepted. A row whose
    # failure came from the choices alone, not from Intacct's answer, fails here.
    sandbox.set_scenarios([])
    accepted = diagnose(make_context(**setting))["test-posting"]
    assert accepted.status is CheckStatus.PASS, accepted.evidence
    if not setting:
        for part in ("a customer", "an invoice on account(s) 4000", "USD payment into bank"):
            assert part in accepted.evidence
    assert {obj: company.count(obj) for obj in kept} == kept


def test_checks_after_a_failure_are_skipped_with_the_reason_not_failed(
    sandbox: Sandbox, make_context: MakeContext
) -> None:
    sandbox.set_scenarios(["wrong-user-password"])
    findings = diagnose(make_context())
    assert findings["user-sign-in"].status is CheckStatus.FAIL
    for later in ("session-entity", "permissions", "gl-accounts", "custom-fields"):
        assert findings[later].status is CheckStatus.SKIPPED
        assert findings[later].evidence.startswith("Skipped:")
    assert "The integration user can sign in" in findings["session-entity"].evidence
    # The steps before the failing one are confirmed: the gateway got past them.
    assert findings["sender-authorized"].status is CheckStatus.PASS
    # ...but a failed sign-in does not prove the user is a Web Services-only user: Intacct
    # answers a wrong password and a user who may not use Web Services with the same words,
    # so that check could not verify it and names the causes and where to look.
    unsure = findings["web-services-only-user"]
    assert unsure.status is CheckStatus.WARN
    assert unsure.evidence.startswith("Could not verify")
    for where in ("Company > Admin > Web Services users", "Locked out", "User type"):
        assert where in unsure.evidence
    assert "same answer" in findings["user-sign-in"].evidence
