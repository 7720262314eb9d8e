"""No dead ends, no lost input (issue 12, items 5 to 7), driven as an admin would."""

from __future__ import annotations

import keyring
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from tests.ui.keyboard import ALT, WAIT_MS, next_page, press
from wizard.connection import Profile, ProfileStore, SecretStore
from wizard.flow import PageId
from wizard.sandbox import Sandbox
from wizard.ui.qt_compat import emit
from wizard.ui.window import SetupWizard

TYPED = (
    ("company_id", "ACME"),
    ("user_id", "ws_user"),
    ("user_password", "pw-123456"),
    ("sender_id", "S"),
    ("sender_password", "spw-123456"),
)


def _to_credentials(qtbot: QtBot, window: SetupWizard) -> None:
    press(qtbot, window, Qt.Key.Key_S, ALT)  # "&Set up a new connection"
    qtbot.waitUntil(window.welcome.new_choice.isChecked)
    window.next()
    qtbot.waitUntil(lambda: window.currentId() == int(PageId.PREPARE))
    window.prepare.role_based.setChecked(True)
    window.next()
    qtbot.waitUntil(lambda: window.currentId() == int(PageId.CREDENTIALS))


def _type(window: SetupWizard) -> None:
    page = window.credentials
    for name, value in TYPED:
        page.fields[name].setText(value)
        emit(page.fields[name].textEdited, value)


def test_the_session_only_box_can_be_unticked_and_enter_still_goes_forward(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    """Item 5 and 7: the box is not a one-way door; ticking it keeps Next the default."""
    keyring.set_keyring(fail.Keyring())
    window = wizard_window
    _to_credentials(qtbot, window)
    _type(window)
    page = window.credentials
    qtbot.mouseClick(page.session_only, Qt.MouseButton.LeftButton)
    assert page.session_only.isChecked() and SecretStore().session_only
    back = window.button(QWizard.WizardButton.BackButton)
    assert not back.isDefault(), "Enter must not go backwards"
    assert window.button(QWizard.WizardButton.NextButton).isDefault()
    assert page.session_only.isEnabled()
    qtbot.mouseClick(page.session_only, Qt.MouseButton.LeftButton)
    assert not page.session_only.isChecked() and not SecretStore().session_only
    assert "no usable password store" in page.where.text()


def test_saved_connections_are_listed_without_saying_there_are_none(
    qtbot: QtBot, qapp: object
) -> None:
    """Item 6: Welcome does not say "No saved connections" above a saved connection."""
    ProfileStore().save(
        Profile(name="acme corp", company_id="ACME", user_id="ws_user", sender_id="S")
    )
    window = SetupWizard()
    window.context.ask = lambda *_a: True
    qtbot.addWidget(window)
    window.show()
    welcome = window.welcome
    qtbot.waitUntil(lambda: welcome.profiles.count() == 1)
    assert welcome.profiles.currentText() == "acme corp"
    assert "No saved connections" not in welcome.diagnose_hint.text()
    assert welcome.diagnose_choice.isEnabled()
    window.shutdown()


def test_saving_says_not_yet_tested(qtbot: QtBot, wizard_window: SetupWizard) -> None:
    """Item 6: a saved connection that never connected is called just that."""
    window = wizard_window
    _to_credentials(qtbot, window)
    _type(window)
    page = window.credentials
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS):
        window.next()
    assert "not yet tested" in page.status.text(), page.status.text()


def test_escape_with_typed_details_asks_and_no_keeps_everything(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    """Item 7: Cancel and Escape ask before losing typed details."""
    window = wizard_window
    _to_credentials(qtbot, window)
    _type(window)
    asked: list[str] = []
    window.context.ask = lambda title, _q, _y: asked.append(title) is not None  # "no"
    press(qtbot, window, Qt.Key.Key_Escape)
    assert asked == ["Close the wizard?"] and window.isVisible()
    qtbot.mouseClick(window.button(QWizard.WizardButton.CancelButton), Qt.MouseButton.LeftButton)
    assert asked == ["Close the wizard?"] * 2 and window.isVisible()
    assert window.credentials.fields["user_password"].text() == "pw-123456"


def test_back_during_the_sync_asks_like_close_does(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    """Item 7: Back during a sync asks first; "no" keeps the sync running on the page."""
    window = wizard_window
    sandbox = Sandbox(records=30_000).start()
    window.context.demo_sandbox = sandbox  # big enough to be still syncing
    press(qtbot, window, Qt.Key.Key_M, ALT)
    qtbot.waitUntil(window.welcome.demo_choice.isChecked)
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS):
        press(qtbot, window, Qt.Key.Key_Return)
    next_page(qtbot, window, PageId.ENTITY)
    next_page(qtbot, window, PageId.MAPPINGS)
    next_page(qtbot, window, PageId.FIRST_SYNC)
    page = window.first_sync
    page.since.setDate(page.since.minimumDate())
    with qtbot.waitSignal(page.bridge.progressed, timeout=WAIT_MS):
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    asked: list[str] = []
    window.context.ask = lambda title, _q, _y: asked.append(title) is not None  # "no"
    qtbot.mouseClick(window.button(QWizard.WizardButton.BackButton), Qt.MouseButton.LeftButton)
    assert asked == ["Stop the sync?"]
    assert window.currentId() == int(PageId.FIRST_SYNC) and page.task is not None
    window.context.ask = lambda *_a: True
    with qtbot.waitSignal(page.run_ended, timeout=WAIT_MS):
        qtbot.mouseClick(window.button(QWizard.WizardButton.BackButton), Qt.MouseButton.LeftButton)
    assert window.currentId() == int(PageId.MAPPINGS)
