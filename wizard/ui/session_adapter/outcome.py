"""What a sync run did, in figures that add up, and its failed records by the names the admin
knows (invoice number, customer id), read from the store on the worker thread.

    read_total == the sum of the "Reading …" bars of this run
    outbox.landed + outbox.refused + outbox.waiting + outbox.ignored == outbox.total
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wizard.ui.session_adapter.catalogues import fix_for

if TYPE_CHECKING:
    from wizard.fixes import Fix
    from wizard.sync.engine import SyncSummary
    from wizard.sync.outbox import OutboxRecord
    from wizard.sync.store import Store, SyncError

# How a record is named, by what it becomes in Intacct: (word, payload keys tried in order).
_KIND_WORDS: Mapping[str, str] = {
    "customer": "customer",
    "invoice": "invoice",
    "convenience_fee_invoice": "fee invoice",
    "credit_note": "credit note",
    "payment": "payment",
    "card_account": "card account",
    "card_charge": "card charge",
}
_OWN_ID_KEYS = ("customer_id", "card_id", "account_id", "id")


def record_name(record: OutboxRecord) -> str:
    """ "invoice WEB-000035 (customer C-1035)": what the admin can find in both systems."""
    word = _KIND_WORDS.get(record.kind.value, record.kind.value.replace("_", " "))
    payload: Mapping[str, Any] = record.payload
    customer = str(payload.get("customer_id") or "")
    if record.document_no:
        return f"{word} {record.document_no}" + (f" (customer {customer})" if customer else "")
    own = next((str(payload[k]) for k in _OWN_ID_KEYS if payload.get(k)), "")
    if own:
        return f"{word} {own}"
    return f"{word} {record.local_id}"  # the integration's own id: the last resort


@dataclass(frozen=True)
class ErrorGroup:
    """Failed records that share one fix."""

    fix: Fix
    errors: tuple[SyncError, ...]
    names: tuple[str, ...] = ()  # each record as the admin knows it ("invoice WEB-000035")

    def name(self, index: int) -> str:
        return self.names[index] if index < len(self.names) else self.errors[index].record_ref

    @property
    def outbox_ids(self) -> tuple[int, ...]:
        return tuple(e.outbox_id for e in self.errors if e.outbox_id is not None)


@dataclass(frozen=True)
class OutboxFigures:
    """The whole outbox (every run so far) by what happened to each record."""

    landed: int = 0  # in Intacct
    refused: int = 0  # Intacct refused them; they wait for a fix
    waiting: int = 0  # not sent yet (some wait on a refused record they need)
    ignored: int = 0  # the admin chose not to send them

    @property
    def total(self) -> int:
        return self.landed + self.refused + self.waiting + self.ignored


@dataclass(frozen=True)
class SyncFigures:
    read: tuple[tuple[str, int], ...] = ()  # (Intacct object, records read) in this run
    read_back: tuple[tuple[str, int], ...] = ()  # read again after the push (what it created)
    sent_this_run: int = 0  # landed in Intacct during this run
    refused_this_run: int = 0
    outbox: OutboxFigures = OutboxFigures()

    @property
    def read_back_total(self) -> int:
        return sum(n for _, n in self.read_back)

    @property
    def read_total(self) -> int:
        """Every record read in this run: the sum of its "Reading …" bars."""
        return sum(n for _, n in self.read) + self.read_back_total


@dataclass(frozen=True)
class SyncOutcome:
    """One run: the engine's summary, its figures and the failed records grouped by fix."""

    summary: SyncSummary
    figures: SyncFigures
    groups: tuple[ErrorGroup, ...]


def outbox_figures(store: Store) -> OutboxFigures:
    from wizard.sync.outbox import OutboxState

    counts = store.outbox_counts()
    return OutboxFigures(
        landed=counts[OutboxState.LANDED],
        refused=counts[OutboxState.FAILED],
        waiting=counts[OutboxState.PENDING] + counts[OutboxState.IN_FLIGHT],
        ignored=counts[OutboxState.IGNORED],
    )


def named_groups(store: Store, errors: Sequence[SyncError]) -> tuple[ErrorGroup, ...]:
    """Failed records grouped by fix, each named by what the admin knows."""
    from wizard.sync.store import StoreError

    groups: dict[str, list[tuple[SyncError, str]]] = {}
    for error in errors:
        name = error.record_ref
        if error.outbox_id is not None:
            with suppress(StoreError):  # the record is gone: its own id is all there is
                name = record_name(store.outbox_get(error.outbox_id))
        groups.setdefault(error.fix_id or "unrecognised-error", []).append((error, name))
    return tuple(
        ErrorGroup(fix_for(fix_id), tuple(e for e, _ in found), tuple(n for _, n in found))
        for fix_id, found in groups.items()
    )


def outcome(store: Store, summary: SyncSummary) -> SyncOutcome:
    push = summary.push
    figures = SyncFigures(
        read=tuple((p.object, p.fetched) for p in summary.pulled),
        read_back=tuple((p.object, p.fetched) for p in summary.read_back),
        sent_this_run=push.landed if push else 0,
        refused_this_run=push.failed if push else 0,
        outbox=outbox_figures(store),
    )
    return SyncOutcome(summary, figures, named_groups(store, summary.open_errors))
