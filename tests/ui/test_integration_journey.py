"""Connecting Expensify, from the keyboard: the checklist is Expensify's, the grid probes exactly
its needs, a missing Time & Expenses tick shows until it is granted, and the trial run ends
with the connection ready."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.keyboard import ALT, WAIT_MS, next_page, press
from wizard.checks import Access, CheckStatus
from wizard.flow import PageId, PermissionModel
from wizard.integrations import load_integrations
from wizard.sandbox import Sandbox
from wizard.ui.pages.welcome import OTHER_TEXT
from wizard.ui.window import SetupWizard

EXPENSIFY = load_integrations().get("expensify")


def _all_needs(sandbox: Sandbox) -> dict[str, list[str]]:
    rights = {need.object: list(need.operations) for need in EXPENSIFY.needs}
    for udd in sandbox.company.udds:  # the company's own dimensions, which Expensify imports
        rights[udd.object.upper()] = ["list", "view"]
    rights["LOCATIONENTITY"] = ["list", "view"]  # so the entities can be offered
    return rights


@pytest.fixture
def expensify_company() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        rights = _all_needs(sandbox)
        rights["EEXPENSES"] = ["list", "view", "edit", "delete"]  # no Add on expense reports
        sandbox.set_user_permissions(rights)
        yield sandbox


def test_expensify_from_the_keyboard_checklist_grid_fix_and_trial(
    qtbot: QtBot, wizard_window: SetupWizard, expensify_company: Sandbox
) -> None:
    window = wizard_window
    welcome = window.welcome
    press(qtbot, window, Qt.Key.Key_I, ALT)  # "Which &integration are you connecting?"
    qtbot.waitUntil(welcome.integration_search.hasFocus)
    qtbot.keyClicks(welcome.integration_search, "expen")
    assert welcome.integration_id() == "expensify"
    visible = [
        welcome.integration_list.item(r).text()
        for r in range(welcome.integration_list.count())
        if not welcome.integration_list.item(r).isHidden()
    ]
    assert visible == ["Expensify", OTHER_TEXT]  # Other / not listed always stays

    # A new connection: Prepare shows Expensify's checklist.
    press(qtbot, window, Qt.Key.Key_S, ALT)
    qtbot.waitUntil(welcome.new_choice.isChecked)
    next_page(qtbot, window, PageId.PREPARE)
    prepare = window.prepare
    assert "Sender ID: expensify" in prepare.integration_heading.text()
    press(qtbot, window, Qt.Key.Key_U, ALT)  # "&User-based"
    qtbot.waitUntil(prepare.user_based.isChecked)
    assert prepare.permission_model() is PermissionModel.USER_BASED
    assert prepare.copy_buttons["sender_id"].text() == "Copy sender ID: expensify"
    assert prepare.copy_buttons["user_id"].text() == "Copy user ID: xmlgateway_expensify"
    steps = {step.id: step for step in prepare.visible_steps()}
    ticks = " ".join(steps["user-subscriptions"].actions)
    assert "Time & Expenses > Permissions: Expense summaries: List, View, Add" in ticks
    assert "Cash Management > Permissions: Credit Card Accounts" in ticks

    # Back to Welcome: the demo company stands in for the admin's, with Expensify's needs
    # minus Add on expense reports.
    window.context.demo_sandbox = expensify_company
    with qtbot.waitSignal(window.currentIdChanged, timeout=WAIT_MS):
        press(qtbot, window, Qt.Key.Key_B, ALT)
    assert window.currentId() == int(PageId.WELCOME)
    assert welcome.integration_id() == "expensify"
    press(qtbot, window, Qt.Key.Key_M, ALT)
    qtbot.waitUntil(welcome.demo_choice.isChecked)
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS) as tested:
        press(qtbot, window, Qt.Key.Key_Return)
    assert tested.args == [False]
    page = window.test
    row = page.rows["permissions"]
    assert row.status is CheckStatus.FAIL and row.fix_panel is not None
    assert row.fix_panel.fix.id == "permission-missing"
    grid = page.grid.grid
    assert grid is not None and grid.columns == ("list", "view", "add", "edit", "delete")
    assert grid.denied() == (("EEXPENSES", "add"),)
    assert {r.object for r in grid.rows} == {n.object for n in EXPENSIFY.needs}
    shown = [page.grid.item(r, 0).text() for r in range(page.grid.rowCount())]
    assert "Time & Expenses › Expense summaries" in shown
    assert "Time & Expenses › Expense summaries (add)" in row.evidence.text()

    # The admin ticks Add in Intacct; Check again passes.
    expensify_company.set_user_permissions(_all_needs(expensify_company))
    with qtbot.waitSignal(page.tested, timeout=WAIT_MS) as tested:
        qtbot.mouseClick(row.fix_panel.buttons["check_again"], Qt.MouseButton.LeftButton)
    assert tested.args == [True], {
        r.check_id: r.evidence.text() for r in page.rows.values() if r.status is CheckStatus.FAIL
    }
    assert page.grid.grid is not None and page.grid.grid.denied() == ()
    assert page.grid.grid.cell("EEXPENSES", "add").access is Access.ALLOWED

    # Entity, then the trial run instead of our mappings and sync.
    next_page(qtbot, window, PageId.ENTITY)
    entity = window.entity
    assert entity.chosen() == ""  # the top level: Expensify's card rule is shown
    assert "Expensify: With Expensify Card auto-reconciliation" in entity.warning.text()
    press(qtbot, window, Qt.Key.Key_Down)  # the first entity: the rule is met
    assert entity.chosen() == "US-EAST" and entity.warning.isHidden()
    press(qtbot, window, Qt.Key.Key_Up)
    next_page(qtbot, window, PageId.TRIAL)
    trial = window.trial
    qtbot.waitUntil(lambda: trial.report is not None and not trial.busy, timeout=WAIT_MS)
    assert trial.summary.text() == "Your Expensify connection is ready."
    assert trial.report is not None and trial.report.ready
    assert len(trial.report.outcomes) == len(EXPENSIFY.reads) + len(EXPENSIFY.writes)
    assert window.context.flow.is_last()
