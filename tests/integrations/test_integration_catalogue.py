"""The integration catalogue (resources/integrations): every file loads, every need has a
source, mistakes are refused with the file and entry named, and a new file is a new integration."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from wizard import cli
from wizard.connection import ConnectionMethod
from wizard.integrations import (
    OWN_INTEGRATION_ID,
    IntegrationCatalogueError,
    load_integrations,
)
from wizard.resources import resource_path
from wizard.sync.flows import load_flows

CATALOGUE = load_integrations()
REQUIRED = {"invoiced", "expensify", "bill", "ramp", "brex", "fyle", "fivetran", "workato"}
NEEDS = [(i.id, n) for i in CATALOGUE for n in i.needs]


def test_the_required_integrations_are_there_with_this_program_first_and_default() -> None:
    assert REQUIRED | {OWN_INTEGRATION_ID} <= set(CATALOGUE.ids)
    assert CATALOGUE.ids[0] == OWN_INTEGRATION_ID == CATALOGUE.default.id


@pytest.mark.parametrize(("integration", "need"), NEEDS, ids=lambda v: getattr(v, "object", v))
def test_every_need_carries_a_source_and_a_module_permission(integration: str, need) -> None:  # type: ignore[no-untyped-def]
    assert need.source.startswith(("https://", "resources/")), need
    assert need.permission.module_name and need.permission.name
    assert need.operations


def test_published_sender_ids_and_what_to_do_when_a_vendor_publishes_none() -> None:
    assert CATALOGUE.get("expensify").sender.ids == ("expensify",)
    assert "lower case" in CATALOGUE.get("expensify").sender.case_rule
    assert CATALOGUE.get("ramp").sender_text == "RampFinancialMPP"
    assert CATALOGUE.get("brex").sender_text == "BrexMPP"
    assert CATALOGUE.get("invoiced").sender_text == "ask Invoiced for it"
    assert CATALOGUE.get("bill").sender_text == "ask BILL for it"


def test_expensify_needs_time_and_expenses_and_writes_expense_reports() -> None:
    expensify = CATALOGUE.get("expensify")
    modules = {n.permission.module_name for n in expensify.needs}
    assert {"Time & Expenses", "Cash Management", "General Ledger"} <= modules
    assert "EEXPENSES" in {w.object for w in expensify.writes}
    assert expensify.user.name == "xmlgateway_expensify"
    assert expensify.package is not None
    assert any(r.level == "entity" for r in expensify.entity_rules)


def test_bill_and_invoiced_settings_say_how_each_is_checked() -> None:
    bill = {s.name: s for s in CATALOGUE.get("bill").settings}
    assert bill["AR summary frequency"].check == "payment-summary-frequency"
    assert bill["AP summary frequency"].check == ""  # Intacct does not tell: could not verify
    assert bill["Location on checking accounts"].check == "checking-account-locations"
    invoiced = {s.name: s for s in CATALOGUE.get("invoiced").settings}
    assert invoiced["Invoice numbering"].check == "document-numbering"


def test_this_programs_needs_are_what_the_default_flows_use() -> None:
    flows = load_flows()
    used: dict[str, set[str]] = {}
    for flow_id in flows.default:
        for use in flows[flow_id].uses:
            if use.object:
                ops = used.setdefault(use.object, set())
                for operation in use.operations:
                    ops.add(
                        {"create": "add", "update": "edit", "delete": "delete"}.get(
                            operation, "list"
                        )
                    )
    own = CATALOGUE.default
    assert {n.object: set(n.operations) for n in own.needs} == used


def test_integrations_command_lists_ids_and_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["integrations", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {"id", "name"} <= set(listed[0])
    assert {row["id"] for row in listed} == set(CATALOGUE.ids)
    assert cli.main(["integrations"]) == 0
    out = capsys.readouterr().out
    assert "expensify" in out and "Expensify" in out


# -- a support person's files ----------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "integrations"
    shutil.copytree(resource_path("integrations"), copy)
    return copy


def _edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


NEW_FILE = """
id = "acme-expenses"
name = "Acme Expenses"
vendor = "Acme"
reads = ["GLACCOUNT"]

