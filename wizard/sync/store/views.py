"""The read-only SQL views of the mirror, one per Intacct object (resources/sync/views.toml).

Each view is named as the object (CUSTOMER, ARINVOICE, ...) and has the fields of its records
as columns named as Intacct names them, plus DELETED_AT (when Intacct deleted the record;
NULL while it lives). Views are rebuilt from the file each time the store opens, so editing
the file changes them; SQLite views cannot be written to, so tools that read them cannot
change the store.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from wizard.resources import resource_path
from wizard.sync.schema import PULLED_OBJECTS
from wizard.sync.store.database import StoreDatabase, StoreError

DELETED_COLUMN = "DELETED_AT"
_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass(frozen=True)
class ViewSpec:
    object: str
    columns: tuple[str, ...]

    def select_sql(self) -> str:
        """The view's SELECT: one row per record of the object, deleted ones included."""
        table = PULLED_OBJECTS[self.object].table
        parts = [
            f'record_no AS "{c}"'
            if c == "RECORDNO"
            else f'json_extract(fields, \'$."{c}"\') AS "{c}"'
            for c in self.columns
        ]
        parts.append(f'deleted_at AS "{DELETED_COLUMN}"')
        return f"SELECT {', '.join(parts)} FROM {table} WHERE object = '{self.object}'"


def load_views(path: Path | None = None) -> dict[str, ViewSpec]:
    path = path or resource_path("sync", "views.toml")
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise StoreError(f"{path}: cannot be read ({error}); restore the file.") from None
    views: dict[str, ViewSpec] = {}
    for name, table in dict(data.get("views", {})).items():
        where = f"{path.name} [views.{name}]"
        if name not in PULLED_OBJECTS or name == "DIMENSIONS":
            raise StoreError(f"{where}: the store keeps no {name} records; remove the view.")
        columns = table.get("columns")
        if not isinstance(columns, list) or not columns:
            raise StoreError(f"{where}: `columns` must list the Intacct fields.")
        for column in columns:
            if not isinstance(column, str) or not _NAME.match(column):
                raise StoreError(f"{where}: {column!r} is not an Intacct field name.")
        if DELETED_COLUMN in columns or len(set(columns)) != len(columns):
            raise StoreError(f"{where}: a column is listed twice (DELETED_AT is added anyway).")
        views[name] = ViewSpec(name, tuple(columns))
    return views


@functools.cache
def default_views() -> dict[str, ViewSpec]:
    return load_views()


def create_views(conn: sqlite3.Connection, views: Mapping[str, ViewSpec]) -> None:
    """(Re)create the views that differ from `views`, in one transaction; when every view is
    as it should be (the usual case), opening the store writes nothing."""
    wanted = {
        spec.object: f'CREATE VIEW "{spec.object}" AS {spec.select_sql()}'
        for spec in views.values()
    }
    present = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'"))
    stale = [name for name, sql in wanted.items() if present.get(name) != sql]
    if not stale:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for name in stale:
            conn.execute(f'DROP VIEW IF EXISTS "{name}"')
            conn.execute(wanted[name])
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class MirrorViews(StoreDatabase):
    """Reading the mirror as its views show it (for exports)."""

    @classmethod
    def _prepare(cls, conn: sqlite3.Connection) -> None:
        super()._prepare(conn)
        create_views(conn, default_views())

    def view(self, object_name: str) -> ViewSpec:
        views = default_views()
        spec = views.get(object_name.upper())
        if spec is None:
            raise StoreError(
                f"There is no view of {object_name!r}; the store has views of {', '.join(views)}."
            )
        return spec

    def view_rows(
        self, object_name: str, modified_since: str | None = None
    ) -> Iterator[tuple[object, ...]]:
        """The view's rows in RECORDNO order (only those modified at or after
        `modified_since`, sortable ISO, if given), streamed."""
        spec = self.view(object_name)
        sql = spec.select_sql()
        params: tuple[str, ...] = ()
        if modified_since:
            sql += " AND when_modified >= ?"
            params = (modified_since,)
        sql += " ORDER BY CAST(record_no AS INTEGER), record_no"
        yield from self._conn.execute(sql, params)
