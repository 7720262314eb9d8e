"""Sync runs: when each started and finished, how it ended, and its counts."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from wizard.redaction import redact
from wizard.sync.store.database import StoreDatabase, StoreError


class RunStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    PARTIAL = "partial"  # finished, some records failed
    FAILED = "failed"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"  # the program stopped (crash, kill, power cut) mid-run


@dataclass(frozen=True)
class SyncRun:
    id: int
    flows: tuple[str, ...]
    started_at: str
    finished_at: str | None
    status: RunStatus
    counts: Mapping[str, int]
    message: str | None


class RunLog(StoreDatabase):
    """The history of sync runs; a run left running by a dead program is closed as interrupted."""

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
