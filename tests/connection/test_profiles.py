"""Saved connections on disk: round trips, several at once, safe writes, old and damaged files."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import keyring.backends.fail
import keyring.errors
import pytest

from tests.conftest import MemoryKeyring
from wizard.connection import (
    SCHEMA_VERSION,
    ConnectionMethod,
    CustomNeeds,
    InvalidProfileName,
    KeyringUnavailable,
    LastGoodRun,
    Mappings,
    NetworkChoices,
    PostingChoices,
    Profile,
    ProfileError,
    ProfileExists,
    ProfileFileError,
    ProfileNotFound,
    ProfileStore,
    ProfileWriteError,
    RestChoices,
    RestGrant,
    Secrets,
    SecretStore,
    SyncOptions,
    list_profiles,
    service_name,
    storage_locations,
)
from wizard.gateway import ProxyMode

DATA = Path(__file__).parent / "data"
POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="owner-only modes are POSIX")


def full_profile(name: str = "Acme") -> Profile:
    return Profile(
        name=name,
        company_id="ACME-CORP",
        user_id="ws_integration",
        sender_id="AcmeSender",
        entity_id="US-EAST",
        endpoint="https://api.intacct.com/ia/xml/xmlgw.phtml",
        mappings=Mappings(
            default_location="US-EAST",
            default_department="FIN",
            dimensions=(("class", "CLASSID"), ("project", "PROJECTID")),
            custom_fields=(("po_number", "PONUMBER"),),
            flows=("invoices", "payments"),
        ),
        sync=SyncOptions(start_date=date(2026, 1, 1), batch_size=250, concurrency=2),
        last_good_run=LastGoodRun(datetime(2026, 3, 1, 12, 30, tzinfo=UTC), 1234, "run-7"),
        posting=PostingChoices(
            gl_accounts=("4000", "4100"),
            deposit_accounts=("BOA-EAST",),
            payment_posting="bank",
            document_number_prefix="WEB-",
            undeposited_account="1050",
        ),
        network=NetworkChoices(
            proxy_mode=ProxyMode.MANUAL,
            proxy_url="http://proxy.acme.example:8080",
            proxy_user="ACME\\svc-intacct",
            extra_ca_file="C:/certs/acme-root.pem",
        ),
    )


@pytest.fixture
def store(tmp_path: Path) -> ProfileStore:
    return ProfileStore(tmp_path / "config")


def test_round_trip_keeps_every_setting(store: ProfileStore) -> None:
    profile = full_profile()
    store.save(profile)
    assert store.load("Acme") == profile
    assert ProfileStore(store.config_dir).load("Acme") == profile  # a fresh start reads it too


def test_edits_are_saved(store: ProfileStore) -> None:
    store.save(full_profile())
    edited = store.load("Acme").replace(entity_id="", sync=SyncOptions(batch_size=50))
    store.save(edited)
    loaded = store.load("Acme")
    assert loaded.top_level
    assert loaded.sync.batch_size == 50


def test_default_folder_is_the_platform_config_dir(isolated_user_dirs: Path) -> None:
    default = ProfileStore()
    path = default.save(Profile(name="Acme", company_id="ACME"))
    assert path == isolated_user_dirs / "config" / "IntacctSetupWizard" / "profiles" / "Acme.json"
    assert list_profiles() == ("Acme",)


def test_several_profiles_coexist(store: ProfileStore) -> None:
    for name, company in (("Production", "ACME"), ("sandbox", "ACME-sandbox"), ("Beta Co", "BETA")):
        store.save(Profile(name=name, company_id=company))
    assert store.names() == ("Beta Co", "Production", "sandbox")
    assert store.load("sandbox").company_id == "ACME-sandbox"
    assert store.load("Production").company_id == "ACME"


def test_names_that_differ_only_in_case_are_refused(store: ProfileStore) -> None:
    store.save(Profile(name="Acme"))
    with pytest.raises(ProfileExists, match="differ only in capital letters"):
        store.save(Profile(name="ACME"))


def test_unsafe_names_are_refused_before_touching_the_disk(store: ProfileStore) -> None:
    with pytest.raises(InvalidProfileName, match="cannot contain"):
        store.save(Profile(name="../escape"))
    with pytest.raises(InvalidProfileName, match="blanks"):
        store.save(Profile(name=" Acme"))
    assert not store.config_dir.exists()


def test_missing_profile_says_so(store: ProfileStore) -> None:
    with pytest.raises(ProfileNotFound, match="no saved connection named “Nope”"):
        store.load("Nope")


@POSIX_ONLY
def test_files_are_readable_by_the_owner_only(store: ProfileStore) -> None:
    path = store.save(full_profile())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((store.config_dir / "state.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(store.profiles_dir.stat().st_mode) == 0o700


def test_a_failed_write_leaves_the_old_file_intact(
    store: ProfileStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = store.save(full_profile())
    before = path.read_bytes()

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(ProfileWriteError) as caught:
        store.save(full_profile().replace(company_id="CHANGED"))
    message = str(caught.value)
    assert str(path) in message
    assert "No space left on device" in message
    assert "previous version is unchanged" in message
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert store.load("Acme").company_id == "ACME-CORP"
    assert sorted(p.name for p in store.profiles_dir.iterdir()) == ["Acme.json"]  # no temp left


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root ignores folder permissions"
)
def test_an_unwritable_folder_leaves_the_old_file_intact(store: ProfileStore) -> None:
    path = store.save(full_profile())
    before = path.read_bytes()
    store.profiles_dir.chmod(0o500)
    try:
        with pytest.raises(ProfileWriteError, match="could not be saved"):
            store.save(full_profile().replace(company_id="CHANGED"))
    finally:
        store.profiles_dir.chmod(0o700)
    assert path.read_bytes() == before


def test_a_version_1_file_is_migrated(store: ProfileStore) -> None:
    store.profiles_dir.mkdir(parents=True)
    old = store.profiles_dir / "Acme Corp.json"
    shutil.copyfile(DATA / "profile_v1.json", old)
    loaded = store.load("Acme Corp")
    assert loaded == Profile(
        name="Acme Corp",
        company_id="ACME-CORP",
        user_id="ws_integration",
        sender_id="AcmeSender",
        entity_id="US-EAST",
        mappings=Mappings(
            default_location="US-EAST",
            default_department="FIN",
            dimensions=(("class", "CLASSID"), ("project", "PROJECTID")),
            flows=("invoices", "payments"),
        ),
        sync=SyncOptions(start_date=date(2026, 1, 1), batch_size=250),
        last_good_run=LastGoodRun(datetime(2026, 3, 1, 12, 30, tzinfo=UTC), 1234),
    )
    # Saving writes the current layout and keeps the old file beside it.
    store.save(loaded)
    assert json.loads(old.read_text())["schema_version"] == SCHEMA_VERSION
    backup = store.profiles_dir / "Acme Corp.json.bak"
    assert backup.read_bytes() == (DATA / "profile_v1.json").read_bytes()
    assert store.load("Acme Corp") == loaded


def test_a_version_2_file_is_migrated_with_nothing_chosen_for_posting(
    store: ProfileStore,
) -> None:
    store.profiles_dir.mkdir(parents=True)
    shutil.copyfile(DATA / "profile_v2.json", store.profiles_dir / "Acme Corp.json")
    loaded = store.load("Acme Corp")
    assert loaded.posting == PostingChoices()
    assert loaded.mappings.dimensions == (("class", "CLASSID"),)
    assert loaded.sync.start_date == date(2026, 1, 1)


def test_a_version_3_file_uses_the_systems_proxy_and_certificates(store: ProfileStore) -> None:
    store.profiles_dir.mkdir(parents=True)
    shutil.copyfile(DATA / "profile_v3.json", store.profiles_dir / "Acme Corp.json")
    loaded = store.load("Acme Corp")
    assert loaded.network == NetworkChoices(proxy_mode=ProxyMode.SYSTEM)
    assert loaded.posting.gl_accounts == ("4000",)
    store.save(loaded)
    saved = json.loads((store.profiles_dir / "Acme Corp.json").read_text())
    assert saved["schema_version"] == 4
    assert saved["network"]["proxy_mode"] == "system"


def test_a_version_3_file_talks_xml_and_a_rest_profile_round_trips(store: ProfileStore) -> None:
    store.profiles_dir.mkdir(parents=True)
    shutil.copyfile(DATA / "profile_v3.json", store.profiles_dir / "Acme Corp.json")
    loaded = store.load("Acme Corp")
    assert loaded.method is ConnectionMethod.XML
    assert loaded.rest == RestChoices()
    rest = loaded.replace(
        name="Acme REST",
        method=ConnectionMethod.REST,
        rest=RestChoices("abc.app.sage.com", RestGrant.SIGN_IN, redirect_uri="https://x/cb"),
    )
    store.save(rest)
    saved = json.loads((store.profiles_dir / "Acme REST.json").read_text())
    assert saved["method"] == "rest" and saved["rest"]["grant"] == "sign-in"
    assert "secret" not in json.dumps(saved).lower()  # the client secret is in the keyring
    assert store.load("Acme REST") == rest


def test_an_unknown_method_is_named(store: ProfileStore) -> None:
    store.profiles_dir.mkdir(parents=True)
    data = json.loads((DATA / "profile_v3.json").read_text())
    data |= {"schema_version": 4, "method": "soap"}
    (store.profiles_dir / "Acme Corp.json").write_text(json.dumps(data))
    with pytest.raises(ProfileError, match=r"'method'.*xml, rest"):
        store.load("Acme Corp")


@pytest.mark.parametrize(
    ("network", "named"),
    [
        ({"proxy_mode": "pac"}, r"network\.proxy_mode.*system, none, manual"),
        ({"proxy_mode": "manual", "proxy_url": "not a url"}, r"network\.proxy_url"),
        (
            {"proxy_mode": "manual", "proxy_url": "http://bob:pw@proxy:8080"},
            r"network\.proxy_url.*password",
        ),
    ],
)
def test_bad_network_settings_are_named(
    store: ProfileStore, network: dict[str, str], named: str
) -> None:
    path = store.save(full_profile())
    data = json.loads(path.read_text())
    data["network"] = network
    path.write_text(json.dumps(data))
    with pytest.raises(ProfileFileError, match=named):
        store.load("Acme")


def test_an_unknown_way_of_posting_payments_is_named(store: ProfileStore) -> None:
    path = store.save(full_profile())
    data = json.loads(path.read_text())
    data["posting"]["payment_posting"] = "cheque"
    path.write_text(json.dumps(data))
    with pytest.raises(ProfileFileError, match=r"posting\.payment_posting"):
        store.load("Acme")


def test_a_file_from_a_newer_wizard_is_refused_not_rejected_silently(store: ProfileStore) -> None:
    path = store.save(full_profile())
    data = json.loads(path.read_text())
    data["schema_version"] = SCHEMA_VERSION + 1
    path.write_text(json.dumps(data))
    with pytest.raises(ProfileFileError, match="newer version of the wizard"):
        store.load("Acme")


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b'{"schema_version": 2, "name": "Acme",', "not valid JSON (line 1"),
        (b"\xff\xfe\x00garbage", "not text"),
        (b"[1, 2, 3]", "does not hold a table"),
        (b'{"name": "Acme"}', "does not say which layout version"),
        (
            b'{"schema_version": 2, "name": "Acme", "sync": {"batch_size": "many"}}',
            "sync.batch_size",
        ),
        (b'{"schema_version": 2, "name": "Acme", "sync": {"start_date": "soon"}}', "not a date"),
    ],
)
def test_a_damaged_file_names_itself_and_what_to_do(
    store: ProfileStore, content: bytes, why: str
) -> None:
    store.profiles_dir.mkdir(parents=True)
    path = store.profiles_dir / "Acme.json"
    path.write_bytes(content)
    with pytest.raises(ProfileFileError) as caught:
        store.load("Acme")
    message = str(caught.value)
    assert caught.value.path == path
    assert str(path) in message
    assert why in message
    assert "Nothing has been changed" in message
    assert "Acme.json.bak" in message
    assert path.read_bytes() == content  # reading never rewrites it
    assert store.names() == ("Acme",)  # still listed, so it can be repaired or deleted


def test_saving_over_a_damaged_file_keeps_a_backup_each_time(store: ProfileStore) -> None:
    store.profiles_dir.mkdir(parents=True)
    path = store.profiles_dir / "Acme.json"
    path.write_bytes(b"{ first damage")
    store.save(full_profile())
    assert (store.profiles_dir / "Acme.json.bak").read_bytes() == b"{ first damage"
    path.write_bytes(b"{ second damage")
    store.save(full_profile())
    assert (store.profiles_dir / "Acme.json.1.bak").read_bytes() == b"{ second damage"
    assert (store.profiles_dir / "Acme.json.bak").read_bytes() == b"{ first damage"
    assert store.load("Acme") == full_profile()
    assert store.names() == ("Acme",)  # backups are not profiles


def test_last_used_profile_is_remembered(store: ProfileStore) -> None:
    assert store.last_used() is None
    store.save(Profile(name="One"))
    store.save(Profile(name="Two"))
    assert ProfileStore(store.config_dir).last_used() == "Two"
    store.set_last_used("One")
    assert ProfileStore(store.config_dir).last_used() == "One"
    (store.config_dir / "state.json").write_text("not json")
    assert store.last_used() is None  # a damaged note is ignored, not fatal


def test_delete_removes_the_file_and_its_keyring_item(
    store: ProfileStore, memory_keyring: MemoryKeyring
) -> None:
    store.save(full_profile("Acme"))
    store.save(full_profile("Other"))
    store.secrets.save("Acme", Secrets("sender-pass-1", "user-pass-1"))
    store.secrets.save("Other", Secrets("sender-pass-2", "user-pass-2"))
    assert (service_name("Acme"), "credentials") in memory_keyring.items
    store.delete("Other")  # the last used one
    assert store.names() == ("Acme",)
    assert (service_name("Other"), "credentials") not in memory_keyring.items
    assert (service_name("Acme"), "credentials") in memory_keyring.items
    assert store.last_used() is None
    with pytest.raises(ProfileNotFound):
        store.delete("Other")


class LockedKeyring(MemoryKeyring):
    """A keyring whose unlock prompt the admin dismissed."""

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("dismissed")


def test_delete_keeps_the_profile_when_its_passwords_cannot_be_removed(tmp_path: Path) -> None:
    backend = LockedKeyring()
    store = ProfileStore(tmp_path, SecretStore(backend))
    store.save(full_profile())
    store.secrets.save("Acme", Secrets("sender-pass", "user-pass"))
    with pytest.raises(KeyringUnavailable, match="locked"):
        store.delete("Acme")
    assert store.names() == ("Acme",)
    assert backend.items  # nothing was half-deleted


def test_rename_moves_the_file_the_passwords_and_the_last_used_mark(
    store: ProfileStore, memory_keyring: MemoryKeyring
) -> None:
    store.save(full_profile("Acme"))
    store.secrets.save("Acme", Secrets("sender-pass", "user-pass"))
    renamed = store.rename("Acme", "Acme Production")
    assert renamed == full_profile("Acme Production")
    assert store.names() == ("Acme Production",)
    assert store.load("Acme Production") == renamed
    assert store.secrets.load("Acme Production") == Secrets("sender-pass", "user-pass")
    assert store.secrets.load("Acme") is None
    assert [service for service, _user in memory_keyring.items] == [service_name("Acme Production")]
    assert store.last_used() == "Acme Production"


def test_rename_onto_an_existing_profile_is_refused(store: ProfileStore) -> None:
    store.save(Profile(name="Acme"))
    store.save(Profile(name="Beta"))
    with pytest.raises(ProfileExists):
        store.rename("Acme", "beta")
    assert store.names() == ("Acme", "Beta")


def test_rename_changing_only_capitals(store: ProfileStore) -> None:
    store.save(full_profile("acme"))
    store.rename("acme", "Acme")
    assert store.names() == ("Acme",)
    assert store.load("Acme") == full_profile("Acme")


def test_storage_locations_describe_every_place(isolated_user_dirs: Path) -> None:
    where = storage_locations("Acme")
    assert where.profiles_dir == isolated_user_dirs / "config" / "IntacctSetupWizard" / "profiles"
    assert where.data_dir == isolated_user_dirs / "data" / "IntacctSetupWizard"
    assert where.keyring_service == "Intacct Setup Wizard: Acme"
    text = "\n".join(where.lines())
    assert str(where.profiles_dir) in text
    assert str(where.log_dir) in text
    assert "Intacct Setup Wizard: Acme" in text  # the item the admin can look for


def test_storage_locations_without_a_keyring_say_so() -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())  # conftest restores the previous one
    where = storage_locations("Acme")
    assert "no usable system keyring" in where.passwords_where


def test_a_version_3_file_is_migrated_as_a_connection_for_the_wizards_own_sync(
    store: ProfileStore,
) -> None:
    store.profiles_dir.mkdir(parents=True)
    shutil.copyfile(DATA / "profile_v3.json", store.profiles_dir / "Acme Corp.json")
    loaded = store.load("Acme Corp")
    assert loaded.integration == "this-program"
    assert loaded.posting.gl_accounts == ("4000",)
    store.save(loaded.replace(integration="expensify"))
    saved = json.loads((store.profiles_dir / "Acme Corp.json").read_text())
    assert (saved["schema_version"], saved["integration"]) == (SCHEMA_VERSION, "expensify")
    assert store.load("Acme Corp").integration == "expensify"


def test_a_malformed_integration_id_is_named(store: ProfileStore) -> None:
    path = store.save(full_profile())
    data = json.loads(path.read_text())
    data["integration"] = "Expensify Classic!"
    path.write_text(json.dumps(data))
    with pytest.raises(ProfileFileError, match="'integration' should be an integration id"):
        store.load("Acme")


def test_a_version_3_file_has_no_custom_integration_and_a_custom_set_round_trips(
    store: ProfileStore,
) -> None:
    store.profiles_dir.mkdir(parents=True)
    shutil.copyfile(DATA / "profile_v3.json", store.profiles_dir / "Acme Corp.json")
    loaded = store.load("Acme Corp")
    assert loaded.custom == CustomNeeds()
    custom = CustomNeeds(
        name="Our billing app",
        sender_id="ourbilling",
        needs=(("GLACCOUNT", ("list", "view")), ("CUSTOMER", ("add",))),
    )
    store.save(loaded.replace(integration="custom", custom=custom))
    saved = json.loads((store.profiles_dir / "Acme Corp.json").read_text())
    assert saved["custom_integration"]["needs"] == {
        "GLACCOUNT": ["list", "view"],
        "CUSTOMER": ["add"],
    }
    again = store.load("Acme Corp")
    assert (again.integration, again.custom) == ("custom", custom)


def test_a_malformed_custom_integration_is_named(store: ProfileStore) -> None:
    path = store.save(full_profile())
    data = json.loads(path.read_text())
    data["custom_integration"] = {"needs": {"GLACCOUNT": "list"}}
    path.write_text(json.dumps(data))
    with pytest.raises(ProfileFileError, match=r"'custom_integration\.needs' should be a table"):
        store.load("Acme")
