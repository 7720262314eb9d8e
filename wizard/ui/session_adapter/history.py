"""Diagnose: what changed since the sync last ran clean."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wizard.checks import CheckStatus, Finding

if TYPE_CHECKING:
    from wizard.connection import LastGoodRun
    from wizard.sync.store import SyncError, SyncRun
    from wizard.ui.session_adapter.target import Target


@dataclass(frozen=True)
class History:
    last_good: SyncRun | None
    last_good_saved: LastGoodRun | None  # from the profile (None when never)
    open_errors: tuple[SyncError, ...]
    failed_records: int


ShowMoment = Callable[[dt.datetime], str]


def history(target: Target) -> History:
    """The store's last good run and open errors (none when nothing was synced here)."""
    from wizard.sync.outbox import OutboxState
    from wizard.sync.store import ErrorState, Store, store_path

    saved = target.profile.last_good_run
    path = store_path(target.profile.name)
    if not path.exists():
        return History(None, saved, (), 0)
    with Store.open(path) as store:
        return History(
            store.last_good_run(),
            saved,
            tuple(store.errors(ErrorState.OPEN)),
            len(store.outbox_records(OutboxState.FAILED)),
        )


def _when(stamp: str | None, show: ShowMoment) -> str:
    """The store's ISO time stamp (UTC) as `show` writes a moment for the admin."""
    if not stamp:
        return ""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return show(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC))


def changes(
    findings: Sequence[Finding], past: History, show: ShowMoment = dt.datetime.isoformat
) -> tuple[str, ...]:
    """What is different now from when the sync last ran clean, one sentence each; `show`
    writes a moment (the window passes the system locale's format)."""
    lines: list[str] = []
    when = _when(past.last_good.finished_at, show) if past.last_good is not None else ""
    saved = past.last_good_saved
    if not when and saved is not None:
        when = f"{show(saved.finished_at)} ({saved.records:,} records)"
    failing = [f for f in findings if f.status is CheckStatus.FAIL]
    if when:
        lines.append(f"The last sync without errors finished on {when}.")
    else:
        lines.append("No sync has finished without errors on this computer yet.")
    for finding in failing:
        lines.append(f"Now failing: {finding.title}.")
    if past.failed_records:
        lines.append(
            f"{past.failed_records:,} record{'s' if past.failed_records != 1 else ''} "
            "failed since then and wait to be sent again."
        )
    if not failing and not past.failed_records:
        lines.append("Nothing is failing now.")
    return tuple(lines)
