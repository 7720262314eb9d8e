"""Object definitions (resources/sandbox/objects.toml) and the in-memory tables that hold records.

Rows are tuples of strings in the object's field order, stored XML-escaped (`&`, `<`, `>`), so
a page is rendered by formatting a precomputed template; query literals are escaped the same
way before they are compared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, unescape

from wizard.sandbox.data import require
from wizard.sandbox.errors import SandboxDataError

Row = tuple[str, ...]


@dataclass(frozen=True)
class ObjectSpec:
    name: str
    label: str
    module: str
    id_field: str
    fields: tuple[str, ...]
    dates: frozenset[str] = frozenset()
    datetimes: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()
    permission: str = ""  # the permission guarding it on its module's Permissions page
    by_upper: dict[str, str] = field(default_factory=dict, compare=False)

    def canonical(self, name: str) -> str | None:
        """The field's own spelling for `name` (any case), or None if it has no such field."""
        return self.by_upper.get(name.upper())


def make_spec(name: str, entry: dict[str, Any], where: str) -> ObjectSpec:
    fields = require(entry, "fields", list, where)
    if not fields or fields[0] != "RECORDNO":
        raise SandboxDataError(f"{where}: the first field must be RECORDNO.")
    id_field = require(entry, "id_field", str, where)
    if id_field not in fields:
        raise SandboxDataError(f"{where}: id_field '{id_field}' is not one of the fields.")
    return ObjectSpec(
        name=name,
        label=require(entry, "label", str, where),
        module=require(entry, "module", str, where),
        id_field=id_field,
        fields=tuple(fields),
        dates=frozenset(entry.get("dates", ())),
        datetimes=frozenset(entry.get("datetimes", ())),
        numbers=frozenset(entry.get("numbers", ())),
        permission=str(entry.get("permission", "")) or require(entry, "label", str, where),
        by_upper={f.upper(): f for f in fields},
    )


def esc(value: object) -> str:
    text = "" if value is None else str(value)
    if "&" in text or "<" in text or ">" in text:
        return escape(text)
    return text


class Table:
    """The records of one object: generated on demand (`base`) plus created, changed, deleted.

    Row i has RECORDNO i + 1. `base(i)` must be a pure function of i, so paging is stable and
    200k generated records cost no memory until read.
    """

    def __init__(
        self,
        spec: ObjectSpec,
        base_count: int = 0,
        base: Callable[[int], Row] | None = None,
        base_locate: Callable[[str], int | None] | None = None,
    ) -> None:
        self.spec = spec
        self.columns = spec.fields
        self.position = {name: i for i, name in enumerate(spec.fields)}
        self.base_count = base_count
        self._base = base
        self._base_locate = base_locate
        self.overrides: dict[int, Row | None] = {}
        self.extra: list[Row] = []
        self._id_index: dict[str, int] = {}
        # Rows from this index on were created through the gateway (not demo data).
        self.first_created = base_count
        # Optional fast paths: index -> the generated row rendered with every field, and
        # column -> (index -> that one generated value) for query scans.
        self.base_xml: Callable[[int], str] | None = None
        self.base_columns: dict[int, Callable[[int], str]] = {}
        # Bumped by every change: a `query` result kept for this version is still true.
        self.version = 0
        self.query_results: dict[object, tuple[int, list[int]]] = {}

    def __len__(self) -> int:
        return self.base_count + len(self.extra)

    def row(self, index: int) -> Row | None:
        if index in self.overrides:
            return self.overrides[index]
        if index < self.base_count:
            assert self._base is not None
            return self._base(index)
        if 0 <= index - self.base_count < len(self.extra):
            return self.extra[index - self.base_count]
        return None

    def rows(self) -> Iterator[tuple[int, Row]]:
        for index in range(len(self)):
            row = self.row(index)
            if row is not None:
                yield index, row

    def value(self, row: Row, name: str) -> str:
        return unescape(row[self.position[name]])

    def as_dict(self, row: Row) -> dict[str, str]:
        return {name: unescape(value) for name, value in zip(self.columns, row, strict=True)}

    def find(self, field_name: str, value: str) -> int | None:
        """Index of the first live row whose field equals `value` (unescaped), else None."""
        wanted = esc(value)
        if field_name == "RECORDNO":
            index = int(value) - 1 if value.isdigit() else -1
            return index if 0 <= index < len(self) and self.row(index) is not None else None
        if field_name == self.spec.id_field:
            known = self._id_index.get(wanted)
            if known is None and self._base_locate is not None:
                known = self._base_locate(value)
            if known is not None:
                row = self.row(known)
                if row is not None and row[self.position[field_name]] == wanted:
                    return known
            scan: range = range(self.base_count, len(self))
            if self._base_locate is None:
                scan = range(len(self))
        else:
            scan = range(len(self))
        column = self.position[field_name]
        for index in scan:
            row = self.row(index)
            if row is not None and row[column] == wanted:
                return index
        return None

    def append(self, values: dict[str, str]) -> int:
        index = len(self)
        merged = dict(values)
        merged["RECORDNO"] = str(index + 1)
        row = tuple(esc(merged.get(name, "")) for name in self.columns)
        self.extra.append(row)
        self._id_index[row[self.position[self.spec.id_field]]] = index
        self.version += 1
        return index

    def replace(self, index: int, row: Row | None) -> None:
        self.overrides[index] = row
        self.version += 1
        if row is not None:
            self._id_index[row[self.position[self.spec.id_field]]] = index

    def update(self, index: int, changes: dict[str, str]) -> None:
        current = self.row(index)
        if current is None:
            raise KeyError(index)
        updated = list(current)
        for name, value in changes.items():
            updated[self.position[name]] = esc(value)
        self.replace(index, tuple(updated))

    def pop_extra(self) -> None:
        row = self.extra.pop()
        self._id_index.pop(row[self.position[self.spec.id_field]], None)
        self.version += 1

    def restore(self, index: int, before: Row | str | None) -> None:
        """Undo a change to row `index`: `before` is its override then, or "absent"."""
        if before == "absent":
            self.overrides.pop(index, None)
        else:
            self.overrides[index] = before  # type: ignore[assignment]
        self.version += 1


class LazyRow:
    """A generated row as a predicate sees it: columns computed one by one, on demand."""

    __slots__ = ("_columns", "_full", "_index", "_table")

    def __init__(self, table: Table, columns: dict[int, Callable[[int], str]]) -> None:
        self._table = table
        self._columns = columns
        self._index = 0
        self._full: Row | None = None

    def at(self, index: int) -> LazyRow:
        self._index = index
        self._full = None
        return self

    def __getitem__(self, column: int) -> str:
        compute = self._columns.get(column)
        if compute is not None:
            return compute(self._index)
        if self._full is None:
            self._full = self._table.row(self._index)
        assert self._full is not None
        return self._full[column]
