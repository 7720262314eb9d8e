"""The one seam between the pages and wizard.connection (profiles, secrets, field checks).

The pages speak in the small shapes below; this module maps them onto wizard.connection, so a
rename there is a change here only. Functions marked "off the GUI thread" touch the disk or the
keyring: the pages call them through `Workers.run`.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass

from wizard.connection import (
    ConnectionMethod,
    CustomNeeds,
    KeyringStatus,
    Profile,
    ProfileError,
    ProfileStore,
    RestChoices,
    RestGrant,
    Secrets,
    SecretStore,
    SecretsUnreadable,
    Status,
    Validation,
    validate_client_id,
    validate_company_id,
    validate_entity_id,
    validate_password,
    validate_profile_name,
    validate_sender_id,
    validate_user_id,
)
from wizard.connection import KeyringUnavailable as KeyringUnavailable  # re-exported
from wizard.connection.network import NetworkInput as NetworkInput  # re-exported
from wizard.connection.network import network_choices
from wizard.connection.network import system_proxy_sentence as system_proxy_sentence
from wizard.connection.network import validate_network as _validate_network
from wizard.redaction import remember_secret

log = logging.getLogger(__name__)

# The fields of the Sign-in details page, in form order: (name, label, required, secret).
FIELDS: tuple[tuple[str, str, bool, bool], ...] = (
    ("company_id", "Company ID", True, False),
    ("user_id", "User ID", True, False),
    ("user_password", "User password", True, True),
    ("sender_id", "Sender ID", True, False),
    ("sender_password", "Sender password", True, True),
    ("entity_id", "Entity ID", False, False),
    ("client_id", "Client ID", True, False),
    ("client_secret", "Client secret", True, True),
)
# The fields each way of connecting uses (the page hides the others).
METHOD_FIELDS: dict[ConnectionMethod, tuple[str, ...]] = {
    ConnectionMethod.XML: (
        "company_id",
        "user_id",
        "user_password",
        "sender_id",
        "sender_password",
        "entity_id",
    ),
    # The REST API's client-credentials grant: the app's client ID and secret, with the Web
    # Services user named on its Authorized client applications row (reference §2.2, §2.4).
    ConnectionMethod.REST: ("company_id", "user_id", "client_id", "client_secret", "entity_id"),
}
SECRET_FIELDS = frozenset(name for name, _label, _required, secret in FIELDS if secret)

_VALIDATORS: dict[str, Callable[[str], Validation]] = {
    "company_id": validate_company_id,
    "user_id": validate_user_id,
    "sender_id": validate_sender_id,
    "entity_id": validate_entity_id,
    "client_id": validate_client_id,
}


class Severity(enum.StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


_SEVERITY = {Status.OK: Severity.OK, Status.WARNING: Severity.WARNING, Status.ERROR: Severity.ERROR}


@dataclass(frozen=True)
class FieldCheck:
    severity: Severity
    message: str  # "" when there is nothing to say
    cleaned: str  # the value to keep (blanks trimmed, say)


@dataclass(frozen=True)
class SavedConnection:
    profile: str
    secrets_in: str  # where the passwords now are, as a sentence part ("in your login keychain…")


def validate(field: str, value: str, *, typing: bool = False) -> FieldCheck:
    """Check one field (pure, fast: fine on the GUI thread). A secret field's value is masked
    in every text from now on, unless `typing`: a password half typed is no secret yet, and
    masking its first letters would blank ordinary words (the value saved is masked then)."""
    if field in SECRET_FIELDS:
        label = dict((name, text) for name, text, _r, _s in FIELDS)[field].lower()
        result = validate_password(value, label=label, remember=not typing)
    else:
        result = _VALIDATORS[field](value)
    return FieldCheck(_SEVERITY[result.status], result.message, result.value)


def validate_network(values: NetworkInput) -> dict[str, FieldCheck]:
    """Check the Network section's fields (pure, fast: fine on the GUI thread)."""
    return {
        name: FieldCheck(_SEVERITY[result.status], result.message, result.value)
        for name, result in _validate_network(values).items()
    }


def profile_name(company_id: str, entity_id: str) -> str:
    """The name a new connection is saved under: the company ID, plus the entity if any."""
    name = f"{company_id} {entity_id}".strip()
    checked = validate_profile_name(name)
    return checked.value if checked.ok else company_id


def keyring_status(profile: str | None = None) -> KeyringStatus:
    """Whether and where passwords can be kept (does not touch the keyring's contents)."""
    return SecretStore().status(profile)


def keep_for_session_only() -> None:
    """The admin chose to keep the passwords in memory until the wizard closes (no keyring)."""
    SecretStore().use_session_only()
    log.info("passwords are kept for this session only (no usable keyring)")


def keep_in_keyring() -> None:
    """The admin unticked "this session only": the passwords in memory are forgotten."""
    SecretStore().use_keyring()
    log.info("passwords go to the system keyring again (session-only unticked)")


@dataclass(frozen=True)
class SavedSummary:
    """A saved connection as Welcome lists it: its name and the integration it was saved for
    (None when its file cannot be read: the connection test then says why)."""

    name: str
    integration: str | None
    custom: CustomNeeds


