"""Helpers for the checks tests (imported by name: a test module must not import conftest)."""

from __future__ import annotations

from collections.abc import Callable

from wizard.checks import CheckContext, CheckStatus, Finding, Runner
from wizard.checks.connect import demo_profile
from wizard.connection import Profile, Secrets
from wizard.sandbox import Sandbox


def demo_target(sandbox: Sandbox) -> tuple[Profile, Secrets]:
    creds = sandbox.credentials
    profile = demo_profile(sandbox.endpoint, creds.sender_id, creds.company_id, creds.user_id)
    return profile, Secrets(creds.sender_password, creds.user_password)


MakeContext = Callable[..., CheckContext]


def diagnose(context: CheckContext) -> dict[str, Finding]:
    return {f.check: f for f in Runner(context).run_all()}


def failures(findings: dict[str, Finding]) -> dict[str, str | None]:
    return {c: f.fix_id for c, f in findings.items() if f.status is CheckStatus.FAIL}
