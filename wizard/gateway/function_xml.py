"""How a gateway function's XML is built: the `Function` a request carries, and the helpers that
add fields to it, each value formatted the documented way (reference spec §3): booleans
`true`/`false`; generic-function dates `mm/dd/yyyy` and datetimes `mm/dd/yyyy HH:MM:SS`; legacy
(2.1-style) dates as `<year>/<month>/<day>` children.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Union

from lxml import etree

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


def new_function(body: etree._Element, control_id: str | None, writes: bool = False) -> Function:
    if control_id is not None and not 1 <= len(control_id) <= 256:
        raise ValueError("a function control id must be 1 to 256 characters long")
    return Function(
        str(body.tag),
        etree.tostring(body),
        control_id if control_id is not None else str(uuid.uuid4()),
        writes,
    )


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


def add(parent: etree._Element, tag: str, text: Scalar | None = None) -> etree._Element:
    child = etree.SubElement(parent, tag)
    if text is not None:
        child.text = format_value(text)
    return child


def add_optional(parent: etree._Element, tag: str, value: Scalar | None) -> None:
    if value is not None:
        add(parent, tag, value)


def add_legacy_date(parent: etree._Element, tag: str, value: dt.date | None) -> None:
    if value is None:
        return
    element = etree.SubElement(parent, tag)
    add(element, "year", f"{value.year:04d}")
    add(element, "month", f"{value.month:02d}")
    add(element, "day", f"{value.day:02d}")


def add_fields(parent: etree._Element, fields: Mapping[str, FieldValue]) -> None:
    for name, value in fields.items():
        if value is None:
            continue
        if isinstance(value, Mapping):
            add_fields(etree.SubElement(parent, name), value)
        elif isinstance(value, Sequence) and not isinstance(value, str):
            for item in value:
                add_fields(etree.SubElement(parent, name), item)
        else:
            add(parent, name, value)


def add_custom_fields(parent: etree._Element, custom: Mapping[str, Scalar] | None) -> None:
    if not custom:
        return
    block = etree.SubElement(parent, "customfields")
    for name, value in custom.items():
        item = etree.SubElement(block, "customfield")
        add(item, "customfieldname", name)
        add(item, "customfieldvalue", value)
