"""A record of a gateway answer as a plain dict.

Records are plain `dict[str, str]`: every element child of `<data>`, whatever its name or
case, is one record; each of its fields maps element name to text ("" when empty). The
record element's own attributes are kept as "@name", and a record with no fields keeps its
text as "#text" (inspect's `<type typename="APBILL">AP Bill</type>`). Nested
fields are flattened with dots (`DISPLAYCONTACT.PRINTAS`); a repeated name gets `[2]`, `[3]`…
`nested_rows()` regroups such repeats (getDimensions' `dimension`s) into rows. The record's
own element name is under `Result.record_tags` (once per distinct name) so a
caller that mixes objects in one function can still tell them apart.
"""

from __future__ import annotations

import re

from lxml import etree

Record = dict[str, str]


def record_from(element: etree._Element) -> Record:
    """One record element of `<data>` as a dict (see the module docstring)."""
    # Fast path: flat records with unique field names (nearly all of them). A record is flat
    # when it has as many descendants as children; one walk gives both, cheaper than asking
    # XPath for grandchildren.
    fields = list(element.iterdescendants())
    flat = {child.tag: child.text or "" for child in fields}
    if len(flat) == len(fields) == len(element) and not len(element.attrib):
        return flat
    record: Record = {f"@{name!s}": str(value) for name, value in element.attrib.items()}
    if not len(element):
        record["#text"] = (element.text or "").strip()
    for child in element:
        tag = child.tag
        if len(child):
            _flatten(child, tag, record)
        else:
            if tag in record:
                tag = _next_free(record, tag)
            record[tag] = child.text or ""
    return record


def _flatten(element: etree._Element, prefix: str, record: Record) -> None:
    if prefix in record or any(k.startswith(prefix + ".") for k in record):
        prefix = _next_free(record, prefix)
    for child in element:
        name = f"{prefix}.{child.tag}"
        if len(child):
            _flatten(child, name, record)
        else:
            if name in record:
                name = _next_free(record, name)
            record[name] = child.text or ""


def _next_free(record: Record, name: str) -> str:
    n = 2
    while f"{name}[{n}]" in record or any(k.startswith(f"{name}[{n}].") for k in record):
        n += 1
    return f"{name}[{n}]"


def nested_rows(record: Record, name: str) -> list[Record]:
    """Regroup a repeated nested element of a record into rows, e.g. for getDimensions'
    record {"dimension.objectName": "DEPARTMENT", "dimension[2].objectName": "LOCATION"}
    nested_rows(record, "dimension") gives [{"objectName": "DEPARTMENT"}, {"objectName": …}]."""
    pattern = re.compile(rf"^{re.escape(name)}(?:\[(\d+)\])?\.(.+)$")
    rows: dict[int, Record] = {}
    for key, value in record.items():
        found = pattern.match(key)
        if found:
            rows.setdefault(int(found.group(1) or 1), {})[found.group(2)] = value
    return [rows[index] for index in sorted(rows)]