def saved_summaries() -> list[SavedSummary]:
    """The saved connections, the one used last time first. Off the GUI thread."""
    store = ProfileStore()
    names = list(store.names())
    last = store.last_used()
    if last in names:
        names.remove(last)
        names.insert(0, last)
    summaries = []
    for name in names:
        try:
            profile = store.load(name)
        except ProfileError:
            summaries.append(SavedSummary(name, None, CustomNeeds()))
        else:
            summaries.append(SavedSummary(name, profile.integration, profile.custom))
    return summaries


@dataclass(frozen=True)
class SavedNetwork:
    """The network settings saved with a connection, and whether its proxy password is kept."""

    settings: NetworkInput
    proxy_password_saved: bool


def saved_network(name: str) -> SavedNetwork | None:
    """The network settings saved with the connection `name` (never the password itself), or
    None when there is no such connection or its file cannot be read. Off the GUI thread."""
    store = ProfileStore()
    base = _existing(store, name) if name else None
    if base is None:
        return None
    network = base.network
    settings = NetworkInput(
        proxy_mode=network.proxy_mode.value,
        proxy_url=network.proxy_url,
        proxy_user=network.proxy_user,
        extra_ca_file=network.extra_ca_file,
    )
    saved = bool(network.proxy_user) and bool(_saved_proxy_password(store, name))
    return SavedNetwork(settings, proxy_password_saved=saved)


def save_connection(
    settings: dict[str, str],
    secrets: dict[str, str],
    network: NetworkInput | None = None,
    custom: CustomNeeds | None = None,
    method: ConnectionMethod = ConnectionMethod.XML,
) -> SavedConnection:
    """Save the profile's settings and put the passwords in the OS keyring. Off the GUI thread.

    `network`: the Network section (default: this computer's proxy and certificates); its
    proxy password is kept in the keyring with the other two. An empty proxy password keeps
    the one saved before for the same proxy user (the page never shows a saved password).
    `custom`: what the admin ticked for an integration the wizard does not list (integration
    "custom"). Saving over an existing connection of that name keeps everything the page does
    not set (its mappings, sync options, endpoint, REST address, last good run).
    `method`: the XML gateway (`secrets` holds the user and sender passwords) or the REST API
    with the app's client ID (in `settings`) and client secret (in `secrets`); with
    "Sign in with Sage Intacct" `settings` has grant "sign-in" and the redirect address, and
    `secrets` the refresh token the sign-in gave.

    Raises wizard.connection.KeyringUnavailable (its message says how to get a keyring) and
    the ProfileError family (each says what to change).
    """
    for value in secrets.values():
        remember_secret(value)
    store = ProfileStore()
    name = settings["profile"]
    network = network or NetworkInput()
    choices = network_choices(network)  # a setting that cannot be used stops here, named
    base = _existing(store, name)
    proxy_password = network.proxy_password if choices.proxy_user else ""
    same_user = base is not None and base.network.proxy_user == choices.proxy_user
    if not proxy_password and choices.proxy_user and same_user:  # the field left empty
        proxy_password = _saved_proxy_password(store, name)
    # Secrets first: a profile without its passwords would look saved but could not connect.
    over_rest = method is ConnectionMethod.REST
    store.secrets.save(
        name,
        Secrets(
            sender_password=secrets.get("sender_password", ""),
            user_password=secrets.get("user_password", ""),
            proxy_password=proxy_password,
            client_secret=secrets.get("client_secret", "") if over_rest else "",
            refresh_token=secrets.get("refresh_token", "") if over_rest else "",
        ),
    )
    profile = base or Profile(name=name)
    rest = profile.rest
    if over_rest:
        grant = RestGrant(settings.get("grant") or RestGrant.CLIENT_CREDENTIALS)
        redirect_uri = settings.get("redirect_uri") or rest.redirect_uri
        rest = RestChoices(settings["client_id"], grant, rest.base_url, redirect_uri)
    store.save(
        profile.replace(
            method=method,
            rest=rest,
            company_id=settings["company_id"],
            user_id=settings.get("user_id", ""),
            sender_id="" if over_rest else settings["sender_id"],
            entity_id=settings.get("entity_id", ""),
            network=choices,
            integration=settings.get("integration") or "this-program",
            custom=custom or CustomNeeds(),
        )
    )
    where = store.secrets.status(name).where
    log.info("saved the connection %s; passwords are %s", name, where)
    return SavedConnection(name, where)


def _existing(store: ProfileStore, name: str) -> Profile | None:
    """The connection saved under `name`, or None (none, or its file is damaged: saving then
    keeps the damaged file as .bak)."""
    if not store.exists(name):
        return None
    try:
        return store.load(name)
    except ProfileError:
        return None


def _saved_proxy_password(store: ProfileStore, name: str) -> str:
    try:
        saved = store.secrets.load(name)
    except (KeyringUnavailable, SecretsUnreadable):
        return ""
    return saved.proxy_password if saved is not None else ""
