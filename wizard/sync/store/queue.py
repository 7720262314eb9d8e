"""The outbox in the database: local records waiting for Intacct, and their moves.

Exactly once. The engine calls `mark_in_flight(records)` (committed) before sending them. After
a crash, `in_flight()` lists what may or may not have reached Intacct; the engine looks each one
up (by document number or external id) and calls `resolve_in_flight(record, key_or_None)`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from wizard.redaction import redact
from wizard.sync.outbox import (
    TRANSITIONS,
    IllegalTransition,
    OutboxKind,
    OutboxRecord,
    OutboxState,
)
from wizard.sync.store.database import StoreDatabase, StoreError
from wizard.sync.store.sync_errors import ErrorState

_OUTBOX_COLUMNS = (
    "id, kind, local_id, document_no, payload, depends_on, state, intacct_key, attempts, "
    "last_error, created_at, updated_at"
)


class Outbox(StoreDatabase):
    """Local records to push, in push order, with their exactly-once states."""

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

    def outbox_put(
        self,
        kind: OutboxKind,
        local_id: str,
        payload: Mapping[str, Any],
        *,
        document_no: str | None,
        depends_on: int | None,
    ) -> None:
        """`outbox_add` for bulk imports: inside the caller's transaction, with a dependency the
        caller took from this store, and returning nothing (one statement per record)."""
        if not self._depth:
            raise StoreError("outbox_put writes inside a transaction; open one first.")
        body = json.dumps(dict(payload), separators=(",", ":"), ensure_ascii=False, default=str)
        now = self._now()
        self._conn.execute(
            "INSERT INTO outbox (kind, local_id, document_no, payload, depends_on, state, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?) "
            "ON CONFLICT (kind, local_id) DO UPDATE SET payload = excluded.payload, "
            "document_no = excluded.document_no, depends_on = excluded.depends_on, "
            "updated_at = excluded.updated_at "
            "WHERE state IN ('pending', 'failed') AND payload IS NOT excluded.payload",
            (kind.value, local_id, document_no, body, depends_on, now, now),
        )

    def outbox_find(self, kind: OutboxKind | str, local_id: str) -> OutboxRecord | None:
        """The record of this kind with this local id (its key in the integration), if any."""
        row = self._conn.execute(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE kind = ? AND local_id = ?",
            (OutboxKind(kind).value, local_id),
        ).fetchone()
        return _outbox_record(row) if row else None

    def outbox_documents(self, kinds: Iterable[OutboxKind | str]) -> dict[str, int]:
        """Document number -> outbox id, for every record of these kinds (e.g. the invoices a
        file of payments may pay)."""
        wanted = [OutboxKind(k).value for k in kinds]
        rows = self._conn.execute(
            "SELECT document_no, id FROM outbox WHERE document_no IS NOT NULL "
            f"AND kind IN ({', '.join('?' * len(wanted))}) ORDER BY id",
            wanted,
        )
        return {str(document): int(record_id) for document, record_id in rows}

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
