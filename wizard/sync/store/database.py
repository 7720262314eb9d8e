"""The sync database itself: opening it, its durability settings, and transactions.

Durability. The file is in WAL mode with `synchronous=FULL`: every commit is on disk before
`commit` returns, even against a power cut. NORMAL would be safe against the program being
killed, but a power cut could roll back the last commits, and the one that matters most,
`mark_in_flight` (committed *before* a record is sent), would then be lost: the record would
look unsent and go to Intacct twice. Pages of up to a thousand records are written per commit,
so the extra fsync per commit costs little. Every page of pulled records and every push outcome
is written in one transaction (`with store.transaction():`), so a kill at any moment leaves
each page either fully there or not there at all.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from wizard import paths
from wizard.sync.schema import SchemaTooNew, migrate

BUSY_TIMEOUT_MS = 10_000
# A pulled record is a row of about a kilobyte of JSON: SQLite's default 4 KiB pages hold
# three, so a page of 2,000 records dirties some 700 table pages, each a frame written to the
# WAL and copied again at the checkpoint. 16 KiB pages hold four times as many rows, with
# fewer b-tree pages to split and fewer writes (tests/benchmarks/bench_sync.py: about 1 us of
# CPU less per pulled record).
PAGE_SIZE = 16_384

Clock = Callable[[], datetime]


class StoreError(Exception):
    """The sync database cannot be used; the message says why and what to do."""


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


def _utc_now() -> datetime:
    return datetime.now(UTC)


class StoreDatabase:
    """The connection and its transactions; the parts of `Store` build on this."""

    def __init__(self, conn: sqlite3.Connection, path: Path, clock: Clock) -> None:
        self._conn = conn
        self._path = path
        self._clock = clock
        self._depth = 0

    @classmethod
    def open(cls, path: Path, *, clock: Clock | None = None) -> Self:
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
            # Takes effect only on a new file (before WAL mode writes its first page); a
            # store made with SQLite's default 4 KiB pages keeps them.
            conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(
                    f"The sync database {path} cannot use write-ahead logging (got {mode!r}). "
                    "Keep the profile on a local disk, not a network share."
                )
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn)
            cls._prepare(conn)
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
    def _prepare(cls, conn: sqlite3.Connection) -> None:
        """After the migrations, before use: what a part of the store sets up on opening."""

    @classmethod
    def for_profile(cls, profile: str) -> Self:
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

    def __enter__(self) -> Self:
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
