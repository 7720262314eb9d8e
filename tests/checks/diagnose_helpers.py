"""Helpers for the checks tests (imported by name: a test module must not import conftest)."""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Callable
from typing import Any

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


def typed_diagnose_args(sandbox: Sandbox, *extra: str) -> list[str]:
    """`intacct-wizard diagnose` with the sandbox's settings typed on the command line (the
    passwords go in the environment: see `diagnose_typed`)."""
    creds = sandbox.credentials
    return [
        "diagnose",
        "--endpoint",
        sandbox.endpoint,
        "--sender-id",
        creds.sender_id,
        "--company-id",
        creds.company_id,
        "--user-id",
        creds.user_id,
        *extra,
    ]


def diagnose_typed(sandbox: Sandbox, *extra: str) -> tuple[int, dict[str, Any]]:
    """Run `diagnose --json` on the sandbox with typed settings and the passwords in the
    environment variables: (exit status, the JSON answer)."""
    from wizard import cli

    creds = sandbox.credentials
    saved = {name: os.environ.get(name) for name in _PASSWORD_VARIABLES}
    os.environ["INTACCT_SENDER_PASSWORD"] = creds.sender_password
    os.environ["INTACCT_USER_PASSWORD"] = creds.user_password
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            status = cli.main(typed_diagnose_args(sandbox, "--json", *extra))
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return status, json.loads(out.getvalue())


_PASSWORD_VARIABLES = ("INTACCT_SENDER_PASSWORD", "INTACCT_USER_PASSWORD")
