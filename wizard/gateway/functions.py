"""The functions the wizard sends, each built as a `Function` (one `<function controlid=…>`).

Element order follows the gateway schema and the official SDKs (reference spec §3). Values are
formatted the documented way: booleans `true`/`false`; generic-function dates `mm/dd/yyyy` and
datetimes `mm/dd/yyyy HH:MM:SS`; legacy (2.1-style) dates as `<year>/<month>/<day>` children.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Union

from lxml import etree

READ_BY_QUERY_MAX_PAGE = 1000
QUERY_MAX_PAGE = 2000
MAX_KEYS = 100

Scalar = str | int | Decimal | bool | dt.date | dt.datetime
FieldValue = Union[Scalar, None, "Mapping[str, FieldValue]", "Sequence[Mapping[str, FieldValue]]"]


@dataclass(frozen=True, eq=False)
class Function:
    """One function of a request. `writes` marks functions that change data (never retried
    blindly after a CDN timeout)."""

    name: str
    body: bytes  # the serialised function body (immutable)
    control_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    writes: bool = False

    def element(self) -> etree._Element:
        function = etree.Element("function", controlid=self.control_id)
        function.append(etree.fromstring(self.body))
        return function

    def with_control_id(self, control_id: str) -> Function:
        return Function(self.name, self.body, control_id, self.writes)


def _function(body: etree._Element, control_id: str | None, writes: bool = False) -> Function:
    if control_id is not None and not 1 <= len(control_id) <= 256:
        raise ValueError("a function control id must be 1 to 256 characters long")
    return Function(
        str(body.tag),
        etree.tostring(body),
        control_id if control_id is not None else str(uuid.uuid4()),
        writes,
    )


# -- value formatting ------------------------------------------------------------------


def format_value(value: Scalar) -> str:
    """A field value as the generic (3.0) functions want it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.strftime("%m/%d/%Y %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%m/%d/%Y")
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _sub(parent: etree._Element, tag: str, text: Scalar | None = None) -> etree._Element:
    child = etree.SubElement(parent, tag)
    if text is not None:
        child.text = format_value(text)
    return child


def _opt(parent: etree._Element, tag: str, value: Scalar | None) -> None:
    if value is not None:
        _sub(parent, tag, value)


def _legacy_date(parent: etree._Element, tag: str, value: dt.date | None) -> None:
    if value is None:
        return
    element = etree.SubElement(parent, tag)
    _sub(element, "year", f"{value.year:04d}")
    _sub(element, "month", f"{value.month:02d}")
    _sub(element, "day", f"{value.day:02d}")


def _fields(parent: etree._Element, fields: Mapping[str, FieldValue]) -> None:
    for name, value in fields.items():
        if value is None:
            continue
        if isinstance(value, Mapping):
            _fields(etree.SubElement(parent, name), value)
        elif isinstance(value, Sequence) and not isinstance(value, str):
            for item in value:
                _fields(etree.SubElement(parent, name), item)
        else:
            _sub(parent, name, value)


def _custom_fields(parent: etree._Element, custom: Mapping[str, Scalar] | None) -> None:
    if not custom:
        return
    block = etree.SubElement(parent, "customfields")
    for name, value in custom.items():
        item = etree.SubElement(block, "customfield")
        _sub(item, "customfieldname", name)
        _sub(item, "customfieldvalue", value)


def _keys(keys: Sequence[str | int] | str) -> str:
    values = [keys] if isinstance(keys, str) else [str(k) for k in keys]
    if len(values) > MAX_KEYS:
        raise ValueError(f"read at most {MAX_KEYS} keys per call")
    return ",".join(values)


def _fields_list(fields: Sequence[str] | str) -> str:
    return fields if isinstance(fields, str) else ",".join(fields) or "*"


# -- sessions ---------------------------------------------------------------------------


def get_api_session(location_id: str | None = None, control_id: str | None = None) -> Function:
    """`getAPISession`; `location_id` picks an entity, "" asks for the top level."""
    body = etree.Element("getAPISession")
    _opt(body, "locationid", location_id)
    return _function(body, control_id)


# -- reading ----------------------------------------------------------------------------


