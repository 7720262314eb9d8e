"""Diagnose a saved connection whose passwords are not in a password store (issue 12, item 5),
and Diagnose honouring the integration picked on Welcome: driven from the keyboard."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWizard
from pytestqt.qtbot import QtBot
from secret_hunt import assert_no_secrets

from tests.conftest import MemoryKeyring
from tests.ui.keyboard import ALT, WAIT_MS, press
from wizard.checks import CheckStatus
from wizard.connection import Profile, ProfileStore, Secrets
from wizard.flow import PageId
from wizard.integrations import load_integrations
from wizard.logs import close_logging, setup_logging
from wizard.sandbox import Sandbox
from wizard.ui.window import SetupWizard

EXPENSIFY = load_integrations().get("expensify")


@pytest.fixture
def company() -> Iterator[Sandbox]:
    """A sandbox company whose passwords are unique, so they can be hunted for afterwards."""
    with Sandbox() as sandbox:
        sandbox.company.sender_password = f"SenderPw-{uuid.uuid4().hex[:12]}"
        sandbox.company.user_password = f"UserPw-{uuid.uuid4().hex[:12]}"
        yield sandbox


def _save(sandbox: Sandbox, name: str = "acme", integration: str = "this-program") -> None:
    creds = sandbox.credentials
    store = ProfileStore()
    store.save(
        Profile(
            name=name,
            company_id=creds.company_id,
            user_id=creds.user_id,
            sender_id=creds.sender_id,
            endpoint=sandbox.endpoint,
            integration=integration,
        )
    )
    store.set_last_used(name)


def _open(qtbot: QtBot) -> SetupWizard:
    """The wizard as an admin opens it after the connection was saved."""
    window = SetupWizard()
    window.context.ask = lambda *_a: True
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: window.welcome.profiles.count() == 1)
    return window


def _diagnose(qtbot: QtBot, window: SetupWizard) -> None:
    """Alt+D (Diagnose an existing connection), then Alt+N (Next)."""
    press(qtbot, window, Qt.Key.Key_D, ALT)
    qtbot.waitUntil(window.welcome.diagnose_choice.isChecked)
    with qtbot.waitSignal(window.currentIdChanged, timeout=WAIT_MS):
        press(qtbot, window, Qt.Key.Key_N, ALT)


def _password_field(window: SetupWizard, name: str) -> QLineEdit:
    field = window.currentPage().findChild(QLineEdit, name)
    assert field is not None and field.isVisible(), (
        f"no {name} field to type into on “{window.currentPage().accessibleName()}”"
    )
    assert field.echoMode() is QLineEdit.EchoMode.Password
    return field


def _page_text(window: SetupWizard) -> str:
    return " ".join(
        label.text() for label in window.currentPage().findChildren(QLabel) if label.isVisible()
    )


def _type_and_go(qtbot: QtBot, window: SetupWizard, user: str, sender: str) -> bool:
    """Type the two passwords from the keyboard (Tab between them) and press Enter."""
    first = _password_field(window, "user_password")
    assert QApplication.focusWidget() is first, "the cursor starts in the first password"
    first.selectAll()
    qtbot.keyClicks(first, user)
    press(qtbot, window, Qt.Key.Key_Tab)  # the Show button beside it
    press(qtbot, window, Qt.Key.Key_Tab)
    second = _password_field(window, "sender_password")
    assert QApplication.focusWidget() is second, "Tab goes from one password to the next"
    second.selectAll()
    qtbot.keyClicks(second, sender)
    assert window.button(QWizard.WizardButton.NextButton).isDefault(), "Enter goes on"
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS) as tested:
        press(qtbot, window, Qt.Key.Key_Return)
    assert window.currentId() == int(PageId.TEST)
    return bool(tested.args[0])


class LockedKeyring(MemoryKeyring):
    """A keyring that is there but locked (the unlock prompt was dismissed)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("the keyring is locked")


