"""Fixtures: one sandbox per module (scenarios reset after each test), demo contexts."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from diagnose_helpers import MakeContext, demo_target

from wizard.checks import CheckContext
from wizard.checks.connect import FoundSecrets, context_for_profile
from wizard.connection import Secrets
from wizard.logs import close_logging
from wizard.sandbox import Sandbox


@pytest.fixture(autouse=True)
def _close_wizard_log() -> Iterator[None]:
    """Commands open the wizard's log in the test's home; close it after each test."""
    level = logging.getLogger().level
    yield
    close_logging()
    logging.getLogger().setLevel(level)


@pytest.fixture(scope="module")
def shared_sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.fixture
def sandbox(shared_sandbox: Sandbox) -> Iterator[Sandbox]:
    shared_sandbox.set_scenarios([])
    yield shared_sandbox
    shared_sandbox.set_scenarios([])


@pytest.fixture
def make_context(sandbox: Sandbox) -> Iterator[MakeContext]:
    """Build a CheckContext on the demo connection, with changes to the profile or posting."""
    made: list[CheckContext] = []

    def make(
        posting: dict[str, Any] | None = None,
        secrets: Secrets | str | None = "demo",
        **profile_changes: Any,
    ) -> CheckContext:
        profile, demo_secrets = demo_target(sandbox)
        profile = replace(profile, **profile_changes)
        profile = replace(profile, posting=replace(profile.posting, **(posting or {})))
        found = FoundSecrets(
            demo_secrets if secrets == "demo" else secrets,  # type: ignore[arg-type]
            "the demo company",
            problem="No passwords are saved for this connection.",
        )
        context = context_for_profile(profile, found)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()
