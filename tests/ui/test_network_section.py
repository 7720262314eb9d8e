"""The Network section of the Credentials page, from the keyboard: choose a proxy, sign in to
it, pick an extra certificate file; wrong entries are named inline and block saving."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot
from test_pages import ALT, _alt, _press, _to_credentials, _to_page, _type

from tests.conftest import MemoryKeyring
from wizard.connection import Mappings, NetworkChoices, Profile, ProfileStore, Secrets, SecretStore
from wizard.flow import PageId
from wizard.gateway import ProxyMode
from wizard.ui.window import SetupWizard


def _fill_sign_in(qtbot: QtBot, window: SetupWizard) -> None:
    page = window.credentials
    for name, value in (
        ("company_id", "ACME-CORP"),
        ("user_id", "ws_sync"),
        ("user_password", "Winter-Ledger-42"),
        ("sender_id", "AcmeSender"),
        ("sender_password", "Sender-Secret-7"),
    ):
        page.fields[name].setFocus()
        page.fields[name].selectAll()
        _type(qtbot, page.fields[name], value)


def _focused() -> QLineEdit:
    widget = QApplication.focusWidget()
    assert isinstance(widget, QLineEdit), widget
    return widget


def test_a_named_proxy_and_its_sign_in_are_saved_the_password_in_the_keyring(
    qtbot: QtBot, wizard_window: SetupWizard, memory_keyring: MemoryKeyring
) -> None:
    window = wizard_window
    _to_credentials(qtbot, window)
    page = window.credentials
    network = page.network
    assert network.system.isChecked(), "this computer's settings are the default"
    assert "this computer" in network.system_hint.text()
    assert not network.details.isVisible(), "most admins never need to open it"
    assert not network.proxy_url.isEnabled()
    _fill_sign_in(qtbot, window)
    _alt(qtbot, window, Qt.Key.Key_G, network.toggle)  # "Chan&ge network settings…"
    assert network.details.isVisible()

    _alt(qtbot, window, Qt.Key.Key_T, network.manual)  # "Use &this proxy:"
    assert network.proxy_url.isEnabled()
    network.proxy_url.setFocus()
    _type(qtbot, network.proxy_url, "proxy corp:8080")
    message = network.messages["proxy_url"]
    assert message.isVisible() and "not valid" in message.text()
    assert message.property("severity") == "error"
    network.proxy_user.setFocus()
    _press(qtbot, window, Qt.Key.Key_S, ALT)  # Save connection: refused, the field is named
    qtbot.waitUntil(lambda: "correct the field" in page.status.text())
    assert window.currentId() == int(PageId.CREDENTIALS)
    assert _focused() is network.proxy_url
    assert not memory_keyring.items

    network.proxy_url.selectAll()
    _type(qtbot, network.proxy_url, "proxy.corp.example:8080")
    assert not message.isVisible()
    _press(qtbot, window, Qt.Key.Key_X, ALT)  # "Pro&xy user"
    _type(qtbot, _focused(), "jo.admin")
    _press(qtbot, window, Qt.Key.Key_R, ALT)  # "Proxy passwo&rd"
    assert _focused() is network.proxy_password
    assert network.proxy_password.echoMode() is QLineEdit.EchoMode.Password
    _type(qtbot, network.proxy_password, "Proxy-Pa55-word")

    _to_page(qtbot, window, Qt.Key.Key_S, ALT, PageId.TEST)
    stored = [json.loads(value) for value in memory_keyring.items.values()]
    assert [item["proxy_password"] for item in stored] == ["Proxy-Pa55-word"]
    profile = ProfileStore().load("ACME-CORP")
    assert profile.network.proxy_mode is ProxyMode.MANUAL
    assert profile.network.proxy_url == "http://proxy.corp.example:8080"
    assert profile.network.proxy_user == "jo.admin"
    saved = (ProfileStore().profiles_dir / "ACME-CORP.json").read_text()
    assert "Proxy-Pa55-word" not in saved


def test_a_missing_certificate_file_and_a_password_without_user_are_named(
    qtbot: QtBot, wizard_window: SetupWizard, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = wizard_window
    _to_credentials(qtbot, window)
    network = window.credentials.network
    _fill_sign_in(qtbot, window)
    _alt(qtbot, window, Qt.Key.Key_G, network.toggle)
    _press(qtbot, window, Qt.Key.Key_F, ALT)  # "Extra certificate &file"
    _type(qtbot, network.ca_file, str(tmp_path / "nowhere.pem"))
    assert "There is no file at" in network.messages["extra_ca_file"].text()
    _press(qtbot, window, Qt.Key.Key_R, ALT)
    _type(qtbot, network.proxy_password, "lonely-password")
    assert "proxy user name" in network.messages["proxy_user"].text()
    _press(qtbot, window, Qt.Key.Key_S, ALT)
    qtbot.waitUntil(lambda: "correct the field" in window.credentials.status.text())
    assert window.currentId() == int(PageId.CREDENTIALS)
    assert not memory_keyring.items

    # No proxy at all: the sign-in fields step aside, and nothing blocks saving once the file
    # is there.
    _alt(qtbot, window, Qt.Key.Key_O, network.direct)  # "Connect directly, with n&o proxy"
    assert not network.proxy_password.isEnabled()
    assert not network.messages["proxy_user"].isVisible()
    (tmp_path / "nowhere.pem").write_text("placeholder")
    network.ca_file.setFocus()
    network.ca_file.end(False)
    _type(qtbot, network.ca_file, "x")  # any edit checks the field again
    _press(qtbot, window, Qt.Key.Key_Backspace)
    assert not network.messages["extra_ca_file"].isVisible()
    _to_page(qtbot, window, Qt.Key.Key_S, ALT, PageId.TEST)
    profile = ProfileStore().load("ACME-CORP")
    assert profile.network.proxy_mode is ProxyMode.NONE
    assert profile.network.proxy_user == ""
    assert [json.loads(v).get("proxy_password") for v in memory_keyring.items.values()] == [None]


def test_saving_over_a_connection_keeps_its_proxy_certificate_and_proxy_password(
    qtbot: QtBot, wizard_window: SetupWizard, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    """An admin sets the connection up again under the same name (say, a new user password):
    the saved proxy, its sign-in and the extra certificate file are shown and kept, and so is
    everything else the page does not set."""
    roots = tmp_path / "corp-root.pem"
    roots.write_text("-----BEGIN CERTIFICATE-----\n")
    network = NetworkChoices(
        proxy_mode=ProxyMode.MANUAL,
        proxy_url="http://proxy.corp.example:8080",
        proxy_user="jo.admin",
        extra_ca_file=str(roots),
    )
    ProfileStore().save(
        Profile(
            name="ACME-CORP",
            company_id="ACME-CORP",
            user_id="ws_sync",
            sender_id="AcmeSender",
            network=network,
            mappings=Mappings(default_department="FIN"),
        )
    )
    SecretStore().save("ACME-CORP", Secrets("Old-Sender-1", "Old-User-1", "Proxy-Pa55-word"))
    window = wizard_window
    _to_credentials(qtbot, window)
    page = window.credentials
    assert "user and sender passwords" in page.where.text()
    _fill_sign_in(qtbot, window)  # the same company ID, so the same connection
    section = page.network
    qtbot.waitUntil(lambda: section.manual.isChecked(), timeout=5_000)
    assert section.proxy_url.text() == "http://proxy.corp.example:8080"
    assert section.proxy_user.text() == "jo.admin"
    assert section.ca_file.text() == str(roots)
    assert section.proxy_password.text() == "", "a saved password is never shown"
    assert "leave empty to keep it" in section.proxy_password.placeholderText()
    assert section.details.isVisible()
    assert QApplication.focusWidget() is page.fields["sender_password"], "typing goes on"
    assert "user, sender and proxy passwords" in page.where.text()
    _to_page(qtbot, window, Qt.Key.Key_S, ALT, PageId.TEST)
    profile = ProfileStore().load("ACME-CORP")
    assert profile.network == network
    assert profile.mappings.default_department == "FIN"
    assert SecretStore().load("ACME-CORP") == Secrets(
        "Sender-Secret-7", "Winter-Ledger-42", "Proxy-Pa55-word"
    )


def test_a_new_connection_name_brings_back_the_defaults_and_says_two_passwords(
    qtbot: QtBot, wizard_window: SetupWizard, memory_keyring: MemoryKeyring
) -> None:
    ProfileStore().save(
        Profile(
            name="ACME-CORP",
            company_id="ACME-CORP",
            network=NetworkChoices(proxy_mode=ProxyMode.NONE),
        )
    )
    window = wizard_window
    _to_credentials(qtbot, window)
    page = window.credentials
    _fill_sign_in(qtbot, window)
    qtbot.waitUntil(lambda: page.network.direct.isChecked(), timeout=5_000)
    page.fields["company_id"].setFocus()
    _type(qtbot, page.fields["company_id"], "-EU")  # now ACME-CORP-EU: a new connection
    page.fields["user_id"].setFocus()
    qtbot.waitUntil(lambda: page.network.system.isChecked(), timeout=5_000)
    assert "user and sender passwords" in page.where.text()
    page.network.manual.setChecked(True)  # the admin's own choice
    page.network.proxy_url.setText("http://proxy.corp.example:8080")
    page.network.proxy_user.setText("jo.admin")
    page.network.proxy_password.setFocus()
    _type(qtbot, page.network.proxy_password, "Proxy-Pa55-word")
    assert "user, sender and proxy passwords" in page.where.text()
