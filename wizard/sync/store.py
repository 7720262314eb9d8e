"""The local sync store: one SQLite file per connection profile.

What it keeps: the records pulled from Intacct (fields as JSON plus indexed keys), the outbox
of local records to push, a cursor per object, the sync runs, and per-record sync errors.

Durability. The file is in WAL mode with `synchronous=FULL`: every commit is on disk before
`commit` returns, even against a power cut. NORMAL would be safe against the program being
killed, but a power cut could roll back the last commits, and the one that matters most,
`mark_in_flight` (committed *before* a record is sent), would then be lost: the record would
look unsent and go to Intacct twice. Pages of up to a thousand records are written per commit,
so the extra fsync per commit costs little. Every page of pulled records and every push outcome
is written in one transaction (`with store.transaction():`), so a kill at any moment leaves
each page either fully there or not there at all.

Exactly once. The engine calls `mark_in_flight(records)` (committed) before sending them. After
a crash, `in_flight()` lists what may or may not have reached Intacct; the engine looks each one
up (by document number or external id) and calls `resolve_in_flight(record, key_or_None)`.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

import orjson

from wizard import paths
from wizard.redaction import redact
from wizard.sync.outbox import (
    TRANSITIONS,
    IllegalTransition,
    OutboxKind,
    OutboxRecord,
    OutboxState,
)
from wizard.sync.schema import PULLED_OBJECTS, UDD_ID_FIELD, SchemaTooNew, migrate

BUSY_TIMEOUT_MS = 10_000
DEFAULT_OVERLAP_S = 300  # re-read five minutes before the cursor: Intacct's clock and ours drift

Clock = Callable[[], datetime]


class StoreError(Exception):
    """The sync database cannot be used; the message says why and what to do."""


class UnknownObject(StoreError):
    """Records of an Intacct object the store has no table for."""


class ErrorState(StrEnum):
    OPEN = "open"
    RETRYING = "retrying"
    IGNORED = "ignored"
    RESOLVED = "resolved"


class RunStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    PARTIAL = "partial"  # finished, some records failed
    FAILED = "failed"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"  # the program stopped (crash, kill, power cut) mid-run


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


@dataclass(frozen=True)
class Cursor:
    object: str
    last_modified: str  # yyyy-mm-ddTHH:MM:SS
    overlap_s: int
    updated_at: str

    @property
    def query_from(self) -> datetime:
        """Where the next pull starts: the newest change seen, minus the overlap."""
        return datetime.fromisoformat(self.last_modified) - timedelta(seconds=self.overlap_s)


@dataclass(frozen=True)
class SyncRun:
    id: int
    flows: tuple[str, ...]
    started_at: str
    finished_at: str | None
    status: RunStatus
    counts: Mapping[str, int]
    message: str | None


@dataclass(frozen=True)
class SyncError:
    id: int
    record_kind: str
    record_ref: str
    outbox_id: int | None
    operation: str
    error_no: str
    message: str
    support_id: str | None
    fix_id: str | None
    state: ErrorState
    first_seen: str
    last_seen: str
    count: int


def store_path(profile: str) -> Path:
    """The profile's database in the user data dir (AppData, ~/Library/Application Support,
    ~/.local/share)."""
    if not profile.strip():
        raise StoreError("A connection profile needs a name before its sync data can be stored.")
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", profile.strip()).strip(".") or "profile"
    if safe != profile:
        # Two names that clean up the same ("a b", "a_b") must not share a database.
        safe += "-" + hashlib.sha256(profile.encode()).hexdigest()[:8]
    return paths.data_dir() / "sync" / f"{safe}.sqlite3"


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


def _utc_now() -> datetime:
    return datetime.now(UTC)


_OUTBOX_COLUMNS = (
    "id, kind, local_id, document_no, payload, depends_on, state, intacct_key, attempts, "
    "last_error, created_at, updated_at"
)
_ERROR_COLUMNS = (
    "id, record_kind, record_ref, outbox_id, operation, error_no, message, support_id, fix_id, "
    "state, first_seen, last_seen, count"
)
_DEFAULT_KEYS = {"DIMENSIONS": "objectName"}
_PULLED_COLUMNS = "object, record_no, doc_id, when_modified, entity, fields, pulled_at"


class Store:
    """One profile's sync database. Open with `Store.open(path)`; use from one thread."""

    def __init__(self, conn: sqlite3.Connection, path: Path, clock: Clock) -> None:
        self._conn = conn
        self._path = path
        self._clock = clock
        self._depth = 0

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, clock: Clock | None = None) -> Store:
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(
                f"Cannot open the sync database {path}: {error}. Check that the folder exists "
                "and that you may write to it."
            ) from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(
                    f"The sync database {path} cannot use write-ahead logging (got {mode!r}). "
                    "Keep the profile on a local disk, not a network share."
                )
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn)
        except sqlite3.DatabaseError as error:
            conn.close()
            raise StoreError(
                f"{path} is not a usable sync database ({error}). Move it aside and run the "
                "first sync again; nothing in Intacct is lost."
            ) from None
        except (StoreError, SchemaTooNew) as error:
            conn.close()
            raise StoreError(str(error)) from None
        return cls(conn, path, clock or _utc_now)

    @classmethod
    def for_profile(cls, profile: str) -> Store:
        return cls.open(store_path(profile))

    @property
    def path(self) -> Path:
        return self._path

    @property
    def schema_version(self) -> int:
        version: int = self._conn.execute("PRAGMA user_version").fetchone()[0]
        return version

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def integrity_check(self) -> str:
        return str(self._conn.execute("PRAGMA integrity_check").fetchone()[0])

    # -- transactions ------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all. Nested blocks are savepoints."""
        if self._depth:
            name = f"sp{self._depth}"
            self._conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._conn.execute(f"ROLLBACK TO {name}")
                self._conn.execute(f"RELEASE {name}")
                raise
            finally:
                self._depth -= 1
            self._conn.execute(f"RELEASE {name}")
            return
        self._conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self._conn.execute("ROLLBACK")
            raise
        self._depth = 0
        self._conn.execute("COMMIT")

    def _now(self) -> str:
        return self._clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")

    # -- pulled records ----------------------------------------------------------------------

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

    # -- cursors -----------------------------------------------------------------------------

    def get_cursor(self, object_name: str) -> Cursor | None:
        row = self._conn.execute(
            "SELECT object, last_modified, overlap_s, updated_at FROM cursors WHERE object = ?",
            (object_name,),
        ).fetchone()
        return Cursor(*row) if row else None

    def set_cursor(
        self, object_name: str, last_modified: str, overlap_s: int = DEFAULT_OVERLAP_S
    ) -> Cursor:
        """Remember the newest WHENMODIFIED seen (Intacct or ISO format). Write it in the same
        transaction as the page it came from, and only from pages read in WHENMODIFIED order
        (`query` with orderby); with unordered `readByQuery` pages, only after the last page,
        or a kill mid-pull would skip the records of the pages not yet read."""
        normalized = normalize_modified(last_modified)
        if not normalized:
            raise StoreError(f"A cursor needs a WHENMODIFIED value; got {last_modified!r}.")
        try:
            datetime.fromisoformat(normalized)
        except ValueError:
            raise StoreError(
                f"{last_modified!r} is not a WHENMODIFIED date and time "
                "(expected mm/dd/yyyy HH:MM:SS)."
            ) from None
        if overlap_s < 0:
            raise StoreError("The cursor overlap cannot be negative.")
        now = self._now()
        with self.transaction():
            self._conn.execute(
                "INSERT INTO cursors (object, last_modified, overlap_s, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (object) DO UPDATE SET "
                "last_modified = excluded.last_modified, overlap_s = excluded.overlap_s, "
                "updated_at = excluded.updated_at",
                (object_name, normalized, overlap_s, now),
            )
        return Cursor(object_name, normalized, overlap_s, now)

    def clear_cursor(self, object_name: str) -> None:
        """Forget the cursor: the next pull reads everything again."""
        with self.transaction():
            self._conn.execute("DELETE FROM cursors WHERE object = ?", (object_name,))

    # -- outbox ------------------------------------------------------------------------------

    def outbox_add(
        self,
        kind: OutboxKind | str,
        local_id: str,
        payload: Mapping[str, Any],
        *,
        document_no: str | None = None,
        depends_on: int | OutboxRecord | None = None,
    ) -> OutboxRecord:
        """Queue a local record for Intacct. Adding the same (kind, local_id) again updates
        the payload while it waits (pending or failed) and leaves it alone once sent."""
        try:
            kind = OutboxKind(kind)
        except ValueError:
            known = ", ".join(k.value for k in OutboxKind)
            raise StoreError(
                f"{kind!r} is not a kind of outbox record; use one of {known}."
            ) from None
        dependency = depends_on.id if isinstance(depends_on, OutboxRecord) else depends_on
        # default=str: amounts (Decimal) and dates are kept as their text.
        body = json.dumps(dict(payload), separators=(",", ":"), ensure_ascii=False, default=str)
        now = self._now()
        with self.transaction():
            if dependency is not None and self._state_of(dependency) is None:
                raise StoreError(
                    f"{kind.value} {local_id!r} depends on outbox record {dependency}, "
                    "which does not exist."
                )
            self._conn.execute(
                "INSERT INTO outbox (kind, local_id, document_no, payload, depends_on, state, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?) "
                "ON CONFLICT (kind, local_id) DO UPDATE SET payload = excluded.payload, "
                "document_no = excluded.document_no, depends_on = excluded.depends_on, "
                "updated_at = excluded.updated_at "
                "WHERE state IN ('pending', 'failed') AND payload IS NOT excluded.payload",
                (kind.value, local_id, document_no, body, dependency, now, now),
            )
            row = self._conn.execute(
                f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE kind = ? AND local_id = ?",
                (kind.value, local_id),
            ).fetchone()
        return _outbox_record(row)

    def outbox_get(self, record_id: int) -> OutboxRecord:
        row = self._conn.execute(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE id = ?", (record_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"There is no outbox record {record_id}.")
        return _outbox_record(row)

    def outbox_pending(
        self,
        kinds: Iterable[OutboxKind | str] | None = None,
        *,
        include_blocked: bool = False,
        limit: int | None = None,
    ) -> list[OutboxRecord]:
        """Pending records in push order: every record after the one it depends on, customers
        before invoices before payments, oldest first. By default only records that are ready
        (no dependency, or the dependency has landed); `include_blocked` adds those still
        waiting on a pending or in-flight dependency. Ignored records never appear."""
        rank = " ".join(f"WHEN '{k.value}' THEN {k.rank}" for k in OutboxKind)
        wanted = [OutboxKind(k).value for k in kinds] if kinds is not None else None
        kind_filter = ""
        params: list[Any] = []
        if wanted is not None:
            kind_filter = f"AND o.kind IN ({', '.join('?' * len(wanted))})"
            params.extend(wanted)
        ready = "dep.id IS NULL OR dep.state = 'landed'"
        if include_blocked:
            ready += " OR dep.state IN ('pending', 'in_flight')"
        # A record sorts after everything it depends on: by the latest kind in its chain
        # (customers, invoices, ... payments), then by how deep in the chain it sits. The
        # chain is walked up from the pending records only (landed ones are never ranked).
        columns = ", ".join("o." + c.strip() for c in _OUTBOX_COLUMNS.split(","))
        sql = f"""
            WITH RECURSIVE up (id, ancestor, level, rank) AS (
                SELECT o.id, o.depends_on, 0, CASE o.kind {rank} END
                FROM outbox o LEFT JOIN outbox dep ON dep.id = o.depends_on
                WHERE o.state = 'pending' AND ({ready}) {kind_filter}
                UNION ALL
                SELECT up.id, a.depends_on, up.level + 1, max(up.rank, CASE a.kind {rank} END)
                FROM up JOIN outbox a ON a.id = up.ancestor
                WHERE up.level < 64
            ),
            ranked (id, level, rank) AS (
                SELECT id, max(level), max(rank) FROM up GROUP BY id
            )
            SELECT {columns}
            FROM ranked c JOIN outbox o ON o.id = c.id
            ORDER BY c.rank, c.level, o.id
        """
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [_outbox_record(row) for row in self._conn.execute(sql, params)]

    def outbox_records(self, state: OutboxState | str | None = None) -> list[OutboxRecord]:
        """Every outbox record (in `state`, if given), oldest first."""
        sql = f"SELECT {_OUTBOX_COLUMNS} FROM outbox"
        params: tuple[str, ...] = ()
        if state is not None:
            sql += " WHERE state = ?"
            params = (OutboxState(state).value,)
        return [_outbox_record(row) for row in self._conn.execute(sql + " ORDER BY id", params)]

    def outbox_blocked(self) -> list[OutboxRecord]:
        """Pending records that cannot go because the record they depend on failed or was
        ignored (e.g. a payment whose invoice Intacct refused)."""
        rows = self._conn.execute(
            f"SELECT {', '.join('o.' + c.strip() for c in _OUTBOX_COLUMNS.split(','))} "
            "FROM outbox o JOIN outbox dep ON dep.id = o.depends_on "
            "WHERE o.state = 'pending' AND dep.state IN ('failed', 'ignored') ORDER BY o.id"
        )
        return [_outbox_record(row) for row in rows]

    def outbox_counts(self) -> dict[OutboxState, int]:
        counts = dict.fromkeys(OutboxState, 0)
        for state, number in self._conn.execute(
            "SELECT state, count(*) FROM outbox GROUP BY state"
        ):
            counts[OutboxState(state)] = number
        return counts

    def in_flight(self) -> list[OutboxRecord]:
        """Records sent whose outcome is unknown: look each up in Intacct before sending it
        again, then call `resolve_in_flight`."""
        rows = self._conn.execute(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE state = 'in_flight' ORDER BY id"
        )
        return [_outbox_record(row) for row in rows]

    def _state_of(self, record_id: int) -> OutboxState | None:
        row = self._conn.execute("SELECT state FROM outbox WHERE id = ?", (record_id,)).fetchone()
        return OutboxState(row[0]) if row else None

    def _states_of(self, ids: Sequence[int]) -> dict[int, OutboxState]:
        states: dict[int, OutboxState] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self._conn.execute(
                f"SELECT id, state FROM outbox WHERE id IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
            states.update((row[0], OutboxState(row[1])) for row in rows)
        return states

    def _move(
        self,
        records: Sequence[int | OutboxRecord],
        to: OutboxState,
        extra_sql: str = "",
        extra: Sequence[Any] = (),
    ) -> None:
        ids = [r.id if isinstance(r, OutboxRecord) else int(r) for r in records]
        now = self._now()
        with self.transaction():
            states = self._states_of(ids)
            for record_id in ids:
                current = states.get(record_id)
                if current is None or (current, to) not in TRANSITIONS:
                    raise IllegalTransition(record_id, current, to)
            self._conn.executemany(
                f"UPDATE outbox SET state = ?, updated_at = ?{extra_sql} WHERE id = ?",
                [(to.value, now, *extra, record_id) for record_id in ids],
            )

    def _set_errors(self, record_id: int, state: ErrorState) -> None:
        self._conn.execute(
            "UPDATE sync_errors SET state = ? WHERE outbox_id = ? AND state != 'resolved'",
            (state.value, record_id),
        )

    def mark_in_flight(self, records: Sequence[int | OutboxRecord]) -> None:
        """Commit "about to send" for these pending records. Call before the request leaves;
        all move or none does."""
        self._move(records, OutboxState.IN_FLIGHT, ", attempts = attempts + 1")

    def mark_landed(self, record: int | OutboxRecord, intacct_key: str) -> None:
        if not intacct_key:
            raise StoreError("A landed record needs the key Intacct gave it.")
        record_id = record.id if isinstance(record, OutboxRecord) else record
        with self.transaction():
            self._move([record_id], OutboxState.LANDED, ", intacct_key = ?", (intacct_key,))
            self._set_errors(record_id, ErrorState.RESOLVED)

    def mark_landed_many(self, landed: Sequence[tuple[int | OutboxRecord, str]]) -> None:
        """`mark_landed` for a whole batch in one transaction: all move or none does."""
        if any(not key for _, key in landed):
            raise StoreError("A landed record needs the key Intacct gave it.")
        ids = [r.id if isinstance(r, OutboxRecord) else int(r) for r, _ in landed]
        now = self._now()
        with self.transaction():
            states = self._states_of(ids)
            for record_id in ids:
                current = states.get(record_id)
                if current is None or (current, OutboxState.LANDED) not in TRANSITIONS:
                    raise IllegalTransition(record_id, current, OutboxState.LANDED)
            self._conn.executemany(
                "UPDATE outbox SET state = 'landed', updated_at = ?, intacct_key = ? WHERE id = ?",
                [(now, key, record_id) for record_id, (_, key) in zip(ids, landed, strict=True)],
            )
            self._conn.executemany(
                "UPDATE sync_errors SET state = 'resolved' WHERE outbox_id = ? "
                "AND state != 'resolved'",
                [(record_id,) for record_id in ids],
            )

    def mark_failed(self, record: int | OutboxRecord, message: str) -> None:
        """Intacct refused the record; record the reason with `record_error` as well."""
        self._move([record], OutboxState.FAILED, ", last_error = ?", (redact(message),))

    def resolve_in_flight(self, record: int | OutboxRecord, intacct_key: str | None) -> None:
        """After looking an in-flight record up in Intacct: found (its key) -> landed;
        not found (None) -> pending, to be sent again."""
        if intacct_key:
            self.mark_landed(record, intacct_key)
        else:
            self._move([record], OutboxState.PENDING)

    def ignore(self, record: int | OutboxRecord) -> None:
        """Stop pushing this record (and, through it, the records that depend on it)."""
        record_id = record.id if isinstance(record, OutboxRecord) else record
        with self.transaction():
            self._move([record_id], OutboxState.IGNORED)
            self._set_errors(record_id, ErrorState.IGNORED)

    def unignore(self, record: int | OutboxRecord) -> None:
        record_id = record.id if isinstance(record, OutboxRecord) else record
        with self.transaction():
            self._move([record_id], OutboxState.PENDING)
            self._set_errors(record_id, ErrorState.RETRYING)

    def retry(self, record: int | OutboxRecord) -> None:
        """Send a failed record again on the next sync."""
        record_id = record.id if isinstance(record, OutboxRecord) else record
        with self.transaction():
            self._move([record_id], OutboxState.PENDING)
            self._set_errors(record_id, ErrorState.RETRYING)

    # -- per-record errors -------------------------------------------------------------------

    def record_error(
        self,
        record_kind: str,
        record_ref: str,
        operation: str,
        message: str,
        *,
        error_no: str = "",
        support_id: str | None = None,
        fix_id: str | None = None,
        outbox_id: int | None = None,
    ) -> SyncError:
        """Note that a record failed. The same failure again (same record, operation and
        error number) counts up and moves `last_seen`; an ignored one stays ignored."""
        now = self._now()
        with self.transaction():
            self._conn.execute(
                "INSERT INTO sync_errors (record_kind, record_ref, outbox_id, operation, "
                "error_no, message, support_id, fix_id, state, first_seen, last_seen, count) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, 1) "
                "ON CONFLICT (record_kind, record_ref, operation, error_no) DO UPDATE SET "
                "count = count + 1, last_seen = excluded.last_seen, message = excluded.message, "
                "support_id = coalesce(excluded.support_id, support_id), "
                "fix_id = coalesce(excluded.fix_id, fix_id), "
                "outbox_id = coalesce(excluded.outbox_id, outbox_id), "
                "state = CASE state WHEN 'ignored' THEN 'ignored' ELSE 'open' END",
                (
                    record_kind,
                    record_ref,
                    outbox_id,
                    operation,
                    error_no,
                    redact(message),
                    support_id,
                    fix_id,
                    now,
                    now,
                ),
            )
            row = self._conn.execute(
                f"SELECT {_ERROR_COLUMNS} FROM sync_errors WHERE record_kind = ? AND "
                "record_ref = ? AND operation = ? AND error_no = ?",
                (record_kind, record_ref, operation, error_no),
            ).fetchone()
        return _sync_error(row)

    def errors(self, state: ErrorState | str | None = None) -> list[SyncError]:
        """Sync errors, most recent first; only those in `state` if given."""
        sql = f"SELECT {_ERROR_COLUMNS} FROM sync_errors"
        params: tuple[str, ...] = ()
        if state is not None:
            sql += " WHERE state = ?"
            params = (ErrorState(state).value,)
        rows = self._conn.execute(sql + " ORDER BY last_seen DESC, id DESC", params)
        return [_sync_error(row) for row in rows]

    def set_error_state(self, error_id: int, state: ErrorState | str) -> None:
        with self.transaction():
            changed = self._conn.execute(
                "UPDATE sync_errors SET state = ? WHERE id = ?",
                (ErrorState(state).value, error_id),
            ).rowcount
        if not changed:
            raise StoreError(f"There is no sync error {error_id}.")

    # -- runs --------------------------------------------------------------------------------

    def start_run(self, flows: Iterable[str]) -> SyncRun:
        now = self._now()
        with self.transaction():
            cursor = self._conn.execute(
                "INSERT INTO sync_runs (flows, started_at, status) VALUES (?, ?, 'running')",
                (json.dumps(list(flows)), now),
            )
            run_id = cursor.lastrowid
        assert run_id is not None
        return self.run(run_id)

    def finish_run(
        self,
        run: int | SyncRun,
        status: RunStatus | str,
        counts: Mapping[str, int] | None = None,
        message: str | None = None,
    ) -> SyncRun:
        run_id = run.id if isinstance(run, SyncRun) else run
        status = RunStatus(status)
        if status is RunStatus.RUNNING:
            raise StoreError("A finished run needs its outcome, not 'running'.")
        with self.transaction():
            changed = self._conn.execute(
                "UPDATE sync_runs SET finished_at = ?, status = ?, counts = ?, message = ? "
                "WHERE id = ? AND status = 'running'",
                (
                    self._now(),
                    status.value,
                    json.dumps(dict(counts or {})),
                    redact(message) if message else None,
                    run_id,
                ),
            ).rowcount
        if not changed:
            raise StoreError(f"Sync run {run_id} does not exist or has already finished.")
        return self.run(run_id)

    def close_interrupted_runs(self) -> list[SyncRun]:
        """Mark runs left 'running' by a program that died as interrupted. Call when a sync
        starts, from the one process that syncs this profile."""
        with self.transaction():
            ids = [
                row[0]
                for row in self._conn.execute("SELECT id FROM sync_runs WHERE status = 'running'")
            ]
            self._conn.executemany(
                "UPDATE sync_runs SET status = 'interrupted' WHERE id = ?",
                [(run_id,) for run_id in ids],
            )
        return [self.run(run_id) for run_id in ids]

    def run(self, run_id: int) -> SyncRun:
        row = self._conn.execute(
            "SELECT id, flows, started_at, finished_at, status, counts, message "
            "FROM sync_runs WHERE id = ?",
            (run_id,),
        ).fetchone()
        if row is None:
            raise StoreError(f"There is no sync run {run_id}.")
        return _sync_run(row)

    def last_good_run(self) -> SyncRun | None:
        """The most recent run that finished without any failure."""
        row = self._conn.execute(
            "SELECT id, flows, started_at, finished_at, status, counts, message FROM sync_runs "
            "WHERE status = 'succeeded' ORDER BY finished_at DESC, id DESC LIMIT 1"
        ).fetchone()
        return _sync_run(row) if row else None


def _outbox_record(row: Sequence[Any]) -> OutboxRecord:
    (rid, kind, local_id, doc, payload, dep, state, key, attempts, error, created, updated) = row
    return OutboxRecord(
        id=rid,
        kind=OutboxKind(kind),
        local_id=local_id,
        document_no=doc,
        payload_json=payload,
        depends_on=dep,
        state=OutboxState(state),
        intacct_key=key,
        attempts=attempts,
        last_error=error,
        created_at=created,
        updated_at=updated,
    )


def _sync_error(row: Sequence[Any]) -> SyncError:
    values = list(row)
    values[9] = ErrorState(values[9])
    return SyncError(*values)


def _sync_run(row: Sequence[Any]) -> SyncRun:
    rid, flows, started, finished, status, counts, message = row
    return SyncRun(
        id=rid,
        flows=tuple(json.loads(flows)),
        started_at=started,
        finished_at=finished,
        status=RunStatus(status),
        counts=json.loads(counts),
        message=message,
    )
