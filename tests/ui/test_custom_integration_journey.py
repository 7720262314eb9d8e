"""Other / not listed, from the keyboard: the admin ticks two needs, the grid tries exactly
those, the demo user lacking one fails it named as module › permission; granted, the trial run
reads and test-posts exactly the ticked objects."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from tests.conftest import MemoryKeyring
from tests.ui.keyboard import ALT, WAIT_MS, next_page, press
from wizard.checks import CheckStatus
from wizard.connection import CustomNeeds, ProfileStore
from wizard.flow import PageId
from wizard.integrations import load_integrations
from wizard.sandbox import Sandbox
from wizard.ui import connection_adapter
from wizard.ui.window import SetupWizard

OBJECTS = list(load_integrations().permissions)


def _rights(sandbox: Sandbox, customer: list[str]) -> dict[str, list[str]]:
    rights = {"GLACCOUNT": ["list"], "CUSTOMER": customer, "LOCATIONENTITY": ["list", "view"]}
    for udd in sandbox.company.udds:  # the company's own dimensions, as an admin would give
        rights[udd.object.upper()] = ["list", "view"]
    return rights


@pytest.fixture
def company() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        sandbox.set_user_permissions(_rights(sandbox, []))  # no Add on customers
        yield sandbox


def _move(qtbot: QtBot, window: SetupWizard, key: Qt.Key, times: int) -> None:
    for _ in range(times):
        press(qtbot, window, key)


def test_other_ticks_two_needs_the_grid_tries_exactly_those_and_names_the_missing_one(
    qtbot: QtBot, wizard_window: SetupWizard, company: Sandbox
) -> None:
    window = wizard_window
    welcome = window.welcome
    press(qtbot, window, Qt.Key.Key_I, ALT)
    qtbot.waitUntil(welcome.integration_search.hasFocus)
    qtbot.keyClicks(welcome.integration_search, "our billing app")  # not in the list
    assert welcome.integration_id() == "custom"
    panel = welcome.custom_needs
    assert panel.isVisible()

    press(qtbot, window, Qt.Key.Key_M, ALT)  # the demo company stands in for the admin's
    qtbot.waitUntil(welcome.demo_choice.isChecked)
    window.context.demo_sandbox = company
    next_button = window.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()  # nothing ticked yet
    assert panel.hint.isVisible()

    # Alt+P: the table; arrows to General Ledger › Accounts, List; Space; then
    # Accounts Receivable › Customers, Add; Space.
    press(qtbot, window, Qt.Key.Key_P, ALT)
    qtbot.waitUntil(panel.table.hasFocus)
    assert (panel.table.currentRow(), panel.table.currentColumn()) == (0, 1)
    _move(qtbot, window, Qt.Key.Key_Down, OBJECTS.index("GLACCOUNT"))
    press(qtbot, window, Qt.Key.Key_Space)
    _move(qtbot, window, Qt.Key.Key_Down, OBJECTS.index("CUSTOMER") - OBJECTS.index("GLACCOUNT"))
    _move(qtbot, window, Qt.Key.Key_Right, 2)  # List, View, Add
    press(qtbot, window, Qt.Key.Key_Space)
    press(qtbot, window, Qt.Key.Key_Tab)  # out of the table, to the name
    assert panel.name_edit.hasFocus()
    qtbot.keyClicks(panel.name_edit, "Our billing app")
    assert panel.custom().needs == (("GLACCOUNT", ("list",)), ("CUSTOMER", ("add",)))
    assert next_button.isEnabled() and panel.hint.isHidden()

    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS) as tested:
        press(qtbot, window, Qt.Key.Key_N, ALT)
    assert tested.args == [False]
    page = window.test
    row = page.rows["permissions"]
    assert row.status is CheckStatus.FAIL and row.fix_panel is not None
    assert row.fix_panel.fix.id == "permission-missing"
    grid = page.grid.grid
    assert grid is not None
    assert {r.object for r in grid.rows} == {"GLACCOUNT", "CUSTOMER"}
    assert grid.denied() == (("CUSTOMER", "add"),)
    shown = [page.grid.item(r, 0).text() for r in range(page.grid.rowCount())]
    assert "General Ledger › Accounts" in shown
    assert "Accounts Receivable › Customers" in shown
    assert "Accounts Receivable › Customers (add)" in row.evidence.text()

    # Granted in Intacct: Check again passes, and the trial run reads the accounts and
    # test-posts a customer (undone), nothing else.
    company.set_user_permissions(_rights(company, ["add"]))
    with qtbot.waitSignal(page.tested, timeout=WAIT_MS) as tested:
        qtbot.mouseClick(row.fix_panel.buttons["check_again"], Qt.MouseButton.LeftButton)
    assert tested.args == [True], {
        r.check_id: r.evidence.text() for r in page.rows.values() if r.status is CheckStatus.FAIL
    }
    next_page(qtbot, window, PageId.ENTITY)
    next_page(qtbot, window, PageId.TRIAL)
    trial = window.trial
    qtbot.waitUntil(lambda: trial.report is not None and not trial.busy, timeout=WAIT_MS)
    assert trial.report is not None
    assert [o.what for o in trial.report.outcomes] == ["read accounts", "add customers"]
    assert trial.summary.text() == "Your Our billing app connection is ready."


def test_the_credentials_page_saves_the_ticks_with_the_connection(
    memory_keyring: MemoryKeyring,
) -> None:
    custom = CustomNeeds(
        name="Our billing app", sender_id="ourbilling", needs=(("CUSTOMER", ("list", "add")),)
    )
    settings = {
        "profile": "Billing",
        "company_id": "ACME",
        "user_id": "ws_billing",
        "sender_id": "ourbilling",
        "integration": "custom",
    }
    secrets = {"sender_password": "sender-pass-1", "user_password": "user-pass-1"}
    connection_adapter.save_connection(settings, secrets, custom=custom)
    saved = ProfileStore().load("Billing")
    assert (saved.integration, saved.custom) == ("custom", custom)
