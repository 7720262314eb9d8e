"""The demo company over the REST API, driven as an admin would: Welcome, the connection test's
REST checks, a failed authorisation with its fix, Check again, Finish."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWizard
from pytestqt.qtbot import QtBot

from tests.ui.keyboard import ALT, WAIT_MS, press
from wizard.checks import CheckStatus
from wizard.checks.builtin import rest_registry
from wizard.connection import ConnectionMethod
from wizard.flow import PageId
from wizard.ui.window import SetupWizard


def open_demo_over_rest(qtbot: QtBot, window: SetupWizard) -> bool:
    press(qtbot, window, Qt.Key.Key_M, ALT)  # Try the demo company
    qtbot.waitUntil(window.welcome.demo_over_rest.isEnabled)
    press(qtbot, window, Qt.Key.Key_R, ALT)  # Connect over the REST API
    qtbot.waitUntil(window.welcome.demo_over_rest.isChecked)
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS) as tested:
        press(qtbot, window, Qt.Key.Key_Return)
    assert window.currentId() == int(PageId.TEST)
    return bool(tested.args[0])


def test_the_demo_over_rest_tests_the_rest_checks_and_a_refused_app_gets_its_fix(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    window = wizard_window
    assert open_demo_over_rest(qtbot, window) is True
    page = window.test
    assert window.context.flow.data.method is ConnectionMethod.REST
    assert list(page.rows) == [check.id for check in rest_registry()]
    assert "user-sign-in" not in page.rows  # the XML gateway's checks are not shown
    header = page.status.text()
    assert "the connection works" in header and "Finish" in header, header
    assert "REST API" in header, "the admin learns why the wizard stops here"
    assert page.subTitle().startswith("Step 2 of 2."), page.subTitle()
    finish = window.button(QWizard.WizardButton.FinishButton)
    assert finish.isVisible() and finish.isEnabled()

    # The Demo faults menu lists what shows over REST, the REST-only faults among them.
    menu = page.fault_actions
    assert "rest-app-not-authorized" in menu and "rest-refresh-token-revoked" in menu
    assert "Authorized client applications" in menu["rest-app-not-authorized"].text()

    # Someone removes the app from Intacct's Authorized client applications list.
    page.set_fault("rest-app-not-authorized", True)
    with qtbot.waitSignal(page.tested, timeout=WAIT_MS) as tested:
        qtbot.mouseClick(page.again, Qt.MouseButton.LeftButton)
    assert tested.args == [False]
    failed = [row for row in page.rows.values() if row.status is CheckStatus.FAIL]
    assert len(failed) == 1, [(r.check_id, r.evidence.text()) for r in failed]
    row = failed[0]
    assert row.fix_panel is not None and row.finding is not None
    # Intacct gives one answer (GW-0011) for several causes: the fix names them all, the
    # app missing from Authorized client applications among them.
    assert row.finding.fix is not None and row.finding.fix.id == "rest-client-refused"
    shown = " ".join(label.text() for label in row.fix_panel.findChildren(QLabel))
    assert "Authorized client applications" in shown, shown
    assert "GW-0011" in shown or "does not say which" in shown, shown
    assert page.status.property("severity") == "error"
    assert not finish.isEnabled(), "Finish waits for a connection that works"

    # The admin adds the app back in Intacct, then presses the fix card's Check again.
    window.context.demo_sandbox.disable("rest-app-not-authorized")
    with qtbot.waitSignal(page.tested, timeout=WAIT_MS) as tested:
        qtbot.mouseClick(row.fix_panel.buttons["check_again"], Qt.MouseButton.LeftButton)
    assert tested.args == [True]
    assert not [r.check_id for r in page.rows.values() if r.status is CheckStatus.FAIL]
    assert finish.isEnabled()
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)


def test_the_xml_demo_does_not_offer_faults_that_only_the_rest_api_has(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    """A REST-only fault switched on over XML would change nothing the admin sees."""
    window = wizard_window
    press(qtbot, window, Qt.Key.Key_M, ALT)
    qtbot.waitUntil(window.welcome.demo_choice.isChecked)
    assert not window.welcome.demo_over_rest.isChecked()
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS):
        press(qtbot, window, Qt.Key.Key_Return)
    faults = set(window.test.fault_actions)
    assert "wrong-user-password" in faults
    assert not [name for name in faults if name.startswith("rest-")], faults
    assert "user-sign-in" in window.test.rows


def test_over_rest_a_closed_period_shows_on_the_test_invoice_with_its_fix(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    """The 422 a business rule gives shows only on a write: the test invoice finds it, and the
    invoice Intacct refused is not left behind."""
    window = wizard_window
    assert open_demo_over_rest(qtbot, window) is True
    page = window.test
    assert page.rows["rest-test-posting"].status is CheckStatus.PASS
    assert "rest-business-rule" in page.fault_actions
    page.set_fault("rest-business-rule", True)
    with qtbot.waitSignal(page.tested, timeout=WAIT_MS) as tested:
        qtbot.mouseClick(page.again, Qt.MouseButton.LeftButton)
    assert tested.args == [False]
    failed = [row for row in page.rows.values() if row.status is CheckStatus.FAIL]
    assert [row.check_id for row in failed] == ["rest-test-posting"]
    row = failed[0]
    assert row.finding is not None and row.finding.fix is not None
    assert row.finding.fix.id == "period-closed"
    assert row.fix_panel is not None
    shown = " ".join(label.text() for label in row.fix_panel.findChildren(QLabel))
    assert "period" in shown.lower(), shown
    assert not window.context.demo_sandbox.company.created("ARINVOICE")
