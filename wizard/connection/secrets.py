"""The connection's passwords, kept only in the OS keyring (or, if the admin chooses, in memory).

One keyring item per profile:
- service "Intacct Setup Wizard: <profile name>", a name a person recognises in Keychain
  Access, Credential Manager or Seahorse;
- username "credentials" (fixed, so each service holds exactly one username and Windows
  never switches to its compound `username@service` names);
- password: a small versioned JSON of only the secrets, `{"v": 1, "sender_password": …,
  "user_password": …}` (plus `"proxy_password"` when the proxy needs a sign-in), so the
  passwords change together and macOS asks at most once.

With no usable keyring the store raises `KeyringUnavailable`, which says what is missing and
how to get it. The admin may then choose `use_session_only()`: passwords stay in this
process's memory and are never written anywhere. There is no plain-text fallback.

keyring calls are serialised with one process-wide lock: not every backend is thread-safe.
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import keyring
import keyring.backend
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import keyring.errors

from wizard import APP_NAME
from wizard.connection.keyring_words import Problem as Problem
from wizard.connection.keyring_words import (
    display_name,
    help_text,
    problem_message,
    where_kept,
)
from wizard.redaction import redact, remember_secret

USERNAME = "credentials"
PAYLOAD_VERSION = 1
FIX_ID = "keyring-unavailable"

# Windows Credential Manager stores the item as UTF-16 and holds at most 2,560 bytes
# (CRED_MAX_CREDENTIAL_BLOB_SIZE, about 1,280 characters); beyond that it fails with an
# obscure "stub received bad data". We stop well short, on every OS, so a profile that works
# on a Mac also works on Windows.
MAX_PAYLOAD_UTF16_BYTES = 2000

_KEYRING_LOCK = threading.RLock()

# "Keep for this session only", per keyring backend in use: its presence is the admin's choice,
# its value the passwords (memory only). Keyed by backend so the choice lasts for the run (the
# backend is a process singleton) and a different keyring starts without it.
_SESSIONS: weakref.WeakKeyDictionary[keyring.backend.KeyringBackend, dict[str, Secrets]] = (
    weakref.WeakKeyDictionary()
)


def service_name(profile_name: str) -> str:
    """The keyring item's service name for a profile, as the admin will see it listed."""
    return f"{APP_NAME}: {profile_name}"


@dataclass(frozen=True)
class Secrets:
    """The passwords of a connection: Intacct's two, and the proxy's when it asks for one.
    Never printed: repr shows only whether each is set."""

    sender_password: str = field(repr=False)
    user_password: str = field(repr=False)
    proxy_password: str = field(default="", repr=False)
    # REST connections (profile method "rest"): the app's client secret, and the refresh
    # token a "Sign in with Sage Intacct" left (replaced each time Intacct rotates it).
    client_secret: str = field(default="", repr=False)
    refresh_token: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        for value in self.values():
            remember_secret(value)

    def __repr__(self) -> str:
        def state(value: str) -> str:
            return "set" if value else "empty"

        proxy = ", proxy_password=<set>" if self.proxy_password else ""
        rest = "".join(
            f", {name}=<set>" for name in ("client_secret", "refresh_token") if getattr(self, name)
        )
        return (
            f"Secrets(sender_password=<{state(self.sender_password)}>, "
            f"user_password=<{state(self.user_password)}>{proxy}{rest})"
        )

    def values(self) -> tuple[str, ...]:
        return (
            self.sender_password,
            self.user_password,
            self.proxy_password,
            self.client_secret,
            self.refresh_token,
        )


@dataclass(frozen=True)
class KeyringStatus:
    """Where passwords go, in words the GUI and the CLI can show as they are."""

    usable: bool
    backend_name: str  # "macOS Keychain", "Windows Credential Manager", …
    where: str  # a sentence: where the passwords are kept and under what name
    session_only: bool = False
    problem: Problem | None = None
    help: str = ""  # how to get a usable keyring ("" when usable)


class KeyringUnavailable(Exception):
    """The OS keyring cannot be used. The message says why and how to get one.

    `offer_session_only` is True: the caller should offer "Keep for this session only"
    (`SecretStore.use_session_only()`). The message never contains a password.
    """

    fix_id = FIX_ID
    offer_session_only = True

    def __init__(self, problem: Problem, message: str, help_text: str) -> None:
        self.problem = problem
        self.reason = message
        self.help = help_text
        # Only the wizard's Credentials page has "Keep for this session only": it offers the
        # choice itself, so the message names no control another surface does not have.
        super().__init__(f"{message} {help_text}")


