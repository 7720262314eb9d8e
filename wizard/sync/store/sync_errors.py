"""Per-record sync errors: what failed, how often, and whether the admin retries or ignores."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from wizard.redaction import redact
from wizard.sync.store.database import StoreDatabase, StoreError


class ErrorState(StrEnum):
    OPEN = "open"
    RETRYING = "retrying"
    IGNORED = "ignored"
    RESOLVED = "resolved"


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


_ERROR_COLUMNS = (
    "id, record_kind, record_ref, outbox_id, operation, error_no, message, support_id, fix_id, "
    "state, first_seen, last_seen, count"
)


class ErrorLog(StoreDatabase):
    """One row per (record, operation, error number), counted up when it happens again."""

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


def _sync_error(row: Sequence[Any]) -> SyncError:
    values = list(row)
    values[9] = ErrorState(values[9])
    return SyncError(*values)
