"""Module subscriptions and per-object permissions for every object the chosen flows need.

Reads are probed with the cheapest call there is (a one-record `query` per object, all in one
request); writes cannot be tried without writing, so they come from `getUserPermissions` (the
module's rights) where the user may call it, and are "unknown" where not. The result is a
`PermissionGrid` the GUI shows as a table.
"""

from __future__ import annotations

from wizard.checks.context import PERMISSION_CODES, CheckContext
from wizard.checks.integration_permissions import integration_permissions, policy_rights
from wizard.checks.model import (
    Access,
    Cell,
    GridRow,
    PermissionGrid,
    Verdict,
    failed,
    passed,
    warned,
)
from wizard.checks.registry import Check
from wizard.gateway import ErrorLevel, GatewayError, functions
from wizard.sync.flows import FlowCatalogue

COLUMNS = ("read", "create", "update", "delete")
_READS = frozenset({"read", "readByQuery", "query"})
_RIGHT_FOR = {"create": "add", "update": "edit", "delete": "delete"}


def _needs(catalogue: FlowCatalogue, flows: tuple[str, ...]) -> dict[str, tuple[str, set[str]]]:
    """object -> (module, needed columns)."""
    needed: dict[str, tuple[str, set[str]]] = {}
    for flow_id in flows:
        for use in catalogue[flow_id].uses:
            if not use.object:
                continue
            _, columns = needed.setdefault(use.object, (use.module, set()))
            for operation in use.operations:
                columns.add("read" if operation in _READS else operation)
    return needed


def module_rights(ctx: CheckContext) -> dict[str, frozenset[str]] | None:
    """Module name (as Intacct shows it) -> lower-cased rights, or None if not allowed."""

    def read() -> dict[str, frozenset[str]] | None:
        result = ctx.call(functions.get_user_permissions(ctx.profile.user_id))
        if not result.ok:
            return None
        rights: dict[str, set[str]] = {}
        for record in result.records:
            for key, value in record.items():
                if key.endswith("applicationName"):
                    prefix = key[: -len("applicationName")]
                    policy_rights = {
                        v.split(".")[-1]: text
                        for v, text in record.items()
                        if v.startswith(prefix) and v.endswith("rights")
                    }
                    found = rights.setdefault(value, set())
                    for text in policy_rights.values():
                        found.update(r.strip().lower() for r in text.split("|") if r.strip())
        return {name: frozenset(values) for name, values in rights.items()}

    return ctx.cached("user-permissions", read)


def _permission_name(ctx: CheckContext, object_name: str) -> str:
    """The module › permission that guards the object, where this-program.toml names it."""
    try:
        return ctx.integration.need_for(object_name).permission.name
    except KeyError:
        return ""


def _granted(
    rights: dict[str, frozenset[str]],
    policies: dict[tuple[str, str], frozenset[str]] | None,
    module_name: str,
    permission: str,
) -> frozenset[str] | None:
    """The rights on the object's own permission where Intacct lists them per permission;
    else the module's (None: the user has no rights in the module)."""
    if permission and policies is not None:
        own = policies.get((module_name, permission))
        if own is not None:
            return own
        listed = {name for module, name in policies if module == module_name}
        if listed - {module_name}:
            return frozenset()  # the module's permissions are listed, this one is not ticked
    return rights.get(module_name)


def permissions(ctx: CheckContext) -> Verdict:
    integration = ctx.integration
    if not integration.is_own:
        return integration_permissions(ctx, integration)
    catalogue = ctx.flow_catalogue
    needed = _needs(catalogue, ctx.flows)
    objects = sorted(
        needed,
        key=lambda o: (
            list(catalogue.modules).index(needed[o][0])
            if needed[o][0] in catalogue.modules
            else 99,
            o,
        ),
    )
    probes = [functions.query(o, ["RECORDNO"], pagesize=1, control_id=o) for o in objects]
    outcomes = {o.control_id: o for o in ctx.batch(probes)} if probes else {}
    rights = module_rights(ctx)
    policies = policy_rights(ctx) if rights is not None else None
    rows: list[GridRow] = []
    problems: list[str] = []
    unknown_writes: list[str] = []
    first_error: GatewayError | None = None
    for name in objects:
        module, columns = needed[name]
        module_name = catalogue.modules.get(module, module)
        permission = _permission_name(ctx, name)
        outcome = outcomes[name]
        cells = []
        for column in COLUMNS:
            is_needed = column in columns
            if column == "read":
                if outcome.ok:
                    access = Access.ALLOWED
                elif any(e.errorno in PERMISSION_CODES for e in outcome.errors):
                    access = Access.DENIED
                else:
                    access = Access.UNKNOWN
            elif rights is None:
                access = Access.UNKNOWN
            else:
                granted = _granted(rights, policies, module_name, permission)
                if granted is None:
                    access = Access.DENIED
                else:
                    allowed = _RIGHT_FOR[column] in granted
                    access = Access.ALLOWED if allowed else Access.DENIED
            if not is_needed and access is Access.UNKNOWN:
                access = Access.NOT_NEEDED
            fix_id = "permission-missing" if is_needed and access is Access.DENIED else None
            cells.append(Cell(access, is_needed, fix_id))
            if is_needed and access is Access.DENIED:
                shown = f"{module_name} › {permission}" if permission else module_name
                problems.append(f"{column} {name} ({shown})")
                if first_error is None and column == "read" and outcome.errors:
                    first_error = GatewayError(ErrorLevel.RESULT, name, outcome.errors)
            elif is_needed and access is Access.UNKNOWN:
                unknown_writes.append(f"{column} {name}")
        rows.append(GridRow(name, module, module_name, tuple(cells), permission))
    grid = PermissionGrid(COLUMNS, tuple(rows))
    if problems:
        fix = (
            ctx.match(first_error, level=ErrorLevel.RESULT)
            if first_error is not None
            else ctx.fix("permission-missing")
        )
        if fix.id != "permission-missing":
            fix = ctx.fix("permission-missing")
        return failed("The Web Services user may not: " + "; ".join(problems) + ".", fix, grid)
    if unknown_writes:
        return warned(
            "Every object the sync reads can be read. Whether the user may "
            + ", ".join(unknown_writes)
            + " could not be confirmed (the user may not list its own permissions); "
            "the first sync will show it.",
            None,
            grid,
        )
    return passed(
        f"The Web Services user has what the chosen flows need on {len(objects)} objects.", grid
    )


CHECKS = (
    Check(
        "permissions",
        "The Web Services user has the permissions the sync needs",
        permissions,
        ("session-entity",),
    ),
)
