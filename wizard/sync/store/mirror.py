"""The pulled mirror: Intacct records as read, one row per record, keyed by its Intacct key."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from wizard.sync.schema import PULLED_OBJECTS, UDD_ID_FIELD
from wizard.sync.store.database import StoreDatabase, StoreError


class UnknownObject(StoreError):
    """Records of an Intacct object the store has no table for."""


@dataclass(frozen=True)
class PulledRecord:
    object: str
    record_no: str
    doc_id: str | None
    when_modified: str | None
    entity: str | None
    fields_json: str
    pulled_at: str

    @property
    def fields(self) -> Mapping[str, Any]:
        value: Mapping[str, Any] = json.loads(self.fields_json)
        return value


@dataclass(frozen=True)
class PageWritten:
    changed: int  # rows inserted or changed
    newest_modified: str | None  # newest WHENMODIFIED among the records given (sortable ISO)


def normalize_modified(value: str | None) -> str | None:
    """WHENMODIFIED as Intacct sends it (mm/dd/yyyy HH:MM:SS, or ISO 8601) -> sortable ISO."""
    if not value:
        return None
    if len(value) >= 19 and value[2] == "/" and value[5] == "/":
        return f"{value[6:10]}-{value[0:2]}-{value[3:5]}T{value[11:19]}"
    if len(value) >= 19 and value[4] == "-":
        return value[:10] + "T" + value[11:19]
    if len(value) == 10 and value[2] == "/":
        return f"{value[6:10]}-{value[0:2]}-{value[3:5]}T00:00:00"
    return value


_DEFAULT_KEYS = {"DIMENSIONS": "objectName"}
_PULLED_COLUMNS = "object, record_no, doc_id, when_modified, entity, fields, pulled_at"


class PulledMirror(StoreDatabase):
    """Records pulled from Intacct, written a page per transaction."""

    def _table_for(self, object_name: str) -> tuple[str, str]:
        known = PULLED_OBJECTS.get(object_name)
        if known:
            return known.table, known.id_field
        row = self._conn.execute(
            "SELECT 1 FROM dimensions WHERE object = 'DIMENSIONS' AND record_no = ?",
            (object_name,),
        ).fetchone()
        if row:
            return "dimension_values", UDD_ID_FIELD
        raise UnknownObject(
            f"The sync store keeps no records of {object_name!r}. Known objects: "
            f"{', '.join(PULLED_OBJECTS)}, and user-defined dimensions listed by getDimensions."
        )

    def upsert_pulled(
        self,
        object_name: str,
        records: Iterable[Mapping[str, str]],
        key_field: str | None = None,
    ) -> int:
        """Insert or update a page of records by their Intacct key, in one transaction.

        A record whose fields are unchanged, or that is older (WHENMODIFIED) than the stored
        one, is left alone. Returns how many rows were inserted or changed. `key_field`
        defaults to RECORDNO (objectName for DIMENSIONS, id for user-defined dimensions)."""
        return self.write_pulled(object_name, records, key_field).changed

    def write_pulled(
        self,
        object_name: str,
        records: Iterable[Mapping[str, str]],
        key_field: str | None = None,
    ) -> PageWritten:
        """`upsert_pulled`, also telling the newest WHENMODIFIED among the records given (the
        pull moves its cursor from that, so the store needs no index to find it)."""
        table, id_field = self._table_for(object_name)
        if key_field is None:
            key_field = _DEFAULT_KEYS.get(
                object_name, "RECORDNO" if object_name in PULLED_OBJECTS else "id"
            )
        pulled_at = self._now()
        newest = ""

        # A generator, not a list: a caller may stream any number of records through here.
        def rows() -> Iterator[tuple[str, str, str | None, str | None, str | None, str, str]]:
            nonlocal newest
            # orjson gives the same compact text as json.dumps(record, ensure_ascii=False,
            # separators=(",", ":")); the stdlib encoder was the largest single cost of a pull.
            dumps = orjson.dumps
            for number, record in enumerate(records, start=1):
                key = record.get(key_field)
                if not key:
                    raise StoreError(
                        f"Record {number} of this {object_name} page has no {key_field}, so it "
                        "cannot be stored. Ask for that field in the query."
                    )
                modified = normalize_modified(record.get("WHENMODIFIED"))
                if modified is not None and modified > newest:
                    newest = modified
                yield (
                    object_name,
                    str(key),
                    record.get(id_field) or None,
                    modified,
                    record.get("MEGAENTITYID") or None,
                    dumps(record if type(record) is dict else dict(record)).decode(),
                    pulled_at,
                )

        sql = (
            f"INSERT INTO {table} ({_PULLED_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (object, record_no) DO UPDATE SET doc_id = excluded.doc_id, "
            "when_modified = excluded.when_modified, entity = excluded.entity, "
            "fields = excluded.fields, pulled_at = excluded.pulled_at "
            "WHERE excluded.fields IS NOT fields AND (when_modified IS NULL "
            "OR excluded.when_modified IS NULL OR excluded.when_modified >= when_modified)"
        )
        with self.transaction():
            before = self._conn.total_changes
            self._conn.executemany(sql, rows())
            changed = self._conn.total_changes - before
        return PageWritten(changed, newest or None)

    def count(self, object_name: str) -> int:
        table, _ = self._table_for(object_name)
        row = self._conn.execute(
            f"SELECT count(*) FROM {table} WHERE object = ?", (object_name,)
        ).fetchone()
        return int(row[0])

    def get_pulled(self, object_name: str, key: str) -> PulledRecord | None:
        table, _ = self._table_for(object_name)
        row = self._conn.execute(
            f"SELECT {_PULLED_COLUMNS} FROM {table} WHERE object = ? AND record_no = ?",
            (object_name, str(key)),
        ).fetchone()
        return PulledRecord(*row) if row else None

    def find_pulled(self, object_name: str, doc_id: str) -> list[PulledRecord]:
        """Records by document number / ID (e.g. an invoice number), e.g. to look up an
        in-flight push."""
        table, _ = self._table_for(object_name)
        rows = self._conn.execute(
            f"SELECT {_PULLED_COLUMNS} FROM {table} WHERE object = ? AND doc_id = ?",
            (object_name, doc_id),
        ).fetchall()
        return [PulledRecord(*row) for row in rows]

    def iter_pulled(self, object_name: str) -> Iterator[PulledRecord]:
        table, _ = self._table_for(object_name)
        cursor = self._conn.execute(
            f"SELECT {_PULLED_COLUMNS} FROM {table} WHERE object = ? ORDER BY record_no",
            (object_name,),
        )
        for row in cursor:
            yield PulledRecord(*row)

    def mark_deleted(self, object_name: str, record_no: str, deleted_at: str) -> bool:
        """Flag a record Intacct deleted, keeping it (and when the deletion happened, sortable
        ISO). False if the mirror does not hold it or it is flagged already."""
        table, _ = self._table_for(object_name)
        with self.transaction():
            changed = self._conn.execute(
                f"UPDATE {table} SET deleted_at = ? WHERE object = ? AND record_no = ? "
                "AND deleted_at IS NULL",
                (deleted_at, object_name, str(record_no)),
            ).rowcount
        return bool(changed)

    def deleted_keys(self, object_name: str) -> dict[str, str]:
        """RECORDNO -> when Intacct deleted it, for the flagged records of an object."""
        table, _ = self._table_for(object_name)
        rows = self._conn.execute(
            f"SELECT record_no, deleted_at FROM {table} WHERE object = ? "
            "AND deleted_at IS NOT NULL",
            (object_name,),
        )
        return {str(key): str(when) for key, when in rows}
