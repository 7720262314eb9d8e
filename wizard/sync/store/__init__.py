"""The local sync store: one SQLite file per connection profile.

What it keeps, one module each: the records pulled from Intacct (`mirror`: fields as JSON plus
indexed keys), a cursor per object (`cursors`), the outbox of local records to push (`queue`),
per-record sync errors (`sync_errors`), the sync runs (`runs`), and read-only SQL views of
the mirror named as Intacct names objects and fields (`views`). `database` opens the file
and runs the transactions every part writes in (durability: see there). The tables themselves
and their migrations are in `wizard.sync.schema`.
"""

from __future__ import annotations

from wizard.sync.store.cursors import DEFAULT_OVERLAP_S, Cursor, Cursors
from wizard.sync.store.database import BUSY_TIMEOUT_MS, Clock, StoreError, store_path
from wizard.sync.store.mirror import (
    PageWritten,
    PulledMirror,
    PulledRecord,
    UnknownObject,
    normalize_modified,
)
from wizard.sync.store.queue import Outbox
from wizard.sync.store.runs import RunLog, RunStatus, SyncRun
from wizard.sync.store.sync_errors import ErrorLog, ErrorState, SyncError
from wizard.sync.store.views import MirrorViews, ViewSpec

__all__ = [
    "BUSY_TIMEOUT_MS",
    "DEFAULT_OVERLAP_S",
    "Clock",
    "Cursor",
    "ErrorState",
    "PageWritten",
    "PulledRecord",
    "RunStatus",
    "Store",
    "StoreError",
    "SyncError",
    "SyncRun",
    "UnknownObject",
    "ViewSpec",
    "normalize_modified",
    "store_path",
]


class Store(PulledMirror, MirrorViews, Cursors, Outbox, ErrorLog, RunLog):
    """One profile's sync database. Open with `Store.open(path)`; use from one thread."""
