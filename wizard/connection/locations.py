"""Where the wizard keeps things, in words for the "Done" page, `--help` and the README."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wizard import paths
from wizard.connection.profile_store import ProfileStore
from wizard.connection.secrets import SecretStore, service_name


@dataclass(frozen=True)
class StorageLocations:
    config_dir: Path  # connection profiles (settings only, no passwords)
    profiles_dir: Path
    data_dir: Path  # the local sync store
    log_dir: Path
    keyring_service: str  # the keyring item's name ("Intacct Setup Wizard: <name>")
    passwords_where: str  # a sentence: where the passwords are kept

    def lines(self) -> tuple[str, ...]:
        """One line per place, ready to print or show in a list."""
        return (
            f"Connection settings (no passwords): {self.profiles_dir}",
            f"Passwords: {self.passwords_where}",
            f"Sync data: {self.data_dir}",
            f"Logs: {self.log_dir}",
        )


def storage_locations(
    profile_name: str | None = None,
    profiles: ProfileStore | None = None,
    secrets: SecretStore | None = None,
) -> StorageLocations:
    """Describe the folders and the keyring item for one profile (or the pattern for all)."""
    profiles = profiles if profiles is not None else ProfileStore()
    secrets = secrets if secrets is not None else profiles.secrets
    status = secrets.status(profile_name)
    passwords = (
        status.where if status.usable else f"not kept yet: no usable system keyring. {status.help}"
    )
    return StorageLocations(
        config_dir=profiles.config_dir,
        profiles_dir=profiles.profiles_dir,
        data_dir=paths.data_dir(),
        log_dir=paths.log_dir(),
        keyring_service=service_name(profile_name or "<connection name>"),
        passwords_where=passwords,
    )
