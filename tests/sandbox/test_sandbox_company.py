"""The demo company: data from resources/, deterministic generation at any size, clear errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sandbox_client import Client, fn

from wizard.sandbox import Company, Sandbox, SandboxDataError
from wizard.sandbox.data import resources_dir
from wizard.sandbox.scenarios import load_scenarios


def test_demo_company_has_what_the_brief_promises() -> None:
    company = Company()
    assert company.id == "DEMO-COMPANY"
    assert {"US-EAST", "US-WEST", "UK"} <= set(company.entity_by_id)
    assert company.entity_by_id["UK"].currency != company.base_currency
    accounts = list(company.records("GLACCOUNT"))
    assert any(a["STATUS"] == "inactive" for a in accounts)
    assert any(a.restricted for a in company.gl_accounts.values())
    assert any(a.requires_dimension for a in company.gl_accounts.values())
    assert all(r["LOCATIONID"] for r in company.records("CHECKINGACCOUNT"))
    company.show_checking_locations(removed=True)
    assert any(r["LOCATIONID"] == "" for r in company.records("CHECKINGACCOUNT"))
    assert all(p["CUSTOMERID"] for p in company.records("PROJECT"))
    assert len(company.udds) == 2 and sum(u.restricted for u in company.udds) == 1
    assert company.count("ARINVOICE") > 0
    assert company.count("ARPYMT") > 0
    assert company.count("ARADJUSTMENT") > 0


def test_generation_is_deterministic_and_spans_about_18_months() -> None:
    one, two = Company(records=5000), Company(records=5000)
    assert list(one.records("ARINVOICE")) == list(two.records("ARINVOICE"))
    assert list(one.records("ARPYMT")) == list(two.records("ARPYMT"))
    dates = [r["WHENCREATED"] for r in one.records("ARINVOICE")]
    years_months = {(d[6:10], d[0:2]) for d in dates}
    assert 17 <= len(years_months) <= 20


def test_two_hundred_thousand_records_cost_nothing_until_read() -> None:
    company = Company(records=200_000)
    table = company.tables["ARINVOICE"]
    assert company.count("ARINVOICE") == 200_000
    assert table.extra == [] and table.overrides == {}
    last = company.find("ARINVOICE", "RECORDID", "INV-0200000")
    assert last is not None and last["RECORDNO"] == "200000"
    sample = [table.row(i) for i in range(0, 200_000, 997)]
    paid = sum(1 for row in sample if row is not None and table.value(row, "STATE") == "Paid")
    # One payment per paid invoice: 60% of invoices (company.toml payment_ratio).
    assert company.count("ARPYMT") == 120_000
    assert 0.5 < paid / len(sample) < 0.7


def test_a_broken_data_file_is_reported_with_what_to_fix(tmp_path: Path) -> None:
    folder = tmp_path / "sandbox"
    shutil.copytree(resources_dir(), folder)
    text = (folder / "company.toml").read_text(encoding="utf-8")
    (folder / "company.toml").write_text(text.replace('id = "DemoSender"', ""), encoding="utf-8")
    with pytest.raises(SandboxDataError, match=r"\[sender\].*'id' is missing"):
        Company(folder=folder)
    (folder / "scenarios.toml").write_text("[scenarios.x]\nlevel = 'sideways'\n", encoding="utf-8")
    with pytest.raises(SandboxDataError, match="level must be one of"):
        load_scenarios(folder)


def test_unknown_scenario_names_are_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"Known scenarios: .*period-closed"):
        Sandbox(scenarios=["perod-closed"])


def test_created_records_are_visible_to_tests_through_company(
    sandbox: Sandbox, client: Client
) -> None:
    answer = client.call(
        fn(
            "<create><CUSTOMER><CUSTOMERID>C-77</CUSTOMERID>"
            "<NAME>A &amp; B</NAME></CUSTOMER></create>"
        )
    )
    assert answer.first("//result/status") == "success"
    created = sandbox.company.created("CUSTOMER")
    assert [(c["CUSTOMERID"], c["NAME"]) for c in created] == [("C-77", "A & B")]


def test_sandbox_command_prints_json_credentials_and_serves() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "wizard", "sandbox", "--json", "--records", "50"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = json.loads(process.stdout.readline())
        assert set(line) == {
            "endpoint",
            "sender_id",
            "sender_password",
            "company_id",
            "user_id",
            "user_password",
            "entities",
            "strict",
            "rest_base_url",
            "rest_client_id",
            "rest_client_secret",
            "rest_redirect_uri",
        }
        assert line["strict"] is False
        assert line["rest_base_url"] == line["endpoint"].split("/ia/")[0] + "/ia/api/v1"
        assert line["endpoint"].startswith("http://127.0.0.1:")
        assert line["company_id"] == "DEMO-COMPANY"
        assert line["entities"] == ["US-EAST", "US-WEST", "UK"]
        body = (
            "<request><control><senderid>{sender_id}</senderid><password>{sender_password}"
            "</password><controlid>c</controlid></control><operation><authentication><login>"
            "<userid>{user_id}</userid><companyid>{company_id}</companyid><password>"
            "{user_password}</password></login></authentication><content>"
            '<function controlid="f"><readByQuery><object>ARINVOICE</object><query/>'
            "<pagesize>100</pagesize></readByQuery></function></content></operation></request>"
        ).format(**line)
        answer = httpx.post(line["endpoint"], content=body.encode(), timeout=10)
        assert b'totalcount="50"' in answer.content
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_sandbox_command_refuses_unknown_scenarios() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "wizard", "sandbox", "--scenario", "nope"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Unknown sandbox scenario(s): nope" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("records", [0, 1, 5, 19])
def test_a_small_company_of_any_size_serves_its_invoices(records: int) -> None:
    with Sandbox(records=records) as sandbox:
        client = Client(sandbox)
        answer = client.call(
            fn(
                "<readByQuery><object>ARINVOICE</object><query/><fields>*</fields>"
                "<pagesize>100</pagesize></readByQuery>"
            )
        )
        client.close()
    assert answer.first("//data/@totalcount") == str(records)
    assert len(answer.all("//data/*/RECORDID")) == records


def test_the_sandbox_command_starts_with_no_invoices() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "wizard", "sandbox", "--json", "--records", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = json.loads(process.stdout.readline() or "{}")
        assert line.get("endpoint", "").startswith("http://127.0.0.1:"), process.stderr
    finally:
        process.terminate()
        process.wait(timeout=10)
