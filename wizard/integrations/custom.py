"""An integration not in the catalogue ("Other / not listed"), built from what the admin ticked.

The admin (on the Welcome page) or a support person (`diagnose --needs`) says which objects the
integration uses and what it does with each; `custom_integration` turns that into the same
`Integration` value a catalogue file gives, so Prepare, the permission grid, the permissions
check and the trial run treat it like any other. The needs text a person types:

    GL:Accounts:list,view; AR:Customers:add
    GLACCOUNT:list,view; CUSTOMER:add,edit

Each entry is a module › permission (module code, then the permission's name as Intacct's
Permissions page shows it) or an object name, then the operations, comma-separated (or "all").
"""

from __future__ import annotations

from collections.abc import Mapping

from wizard.connection import ConnectionMethod, CustomNeeds

from .model import (
    OPERATIONS,
    READ_OPERATIONS,
    DocumentKind,
    Integration,
    Methods,
    Need,
    Permission,
    Sender,
    SuggestedUser,
)

CUSTOM_INTEGRATION_ID = "custom"
CUSTOM_SOURCE = "chosen: ticked by the admin for an integration the wizard does not list"
_DEFAULT_NAME = "Custom integration"


class CustomNeedsError(ValueError):
    """What the admin or support person gave cannot be a set of needs; the message says why."""


def custom_integration(custom: CustomNeeds, permissions: Mapping[str, Permission]) -> Integration:
    """The Integration for these ticks; CustomNeedsError names an unknown object or operation."""
    if not custom.needs:
        raise CustomNeedsError(
            "Tick at least one permission the integration needs (for example General Ledger "
            "› Accounts: list, view)."
        )
    needs: list[Need] = []
    for obj, operations in custom.needs:
        permission = permissions.get(obj)
        if permission is None:
            raise CustomNeedsError(
                f"{obj!r} is not an object the wizard knows; known objects: "
                f"{', '.join(sorted(permissions))}."
            )
        unknown = [op for op in operations if op not in OPERATIONS]
        if unknown or not operations:
            raise CustomNeedsError(
                f"{permission.shown}: operations must be among {', '.join(OPERATIONS)} "
                f"(got {', '.join(operations) or 'none'})."
            )
        ordered = tuple(op for op in OPERATIONS if op in operations)
        needs.append(Need(permission, ordered, CUSTOM_SOURCE))
    name = custom.name.strip() or _DEFAULT_NAME
    sender = custom.sender_id.strip()
    return Integration(
        id=CUSTOM_INTEGRATION_ID,
        name=name,
        vendor=custom.name.strip() or "the integration's vendor",
        sender=Sender((sender,) if sender else (), "exactly as the vendor gives it", CUSTOM_SOURCE),
        user=SuggestedUser("xmlgateway_integration", "Business", "Full", CUSTOM_SOURCE),
        needs=tuple(needs),
        reads=tuple(n.object for n in needs if READ_OPERATIONS & set(n.operations)),
        writes=tuple(
            DocumentKind(n.permission.name.lower(), n.object, CUSTOM_SOURCE)
            for n in needs
            if "add" in n.operations
        ),
        origin="the admin's ticks",
        # An integration the wizard does not list may sign in either way: the admin chooses.
        methods=Methods((ConnectionMethod.XML, ConnectionMethod.REST), CUSTOM_SOURCE),
    )


def parse_needs(text: str, permissions: Mapping[str, Permission]) -> CustomNeeds:
    """`GL:Accounts:list,view; AR:Customers:add` (or object names) as CustomNeeds.

    CustomNeedsError names the entry that is wrong and shows the form."""
    form = "MODULE:Permission:operations; ... (e.g. GL:Accounts:list,view; AR:Customers:add)"
    by_object = {name.upper(): name for name in permissions}
    by_shown: dict[tuple[str, str], list[str]] = {}
    for name, permission in permissions.items():
        key = (permission.module.upper(), permission.name.casefold())
        by_shown.setdefault(key, []).append(name)
    wanted: dict[str, set[str]] = {}
    entries = [e.strip() for e in text.replace("\n", ";").split(";") if e.strip()]
    if not entries:
        raise CustomNeedsError(f"Say what the integration needs: {form}.")
    for entry in entries:
        what, colon, ops_text = entry.rpartition(":")
        if not colon or not what.strip():
            raise CustomNeedsError(f"{entry!r} has no operations; write it as {form}.")
        ops = [o.strip().lower() for o in ops_text.split(",") if o.strip()]
        if ops == ["all"]:
            ops = list(OPERATIONS)
        unknown = [o for o in ops if o not in OPERATIONS]
        if unknown or not ops:
            raise CustomNeedsError(
                f"{entry!r}: {', '.join(unknown) or 'no operation'} is not an operation; use "
                f"{', '.join(OPERATIONS)} or all."
            )
        module, colon, permission_name = what.partition(":")
        if colon:
            objects = by_shown.get((module.strip().upper(), permission_name.strip().casefold()))
            if not objects:
                known = sorted(f"{p.module}:{p.name}" for p in permissions.values())
                raise CustomNeedsError(
                    f"{entry!r}: there is no permission {permission_name.strip()!r} in module "
                    f"{module.strip()!r}. Known: {', '.join(known)}."
                )
        else:
            obj = by_object.get(what.strip().upper())
            if obj is None:
                raise CustomNeedsError(
                    f"{entry!r}: {what.strip()!r} is not an object the wizard knows; write "
                    "MODULE:Permission (e.g. GL:Accounts) or one of "
                    f"{', '.join(sorted(by_object))}."
                )
            objects = [obj]
        for obj in objects:
            wanted.setdefault(obj, set()).update(ops)
    return CustomNeeds(
        needs=tuple(
            (obj, tuple(op for op in OPERATIONS if op in ops)) for obj, ops in wanted.items()
        )
    )
