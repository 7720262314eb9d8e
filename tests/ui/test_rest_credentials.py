"""A new connection over the REST API, from the keyboard: Sign-in details asks how the
integration connects, takes the app's client ID and secret, keeps the secret in the keyring,
and the connection test signs in over REST; a wrong secret gets its fix and is corrected."""

from __future__ import annotations

import dataclasses
import logging
import re
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot
from secret_hunt import assert_no_secrets

from tests.rest.rest_helpers import sign_in_in_browser
from tests.ui.keyboard import ALT, WAIT_MS, next_page, press
from wizard.checks import CheckStatus
from wizard.connection import (
    ConnectionMethod,
    Profile,
    ProfileStore,
    RestChoices,
    RestGrant,
    Secrets,
)
from wizard.flow import PageId
from wizard.logs import close_logging, setup_logging
from wizard.redaction import MASK, redact
from wizard.sandbox import Sandbox
from wizard.ui.window import SetupWizard

WRONG_SECRET = "not-the-secret-7Qx"


@pytest.fixture
def rest_company() -> Iterator[Sandbox]:
    """The demo company, with a connection of the admin's company ID saved earlier whose REST
    address points at it (saving over a connection keeps its address, as it keeps the XML
    endpoint)."""
    with Sandbox() as sandbox:
        creds = sandbox.credentials
        store = ProfileStore()
        store.secrets.save(creds.company_id, Secrets("", ""))
        store.save(
            Profile(
                name=creds.company_id,
                company_id=creds.company_id,
                method=ConnectionMethod.REST,
                rest=RestChoices("", RestGrant.CLIENT_CREDENTIALS, sandbox.rest_base_url),
            )
        )
        yield sandbox


def _type(qtbot: QtBot, window: SetupWizard, name: str, text: str) -> None:
    field = window.credentials.fields[name]
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    assert field.isVisible(), f"{name} is not on the page"


def test_a_new_rest_connection_is_saved_tested_over_rest_and_a_wrong_secret_is_fixed(
    qtbot: QtBot, wizard_window: SetupWizard, rest_company: Sandbox
) -> None:
    window = wizard_window
    welcome = window.welcome
    press(qtbot, window, Qt.Key.Key_I, ALT)
    qtbot.waitUntil(welcome.integration_search.hasFocus)
    qtbot.keyClicks(welcome.integration_search, "workato")
    assert welcome.integration_id() == "workato"
    press(qtbot, window, Qt.Key.Key_S, ALT)
    qtbot.waitUntil(welcome.new_choice.isChecked)
    next_page(qtbot, window, PageId.PREPARE)
    press(qtbot, window, Qt.Key.Key_U, ALT)  # user-based permissions
    next_page(qtbot, window, PageId.CREDENTIALS)

    page = window.credentials
    assert page.method_choice.isVisible()
    assert page.fields["sender_id"].isVisible() and not page.fields["client_id"].isVisible()
    press(qtbot, window, Qt.Key.Key_A, ALT)  # "REST &API: an app's client ID and secret"
    qtbot.waitUntil(page.fields["client_id"].isVisible)
    for hidden in ("sender_id", "sender_password", "user_password"):
        assert not page.fields[hidden].isVisible(), hidden
    assert "client secret" in page.where.text() and "sender" not in page.where.text()
    assert page.subTitle().startswith("Step 3 of 4."), "over REST the route ends at the test"

    creds = rest_company.credentials
    app = rest_company.rest_app
    _type(qtbot, window, "company_id", creds.company_id)
    _type(qtbot, window, "user_id", creds.user_id)
    _type(qtbot, window, "client_id", app.client_id)
    _type(qtbot, window, "client_secret", WRONG_SECRET)
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS) as tested:
        press(qtbot, window, Qt.Key.Key_S, ALT)  # Save connection
    assert tested.args == [False]
    assert window.context.flow.data.method is ConnectionMethod.REST
    test = window.test
    assert "rest-sign-in" in test.rows and "user-sign-in" not in test.rows
    sign_in = test.rows["rest-sign-in"]
    assert sign_in.status is CheckStatus.FAIL, sign_in.evidence.text()
    assert sign_in.fix_panel is not None
    assert WRONG_SECRET not in test.status.text() + sign_in.evidence.text()
    # The secret was typed a key at a time: its first letters ("not") are no secret, and the
    # words they spell stay readable ("did not issue an access token").
    assert MASK not in sign_in.evidence.text(), sign_in.evidence.text()
    assert MASK in redact(f"sent {WRONG_SECRET}"), "the saved secret itself is masked"

    # Back to the page: the admin pastes the right secret and saves again.
    with qtbot.waitSignal(window.currentIdChanged, timeout=WAIT_MS):
        press(qtbot, window, Qt.Key.Key_B, ALT)
    assert window.currentId() == int(PageId.CREDENTIALS)
    _type(qtbot, window, "client_secret", app.client_secret)
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS) as tested:
        press(qtbot, window, Qt.Key.Key_S, ALT)
    assert tested.args == [True], test.status.text()
    assert test.rows["rest-sign-in"].status is CheckStatus.PASS
    assert "Finish" in test.status.text()

    store = ProfileStore()
    saved = store.load(creds.company_id)
    assert saved.method is ConnectionMethod.REST
    assert saved.rest.client_id == app.client_id
    assert saved.rest.grant is RestGrant.CLIENT_CREDENTIALS
    assert saved.rest.base_url == rest_company.rest_base_url  # kept from the earlier save
    assert saved.sender_id == ""
    secrets = store.secrets.load(creds.company_id)
    assert secrets is not None and secrets.client_secret == app.client_secret
    assert secrets.user_password == "" and secrets.sender_password == ""


