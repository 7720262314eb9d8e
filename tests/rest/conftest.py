"""Fixtures: a running sandbox and REST clients signed in to it over loopback HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rest_helpers import MakeClient

from wizard.gateway import RetryPolicy
from wizard.rest import App, ClientCredentialsUser, RestClient
from wizard.sandbox import Sandbox


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.fixture
def slept() -> list[float]:
    return []


@pytest.fixture
def make_client(sandbox: Sandbox, slept: list[float]) -> Iterator[MakeClient]:
    """A client-credentials client for the demo company; sleeps are recorded, not slept."""
    made: list[RestClient] = []

    def make(**overrides: Any) -> RestClient:
        app = sandbox.rest_app
        credentials = sandbox.credentials
        settings: dict[str, Any] = {
            "base_url": sandbox.rest_base_url,
            "user": ClientCredentialsUser(credentials.user_id, credentials.company_id),
            "retry": RetryPolicy(max_attempts=3, base_delay_s=0.01, sleep=slept.append),
            "timeout": 10,
        }
        settings.update(overrides)
        client = RestClient(App(app.client_id, app.client_secret, app.redirect_uri), **settings)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
