"""Welcome → Prepare Intacct → Sign-in details, driven from the keyboard as an admin would."""

from __future__ import annotations

import json

import keyring
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QWizard,
)
from pytestqt.qtbot import QtBot

from tests.conftest import MemoryKeyring
from wizard.connection import SecretStore
from wizard.flow import PageId, PermissionModel, Route
from wizard.ui.qt_compat import emit
from wizard.ui.window import SetupWizard

ALT = Qt.KeyboardModifier.AltModifier


def _press(qtbot: QtBot, window: SetupWizard, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier):
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, key, modifier)


def _alt(qtbot: QtBot, window: SetupWizard, key: Qt.Key, button: QAbstractButton) -> None:
    """Alt+letter, then wait for the button it names (mnemonics click after a short flash)."""
    _press(qtbot, window, key, ALT)
    qtbot.waitUntil(button.isChecked)


def _to_page(qtbot: QtBot, window: SetupWizard, key: Qt.Key, modifier, page: PageId) -> None:
    with qtbot.waitSignal(window.currentIdChanged, timeout=5_000) as moved:
        _press(qtbot, window, key, modifier)
    assert moved.args == [int(page)]


def _type(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    assert edit.hasFocus(), f"{edit.objectName()} should have the keyboard focus"
    qtbot.keyClicks(edit, text)


def _to_credentials(qtbot: QtBot, window: SetupWizard) -> None:
    _alt(qtbot, window, Qt.Key.Key_S, window.welcome.new_choice)  # "&Set up a new connection"
    _to_page(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, PageId.PREPARE)
    _alt(qtbot, window, Qt.Key.Key_R, window.prepare.role_based)  # "&Role-based"
    _press(qtbot, window, Qt.Key.Key_Tab)
    _press(qtbot, window, Qt.Key.Key_Space)  # tick the first step
    _to_page(qtbot, window, Qt.Key.Key_N, ALT, PageId.CREDENTIALS)


def test_keyboard_alone_sets_up_and_saves_a_connection(
    qtbot: QtBot, wizard_window: SetupWizard, memory_keyring: MemoryKeyring
) -> None:
    window = wizard_window
    assert window.windowTitle() == "Connect Sage Intacct"
    _to_credentials(qtbot, window)
    prepared = window.context.flow.history[-1].data
    assert prepared.permission_model is PermissionModel.ROLE_BASED
    assert prepared.prepared_steps == {"web-services-subscription"}

    page = window.credentials
    assert window.button(QWizard.WizardButton.NextButton).text() == "&Save connection"
    _type(qtbot, page.fields["company_id"], "ACME-CORP ")
    assert "blank at the end of the company ID" in page.messages["company_id"].text()
    assert page.messages["company_id"].property("severity") == "warning"
    _press(qtbot, window, Qt.Key.Key_Tab)  # leaving the field trims the blank
    assert page.fields["company_id"].text() == "ACME-CORP"
    user = page.fields["user_id"]
    user.selectAll()
    _type(qtbot, user, "ws_sync")
    _press(qtbot, window, Qt.Key.Key_Tab)
    _type(qtbot, page.fields["user_password"], "Winter-Ledger-42")
    _press(qtbot, window, Qt.Key.Key_Tab)
    _press(qtbot, window, Qt.Key.Key_Tab)  # past the Show button
    _type(qtbot, page.fields["sender_id"], "AcmeSender")
    _press(qtbot, window, Qt.Key.Key_Tab)
    _type(qtbot, page.fields["sender_password"], "Sender-Secret-7")

    _to_page(qtbot, window, Qt.Key.Key_S, ALT, PageId.TEST)  # "&Save connection"
    stored = [json.loads(value) for value in memory_keyring.items.values()]
    assert len(stored) == 1
    assert stored[0]["user_password"] == "Winter-Ledger-42"
    assert stored[0]["sender_password"] == "Sender-Secret-7"
    data = window.context.flow.data
    assert (data.company_id, data.user_id, data.sender_id) == ("ACME-CORP", "ws_sync", "AcmeSender")
    assert data.credentials_saved and data.route is Route.NEW
    assert "Winter-Ledger-42" not in repr(data.describe()), "passwords never enter the flow"


def test_inline_messages_say_what_is_wrong_and_block_saving(
    qtbot: QtBot, wizard_window: SetupWizard, memory_keyring: MemoryKeyring
) -> None:
    window = wizard_window
    _to_credentials(qtbot, window)
    page = window.credentials
    save = window.button(QWizard.WizardButton.NextButton)
    assert not save.isEnabled(), "nothing typed yet: Save connection stays off"
    assert not page.messages["company_id"].isVisible(), "no scolding before typing"

    _type(qtbot, page.fields["company_id"], "A")
    _press(qtbot, window, Qt.Key.Key_Backspace)
    message = page.messages["company_id"]
    assert message.isVisible() and "The company ID is empty" in message.text()
    assert message.property("severity") == "error"

    _press(qtbot, window, Qt.Key.Key_Tab)
    for name in ("user_password", "sender_id", "sender_password"):
        page.fields[name].setFocus()
        _type(qtbot, page.fields[name], "x1y2z3")
    assert not save.isEnabled(), "the company ID is still empty"
    page.fields["company_id"].setFocus()
    _type(qtbot, page.fields["company_id"], "ACME")
    assert not message.isVisible()
    assert save.isEnabled()
    assert not memory_keyring.items, "nothing is saved before Save connection"


def test_show_toggle_reveals_and_hides_the_password(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    _to_credentials(qtbot, wizard_window)
    page = wizard_window.credentials
    password = page.fields["user_password"]
    toggle = page.toggles["user_password"]
    assert password.echoMode() is QLineEdit.EchoMode.Password
    assert toggle.accessibleName() == "Show user password"
    password.setFocus()
    _press(qtbot, wizard_window, Qt.Key.Key_Tab)
    assert toggle.hasFocus(), "the Show button is next in the tab order"
    _press(qtbot, wizard_window, Qt.Key.Key_Space)
    assert password.echoMode() is QLineEdit.EchoMode.Normal
    assert toggle.text() == "Hide" and toggle.accessibleName() == "Hide user password"
    _press(qtbot, wizard_window, Qt.Key.Key_Space)
    assert password.echoMode() is QLineEdit.EchoMode.Password


def test_back_keeps_the_checklist_as_the_admin_left_it(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    window = wizard_window
    _to_credentials(qtbot, window)
    window.credentials.fields["company_id"].setFocus()
    _type(qtbot, window.credentials.fields["company_id"], "ACME")
    _to_page(qtbot, window, Qt.Key.Key_B, ALT, PageId.PREPARE)
    assert window.prepare.role_based.isChecked()
    assert window.prepare.step_boxes["web-services-subscription"].isChecked()
    assert window.context.flow.data.permission_model is PermissionModel.ROLE_BASED
    assert "role-permissions" in window.prepare.step_boxes
    assert "user-subscriptions" not in window.prepare.step_boxes
    _to_page(qtbot, window, Qt.Key.Key_N, ALT, PageId.CREDENTIALS)
    assert window.credentials.fields["company_id"].text() == "ACME", "typed text survives Back"


def test_switching_the_permission_model_shows_only_its_steps(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    window = wizard_window
    _alt(qtbot, window, Qt.Key.Key_S, window.welcome.new_choice)
    _to_page(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, PageId.PREPARE)
    page = window.prepare
    assert "user-subscriptions" not in page.step_boxes and "role-permissions" not in page.step_boxes
    _alt(qtbot, window, Qt.Key.Key_U, page.user_based)
    assert "user-subscriptions" in page.step_boxes and "role-permissions" not in page.step_boxes
    assert page.progress.text() == f"0 of {len(page.step_boxes)} steps ticked"
    assert window.button(QWizard.WizardButton.NextButton).isEnabled(), "ticks never block"


def test_copy_button_puts_the_suggested_user_id_on_the_clipboard(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    window = wizard_window
    _alt(qtbot, window, Qt.Key.Key_S, window.welcome.new_choice)
    _to_page(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, PageId.PREPARE)
    button = window.prepare.copy_buttons["user_id"]
    button.setFocus()
    _press(qtbot, window, Qt.Key.Key_Space)
    assert QGuiApplication.clipboard().text() == "ws_integration"
    assert "Copied ws_integration" in window.prepare.copied.text()


def test_without_a_keyring_the_page_says_so_and_keeps_the_admin_there(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    keyring.set_keyring(fail.Keyring())
    window = wizard_window
    _to_credentials(qtbot, window)
    page = window.credentials
    assert "no usable password store" in page.where.text()
    for name, value in (
        ("company_id", "ACME"),
        ("user_password", "pw-123456"),
        ("sender_id", "S"),
        ("sender_password", "spw-123456"),
    ):
        page.fields[name].setText(value)
        emit(page.fields[name].textEdited, value)
    window.next()
    qtbot.waitUntil(lambda: page.status.property("severity") == "error")
    assert "GNOME Keyring" in page.status.text()
    assert window.currentId() == int(PageId.CREDENTIALS)


def test_without_a_keyring_the_admin_may_keep_the_passwords_for_this_session_only(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    keyring.set_keyring(fail.Keyring())
    window = wizard_window
    _to_credentials(qtbot, window)
    page = window.credentials
    assert page.session_only.isVisible() and not page.session_only.isChecked()
    for name, value in (
        ("company_id", "ACME"),
        ("user_password", "pw-123456"),
        ("sender_id", "S"),
        ("sender_password", "spw-123456"),
    ):
        page.fields[name].setText(value)
        emit(page.fields[name].textEdited, value)
    _alt(qtbot, window, Qt.Key.Key_K, page.session_only)  # "&Keep ... for this session only"
    assert "for this session only" in page.where.text()
    with qtbot.waitSignal(window.currentIdChanged, timeout=10_000):
        _press(qtbot, window, Qt.Key.Key_S, ALT)  # "&Save connection"
    assert "this session" in page.status.text() or window.currentId() == int(PageId.TEST)
    kept = SecretStore().load("ACME")
    assert kept is not None and kept.user_password == "pw-123456"
    assert SecretStore().session_only


def test_demo_company_starts_in_the_background_and_skips_the_setup_pages(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    window = wizard_window
    _alt(qtbot, window, Qt.Key.Key_M, window.welcome.demo_choice)  # "Try the de&mo company"
    _to_page(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, PageId.TEST)
    sandbox = window.context.demo_sandbox
    assert sandbox is not None
    assert sandbox.endpoint.startswith("http://127.0.0.1:")
    assert window.context.flow.data.route is Route.DEMO
    window.shutdown()
    assert window.context.demo_sandbox is None


def test_every_control_has_an_accessible_name(qtbot: QtBot, wizard_window: SetupWizard) -> None:
    window = wizard_window
    _to_credentials(qtbot, window)
    missing = []
    for page in (window.welcome, window.prepare, window.credentials):
        for widget in (
            page.findChildren(QAbstractButton)
            + page.findChildren(QLineEdit)
            + (page.findChildren(QComboBox))
        ):
            if not widget.accessibleName().strip():
                missing.append(
                    f"{page.objectName()}/{widget.objectName() or type(widget).__name__}"
                )
    assert not missing


def test_window_size_and_last_connection_are_remembered(
    qtbot: QtBot, qapp: object, memory_keyring: MemoryKeyring
) -> None:
    first = SetupWizard()
    qtbot.addWidget(first)
    first.show()
    first.resize(761, 577)
    first.context.flow.update(first.context.flow.data.replace(profile="ACME"))
    first.close()
    second = SetupWizard()
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (761, 577)
    from wizard.ui.window import settings

    assert settings().value("profile/last") == "ACME"
    second.shutdown()


def test_diagnose_lists_saved_connections_with_the_last_used_first(
    qtbot: QtBot, qapp: object, memory_keyring: MemoryKeyring
) -> None:
    from wizard.connection import Profile, ProfileStore

    store = ProfileStore()
    for name in ("Acme production", "Globex"):
        store.save(Profile(name=name, company_id=name.split()[0], user_id="ws", sender_id="S"))
    store.set_last_used("Globex")
    window = SetupWizard()
    qtbot.addWidget(window)
    window.show()
    page = window.welcome
    qtbot.waitUntil(lambda: page.profiles.count() == 2)
    assert page.diagnose_choice.isEnabled()
    assert page.profiles.itemText(0) == "Globex"
    page.diagnose_choice.setChecked(True)
    with qtbot.waitSignal(window.currentIdChanged) as moved:
        window.next()
    # Globex has no passwords saved on this computer: they are asked for first.
    assert moved.args == [int(PageId.PASSWORDS)]
    assert window.context.flow.data.profile == "Globex"
    assert window.context.flow.data.route is Route.DIAGNOSE
    window.shutdown()
