"""The trial run for a third-party integration: what it will do, done once and undone.

Instead of this wizard's own first sync, the last step for Expensify, BILL and the others
reads every object the integration reads (one record each) and tries to add each kind of
document it writes, inside a transaction Intacct always undoes (the posting trial's undo step),
so nothing is kept. Each outcome carries its fix. The run ends with "Your <vendor> connection
is ready" or the list of fixes.

The test document is empty: the vendor fills in its content, not the wizard. Intacct checks the
user's right to add before it reads the fields, so an empty document refused only for its
content shows the user may add it; that is confirmed with Intacct's own list of the user's
rights (getUserPermissions) where the user may read it, else the outcome is "could not verify".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from wizard.checks.context import PERMISSION_CODES, CheckContext
from wizard.checks.integration_permissions import policy_rights
from wizard.checks.posting_trial import undo_step
from wizard.fixes import Fix, MatchContext
from wizard.gateway import ErrorLevel, GatewayError, Status, functions
from wizard.integrations import Integration


class TrialStatus(enum.StrEnum):
    OK = "ok"
    REFUSED = "refused"
    UNVERIFIED = "could not verify"


@dataclass(frozen=True, slots=True)
class TrialOutcome:
    what: str  # "read vendors", "add expense reports"
    status: TrialStatus
    evidence: str
    fix: Fix | None = None


@dataclass(frozen=True, slots=True)
class TrialReport:
    integration: Integration
    outcomes: tuple[TrialOutcome, ...]

    @property
    def ready(self) -> bool:
        return all(o.status is TrialStatus.OK for o in self.outcomes)

    @property
    def fixes(self) -> tuple[Fix, ...]:
        seen: dict[str, Fix] = {}
        for outcome in self.outcomes:
            if outcome.fix is not None:
                seen.setdefault(outcome.fix.id, outcome.fix)
        return tuple(seen.values())

    @property
    def summary(self) -> str:
        if self.ready:
            return f"Your {self.integration.name} connection is ready."
        refused = sum(o.status is TrialStatus.REFUSED for o in self.outcomes)
        unsure = sum(o.status is TrialStatus.UNVERIFIED for o in self.outcomes)
        parts = []
        if refused:
            parts.append(f"{refused} refused")
        if unsure:
            parts.append(f"{unsure} could not be verified")
        return (
            f"Not ready for {self.integration.name} yet: {' and '.join(parts)}. "
            "Apply the fixes below, then run the trial again."
        )


def _read(ctx: CheckContext, integration: Integration, obj: str) -> TrialOutcome:
    label = integration.need_for(obj).permission.name.lower()
    what = f"read {label}"
    result = ctx.call(functions.query(obj, ["RECORDNO"], pagesize=1))
    if result.ok:
        return TrialOutcome(what, TrialStatus.OK, "Intacct let the user read them.")
    error = GatewayError(ErrorLevel.RESULT, f"Reading {label}", result.errors)
    where = MatchContext(level=ErrorLevel.RESULT, function="query", object=obj)
    fix = ctx.catalogue.match(error, where)
    if any(e.errorno in PERMISSION_CODES for e in result.errors):
        fix = ctx.fix("permission-missing")
    return TrialOutcome(what, TrialStatus.REFUSED, str(error), fix)


def _write(ctx: CheckContext, integration: Integration, name: str, obj: str) -> TrialOutcome:
    need = integration.need_for(obj)
    what = f"add {name}"
    try:
        tried, undo = ctx.batch(
            [functions.create(obj, {}, control_id="trial"), undo_step()], transaction=True
        )
    except GatewayError as error:
        return TrialOutcome(what, TrialStatus.UNVERIFIED, str(error), ctx.match(error))
    if tried.result.status is Status.ABORTED and undo.result.status is Status.FAILURE:
        return TrialOutcome(what, TrialStatus.OK, "Intacct accepted the test and undid it.")
    if any(e.errorno in PERMISSION_CODES for e in tried.errors):
        shown = f"{need.permission.shown} (add)"
        return TrialOutcome(
            what,
            TrialStatus.REFUSED,
            f"Intacct refused: the user lacks {shown}.",
            ctx.fix("permission-missing"),
        )
    rights = policy_rights(ctx)
    if rights is not None:
        granted = rights.get((need.permission.module_name, need.permission.name), frozenset())
        if "add" in granted:
            return TrialOutcome(
                what,
                TrialStatus.OK,
                f"Intacct let the user add {name}: the empty test was refused only for its "
                f"content and undone, and the user holds {need.permission.shown} (add).",
            )
        return TrialOutcome(
            what,
            TrialStatus.REFUSED,
            f"Intacct lists no add right on {need.permission.shown} for the user.",
            ctx.fix("permission-missing"),
        )
    return TrialOutcome(
        what,
        TrialStatus.UNVERIFIED,
        "Intacct refused the empty test for its content, and the user may not list its own "
        f"permissions: look for {need.permission.shown} (add) on the user's Permissions page.",
    )


def trial_run(ctx: CheckContext, integration: Integration | None = None) -> TrialReport:
    """Read every object the integration reads and try each document kind it writes."""
    integration = integration or ctx.integration
    outcomes = [_read(ctx, integration, obj) for obj in integration.reads]
    outcomes += [_write(ctx, integration, w.name, w.object) for w in integration.writes]
    return TrialReport(integration, tuple(outcomes))
