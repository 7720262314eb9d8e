"""The custom fields the mappings refer to exist on the objects the sync writes (lookup)."""

from __future__ import annotations

from wizard.checks.context import CheckContext
from wizard.checks.model import Verdict, failed, passed
from wizard.checks.registry import Check
from wizard.gateway import functions
from wizard.sync.flows import Direction


def object_fields(ctx: CheckContext, object_name: str) -> frozenset[str] | None:
    """The field IDs `lookup` lists for an object (None when the lookup failed)."""

    def read() -> frozenset[str] | None:
        result = ctx.call(functions.lookup(object_name))
        if not result.ok:
            return None
        return frozenset(
            value.upper()
            for record in result.records
            for key, value in record.items()
            if key.split(".")[-1] == "ID" and "Field" in key
        )

    return ctx.cached(f"lookup:{object_name}", read)


def custom_fields(ctx: CheckContext) -> Verdict:
    mapped = [intacct for _, intacct in ctx.profile.mappings.custom_fields]
    if not mapped:
        return passed("No custom fields are mapped.")
    catalogue = ctx.flow_catalogue
    written = sorted(
        {
            use.object
            for flow_id in ctx.flows
            if catalogue[flow_id].direction is Direction.PUSH
            for use in catalogue[flow_id].uses
            if use.object and {"create", "update"} & set(use.operations)
        }
    )
    found: dict[str, list[str]] = {name: [] for name in mapped}
    for object_name in written:
        fields = object_fields(ctx, object_name)
        for name in mapped:
            if fields is not None and name.upper() in fields:
                found[name].append(object_name)
    absent = [name for name, where in found.items() if not where]
    if absent:
        return failed(
            f"Custom field(s) {', '.join(absent)} were not found on any object the sync "
            f"writes ({', '.join(written)}).",
            ctx.fix("field-not-found"),
        )
    return passed(
        "Every mapped custom field exists: "
        + "; ".join(f"{n} on {', '.join(w)}" for n, w in found.items())
        + "."
    )


CHECKS = (
    Check(
        "custom-fields",
        "The custom fields the mappings use exist in Intacct",
        custom_fields,
        ("session-entity",),
        needs_choices=True,
    ),
)
