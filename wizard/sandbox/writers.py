"""Generic create, update and delete.

Fields the object does not know are ignored (as sub-records such as DISPLAYCONTACT are), except
fields removed by the field-not-found scenario, which fail with DL02000001.
"""

from __future__ import annotations

from lxml import etree

from wizard.sandbox import messages
from wizard.sandbox.context import Context
from wizard.sandbox.errors import GatewayError, ResultFailure
from wizard.sandbox.postings import arpymt_from_generic, check_hidden, check_smart_rule

_LEGACY_ONLY = {"ARINVOICE": "create_invoice", "ARADJUSTMENT": "create_aradjustment"}


def _objects(body: etree._Element) -> list[etree._Element]:
    return [c for c in body if isinstance(c.tag, str)]


def _values(ctx: Context, node: etree._Element, obj: str) -> dict[str, str]:
    spec = ctx.company.specs[obj]
    check_hidden(ctx, [c.tag for c in node if isinstance(c.tag, str)])
    values: dict[str, str] = {}
    for child in node:
        if not isinstance(child.tag, str) or len(child):
            continue
        name = spec.canonical(child.tag)
        if name is not None and name not in ("RECORDNO", "WHENMODIFIED"):
            values[name] = (child.text or "").strip()
    return values


def _created(obj: str, recordno: int, id_field: str, id_value: str) -> str:
    tag = obj.lower()
    extra = f"<{id_field}>{id_value}</{id_field}>" if id_field != "RECORDNO" else ""
    return f"<{tag}><RECORDNO>{recordno}</RECORDNO>{extra}</{tag}>"


def create(ctx: Context, body: etree._Element) -> str:
    out = []
    for node in _objects(body):
        obj = node.tag.upper()
        if obj in _LEGACY_ONLY:
            raise messages.fail("use_legacy_create", object=obj, function=_LEGACY_ONLY[obj])
        spec = ctx.spec(obj, missing="object_not_found")
        ctx.check_permission(spec, "CREATE")
        if obj == "ARPYMT":
            recordno = arpymt_from_generic(ctx, node)
            out.append(_created(obj, recordno, "RECORDNO", ""))
            continue
        values = _values(ctx, node, obj)
        check_smart_rule(ctx, obj)
        if (
            obj == "CREDITCARD"
            and ctx.on("liability-account-entity-level")
            and not ctx.entity
            and values.get("LIABILITYTYPE", "Liability").lower() == "liability"
        ):
            raise ResultFailure(ctx.scenario("liability-account-entity-level").error())
        id_value = values.get(spec.id_field, "")
        if not id_value:
            raise messages.fail("required", field=f"{spec.label} ID")
        table = ctx.company.tables[obj]
        if table.find(spec.id_field, id_value) is not None:
            raise ResultFailure(
                messages.error("duplicate_id", label=spec.label, value=id_value),
                messages.error("could_not_create", label=spec.label),
            )
        if "STATUS" in spec.fields:
            values.setdefault("STATUS", "active")
        if "MEGAENTITYID" in spec.fields and obj != "CUSTOMER":
            values.setdefault("MEGAENTITYID", ctx.entity)
        recordno = ctx.company.insert(obj, values)
        out.append(_created(obj, recordno, spec.id_field, id_value))
    return f'<data listtype="objects" count="{len(out)}">{"".join(out)}</data>'


def update(ctx: Context, body: etree._Element) -> str:
    out = []
    for node in _objects(body):
        obj = node.tag.upper()
        spec = ctx.spec(obj)
        ctx.check_permission(spec, "UPDATE")
        values = _values(ctx, node, obj)
        recordno = (node.findtext("RECORDNO") or "").strip()
        table = ctx.company.tables[obj]
        if recordno:
            index = table.find("RECORDNO", recordno)
            key = recordno
        else:
            key = values.get(spec.id_field, "")
            index = table.find(spec.id_field, key) if key else None
        if index is None:
            raise messages.fail("not_found_key", object=obj.lower(), key=key, action="update")
        ctx.company.change(obj, index, values)
        row = table.row(index)
        assert row is not None
        out.append(_created(obj, index + 1, spec.id_field, row[table.position[spec.id_field]]))
    return f'<data listtype="objects" count="{len(out)}">{"".join(out)}</data>'


def delete(ctx: Context, body: etree._Element) -> str:
    spec = ctx.spec((body.findtext("object") or "").strip())
    ctx.check_permission(spec, "DELETE")
    table = ctx.company.tables[spec.name]
    errors: list[GatewayError] = []
    for key in [k.strip() for k in (body.findtext("keys") or "").split(",") if k.strip()]:
        index = table.find("RECORDNO", key)
        if index is None:
            errors.append(
                messages.error("not_found_key", object=spec.name.lower(), key=key, action="delete")
            )
            continue
        ctx.company.remove(spec.name, index)
    if errors:
        raise ResultFailure(*errors)
    return ""


# Legacy (2.1-style) deletes: the key is an attribute naming the object's ID, or RECORDNO
# for invoices (reference/intacct-xml-api.md §3.7: delete_customer customerid=…,
# delete_glaccount glaccountno=…, delete_location locationid=…, delete_invoice key=…).
LEGACY_DELETES: dict[str, tuple[str, str, str]] = {
    # function: (object, key attribute, field the key names)
    "delete_customer": ("CUSTOMER", "customerid", "CUSTOMERID"),
    "delete_glaccount": ("GLACCOUNT", "glaccountno", "ACCOUNTNO"),
    "delete_location": ("LOCATION", "locationid", "LOCATIONID"),
    "delete_invoice": ("ARINVOICE", "key", "RECORDNO"),
}


def legacy_delete(ctx: Context, body: etree._Element) -> str:
    """A legacy delete: the record named by the key attribute goes; only a status answers."""
    obj, attribute, field = LEGACY_DELETES[str(body.tag)]
    spec = ctx.spec(obj)
    ctx.check_permission(spec, "DELETE")
    key = (body.get(attribute) or "").strip()
    if not key:
        raise messages.fail("required", field=attribute)
    table = ctx.company.tables[spec.name]
    index = table.find(field, key)
    if index is None:
        raise messages.fail("not_found_key", object=spec.name.lower(), key=key, action="delete")
    ctx.company.remove(spec.name, index)
    return ""
