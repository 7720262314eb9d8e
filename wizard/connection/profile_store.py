"""Saved connections on disk: one JSON file per profile in the user config folder.

    <config dir>/profiles/<profile name>.json   the settings (never a password), mode 0600
    <config dir>/state.json                     which profile was used last

Files are replaced atomically, so a crash leaves the old or the new version, never half.
A file that cannot be read is reported with its path and what to do, and is never silently
overwritten: saving over it first keeps a copy beside it as `<name>.json.bak`.
Deleting or renaming a profile deletes or moves its passwords in the keyring too.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path
from typing import Any

from wizard import paths
from wizard.connection.migrations import SCHEMA_VERSION, VERSION_KEY, MigrationError, migrate
from wizard.connection.private_file import PRIVATE_FILE_MODE, ensure_private_dir, write_private
from wizard.connection.profile import Profile, ProfileDataError
from wizard.connection.secrets import SecretStore
from wizard.connection.validation import validate_profile_name

log = logging.getLogger(__name__)

PROFILE_SUFFIX = ".json"
STATE_FILE = "state.json"


class ProfileError(Exception):
    """A profile could not be listed, read, saved, renamed or deleted; the message says why."""


class InvalidProfileName(ProfileError):
    pass


class ProfileNotFound(ProfileError):
    pass


class ProfileExists(ProfileError):
    pass


class ProfileFileError(ProfileError):
    """A profile file is damaged, unreadable or from a newer wizard. `path` names it."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(message)


