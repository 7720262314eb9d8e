"""Build a `CheckContext` for a saved profile, for settings typed on the command line, or for
the built-in demo company — with the passwords from the keyring or the environment."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass

from wizard.checks.choices import load_demo_choices
from wizard.checks.context import CheckContext, SecretsKept
from wizard.checks.rest_context import RestCheckContext, TokenSaver
from wizard.connection import (
    ConnectionMethod,
    KeyringUnavailable,
    Profile,
    ProfileStore,
    RestChoices,
    RestGrant,
    Secrets,
    SecretsUnreadable,
    SyncOptions,
)
from wizard.connection.validation import DEFAULT_ENDPOINT
from wizard.redaction import remember_secret
from wizard.rest import Token

SENDER_PASSWORD_VARIABLE = "INTACCT_SENDER_PASSWORD"
USER_PASSWORD_VARIABLE = "INTACCT_USER_PASSWORD"


@dataclass(frozen=True)
class FoundSecrets:
    secrets: Secrets | None
    source: str = ""  # where they came from, in words
    problem: str = ""  # why there are none
    fix_id: str = "keyring-unavailable"
    kept: SecretsKept | None = None  # None: the caller did not say


def secrets_from_environment() -> Secrets | None:
    sender = os.environ.get(SENDER_PASSWORD_VARIABLE, "")
    user = os.environ.get(USER_PASSWORD_VARIABLE, "")
    remember_secret(sender)
    remember_secret(user)
    if sender and user:
        return Secrets(sender, user)
    return None


def secrets_for_profile(store: ProfileStore, name: str) -> FoundSecrets:
    """The keyring item of the profile; else the environment variables; else why not."""
    problem = ""
    try:
        found = store.secrets.load(name)
    except KeyringUnavailable as error:
        found, problem = (
            None,
            (
                f"{error} Until then, give the passwords for one run in the environment variables "
                f"{SENDER_PASSWORD_VARIABLE} and {USER_PASSWORD_VARIABLE}."
            ),
        )
    except SecretsUnreadable as error:
        found, problem = None, str(error)
    if found is not None and store.secrets.session_only:
        return FoundSecrets(found, "this session's memory", kept=SecretsKept.SESSION_ONLY)
    if found is not None:
        where = store.secrets.status(name).where
        return FoundSecrets(found, f"the system keyring ({where})", kept=SecretsKept.KEYRING)
    from_env = secrets_from_environment()
    if from_env is not None:
        return FoundSecrets(
            from_env,
            f"the environment variables {SENDER_PASSWORD_VARIABLE} and {USER_PASSWORD_VARIABLE}",
            kept=SecretsKept.ENVIRONMENT,
        )
    return FoundSecrets(
        None,
        problem=problem
        or f"No passwords are saved for “{name}” in the system keyring, and "
        f"{SENDER_PASSWORD_VARIABLE} / {USER_PASSWORD_VARIABLE} are not set. Set the two "
        "variables for this run, or open the wizard and choose Diagnose an existing "
        "connection: it asks for the passwords.",
    )


def context_for_profile(
    profile: Profile,
    found: FoundSecrets,
    max_in_flight: int | None = None,
    on_token: TokenSaver | None = None,
) -> CheckContext:
    """The checks' context for the profile's method: XML gateway, or REST with `on_token`
    keeping each refresh token Intacct issues."""
    kind = RestCheckContext if profile.method is ConnectionMethod.REST else CheckContext
    context = kind(
        profile,
        found.secrets,
        secrets_problem=found.problem,
        secrets_source=found.source,
        secrets_fix_id=found.fix_id,
        secrets_kept=found.kept,
        max_in_flight=max_in_flight,
    )
    if isinstance(context, RestCheckContext):
        context.on_token = on_token
    return context


def refresh_token_saver(store: ProfileStore, name: str, secrets: Secrets) -> TokenSaver:
    """Keep the newest refresh token in the profile's keyring item (Intacct may rotate it)."""
    kept = [secrets]

    def save(token: Token) -> None:
        if token.refresh_token and token.refresh_token != kept[0].refresh_token:
            kept[0] = dataclasses.replace(kept[0], refresh_token=token.refresh_token)
            store.secrets.save(name, kept[0])

    return save


def typed_profile(
    sender_id: str,
    company_id: str,
    user_id: str,
    entity_id: str = "",
    endpoint: str = DEFAULT_ENDPOINT,
) -> Profile:
    """A profile that is never saved, for settings given on the command line."""
    return Profile(
        name="command line",
        company_id=company_id,
        user_id=user_id,
        sender_id=sender_id,
        entity_id=entity_id,
        endpoint=endpoint,
    )


def demo_rest_profile(
    base_url: str, client_id: str, redirect_uri: str, company_id: str, user_id: str
) -> Profile:
    """The demo company over the REST API, signed in with Sage (the refresh-token path)."""
    profile = demo_profile("", "", company_id, user_id)
    return profile.replace(
        method=ConnectionMethod.REST,
        rest=RestChoices(client_id, RestGrant.SIGN_IN, base_url, redirect_uri),
    )


def demo_profile(endpoint: str, sender_id: str, company_id: str, user_id: str) -> Profile:
    """The demo company's connection with the demo choices (resources/checks/demo.toml)."""
    choices = load_demo_choices()
    return Profile(
        name="demo",
        company_id=company_id,
        user_id=user_id,
        sender_id=sender_id,
        entity_id=choices.entity_id,
        endpoint=endpoint,
        mappings=choices.mappings,
        sync=SyncOptions(start_date=choices.start_date),
        posting=choices.posting,
    )
