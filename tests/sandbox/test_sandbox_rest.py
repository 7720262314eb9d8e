"""The sandbox's REST API spoken to with plain httpx: data, OAuth, gateway checks, idempotency."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from wizard.sandbox import SCENARIOS, Sandbox
from wizard.sandbox.rest_data import load_rest_data


@pytest.fixture
def rest(sandbox: Sandbox) -> Iterator[httpx.Client]:
    app = sandbox.rest_app
    token = httpx.post(
        sandbox.rest_base_url + "/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "username": f"{sandbox.company.user_id}@{sandbox.company.id}",
        },
    ).json()["access_token"]
    with httpx.Client(
        base_url=sandbox.rest_base_url, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        yield client


def test_every_scenario_has_a_rest_answer_or_says_why_not() -> None:
    data = load_rest_data()
    assert set(data.answers) == set(SCENARIOS)
    for answer in data.answers.values():
        assert answer.at != "none" or answer.why, answer.scenario
    for spec in data.errors.values():
        assert spec.source, spec.name  # every answer says where it comes from, or "chosen"


def test_token_endpoint_takes_json_as_well_as_a_form(sandbox: Sandbox) -> None:
    app = sandbox.rest_app
    answer = httpx.post(
        sandbox.rest_base_url + "/oauth2/token",
        json={
            "grant_type": "client_credentials",
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "username": f"{sandbox.company.user_id}@{sandbox.company.id}",
        },
    )
    body = answer.json()
    assert answer.status_code == 200
    assert body["token_type"] == "Bearer" and body["expires_in"] == 21600
    assert body["access_token"].count(".") == 2  # a JWT, as Sage's are


@pytest.mark.parametrize(
    ("username", "code"),
    [("ws_integration", "invalidRequest"), ("ws_integration@", "GW-0012"), ("", "GW-0036")],
)
def test_client_credentials_username_faults(sandbox: Sandbox, username: str, code: str) -> None:
    app = sandbox.rest_app
    form = {"grant_type": "client_credentials", "client_id": app.client_id}
    form |= {"client_secret": app.client_secret, "username": username}
    answer = httpx.post(sandbox.rest_base_url + "/oauth2/token", data=form)
    assert answer.status_code == 400
    assert answer.json()["ia::error"]["code"] == code


def test_calls_without_a_bearer_token_or_with_a_wrong_version_are_refused(
    sandbox: Sandbox, rest: httpx.Client
) -> None:
    bare = httpx.get(sandbox.rest_base_url + "/objects/general-ledger/account")
    assert bare.status_code == 401 and bare.json()["ia::error"]["code"] == "GW-0034"
    other = httpx.get(
        sandbox.base_url + "/ia/api/v2/objects/general-ledger/account",
        headers={"Authorization": rest.headers["Authorization"]},
    )
    assert other.status_code == 400
    assert other.json()["ia::error"]["message"] == "Version is not supported."
    assert rest.get("/objects/no/such-thing").status_code == 404


def test_list_gives_references_only_up_to_a_hundred(rest: httpx.Client, sandbox: Sandbox) -> None:
    body = rest.get("/objects/accounts-receivable/invoice").json()
    assert len(body["ia::result"]) == 100
    assert set(body["ia::result"][0]) == {"key", "id", "href"}
    assert body["ia::meta"]["totalCount"] == sandbox.company.count("ARINVOICE")
    assert body["ia::meta"]["next"] == 101


def test_query_refuses_filter_parameters_at_the_top_and_unknown_fields(
    rest: httpx.Client,
) -> None:
    top = rest.post(
        "/services/core/query",
        json={"object": "general-ledger/account", "fields": ["id"], "includePrivate": True},
    )
    assert top.status_code == 400
    assert "Unrecognized key includePrivate" in top.json()["ia::error"]["message"]
    field = rest.post(
        "/services/core/query", json={"object": "general-ledger/account", "fields": ["nope"]}
    )
    detail = field.json()["ia::result"]["ia::error"]["details"][0]
    assert detail["errorId"] == "REST-1043" and detail["target"] == "/nope"


def test_idempotency_key_replays_the_first_answer_and_refuses_a_changed_body(
    rest: httpx.Client, sandbox: Sandbox
) -> None:
    headers = {"Idempotency-Key": "k-1"}
    first = rest.post("/objects/accounts-receivable/customer", json={"id": "C-I1"}, headers=headers)
    again = rest.post("/objects/accounts-receivable/customer", json={"id": "C-I1"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert "x-ia-idempotency-cached-date" in again.headers
    assert len([c for c in sandbox.company.created("CUSTOMER") if c["CUSTOMERID"] == "C-I1"]) == 1
    changed = rest.post(
        "/objects/accounts-receivable/customer", json={"id": "C-I2"}, headers=headers
    )
    assert changed.status_code == 409


def test_rate_limit_answers_429_with_retry_after(rest: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.enable("rate-limited")
    limited = rest.get("/objects/general-ledger/account/1")
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
    assert limited.json()["ia::error"]["code"] == "GW-0010"


def test_an_invoice_is_created_with_its_lines_and_refused_for_a_missing_reference(
    rest: httpx.Client, sandbox: Sandbox
) -> None:
    company = sandbox.company
    customer = company.find("CUSTOMER", "STATUS", "active")
    account = company.find("GLACCOUNT", "STATUS", "active")
    assert customer is not None and account is not None
    invoice = {
        "invoiceNumber": "INV-REST-1",
        "customer": {"id": customer["CUSTOMERID"]},
        "invoiceDate": "2026-12-01",
        "lines": [{"glAccount": {"id": account["ACCOUNTNO"]}, "txnAmount": "1.00"}] * 2,
    }
    made = rest.post("/objects/accounts-receivable/invoice", json=invoice)
    assert made.status_code == 201, made.text
    key = made.json()["ia::result"]["key"]
    lines = [r for r in company.created("ARINVOICEITEM") if r["RECORDKEY"] == key]
    assert [(r["LINE_NO"], r["ACCOUNTNO"]) for r in lines] == [
        ("1", account["ACCOUNTNO"]),
        ("2", account["ACCOUNTNO"]),
    ]

    nobody = rest.post(
        "/objects/accounts-receivable/invoice",
        json=invoice | {"invoiceNumber": "INV-REST-2", "customer": {"id": "NO-SUCH"}},
    )
    assert nobody.status_code == 422
    detail = nobody.json()["ia::error"]["details"][0]
    assert detail["message"] == "Invalid Customer 'NO-SUCH' specified."
    no_account = rest.post(
        "/objects/accounts-receivable/invoice",
        json=invoice | {"invoiceNumber": "INV-REST-3", "lines": [{"glAccount": {"id": "0000"}}]},
    )
    assert no_account.status_code == 422
    assert "GL Account '0000'" in no_account.json()["ia::error"]["details"][0]["message"]
    unknown = rest.post(
        "/objects/accounts-receivable/invoice",
        json=invoice | {"invoiceNumber": "INV-REST-4", "lines": [{"colour": "red"}]},
    )
    assert unknown.status_code == 400

    assert rest.delete(f"/objects/accounts-receivable/invoice/{key}").status_code == 204
    assert not [r for r in company.created("ARINVOICEITEM") if r["RECORDKEY"] == key]
