"""Fixtures: a running sandbox and a plain HTTP client for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sandbox_client import Client

from wizard.sandbox import Sandbox


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[Client]:
    c = Client(sandbox)
    yield c
    c.close()
