"""The flow and the Prepare checklist follow the chosen integration (no widgets)."""

from __future__ import annotations

import pytest

from wizard.flow import Flow, PageId, Route, WizardData, planned_pages
from wizard.flow.checklist import load_checklist
from wizard.flow.data import PermissionModel
from wizard.integrations import load_integrations

INTEGRATIONS = load_integrations()


def test_a_third_party_integration_ends_with_the_trial_run_not_our_sync() -> None:
    data = WizardData(route=Route.NEW, integration="expensify")
    assert planned_pages(data)[-1] is PageId.TRIAL
    assert PageId.MAPPINGS not in planned_pages(data)
    assert PageId.FIRST_SYNC not in planned_pages(data)
    own = WizardData(route=Route.NEW)
    assert planned_pages(own)[-3:] == (PageId.MAPPINGS, PageId.FIRST_SYNC, PageId.DONE)


def test_without_entities_the_test_leads_straight_to_the_trial() -> None:
    flow = Flow(
        WizardData(route=Route.DEMO, integration="bill", connection_ok=True),
        start=PageId.TEST,
    )
    assert flow.peek() is PageId.TRIAL
    assert flow.advance() is PageId.TRIAL
    assert flow.is_last()


def test_expensify_checklist_has_its_sender_user_and_modules_in_each_model() -> None:
    checklist = load_checklist().for_integration(INTEGRATIONS.get("expensify"))
    user_based = {s.id: s for s in checklist.steps_for(PermissionModel.USER_BASED)}
    sender = user_based["sender-authorization"]
    assert [(c.label, c.value) for c in sender.copy] == [("Sender ID", "expensify")]
    assert any("lower case" in a for a in sender.actions)
    assert [c.value for c in user_based["web-services-user"].copy] == ["xmlgateway_expensify"]
    ticks = " ".join(user_based["user-subscriptions"].actions)
    assert (
        "Time & Expenses > Permissions: Expense summaries: List, View, Add, Edit, Delete" in ticks
    )
    assert "Accounts Receivable" not in ticks  # Expensify does not ask for AR
    role_based = {s.id for s in checklist.steps_for(PermissionModel.ROLE_BASED)}
    assert {"role-permissions", "role-assignment"} <= role_based
    assert "user-subscriptions" not in role_based
    assert "vendor-package" in user_based


@pytest.mark.parametrize("integration", [i for i in INTEGRATIONS if not i.is_own], ids=str)
def test_every_need_of_every_integration_is_on_its_checklist(integration) -> None:  # type: ignore[no-untyped-def]
    checklist = load_checklist().for_integration(integration)
    for model in PermissionModel:
        text = " ".join(a for s in checklist.steps_for(model) for a in s.actions)
        for need in integration.needs:
            assert f"{need.permission.name}: " in text
        if integration.sender.published:
            assert integration.sender.ids[0] in text
        else:
            assert f"ask {integration.vendor} for it" in text


def test_the_wizards_own_sync_keeps_the_files_checklist() -> None:
    checklist = load_checklist()
    assert checklist.for_integration(INTEGRATIONS.default) is checklist