class ProfileWriteError(ProfileError):
    """Saving failed; the previous file (if any) is unchanged."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(message)


def default_config_dir() -> Path:
    """The per-user settings folder (AppData\\Roaming, ~/Library/Application Support, ~/.config)."""
    return paths.config_dir()


def _check_name(name: str) -> str:
    verdict = validate_profile_name(name)
    if verdict.is_error:
        raise InvalidProfileName(verdict.message)
    if verdict.value != name:
        raise InvalidProfileName(
            f"The connection name “{name}” has blanks at the start or end; use “{verdict.value}”."
        )
    return name


class ProfileStore:
    """List, load, save, rename and delete saved connections, and remember the last one used.

    `secrets` is the SecretStore whose items follow a profile on rename and delete (default:
    one on keyring's configured backend). Every method reads or writes the disk: call them
    off the GUI thread.
    """

    def __init__(self, config_dir: Path | None = None, secrets: SecretStore | None = None) -> None:
        self.config_dir = config_dir if config_dir is not None else default_config_dir()
        self.profiles_dir = self.config_dir / "profiles"
        self.secrets = secrets if secrets is not None else SecretStore()

    # -- paths -----------------------------------------------------------------------------

    def path_for(self, name: str) -> Path:
        return self.profiles_dir / f"{_check_name(name)}{PROFILE_SUFFIX}"

    def names(self) -> tuple[str, ...]:
        """The saved profiles, sorted for display (damaged files are listed too)."""
        if not self.profiles_dir.is_dir():
            return ()
        found = [
            entry.name[: -len(PROFILE_SUFFIX)]
            for entry in self.profiles_dir.iterdir()
            if entry.name.endswith(PROFILE_SUFFIX)
            and not entry.name.startswith(".")
            and entry.is_file()
        ]
        return tuple(sorted(found, key=lambda n: (n.casefold(), n)))

    def exists(self, name: str) -> bool:
        return self.path_for(name).is_file()

    def _same_name_other_case(self, name: str) -> str | None:
        """An existing profile whose name differs only in case (one file on Windows and macOS)."""
        for existing in self.names():
            if existing != name and existing.casefold() == name.casefold():
                return existing
        return None

    # -- reading ---------------------------------------------------------------------------

    def load(self, name: str) -> Profile:
        """Read a profile, migrating an older layout. Raises ProfileNotFound/ProfileFileError."""
        path = self.path_for(name)
        if not path.is_file():
            raise ProfileNotFound(f"There is no saved connection named “{name}” ({path}).")
        data, version = self._read(path)
        if version < SCHEMA_VERSION:
            log.info("profile %s: migrated layout %d -> %d", path, version, SCHEMA_VERSION)
        try:
            profile = Profile.from_dict(data)
        except ProfileDataError as exc:
            raise self._damaged(path, str(exc)) from None
        if profile.name != name:
            # The file name is what the admin sees and renames; it wins over the stored name.
            profile = profile.replace(name=name)
        return profile

    def _damaged(self, path: Path, why: str) -> ProfileFileError:
        return ProfileFileError(
            path,
            f"The saved connection file {path} could not be read: {why} Nothing has been "
            f"changed. Restore the file from a backup, or set the connection up again: saving "
            f"it keeps the damaged file as {path.name}.bak so nothing is lost.",
        )

    def _read(self, path: Path) -> tuple[dict[str, Any], int]:
        try:
            raw = path.read_bytes()
        except PermissionError:
            raise ProfileFileError(
                path,
                f"The saved connection file {path} cannot be opened: permission denied. Check "
                "that your user account owns it (it should be readable by you only).",
            ) from None
        except OSError as exc:
            raise ProfileFileError(
                path, f"The saved connection file {path} cannot be opened: {exc.strerror}."
            ) from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise self._damaged(path, "it is not text (it may be damaged).") from None
        except json.JSONDecodeError as exc:
            raise self._damaged(
                path, f"it is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
            ) from None
        if not isinstance(data, dict):
            raise self._damaged(path, "it does not hold a table of settings.")
        try:
            return migrate(data)
        except MigrationError as exc:
            raise self._damaged(path, str(exc)) from None

    # -- writing ---------------------------------------------------------------------------

    def save(self, profile: Profile) -> Path:
        """Write `profile` (atomically, owner-only) and make it the last used. Returns its path."""
        path = self.path_for(profile.name)
        other = self._same_name_other_case(profile.name)
        if other is not None:
            raise ProfileExists(
                f"A connection named “{other}” already exists; names that differ only in "
                "capital letters would share one file. Choose another name or rename that one."
            )
        self._keep_unreadable(path)
        text = json.dumps({VERSION_KEY: SCHEMA_VERSION, **profile.to_dict()}, indent=2)
        self._write(path, text + "\n")
        self.set_last_used(profile.name)
        return path

    def _write(self, path: Path, text: str) -> None:
        try:
            write_private(path, text)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            previous = " The previous version is unchanged." if path.exists() else ""
            raise ProfileWriteError(
                path,
                f"The connection could not be saved to {path}: {reason}.{previous} Check "
                "that the disk is not full and that you can write to that folder.",
            ) from None

    def _keep_unreadable(self, path: Path) -> Path | None:
        """Copy a file that does not load cleanly (damaged, older, newer) aside before saving."""
        if not path.is_file():
            return None
        try:
            data, version = self._read(path)
            Profile.from_dict(data)
            if version == SCHEMA_VERSION:
                return None
        except (ProfileFileError, ProfileDataError):
            pass
        backup = path.with_name(path.name + ".bak")
        counter = 1
        while backup.exists():
            backup = path.with_name(f"{path.name}.{counter}.bak")
            counter += 1
        try:
            shutil.copy2(path, backup)
            if os.name == "posix":
                backup.chmod(PRIVATE_FILE_MODE)
        except OSError as exc:
            raise ProfileWriteError(
                path,
                f"The existing file {path} could not be read as a connection, and a copy could "
                f"not be kept ({exc.strerror}), so it was not replaced. Move it elsewhere and "
                "save again.",
            ) from None
        log.warning("kept the unreadable or older profile file %s as %s", path, backup)
        return backup

    def rename(self, old_name: str, new_name: str) -> Profile:
        """Rename a profile: its file, its keyring item and the last-used mark follow."""
        _check_name(new_name)
        profile = self.load(old_name)
        if new_name == old_name:
            return profile
        old_path = self.path_for(old_name)
        new_path = self.path_for(new_name)
        case_only = old_name.casefold() == new_name.casefold()
        if not case_only and (new_path.exists() or self._same_name_other_case(new_name)):
            raise ProfileExists(f"A connection named “{new_name}” already exists.")
        renamed = profile.replace(name=new_name)
        was_last = self.last_used() == old_name
        text = json.dumps({VERSION_KEY: SCHEMA_VERSION, **renamed.to_dict()}, indent=2)
        self._write(new_path, text + "\n")
        same_file = old_path.exists() and old_path.samefile(new_path)
        try:
            self.secrets.rename(old_name, new_name)
        except Exception:
            if not same_file:
                new_path.unlink()  # leave things as they were: the old profile, its passwords
            raise
        if not same_file:
            old_path.unlink()
        if was_last:
            self.set_last_used(new_name)
        return renamed

    def delete(self, name: str) -> None:
        """Delete a profile and its passwords. The passwords go first: if the keyring is locked
        (KeyringUnavailable), the profile stays so the admin can try again."""
        path = self.path_for(name)
        if not path.exists():
            raise ProfileNotFound(f"There is no saved connection named “{name}” ({path}).")
        self.secrets.delete(name)
        path.unlink()
        if self.last_used() == name:
            self._write_state({"last_profile": None})

    # -- last used -------------------------------------------------------------------------

    def last_used(self) -> str | None:
        """The profile used last, if it still exists."""
        state = self._read_state()
        name = state.get("last_profile")
        if not isinstance(name, str) or not name:
            return None
        try:
            return name if self.exists(name) else None
        except InvalidProfileName:
            return None

    def set_last_used(self, name: str) -> None:
        _check_name(name)
        self._write_state({"last_profile": name})

    def _read_state(self) -> dict[str, Any]:
        path = self.config_dir / STATE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable %s: %s", path, exc)
            return {}
        return data if isinstance(data, dict) else {}

    def _write_state(self, state: dict[str, Any]) -> None:
        ensure_private_dir(self.config_dir)
        self._write(self.config_dir / STATE_FILE, json.dumps(state, indent=2) + "\n")
