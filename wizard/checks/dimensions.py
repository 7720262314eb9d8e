"""Every mapped dimension and every user-defined dimension returns values."""

from __future__ import annotations

from wizard.checks.context import CheckContext
from wizard.checks.flat import repeated
from wizard.checks.model import Verdict, failed, passed
from wizard.checks.registry import Check
from wizard.gateway import ErrorLevel, GatewayError, functions

# Standard dimensions: the object to read and its ID field.
STANDARD = {
    "DEPARTMENT": "DEPARTMENTID",
    "LOCATION": "LOCATIONID",
    "CLASS": "CLASSID",
    "PROJECT": "PROJECTID",
    "CUSTOMER": "CUSTOMERID",
    "VENDOR": "VENDORID",
    "EMPLOYEE": "EMPLOYEEID",
    "ITEM": "ITEMID",
    "WAREHOUSE": "WAREHOUSEID",
}


def company_dimensions(ctx: CheckContext) -> list[dict[str, str]]:
    def read() -> list[dict[str, str]]:
        result = ctx.call(functions.get_dimensions())
        result.raise_for_status()
        found: list[dict[str, str]] = []
        for record in result.records:
            found.extend(repeated(record, "dimensions.dimension") or repeated(record, "dimension"))
        return found

    return ctx.cached("dimensions", read)


def dimensions(ctx: CheckContext) -> Verdict:
    known = company_dimensions(ctx)
    by_name = {d.get("objectName", "").upper(): d for d in known}
    udds = {d.get("objectName", "") for d in known if d.get("userDefinedDimension") == "true"}
    mapped = {intacct for _, intacct in ctx.profile.mappings.dimensions}
    missing = sorted(m for m in mapped if m.upper() not in by_name)
    wanted = sorted({*mapped, *udds} - set(missing), key=str.upper)
    calls = []
    for name in wanted:
        field = STANDARD.get(name.upper(), "id" if name in udds else "RECORDNO")
        calls.append(functions.query(name, [field], pagesize=1, control_id=f"dim-{name}"))
    outcomes = ctx.batch(calls) if calls else []
    empty, refused = [], []
    first_refusal: GatewayError | None = None
    for name, outcome in zip(wanted, outcomes, strict=True):
        if not outcome.ok:
            refused.append(name)
            if first_refusal is None:
                first_refusal = GatewayError(ErrorLevel.RESULT, name, outcome.errors)
        elif not outcome.result.records:
            empty.append(name)
    for label, value, dimension in (
        ("default location", ctx.profile.mappings.default_location, "LOCATION"),
        ("default department", ctx.profile.mappings.default_department, "DEPARTMENT"),
    ):
        if value:
            field = STANDARD[dimension]
            rows = ctx.records(dimension, [field])
            if value not in {r.get(field) for r in rows}:
                return failed(
                    f"The {label} {value!r} is not a {dimension.lower()} in Intacct.",
                    ctx.fix("reference-not-found"),
                )
    if refused:
        assert first_refusal is not None
        udd_refused = [n for n in refused if n in udds]
        fix = ctx.match(
            first_refusal, level=ErrorLevel.RESULT, situation={"udd"} if udd_refused else set()
        )
        return failed(
            f"The Web Services user cannot read the values of: {', '.join(refused)}.", fix
        )
    if missing:
        return failed(
            f"Mapped dimension(s) {', '.join(missing)} do not exist in the company "
            f"(it has {', '.join(sorted(by_name))}).",
            ctx.fix("reference-not-found"),
        )
    if empty:
        return failed(
            f"These dimensions have no values yet: {', '.join(empty)}.",
            ctx.fix("reference-not-found"),
        )
    return passed(f"Every mapped and user-defined dimension returns values ({', '.join(wanted)}).")


CHECKS = (
    Check(
        "dimensions",
        "Every mapped and user-defined dimension returns values",
        dimensions,
        ("session-entity",),
    ),
)
