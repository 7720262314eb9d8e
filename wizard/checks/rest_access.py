"""Checks of what the REST connection may reach: the entity, objects, dimensions, accounts.

The entity check proves the entity header is applied: Intacct ignores a header name it does
not know and answers with top-level data (reference intacct-rest-api.md §1.3), so "no error"
is not evidence; fewer records under the header than at the top level is.
"""

from __future__ import annotations

from wizard.checks.model import Verdict, failed, not_applicable, passed, warned
from wizard.checks.registry import Check
from wizard.checks.rest_context import rest_context
from wizard.redaction import redact
from wizard.rest import RestError

# An object whose records belong to entities, to see the entity header narrow a read.
ENTITY_SCOPED_OBJECT = "accounts-receivable/invoice"

# What the wizard's sync reads and writes over REST: object -> (what it is, writes it).
NEEDED_OBJECTS: dict[str, tuple[str, bool]] = {
    "accounts-receivable/customer": ("customers", True),
    "accounts-receivable/invoice": ("AR invoices", True),
    "general-ledger/account": ("GL accounts", False),
    "cash-management/checking-account": ("bank (checking) accounts", False),
    "company-config/location": ("locations", False),
    "company-config/department": ("departments", False),
}


def rest_entity(ctx: object) -> Verdict:
    rest = rest_context(ctx)
    entity = rest.profile.entity_id
    if not entity:
        return passed("The connection works at the top level of the company (no entity).")
    client = rest.new_rest_client(entity_id=entity)
    rest.share_token(client)
    try:
        with rest.slot():
            scoped = client.count(ENTITY_SCOPED_OBJECT)
        with rest.slot():
            top = rest.rest.count(ENTITY_SCOPED_OBJECT)
    except RestError as error:
        fix = rest.fix("entity-access") if error.http_status == 403 else rest.match(error)
        return failed(f"With the entity {entity}, Intacct answered: {redact(str(error))}", fix)
    finally:
        client.close()
    if scoped < top:
        return passed(
            f"Intacct applies the entity header: {scoped} of the company's {top} AR invoices "
            f"belong to {entity}."
        )
    return warned(
        f"Could not verify that the entity header is applied: with {entity} Intacct shows "
        f"the same {top} AR invoices as at the top level. Either every invoice belongs to "
        f"{entity}, or the header is ignored (Intacct ignores a header name it does not know "
        "and answers with top-level data). To tell them apart, compare in Intacct: switch to "
        f"{entity} and look at Accounts Receivable > Invoices."
    )


def rest_permissions(ctx: object) -> Verdict:
    rest = rest_context(ctx)
    denied: list[str] = []
    for object_name, (label, writes) in NEEDED_OBJECTS.items():
        try:
            with rest.slot():
                rows = list(rest.rest.query(object_name, ["key"], limit=1))
                # The list right: one row read; the write right: allowed-operations on it.
        except RestError as error:
            if error.http_status != 403:
                raise
            denied.append(f"list {label}")
            continue
        if writes and rows:
            key = str(rows[0].get("key", ""))
            with rest.slot():
                allowed = rest.rest.allowed_operations(object_name, [key], ["canView", "canEdit"])
            if "canEdit" not in allowed.get(key, frozenset()):
                denied.append(f"change {label}")
    if denied:
        return failed(
            "The integration's user may not " + ", ".join(denied) + " (Intacct answered 403 "
            "or left the operation out of the allowed operations).",
            rest.fix("permission-missing"),
        )
    return passed(
        "The integration's user may read every object the sync uses and change customers and "
        "AR invoices."
    )


def rest_dimensions(ctx: object) -> Verdict:
    rest = rest_context(ctx)
    with rest.slot():
        dimensions = rest.rest.dimensions()
    unreadable: list[str] = []
    for row in dimensions:
        endpoint = str(row.get("dimensionEndpoint", ""))
        if not row.get("isUserDefinedDimension") or not endpoint.startswith("/objects/"):
            continue
        try:
            with rest.slot():
                rest.rest.count(endpoint.removeprefix("/objects/"))
        except RestError as error:
            if error.http_status != 403:
                raise
            unreadable.append(str(row.get("dimensionLabel") or row.get("dimensionName")))
    if unreadable:
        return failed(
            f"The integration's user may not read the values of: {', '.join(unreadable)}.",
            rest.fix("udd-values-unavailable"),
        )
    return passed(f"Intacct lists {len(dimensions)} dimensions and their values can be read.")


def rest_accounts(ctx: object) -> Verdict:
    rest = rest_context(ctx)
    wanted = rest.posting.gl_accounts
    if not wanted:
        return not_applicable("Skipped: no GL accounts are mapped yet.")
    with rest.slot():
        rows = list(
            rest.rest.query(
                "general-ledger/account", ["id", "name", "status"], [{"$in": {"id": list(wanted)}}]
            )
        )
    found = {str(r.get("id")): r for r in rows}
    missing = [a for a in wanted if a not in found]
    if missing:
        return failed(
            f"GL account(s) {', '.join(missing)} are not in Intacct's chart of accounts.",
            rest.fix("chart-of-accounts-not-syncing"),
        )
    inactive = [a for a in wanted if str(found[a].get("status", "active")) != "active"]
    if inactive:
        names = ", ".join(f"{a} ({found[a].get('name', '')})" for a in inactive)
        return failed(f"Mapped GL account(s) are inactive: {names}.", rest.fix("record-inactive"))
    return passed(f"The {len(wanted)} mapped GL accounts are in Intacct and active.")


CHECKS = (
    Check(
        "rest-entity",
        "The entity, and the entity header applied",
        rest_entity,
        depends_on=("rest-token-accepted",),
    ),
    Check(
        "rest-permissions",
        "Permissions for each object the sync uses",
        rest_permissions,
        depends_on=("rest-token-accepted",),
    ),
    Check(
        "rest-dimensions",
        "Dimensions and their values",
        rest_dimensions,
        depends_on=("rest-permissions",),
    ),
    Check("rest-accounts", "Mapped GL accounts", rest_accounts, depends_on=("rest-permissions",)),
)
