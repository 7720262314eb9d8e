"""What is being connected: the demo company or a saved connection, with its passwords."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wizard.checks import PostingChoices
from wizard.checks.connect import (
    FoundSecrets,
    demo_profile,
    demo_rest_profile,
    secrets_for_profile,
    secrets_from_environment,
)
from wizard.checks.context import SecretsKept
from wizard.connection import (
    ConnectionMethod,
    CustomNeeds,
    KeyringUnavailable,
    Mappings,
    Problem,
    Profile,
    ProfileError,
    ProfileStore,
    Secrets,
    SecretsUnreadable,
)
from wizard.redaction import remember_secret

if TYPE_CHECKING:
    from wizard.sandbox import Sandbox


@dataclass(frozen=True)
class Target:
    """One connection to test and sync: its settings, where the passwords came from."""

    profile: Profile
    found: FoundSecrets
    demo: bool = False
    # A saved connection checked for another integration than it was saved for: that one.
    saved_for: tuple[str, CustomNeeds] | None = None

    @property
    def posting(self) -> PostingChoices:
        """Where the sync posts (accounts, payments, numbering): kept in the profile."""
        return self.profile.posting

    def with_choices(
        self,
        entity_id: str,
        mappings: Mappings | None = None,
        posting: PostingChoices | None = None,
    ) -> Target:
        profile = self.profile.replace(entity_id=entity_id)
        if mappings is not None:
            profile = profile.replace(mappings=mappings)
        if posting is not None:
            profile = profile.replace(posting=posting)
        return dataclasses.replace(self, profile=profile)

    def with_start_date(self, since: dt.date) -> Target:
        """The same connection, syncing (and test-posting) from `since`."""
        sync = dataclasses.replace(self.profile.sync, start_date=since)
        return dataclasses.replace(self, profile=self.profile.replace(sync=sync))


def demo_target(
    sandbox: Sandbox,
    integration: str = "this-program",
    custom: CustomNeeds | None = None,
    method: ConnectionMethod = ConnectionMethod.XML,
) -> Target:
    """The demo company, over the XML gateway with the demo sender, or over the REST API
    signed in as the demo admin would be ("Sign in with Sage Intacct", then Accept)."""
    creds = sandbox.credentials
    # The demo's choices (resources/checks/demo.toml) come in the profile, posting included.
    if method is ConnectionMethod.REST:
        app = sandbox.rest_app
        profile = demo_rest_profile(
            sandbox.rest_base_url, app.client_id, app.redirect_uri, creds.company_id, creds.user_id
        )
        secrets = Secrets(
            "", "", client_secret=app.client_secret, refresh_token=sandbox.rest.oauth.demo_sign_in()
        )
    else:
        profile = demo_profile(sandbox.endpoint, creds.sender_id, creds.company_id, creds.user_id)
        remember_secret(creds.sender_password)
        remember_secret(creds.user_password)
        secrets = Secrets(creds.sender_password, creds.user_password)
    profile = profile.replace(integration=integration, custom=custom or CustomNeeds())
    return Target(
        profile, FoundSecrets(secrets, "the demo company", kept=SecretsKept.BUILT_IN), demo=True
    )


def demo_faults(sandbox: Sandbox, method: ConnectionMethod) -> tuple[tuple[str, str], ...]:
    """(name, description) of the demo faults that show over `method`: a fault the other
    method alone has would change nothing the admin sees."""
    from wizard.sandbox import SCENARIOS

    if method is ConnectionMethod.REST:
        answers = sandbox.rest.data.answers
        shown = [n for n in SCENARIOS if n in answers and answers[n].at != "none"]
    else:
        shown = [n for n, scenario in SCENARIOS.items() if scenario.level != "rest"]
    return tuple((name, SCENARIOS[name].description) for name in shown)


@dataclass(frozen=True)
class PasswordsNeeded:
    """A saved connection whose passwords are not on this computer: what the admin needs to
    know to type them (nothing secret)."""

    profile: str
    company_id: str
    user_id: str
    sender_id: str
    why: str  # why they are not there, as a sentence
    store_usable: bool  # a password store works here (only this connection's item is missing)
    store_help: str  # how to get a usable password store ("" when there is one)


def passwords_needed(name: str) -> PasswordsNeeded | None:
    """Whether diagnosing `name` needs its passwords typed: None when they are in the
    password store (or the environment), or when the connection cannot be read or signs in
    another way (the connection test then says what is wrong). Off the GUI thread: it reads
    the profile and the keyring."""
    store = ProfileStore()
    try:
        profile = store.load(name)
    except ProfileError:
        return None
    if profile.method is not ConnectionMethod.XML:
        return None  # a REST connection signs in with Sage: there are no passwords to type
    status = store.secrets.status(name)
    try:
        kept = store.secrets.load(name)
        why = (
            "none were typed for it yet in this session (passwords are kept in memory only)"
            if status.session_only
            else f"they are not in this computer's password store ({status.backend_name})"
        )
    except KeyringUnavailable as error:
        kept, why = None, _UNAVAILABLE[error.problem]
        status = dataclasses.replace(status, usable=False, help=status.help or error.help)
    except SecretsUnreadable:
        kept = None
        why = "the saved ones are in a form this version of the wizard cannot read"
    if kept is not None or secrets_from_environment() is not None:
        return None
    return PasswordsNeeded(
        name,
        profile.company_id,
        profile.user_id,
        profile.sender_id,
        why,
        store_usable=status.usable,
        store_help=status.help,
    )


# Why the password store gave no passwords, as the end of "… are needed to diagnose it, but …".
_UNAVAILABLE = {
    Problem.NO_BACKEND: "this computer has no usable password store, so they could not be saved",
    Problem.DISABLED: "the password store is turned off for this program",
    Problem.LOCKED: "the password store is locked, or access to it was refused",
    Problem.FAILED: "the password store refused to read them",
}


def profile_target(
    name: str,
    typed: Secrets | None = None,
    integration: str | None = None,
    custom: CustomNeeds | None = None,
    store_usable: bool | None = None,
) -> Target:
    """A saved connection with its passwords: `typed` for this session (the Passwords page),
    else from the keyring (or why there are none). `integration` (with `custom` for "custom"):
    check against that integration's needs instead of the one saved with the connection
    (nothing is saved). `store_usable`: whether the Passwords page found a working password
    store (`PasswordsNeeded.store_usable`); a locked one looks usable until it is asked for an
    item, so what that read found is trusted over the store's status."""
    store = ProfileStore()
    saved = profile = store.load(name)
    saved_for = None
    if integration is not None and integration != profile.integration:
        profile = profile.replace(integration=integration, custom=custom or CustomNeeds())
        saved_for = (saved.integration, saved.custom)
    elif integration is not None and custom is not None and custom.needs:
        profile = profile.replace(custom=custom)
    if typed is None:
        return Target(profile, secrets_for_profile(store, name), saved_for=saved_for)
    for value in typed.values():
        remember_secret(value)
    status = store.secrets.status(name)
    if store_usable is None:
        store_usable = status.usable
    no_store = not store_usable or status.session_only
    found = FoundSecrets(
        typed,
        "this session's memory (typed to diagnose)",
        # With no password store, its fix says how to get one; with one, nothing is wrong
        # with it (this connection's item is missing): the warning says what that means.
        fix_id="keyring-unavailable" if no_store else "",
        kept=SecretsKept.SESSION_ONLY,
    )
    return Target(profile, found, saved_for=saved_for)


def save_choices(target: Target) -> None:
    """Keep the entity, mappings and posting choices made in the wizard with the saved
    connection."""
    if target.demo:
        return
    store = ProfileStore()
    saved = store.load(target.profile.name)
    store.save(
        saved.replace(
            entity_id=target.profile.entity_id,
            mappings=target.profile.mappings,
            posting=target.profile.posting,
        )
    )
    store.set_last_used(saved.name)
