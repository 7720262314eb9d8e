"""Over the REST API: every fault the REST API shows is named by exactly one check, with its
fix; the clean demo company passes; a rotated refresh token is kept; XML is not touched.

The scenario -> (check, fix) table below is for REST connections; the XML table is in
test_diagnose_scenarios.py. Scenarios the REST API does not show, or that only writes show,
are listed with the reason (resources/sandbox/rest.toml says the same for the sandbox).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from diagnose_helpers import diagnose, failures

from wizard.checks import CheckStatus
from wizard.checks.connect import FoundSecrets, context_for_profile, demo_rest_profile
from wizard.checks.posting_trial import TEST_MARK
from wizard.checks.rest_context import RestCheckContext
from wizard.connection import ConnectionMethod, PostingChoices, RestChoices, RestGrant, Secrets
from wizard.rest import Token
from wizard.sandbox import SCENARIOS, Sandbox

REFUSED_CLIENT = ("rest-sign-in", "rest-client-refused")
REST_VISIBLE = {
    # REST-only faults
    "rest-app-not-authorized": REFUSED_CLIENT,
    "rest-wrong-scope": REFUSED_CLIENT,
    "rest-refresh-token-revoked": ("rest-sign-in", "rest-sign-in-again"),
    "rest-token-expired": ("rest-token-accepted", "rest-token-refused"),
    "rest-redirect-uri-mismatch": ("rest-sign-in-page", "rest-redirect-uri-mismatch"),
    "rest-forbidden-object": ("rest-permissions", "permission-missing"),
    "rest-business-rule": ("rest-test-posting", "period-closed"),
    # the company's faults, as the REST API shows them: Intacct answers GW-0011 for each, so
    # one fix lists the candidate causes and how to tell them apart
    "sender-not-authorized": REFUSED_CLIENT,
    "web-services-off": REFUSED_CLIENT,
    "user-not-web-services-only": REFUSED_CLIENT,
    "user-locked": REFUSED_CLIENT,
    "company-id-trailing-blank": REFUSED_CLIENT,
    "company-expired": REFUSED_CLIENT,
    "entity-access-denied": ("rest-entity", "entity-access"),
    "no-permission-ar": ("rest-permissions", "permission-missing"),
    "no-permission-gl": ("rest-permissions", "permission-missing"),
    "no-permission-cm": ("rest-permissions", "permission-missing"),
    "udd-values-unreadable": ("rest-dimensions", "udd-values-unavailable"),
    "rate-limited": ("rest-token-accepted", "rate-limited"),
    "server-error": ("rest-token-accepted", "service-unavailable"),
    "html-error-pages": ("rest-token-accepted", "service-unavailable"),
}
NOT_NAMED_OVER_REST = {
    "wrong-sender-password": "REST calls never send the sender password (rest.toml)",
    "wrong-user-password": "REST sign-in sends no user password to the wizard (rest.toml)",
    "no-permission-oe": "the REST checks do not use Order Entry",
    "slow-responses": "not a fault",
    "cdn-timeout-524": "transport faults hit the token endpoint too; see the XML table",
    "dropped-connections": "transport faults hit the token endpoint too; see the XML table",
    "truncated-responses": "transport faults hit the token endpoint too; see the XML table",
    "too-many-operations": "REST has no such answer (rest.toml)",
    "session-expiry": "REST has no sessions (rest.toml)",
    "account-requires-dimension": "not checked over REST yet",
    "checking-account-no-location": "not checked over REST yet",
    "field-not-found": "not simulated over REST (rest.toml)",
    "gl-account-restricted": "only a posting shows it; no posting over REST",
    "payment-summary-user-specified": "only a posting shows it; no posting over REST",
    "invoice-number-exists": "only a posting shows it; no posting over REST",
    "undeposited-funds-foreign-currency": "only a posting shows it; no posting over REST",
    "smart-rule-violated": "only a posting shows it; no posting over REST",
    "liability-account-entity-level": "only creating a card account shows it",
    "period-closed": "only a posting shows it; no posting over REST",
}
ENTITY_SCENARIOS = {"entity-access-denied"}


@pytest.fixture
def rest_context(sandbox: Sandbox) -> Iterator[RestCheckContext]:
    made: list[RestCheckContext] = []

    def make(entity_id: str = "", grant: RestGrant = RestGrant.SIGN_IN) -> RestCheckContext:
        app, creds = sandbox.rest_app, sandbox.credentials
        profile = demo_rest_profile(
            sandbox.rest_base_url,
            app.client_id,
            app.redirect_uri,
            creds.company_id,
            creds.user_id,
        )
        profile = replace(profile, entity_id=entity_id, rest=replace(profile.rest, grant=grant))
        refresh = sandbox.rest.oauth.demo_sign_in() if grant is RestGrant.SIGN_IN else ""
        secrets = Secrets("", "", client_secret=app.client_secret, refresh_token=refresh)
        context = context_for_profile(profile, FoundSecrets(secrets, "the demo company"))
        assert isinstance(context, RestCheckContext)
        made.append(context)
        return context

    yield make  # type: ignore[misc]
    for context in made:
        context.close()


def test_every_scenario_is_in_one_rest_table() -> None:
    assert set(REST_VISIBLE) | set(NOT_NAMED_OVER_REST) == set(SCENARIOS)
    assert not set(REST_VISIBLE) & set(NOT_NAMED_OVER_REST)


@pytest.mark.parametrize("grant", list(RestGrant))
def test_the_clean_demo_company_passes_over_rest(rest_context, sandbox: Sandbox, grant) -> None:  # type: ignore[no-untyped-def]
    findings = diagnose(rest_context(entity_id=sandbox.credentials.entities[0], grant=grant))
    assert failures(findings) == {}
    statuses = {c: f.status for c, f in findings.items()}
    passed = {c for c, s in statuses.items() if s is CheckStatus.PASS}
    assert {
        "rest-sign-in",
        "rest-token-accepted",
        "rest-entity",
        "rest-permissions",
        "rest-test-posting",
    } <= passed
    assert "refused only the same invoice sent second" in findings["rest-test-posting"].evidence
    assert not sandbox.company.created("ARINVOICE")  # the test invoice was undone
    assert not sandbox.company.created("ARINVOICEITEM")
    assert "applies the entity header" in findings["rest-entity"].evidence
    user = findings["rest-web-services-user"]
    if grant is RestGrant.SIGN_IN:  # Sage does not publish which userType is Web Services
        assert user.status is CheckStatus.WARN and "Could not verify" in user.evidence
    else:  # the client-credentials grant itself requires the app row's Web Services user
        assert user.status is CheckStatus.PASS


@pytest.mark.parametrize("scenario", sorted(REST_VISIBLE))
def test_a_fault_over_rest_is_named_by_one_check_with_its_fix(
    scenario: str,
    sandbox: Sandbox,
    rest_context,  # type: ignore[no-untyped-def]
) -> None:
    entity = sandbox.credentials.entities[0] if scenario in ENTITY_SCENARIOS else ""
    context = rest_context(entity_id=entity)
    sandbox.set_scenarios([scenario])
    findings = diagnose(context)
    check, fix_id = REST_VISIBLE[scenario]
    assert failures(findings) == {check: fix_id}, {c: f.evidence for c, f in findings.items()}
    assert findings[check].fix is not None and findings[check].fix.steps


def test_a_misspelt_entity_header_is_not_taken_for_success(
    sandbox: Sandbox,
    rest_context,  # type: ignore[no-untyped-def]
) -> None:
    context = rest_context(entity_id=sandbox.credentials.entities[0])
    assert context.rest_sign_in().ok
    client = context.new_rest_client(entity_id=context.profile.entity_id, entity_header="X-Entity")
    context.share_token(client)
    try:
        assert client.count("accounts-receivable/invoice") == context.rest.count(
            "accounts-receivable/invoice"
        )  # Intacct silently answers with top-level data
    finally:
        client.close()


def test_the_entity_check_does_not_take_an_ignored_header_for_success(
    sandbox: Sandbox,
    rest_context,  # type: ignore[no-untyped-def]
) -> None:
    context = rest_context(entity_id=sandbox.credentials.entities[0])
    context.entity_header = "Sage-Param-Entity"  # the misspelling CPW found accepted (§1.3)
    finding = diagnose(context)["rest-entity"]
    assert finding.status is CheckStatus.WARN
    assert finding.evidence.startswith("Could not verify")


def test_a_rotated_refresh_token_is_kept_and_a_revoked_one_loses_nothing(
    sandbox: Sandbox,
    rest_context,  # type: ignore[no-untyped-def]
) -> None:
    kept: list[Token] = []
    context = rest_context()
    context.on_token = kept.append
    before = context.secrets.refresh_token if context.secrets else ""
    assert failures(diagnose(context)) == {}
    assert len(kept) == 1 and kept[0].refresh_token not in ("", before)
    sandbox.rest.oauth.revoke()
    context.forget_cache()
    context.close()
    findings = diagnose(context)
    assert failures(findings) == {"rest-sign-in": "rest-sign-in-again"}
    assert len(kept) == 1  # nothing replaced the kept sign-in


def test_rest_profiles_run_the_rest_checks_and_xml_profiles_the_xml_ones(
    sandbox: Sandbox,
    make_context,  # type: ignore[no-untyped-def]
) -> None:
    xml = make_context()
    assert xml.profile.method is ConnectionMethod.XML and not isinstance(xml, RestCheckContext)
    assert "rest-sign-in" not in diagnose(xml)
    rest_profile = xml.profile.replace(method=ConnectionMethod.REST, rest=RestChoices("id"))
    rest = context_for_profile(rest_profile, FoundSecrets(None, problem="none saved"))
    try:
        assert isinstance(rest, RestCheckContext)
        findings = diagnose(rest)
        assert findings["rest-sign-in"].status is CheckStatus.SKIPPED
    finally:
        rest.close()


def test_a_test_invoice_intacct_keeps_is_deleted_and_said(
    sandbox: Sandbox,
    rest_context,  # type: ignore[no-untyped-def]
) -> None:
    """An ignored transaction header (a misspelt name is silently ignored, §1.3) leaves the
    test invoice in Intacct: the check deletes it and warns; it never passes."""
    context = rest_context(entity_id=sandbox.credentials.entities[0])
    context.transaction_header = "X-IA-API-ParamTransaction"  # the other spelling (§1.3)
    finding = diagnose(context)["rest-test-posting"]
    assert finding.status is CheckStatus.WARN, finding.evidence
    assert "the transaction header was ignored" in finding.evidence
    assert "deleted it" in finding.evidence
    assert not sandbox.company.created("ARINVOICE")
    assert not sandbox.company.created("ARINVOICEITEM")


def test_no_test_invoice_without_mapped_accounts_or_when_switched_off(
    sandbox: Sandbox,
    rest_context,  # type: ignore[no-untyped-def]
) -> None:
    context = rest_context()
    context.test_posting = False
    assert diagnose(context)["rest-test-posting"].status is CheckStatus.SKIPPED
    unmapped = rest_context()
    unmapped.profile = unmapped.profile.replace(posting=PostingChoices())
    finding = diagnose(unmapped)["rest-test-posting"]
    assert finding.status is CheckStatus.SKIPPED and not finding.applies
    assert not sandbox.company.created("ARINVOICE")


def test_an_invoice_that_already_has_the_test_number_is_named_and_never_deleted(
    sandbox: Sandbox,
    rest_context,  # type: ignore[no-untyped-def]
) -> None:
    context = rest_context()
    number = f"{context.posting.document_number_prefix}{TEST_MARK}"
    customer = sandbox.company.find("CUSTOMER", "STATUS", "active")
    assert customer is not None
    sandbox.company.insert(
        "ARINVOICE", {"RECORDID": number, "CUSTOMERID": customer["CUSTOMERID"], "STATE": "Posted"}
    )
    finding = diagnose(context)["rest-test-posting"]
    assert finding.status is CheckStatus.FAIL, finding.evidence
    assert "Another record with the value" in finding.evidence
    assert "Nothing was kept" in finding.evidence
    assert [r["RECORDID"] for r in sandbox.company.created("ARINVOICE")] == [number]