@pytest.mark.parametrize(
    ("keyring_state", "why"),
    [
        ("no keyring", "no usable password store"),
        ("keyring without this connection", "not in this computer's password store"),
        ("locked keyring", "locked"),
    ],
)
def test_diagnose_asks_for_the_passwords_and_keeps_them_for_this_session_only(
    qtbot: QtBot,
    company: Sandbox,
    isolated_user_dirs: Path,
    memory_keyring: MemoryKeyring,
    keyring_state: str,
    why: str,
) -> None:
    _save(company)
    if keyring_state == "no keyring":
        keyring.set_keyring(fail.Keyring())
    elif keyring_state == "locked keyring":
        memory_keyring = LockedKeyring()
        keyring.set_keyring(memory_keyring)
    window = _open(qtbot)
    _diagnose(qtbot, window)
    said = _page_text(window)
    assert why in said, said
    assert "this session only" in said, said
    assert "again next time" in said, said
    assert "never written" in said, said
    creds = company.credentials
    assert _type_and_go(qtbot, window, creds.user_password, creds.sender_password), (
        window.test.status.text()
    )
    kept = window.test.rows["keyring-secrets"]
    assert kept.status is CheckStatus.WARN, kept.evidence.text()
    assert "session's memory only" in kept.evidence.text()
    assert "again next time" in kept.evidence.text()
    # How to get a working password store, where there is none or it is locked; with one that
    # works (only this connection's item is missing) nothing is wrong with it.
    if keyring_state == "keyring without this connection":
        assert kept.fix_panel is None
    else:
        assert kept.fix_panel is not None and kept.fix_panel.fix.id == "keyring-unavailable"
    assert window.test.rows["user-sign-in"].status is CheckStatus.PASS
    window.shutdown()
    assert memory_keyring.items == {}, "nothing went into the keyring"
    assert_no_secrets([isolated_user_dirs], [], [creds.user_password, creds.sender_password])


def test_a_wrong_password_gets_the_sign_in_fix_and_can_be_corrected_on_the_route(
    qtbot: QtBot, company: Sandbox
) -> None:
    _save(company)
    keyring.set_keyring(fail.Keyring())
    window = _open(qtbot)
    _diagnose(qtbot, window)
    creds = company.credentials
    assert not _type_and_go(qtbot, window, "not-the-password", creds.sender_password)
    row = window.test.rows["user-sign-in"]
    assert row.status is CheckStatus.FAIL and row.fix_panel is not None
    assert row.fix_panel.fix.id == "user-credentials-invalid"
    steps = " ".join(label.text() for label in row.fix_panel.findChildren(QLabel))
    assert "Back to the passwords" in steps, steps

    # Back, as the fix says: the page keeps what was typed; Escape asks before losing it.
    with qtbot.waitSignal(window.currentIdChanged, timeout=WAIT_MS):
        press(qtbot, window, Qt.Key.Key_B, ALT)
    assert _password_field(window, "sender_password").text() == creds.sender_password
    asked: list[str] = []
    window.context.ask = lambda title, _q, _y: asked.append(title) is not None  # "no"
    press(qtbot, window, Qt.Key.Key_Escape)
    assert asked == ["Close the wizard?"] and window.isVisible()
    window.context.ask = lambda *_a: True
    assert _password_field(window, "user_password").text() == "not-the-password"
    assert _type_and_go(qtbot, window, creds.user_password, creds.sender_password), (
        window.test.status.text()
    )
    assert window.test.rows["user-sign-in"].status is CheckStatus.PASS
    window.shutdown()


def _hard(label: str) -> str:
    """A password with the characters XML, URLs, JSON and repr each spell differently."""
    return f"{label}-{uuid.uuid4().hex[:12]}&<q>+/%\"'\\@:"