def quote(value: Scalar) -> str:
    """A value as a readByQuery query-string literal: 'O\\'Brien', '03/04/2026', 12.50.

    Text and dates are single-quoted with `\\` and `'` escaped as the gateway documents;
    numbers stay bare. Use it for every value put into a `query` string."""
    if isinstance(value, bool):
        return "'T'" if value else "'F'"
    if isinstance(value, int | Decimal):
        return format_value(value)
    text = format_value(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def read_by_query(
    object_name: str,
    query: str = "",
    fields: Sequence[str] | str = "*",
    pagesize: int = READ_BY_QUERY_MAX_PAGE,
    docparid: str | None = None,
    control_id: str | None = None,
) -> Function:
    if not 1 <= pagesize <= READ_BY_QUERY_MAX_PAGE:
        raise ValueError(f"readByQuery pages hold 1 to {READ_BY_QUERY_MAX_PAGE} records")
    body = etree.Element("readByQuery")
    _sub(body, "object", object_name)
    _sub(body, "query", query or None)
    _sub(body, "fields", _fields_list(fields))
    _sub(body, "pagesize", pagesize)
    _sub(body, "returnFormat", "xml")
    _opt(body, "docparid", docparid)
    return _function(body, control_id)


def read_more(result_id: str, control_id: str | None = None) -> Function:
    body = etree.Element("readMore")
    _sub(body, "resultId", result_id)
    return _function(body, control_id)


def _read(
    tag: str,
    object_name: str,
    keys: Sequence[str | int] | str,
    fields: Sequence[str] | str,
    docparid: str | None,
    control_id: str | None,
) -> Function:
    body = etree.Element(tag)
    _sub(body, "object", object_name)
    _sub(body, "keys", _keys(keys))
    _sub(body, "fields", _fields_list(fields))
    _sub(body, "returnFormat", "xml")
    _opt(body, "docparid", docparid)
    return _function(body, control_id)


def read(
    object_name: str,
    keys: Sequence[str | int] | str = (),
    fields: Sequence[str] | str = "*",
    docparid: str | None = None,
    control_id: str | None = None,
) -> Function:
    """`read` by RECORDNO keys (at most 100)."""
    return _read("read", object_name, keys, fields, docparid, control_id)


def read_by_name(
    object_name: str,
    names: Sequence[str] | str = (),
    fields: Sequence[str] | str = "*",
    docparid: str | None = None,
    control_id: str | None = None,
) -> Function:
    """`readByName` by the object's ID field (CUSTOMERID, LOCATIONID, …; at most 100)."""
    return _read("readByName", object_name, names, fields, docparid, control_id)


def lookup(object_name: str, control_id: str | None = None) -> Function:
    body = etree.Element("lookup")
    _sub(body, "object", object_name)
    return _function(body, control_id)


def inspect(
    object_name: str = "*", detail: bool = False, control_id: str | None = None
) -> Function:
    body = etree.Element("inspect", detail="1" if detail else "0")
    _sub(body, "object", object_name)
    return _function(body, control_id)


# -- query (2020 R1) --------------------------------------------------------------------

COMPARISONS = frozenset(
    {
        "equalto",
        "notequalto",
        "lessthan",
        "lessthanorequalto",
        "greaterthan",
        "greaterthanorequalto",
        "between",
        "in",
        "notin",
        "like",
        "notlike",
        "isnull",
        "isnotnull",
    }
)


@dataclass(frozen=True, slots=True)
class Condition:
    """One filter test, e.g. Condition("equalto", "STATE", ("Posted",))."""

    operator: str
    field: str
    values: tuple[Scalar, ...] = ()

    def __post_init__(self) -> None:
        if self.operator not in COMPARISONS:
            raise ValueError(f"unknown query filter operator {self.operator!r}")

    def element(self) -> etree._Element:
        element = etree.Element(self.operator)
        _sub(element, "field", self.field)
        for value in self.values:
            _sub(element, "value", value)
        return element


@dataclass(frozen=True, slots=True)
class Logical:
    """`and` / `or` over two or more filters (nestable)."""

    operator: str
    filters: tuple[Filter, ...]

    def __post_init__(self) -> None:
        if self.operator not in ("and", "or"):
            raise ValueError("a logical filter is 'and' or 'or'")
        if len(self.filters) < 2:
            raise ValueError(f"'{self.operator}' needs at least two filters")

    def element(self) -> etree._Element:
        element = etree.Element(self.operator)
        for item in self.filters:
            element.append(item.element())
        return element


Filter = Condition | Logical


def where(field_name: str, operator: str, *values: Scalar) -> Condition:
    return Condition(operator, field_name, values)


def all_of(*filters: Filter) -> Logical:
    return Logical("and", filters)


def any_of(*filters: Filter) -> Logical:
    return Logical("or", filters)


AGGREGATES = frozenset({"count", "avg", "min", "max", "sum"})


def query(
    object_name: str,
    select: Sequence[str | tuple[str, str]],
    filter: Filter | None = None,
    orderby: Sequence[tuple[str, bool]] = (),
    case_insensitive: bool | None = None,
    show_private: bool | None = None,
    pagesize: int | None = None,
    offset: int | None = None,
    docparid: str | None = None,
    control_id: str | None = None,
) -> Function:
    """`query`: `select` names fields, or (aggregate, field) pairs such as ("sum", "TOTALDUE");
    `orderby` is (field, ascending) pairs."""
    if not select:
        raise ValueError("a query must select at least one field")
    if pagesize is not None and not 1 <= pagesize <= QUERY_MAX_PAGE:
        raise ValueError(f"query pages hold 1 to {QUERY_MAX_PAGE} records")
    if offset is not None and offset < 0:
        raise ValueError("a query offset cannot be negative")
    body = etree.Element("query")
    selection = etree.SubElement(body, "select")
    for item in select:
        if isinstance(item, tuple):
            aggregate, name = item
            if aggregate not in AGGREGATES:
                raise ValueError(f"unknown aggregate {aggregate!r}")
            _sub(selection, aggregate, name)
        else:
            _sub(selection, "field", item)
    _sub(body, "object", object_name)
    _opt(body, "docparid", docparid)
    if filter is not None:
        etree.SubElement(body, "filter").append(filter.element())
    if orderby:
        order_by = etree.SubElement(body, "orderby")
        for name, ascending in orderby:
            order = etree.SubElement(order_by, "order")
            _sub(order, "field", name)
            etree.SubElement(order, "ascending" if ascending else "descending")
    if case_insensitive is not None or show_private is not None:
        options = etree.SubElement(body, "options")
        _opt(options, "caseinsensitive", case_insensitive)
        _opt(options, "showprivate", show_private)
    _opt(body, "pagesize", pagesize)
    _opt(body, "offset", offset)
    return _function(body, control_id)


# -- generic writes ---------------------------------------------------------------------


def _write(
    tag: str, records: Sequence[tuple[str, Mapping[str, FieldValue]]], control_id: str | None
) -> Function:
    if not records:
        raise ValueError(f"{tag} needs at least one record")
    body = etree.Element(tag)
    for object_name, fields in records:
        _fields(etree.SubElement(body, object_name.upper()), fields)
    return _function(body, control_id, writes=True)


def create(
    object_name: str, fields: Mapping[str, FieldValue], control_id: str | None = None
) -> Function:
    """Generic `create` of one record, e.g. create("CUSTOMER", {"CUSTOMERID": "C1", …})."""
    return _write("create", [(object_name, fields)], control_id)


def update(
    object_name: str, fields: Mapping[str, FieldValue], control_id: str | None = None
) -> Function:
    """Generic `update`; `fields` must hold RECORDNO or the object's ID field."""
    return _write("update", [(object_name, fields)], control_id)


def create_many(
    records: Sequence[tuple[str, Mapping[str, FieldValue]]], control_id: str | None = None
) -> Function:
    return _write("create", records, control_id)


def update_many(
    records: Sequence[tuple[str, Mapping[str, FieldValue]]], control_id: str | None = None
) -> Function:
    return _write("update", records, control_id)


def delete(
    object_name: str, keys: Sequence[str | int] | str, control_id: str | None = None
) -> Function:
    body = etree.Element("delete")
    _sub(body, "object", object_name)
    _sub(body, "keys", _keys(keys))
    return _function(body, control_id, writes=True)


# -- legacy AR functions ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineItem:
    """An invoice or adjustment line. Give `gl_account_no` or `account_label`."""

    amount: Decimal | int | str
    gl_account_no: str | None = None
    account_label: str | None = None
    offset_gl_account_no: str | None = None
    memo: str | None = None
    location_id: str | None = None
    department_id: str | None = None
    custom_fields: Mapping[str, Scalar] | None = None
    project_id: str | None = None
    customer_id: str | None = None
    vendor_id: str | None = None
    employee_id: str | None = None
    item_id: str | None = None
    class_id: str | None = None
    warehouse_id: str | None = None
    tax_entries: Sequence[tuple[str, Decimal | int | str]] = ()

    def element(self) -> etree._Element:
        line = etree.Element("lineitem")
        if self.account_label is not None:
            _sub(line, "accountlabel", self.account_label)
        else:
            _sub(line, "glaccountno", self.gl_account_no or None)
        _opt(line, "offsetglaccountno", self.offset_gl_account_no)
        _sub(line, "amount", _amount(self.amount))
        _opt(line, "memo", self.memo)
        _opt(line, "locationid", self.location_id)
        _opt(line, "departmentid", self.department_id)
        _custom_fields(line, self.custom_fields)
        _opt(line, "projectid", self.project_id)
        _opt(line, "customerid", self.customer_id)
        _opt(line, "vendorid", self.vendor_id)
        _opt(line, "employeeid", self.employee_id)
        _opt(line, "itemid", self.item_id)
        _opt(line, "classid", self.class_id)
        _opt(line, "warehouseid", self.warehouse_id)
        if self.tax_entries:
            entries = etree.SubElement(line, "taxentries")
            for detail_id, tax in self.tax_entries:
                entry = etree.SubElement(entries, "taxentry")
                _sub(entry, "detailid", detail_id)
                _sub(entry, "trx_tax", _amount(tax))
        return line


def _amount(value: Decimal | int | str) -> str:
    if isinstance(value, str):
        Decimal(value)  # refuse text that is not a number before it reaches Intacct
        return value
    return format_value(value)


@dataclass(frozen=True, slots=True)
class Currency:
    """The optional multi-currency block of legacy AR documents."""

    currency: str
    base_currency: str | None = None
    exch_rate_date: dt.date | None = None
    exch_rate_type: str | None = None
    exch_rate: Decimal | None = None

    def write(self, parent: etree._Element) -> None:
        _opt(parent, "basecurr", self.base_currency)
        _sub(parent, "currency", self.currency)
        _legacy_date(parent, "exchratedate", self.exch_rate_date)
        if self.exch_rate_type is not None:
            _sub(parent, "exchratetype", self.exch_rate_type)
        elif self.exch_rate is not None:
            _sub(parent, "exchrate", self.exch_rate)


def create_invoice(
    customer_id: str,
    date_created: dt.date,
    lines: Sequence[LineItem],
    *,
    date_posted: dt.date | None = None,
    date_due: dt.date | None = None,
    term_name: str | None = None,
    action: str | None = None,
    batch_key: str | int | None = None,
    invoice_no: str | None = None,
    po_number: str | None = None,
    on_hold: bool | None = None,
    description: str | None = None,
    external_id: str | None = None,
    bill_to_contact: str | None = None,
    ship_to_contact: str | None = None,
    currency: Currency | None = None,
    no_gl: bool | None = None,
    supdoc_id: str | None = None,
    tax_solution_id: str | None = None,
    custom_fields: Mapping[str, Scalar] | None = None,
    control_id: str | None = None,
) -> Function:
    """Legacy `create_invoice` (the only XML create for AR invoices). Needs a due date or terms."""
    if date_due is None and not term_name:
        raise ValueError("an invoice needs a due date or a payment term")
    if not lines:
        raise ValueError("an invoice needs at least one line")
    body = etree.Element("create_invoice")
    _sub(body, "customerid", customer_id)
    _legacy_date(body, "datecreated", date_created)
    _legacy_date(body, "dateposted", date_posted)
    _legacy_date(body, "datedue", date_due)
    _opt(body, "termname", term_name)
    _opt(body, "action", action)
    _opt(body, "batchkey", batch_key)
    _opt(body, "invoiceno", invoice_no)
    _opt(body, "ponumber", po_number)
    _opt(body, "onhold", on_hold)
    _opt(body, "description", description)
    _opt(body, "externalid", external_id)
    if bill_to_contact is not None:
        _sub(etree.SubElement(body, "billto"), "contactname", bill_to_contact)
    if ship_to_contact is not None:
        _sub(etree.SubElement(body, "shipto"), "contactname", ship_to_contact)
    if currency is not None:
        currency.write(body)
    _opt(body, "nogl", no_gl)
    _opt(body, "supdocid", supdoc_id)
    _opt(body, "taxsolutionid", tax_solution_id)
    _custom_fields(body, custom_fields)
    items = etree.SubElement(body, "invoiceitems")
    for line in lines:
        items.append(line.element())
    return _function(body, control_id, writes=True)


def create_aradjustment(
    customer_id: str,
    date_created: dt.date,
    lines: Sequence[LineItem],
    *,
    date_posted: dt.date | None = None,
    batch_key: str | int | None = None,
    adjustment_no: str | None = None,
    action: str | None = None,
    invoice_no: str | None = None,
    description: str | None = None,
    external_id: str | None = None,
    currency: Currency | None = None,
    no_gl: bool | None = None,
    control_id: str | None = None,
) -> Function:
    if not lines:
        raise ValueError("an adjustment needs at least one line")
    body = etree.Element("create_aradjustment")
    _sub(body, "customerid", customer_id)
    _legacy_date(body, "datecreated", date_created)
    _legacy_date(body, "dateposted", date_posted)
    _opt(body, "batchkey", batch_key)
    _opt(body, "adjustmentno", adjustment_no)
    _opt(body, "action", action)
    _opt(body, "invoiceno", invoice_no)
    _opt(body, "description", description)
    _opt(body, "externalid", external_id)
    if currency is not None:
        currency.write(body)
    _opt(body, "nogl", no_gl)
    items = etree.SubElement(body, "aradjustmentitems")
    for line in lines:
        items.append(line.element())
    return _function(body, control_id, writes=True)


def create_arpayment(
    customer_id: str,
    amount: Decimal | int | str,
    *,
    batch_key: str | int | None = None,
    bank_account_id: str | None = None,
    undeposited_account: str | None = None,
    translated_amount: Decimal | None = None,
    ref_id: str | None = None,
    date_received: dt.date | None = None,
    payment_method: str | None = None,
    currency: Currency | None = None,
    applied_to: Sequence[tuple[str | int, Decimal | int | str]] = (),
    control_id: str | None = None,
) -> Function:
    """Legacy `create_arpayment`. Exactly one of batch_key / bank_account_id /
    undeposited_account says where the money goes; `applied_to` is (invoice key, amount)."""
    targets = [t for t in (batch_key, bank_account_id, undeposited_account) if t is not None]
    if len(targets) != 1:
        raise ValueError(
            "a payment needs exactly one of a summary (batch key), a bank account or an "
            "undeposited funds account"
        )
    body = etree.Element("create_arpayment")
    _sub(body, "customerid", customer_id)
    _sub(body, "paymentamount", _amount(amount))
    _opt(body, "translatedamount", translated_amount)
    _opt(body, "batchkey", batch_key)
    _opt(body, "bankaccountid", bank_account_id)
    _opt(body, "undepfundsacct", undeposited_account)
    _opt(body, "refid", ref_id)
    _legacy_date(body, "datereceived", date_received)
    _opt(body, "paymentmethod", payment_method)
    if currency is not None:
        currency.write(body)
    for invoice_key, applied in applied_to:
        item = etree.SubElement(body, "arpaymentitem")
        _sub(item, "invoicekey", invoice_key)
        _sub(item, "amount", _amount(applied))
    return _function(body, control_id, writes=True)


# -- company and configuration ----------------------------------------------------------


def get_dimensions(control_id: str | None = None) -> Function:
    return _function(etree.Element("getDimensions"), control_id)


def get_user_permissions(user_id: str, control_id: str | None = None) -> Function:
    body = etree.Element("getUserPermissions")
    _sub(body, "userId", user_id)
    return _function(body, control_id)


def get_companyprefs(application: str, control_id: str | None = None) -> Function:
    """`get_companyprefs` for one application code (GEN, GL, AR, CM, …)."""
    return _function(etree.Element("get_companyprefs", application=application), control_id)


def get_financial_setup(control_id: str | None = None) -> Function:
    return _function(etree.Element("getFinancialSetup"), control_id)


def get_applications(control_id: str | None = None) -> Function:
    return _function(etree.Element("get_applications"), control_id)
