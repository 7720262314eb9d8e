"""Saving the Credentials page: every field checked, passwords kept first, settings second."""

from __future__ import annotations

from pathlib import Path

import keyring.backends.fail
import pytest

from tests.conftest import MemoryKeyring
from wizard.connection import (
    InvalidConnectionInput,
    KeyringUnavailable,
    Mappings,
    ProfileStore,
    Secrets,
    SecretStore,
    save_connection,
    service_name,
)

SETTINGS = {"company_id": "DEMO-COMPANY ", "user_id": "ws_integration", "sender_id": "DemoSender"}
SECRETS = {"sender_password": "demo-sender-pass", "user_password": "demo-user-pass"}


def test_saves_cleaned_settings_and_the_passwords(memory_keyring: MemoryKeyring) -> None:
    profile = save_connection({**SETTINGS, "profile": "Demo"}, SECRETS)
    assert profile.company_id == "DEMO-COMPANY"  # the trailing blank that breaks sign-in is gone
    store = ProfileStore()
    assert store.load("Demo") == profile
    assert store.last_used() == "Demo"
    assert store.secrets.load("Demo") == Secrets("demo-sender-pass", "demo-user-pass")
    assert (service_name("Demo"), "credentials") in memory_keyring.items


def test_no_file_anywhere_holds_a_password(isolated_user_dirs: Path) -> None:
    save_connection({**SETTINGS, "profile": "Demo"}, SECRETS)
    files = [path for path in isolated_user_dirs.rglob("*") if path.is_file()]
    assert files, "the profile and the last-used note are on disk"
    for path in files:
        content = path.read_bytes()
        for secret in SECRETS.values():
            assert secret.encode() not in content, path


def test_the_company_id_names_the_connection_by_default() -> None:
    profile = save_connection(SETTINGS, SECRETS)
    assert profile.name == "DEMO-COMPANY"
    assert ProfileStore().names() == ("DEMO-COMPANY",)


def test_every_problem_is_reported_at_once_without_saving(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path)
    with pytest.raises(InvalidConnectionInput) as caught:
        save_connection(
            {"company_id": "CONSOLE|client|UK", "user_id": "", "sender_id": "S"},
            {"sender_password": "", "user_password": "ok-password"},
            profiles=store,
        )
    fields = [field for field, _message in caught.value.problems]
    assert fields == ["company_id", "user_id", "sender_password"]
    assert "console" in str(caught.value)
    assert "ok-password" not in str(caught.value)
    assert store.names() == ()


def test_no_keyring_leaves_no_profile_behind(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path, SecretStore(keyring.backends.fail.Keyring()))
    with pytest.raises(KeyringUnavailable):
        save_connection(SETTINGS, SECRETS, profiles=store)
    assert store.names() == ()
    store.secrets.use_session_only()
    save_connection(SETTINGS, SECRETS, profiles=store)
    assert store.names() == ("DEMO-COMPANY",)


def test_saving_again_keeps_mappings_endpoint_and_entity(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path)
    sandbox = "http://127.0.0.1:8765/ia/xml/xmlgw.phtml"
    first = save_connection(
        {**SETTINGS, "endpoint": sandbox, "entity_id": "UK"}, SECRETS, profiles=store
    )
    store.save(first.replace(mappings=Mappings(default_department="FIN")))
    second = save_connection({**SETTINGS, "user_id": "ws_other"}, SECRETS, profiles=store)
    assert (second.endpoint, second.entity_id, second.user_id) == (sandbox, "UK", "ws_other")
    assert second.mappings.default_department == "FIN"
    top = save_connection({**SETTINGS, "entity_id": ""}, SECRETS, profiles=store)
    assert top.top_level


def test_saving_again_keeps_the_proxy_password_unless_a_new_one_is_given(
    memory_keyring: MemoryKeyring,
) -> None:
    save_connection({**SETTINGS, "profile": "Office"}, {**SECRETS, "proxy_password": "px-1"})
    save_connection({**SETTINGS, "profile": "Office"}, SECRETS)  # not asked this time
    assert SecretStore().load("Office") == Secrets("demo-sender-pass", "demo-user-pass", "px-1")
    save_connection({**SETTINGS, "profile": "Office"}, {**SECRETS, "proxy_password": ""})
    assert SecretStore().load("Office") == Secrets("demo-sender-pass", "demo-user-pass", "")
