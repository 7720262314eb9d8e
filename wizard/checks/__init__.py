"""Diagnostic checks: each a small function from a `CheckContext` to a `Finding`.

    from wizard.checks import CheckContext, Runner
    with CheckContext(profile, secrets) as context:
        runner = Runner(context, on_finding=show)   # called as each finding completes
        findings = runner.run_all()
        again = runner.run_again("permissions")     # "Check again", dependents included

Modules: `model` (Finding, CheckStatus, PermissionGrid), `context` (CheckContext: the shared
session, request slots, cache), `registry` (ids, titles, dependencies; plain data), `builtin`
(the one list of built-in checks), `runner`, and one module per area: `sign_in`,
`permissions`, `entity_level`, `dimensions`, `accounts`, `ar_settings`, `custom_fields`,
`concurrency`. `connect` builds a context for a saved profile, typed settings or the demo
company; `text` renders findings for a terminal or a report; `choices` holds the posting
choices (and the demo's, from resources/checks/demo.toml). Qt-free.
"""

from wizard.checks.builtin import default_registry
from wizard.checks.choices import DemoChoices, load_demo_choices
from wizard.checks.context import CheckContext, SignIn
from wizard.checks.model import (
    Access,
    Cell,
    CheckStatus,
    Finding,
    GridRow,
    PermissionGrid,
    Verdict,
)
from wizard.checks.registry import Check, Registry
from wizard.checks.runner import Runner, run_checks
from wizard.connection import PostingChoices

__all__ = [
    "Access",
    "Cell",
    "Check",
    "CheckContext",
    "CheckStatus",
    "DemoChoices",
    "Finding",
    "GridRow",
    "PermissionGrid",
    "PostingChoices",
    "Registry",
    "Runner",
    "SignIn",
    "Verdict",
    "default_registry",
    "load_demo_choices",
    "run_checks",
]
