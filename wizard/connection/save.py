"""Saving what the Credentials page gathered: check every field, passwords first, then settings."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from wizard.connection.profile import Profile
from wizard.connection.profile_store import ProfileError, ProfileFileError, ProfileStore
from wizard.connection.secrets import KeyringUnavailable, Secrets, SecretsUnreadable
from wizard.connection.validation import (
    Validation,
    validate_company_id,
    validate_endpoint,
    validate_entity_id,
    validate_profile_name,
    validate_sender_id,
    validate_sender_password,
    validate_user_id,
    validate_user_password,
)

_SETTINGS: tuple[tuple[str, Callable[[str], Validation]], ...] = (
    ("company_id", validate_company_id),
    ("user_id", validate_user_id),
    ("sender_id", validate_sender_id),
    ("entity_id", validate_entity_id),
    ("endpoint", validate_endpoint),
)
_OPTIONAL = frozenset({"entity_id", "endpoint"})
_SECRETS: tuple[tuple[str, Callable[[str], Validation]], ...] = (
    ("sender_password", validate_sender_password),
    ("user_password", validate_user_password),
)


class InvalidConnectionInput(ProfileError):
    """Some fields cannot be used. `problems` holds (field, message) pairs, in form order."""

    def __init__(self, problems: tuple[tuple[str, str], ...]) -> None:
        self.problems = problems
        super().__init__(" ".join(message for _field, message in problems))


def save_connection(
    settings: Mapping[str, str],
    secrets: Mapping[str, str],
    *,
    profiles: ProfileStore | None = None,
) -> Profile:
    """Check the fields, keep the passwords (keyring or session), then save the profile.

    `settings` holds company_id, user_id, sender_id and optionally entity_id, endpoint and
    profile (the connection's name; default: the company ID). `secrets` holds
    sender_password and user_password, and optionally proxy_password (absent: the saved one
    is kept). Cleaned values (blanks trimmed) are what is saved;
    an optional setting that is absent keeps its saved value.
    The passwords go first, so a keyring failure (KeyringUnavailable) leaves no profile
    pointing at passwords that were never kept. Mappings and sync options of an existing
    profile of that name are kept.
    """
    store = profiles if profiles is not None else ProfileStore()
    problems: list[tuple[str, str]] = []
    cleaned: dict[str, str] = {}
    name_check = validate_profile_name(settings.get("profile") or settings.get("company_id", ""))
    for field, check in (*_SETTINGS, *_SECRETS):
        source = secrets if field.endswith("_password") else settings
        if field in _OPTIONAL and field not in source:
            continue  # keep what the profile already has
        verdict = check(source.get(field, ""))
        if verdict.is_error:
            problems.append((field, verdict.message))
        cleaned[field] = verdict.value
    if name_check.is_error and not any(f == "company_id" for f, _m in problems):
        problems.append(("profile", name_check.message))
    if problems:
        raise InvalidConnectionInput(tuple(problems))
    name = name_check.value
    proxy_password = secrets.get("proxy_password")
    if proxy_password is None:  # not asked this time: keep the one saved before
        try:
            saved = store.secrets.load(name)
        except (KeyringUnavailable, SecretsUnreadable):
            saved = None
        proxy_password = saved.proxy_password if saved is not None else ""
    store.secrets.save(
        name, Secrets(cleaned["sender_password"], cleaned["user_password"], proxy_password)
    )
    try:
        base = store.load(name) if store.exists(name) else Profile(name=name)
    except ProfileFileError:
        base = Profile(name=name)  # saving keeps the damaged file as .bak
    changes = {field: cleaned[field] for field, _check in _SETTINGS if field in cleaned}
    profile = base.replace(**changes)
    store.save(profile)
    return profile
