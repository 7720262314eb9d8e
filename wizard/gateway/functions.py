"""The functions the wizard sends, each built as a `Function` (one `<function controlid=…>`):
sessions, reads and `query`, generic writes, and company configuration. How their XML is built
and values formatted is in function_xml.py; the legacy AR documents are in ar_functions.py.

Element order follows the gateway schema and the official SDKs (reference spec §3).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from lxml import etree

# Function, Scalar and FieldValue are what callers of these builders take and give: re-exported.
from wizard.gateway.function_xml import FieldValue as FieldValue
from wizard.gateway.function_xml import Function as Function
from wizard.gateway.function_xml import Scalar as Scalar
from wizard.gateway.function_xml import add, add_fields, add_optional, format_value, new_function

READ_BY_QUERY_MAX_PAGE = 1000
QUERY_MAX_PAGE = 2000
MAX_KEYS = 100


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
    add_optional(body, "locationid", location_id)
    return new_function(body, control_id)


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
    add(body, "object", object_name)
    add(body, "query", query or None)
    add(body, "fields", _fields_list(fields))
    add(body, "pagesize", pagesize)
    add(body, "returnFormat", "xml")
    add_optional(body, "docparid", docparid)
    return new_function(body, control_id)


def read_more(result_id: str, control_id: str | None = None) -> Function:
    body = etree.Element("readMore")
    add(body, "resultId", result_id)
    return new_function(body, control_id)


def _read(
    tag: str,
    object_name: str,
    keys: Sequence[str | int] | str,
    fields: Sequence[str] | str,
    docparid: str | None,
    control_id: str | None,
) -> Function:
    body = etree.Element(tag)
    add(body, "object", object_name)
    add(body, "keys", _keys(keys))
    add(body, "fields", _fields_list(fields))
    add(body, "returnFormat", "xml")
    add_optional(body, "docparid", docparid)
    return new_function(body, control_id)


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
    add(body, "object", object_name)
    return new_function(body, control_id)


def inspect(
    object_name: str = "*", detail: bool = False, control_id: str | None = None
) -> Function:
    body = etree.Element("inspect", detail="1" if detail else "0")
    add(body, "object", object_name)
    return new_function(body, control_id)


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
        add(element, "field", self.field)
        for value in self.values:
            add(element, "value", value)
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
            add(selection, aggregate, name)
        else:
            add(selection, "field", item)
    add(body, "object", object_name)
    add_optional(body, "docparid", docparid)
    if filter is not None:
        etree.SubElement(body, "filter").append(filter.element())
    if orderby:
        order_by = etree.SubElement(body, "orderby")
        for name, ascending in orderby:
            order = etree.SubElement(order_by, "order")
            add(order, "field", name)
            etree.SubElement(order, "ascending" if ascending else "descending")
    if case_insensitive is not None or show_private is not None:
        options = etree.SubElement(body, "options")
        add_optional(options, "caseinsensitive", case_insensitive)
        add_optional(options, "showprivate", show_private)
    add_optional(body, "pagesize", pagesize)
    add_optional(body, "offset", offset)
    return new_function(body, control_id)


# -- generic writes ---------------------------------------------------------------------


def _write(
    tag: str, records: Sequence[tuple[str, Mapping[str, FieldValue]]], control_id: str | None
) -> Function:
    if not records:
        raise ValueError(f"{tag} needs at least one record")
    body = etree.Element(tag)
    for object_name, fields in records:
        add_fields(etree.SubElement(body, object_name.upper()), fields)
    return new_function(body, control_id, writes=True)


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
    add(body, "object", object_name)
    add(body, "keys", _keys(keys))
    return new_function(body, control_id, writes=True)


# -- company and configuration ----------------------------------------------------------


def get_dimensions(control_id: str | None = None) -> Function:
    return new_function(etree.Element("getDimensions"), control_id)


def get_user_permissions(user_id: str, control_id: str | None = None) -> Function:
    body = etree.Element("getUserPermissions")
    add(body, "userId", user_id)
    return new_function(body, control_id)


def get_companyprefs(application: str, control_id: str | None = None) -> Function:
    """`get_companyprefs` for one application code (GEN, GL, AR, CM, …)."""
    return new_function(etree.Element("get_companyprefs", application=application), control_id)


def get_financial_setup(control_id: str | None = None) -> Function:
    return new_function(etree.Element("getFinancialSetup"), control_id)


def get_applications(control_id: str | None = None) -> Function:
    return new_function(etree.Element("get_applications"), control_id)
