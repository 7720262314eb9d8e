"""Other / not listed: the needs an admin ticks (or a support person types) become an
Integration like any catalogue file's, and wrong input is named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wizard.connection import CustomNeeds
from wizard.flow import PermissionModel
from wizard.flow.checklist import load_checklist
from wizard.integrations import (
    CUSTOM_INTEGRATION_ID,
    CustomNeedsError,
    IntegrationCatalogueError,
    load_integrations,
    parse_needs,
)
from wizard.resources import resource_path

CATALOGUE = load_integrations()
PERMISSIONS = CATALOGUE.permissions


def test_typed_needs_by_module_permission_or_object_name() -> None:
    parsed = parse_needs("GL:Accounts:list,view; ar:customers:ADD;CUSTOMER:edit", PERMISSIONS)
    assert parsed.needs == (("GLACCOUNT", ("list", "view")), ("CUSTOMER", ("add", "edit")))
    assert parse_needs("AR:Received Payments:all", PERMISSIONS).needs == (
        ("ARPYMT", ("list", "view", "add", "edit", "delete")),
    )


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("", "Say what the integration needs"),
        ("GL:Accounts", "accounts is not an operation"),
        ("GL:Accounts:list,read", "read is not an operation"),
        ("GL:Acounts:list", "there is no permission 'Acounts' in module 'GL'"),
        ("GLACOUNT:list", "'GLACOUNT' is not an object the wizard knows"),
        ("GL:Accounts:", "no operation is not an operation"),
    ],
)
def test_wrong_typed_needs_are_named(text: str, said: str) -> None:
    with pytest.raises(CustomNeedsError, match=said.replace("(", r"\(")):
        parse_needs(text, PERMISSIONS)


def test_the_ticks_become_an_integration_that_reads_and_writes_what_was_ticked() -> None:
    custom = CustomNeeds(
        name="Our billing app",
        sender_id="ourbilling",
        needs=(("GLACCOUNT", ("view", "list")), ("ARINVOICE", ("add",))),
    )
    integration = CATALOGUE.resolve(CUSTOM_INTEGRATION_ID, custom)
    assert (integration.id, integration.name, integration.sender_text) == (
        "custom",
        "Our billing app",
        "ourbilling",
    )
    assert [(n.permission.shown, n.operations) for n in integration.needs] == [
        ("General Ledger › Accounts", ("list", "view")),
        ("Accounts Receivable › Invoices", ("add",)),
    ]
    assert integration.reads == ("GLACCOUNT",)
    assert [(w.name, w.object) for w in integration.writes] == [("invoices", "ARINVOICE")]
    assert all(n.source.startswith("chosen: ") for n in integration.needs)
    unnamed = CATALOGUE.resolve("custom", CustomNeeds(needs=(("VENDOR", ("list",)),)))
    assert unnamed.name == "Custom integration"
    assert unnamed.sender_text == "ask the integration's vendor for it"


def test_no_ticks_or_an_unknown_object_is_named() -> None:
    with pytest.raises(CustomNeedsError, match="Tick at least one permission"):
        CATALOGUE.resolve("custom", CustomNeeds())
    with pytest.raises(CustomNeedsError, match="'WIDGET' is not an object"):
        CATALOGUE.resolve("custom", CustomNeeds(needs=(("WIDGET", ("list",)),)))
    with pytest.raises(CustomNeedsError, match="operations must be among"):
        CATALOGUE.resolve("custom", CustomNeeds(needs=(("VENDOR", ("read",)),)))


def test_a_catalogue_file_may_not_take_the_custom_id(tmp_path: Path) -> None:
    folder = tmp_path / "integrations"
    shutil.copytree(resource_path("integrations"), folder)
    text = (
        (folder / "ramp.toml").read_text(encoding="utf-8").replace('id = "ramp"', 'id = "custom"')
    )
    (folder / "custom.toml").write_text(text, encoding="utf-8")
    with pytest.raises(IntegrationCatalogueError, match="kept for the integrations the admin"):
        load_integrations(folder)


def test_prepare_lists_exactly_the_ticks_in_either_permission_model() -> None:
    custom = CustomNeeds(needs=(("GLACCOUNT", ("list", "view")), ("CUSTOMER", ("add",))))
    checklist = load_checklist().for_integration(CATALOGUE.resolve("custom", custom))
    expected = [
        "General Ledger > Permissions: Accounts: List, View.",
        "Accounts Receivable > Permissions: Customers: Add.",
    ]
    user_based = {s.id: s for s in checklist.steps_for(PermissionModel.USER_BASED)}
    ticks = [a for a in user_based["user-subscriptions"].actions if "> Permissions:" in a]
    assert ticks == expected
    role_based = {s.id: s for s in checklist.steps_for(PermissionModel.ROLE_BASED)}
    ticks = [a for a in role_based["role-permissions"].actions if "> Permissions:" in a]
    assert ticks == expected
    sender = user_based["sender-authorization"]
    assert any("ask the integration's vendor for it" in a for a in sender.actions)
