"""The module settings a third-party integration depends on (its file's [[setting]] list).

Each setting names the check that reads it, where Intacct reports it; those checks run in the
diagnosis and settle it. Where Intacct does not report a setting through Web Services (BILL's
AP summary frequency, its vendor numbering), the finding says "could not verify" and where the
admin looks.
"""

from __future__ import annotations

from wizard.checks.context import CheckContext
from wizard.checks.model import Candidate, Verdict, not_applicable, passed, unverified
from wizard.checks.registry import Check


def module_settings(ctx: CheckContext) -> Verdict:
    integration = ctx.integration
    if not integration.settings:
        return not_applicable(f"{integration.name} names no module settings of its own.")
    unread = [s for s in integration.settings if not s.check]
    checked = [s for s in integration.settings if s.check]
    if not unread:
        names = ", ".join(s.name for s in checked)
        return passed(f"Each setting {integration.name} depends on ({names}) is checked above.")
    return unverified(
        ", ".join(f"{s.name} ({s.value})" for s in unread),
        "Intacct does not report these through Web Services",
        [Candidate(f"{s.name} is not {s.value}.", s.how) for s in unread],
        ("The other settings are checked above: " + ", ".join(s.name for s in checked) + ".")
        if checked
        else "",
    )


CHECKS = (
    Check(
        "module-settings",
        "The module settings the integration depends on",
        module_settings,
        ("session-entity",),
        needs_choices=True,
    ),
)
