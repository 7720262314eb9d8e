"""Request bodies the wizard sends: query-service queries, allowed-operations, records.

Shapes from reference intacct-rest-api.md §3.4 (query), §3.6 (allowed operations), §3.2
(records: nested references as objects; blank references such as {"id": ""} are rejected by
Intacct, so they are left out).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

QUERY_MAX_SIZE = 4000
ALLOWED_OPERATIONS_MAX_KEYS = 1000
FILTER_PARAMETERS = (
    "asOfDate",
    "includeHierarchyFields",
    "caseSensitiveComparison",
    "includePrivate",
)


def query_body(
    object_name: str,
    fields: Sequence[str],
    filters: Sequence[Mapping[str, Any]] = (),
    filter_expression: str = "",
    filter_parameters: Mapping[str, Any] | None = None,
    order_by: Sequence[Mapping[str, str]] = (),
    start: int = 1,
    size: int = 100,
) -> dict[str, Any]:
    """A query-service body. Filter parameters go nested: at the top level Intacct refuses them."""
    if not fields:
        raise ValueError("The query service needs at least one field.")
    for condition in filters:
        if len(condition) != 1 or not all(op.startswith("$") for op in condition):
            raise ValueError(f"A filter is one {{'$operator': {{field: value}}}}, not {condition}")
    unknown = set(filter_parameters or {}) - set(FILTER_PARAMETERS)
    if unknown:
        raise ValueError(f"Unknown filter parameters: {', '.join(sorted(unknown))}")
    body: dict[str, Any] = {"object": object_name, "fields": list(fields)}
    if filters:
        body["filters"] = [dict(f) for f in filters]
    if filter_expression:
        body["filterExpression"] = filter_expression
    if filter_parameters:
        body["filterParameters"] = dict(filter_parameters)
    if order_by:
        body["orderBy"] = [dict(o) for o in order_by]
    body["start"] = max(1, start)
    body["size"] = max(1, min(size, QUERY_MAX_SIZE))
    return body


def allowed_operations_body(
    object_name: str,
    keys: Sequence[str],
    operations: Sequence[str],
    include_private: bool | None = None,
) -> dict[str, Any]:
    if not 1 <= len(keys) <= ALLOWED_OPERATIONS_MAX_KEYS:
        raise ValueError(f"Ask about 1 to {ALLOWED_OPERATIONS_MAX_KEYS} records at a time.")
    body: dict[str, Any] = {
        "object": object_name,
        "keys": [str(k) for k in keys],
        "operations": list(operations),
    }
    if include_private is not None:
        body["options"] = {"includePrivate": include_private}
    return body


def without_blank_refs(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record with every empty reference ({"id": ""}, {}) left out, at any depth."""
    clean: dict[str, Any] = {}
    for name, value in record.items():
        if isinstance(value, Mapping):
            inner = without_blank_refs(value)
            if any(v not in ("", None) for v in inner.values()):
                clean[name] = inner
        else:
            clean[name] = value
    return clean
