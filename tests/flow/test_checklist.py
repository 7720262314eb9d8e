"""The Prepare Intacct checklist shows the steps that fit the company, from the data file."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.flow import PermissionModel
from wizard.flow.checklist import ChecklistError, load_checklist


def test_shipped_checklist_loads_with_menu_paths_for_every_step() -> None:
    checklist = load_checklist()
    assert checklist.steps
    for step in checklist.steps:
        assert " > " in step.menu or step.menu.startswith("Company"), step.id


def test_only_the_steps_of_the_chosen_permission_model_are_shown() -> None:
    checklist = load_checklist()
    user = {s.id for s in checklist.steps_for(PermissionModel.USER_BASED)}
    role = {s.id for s in checklist.steps_for(PermissionModel.ROLE_BASED)}
    assert "user-subscriptions" in user and "user-subscriptions" not in role
    assert {"role-permissions", "role-assignment"} <= role
    assert not {"role-permissions", "role-assignment"} & user
    shared = {s.id for s in checklist.steps_for(None)}
    assert {"web-services-subscription", "sender-authorization", "web-services-user"} <= shared
    assert shared == user & role


def test_module_permissions_match_what_the_integration_needs() -> None:
    step = next(s for s in load_checklist().steps if s.id == "user-subscriptions")
    text = " ".join(step.actions)
    assert "Accounts Receivable > Permissions: choose All" in text
    for module in ("General Ledger", "Cash Management", "Order Entry"):
        assert f"{module} > Permissions: choose Read only" in text


def test_card_charge_steps_appear_only_when_that_flow_is_chosen() -> None:
    checklist = load_checklist()
    model = PermissionModel.USER_BASED
    assert "card-permissions" not in {s.id for s in checklist.steps_for(model)}
    assert "card-permissions" in {s.id for s in checklist.steps_for(model, ["card-charges"])}


def test_values_to_type_are_filled_in_and_copyable() -> None:
    checklist = load_checklist(overrides={"sender_id": "DemoSender"})
    user_step = next(s for s in checklist.steps if s.id == "web-services-user")
    assert any("ws_integration" in action for action in user_step.actions)
    assert [(c.label, c.value) for c in user_step.copy] == [("User ID", "ws_integration")]
    sender_step = next(s for s in checklist.steps if s.id == "sender-authorization")
    assert sender_step.copy[0].value == "DemoSender"
    assert any("DemoSender" in action for action in sender_step.actions)


def test_unknown_sender_id_is_explained_instead_of_left_blank() -> None:
    sender_step = next(s for s in load_checklist().steps if s.id == "sender-authorization")
    assert any("integration provider" in action for action in sender_step.actions)
    assert sender_step.copy[0].value == ""


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ('id = "Bad Id"\ntitle = "t"\nmenu = "m"\nactions = ["a"]', "lower-case"),
        ('id = "x"\ntitle = "t"\nmenu = "m"\nactions = []', "actions"),
        ('id = "x"\ntitle = "t"\nmenu = "m {nope}"\nactions = ["a"]', "placeholder"),
        ('id = "x"\ntitle = "t"\nmenu = "m"\nactions = ["a"]\nmodels = ["admin"]', "models"),
        ('id = "x"\ntitle = "t"\nmenu = "m"\nactions = ["a"]\ncopy = ["pin"]', "not in"),
    ],
)
def test_a_broken_edit_is_reported_with_the_step_and_what_to_fix(
    tmp_path: Path, broken: str, message: str
) -> None:
    path = tmp_path / "checklist.toml"
    path.write_text(
        '[values]\nuser_id = "u"\n[permission_model]\nquestion = "q"\nwhere = "w"\nhelp = "h"\n'
        f"[[step]]\n{broken}\n",
        encoding="utf-8",
    )
    with pytest.raises(ChecklistError, match=message) as caught:
        load_checklist(path)
    assert str(path) in str(caught.value)
