"""Fixtures: one sandbox per module (scenarios reset after each test) and diagnose helpers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from wizard.checks import CheckContext, CheckStatus, Finding, PostingChoices, Runner
from wizard.checks.connect import FoundSecrets, context_for_profile, demo_profile
from wizard.connection import Profile, Secrets
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


def demo_target(sandbox: Sandbox) -> tuple[Profile, PostingChoices, Secrets]:
    creds = sandbox.credentials
    profile, posting = demo_profile(
        sandbox.endpoint, creds.sender_id, creds.company_id, creds.user_id
    )
    return profile, posting, Secrets(creds.sender_password, creds.user_password)


MakeContext = Callable[..., CheckContext]


@pytest.fixture
def make_context(sandbox: Sandbox) -> Iterator[MakeContext]:
    """Build a CheckContext on the demo connection, with changes to the profile or posting."""
    made: list[CheckContext] = []

    def make(
        posting: dict[str, Any] | None = None,
        secrets: Secrets | str | None = "demo",
        **profile_changes: Any,
    ) -> CheckContext:
        profile, choices, demo_secrets = demo_target(sandbox)
        profile = replace(profile, **profile_changes)
        choices = replace(choices, **(posting or {}))
        found = FoundSecrets(
            demo_secrets if secrets == "demo" else secrets,  # type: ignore[arg-type]
            "the demo company",
            problem="No passwords are saved for this connection.",
        )
        context = context_for_profile(profile, found, choices)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def diagnose(context: CheckContext) -> dict[str, Finding]:
    return {f.check: f for f in Runner(context).run_all()}


def failures(findings: dict[str, Finding]) -> dict[str, str | None]:
    return {c: f.fix_id for c, f in findings.items() if f.status is CheckStatus.FAIL}
