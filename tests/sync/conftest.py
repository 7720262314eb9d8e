"""Fixtures for the sync engine tests: a sandbox company on 127.0.0.1 and a real SQLite store
per test (helpers in sync_helpers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.sync_helpers import EngineMaker, client_factory, demo_settings
from wizard.sandbox import Sandbox
from wizard.sync.engine import SyncEngine
from wizard.sync.progress import Cancel, ProgressListener
from wizard.sync.settings import SyncSettings
from wizard.sync.store import Store


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "sync.sqlite3") as opened:
        yield opened


@pytest.fixture
def make_engine(sandbox: Sandbox, store: Store) -> EngineMaker:
    def make(
        settings: SyncSettings | None = None,
        *,
        on_progress: ProgressListener | None = None,
        cancel: Cancel | None = None,
    ) -> SyncEngine:
        settings = settings or demo_settings()
        return SyncEngine(
            store,
            client_factory(sandbox, settings.entity_id or None),
            settings,
            on_progress=on_progress,
            cancel=cancel,
        )

    return make
