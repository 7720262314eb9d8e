"""Never claim more than is known: the connection test's header, Check again, stale results.

Each test drives the wizard as an admin would, against the demo company with its faults."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from tests.ui.keyboard import ALT, WAIT_MS, press
from wizard.checks import CheckStatus
from wizard.flow import PageId
from wizard.ui import session_adapter
from wizard.ui.window import SetupWizard


def open_demo_test(qtbot: QtBot, window: SetupWizard) -> None:
    press(qtbot, window, Qt.Key.Key_M, ALT)
    qtbot.waitUntil(window.welcome.demo_choice.isChecked)
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS):
        press(qtbot, window, Qt.Key.Key_Return)
    assert window.currentId() == int(PageId.TEST)


def run_the_test_again(qtbot: QtBot, window: SetupWizard) -> bool:
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS) as tested:
        qtbot.mouseClick(window.test.again, Qt.MouseButton.LeftButton)
    return bool(tested.args[0])


def check_again(qtbot: QtBot, window: SetupWizard, check_id: str) -> bool:
    row = window.test.rows[check_id]
    assert row.fix_panel is not None, f"{check_id} shows no fix panel"
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS) as tested:
        qtbot.mouseClick(row.fix_panel.buttons["check_again"], Qt.MouseButton.LeftButton)
    return bool(tested.args[0])


def next_button(window: SetupWizard) -> bool:
    return window.button(QWizard.WizardButton.NextButton).isEnabled()


def test_check_again_reruns_the_checks_that_depended_on_it_and_the_header_counts_them(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    """Item 1: fixing the password and pressing Check again must not turn the header green
    while the permission fault (found only once signing in works) is still on."""
    window = wizard_window
    open_demo_test(qtbot, window)
    page = window.test
    for fault in ("wrong-user-password", "no-permission-ar", "period-closed"):
        page.set_fault(fault, True)  # from the Demo faults menu
    assert run_the_test_again(qtbot, window) is False
    skipped_behind_sign_in = [
        r.check_id for r in page.rows.values() if r.status is CheckStatus.SKIPPED
    ]
    assert len(skipped_behind_sign_in) >= 5, skipped_behind_sign_in

    # The admin corrects the password in Intacct (outside the wizard: no setting changes).
    window.context.demo_sandbox.disable("wrong-user-password")
    assert check_again(qtbot, window, "user-sign-in") is False
    statuses = {r.check_id: r.status for r in page.rows.values()}
    assert statuses["user-sign-in"] is CheckStatus.PASS
    assert statuses["permissions"] is CheckStatus.FAIL, "its dependents ran again"
    still_skipped = [c for c in skipped_behind_sign_in if statuses[c] is CheckStatus.SKIPPED]
    assert len(still_skipped) < len(skipped_behind_sign_in), statuses
    header = page.status.text()
    assert "All checks passed" not in header and "works" not in header, header
    failed = sum(1 for s in statuses.values() if s is CheckStatus.FAIL)
    passed = sum(1 for s in statuses.values() if s is CheckStatus.PASS)
    assert f"{passed} passed" in header and f"{failed} failed" in header, header
    assert page.status.property("severity") == "error"
    assert not next_button(window)


def test_changing_a_fault_makes_the_results_stale_and_next_waits_for_a_fresh_run(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    """Item 1: results belong to the settings they were made with."""
    window = wizard_window
    open_demo_test(qtbot, window)
    page = window.test
    assert next_button(window)
    page.fault_actions["wrong-user-password"].trigger()  # from the Demo faults menu
    assert "Settings changed" in page.status.text() and "test again" in page.status.text()
    assert page.status.property("severity") == "warning"
    assert page.card.property("stale") == "true", "the old results are greyed out"
    assert not next_button(window), "Next waits for a fresh run"
    assert run_the_test_again(qtbot, window) is False
    assert page.card.property("stale") == "false" and "Settings changed" not in page.status.text()


def test_a_check_skipped_because_it_could_not_run_keeps_the_header_from_turning_green(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    """Item 1: green only when nothing failed and nothing was skipped for a failure."""
    from wizard.checks import Finding
    from wizard.ui import session_adapter

    passed = Finding("a", "A", CheckStatus.PASS, "fine")
    blocked = Finding("b", "B", CheckStatus.SKIPPED, "Skipped: the passwords are not available")
    unchosen = Finding("c", "C", CheckStatus.SKIPPED, "nothing mapped yet", applies=False)
    assert session_adapter.tally([passed, unchosen]).proven
    assert not session_adapter.tally([passed, blocked]).proven
    assert session_adapter.tally([passed, blocked, unchosen]).counts() == "1 passed, 2 skipped"


def test_check_again_on_stale_results_tests_everything_again(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    """Item 1: after a setting changed, one check alone would prove nothing."""
    window = wizard_window
    open_demo_test(qtbot, window)
    page = window.test
    page.set_fault("wrong-user-password", True)
    assert run_the_test_again(qtbot, window) is False
    page.set_fault("wrong-user-password", False)  # the fault switched off in the wizard
    assert "Settings changed" in page.status.text()
    assert check_again(qtbot, window, "user-sign-in") is True
    shown = page.shown_rows()
    assert shown and all(r.status is CheckStatus.PASS for r in shown)
    assert page.status.property("severity") == "ok" and next_button(window)


def test_passwords_kept_for_this_session_only_are_a_warning_not_a_keyring(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    """Item 2: with no keyring and "this session only", the check says where they are."""
    import keyring
    from keyring.backends import fail

    from wizard.ui.qt_compat import emit

    keyring.set_keyring(fail.Keyring())
    window = wizard_window
    press(qtbot, window, Qt.Key.Key_S, ALT)  # "&Set up a new connection"
    qtbot.waitUntil(window.welcome.new_choice.isChecked)
    window.next()
    qtbot.waitUntil(lambda: window.currentId() == int(PageId.PREPARE))
    window.prepare.role_based.setChecked(True)
    window.next()
    qtbot.waitUntil(lambda: window.currentId() == int(PageId.CREDENTIALS))
    page = window.credentials
    for name, value in (
        ("company_id", "ACME"),
        ("user_id", "ws_user"),
        ("user_password", "pw-123456"),
        ("sender_id", "S"),
        ("sender_password", "spw-123456"),
    ):
        page.fields[name].setText(value)
        emit(page.fields[name].textEdited, value)
    page.session_only.setChecked(True)
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS):
        window.next()
    row = window.test.rows["keyring-secrets"]
    assert row.status is CheckStatus.WARN, row.evidence.text()
    text = row.evidence.text()
    assert "session" in text and "asks for them again next time" in text, text
    assert "found in the system keyring" not in text


def test_the_connection_test_leaves_the_accounts_and_custom_fields_until_they_are_chosen(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    """Item 9: the demo's preselected GL accounts and custom fields are chosen on the Mappings
    page, after the test; the test says in one line that they are checked then, with no row
    passed or skipped for something not chosen yet."""
    window = wizard_window
    open_demo_test(qtbot, window)
    page = window.test
    judged = {"gl-accounts", "custom-fields", "checking-account-locations", "test-posting"}
    assert not judged & {f.check for f in window.context.findings}, "checked before chosen"
    shown = page.shown_rows()
    assert len(shown) == len([row for row in page.rows.values() if row.isVisibleTo(page)])
    assert not judged & {row.check_id for row in shown}
    assert all(row.status is CheckStatus.PASS for row in shown), [
        (row.check_id, row.status) for row in shown
    ]
    later = page.after_choices
    assert later.isVisibleTo(page) and "\n" not in later.text()
    assert "GL accounts" in later.text() and "custom fields" in later.text()
    assert f"{len(shown)} passed" in page.status.text() and "skipped" not in page.status.text()
    assert next_button(window)

    # Once chosen, the accounts and fields are checked before the first sync starts.
    findings = session_adapter.check_posting(
        window.context.target, dt.date.today().replace(day=1), lambda: False
    )
    statuses = {f.check: f.status for f in findings}
    assert statuses["gl-accounts"] is CheckStatus.PASS and statuses["custom-fields"] is (
        CheckStatus.PASS
    )
