"""Progress reports and cancellation, shared by the GUI and the CLI.

The engine calls `listener(progress)` after every page it stores and every batch it pushes,
from the thread that runs the sync; a GUI forwards it with a signal. `Cancel.request()` may be
called from any thread: the engine checks it between pages and batches (safe points) and stops
there, leaving nothing half-written.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Phase(StrEnum):
    LOOKUP = "lookup"  # finding out whether interrupted pushes reached Intacct
    PULL = "pull"
    PUSH = "push"
    DRY_RUN = "dry_run"


@dataclass(frozen=True)
class Progress:
    phase: Phase
    object: str  # Intacct object or outbox kind being worked on
    done: int  # records of this object done so far
    total: int | None  # records of this object in all, when known
    records_done: int  # records done in the whole run
    rate: float  # records per second over the whole run
    errors: int  # failed records so far in this run

    @property
    def text(self) -> str:
        """One line for a log or a terminal without a progress bar."""
        of = f" of {self.total}" if self.total is not None else ""
        verb = {"pull": "fetched", "push": "pushed", "lookup": "checked", "dry_run": "checked"}[
            self.phase.value
        ]
        return (
            f"{self.object}: {verb} {self.done}{of} ({self.rate:.0f} records/s, "
            f"{self.errors} error{'s' if self.errors != 1 else ''})"
        )


ProgressListener = Callable[[Progress], None]


class Cancel:
    """A flag the engine checks at safe points. Thread-safe."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def request(self) -> None:
        self._event.set()

    @property
    def requested(self) -> bool:
        return self._event.is_set()


class Meter:
    """Counts records done in a run and reports `Progress` to the listener."""

    def __init__(self, listener: ProgressListener | None) -> None:
        self._listener = listener
        self._started = time.monotonic()
        self.records_done = 0
        self.errors = 0

    def report(
        self, phase: Phase, obj: str, done: int, total: int | None, new_records: int = 0
    ) -> None:
        self.records_done += new_records
        if self._listener is None:
            return
        elapsed = max(time.monotonic() - self._started, 1e-6)
        self._listener(
            Progress(
                phase, obj, done, total, self.records_done, self.records_done / elapsed, self.errors
            )
        )
