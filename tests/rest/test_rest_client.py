"""The REST client against the sandbox over real loopback HTTP: objects, query, bulk, errors."""

from __future__ import annotations

import pytest
from rest_helpers import MakeClient

from wizard.gateway import RetryPolicy
from wizard.gateway.transport import Retried
from wizard.rest import RestError
from wizard.sandbox import Sandbox


def test_query_pages_through_every_record_the_company_has(
    sandbox: Sandbox, make_client: MakeClient
) -> None:
    client = make_client()
    invoices = sandbox.company.count("ARINVOICE")
    rows = list(client.query("accounts-receivable/invoice", ["key", "id"], size=70))
    assert len(rows) == invoices
    assert len({row["key"] for row in rows}) == invoices  # no page repeated or skipped
    assert client.count("accounts-receivable/invoice") == invoices
    sent = client.requests_sent
    assert len(list(client.query("accounts-receivable/invoice", ["key"], limit=3))) == 3
    assert client.requests_sent == sent + 1  # one small page, not the whole table


def test_query_filters_order_and_dotted_fields(make_client: MakeClient) -> None:
    client = make_client()
    rows = list(
        client.query(
            "general-ledger/account",
            ["id", "name", "status"],
            filters=[{"$eq": {"status": "inactive"}}, {"$startsWith": {"id": "1"}}],
            filter_expression="1 or 2",
            order_by=[{"id": "desc"}],
        )
    )
    assert rows and all(r["status"] == "inactive" or r["id"].startswith("1") for r in rows)
    assert [r["id"] for r in rows] == sorted((r["id"] for r in rows), reverse=True)
    banks = list(client.query("cash-management/checking-account", ["id", "location.id"]))
    assert banks and all("location.id" in b for b in banks)


def test_entity_header_scopes_reads_and_a_misspelt_header_is_silently_ignored(
    sandbox: Sandbox, make_client: MakeClient
) -> None:
    entity = sandbox.credentials.entities[0]
    top = make_client().count("accounts-receivable/invoice")
    scoped = make_client(entity_id=entity).count("accounts-receivable/invoice")
    misspelt = make_client(entity_id=entity, entity_header="Sage-Param-Entity")
    assert 0 < scoped < top
    # Intacct accepts an unknown header name and answers with top-level data (§1.3).
    assert misspelt.count("accounts-receivable/invoice") == top


def test_read_create_update_delete_one_record(sandbox: Sandbox, make_client: MakeClient) -> None:
    client = make_client()
    ref = client.create(
        "accounts-receivable/customer",
        {"id": "C-REST-1", "name": "Rest Ltd", "term": {"id": ""}},  # blank ref left out
    )
    assert ref["id"] == "C-REST-1" and ref["href"].endswith(ref["key"])
    assert sandbox.company.find("CUSTOMER", "CUSTOMERID", "C-REST-1") is not None
    client.update("accounts-receivable/customer", ref["key"], {"name": "Rest Limited"})
    record = client.get("accounts-receivable/customer", ref["key"])
    assert record["name"] == "Rest Limited"
    assert record["audit"]["modifiedDateTime"].endswith("Z")
    client.delete("accounts-receivable/customer", ref["key"])
    assert sandbox.company.find("CUSTOMER", "CUSTOMERID", "C-REST-1") is None
    with pytest.raises(RestError) as missing:
        client.get("accounts-receivable/customer", ref["key"])
    assert missing.value.http_status == 404
    assert missing.value.errornos == ("notFound",)


def test_bulk_create_reports_each_record_and_atomic_keeps_nothing(
    sandbox: Sandbox, make_client: MakeClient
) -> None:
    client = make_client()
    existing = next(sandbox.company.records("CUSTOMER"))["CUSTOMERID"]
    outcomes = client.create_many(
        "accounts-receivable/customer",
        [{"id": "C-B1", "name": "One"}, {"id": existing, "name": "Dup"}, {"id": "C-B2"}],
    )
    assert [o.ok for o in outcomes] == [True, False, True]
    assert outcomes[1].status == 422
    assert outcomes[1].errors[0].errorno == "BL01001973"
    assert "Another record with the value" in outcomes[1].errors[0].description
    before = sandbox.company.count("CUSTOMER")
    atomic = client.create_many(
        "accounts-receivable/customer",
        [{"id": "C-B3", "name": "Three"}, {"id": existing, "name": "Dup"}],
        atomic=True,
    )
    assert not any(o.ok for o in atomic)
    assert atomic[0].errors[0].errorno == "unprocessed"
    assert sandbox.company.count("CUSTOMER") == before