def test_no_typed_password_leaves_the_program(
    qtbot: QtBot, isolated_user_dirs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The secrets hunt (tests/test_secrets_hunt.py) for the passwords typed to diagnose: a
    wrong one, then the right ones, with DEBUG logging, up to the support report."""
    planted = {"sender": _hard("SenderPw"), "user": _hard("UserPw"), "wrong": _hard("WrongPw")}
    setup_logging(logging.DEBUG, console=False)
    keyring.set_keyring(fail.Keyring())
    try:
        with Sandbox() as sandbox:
            sandbox.company.sender_password = planted["sender"]
            sandbox.company.user_password = planted["user"]
            _save(sandbox)
            window = _open(qtbot)
            _diagnose(qtbot, window)
            assert not _type_and_go(qtbot, window, planted["wrong"], planted["sender"])
            with qtbot.waitSignal(window.currentIdChanged, timeout=WAIT_MS):
                press(qtbot, window, Qt.Key.Key_B, ALT)
            assert _type_and_go(qtbot, window, planted["user"], planted["sender"])
            with qtbot.waitSignal(window.findings.history_shown, timeout=WAIT_MS):
                press(qtbot, window, Qt.Key.Key_N, ALT)
            report = tmp_path / "report.zip"
            window.findings.report.path = report
            qtbot.mouseClick(window.findings.report, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: "Report saved" in window.findings.status.text())
            shown = [label.text() for label in window.findChildren(QLabel)]
            window.shutdown()
    finally:
        close_logging()
    output = capsys.readouterr()
    assert_no_secrets(
        [isolated_user_dirs, report], [*shown, output.out, output.err], planted.values()
    )


@pytest.fixture
def expensify_company() -> Iterator[Sandbox]:
    """A company whose Web Services user has every Expensify need but Add on expense reports."""
    with Sandbox() as sandbox:
        rights = {need.object: list(need.operations) for need in EXPENSIFY.needs}
        for udd in sandbox.company.udds:
            rights[udd.object.upper()] = ["list", "view"]
        rights["LOCATIONENTITY"] = ["list", "view"]
        rights["EEXPENSES"] = ["list", "view", "edit", "delete"]
        sandbox.set_user_permissions(rights)
        creds = sandbox.credentials
        ProfileStore().secrets.save("acme", Secrets(creds.sender_password, creds.user_password))
        yield sandbox


def _expensify_missing_add(window: SetupWizard) -> None:
    row = window.test.rows["permissions"]
    assert row.status is CheckStatus.FAIL, row.evidence.text()
    assert "Time & Expenses › Expense summaries (add)" in row.evidence.text()


def test_diagnose_checks_the_integration_picked_on_welcome_and_says_so(
    qtbot: QtBot, expensify_company: Sandbox
) -> None:
    _save(expensify_company, integration="this-program")
    window = _open(qtbot)
    welcome = window.welcome
    press(qtbot, window, Qt.Key.Key_D, ALT)
    qtbot.waitUntil(welcome.diagnose_choice.isChecked)
    press(qtbot, window, Qt.Key.Key_I, ALT)  # "Which &integration are you connecting?"
    qtbot.keyClicks(welcome.integration_search, "expen")
    assert welcome.integration_id() == "expensify"
    note = _page_text(window).casefold()
    assert "saved for this wizard's own sync" in note and "expensify" in note, note
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS) as tested:
        press(qtbot, window, Qt.Key.Key_N, ALT)
    assert tested.args == [False]
    _expensify_missing_add(window)
    said = _page_text(window).casefold()
    assert "expensify" in said and "saved for this wizard's own sync" in said, said
    assert ProfileStore().load("acme").integration == "this-program", "nothing saved silently"
    window.shutdown()


def test_diagnose_shows_and_uses_the_saved_integration_when_none_is_picked(
    qtbot: QtBot, expensify_company: Sandbox
) -> None:
    _save(expensify_company, integration="expensify")
    window = _open(qtbot)
    welcome = window.welcome
    press(qtbot, window, Qt.Key.Key_D, ALT)
    qtbot.waitUntil(welcome.diagnose_choice.isChecked)
    qtbot.waitUntil(lambda: welcome.integration_id() == "expensify")
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS):
        press(qtbot, window, Qt.Key.Key_N, ALT)
    _expensify_missing_add(window)
    window.shutdown()
