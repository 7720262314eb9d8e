"""The mirror, out: one object's records from the local store as CSV or JSON Lines, with the
columns of its read-only SQL view (Intacct's field names, plus DELETED_AT). Rows stream."""

from __future__ import annotations

import csv
import datetime as dt
from enum import StrEnum
from typing import TextIO

import orjson

from wizard.sync.store import Store
from wizard.sync.store.views import DELETED_COLUMN


class ExportFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


def export_object(
    store: Store,
    object_name: str,
    out: TextIO,
    *,
    format: ExportFormat = ExportFormat.CSV,
    since: dt.date | None = None,
) -> int:
    """Write the object's records (modified on or after `since`, if given) to `out`; returns
    how many. StoreError if the store has no view of the object."""
    spec = store.view(object_name)
    columns = (*spec.columns, DELETED_COLUMN)
    rows = store.view_rows(spec.object, f"{since.isoformat()}T00:00:00" if since else None)
    written = 0
    if format is ExportFormat.CSV:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])
            written += 1
        return written
    for row in rows:
        out.write(orjson.dumps(dict(zip(columns, row, strict=True))).decode())
        out.write("\n")
        written += 1
    return written
