"""The passwords: only in the OS keyring (real keyring API), or in memory when the admin says so."""

from __future__ import annotations

import json
import threading
import traceback
from pathlib import Path

import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest

from tests.conftest import MemoryKeyring
from wizard.connection import (
    KeyringUnavailable,
    Problem,
    Profile,
    ProfileStore,
    Secrets,
    SecretStore,
    SecretsUnreadable,
    SecretTooLarge,
    service_name,
)
from wizard.connection.secrets import MAX_PAYLOAD_UTF16_BYTES
from wizard.redaction import MASK, forget_secrets, redact

SENDER = "sender-Pa55word!"
USER = "user-Pa55word?"


def test_round_trip_through_the_configured_keyring(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    store.save("Acme", Secrets(SENDER, USER))
    assert store.load("Acme") == Secrets(SENDER, USER)
    # One item per profile, named so a person recognises it, holding only the secrets.
    assert list(memory_keyring.items) == [("Intacct Setup Wizard: Acme", "credentials")]
    stored = json.loads(memory_keyring.items[("Intacct Setup Wizard: Acme", "credentials")])
    assert stored == {"v": 1, "sender_password": SENDER, "user_password": USER}


def test_the_proxy_password_joins_the_item_and_older_items_still_load(
    memory_keyring: MemoryKeyring,
) -> None:
    store = SecretStore()
    store.save("Acme", Secrets(SENDER, USER, "proxy-Pa55"))
    assert store.load("Acme") == Secrets(SENDER, USER, "proxy-Pa55")
    stored = json.loads(memory_keyring.items[("Intacct Setup Wizard: Acme", "credentials")])
    assert stored["proxy_password"] == "proxy-Pa55"
    # An item saved before the proxy password existed has no such key.
    memory_keyring.items[("Intacct Setup Wizard: Old", "credentials")] = json.dumps(
        {"v": 1, "sender_password": SENDER, "user_password": USER}
    )
    assert store.load("Old") == Secrets(SENDER, USER, "")
    assert "proxy-Pa55" not in repr(store.load("Acme"))


def test_rest_secrets_join_the_item_and_never_print(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    rest = Secrets("", "", client_secret="cs-123456", refresh_token="rt-abcdef")
    store.save("Rest", rest)
    assert store.load("Rest") == rest
    assert "cs-123456" not in repr(rest) and "rt-abcdef" not in repr(rest)
    assert "client_secret=<set>" in repr(rest)
    assert redact("refresh rt-abcdef failed") == f"refresh {MASK} failed"


def test_profiles_keep_their_own_passwords(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    store.save("Production", Secrets("prod-sender", "prod-user"))
    store.save("Sandbox", Secrets("sbx-sender", "sbx-user"))
    store.save("Production", Secrets("prod-sender-2", "prod-user-2"))  # both change together
    assert store.load("Production") == Secrets("prod-sender-2", "prod-user-2")
    assert store.load("Sandbox") == Secrets("sbx-sender", "sbx-user")
    assert store.load("Nobody") is None
    assert len(memory_keyring.items) == 2


def test_delete_removes_the_item_and_missing_items_are_fine(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    store.save("Acme", Secrets(SENDER, USER))
    store.delete("Acme")
    assert memory_keyring.items == {}
    assert store.load("Acme") is None
    store.delete("Acme")  # nothing left to delete is not an error


def test_passwords_are_masked_once_loaded_or_saved() -> None:
    SecretStore().save("Acme", Secrets(SENDER, USER))
    assert redact(f"failed with {SENDER} and {USER}") == f"failed with {MASK} and {MASK}"
    forget_secrets()  # as in a new run of the program
    SecretStore().load("Acme")
    assert redact(f"failed with {SENDER} and {USER}") == f"failed with {MASK} and {MASK}"


def test_secrets_never_print_their_values() -> None:
    shown = repr(Secrets(SENDER, ""))
    assert SENDER not in shown
    assert shown == "Secrets(sender_password=<set>, user_password=<empty>)"


def test_oversize_passwords_are_refused_before_writing(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    store.save("Fits", Secrets("s" * 256, "u" * 256))  # the longest passwords validation allows
    huge = "Z" * 1200
    with pytest.raises(SecretTooLarge) as caught:
        store.save("Acme", Secrets(huge, USER))
    message = str(caught.value)
    assert "too long" in message
    assert str(MAX_PAYLOAD_UTF16_BYTES) in message
    assert huge not in message and USER not in message
    assert (service_name("Acme"), "credentials") not in memory_keyring.items


def test_size_is_counted_as_windows_stores_it() -> None:
    # 700 characters outside the Basic Multilingual Plane take 2 UTF-16 units each.
    with pytest.raises(SecretTooLarge):
        SecretStore().save("Acme", Secrets("\U0001f512" * 700, USER))


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ("darwin", "Keychain Access"),
        ("win32", "Credential Manager"),
        ("linux", "GNOME Keyring"),
    ],
)
def test_no_keyring_says_so_and_how_to_get_one(platform: str, expected: str) -> None:
    store = SecretStore(keyring.backends.fail.Keyring(), platform=platform)
    status = store.status()
    assert not status.usable
    assert status.problem is Problem.NO_BACKEND
    assert expected in status.help
    with pytest.raises(KeyringUnavailable) as caught:
        store.save("Acme", Secrets(SENDER, USER))
    error = caught.value
    assert error.problem is Problem.NO_BACKEND
    assert error.fix_id == "keyring-unavailable"
    message = str(error)
    assert "No system keyring was found" in message
    assert expected in message
    # Only the Credentials page offers "this session only", and it says so itself: the
    # message is also shown by diagnose, which has no such choice (issue 12, item 5).
    assert "Keep for this session only" not in message and error.offer_session_only
    assert SENDER not in message and USER not in message
    with pytest.raises(KeyringUnavailable):
        store.load("Acme")


def test_without_a_keyring_profiles_can_still_be_renamed_and_deleted(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path, SecretStore(keyring.backends.fail.Keyring()))
    store.save(Profile(name="Old"))
    store.rename("Old", "New")
    assert store.names() == ("New",)
    store.delete("New")
    assert store.names() == ()


def test_the_null_keyring_is_not_mistaken_for_a_real_one() -> None:
    store = SecretStore(keyring.backends.null.Keyring())
    assert store.status().problem is Problem.DISABLED
    with pytest.raises(KeyringUnavailable, match="PYTHON_KEYRING_BACKEND"):
        store.save("Acme", Secrets(SENDER, USER))


def test_the_configured_fail_keyring_is_detected() -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())  # conftest restores the previous one
    with pytest.raises(KeyringUnavailable):
        SecretStore().save("Acme", Secrets(SENDER, USER))


class LockedKeyring(MemoryKeyring):
    """A keyring whose unlock prompt was dismissed."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


class BrokenInitKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.InitError("Failed to create the collection")


class ChattyKeyring(MemoryKeyring):
    """A backend whose error repeats what it was given (Windows' "stub received bad data")."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise OSError(1783, f"CredWrite: The stub received bad data: {password}")


def test_a_locked_keyring_asks_to_unlock() -> None:
    store = SecretStore(LockedKeyring(), platform="darwin")
    with pytest.raises(KeyringUnavailable) as caught:
        store.save("Acme", Secrets(SENDER, USER))
    assert caught.value.problem is Problem.LOCKED
    assert "Unlock" in str(caught.value)
    assert "Keep for this session only" not in str(caught.value)
    with pytest.raises(KeyringUnavailable, match="locked"):
        store.load("Acme")


def test_a_keyring_that_cannot_start_is_reported_as_missing() -> None:
    with pytest.raises(KeyringUnavailable) as caught:
        SecretStore(BrokenInitKeyring(), platform="linux").save("Acme", Secrets(SENDER, USER))
    assert caught.value.problem is Problem.NO_BACKEND


def test_errors_never_carry_the_passwords() -> None:
    with pytest.raises(KeyringUnavailable) as caught:
        SecretStore(ChattyKeyring()).save("Acme", Secrets(SENDER, USER))
    assert caught.value.problem is Problem.FAILED
    shown = "".join(traceback.format_exception(caught.value))
    assert "stub received bad data" in shown  # the backend's words are kept, masked
    assert SENDER not in shown and USER not in shown
    assert caught.value.__context__ is None and caught.value.__cause__ is None


def test_an_unreadable_item_asks_for_the_passwords_again(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.items[(service_name("Acme"), "credentials")] = "legacy-plain-password"
    with pytest.raises(SecretsUnreadable) as caught:
        SecretStore().load("Acme")
    assert "Enter the passwords again" in str(caught.value)
    assert "legacy-plain-password" not in str(caught.value)


def test_session_only_keeps_passwords_in_memory_and_writes_nothing(
    isolated_user_dirs: Path, tmp_path: Path
) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())  # any keyring call would raise
    secrets = SecretStore()
    profiles = ProfileStore(secrets=secrets)
    profiles.save(Profile(name="Acme", company_id="ACME", user_id="ws_user", sender_id="S"))
    with pytest.raises(KeyringUnavailable):
        secrets.save("Acme", Secrets(SENDER, USER))
    secrets.use_session_only()  # the admin's explicit choice
    secrets.save("Acme", Secrets(SENDER, USER))
    assert secrets.load("Acme") == Secrets(SENDER, USER)
    # Other parts of the program (connection test, Diagnose) see the choice and the passwords.
    elsewhere = SecretStore()
    assert elsewhere.session_only
    assert elsewhere.load("Acme") == Secrets(SENDER, USER)
    status = elsewhere.status("Acme")
    assert status.usable and status.session_only
    assert "never written" in status.where
    profiles.save(profiles.load("Acme").replace(entity_id="UK"))
    written = [p for root in (isolated_user_dirs, tmp_path) for p in root.rglob("*") if p.is_file()]
    assert written, "the profile itself should be on disk"
    for path in written:
        content = path.read_bytes()
        assert SENDER.encode() not in content and USER.encode() not in content, path
    profiles.rename("Acme", "Acme 2")
    assert elsewhere.load("Acme 2") == Secrets(SENDER, USER)
    profiles.delete("Acme 2")
    assert secrets.load("Acme 2") is None


def test_session_only_is_never_chosen_for_the_admin() -> None:
    store = SecretStore(keyring.backends.fail.Keyring())
    assert not store.session_only
    with pytest.raises(KeyringUnavailable):
        store.save("Acme", Secrets(SENDER, USER))
    assert not store.session_only
    # and a different keyring (say, after the admin installs one) starts without it
    SecretStore(keyring.backends.fail.Keyring()).use_session_only()
    assert not store.session_only


def test_status_names_the_keyring_and_the_item() -> None:
    mac = type("Keyring", (MemoryKeyring,), {"__module__": "keyring.backends.macOS"})
    windows = type("WinVaultKeyring", (MemoryKeyring,), {"__module__": "keyring.backends.Windows"})
    mac_status = SecretStore(mac()).status("Acme")
    assert mac_status.usable and mac_status.backend_name == "macOS Keychain"
    assert "Keychain Access" in mac_status.where
    assert "Intacct Setup Wizard: Acme" in mac_status.where
    win_status = SecretStore(windows()).status("Acme")
    assert win_status.backend_name == "Windows Credential Manager"
    assert "Intacct Setup Wizard: Acme" in win_status.where


class OverlapDetectingKeyring(MemoryKeyring):
    """Notices two calls inside the backend at once: both would meet at the barrier."""

    def __init__(self) -> None:
        super().__init__()
        self.barrier = threading.Barrier(2, timeout=0.3)
        self.overlapped = False

    def set_password(self, service: str, username: str, password: str) -> None:
        try:
            self.barrier.wait()
            self.overlapped = True
        except threading.BrokenBarrierError:
            pass
        super().set_password(service, username, password)


def test_keyring_calls_from_several_threads_take_turns() -> None:
    backend = OverlapDetectingKeyring()
    store = SecretStore(backend)
    threads = [
        threading.Thread(target=store.save, args=(f"P{n}", Secrets(f"s-{n}-x", f"u-{n}-x")))
        for n in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not backend.overlapped
    assert store.load("P0") == Secrets("s-0-x", "u-0-x")
    assert store.load("P1") == Secrets("s-1-x", "u-1-x")
