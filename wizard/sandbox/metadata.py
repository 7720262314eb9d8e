"""Company and metadata functions: lookup, inspect, getDimensions, getUserPermissions,
get_companyprefs, getFinancialSetup, get_applications, readEntityDetails."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from wizard.sandbox import messages
from wizard.sandbox.company import OBJECT_RIGHTS, RIGHTS
from wizard.sandbox.context import Context
from wizard.sandbox.data import load_toml, require
from wizard.sandbox.errors import SandboxDataError
from wizard.sandbox.render import element
from wizard.sandbox.scenarios import SCENARIOS

_MODULE_NAMES = {
    "AR": "Accounts Receivable",
    "GL": "General Ledger",
    "CM": "Cash Management",
    "OE": "Order Entry",
    "CO": "Company",
    "AP": "Accounts Payable",
    "EE": "Time & Expenses",
    "PLATFORM": "Platform Services",
}


@dataclass(frozen=True)
class Preference:
    """One preference get_companyprefs answers with (resources/sandbox/preferences.toml)."""

    application: str
    name: str
    table: str  # company.toml table holding the value, e.g. "ar_config"
    key: str
    chosen: bool  # no public source gives the name: the strict sandbox leaves it out


def load_preferences(folder: Path | None = None) -> tuple[Preference, ...]:
    entries = require(load_toml("preferences.toml", folder), "preference", list, "preferences.toml")
    found = []
    for number, entry in enumerate(entries, 1):
        where = f"preferences.toml [[preference]] number {number}"
        value = require(entry, "value", str, where)
        table, _, key = value.partition(".")
        if table not in ("ar_config", "financial_setup") or not key:
            raise SandboxDataError(
                f"{where}: value must be 'ar_config.<key>' or 'financial_setup.<key>'."
            )
        require(entry, "source", str, where)
        found.append(
            Preference(
                application=require(entry, "application", str, where).upper(),
                name=require(entry, "name", str, where),
                table=table,
                key=key,
                chosen=bool(entry.get("chosen", False)),
            )
        )
    return tuple(found)


PREFERENCES = load_preferences()


def _field_xml(ctx: Context, name: str, spec_name: str) -> str:
    spec = ctx.company.specs[spec_name]
    kind = (
        "DECIMAL"
        if name in spec.numbers
        else "DATE"
        if name in spec.dates
        else "TIMESTAMP"
        if name in spec.datetimes
        else "TEXT"
    )
    return (
        "<Field>"
        + element("ID", name)
        + element("LABEL", name.replace("_", " ").title())
        + element("DESCRIPTION", "")
        + element("REQUIRED", "true" if name == spec.id_field else "false")
        + element("READONLY", "true" if name in ("RECORDNO", "WHENMODIFIED") else "false")
        + element("DATATYPE", kind)
        + element("ISCUSTOM", "true" if name == "SYNC_REF" else "false")
        + "</Field>"
    )


def _visible_fields(ctx: Context, spec_name: str) -> list[str]:
    hidden = ctx.hidden_fields()
    return [f for f in ctx.company.specs[spec_name].fields if f not in hidden]


def lookup(ctx: Context, body: etree._Element) -> str:
    spec = ctx.spec((body.findtext("object") or "").strip())
    fields = "".join(_field_xml(ctx, f, spec.name) for f in _visible_fields(ctx, spec.name))
    return (
        f'<data listtype="All" count="1"><Type Name="{spec.name}" DocumentType="">'
        f"<Fields>{fields}</Fields><Relationships></Relationships></Type></data>"
    )


def inspect(ctx: Context, body: etree._Element) -> str:
    name = (body.findtext("object") or "").strip()
    if name == "*":
        types = "".join(
            f'<type typename="{s.name}">{s.label}</type>' for s in ctx.company.specs.values()
        )
        return f'<data listtype="All" count="{len(ctx.company.specs)}">{types}</data>'
    spec = ctx.spec(name)
    fields = _visible_fields(ctx, spec.name)
    if body.get("detail") == "1":
        inner = "".join(
            "<Field>"
            + element("Name", f)
            + element("dataName", f)
            + element("isRequired", "true" if f == spec.id_field else "false")
            + element("isReadOnly", "true" if f in ("RECORDNO", "WHENMODIFIED") else "false")
            + element("DisplayLabel", f.replace("_", " ").title())
            + "</Field>"
            for f in fields
        )
    else:
        inner = "".join(element("Field", f) for f in fields)
    return (
        f'<data listtype="All" count="1"><Type Name="{spec.name}">'
        f"<Fields>{inner}</Fields></Type></data>"
    )


def get_dimensions(ctx: Context, body: etree._Element) -> str:
    standard = [
        ("DEPARTMENT", "Department", False),
        ("LOCATION", "Location", False),
        ("CLASS", "Class", False),
        ("PROJECT", "Project", False),
        ("CUSTOMER", "Customer", False),
    ] + [(u.object, u.label, True) for u in ctx.company.udds]
    dims = "".join(
        "<dimension>"
        + element("objectName", name)
        + element("objectLabel", label)
        + element("termLabel", label)
        + element("userDefinedDimension", "true" if udd else "false")
        + element("enabledInGL", "true")
        + "</dimension>"
        for name, label, udd in standard
    )
    return f"<data><dimensions>{dims}</dimensions></data>"


def effective_subscriptions(ctx: Context) -> dict[str, str]:
    out = {}
    for module, right in ctx.company.subscriptions.items():
        scenario = f"no-permission-{module.lower()}"
        if scenario in SCENARIOS and ctx.on(scenario):
            continue
        out[module] = right
    return out


def _per_object_policies(ctx: Context, granted: dict[str, frozenset[str]]) -> str:
    """One appSubscription per module the user has a right in, one policy per permission."""
    by_module: dict[str, list[str]] = {}
    for name in sorted(granted):
        rights = [r for r in OBJECT_RIGHTS if r in granted[name]]
        spec = ctx.company.specs[name]
        scenario = f"no-permission-{spec.module.lower()}"
        if not rights or (scenario in SCENARIOS and ctx.on(scenario)):
            continue
        by_module.setdefault(spec.module, []).append(
            "<policy>"
            + element("policyName", spec.permission)
            + element("rights", "|".join(r.capitalize() for r in rights))
            + "</policy>"
        )
    return "".join(
        "<appSubscription>"
        + element("applicationName", _MODULE_NAMES.get(module, module))
        + "<policies>"
        + "".join(policies)
        + "</policies></appSubscription>"
        for module, policies in by_module.items()
    )


def get_user_permissions(ctx: Context, body: etree._Element) -> str:
    user = (body.findtext("userId") or "").strip()
    if user.lower() != ctx.company.user_id.lower():
        raise messages.fail("invalid_reference", what="user", value=user)
    granted = ctx.company.user_permissions
    if granted is None:
        # Module subscriptions (company.toml): every permission of a subscribed module gets the
        # module's rights, as ticking All or Read only on its Permissions page does.
        subscribed = effective_subscriptions(ctx)
        granted = {
            name: frozenset(RIGHTS[subscribed[spec.module]].lower().split("|"))
            for name, spec in ctx.company.specs.items()
            if spec.module in subscribed
        }
    return f"<data><permissions>{_per_object_policies(ctx, granted)}</permissions></data>"


def get_companyprefs(ctx: Context, body: etree._Element) -> str:
    application = (body.get("application") or body.findtext("application") or "").upper()
    ar_config = dict(ctx.company.ar_config)
    if ctx.on("payment-summary-user-specified"):
        ar_config["payment_summary_frequency"] = "User specified"
    tables = {"ar_config": ar_config, "financial_setup": ctx.company.financial_setup}
    items = "".join(
        "<companypref>"
        + element("application", pref.application)
        + element("preference", pref.name)
        + element("prefvalue", str(tables[pref.table][pref.key]))
        + "</companypref>"
        for pref in PREFERENCES
        if application in ("", pref.application)
        and pref.key in tables[pref.table]
        and not (pref.chosen and ctx.strict)
    )
    return f"<data>{items}</data>"


def get_financial_setup(ctx: Context, body: etree._Element) -> str:
    setup = ctx.company.financial_setup

    def flag(key: str) -> str:
        return "true" if setup.get(key) else "false"

    return (
        "<data><financialSetup>"
        + element(
            "baseCurrency", "" if setup.get("multi_base_currency") else ctx.company.base_currency
        )
        + element("defaultBook", setup.get("default_book", "ACCRUAL"))
        + element("firstFiscalMonth", setup.get("first_fiscal_month", "January"))
        + element("multiBaseCurrency", flag("multi_base_currency"))
        + element("multiBook", "false")
        + element("multiCurrency", flag("multi_currency"))
        + element("multiEntityShared", flag("multi_entity_shared"))
        + "</financialSetup></data>"
    )


def get_applications(ctx: Context, body: etree._Element) -> str:
    # The response shape of get_applications is not documented in detail (spec §3.8).
    apps = "".join(element("application", m) for m in ctx.company.subscriptions if m != "PLATFORM")
    return f"<data><applications>{apps}</applications></data>"


def read_entity_details(ctx: Context, body: etree._Element) -> str:
    shown = [e for e in ctx.company.entities if not ctx.entity or e.id == ctx.entity]
    if ctx.on("entity-access-denied"):
        shown = []
    items = "".join(
        "<entity>"
        + element("id", e.id)
        + element("name", e.name)
        + element("recordno", e.recordno)
        + element("currency", e.currency)
        + element("firstfiscalmonth", "1")
        + element("firstfiscaltaxmonth", "1")
        + element("weekstart", "1")
        + "</entity>"
        for e in shown
    )
    return f'<data listtype="entity" count="{len(shown)}">{items}</data>'
