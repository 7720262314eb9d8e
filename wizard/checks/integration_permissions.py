"""Permissions for a third-party integration: exactly its needs, each tried the way it is used.

The chosen integration's file (resources/integrations/<id>.toml) lists what it needs as module ›
permission × object × operations. Each one is tried against the live company:

- list: a one-record `query` of the object (all objects in one request);
- view: a `read` of one key (a key no record has: Intacct checks the right before it looks);
- add, edit, delete: a test write inside a transaction whose last step Intacct always refuses
  (the posting trial's undo step), so nothing is kept: an empty create, an update and a delete
  of record 0. "You do not have permission" (PL04000005) proves the tick is missing. Any other
  refusal only says the permission was not the first problem, so the answer comes from
  `getUserPermissions` (Intacct's own list of the user's module › permission rights) where the
  user may read it; else the tick is reported as "could not verify", with how to look.

Each missing tick is named as module › permission (operation) with the `permission-missing` fix.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from wizard.checks.context import PERMISSION_CODES, CheckContext
from wizard.checks.model import (
    Access,
    Candidate,
    Cell,
    GridRow,
    PermissionGrid,
    Verdict,
    failed,
    passed,
    unverified,
)
from wizard.checks.posting_trial import undo_step
from wizard.gateway import GatewayError, Outcome, Status, functions
from wizard.integrations import OPERATIONS, Integration, Need

PROBE_KEY = "0"  # no Intacct record has RECORDNO 0
_WRITES: dict[str, Callable[[str], functions.Function]] = {
    "add": lambda obj: functions.create(obj, {}, control_id="probe"),
    "edit": lambda obj: functions.update(obj, {"RECORDNO": PROBE_KEY}, control_id="probe"),
    "delete": lambda obj: functions.delete(obj, [PROBE_KEY], control_id="probe"),
}


def policy_rights(ctx: CheckContext) -> dict[tuple[str, str], frozenset[str]] | None:
    """(module name, permission name) -> lower-cased rights; None when Intacct would not say."""

    def read() -> dict[tuple[str, str], frozenset[str]] | None:
        result = ctx.call(functions.get_user_permissions(ctx.profile.user_id))
        if not result.ok:
            return None
        rights: dict[tuple[str, str], set[str]] = {}
        for record in result.records:
            for key, value in record.items():
                if not key.endswith("policyName"):
                    continue
                prefix = key[: -len("policyName")]
                app_key = prefix.split("policies")[0] + "applicationName"
                module = str(record.get(app_key, ""))
                text = str(record.get(prefix + "rights", ""))
                found = rights.setdefault((module, str(value)), set())
                found.update(r.strip().lower() for r in text.split("|") if r.strip())
        return {key: frozenset(values) for key, values in rights.items()}

    return ctx.cached("policy-rights", read)


def _denied(outcome: Outcome) -> bool:
    return any(e.errorno in PERMISSION_CODES for e in outcome.errors)


def _try_write(ctx: CheckContext, obj: str, operation: str) -> Access:
    """ALLOWED when the test write was accepted (and undone), DENIED on PL04000005, else
    UNKNOWN: refused for another reason, which says nothing about the permission."""
    try:
        tried, undo = ctx.batch([_WRITES[operation](obj), undo_step()], transaction=True)
    except GatewayError:
        return Access.UNKNOWN
    if _denied(tried):
        return Access.DENIED
    if tried.result.status is Status.ABORTED and undo.result.status is Status.FAILURE:
        return Access.ALLOWED
    return Access.UNKNOWN


def _read_access(outcome: Outcome | None) -> Access:
    if outcome is None:
        return Access.UNKNOWN
    if outcome.ok:
        return Access.ALLOWED
    return Access.DENIED if _denied(outcome) else Access.UNKNOWN


def integration_permissions(ctx: CheckContext, integration: Integration) -> Verdict:
    needs = integration.needs
    lists = [
        functions.query(n.object, ["RECORDNO"], pagesize=1, control_id=f"list-{n.object}")
        for n in needs
        if "list" in n.operations
    ]
    views = [
        functions.read(n.object, [PROBE_KEY], ["RECORDNO"], control_id=f"view-{n.object}")
        for n in needs
        if "view" in n.operations
    ]
    outcomes: dict[str, Outcome] = {}
    for calls in (lists, views):
        if calls:
            outcomes.update((o.control_id, o) for o in ctx.batch(calls))
    writes = [(n.object, op) for n in needs for op in n.operations if op in _WRITES]
    with ThreadPoolExecutor(max_workers=ctx.max_in_flight) as pool:
        tried = dict(zip(writes, pool.map(lambda w: _try_write(ctx, *w), writes), strict=True))
    rights = policy_rights(ctx) if any(a is Access.UNKNOWN for a in tried.values()) else None

    rows: list[GridRow] = []
    missing: list[str] = []
    unsure: list[str] = []
    for need in needs:
        cells = []
        for operation in OPERATIONS:
            access = _access(need, operation, outcomes, tried, rights)
            is_needed = operation in need.operations
            if is_needed and access is Access.DENIED:
                missing.append(f"{need.permission.shown} ({operation}) for {need.object}")
            elif is_needed and access is Access.UNKNOWN:
                unsure.append(f"{need.permission.shown} ({operation})")
            cells.append(
                Cell(
                    access if is_needed else Access.NOT_NEEDED,
                    is_needed,
                    "permission-missing" if is_needed and access is Access.DENIED else None,
                )
            )
        rows.append(
            GridRow(
                need.object,
                need.module,
                need.permission.module_name,
                tuple(cells),
                need.permission.name,
            )
        )
    grid = PermissionGrid(OPERATIONS, tuple(rows))
    if missing:
        return failed(
            f"{integration.name} needs these ticks, which the Web Services user does not have: "
            + "; ".join(missing)
            + ".",
            ctx.fix("permission-missing"),
            grid,
        )
    if unsure:
        verdict = unverified(
            "these permissions: " + ", ".join(unsure),
            "Intacct refused each test for another reason before saying whether the user may, "
            "and the user may not list its own permissions",
            (
                Candidate(
                    "The tick is missing.",
                    "Company > Admin > Web Services users (or Roles) > Subscriptions > "
                    "Permissions: look for these ticks.",
                ),
                Candidate(
                    "The tick is there and the test was refused for its content only.",
                    "The same page shows the tick; the trial run then confirms it.",
                ),
            ),
        )
        return dataclasses.replace(verdict, grid=grid)
    count = sum(len(n.operations) for n in needs)
    return passed(
        f"The Web Services user has every permission {integration.name} needs "
        f"({count} ticks on {len(needs)} objects, each tried).",
        grid,
    )


def _access(
    need: Need,
    operation: str,
    outcomes: dict[str, Outcome],
    tried: dict[tuple[str, str], Access],
    rights: dict[tuple[str, str], frozenset[str]] | None,
) -> Access:
    if operation in ("list", "view"):
        return _read_access(outcomes.get(f"{operation}-{need.object}"))
    if operation not in need.operations:
        return Access.NOT_NEEDED
    access = tried[(need.object, operation)]
    if access is Access.UNKNOWN and rights is not None:
        granted = rights.get((need.permission.module_name, need.permission.name), frozenset())
        access = Access.ALLOWED if operation in granted else Access.DENIED
    return access
