"""Diagnose: what changed since the sync last ran clean."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wizard.checks import CheckStatus, Finding

if TYPE_CHECKING:
    from wizard.sync.store import SyncError, SyncRun
    from wizard.ui.session_adapter.target import Target


@dataclass(frozen=True)
class History:
    last_good: SyncRun | None
    last_good_saved: str  # from the profile, in words ("" when never)
    open_errors: tuple[SyncError, ...]
    failed_records: int


def history(target: Target) -> History:
    """The store's last good run and open errors (none when nothing was synced here)."""
    from wizard.sync.outbox import OutboxState
    from wizard.sync.store import ErrorState, Store, store_path

    saved = target.profile.last_good_run
    saved_text = f"{saved.finished_at:%d %b %Y %H:%M} ({saved.records:,} records)" if saved else ""
    path = store_path(target.profile.name)
    if not path.exists():
        return History(None, saved_text, (), 0)
    with Store.open(path) as store:
        return History(
            store.last_good_run(),
            saved_text,
            tuple(store.errors(ErrorState.OPEN)),
            len(store.outbox_records(OutboxState.FAILED)),
        )


def _when(stamp: str | None) -> str:
    """ "23 Nov 2026 10:06" from the store's ISO time stamp (UTC)."""
    if not stamp:
        return ""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return f"{moment:%d %b %Y %H:%M} UTC"


def changes(findings: Sequence[Finding], past: History) -> tuple[str, ...]:
    """What is different now from when the sync last ran clean, one sentence each."""
    lines: list[str] = []
    when = _when(past.last_good.finished_at) if past.last_good is not None else ""
    when = when or past.last_good_saved
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
