"""Connection profiles (non-secret settings, in the user config dir) and their secrets (OS keyring).

    from wizard.connection import ProfileStore, SecretStore, Secrets, validate_company_id

- `Profile` (+ `Mappings`, `NetworkChoices`, `PostingChoices`, `SyncOptions`,
  `LastGoodRun`): frozen settings of one connection.
- `ProfileStore`: list/load/save/rename/delete profiles, last used; files written atomically.
- `SecretStore`, `Secrets`: the two passwords in the OS keyring, or this session's memory.
- `validate_*`: pure checks of what the admin types, returning a frozen `Validation`.
- `save_connection()`: what the Credentials page gathered -> keyring + profile.
- `storage_locations()`: where settings, passwords, data and logs are kept.
"""

from __future__ import annotations

from wizard.connection.locations import StorageLocations, storage_locations
from wizard.connection.migrations import SCHEMA_VERSION
from wizard.connection.profile import (
    ConnectionMethod,
    CustomNeeds,
    LastGoodRun,
    Mappings,
    NetworkChoices,
    PostingChoices,
    Profile,
    RestChoices,
    RestGrant,
    SyncOptions,
)
from wizard.connection.profile_store import (
    InvalidProfileName,
    ProfileError,
    ProfileExists,
    ProfileFileError,
    ProfileNotFound,
    ProfileStore,
    ProfileWriteError,
)
from wizard.connection.save import InvalidConnectionInput, save_connection
from wizard.connection.secrets import (
    KeyringStatus,
    KeyringUnavailable,
    Problem,
    Secrets,
    SecretStore,
    SecretsUnreadable,
    SecretTooLarge,
    service_name,
)
from wizard.connection.validation import (
    DEFAULT_ENDPOINT,
    Status,
    Validation,
    validate_client_id,
    validate_company_id,
    validate_endpoint,
    validate_entity_id,
    validate_password,
    validate_profile_name,
    validate_sender_id,
    validate_sender_password,
    validate_user_id,
    validate_user_password,
)


def list_profiles() -> tuple[str, ...]:
    """The saved connections' names in the default config folder (reads the disk)."""
    return ProfileStore().names()


__all__ = [
    "DEFAULT_ENDPOINT",
    "SCHEMA_VERSION",
    "ConnectionMethod",
    "CustomNeeds",
    "InvalidConnectionInput",
    "InvalidProfileName",
    "KeyringStatus",
    "KeyringUnavailable",
    "LastGoodRun",
    "Mappings",
    "NetworkChoices",
    "PostingChoices",
    "Problem",
    "Profile",
    "ProfileError",
    "ProfileExists",
    "ProfileFileError",
    "ProfileNotFound",
    "ProfileStore",
    "ProfileWriteError",
    "RestChoices",
    "RestGrant",
    "SecretStore",
    "SecretTooLarge",
    "Secrets",
    "SecretsUnreadable",
    "Status",
    "StorageLocations",
    "SyncOptions",
    "Validation",
    "list_profiles",
    "save_connection",
    "service_name",
    "storage_locations",
    "validate_client_id",
    "validate_company_id",
    "validate_endpoint",
    "validate_entity_id",
    "validate_password",
    "validate_profile_name",
    "validate_sender_id",
    "validate_sender_password",
    "validate_user_id",
    "validate_user_password",
]