class SecretTooLarge(ValueError):
    """The passwords are too long for the smallest keyring we support (Windows)."""


class SecretsUnreadable(Exception):
    """The keyring item exists but is not in a form this version understands."""


def _usable_backends(
    backend: keyring.backend.KeyringBackend,
) -> list[keyring.backend.KeyringBackend]:
    """The real backends behind `backend` (a chainer holds several; fail/null hold none)."""
    if isinstance(backend, keyring.backends.chainer.ChainerBackend):
        inner: Iterable[keyring.backend.KeyringBackend] = type(backend).backends
        return [b for b in inner if not _is_dead(b)]
    return [] if _is_dead(backend) else [backend]


def _is_dead(backend: keyring.backend.KeyringBackend) -> bool:
    return isinstance(backend, (keyring.backends.fail.Keyring, keyring.backends.null.Keyring))


class SecretStore:
    """Save, load and delete a profile's passwords in the OS keyring (or this session's memory).

    `backend` defaults to keyring's configured backend, looked up at each call.
    `platform` (default `sys.platform`) picks the help text for a missing keyring.
    """

    def __init__(
        self,
        backend: keyring.backend.KeyringBackend | None = None,
        *,
        platform: str | None = None,
    ) -> None:
        self._backend = backend
        self._platform = platform or sys.platform

    # -- mode and status -------------------------------------------------------------------

    @property
    def session_only(self) -> bool:
        with _KEYRING_LOCK:
            return self._current_backend() in _SESSIONS

    def use_session_only(self) -> None:
        """The admin chose "Keep for this session only": memory from now on, nothing written.

        The choice holds for the rest of this run for every SecretStore on the same keyring
        backend, so other parts of the program (the connection test, Diagnose) find the
        passwords too.
        """
        with _KEYRING_LOCK:
            _SESSIONS.setdefault(self._current_backend(), {})

    def use_keyring(self) -> None:
        """Undo `use_session_only`: the passwords kept in memory are forgotten, and the
        keyring is used again (the admin unticked "Keep for this session only")."""
        with _KEYRING_LOCK:
            memory = _SESSIONS.pop(self._current_backend(), None)
            if memory is not None:
                memory.clear()

    def _session_memory(self) -> dict[str, Secrets] | None:
        """This run's in-memory passwords, or None when the keyring is in use."""
        with _KEYRING_LOCK:
            return _SESSIONS.get(self._current_backend())

    def _current_backend(self) -> keyring.backend.KeyringBackend:
        return self._backend if self._backend is not None else keyring.get_keyring()

    def _problem(self) -> tuple[Problem | None, str]:
        backend = self._current_backend()
        usable = _usable_backends(backend)
        if usable:
            return None, display_name(usable[0])
        if isinstance(backend, keyring.backends.null.Keyring):
            return Problem.DISABLED, "system keyring"
        return Problem.NO_BACKEND, "system keyring"

    def status(self, profile_name: str | None = None) -> KeyringStatus:
        """Whether passwords can be kept, and where (without touching the keyring itself)."""
        service = service_name(profile_name if profile_name else "<connection name>")
        if self.session_only:
            return KeyringStatus(
                usable=True,
                backend_name="This session only",
                where="in memory only, until you close the wizard (never written to disk); "
                "you will be asked for the passwords again next time",
                session_only=True,
            )
        problem, display = self._problem()
        if problem is not None:
            return KeyringStatus(
                usable=False,
                backend_name="No system keyring",
                where="nowhere yet: no usable system keyring",
                problem=problem,
                help=help_text(problem, self._platform),
            )
        return KeyringStatus(usable=True, backend_name=display, where=where_kept(display, service))

    def _unavailable(self, problem: Problem, display: str, detail: str = "") -> KeyringUnavailable:
        message = problem_message(problem, display)
        if detail:
            message = f"{message} ({detail})"
        return KeyringUnavailable(problem, message, help_text(problem, self._platform))

    def _require_backend(self) -> tuple[keyring.backend.KeyringBackend, str]:
        problem, display = self._problem()
        if problem is not None:
            raise self._unavailable(problem, display)
        return self._current_backend(), display

    def _call(self, display: str, secrets: Iterable[str], action: Any, *args: str) -> Any:
        """Run one keyring call under the lock, turning its failures into KeyringUnavailable."""
        with _KEYRING_LOCK:
            try:
                return action(*args)
            except keyring.errors.PasswordDeleteError:
                raise
            except keyring.errors.KeyringLocked:
                error: KeyringUnavailable = self._unavailable(Problem.LOCKED, display)
            except (keyring.errors.NoKeyringError, keyring.errors.InitError):
                error = self._unavailable(Problem.NO_BACKEND, display)
            except Exception as exc:  # backends raise their own types (pywintypes.error, …)
                detail = redact(f"{type(exc).__name__}: {exc}", extra_secrets=secrets)
                error = self._unavailable(Problem.FAILED, display, detail)
        raise error

    # -- the secrets -----------------------------------------------------------------------

    def save(self, profile_name: str, secrets: Secrets) -> None:
        """Keep both passwords of `profile_name` (replacing what was there)."""
        for value in secrets.values():
            remember_secret(value)
        fields = {
            "v": PAYLOAD_VERSION,
            "sender_password": secrets.sender_password,
            "user_password": secrets.user_password,
        }
        # Optional: items saved before these existed lack them.
        for name in ("proxy_password", "client_secret", "refresh_token"):
            if getattr(secrets, name):
                fields[name] = getattr(secrets, name)
        payload = json.dumps(fields, ensure_ascii=False)
        size = len(payload.encode("utf-16-le"))
        if size > MAX_PAYLOAD_UTF16_BYTES:
            raise SecretTooLarge(
                f"The passwords are too long to keep safely: together they need {size} bytes "
                f"and the system keyring on Windows holds at most {MAX_PAYLOAD_UTF16_BYTES} "
                "for one connection. Intacct passwords are rarely this long; check that only "
                "the passwords were pasted."
            )
        memory = self._session_memory()
        if memory is not None:
            memory[profile_name] = secrets
            return
        backend, display = self._require_backend()
        self._call(
            display,
            secrets.values(),
            backend.set_password,
            service_name(profile_name),
            USERNAME,
            payload,
        )

    def load(self, profile_name: str) -> Secrets | None:
        """The saved passwords of `profile_name`, or None when none are saved."""
        memory = self._session_memory()
        if memory is not None:
            found = memory.get(profile_name)
        else:
            backend, display = self._require_backend()
            raw = self._call(
                display, (), backend.get_password, service_name(profile_name), USERNAME
            )
            found = None if raw is None else self._parse(profile_name, str(raw))
        if found is not None:
            for value in found.values():
                remember_secret(value)
        return found

    def _parse(self, profile_name: str, raw: str) -> Secrets:
        remember_secret(raw)
        unreadable = SecretsUnreadable(
            f"The saved passwords for “{profile_name}” are in a form this version of the "
            "wizard cannot read. Enter the passwords again to replace them."
        )
        try:
            data = json.loads(raw)
        except ValueError:
            raise unreadable from None
        if (
            not isinstance(data, dict)
            or data.get("v") != PAYLOAD_VERSION
            or not isinstance(data.get("sender_password"), str)
            or not isinstance(data.get("user_password"), str)
            or not all(
                isinstance(data.get(name, ""), str)
                for name in ("proxy_password", "client_secret", "refresh_token")
            )
        ):
            raise unreadable
        return Secrets(
            data["sender_password"],
            data["user_password"],
            data.get("proxy_password", ""),
            data.get("client_secret", ""),
            data.get("refresh_token", ""),
        )

    def delete(self, profile_name: str) -> None:
        """Forget the passwords of `profile_name`. Nothing saved is not an error.

        In session-only mode only memory is cleared. With no keyring at all (fail/null
        backend) nothing can have been saved there. A locked keyring raises KeyringUnavailable.
        """
        memory = self._session_memory()
        if memory is not None:
            memory.pop(profile_name, None)
            return
        problem, display = self._problem()
        if problem in (Problem.NO_BACKEND, Problem.DISABLED):
            return
        backend = self._current_backend()
        with contextlib.suppress(keyring.errors.PasswordDeleteError):  # there was no item
            self._call(display, (), backend.delete_password, service_name(profile_name), USERNAME)

    def rename(self, old_name: str, new_name: str) -> None:
        """Move the passwords to the new profile name (nothing to move is not an error)."""
        if self._session_memory() is None and self._problem()[0] in (
            Problem.NO_BACKEND,
            Problem.DISABLED,
        ):
            return  # no keyring: nothing can have been saved there
        found = self.load(old_name)
        if found is None:
            return
        self.save(new_name, found)
        self.delete(old_name)
