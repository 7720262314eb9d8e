"""OAuth over real loopback HTTP: client credentials, sign-in with PKCE (code pasted back),
refresh before and after expiry, revoked sign-ins, and the REST-only token faults."""

from __future__ import annotations

import time

import httpx
import pytest
from rest_helpers import MakeClient, sign_in_in_browser

from wizard.rest import (
    PastedCodeError,
    RestClient,
    RestError,
    SignInRequired,
    Token,
    TokenError,
    authorization_request,
    code_from_paste,
)
from wizard.rest.oauth import App, check_redirect_uri
from wizard.sandbox import Sandbox


def _signed_in_client(sandbox: Sandbox, make_client: MakeClient, **settings: object) -> RestClient:
    client = make_client(user=None, **settings)
    request = authorization_request(client.app, client.base_url)
    pasted = sign_in_in_browser(sandbox, request.url)
    client.exchange_code(code_from_paste(pasted, request), request)
    return client


def test_client_credentials_sign_in_gives_a_token_used_on_calls(make_client: MakeClient) -> None:
    issued: list[Token] = []
    client = make_client(on_token=issued.append)
    assert client.count("general-ledger/account") > 0
    assert len(issued) == 1 and issued[0].refresh_token
    assert client.count("company-config/department") > 0
    assert client.tokens_issued == 1  # one token serves every call until it expires


def test_sign_in_with_pkce_and_the_pasted_address(
    sandbox: Sandbox, make_client: MakeClient
) -> None:
    client = _signed_in_client(sandbox, make_client)
    assert client.token is not None and client.token.refresh_token
    assert client.count("general-ledger/account") > 0


def test_pasted_address_from_another_sign_in_or_a_refusal_is_a_plain_message(
    sandbox: Sandbox, make_client: MakeClient
) -> None:
    client = make_client(user=None)
    first = authorization_request(client.app, client.base_url)
    second = authorization_request(client.app, client.base_url)
    pasted = sign_in_in_browser(sandbox, first.url)
    with pytest.raises(PastedCodeError, match="different sign-in"):
        code_from_paste(pasted, second)
    declined = sign_in_in_browser(sandbox, second.url, accept=False)
    with pytest.raises(PastedCodeError, match="did not grant access"):
        code_from_paste(declined, second)


def test_a_code_is_worthless_without_its_verifier(
    sandbox: Sandbox, make_client: MakeClient
) -> None:
    client = make_client(user=None)
    request = authorization_request(client.app, client.base_url)
    other = authorization_request(client.app, client.base_url)
    code = code_from_paste(sign_in_in_browser(sandbox, request.url), request)
    forged = type(request)(request.url, request.state, other.pkce, request.redirect_uri)
    with pytest.raises(TokenError):
        client.exchange_code(code, forged)


def test_http_redirect_addresses_are_refused_before_anything_is_sent() -> None:
    with pytest.raises(ValueError, match="http://"):
        check_redirect_uri("http://127.0.0.1:8765/callback")
    with pytest.raises(ValueError, match="http://"):
        authorization_request(App("id", "secret", "http://localhost/cb"))
    assert check_redirect_uri("com.intacct-setup-wizard:/callback")


def test_expiry_mid_run_refreshes_once_and_the_run_goes_on(
    sandbox: Sandbox, make_client: MakeClient
) -> None:
    issued: list[Token] = []
    client = _signed_in_client(sandbox, make_client, on_token=issued.append)
    first_refresh = client.token.refresh_token if client.token else ""
    issued.clear()  # the sign-in's own token
    rows = client.query("accounts-receivable/invoice", ["key"], size=50)
    seen = [next(rows) for _ in range(60)]  # a second page was fetched
    sandbox.rest.oauth.expire_tokens()  # Intacct ends the token mid-run
    seen += list(rows)
    assert len(seen) == sandbox.company.count("ARINVOICE")
    assert len(issued) == 1  # exactly one refresh
    assert issued[0].refresh_token != first_refresh  # the rotated refresh token was handed on


def test_a_token_near_its_end_is_renewed_before_the_call(
    sandbox: Sandbox, make_client: MakeClient
) -> None:
    offset = [0.0]
    client = make_client(clock=lambda: time.time() + offset[0])
    client.count("general-ledger/account")
    calls = sandbox.rest.calls
    offset[0] = 21600 - 60  # one minute left: inside the renewal margin
    client.count("general-ledger/account")
    assert client.tokens_issued == 2
    assert sandbox.rest.calls == calls + 1  # no refused call was needed


def test_a_revoked_sign_in_asks_to_sign_in_again_and_keeps_the_saved_token(
    sandbox: Sandbox, make_client: MakeClient
) -> None:
    issued: list[Token] = []
    client = _signed_in_client(sandbox, make_client, on_token=issued.append)
    issued.clear()
    saved = client.token
    # Another connection is authorized for the same user and company (§2.4).
    _signed_in_client(sandbox, make_client)
    sandbox.rest.oauth.expire_tokens()
    with pytest.raises(SignInRequired) as again:
        client.count("general-ledger/account")
    assert "sign in again" in str(again.value).lower()
    assert again.value.errornos == ("tokenInvalid",)
    assert issued == []  # nothing replaced what was saved
    assert client.token is not None and saved is not None
    assert client.token.refresh_token == saved.refresh_token


@pytest.mark.parametrize(
    ("scenario", "code"),
    [
        ("rest-app-not-authorized", "GW-0011"),
        ("rest-wrong-scope", "GW-0011"),
        ("sender-not-authorized", "GW-0011"),
    ],
)
def test_token_faults_come_back_as_token_errors(
    scenario: str, code: str, sandbox: Sandbox, make_client: MakeClient
) -> None:
    sandbox.enable(scenario)
    with pytest.raises(TokenError) as refused:
        make_client().sign_in()
    assert refused.value.errornos == (code,)
    assert refused.value.http_status == 400


def test_a_token_intacct_keeps_refusing_is_reported_after_one_renewal(
    sandbox: Sandbox, make_client: MakeClient
) -> None:
    client = make_client()
    sandbox.enable("rest-token-expired")
    with pytest.raises(RestError) as refused:
        client.count("general-ledger/account")
    assert refused.value.http_status == 401
    assert refused.value.reason == "token-refused"
    assert client.tokens_issued == 2  # the first token and one renewal, not a loop


def test_redirect_uri_mismatch_is_refused_on_the_sign_in_page(
    sandbox: Sandbox, make_client: MakeClient
) -> None:
    sandbox.enable("rest-redirect-uri-mismatch")
    client = make_client(user=None)
    request = authorization_request(client.app, client.base_url)
    page = httpx.get(request.url)
    assert page.status_code == 400
    assert "redirect" in page.json()["ia::error"]["message"].lower()
