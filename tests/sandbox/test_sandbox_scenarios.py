"""Each fault scenario gives the exact answer the real service gives, and only where it applies.

For every scenario: switch it on, make the call it breaks, check the level, error number and
text; switch it off and check the same call works again.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import httpx
import pytest
from lxml import etree
from sandbox_client import Answer, Client, fn

from wizard.sandbox import SCENARIOS, Sandbox

_numbers = itertools.count(1)

SIGN_IN = "Sign-in information is incorrect"
PERMISSION = "You do not have permission for API operation {op} on objects of type {obj}"


def _read(obj: str, fields: str = "RECORDNO") -> str:
    return (
        f"<readByQuery><object>{obj}</object><query/><fields>{fields}</fields>"
        "<pagesize>5</pagesize></readByQuery>"
    )


def _date(sandbox: Sandbox, months_back: int = 0) -> str:
    when = sandbox.company.as_of
    month, year = when.month - months_back, when.year
    while month < 1:
        month, year = month + 12, year - 1
    return f"<year>{year}</year><month>{month:02d}</month><day>02</day>"


def _invoice(
    sandbox: Sandbox,
    account: str = "4000",
    dept: str = "SALES",
    number: str | None = None,
    customer: str = "C-1001",
    months_back: int = 0,
    custom: str = "",
) -> str:
    number = number or f"WEB-{next(_numbers)}"
    custom_xml = (
        f"<customfields><customfield><customfieldname>{custom}</customfieldname>"
        "<customfieldvalue>x</customfieldvalue></customfield></customfields>"
        if custom
        else ""
    )
    return (
        f"<create_invoice><customerid>{customer}</customerid>"
        f"<datecreated>{_date(sandbox, months_back)}</datecreated><termname>N30</termname>"
        f"<invoiceno>{number}</invoiceno>{custom_xml}<invoiceitems><lineitem>"
        f"<glaccountno>{account}</glaccountno><amount>10</amount>"
        f"<departmentid>{dept}</departmentid></lineitem></invoiceitems></create_invoice>"
    )


def _payment(
    sandbox: Sandbox,
    customer: str = "C-1001",
    source: str = "<bankaccountid>BOA-EAST</bankaccountid>",
) -> str:
    return (
        f"<create_arpayment><customerid>{customer}</customerid><paymentamount>10</paymentamount>"
        f"{source}<datereceived>{_date(sandbox)}</datereceived>"
        "<paymentmethod>Printed Check</paymentmethod></create_arpayment>"
    )


def _session_call(client: Client, body: str, entity: str | None = None) -> Answer:
    session, endpoint = client.session(entity=entity)
    return client.call(fn(body), session=session, url=endpoint)


@dataclass(frozen=True)
class Case:
    """A call the scenario breaks, and the exact failure it must produce."""

    scenario: str
    probe: Callable[[Sandbox, Client], Answer]
    level: str
    errorno: str = ""
    text: str = ""
    correction: str = ""
    description: str = ""


CASES = [
    Case(
        "sender-not-authorized",
        lambda s, c: c.call(fn("<getFinancialSetup/>")),
        "authentication",
        "XL03000006",
        "The sender ID 'DemoSender' is not authorized to make Web Services requests to "
        "company ID 'DEMO-COMPANY'.",
        "Contact the company administrator to grant Web Services authorization to this sender ID.",
        "Invalid Web Services Authorization",
    ),
    Case(
        "wrong-sender-password",
        lambda s, c: c.call(fn("<getFinancialSetup/>")),
        "control",
        "XL03000006",
        "Incorrect Intacct XML Partner ID or password.",
    ),
    Case(
        "wrong-user-password",
        lambda s, c: c.call(fn("<getAPISession/>")),
        "authentication",
        "XL03000006",
        SIGN_IN,
    ),
    Case(
        "web-services-off",
        lambda s, c: c.call(fn("<getAPISession/>")),
        "authentication",
        "XL03000006",
        "This company is not authorized for XML transactions. Please subscribe to the XML Gateway.",
    ),
    Case(
        "user-not-web-services-only",
        lambda s, c: c.call(fn("<getAPISession/>")),
        "authentication",
        "XL03000006",
        SIGN_IN,
        "The user ws_integration is not a Web Services only user.",
    ),
    Case(
        "user-locked",
        lambda s, c: c.call(fn("<getAPISession/>")),
        "authentication",
        "XL03000006",
        SIGN_IN,
        "The user ws_integration is locked out. An administrator must unlock the user.",
    ),
    Case(
        "company-id-trailing-blank",
        lambda s, c: c.call(fn("<getAPISession/>")),
        "authentication",
        "XL03000006",
        SIGN_IN,
    ),
    Case(
        "company-expired",
        lambda s, c: c.call(fn("<getAPISession/>")),
        "control",
        "PL04000055",
        "This company is a demo company and has expired.",
    ),
    Case(
        "entity-access-denied",
        lambda s, c: c.call(fn("<getAPISession/>"), entity="UK"),
        "authentication",
        "XL03000006",
        SIGN_IN,
        "The user ws_integration does not have access to entity 'UK'.",
    ),
    Case(
        "no-permission-ar",
        lambda s, c: c.call(fn(_read("ARINVOICE"))),
        "result",
        "PL04000005",
        PERMISSION.format(op="READ_BY_QUERY", obj="arinvoice"),
    ),
    Case(
        "no-permission-gl",
        lambda s, c: c.call(fn(_read("GLACCOUNT"))),
        "result",
        "PL04000005",
        PERMISSION.format(op="READ_BY_QUERY", obj="glaccount"),
    ),
    Case(
        "no-permission-cm",
        lambda s, c: c.call(fn(_read("CHECKINGACCOUNT"))),
        "result",
        "PL04000005",
        PERMISSION.format(op="READ_BY_QUERY", obj="checkingaccount"),
    ),
    Case(
        "no-permission-oe",
        lambda s, c: c.call(fn(_read("SODOCUMENT"))),
        "result",
        "PL04000005",
        PERMISSION.format(op="READ_BY_QUERY", obj="sodocument"),
    ),
    Case(
        "udd-values-unreadable",
        lambda s, c: c.call(fn(_read("FUND"))),
        "result",
        "PL04000005",
        PERMISSION.format(op="READ_BY_QUERY", obj="fund"),
    ),
    Case(
        "gl-account-restricted",
        lambda s, c: c.call(fn(_invoice(s, account="4400"))),
        "result",
        "BL01001973",
        "GL account '4400' is not valid. GL account '4400' is restricted and cannot be used "
        "for posting.",
        "Use an account that is not restricted, or remove the restriction on the account.",
    ),
    Case(
        "account-requires-dimension",
        lambda s, c: c.call(fn(_invoice(s, account="4100", dept=""))),
        "result",
        "BL01001973",
        "This transaction is missing the Department dimension for the Account 4100.",
        "Give the line a Department value.",
    ),
    Case(
        "checking-account-no-location",
        lambda s, c: c.call(fn(_payment(s, source="<bankaccountid>BOA-OPS</bankaccountid>"))),
        "result",
        "BL01001973",
        "The document you are creating has no specified location. Specify a location either "
        "within the line item or in the financial account BOA-OPS.",
    ),
    Case(
        "payment-summary-user-specified",
        lambda s, c: c.call(fn(_payment(s))),
        "result",
        "BL01001973",
        "Please provide a payment batch key.",
    ),
    Case(
        "invoice-number-exists",
        lambda s, c: c.call(fn(_invoice(s, number=f"INV-9{next(_numbers):06d}"))),
        "result",
        "BL01001973",
        "A transaction with the number 'INV-9{n}' already exists.",
    ),
    Case(
        "field-not-found",
        lambda s, c: c.call(fn(_read("ARINVOICE", "RECORDNO,SYNC_REF"))),
        "result",
        "DL02000001",
        "There was an error processing the request.",
    ),
    Case(
        "undeposited-funds-foreign-currency",
        lambda s, c: c.call(fn(_payment(s, "C-1006", "<undepfundsacct>1050</undepfundsacct>"))),
        "result",
        "BL02000051",
        'You cannot make payment for foreign currency invoice for payment method "Printed Check" '
        "using Undeposited Fund Account.",
    ),
    Case(
        "smart-rule-violated",
        lambda s, c: c.call(fn(_invoice(s))),
        "result",
        "BL01001973",
        "Smart rule arinvoice_entity_only was violated. This record needs to be created at the "
        "entity level. Please navigate to the correct level and recreate the record.",
    ),
    Case(
        "liability-account-entity-level",
        lambda s, c: c.call(
            fn(f"<create><CREDITCARD><CARDID>VISA-{next(_numbers)}</CARDID></CREDITCARD></create>")
        ),
        "result",
        "BL01001973",
        "A liability credit card account must be created at the entity level.",
    ),
    Case(
        "period-closed",
        lambda s, c: c.call(fn(_invoice(s, months_back=2))),
        "result",
        "BL01001973",
        "The period for {date} is closed. Date associated with the transaction must be on or "
        "after {open_from}.",
    ),
    Case(
        "too-many-operations",
        lambda s, c: c.call(fn("<getFinancialSetup/>")),
        "control",
        "XMLGW_JPP0001",
        "There are too many operations running for this company.",
    ),
    Case(
        "rate-limited",
        lambda s, c: c.call(fn("<getFinancialSetup/>")),
        "http-429",
        "GW-0010",
    ),
    Case(
        "session-expiry",
        lambda s, c: _expiring_session(c),
        "authentication",
        "XL03000006",
        "Invalid session",
    ),
]


def _expiring_session(client: Client) -> Answer:
    """A session used at once, then left unused a little longer than the scenario allows."""
    session, endpoint = client.session()
    first = client.call(fn("<getFinancialSetup/>"), session=session, url=endpoint)
    assert first.first("//result/status") == "success"
    time.sleep(float(SCENARIOS["session-expiry"].params["idle_timeout_s"]) + 0.3)
    return client.call(fn("<getFinancialSetup/>"), session=session, url=endpoint)


def _errors(answer: Answer, level: str) -> etree._Element:
    root = answer.xml
    if level == "control":
        assert root.xpath("string(/response/control/status)") == "failure"
        assert not root.xpath("/response/operation")
        return root.xpath("/response/errormessage/error")[0]
    assert root.xpath("string(/response/control/status)") == "success"
    if level == "authentication":
        assert root.xpath("string(//operation/authentication/status)") == "failure"
        assert not root.xpath("//result")
        return root.xpath("//operation/errormessage/error")[0]
    assert root.xpath("string(//operation/authentication/status)") == "success"
    assert root.xpath("string(//result/status)") == "failure"
    return root.xpath("//result/errormessage/error")[0]


def test_every_scenario_has_a_case_here() -> None:
    covered = {case.scenario for case in CASES} | set(TRANSPORT_SCENARIOS)
    # REST-only scenarios answer over REST only: tests/sandbox/test_sandbox_rest.py, tests/rest.
    rest_only = {name for name, scenario in SCENARIOS.items() if scenario.level == "rest"}
    assert covered | rest_only == set(SCENARIOS)


@pytest.mark.parametrize("case", CASES, ids=[c.scenario for c in CASES])
def test_scenario_answer_and_switching_it_off(case: Case) -> None:
    with Sandbox(scenarios=[case.scenario]) as sandbox:
        client = Client(sandbox)
        answer = case.probe(sandbox, client)
        if case.level == "http-429":
            assert answer.status == 429
            assert answer.first("/response/control/status") == "failure"
            assert answer.first("//errorno") == case.errorno
        else:
            assert answer.status == 200
            error = _errors(answer, case.level)
            assert error.findtext("errorno") == case.errorno
            text = error.findtext("description2") or ""
            if "{" in case.text:
                assert _matches_template(case.text, text), text
            else:
                assert text == case.text
            assert (error.findtext("correction") or "") == case.correction
            if case.description:
                assert error.findtext("description") == case.description
        sandbox.disable(case.scenario)
        restored = case.probe(sandbox, client)
        client.close()
    assert restored.status == 200
    statuses = restored.xml.xpath("//result/status/text()")
    assert restored.first("/response/control/status") == "success"
    assert statuses and set(statuses) == {"success"}, restored.body[-600:]


def _matches_template(template: str, text: str) -> bool:
    import re

    pattern = re.escape(template)
    pattern = re.sub(r"\\\{[a-z_]+\\\}", ".+", pattern)
    return re.fullmatch(pattern, text) is not None


# -- push-side scenarios fail only the records they apply to -----------------------------


def test_push_faults_fail_only_the_records_they_apply_to() -> None:
    scenarios = [
        "gl-account-restricted",
        "account-requires-dimension",
        "checking-account-no-location",
        "payment-summary-user-specified",
        "invoice-number-exists",
        "field-not-found",
        "undeposited-funds-foreign-currency",
        "period-closed",
    ]
    with Sandbox(scenarios=scenarios) as sandbox:
        client = Client(sandbox)
        batch = "<batchkey>77</batchkey>"
        answer = client.call(
            fn(_invoice(sandbox, account="4400"), "restricted"),
            fn(_invoice(sandbox, account="4100", dept=""), "no-dept"),
            fn(_invoice(sandbox, number="INV-8000001"), "taken-number"),
            fn(_invoice(sandbox, custom="SYNC_REF"), "removed-field"),
            fn(_invoice(sandbox, months_back=3), "closed-period"),
            fn(_invoice(sandbox, account="4100", dept="SVC", number="OK-1"), "good-invoice"),
            fn(_payment(sandbox), "no-batch"),
            fn(_payment(sandbox, source=batch + "<bankaccountid>BOA-OPS</bankaccountid>"), "loc"),
            fn(_payment(sandbox, "C-1006", batch + "<undepfundsacct>1050</undepfundsacct>"), "fx"),
            fn(_payment(sandbox, source=batch + "<bankaccountid>BOA-EAST</bankaccountid>"), "ok"),
        )
        client.close()
        statuses = dict(
            zip(answer.all("//result/controlid"), answer.all("//result/status"), strict=True)
        )
        assert [k for k, v in statuses.items() if v == "success"] == ["good-invoice", "ok"]
        assert [r["RECORDID"] for r in sandbox.company.created("ARINVOICE")] == ["OK-1"]
        assert len(sandbox.company.created("ARPYMT")) == 1


def test_smart_rules_and_liability_accounts_depend_on_the_level() -> None:
    with Sandbox(scenarios=["smart-rule-violated", "liability-account-entity-level"]) as sandbox:
        client = Client(sandbox)
        top = client.call(
            fn("<create><CUSTOMER><CUSTOMERID>C-TOP</CUSTOMERID><NAME>T</NAME></CUSTOMER></create>")
        )
        assert top.first("//result/status") == "success"
        entity = _session_call(
            client,
            "<create><CUSTOMER><CUSTOMERID>C-ENT</CUSTOMERID><NAME>E</NAME></CUSTOMER></create>",
            entity="US-EAST",
        )
        assert entity.first("//result//description2").startswith(
            "Smart rule customer_creation was violated. This record needs to be created at the "
            "top level."
        )
        invoice = _session_call(client, _invoice(sandbox), entity="US-EAST")
        assert invoice.first("//result/status") == "success"
        card = _session_call(
            client, "<create><CREDITCARD><CARDID>AMEX-2</CARDID></CREDITCARD></create>", "US-WEST"
        )
        assert card.first("//result/status") == "success"
        client.close()


def test_udd_scenario_blocks_only_the_restricted_dimension() -> None:
    with Sandbox(scenarios=["udd-values-unreadable"]) as sandbox:
        client = Client(sandbox)
        answer = client.call(fn(_read("CHANNEL", "id,name"), "channel"), fn(_read("FUND"), "fund"))
        client.close()
    assert answer.all("//result/status") == ["success", "failure"]
    assert answer.all("//channel/id") == ["DIRECT", "PARTNER", "MARKETPLACE"]


def test_payment_summary_scenario_shows_in_the_ar_preferences() -> None:
    with Sandbox(scenarios=["payment-summary-user-specified"]) as sandbox:
        client = Client(sandbox)
        answer = client.call(fn('<get_companyprefs application="AR"/>'))
        client.close()
    assert answer.first("//companypref[preference='PAYMENT_SUMMARY_FREQUENCY']/prefvalue") == (
        "User specified"
    )


def test_trailing_blank_is_in_the_handed_out_company_id_only_while_on() -> None:
    with Sandbox(scenarios=["company-id-trailing-blank"]) as sandbox:
        assert sandbox.credentials.company_id == "DEMO-COMPANY "
        sandbox.disable("company-id-trailing-blank")
        assert sandbox.credentials.company_id == "DEMO-COMPANY"


def test_entity_access_scenario_keeps_the_top_level_working() -> None:
    with Sandbox(scenarios=["entity-access-denied"]) as sandbox:
        client = Client(sandbox)
        assert client.call(fn("<getAPISession/>")).first("//result/status") == "success"
        session, endpoint = client.session()
        switch = client.call(
            fn("<getAPISession><locationid>UK</locationid></getAPISession>"),
            session=session,
            url=endpoint,
        )
        client.close()
    assert switch.first("//result/status") == "failure"
    assert switch.first("//result//errorno") == "Get API Session Failed"


# -- HTTP and transport scenarios --------------------------------------------------------

TRANSPORT_SCENARIOS = (
    "server-error",
    "cdn-timeout-524",
    "dropped-connections",
    "slow-responses",
    "truncated-responses",
    "html-error-pages",
)


def test_server_error_is_http_503_without_xml_and_nothing_runs() -> None:
    with Sandbox(scenarios=["server-error"]) as sandbox:
        client = Client(sandbox)
        answer = client.call(fn(_invoice(sandbox, number="SE-1")))
        assert answer.status == 503
        assert not answer.body.lstrip().startswith(b"<")
        assert sandbox.company.created("ARINVOICE") == []
        sandbox.disable("server-error")
        assert client.call(fn("<getFinancialSetup/>")).status == 200
        client.close()


def test_cdn_timeout_answers_524_but_the_write_still_happens() -> None:
    with Sandbox(scenarios=["cdn-timeout-524"]) as sandbox:
        client = Client(sandbox)
        answer = client.call(fn(_invoice(sandbox, number="CDN-1")))
        assert answer.status == 524
        assert [r["RECORDID"] for r in sandbox.company.created("ARINVOICE")] == ["CDN-1"]
        sandbox.disable("cdn-timeout-524")
        assert client.call(fn("<getFinancialSetup/>")).first("//result/status") == "success"
        client.close()


def test_dropped_connection_gives_no_answer_but_the_write_still_happens() -> None:
    with Sandbox(scenarios=["dropped-connections"]) as sandbox:
        client = Client(sandbox)
        with pytest.raises(httpx.TransportError):
            client.call(fn(_invoice(sandbox, number="DROP-1")))
        assert [r["RECORDID"] for r in sandbox.company.created("ARINVOICE")] == ["DROP-1"]
        sandbox.disable("dropped-connections")
        assert client.call(fn("<getFinancialSetup/>")).status == 200
        client.close()


def test_slow_responses_still_answer_correctly_only_later() -> None:
    delay = float(SCENARIOS["slow-responses"].params["delay_s"])
    with Sandbox(scenarios=["slow-responses"]) as sandbox:
        client = Client(sandbox)
        started = time.monotonic()
        answer = client.call(fn("<getFinancialSetup/>"))
        elapsed = time.monotonic() - started
        sandbox.disable("slow-responses")
        started = time.monotonic()
        client.call(fn("<getFinancialSetup/>"))
        fast = time.monotonic() - started
        client.close()
    assert answer.first("//result/status") == "success"
    assert elapsed >= delay > fast


def test_truncated_responses_are_cut_xml() -> None:
    with Sandbox(scenarios=["truncated-responses"]) as sandbox:
        client = Client(sandbox)
        answer = client.call(fn("<getFinancialSetup/>"))
        assert answer.status == 200
        with pytest.raises(etree.XMLSyntaxError):
            etree.fromstring(answer.body)
        sandbox.disable("truncated-responses")
        assert client.call(fn("<getFinancialSetup/>")).first("//result/status") == "success"
        client.close()


def test_html_error_pages_come_from_the_cdn() -> None:
    with Sandbox(scenarios=["html-error-pages"]) as sandbox:
        client = Client(sandbox)
        response = client.http.post(sandbox.endpoint, content=b"<request/>")
        sandbox.disable("html-error-pages")
        restored = client.call(fn("<getFinancialSetup/>"))
        client.close()
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert b"cf-error-details" in response.content
    assert restored.first("//result/status") == "success"


# -- switching at run time ---------------------------------------------------------------


def test_admin_call_switches_scenarios_at_run_time(sandbox: Sandbox, client: Client) -> None:
    listed = httpx.get(sandbox.admin_url).json()
    assert listed == {"scenarios": [], "times_left": {}, "user_permissions": None}
    changed = httpx.post(sandbox.admin_url, json={"enable": ["company-expired"]}).json()
    assert changed["scenarios"] == ["company-expired"]
    assert client.call(fn("<getAPISession/>")).first("//errorno") == "PL04000055"
    httpx.post(sandbox.admin_url, json={"disable": ["company-expired"]})
    assert client.call(fn("<getAPISession/>")).first("//result/status") == "success"
    refused = httpx.post(sandbox.admin_url, json={"enable": ["no-such-fault"]})
    assert refused.status_code == 400
    assert "no-such-fault" in refused.json()["error"]


def test_scenarios_carry_fix_ids_and_sources() -> None:
    for scenario in SCENARIOS.values():
        assert scenario.description
        if scenario.level in ("control", "authentication", "result"):
            assert scenario.errorno_source, scenario.name
            assert scenario.fix_id, scenario.name


# -- faults that go away: a scenario on for a number of hits -------------------------------


def test_a_scenario_on_for_two_hits_answers_twice_then_normally(
    sandbox: Sandbox, client: Client
) -> None:
    sandbox.enable("rate-limited", times=2)
    statuses = [client.call(fn("<getFinancialSetup/>")).status for _ in range(3)]
    assert statuses == [429, 429, 200]
    assert "rate-limited" not in sandbox.scenarios


def test_one_session_expiry_ends_one_session_once(sandbox: Sandbox, client: Client) -> None:
    session, endpoint = client.session()
    sandbox.enable("session-expiry", times=1)
    ended = client.call(fn("<getFinancialSetup/>"), session=session, url=endpoint)
    assert ended.first("//operation/errormessage/error/description2") == "Invalid session"
    session, endpoint = client.session()
    again = client.call(fn("<getFinancialSetup/>"), session=session, url=endpoint)
    assert again.first("//result/status") == "success"
    assert "session-expiry" not in sandbox.scenarios


def test_sessions_end_after_a_time_unused_as_the_sessiontimeout_says() -> None:
    """Not after a number of calls: each call moves the end on (spec §3.1)."""
    with Sandbox(scenarios=["session-expiry"]) as sandbox:
        client = Client(sandbox)
        session, endpoint = client.session()
        idle = float(SCENARIOS["session-expiry"].params["idle_timeout_s"])
        for _ in range(8):  # many calls, each well inside the idle time: the session lives
            answer = client.call(fn("<getFinancialSetup/>"), session=session, url=endpoint)
            assert answer.first("//result/status") == "success"
        stamp = answer.first("//authentication/sessiontimestamp")
        timeout = answer.first("//authentication/sessiontimeout")
        client.close()
    lasts = datetime.fromisoformat(timeout) - datetime.fromisoformat(stamp)
    assert abs(lasts.total_seconds() - idle) <= 1


def test_the_admin_call_switches_a_scenario_on_for_a_number_of_hits(sandbox: Sandbox) -> None:
    answer = httpx.post(
        sandbox.admin_url, json={"enable": ["server-error"], "times": {"server-error": 1}}
    ).json()
    assert answer["times_left"] == {"server-error": 1}
    bad = httpx.post(
        sandbox.admin_url, json={"enable": ["server-error"], "times": {"server-error": 0}}
    )
    assert bad.status_code == 400 and "1 or more" in bad.json()["error"]