[connection]
methods = ["rest", "xml"]
source = "https://example.com/acme/rest"

[sender]
ids = ["AcmeMPP"]
case = "exactly as shown"
source = "https://example.com/acme/intacct"

[user]
name = "acme_ws"
type = "Business"
admin = "Full"
source = "https://example.com/acme/intacct"

[[need]]
object = "GLACCOUNT"
operations = ["list", "view"]
source = "https://example.com/acme/intacct"
# end
"""


def test_a_new_file_is_a_new_integration(folder: Path) -> None:
    (folder / "acme-expenses.toml").write_text(NEW_FILE, encoding="utf-8")
    catalogue = load_integrations(folder)
    acme = catalogue.get("acme-expenses")
    assert acme.sender_text == "AcmeMPP"
    assert acme.needs[0].permission.shown == "General Ledger › Accounts"
    assert acme.methods.offered == (ConnectionMethod.REST, ConnectionMethod.XML)
    assert acme.methods.default is ConnectionMethod.REST


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('source = "https://example.com/acme/intacct"\n# end', "", "need #1: every fact needs a"),
        ('object = "GLACCOUNT"\noperations', 'object = "GLACOUNT"\noperations', "GLACOUNT"),
        ('["list", "view"]', '["list", "read"]', "operations must be among"),
        ('id = "acme-expenses"', 'id = "acme"', "must be the file's name"),
        ('reads = ["GLACCOUNT"]', 'reads = ["CUSTOMER"]', "it reads CUSTOMER"),
        ('ids = ["AcmeMPP"]', 'ids = ["AcmeMPP"]\nshouting = true', "unknown key(s) shouting"),
        (
            'source = "https://example.com/acme/intacct"\n# end',
            'source = "www.example.com"',
            "must be an https:// page",
        ),
        ('methods = ["rest", "xml"]', 'methods = ["soap"]', "[connection]: methods must list"),
        ('methods = ["rest", "xml"]', 'methods = ["xml", "xml"]', "each once"),
        ('methods = ["rest", "xml"]', "methods = []", "methods must list"),
        ('source = "https://example.com/acme/rest"\n', "", "[connection]: every fact needs a"),
        ("[connection]\n", "[connexion]\n", "unknown key(s) connexion"),
    ],
)
def test_mistakes_are_refused_naming_the_file_and_entry(
    folder: Path, old: str, new: str, words: str
) -> None:
    file = folder / "acme-expenses.toml"
    file.write_text(NEW_FILE, encoding="utf-8")
    _edit(file, old, new)
    with pytest.raises(IntegrationCatalogueError) as raised:
        load_integrations(folder)
    assert "acme-expenses.toml" in str(raised.value)
    assert words in str(raised.value)


def test_a_need_without_a_source_in_a_shipped_file_is_refused(folder: Path) -> None:
    file = folder / "expensify.toml"
    text = file.read_text(encoding="utf-8")
    start = text.index("[[need]]")
    end = text.index("\n", text.index("source = ", start))
    file.write_text(text[:start] + text[start:end].rsplit("\n", 1)[0] + text[end:])
    with pytest.raises(IntegrationCatalogueError, match=r"expensify\.toml need #1: every fact"):
        load_integrations(folder)


def test_a_fix_rule_scoped_to_an_unknown_integration_is_refused(folder: Path) -> None:
    (folder / "expensify.toml").unlink()
    with pytest.raises(IntegrationCatalogueError, match="integrations expensify are not in"):
        load_integrations(folder)


def test_each_integration_says_how_it_signs_in_and_the_wizards_own_sync_is_xml_only() -> None:
    catalogue = load_integrations()
    for integration in catalogue:
        assert integration.methods.offered and integration.methods.source, integration.id
    assert catalogue.get(OWN_INTEGRATION_ID).methods.offered == (ConnectionMethod.XML,)
    # Workato's Sage Intacct (Custom) connector signs in with OAuth 2.0 client credentials.
    assert catalogue.get("workato").methods.offered == (ConnectionMethod.XML, ConnectionMethod.REST)
