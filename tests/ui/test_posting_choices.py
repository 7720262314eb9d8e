"""The Posting group on the Mappings page: accounts chosen there are kept with the saved
connection (or the demo's target) and are what the account checks then look at."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.keyboard import ALT, WAIT_MS, next_page, press
from wizard.checks import CheckStatus
from wizard.connection import PostingChoices, Profile, ProfileStore, Secrets
from wizard.flow import Flow, PageId, Route, WizardData
from wizard.sandbox import Sandbox
from wizard.ui import session_adapter
from wizard.ui.window import SetupWizard


def _activate(qtbot: QtBot, window: SetupWizard) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # mnemonics (Alt+letter) need the active window


def _save_connection(sandbox: Sandbox, name: str) -> Path:
    """A connection saved before any posting choice was made (as the Sign-in page saves it)."""
    creds = sandbox.credentials
    store = ProfileStore()
    store.secrets.save(name, Secrets(creds.sender_password, creds.user_password))
    store.save(
        Profile(
            name=name,
            company_id=creds.company_id,
            user_id=creds.user_id,
            sender_id=creds.sender_id,
            endpoint=sandbox.endpoint,
        )
    )
    return store.path_for(name)


def test_accounts_chosen_on_the_page_are_saved_and_then_checked_by_diagnose(
    qtbot: QtBot, qapp: object, isolated_user_dirs: Path
) -> None:
    with Sandbox() as sandbox:
        path = _save_connection(sandbox, "ACME")
        assert path.is_relative_to(isolated_user_dirs)
        creds = sandbox.credentials
        window = SetupWizard()
        qtbot.addWidget(window)
        # The Sign-in page has no endpoint field (it saves Intacct's own), so the wizard opens
        # at the Test page of the connection saved above, as Save connection leaves it.
        window.context.flow = Flow(
            WizardData(
                route=Route.NEW,
                profile="ACME",
                company_id=creds.company_id,
                user_id=creds.user_id,
                sender_id=creds.sender_id,
                credentials_saved=True,
            ),
            start=PageId.TEST,
        )
        window.setStartId(int(PageId.TEST))
        with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS) as tested:
            window.show()
        assert tested.args == [True], window.test.status.text()
        # Nothing chosen yet: the account checks wait, and the page says so in one line.
        assert not window.test.rows["gl-accounts"].isVisibleTo(window.test)
        assert window.test.after_choices.isVisibleTo(window.test)
        _activate(qtbot, window)
        next_page(qtbot, window, PageId.ENTITY)
        next_page(qtbot, window, PageId.MAPPINGS)

        page = window.mappings
        listed = {
            page.gl_accounts.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(page.gl_accounts.list.count())
        }
        assert {"4000", "4200", "1050"} <= listed
        assert "4300" not in listed and "6900" not in listed, "inactive accounts are not offered"
        assert page.gl_accounts.chosen() == () and page.deposit_accounts.chosen() == ()
        assert "skipped until you choose them" in page.posting_note.text()

        press(qtbot, window, Qt.Key.Key_G, ALT)  # "&GL accounts the sync posts ..."
        assert page.gl_accounts.list.hasFocus()
        press(qtbot, window, Qt.Key.Key_4)  # jumps to the first account starting with 4
        press(qtbot, window, Qt.Key.Key_Space)
        press(qtbot, window, Qt.Key.Key_Down)
        press(qtbot, window, Qt.Key.Key_Down)
        press(qtbot, window, Qt.Key.Key_Space)
        assert page.gl_accounts.chosen() == ("4000", "4200")
        assert page.posting_note.isHidden()

        press(qtbot, window, Qt.Key.Key_H, ALT)  # "Deposit (c&hecking) accounts ..."
        assert page.deposit_accounts.list.hasFocus()
        press(qtbot, window, Qt.Key.Key_Down)  # BOA-OPS, then BOA-EAST
        press(qtbot, window, Qt.Key.Key_Space)
        assert page.deposit_accounts.chosen() == ("BOA-EAST",)

        press(qtbot, window, Qt.Key.Key_R, ALT)  # "How payments are &recorded"
        assert page.payment_posting.hasFocus()
        press(qtbot, window, Qt.Key.Key_Down)
        press(qtbot, window, Qt.Key.Key_Down)
        assert page.payment_posting.currentText() == "Straight into a checking account"

        press(qtbot, window, Qt.Key.Key_F, ALT)  # "Undeposited &funds account"
        assert page.undeposited.hasFocus() and page.undeposited.currentText() == "None"
        for _ in range(3):  # 1000, 1010, 1050
            press(qtbot, window, Qt.Key.Key_Down)
        assert page.undeposited.currentText() == "1050  Undeposited Funds"

        press(qtbot, window, Qt.Key.Key_E, ALT)  # "Invoice number pr&efix"
        assert page.prefix.hasFocus()
        qtbot.keyClicks(page.prefix, " INV- ")
        press(qtbot, window, Qt.Key.Key_Tab)
        assert page.prefix.text() == "INV-", "blanks around the prefix are trimmed"

        next_page(qtbot, window, PageId.FIRST_SYNC)  # Next saves the choices with the connection
        expected = PostingChoices(
            gl_accounts=("4000", "4200"),
            deposit_accounts=("BOA-EAST",),
            payment_posting="bank",
            document_number_prefix="INV-",
            undeposited_account="1050",
        )
        assert ProfileStore().load("ACME").posting == expected
        on_disk = json.loads(path.read_text(encoding="utf-8"))
        assert on_disk["posting"]["gl_accounts"] == ["4000", "4200"]
        assert window.context.target is not None and window.context.target.posting == expected
        window.shutdown()

        # Later: Diagnose the saved connection. The account checks now run on these choices.
        again = SetupWizard()
        qtbot.addWidget(again)
        again.show()
        qtbot.waitExposed(again)
        _activate(qtbot, again)
        qtbot.waitUntil(lambda: again.welcome.profiles.count() == 1)
        press(qtbot, again, Qt.Key.Key_D, ALT)
        qtbot.waitUntil(again.welcome.diagnose_choice.isChecked)
        with qtbot.waitSignal(again.test.tested, timeout=WAIT_MS):
            press(qtbot, again, Qt.Key.Key_N, ALT)
        assert again.context.flow.data.route is Route.DIAGNOSE
        gl_row = again.test.rows["gl-accounts"]
        assert gl_row.status is CheckStatus.PASS, gl_row.status
        finding = next(f for f in again.context.findings if f.check == "gl-accounts")
        assert "2 mapped GL accounts" in finding.evidence
        deposit = next(f for f in again.context.findings if f.check == "checking-account-locations")
        assert deposit.status is not CheckStatus.SKIPPED
        again.shutdown()


def test_demo_choices_are_preselected_and_a_typed_account_reaches_the_checks(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    window = wizard_window
    press(qtbot, window, Qt.Key.Key_M, ALT)  # "Try the de&mo company"
    qtbot.waitUntil(window.welcome.demo_choice.isChecked)
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS) as tested:
        press(qtbot, window, Qt.Key.Key_Return)
    assert tested.args == [True], window.test.status.text()
    next_page(qtbot, window, PageId.ENTITY)
    next_page(qtbot, window, PageId.MAPPINGS)

    page = window.mappings
    demo = window.context.target.profile.posting  # resources/checks/demo.toml
    assert demo.gl_accounts, "the demo has posting choices"
    assert page.gl_accounts.chosen() == demo.gl_accounts
    assert set(page.deposit_accounts.chosen()) == set(demo.deposit_accounts)
    assert page.payment_posting.currentData() == demo.payment_posting
    assert page.undeposited.currentData() == demo.undeposited_account
    assert page.prefix.text() == demo.document_number_prefix

    # An account Intacct did not offer (4300 is inactive) can still be typed in.
    press(qtbot, window, Qt.Key.Key_G, ALT)
    press(qtbot, window, Qt.Key.Key_Tab)
    assert page.gl_accounts.add_edit.hasFocus(), "the add field follows the list"
    qtbot.keyClicks(page.gl_accounts.add_edit, " 4300")
    press(qtbot, window, Qt.Key.Key_Return)
    assert page.gl_accounts.chosen() == (*demo.gl_accounts, "4300")
    assert page.gl_accounts.add_edit.text() == ""
    assert window.currentId() == int(PageId.MAPPINGS), "Enter in the add field does not go on"

    next_page(qtbot, window, PageId.FIRST_SYNC)
    target = window.context.target
    assert target is not None and target.demo
    assert target.posting.gl_accounts == (*demo.gl_accounts, "4300")
    assert target.profile.posting == target.posting

    session = session_adapter.CheckSession(target)
    try:
        found = session.check_again("gl-accounts", lambda _f: None)
        finding = next(f for f in found if f.check == "gl-accounts")
    finally:
        session.close()
    assert finding.status is CheckStatus.FAIL
    assert "inactive" in finding.evidence and "4300" in finding.evidence


def test_accounts_intacct_refuses_to_list_are_named_and_the_rest_still_read(
    qtbot: QtBot,
) -> None:
    with Sandbox(scenarios=["no-permission-gl"]) as sandbox:
        session = session_adapter.CheckSession(session_adapter.demo_target(sandbox))
        try:
            found = session.discover()
        finally:
            session.close()
    assert found.accounts == ()
    assert "the GL accounts could not be read" in found.problem
    assert {b.id for b in found.bank_accounts} >= {"BOA-EAST", "BOA-OPS", "BARC-UK"}
    east = next(b for b in found.bank_accounts if b.id == "BOA-EAST")
    assert (east.name, east.location, east.active) == ("Bank of Demo East", "US-EAST", True)