def _to_rest_credentials(qtbot: QtBot, window: SetupWizard) -> None:
    welcome = window.welcome
    press(qtbot, window, Qt.Key.Key_I, ALT)
    qtbot.waitUntil(welcome.integration_search.hasFocus)
    qtbot.keyClicks(welcome.integration_search, "workato")
    press(qtbot, window, Qt.Key.Key_S, ALT)
    qtbot.waitUntil(welcome.new_choice.isChecked)
    next_page(qtbot, window, PageId.PREPARE)
    press(qtbot, window, Qt.Key.Key_U, ALT)
    next_page(qtbot, window, PageId.CREDENTIALS)
    press(qtbot, window, Qt.Key.Key_A, ALT)  # REST API
    qtbot.waitUntil(window.credentials.fields["client_id"].isVisible)


def test_sign_in_with_sage_intacct_pasting_the_address_back(
    qtbot: QtBot,
    wizard_window: SetupWizard,
    rest_company: Sandbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Sage refuses http:// redirect addresses, so the browser's answer is pasted back: a
    declined sign-in says so, the accepted one is saved as a refresh token and tested."""
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toString()) or True)
    )
    window = wizard_window
    _to_rest_credentials(qtbot, window)
    page = window.credentials
    choice = page.sign_in_choice
    assert not choice.redirect.isVisible()
    press(qtbot, window, Qt.Key.Key_W, ALT)  # "Sign in with Sage Intacct in the bro&wser"
    qtbot.waitUntil(choice.redirect.isVisible)
    assert not page.fields["user_id"].isVisible(), "the admin signs in as themselves"
    assert _visible_mnemonics_are_unique(page)

    creds = rest_company.credentials
    app = rest_company.rest_app
    _type(qtbot, window, "company_id", creds.company_id)
    _type(qtbot, window, "client_id", app.client_id)
    _type(qtbot, window, "client_secret", app.client_secret)
    choice.redirect.setFocus()
    qtbot.keyClicks(choice.redirect, app.redirect_uri)
    qtbot.mouseClick(choice.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=WAIT_MS)
    assert "code_challenge=" in opened[0] and "state=" in opened[0]
    assert "paste it below" in choice.message.text()

    # Declined in the browser: the pasted answer says so, nothing is saved.
    choice.paste.setFocus()
    qtbot.keyClicks(choice.paste, sign_in_in_browser(rest_company, opened[0], accept=False))
    press(qtbot, window, Qt.Key.Key_S, ALT)
    qtbot.waitUntil(lambda: "did not grant access" in page.status.text(), timeout=WAIT_MS)
    assert window.currentId() == int(PageId.CREDENTIALS)

    # Signed in and accepted: saved with the sign-in, and the test signs in over REST.
    choice.paste.selectAll()
    qtbot.keyClicks(choice.paste, sign_in_in_browser(rest_company, opened[0]))
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS) as tested:
        press(qtbot, window, Qt.Key.Key_S, ALT)
    assert tested.args == [True], window.test.status.text()
    assert window.test.rows["rest-sign-in"].status is CheckStatus.PASS
    store = ProfileStore()
    saved = store.load(creds.company_id)
    assert saved.rest.grant is RestGrant.SIGN_IN
    assert saved.rest.redirect_uri == app.redirect_uri
    secrets = store.secrets.load(creds.company_id)
    assert secrets is not None and secrets.refresh_token and secrets.client_secret
    shown = page.status.text() + window.test.status.text() + choice.message.text()
    assert secrets.refresh_token not in shown


def _visible_mnemonics_are_unique(page: QWidget) -> bool:
    """No two visible controls answer the same Alt+letter (the wizard's buttons use B, N, S)."""
    taken: dict[str, str] = {"b": "Back", "n": "Next", "s": "Save"}
    for widget in page.findChildren(QWidget):
        text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
        if not isinstance(text, str) or not widget.isVisible():
            continue
        match = re.search(r"&([^&\s])", text.replace("&&", ""))
        if match is None:
            continue
        letter = match.group(1).lower()
        assert letter not in taken, f"Alt+{letter}: {taken[letter]!r} and {text!r}"
        taken[letter] = text
    return True


@pytest.mark.parametrize(("search", "offered"), [("expensify", False), ("workato", True)])
def test_the_page_asks_how_it_connects_only_when_the_integration_offers_a_choice(
    qtbot: QtBot, wizard_window: SetupWizard, search: str, offered: bool
) -> None:
    """Expensify signs in over the XML gateway only; Workato either way (its catalogue file's
    [connection] methods), so only Workato's page asks, with the XML gateway first."""
    window = wizard_window
    welcome = window.welcome
    press(qtbot, window, Qt.Key.Key_I, ALT)
    qtbot.waitUntil(welcome.integration_search.hasFocus)
    qtbot.keyClicks(welcome.integration_search, search)
    assert welcome.integration_id() == search
    press(qtbot, window, Qt.Key.Key_S, ALT)
    qtbot.waitUntil(welcome.new_choice.isChecked)
    next_page(qtbot, window, PageId.PREPARE)
    press(qtbot, window, Qt.Key.Key_U, ALT)
    next_page(qtbot, window, PageId.CREDENTIALS)
    page = window.credentials
    assert page.method_choice.isVisible() is offered
    assert page.fields["sender_id"].isVisible() and not page.fields["client_id"].isVisible()
    if offered:
        assert page.method_choice.buttons[ConnectionMethod.XML].hasFocus()
    else:
        assert page.fields["company_id"].hasFocus()
        press(qtbot, window, Qt.Key.Key_A, ALT)  # no REST choice to pick: nothing changes
        assert not page.fields["client_id"].isVisible()
        assert window.context.flow.data.method is ConnectionMethod.XML


def _code_in(address: str) -> str:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(address).query)["code"][0]


def test_no_client_secret_pasted_code_or_token_leaves_the_program(
    qtbot: QtBot,
    wizard_window: SetupWizard,
    rest_company: Sandbox,
    isolated_user_dirs: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The secrets hunt (tests/test_secrets_hunt.py) for Sign in with Sage Intacct on
    Sign-in details, with DEBUG logging: a wrong client secret typed, then the right one;
    the addresses pasted back (each holding a one-use code); every token Intacct issued and
    the kept refresh token. None is in a file, a log, the words on screen or the output."""
    secret = f"ClientSecret-{uuid.uuid4().hex[:12]}&<q>+/%"
    wrong = f"WrongSecret-{uuid.uuid4().hex[:12]}&<q>+/%"
    rest = rest_company.rest
    rest.data = dataclasses.replace(rest.data, client_secret=secret)
    rest.oauth.data = rest.data
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toString()) or True)
    )
    window = wizard_window
    page = window.credentials
    choice = page.sign_in_choice
    creds = rest_company.credentials
    app = rest_company.rest_app
    pasted: list[str] = []
    setup_logging(logging.DEBUG, console=False)
    try:
        _to_rest_credentials(qtbot, window)
        press(qtbot, window, Qt.Key.Key_W, ALT)  # Sign in with Sage Intacct in the browser
        qtbot.waitUntil(choice.redirect.isVisible)
        _type(qtbot, window, "company_id", creds.company_id)
        _type(qtbot, window, "client_id", app.client_id)
        choice.redirect.setFocus()
        qtbot.keyClicks(choice.redirect, app.redirect_uri)
        for typed in (wrong, secret):
            _type(qtbot, window, "client_secret", typed)
            opened.clear()
            qtbot.mouseClick(choice.open_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: bool(opened), timeout=WAIT_MS)
            pasted.append(sign_in_in_browser(rest_company, opened[0]))
            choice.paste.setFocus()
            choice.paste.selectAll()
            qtbot.keyClicks(choice.paste, pasted[-1])
            if typed is wrong:  # the code cannot be traded with a wrong secret: said, not saved
                press(qtbot, window, Qt.Key.Key_S, ALT)
                qtbot.waitUntil(
                    lambda: page.status.property("severity") == "error", timeout=WAIT_MS
                )
                assert window.currentId() == int(PageId.CREDENTIALS)
        with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS) as tested:
            press(qtbot, window, Qt.Key.Key_S, ALT)
        assert tested.args == [True], window.test.status.text()
        shown = [label.text() for label in window.findChildren(QLabel)]
        window.shutdown()
    finally:
        close_logging()
    saved = ProfileStore().secrets.load(creds.company_id)
    assert saved is not None and saved.client_secret == secret and saved.refresh_token
    tokens = set(rest.oauth.tokens) | set(rest.oauth.refresh_tokens)
    assert len(tokens) >= 2
    hunted = [secret, wrong, *(_code_in(a) for a in pasted), *tokens, saved.refresh_token]
    output = capsys.readouterr()
    assert_no_secrets([isolated_user_dirs], [*shown, output.out, output.err], hunted)
