"""Real failures, end to end: the sandbox company answers over HTTP on 127.0.0.1, the gateway
client raises what it raises, and the catalogue names the fix the contract promises."""

from __future__ import annotations

import pytest

from wizard.fixes import MatchContext, match
from wizard.gateway.client import Client, Credentials
from wizard.gateway.errors import GatewayError
from wizard.gateway.transport import RetryPolicy
from wizard.sandbox import Sandbox

# Scenario -> fix id, from notes/contracts.md. All of these fail the sign-in itself.
SIGN_IN_FAILURES = {
    "sender-not-authorized": "sender-not-authorized",
    "wrong-sender-password": "sender-credentials-invalid",
    "wrong-user-password": "user-credentials-invalid",
    "web-services-off": "web-services-not-subscribed",
    "user-not-web-services-only": "user-not-web-services-only",
    "user-locked": "user-locked",
    "company-id-trailing-blank": "company-id-whitespace",
    "company-expired": "company-expired",
    "too-many-operations": "too-many-operations",
    "rate-limited": "rate-limited",
    "server-error": "service-unavailable",
    "html-error-pages": "service-unavailable",
    "truncated-responses": "malformed-response",
    "dropped-connections": "service-unavailable",
    "cdn-timeout-524": "service-unavailable",
}


def _sign_in_failure(sandbox: Sandbox, entity: str | None = None) -> tuple[GatewayError, str]:
    creds = sandbox.credentials
    credentials = Credentials(
        creds.sender_id,
        creds.sender_password,
        creds.company_id,
        creds.user_id,
        creds.user_password,
        entity,
    )
    once = RetryPolicy(max_attempts=1, base_delay_s=0.0, max_total_s=0.0, sleep=lambda _: None)
    client = Client(credentials, endpoint=sandbox.endpoint, timeout=10, retry=once)
    with client, pytest.raises(GatewayError) as caught:
        client.login()
    return caught.value, creds.company_id


@pytest.mark.parametrize("scenario", sorted(SIGN_IN_FAILURES))
def test_sign_in_failure_from_the_sandbox_gets_the_contract_fix(scenario: str) -> None:
    with Sandbox(scenarios=(scenario,)) as sandbox:
        error, company_id = _sign_in_failure(sandbox)
    # What a sign-in check knows besides the error: whether the company ID it sent is padded.
    padded = company_id != company_id.strip()
    context = MatchContext(situation=frozenset({"company-id-padded"} if padded else ()))
    fix = match(error, context)
    assert fix.id == SIGN_IN_FAILURES[scenario], str(error)


def test_entity_the_user_cannot_open_gets_the_entity_access_fix() -> None:
    with Sandbox(scenarios=("entity-access-denied",)) as sandbox:
        error, _ = _sign_in_failure(sandbox, entity=sandbox.credentials.entities[0])
    assert match(error, MatchContext(entity_level=True)).id == "entity-access"
