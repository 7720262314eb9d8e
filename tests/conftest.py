"""Test-wide setup: no test touches the real desktop, keyring or user folders.

- Qt renders offscreen (set before anything imports Qt).
- The real `keyring` API is used with an in-memory backend installed here, fresh per test.
- platformdirs' config, data, state, log and cache folders point into the test's tmp_path.
- Remembered secrets are forgotten between tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import keyring
import keyring.backend
import keyring.errors
import pytest

from wizard.redaction import forget_secrets

CHECKOUT = Path(__file__).resolve().parent.parent
CONFORMANCE = CHECKOUT.parent / "shared" / "conformance"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring backend that keeps items in a dict for the life of one test."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.items[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError(f"no item for {service}") from None


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point every per-user folder platformdirs knows into a fresh temporary home."""
    home = tmp_path_factory.mktemp("home")
    for variable, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(variable, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture(scope="session", autouse=True)
def _qt_application() -> object:
    """The process's one QApplication, made first: Qt allows one application object per
    process, and if a test made a plain QGuiApplication (icon rendering) no widget could exist."""
    from PySide6.QtWidgets import QApplication

    import wizard.ui.qt_compat  # noqa: F401  (the binding's reference-count work-arounds)

    return QApplication.instance() or QApplication([])


@pytest.fixture(autouse=True)
def _forget_secrets() -> Iterator[None]:
    yield
    forget_secrets()


@pytest.fixture(scope="session")
def conformance_dir() -> Path:
    """`../shared/conformance`, or skip: the corpus is not part of this repository."""
    if not CONFORMANCE.is_dir():
        pytest.skip(f"conformance corpus not found at {CONFORMANCE} (it lives beside the checkout)")
    return CONFORMANCE