def test_permission_refusal_is_a_403_with_intacct_words(
    sandbox: Sandbox, make_client: MakeClient
) -> None:
    sandbox.enable("rest-forbidden-object")
    client = make_client()
    assert client.count("general-ledger/account") > 0  # other objects still work
    with pytest.raises(RestError) as refused:
        client.count("cash-management/checking-account")
    assert refused.value.http_status == 403
    assert "permission" in str(refused.value)
    allowed = client.allowed_operations("general-ledger/account", ["1"], ["canView", "canEdit"])
    assert allowed == {"1": frozenset({"canView", "canEdit"})}


def test_rate_limit_is_retried_after_the_time_intacct_asks(
    sandbox: Sandbox, make_client: MakeClient, slept: list[float]
) -> None:
    client = make_client()
    client.sign_in()
    sandbox.enable("rate-limited")
    with pytest.raises(RestError) as limited:
        client.count("general-ledger/account")
    assert limited.value.http_status == 429
    assert limited.value.errornos == ("GW-0010",)
    assert slept == [1.0, 1.0]  # Retry-After: 1, three attempts in all


def test_each_rate_limit_waited_out_is_told_to_the_retry_policy(
    sandbox: Sandbox, make_client: MakeClient, slept: list[float]
) -> None:
    """Diagnose tells a fault that went away after retries from one that did not by the
    policy's on_retry; over REST as over the XML gateway."""
    heard: list[Retried] = []
    policy = RetryPolicy(
        max_attempts=3, base_delay_s=0.01, sleep=slept.append, on_retry=heard.append
    )
    client = make_client(retry=policy)
    client.sign_in()
    sandbox.enable("rate-limited")
    with pytest.raises(RestError):
        client.count("general-ledger/account")
    assert [(r.reason, r.http_status, r.delay_s) for r in heard] == [("rate-limited", 429, 1.0)] * 2


def test_a_read_is_retried_through_a_5xx_but_a_write_without_a_key_is_not(
    sandbox: Sandbox, make_client: MakeClient, slept: list[float]
) -> None:
    client = make_client()
    client.sign_in()
    sandbox.enable("server-error")
    with pytest.raises(RestError) as down:
        client.count("general-ledger/account")
    assert down.value.http_status == 503 and len(slept) == 2
    slept.clear()
    with pytest.raises(RestError) as not_sent_twice:
        client.request("DELETE", "/objects/accounts-receivable/customer/1")
    assert not_sent_twice.value.http_status == 503 and slept == []


def test_a_web_page_instead_of_json_is_a_clear_error(
    sandbox: Sandbox, make_client: MakeClient
) -> None:
    client = make_client()
    client.sign_in()
    sandbox.enable("html-error-pages")
    with pytest.raises(RestError) as page:
        client.get("general-ledger/account", "1")
    assert page.value.http_status == 502
    assert "web page" in str(page.value)


def test_a_business_rule_refusal_names_its_fix(sandbox: Sandbox, make_client: MakeClient) -> None:
    """rest-business-rule: only a write shows it; the record's error names the fix."""
    from wizard.fixes import load_catalogue

    sandbox.enable("rest-business-rule")
    with pytest.raises(RestError) as refused:
        make_client().create("accounts-receivable/customer", {"id": "C-422", "name": "X"})
    assert refused.value.http_status == 422
    assert refused.value.errornos == ("BL01001973", "operationFailed")
    assert load_catalogue().match(refused.value).id == "period-closed"
    assert sandbox.company.find("CUSTOMER", "CUSTOMERID", "C-422") is None
