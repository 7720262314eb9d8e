"""The REST query service (`POST /services/core/query`, reference intacct-rest-api.md §3.4).

Operators `$eq $ne $lt $lte $gt $gte $in $notIn $between $notBetween $contains $notContains
$startsWith $notStartsWith $endsWith $notEndsWith`; `filterExpression` with numbered
conditions, `and`, `or` and parentheses (default: all `and`); `filterParameters` only nested
("Unrecognized key … in query payload" at the top level); `start` 1-based, `size` ≤ 4000;
rows flat with dotted keys; `ia::meta.next` / `previous`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wizard.sandbox.rest_data import RestObject

MAX_SIZE = 4000
DEFAULT_SIZE = 100
TOP_KEYS = {
    "object",
    "fields",
    "filters",
    "filterExpression",
    "filterParameters",
    "orderBy",
    "start",
    "size",
}
PARAMETER_KEYS = {"asOfDate", "includeHierarchyFields", "caseSensitiveComparison", "includePrivate"}

Row = Mapping[str, Any]
_TEXT_OPS: dict[str, tuple[Callable[[str, str], bool], bool]] = {
    "$contains": (lambda a, b: b in a, False),
    "$notContains": (lambda a, b: b in a, True),
    "$startsWith": (lambda a, b: a.startswith(b), False),
    "$notStartsWith": (lambda a, b: a.startswith(b), True),
    "$endsWith": (lambda a, b: a.endswith(b), False),
    "$notEndsWith": (lambda a, b: a.endswith(b), True),
}
Test = Callable[[Row], bool]


@dataclass
class QueryError(Exception):
    spec: str
    values: dict[str, object] = field(default_factory=dict)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _comparable(value: object) -> tuple[int, float | str]:
    text = _text(value)
    try:
        return (0, float(text))
    except ValueError:
        return (1, text)


def _condition(condition: object, fields: set[str], case_sensitive: bool) -> Test:
    if not isinstance(condition, Mapping) or len(condition) != 1:
        raise QueryError("invalid-request")
    ((op, target),) = condition.items()
    if not isinstance(target, Mapping) or len(target) != 1:
        raise QueryError("invalid-request")
    ((name, wanted),) = target.items()
    if name not in fields or name == "href":
        raise QueryError("unknown-field", {"field": f"/{name}", "target": f"/{name}"})

    def norm(value: object) -> str:
        text = _text(value)
        return text if case_sensitive else text.casefold()

    def get(row: Row) -> str:
        return norm(row.get(name))

    if op in ("$eq", "$ne"):
        want = None if wanted is None else norm(wanted)
        equal: Test = (lambda r: get(r) == "") if want is None else (lambda r: get(r) == want)
        return equal if op == "$eq" else (lambda r: not equal(r))
    if op in ("$lt", "$lte", "$gt", "$gte"):
        limit = _comparable(wanted)
        compare: Callable[[tuple[int, float | str]], bool] = {
            "$lt": lambda a: a < limit,
            "$lte": lambda a: a <= limit,
            "$gt": lambda a: a > limit,
            "$gte": lambda a: a >= limit,
        }[op]
        return lambda r: compare(_comparable(r.get(name)))
    if op in ("$in", "$notIn"):
        if not isinstance(wanted, list):
            raise QueryError("invalid-request")
        values = {norm(v) for v in wanted}
        return (lambda r: get(r) in values) if op == "$in" else (lambda r: get(r) not in values)
    if op in ("$between", "$notBetween"):
        if not isinstance(wanted, list) or len(wanted) != 2:
            raise QueryError("invalid-request")
        low, high = _comparable(wanted[0]), _comparable(wanted[1])

        def inside(r: Row) -> bool:
            return low <= _comparable(r.get(name)) <= high

        return inside if op == "$between" else (lambda r: not inside(r))
    if op in _TEXT_OPS:
        matcher, negate = _TEXT_OPS[op]
        want_text = norm(wanted)
        return lambda r: matcher(get(r), want_text) != negate
    raise QueryError("invalid-request")


_TOKEN = re.compile(r"\s*(\d+|and\b|or\b|\(|\))", re.IGNORECASE)


def _expression(text: str, tests: list[Test]) -> Test:
    tokens: list[str] = []
    position = 0
    while position < len(text.rstrip()):
        found = _TOKEN.match(text, position)
        if not found:
            raise QueryError("invalid-request")
        tokens.append(found.group(1).lower())
        position = found.end()
    index = 0

    def peek() -> str:
        return tokens[index] if index < len(tokens) else ""

    def take() -> str:
        nonlocal index
        index += 1
        return tokens[index - 1]

    def atom() -> Test:
        token = take() if peek() else ""
        if token == "(":
            inner = either()
            if take() != ")":
                raise QueryError("invalid-request")
            return inner
        if token.isdigit() and 1 <= int(token) <= len(tests):
            return tests[int(token) - 1]
        raise QueryError("invalid-request")

    def both() -> Test:
        parts = [atom()]
        while peek() == "and":
            take()
            parts.append(atom())
        return lambda r: all(p(r) for p in parts)

    def either() -> Test:
        parts = [both()]
        while peek() == "or":
            take()
            parts.append(both())
        return lambda r: any(p(r) for p in parts)

    result = either()
    if index != len(tokens):
        raise QueryError("invalid-request")
    return result


def run_query(
    payload: Mapping[str, Any], obj: RestObject, rows: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    for key in payload:
        if key not in TOP_KEYS:
            raise QueryError("query-key", {"key": key})
    known = set(obj.fields) | {"href"}
    fields = payload.get("fields")
    if not isinstance(fields, list) or not fields:
        raise QueryError("invalid-request")
    for name in fields:
        if name not in known:
            raise QueryError("unknown-field", {"field": f"/{name}", "target": f"/{name}"})
    parameters = payload.get("filterParameters") or {}
    if not isinstance(parameters, Mapping) or set(parameters) - PARAMETER_KEYS:
        raise QueryError("invalid-request")
    case_sensitive = bool(parameters.get("caseSensitiveComparison", True))
    filters = payload.get("filters") or []
    if not isinstance(filters, list):
        raise QueryError("invalid-request")
    tests = [_condition(c, known, case_sensitive) for c in filters]
    expression = payload.get("filterExpression")
    if tests:
        test = (
            _expression(str(expression), tests)
            if expression
            else (lambda r: all(t(r) for t in tests))
        )
        rows = [r for r in rows if test(r)]
    for order in reversed(payload.get("orderBy") or []):
        if not isinstance(order, Mapping) or len(order) != 1:
            raise QueryError("invalid-request")
        ((name, direction),) = order.items()
        if name not in known or name == "href":
            raise QueryError("unknown-field", {"field": f"/{name}", "target": f"/{name}"})
        rows.sort(key=lambda r: _comparable(r.get(name)), reverse=str(direction) == "desc")
    start, size = payload.get("start", 1), payload.get("size", DEFAULT_SIZE)
    if (
        not isinstance(start, int)
        or not isinstance(size, int)
        or start < 1
        or not 1 <= size <= MAX_SIZE
    ):
        raise QueryError("invalid-request")
    page = rows[start - 1 : start - 1 + size]
    total = len(rows)
    meta = {
        "totalCount": total,
        "start": start,
        "pageSize": size,
        "next": start + size if start - 1 + size < total else None,
        "previous": max(1, start - size) if start > 1 else None,
    }
    return [{name: row.get(name) for name in fields} for row in page], meta
