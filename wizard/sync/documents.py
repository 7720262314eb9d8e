"""Outbox records -> the gateway functions that create them in Intacct, with the mapping
applied per line, and how each kind is found again by its document number.

Payloads (JSON in the outbox; dates `YYYY-MM-DD`, amounts as text):

- customer: customer_id, name, currency?, terms?
- invoice, convenience_fee_invoice: customer_id, date, due_date? or terms?, description?,
  currency?, fields? {integration field: value}, lines [{amount, glaccountno, memo?, and any
  line field of the flow (location, department, project, class, customer, item, ...)}, plus
  dimensions? {integration dimension: value}]
- credit_note: customer_id, date, description?, invoice_no?, lines as above
- payment: customer_id, amount, date, method?, currency?, one of bank_account /
  undeposited_account / batch_key, and invoice_key (an Intacct RECORDNO) or a dependency on
  the outbox invoice it pays (`depends_on`)
- card_account: card_id, description, gl_account, liability_type?
- card_charge: card_id, date, amount, description?, lines as above

Mapping per line: the flow's custom-field table (resources/sync/flows.toml) names the Intacct
element of each line field; the profile's default location and department fill empty ones;
user-defined dimensions go out as custom fields named by the profile's dimension map.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lxml import etree

from wizard.gateway import ar_functions as ar
from wizard.gateway import functions as fn
from wizard.resources import resource_path
from wizard.sync.flows import CustomField, FlowCatalogue
from wizard.sync.outbox import OutboxKind, OutboxRecord
from wizard.sync.settings import SyncSettings


class PushDataError(Exception):
    """resources/sync/push.toml is wrong; the message says where."""


class RecordDataError(Exception):
    """An outbox record cannot be sent as it is; the message says what to change."""


@dataclass(frozen=True)
class KindSpec:
    kind: OutboxKind
    object: str
    function: str
    lookup_field: str
    date_field: str | None
    external_id_field: str | None = None


def load_kinds(path: Path | None = None) -> dict[OutboxKind, KindSpec]:
    path = path or resource_path("sync", "push.toml")
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise PushDataError(f"{path}: cannot be read ({error}); restore the file.") from None
    kinds: dict[OutboxKind, KindSpec] = {}
    for name, table in dict(data.get("kinds", {})).items():
        where = f"{path.name} [kinds.{name}]"
        try:
            kind = OutboxKind(name)
        except ValueError:
            known = ", ".join(k.value for k in OutboxKind)
            raise PushDataError(f"{where}: no outbox kind {name!r}; use one of {known}.") from None
        for key in ("object", "function", "lookup_field"):
            if not isinstance(table.get(key), str) or not table[key]:
                raise PushDataError(f"{where}: `{key}` must be a non-empty text.")
        kinds[kind] = KindSpec(
            kind,
            table["object"],
            table["function"],
            table["lookup_field"],
            table.get("date_field"),
            table.get("external_id_field"),
        )
    missing = [k.value for k in OutboxKind if k not in kinds]
    if missing:
        raise PushDataError(f"{path.name}: add [kinds.{missing[0]}] (every kind needs one).")
    return kinds


@functools.cache
def default_kinds() -> dict[OutboxKind, KindSpec]:
    return load_kinds()


def document_number(record: OutboxRecord) -> str:
    """The number the record carries in Intacct (and is looked up by)."""
    return record.document_no or record.local_id


def control_id(record: OutboxRecord) -> str:
    return f"outbox-{record.id}"


# -- values ---------------------------------------------------------------------------------


def _text(payload: Mapping[str, Any], key: str, what: str) -> str:
    value = payload.get(key)
    if value is None or str(value).strip() == "":
        raise RecordDataError(f"The {what} has no {key}; add it in the integration.")
    return str(value).strip()


def _date(payload: Mapping[str, Any], key: str, what: str) -> dt.date:
    value = _text(payload, key, what)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RecordDataError(f"The {what}'s {key} {value!r} is not a date (YYYY-MM-DD).") from None


def _amount(value: Any, what: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise RecordDataError(f"The {what}'s amount {value!r} is not a number.") from None
    if not amount.is_finite():
        raise RecordDataError(f"The {what}'s amount {value!r} is not a number.")
    return amount


# -- lines ----------------------------------------------------------------------------------

# Intacct line element -> LineItem attribute (elements the gateway's LineItem sends).
_LINE_ATTRIBUTES = {
    "glaccountno": "gl_account_no",
    "offsetglaccountno": "offset_gl_account_no",
    "locationid": "location_id",
    "departmentid": "department_id",
    "projectid": "project_id",
    "customerid": "customer_id",
    "vendorid": "vendor_id",
    "employeeid": "employee_id",
    "itemid": "item_id",
    "classid": "class_id",
    "warehouseid": "warehouse_id",
}
_LINE_KEYS = {"amount", "memo", "dimensions"}


def mapped_line(
    line: Mapping[str, Any],
    number: int,
    fields: Mapping[str, CustomField],
    settings: SyncSettings,
    what: str,
) -> ar.LineItem:
    """One line with the mapping applied: line fields by the flow's table, default location
    and department, user-defined dimensions as custom fields."""
    values: dict[str, Any] = {}
    for key, value in line.items():
        if key in _LINE_KEYS or value in (None, ""):
            continue
        field = fields.get(key)
        if field is None:
            allowed = ", ".join(fields) or "none"
            raise RecordDataError(
                f"Line {number} of the {what} sets {key!r}, which this data flow does not send "
                f"to Intacct (line fields it takes: {allowed})."
            )
        attribute = _LINE_ATTRIBUTES.get(field.intacct_field)
        if attribute is None:
            raise RecordDataError(
                f"Line {number} of the {what} sets {field.label} ({key}); this version of the "
                "wizard cannot send that field on lines yet. Leave it empty, or set it in Intacct."
            )
        values[attribute] = str(value)
    if "location_id" not in values and settings.default_location:
        values["location_id"] = settings.default_location
    if "department_id" not in values and settings.default_department:
        values["department_id"] = settings.default_department
    custom: dict[str, fn.Scalar] = {}
    for dimension, value in dict(line.get("dimensions") or {}).items():
        target = settings.dimensions.get(dimension)
        if target is None:
            raise RecordDataError(
                f"Line {number} of the {what} has a {dimension!r} value, but the connection "
                "maps no Intacct dimension to it. Map it on the Dimensions page."
            )
        if value not in (None, ""):
            custom[target] = str(value)
    if "gl_account_no" not in values:
        raise RecordDataError(f"Line {number} of the {what} has no GL account (glaccountno).")
    return ar.LineItem(
        amount=_amount(line.get("amount"), what),
        memo=str(line["memo"]) if line.get("memo") else None,
        custom_fields=custom or None,
        **values,
    )


def _lines(
    payload: Mapping[str, Any], fields: Mapping[str, CustomField], settings: SyncSettings, what: str
) -> list[ar.LineItem]:
    lines = payload.get("lines") or []
    if not lines:
        raise RecordDataError(f"The {what} has no lines.")
    return [mapped_line(line, n, fields, settings, what) for n, line in enumerate(lines, 1)]


def _header_custom(
    payload: Mapping[str, Any], settings: SyncSettings, what: str
) -> dict[str, fn.Scalar] | None:
    out: dict[str, fn.Scalar] = {}
    for name, value in dict(payload.get("fields") or {}).items():
        target = settings.custom_fields.get(name)
        if target is None:
            raise RecordDataError(
                f"The {what} has a {name!r} field, but the connection maps no Intacct custom "
                "field to it. Map it on the Fields page, or stop sending it."
            )
        if value not in (None, ""):
            out[target] = str(value)
    return out or None


# -- builders -------------------------------------------------------------------------------


class Builder:
    """Builds the function for each outbox record. `invoice_key(record_id)` gives the
    Intacct key of a landed outbox record (a payment's invoice)."""

    def __init__(
        self,
        catalogue: FlowCatalogue,
        settings: SyncSettings,
        invoice_key: Callable[[int], str | None],
    ) -> None:
        self.settings = settings
        self.kinds = default_kinds()
        self._invoice_key = invoice_key
        self._fields: dict[OutboxKind, dict[str, CustomField]] = {}
        for flow in catalogue.flows:
            if flow.outbox_kind is not None:
                self._fields[flow.outbox_kind] = {f.id: f for f in flow.line_fields}

    def build(self, record: OutboxRecord) -> fn.Function:
        what = f"{record.kind.value.replace('_', ' ')} {document_number(record)}"
        payload = record.payload
        method = getattr(self, f"_{record.kind.value}")
        function: fn.Function = method(record, payload, what)
        return function.with_control_id(control_id(record))

    def _customer(self, record: OutboxRecord, p: Mapping[str, Any], what: str) -> fn.Function:
        fields: dict[str, fn.FieldValue] = {
            "CUSTOMERID": document_number(record),
            "NAME": _text(p, "name", what),
        }
        if p.get("currency"):
            fields["CURRENCY"] = str(p["currency"])
        if p.get("terms"):
            fields["TERMNAME"] = str(p["terms"])
        return fn.create("CUSTOMER", fields)

    def _invoice(self, record: OutboxRecord, p: Mapping[str, Any], what: str) -> fn.Function:
        due = _date(p, "due_date", what) if p.get("due_date") else None
        terms = str(p["terms"]) if p.get("terms") else None
        if due is None and terms is None:
            raise RecordDataError(f"The {what} needs a due date or payment terms.")
        return ar.create_invoice(
            _text(p, "customer_id", what),
            _date(p, "date", what),
            _lines(p, self._fields.get(record.kind, {}), self.settings, what),
            date_due=due,
            term_name=terms,
            invoice_no=document_number(record),
            description=str(p["description"]) if p.get("description") else None,
            external_id=record.local_id,
            currency=ar.Currency(str(p["currency"])) if p.get("currency") else None,
            custom_fields=_header_custom(p, self.settings, what),
        )

    _convenience_fee_invoice = _invoice

    def _credit_note(self, record: OutboxRecord, p: Mapping[str, Any], what: str) -> fn.Function:
        return ar.create_aradjustment(
            _text(p, "customer_id", what),
            _date(p, "date", what),
            _lines(p, self._fields.get(record.kind, {}), self.settings, what),
            adjustment_no=document_number(record),
            invoice_no=str(p["invoice_no"]) if p.get("invoice_no") else None,
            description=str(p["description"]) if p.get("description") else None,
            external_id=record.local_id,
            currency=ar.Currency(str(p["currency"])) if p.get("currency") else None,
        )

    def _payment(self, record: OutboxRecord, p: Mapping[str, Any], what: str) -> fn.Function:
        amount = _amount(p.get("amount"), what)
        invoice_key = str(p["invoice_key"]) if p.get("invoice_key") else None
        if invoice_key is None and record.depends_on is not None:
            invoice_key = self._invoice_key(record.depends_on)
        applied = [(invoice_key, amount)] if invoice_key else []
        targets = [k for k in ("bank_account", "undeposited_account", "batch_key") if p.get(k)]
        if len(targets) != 1:
            raise RecordDataError(
                f"The {what} needs exactly one of bank_account, undeposited_account or "
                "batch_key (where the money goes)."
            )
        return ar.create_arpayment(
            _text(p, "customer_id", what),
            amount,
            batch_key=str(p["batch_key"]) if p.get("batch_key") else None,
            bank_account_id=str(p["bank_account"]) if p.get("bank_account") else None,
            undeposited_account=(
                str(p["undeposited_account"]) if p.get("undeposited_account") else None
            ),
            ref_id=document_number(record),
            date_received=_date(p, "date", what),
            payment_method=str(p["method"]) if p.get("method") else None,
            currency=ar.Currency(str(p["currency"])) if p.get("currency") else None,
            applied_to=applied,
        )

    def _card_account(self, record: OutboxRecord, p: Mapping[str, Any], what: str) -> fn.Function:
        return fn.create(
            "CREDITCARD",
            {
                "CARDID": document_number(record),
                "DESCRIPTION": _text(p, "description", what),
                "LIABILITYTYPE": str(p.get("liability_type") or "Liability"),
                "LIABACCTKEY": _text(p, "gl_account", what),
            },
        )

    def _card_charge(self, record: OutboxRecord, p: Mapping[str, Any], what: str) -> fn.Function:
        # record_cctransaction (legacy): no builder in the gateway yet, so it is built here.
        body = etree.Element("record_cctransaction")
        etree.SubElement(body, "chargecardid").text = _text(p, "card_id", what)
        when = _date(p, "date", what)
        paid = etree.SubElement(body, "paymentdate")
        etree.SubElement(paid, "year").text = f"{when.year:04d}"
        etree.SubElement(paid, "month").text = f"{when.month:02d}"
        etree.SubElement(paid, "day").text = f"{when.day:02d}"
        etree.SubElement(body, "referenceno").text = document_number(record)
        if p.get("description"):
            etree.SubElement(body, "description").text = str(p["description"])
        items = etree.SubElement(body, "ccpayitems")
        for line in _lines(p, self._fields.get(record.kind, {}), self.settings, what):
            item = etree.SubElement(items, "ccpayitem")
            etree.SubElement(item, "glaccountno").text = line.gl_account_no
            if line.memo:
                etree.SubElement(item, "description").text = line.memo
            etree.SubElement(item, "paymentamount").text = format(Decimal(str(line.amount)), "f")
            dimensions: tuple[tuple[str, str | None], ...] = (
                ("departmentid", line.department_id),
                ("locationid", line.location_id),
                ("projectid", line.project_id),
                ("classid", line.class_id),
            )
            for tag, dimension in dimensions:
                if dimension:
                    etree.SubElement(item, tag).text = dimension
        return fn.Function("record_cctransaction", etree.tostring(body), writes=True)
