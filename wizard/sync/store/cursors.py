"""Where each object's next incremental pull starts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from wizard.sync.store.database import StoreDatabase, StoreError
from wizard.sync.store.mirror import normalize_modified

DEFAULT_OVERLAP_S = 300  # re-read five minutes before the cursor: Intacct's clock and ours drift


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


class Cursors(StoreDatabase):
    """One cursor per object: the newest WHENMODIFIED seen."""

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
