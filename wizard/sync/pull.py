"""Pull: read Intacct objects into the store, pages and objects side by side.

Reference data first, then transactions. The first sync of a transaction object reads one
date range (at most `max_days_per_run` days, from `since`); once a read reaches today, the
object gets a cursor and later syncs read only records whose WHENMODIFIED is at or after the
cursor minus a small overlap. Giving `since` again later reads that year of older history and
leaves the cursor alone. Records are upserted by their Intacct key, so reading one twice
changes nothing.

Speed: a company answers a page in a second or more and runs a few requests at once, so up to
`Slots.limit` requests are in flight (pages of one object, and the next object's first page
while the last ones arrive); `paged_read.py` says which pages, and why the read neither misses
nor repeats a record while Intacct's data changes. When the company answers "too many
operations", the slots shrink for the rest of the run instead of pages failing.

Crash safety: each page is written in one transaction as it arrives, in any order; the cursor
is written only with the object's last page, never earlier. A kill mid-read leaves the old
cursor (or none) and the next sync reads the object again from there.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field

from wizard.gateway import AuthenticationError, Client, ControlError, GatewayError, Record
from wizard.gateway import functions as fn
from wizard.gateway.errors import is_session_expired, is_too_many_operations
from wizard.sync.fetch import FetchedPage, Fetcher, Slots, short_read
from wizard.sync.paged_read import Kind, PagedRead, Request
from wizard.sync.progress import Cancel, Meter, Phase
from wizard.sync.pull_plan import (
    ObjectPlan,
    PullPlan,
    PullPlanError,
    default_pull_plan,
    load_pull_plan,
)
from wizard.sync.store import Cursor, Store

log = logging.getLogger("wizard.sync")

__all__ = [  # the plan's names are imported from here too
    "Cancelled",
    "ObjectPlan",
    "PullPlan",
    "PullPlanError",
    "PullResult",
    "default_pull_plan",
    "load_pull_plan",
    "pull_dimensions",
    "pull_object",
    "pull_objects",
]


class Cancelled(Exception):
    """The user asked to stop; raised at a safe point."""


@dataclass(frozen=True)
class PullResult:
    object: str
    fetched: int  # records Intacct delivered
    total: int  # records Intacct said the read holds
    changed: int  # records inserted or changed in the store
    mode: str  # "full", "range" or "incremental"
    complete_to: dt.date | None  # a range read: history is now complete up to this day


def _intacct_date(day: dt.date) -> str:
    return day.strftime("%m/%d/%Y")


@dataclass
class _ObjectRead:
    """One object's read under way: what it asks, where it stands, what it has written."""

    plan: ObjectPlan
    read: PagedRead
    mode: str
    cursor: Cursor | None
    set_cursor: bool
    complete_to: dt.date | None
    started: float
    changed: int = 0
    newest: str = ""  # the newest WHENMODIFIED read so far (sortable ISO)
    failed: bool = False
    ready: deque[tuple[Request, int]] = field(default_factory=deque)  # (request, resends)


def _open_read(
    store: Store,
    plan: ObjectPlan,
    since: dt.date | None,
    today: dt.date,
    max_days: int,
    page_size: int,
    query_page_size: int,
) -> _ObjectRead:
    cursor = store.get_cursor(plan.object)
    set_cursor = True
    complete_to: dt.date | None = None
    condition: fn.Filter | None
    backfill = since is not None and plan.stage == "transaction" and plan.date_field
    if cursor is not None and not backfill:
        start = cursor.query_from.strftime("%m/%d/%Y %H:%M:%S")
        query = f"WHENMODIFIED >= '{start}'"
        condition = fn.where("WHENMODIFIED", "greaterthanorequalto", start)
        mode = "incremental"
    elif plan.stage == "transaction" and plan.date_field:
        first = since or (today - dt.timedelta(days=max_days - 1))
        end = first + dt.timedelta(days=max_days)  # exclusive
        query = (
            f"{plan.date_field} >= '{_intacct_date(first)}' AND "
            f"{plan.date_field} < '{_intacct_date(end)}'"
        )
        condition = fn.all_of(
            fn.where(plan.date_field, "greaterthanorequalto", _intacct_date(first)),
            fn.where(plan.date_field, "lessthan", _intacct_date(end)),
        )
        mode = "range"
        # Only a first read that reaches today may start the incremental cursor; reading
        # older history later (a cursor exists) leaves it where it is, or changes made to
        # records outside the range would be skipped.
        set_cursor = cursor is None and end > today
        complete_to = min(end - dt.timedelta(days=1), today)
    else:
        query = ""
        condition = None
        mode = "full"
    fields = None if plan.fields.strip() == "*" else _field_list(plan.fields, plan.key_field)
    read = PagedRead(
        plan.object,
        plan.key_field,
        fields,
        condition,
        query,
        page_size=query_page_size,
        probe_size=page_size,
    )
    return _ObjectRead(plan, read, mode, cursor, set_cursor, complete_to, time.monotonic())


def _field_list(fields: str, key_field: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in fields.split(",") if n.strip())
    return names if key_field in names else (key_field, *names)


def _is_fatal(error: GatewayError) -> bool:
    """Intacct refused the connection itself (sign-in, sender, company): no object can be
    read, and trying each would only repeat the refusal (and could lock the user out)."""
    if isinstance(error, AuthenticationError | ControlError):
        return not (is_session_expired(error.errors) or is_too_many_operations(error.errors))
    return False


BUSY_RESENDS = 3  # a page refused as busy after the client's own retries is sent again


def pull_objects(
    store: Store,
    client: Client,
    plans: Sequence[ObjectPlan],
    *,
    since: dt.date | None,
    today: dt.date,
    max_days: int,
    page_size: int,
    overlap_s: int,
    meter: Meter,
    cancel: Cancel,
    slots: Slots,
    query_page_size: int = fn.QUERY_MAX_PAGE,
    on_done: Callable[[ObjectPlan, PullResult | GatewayError], None] | None = None,
) -> list[PullResult | GatewayError]:
    """Read objects into the store, pages and objects side by side (`slots.limit` requests
    in flight; objects start in the order given). Returns, per plan, its result or the error
    that stopped its read (the other objects go on); raises the error when Intacct refuses
    the connection itself, and `Cancelled` at a safe point when asked to stop.

    Each page is written in one transaction as it arrives (by this thread: workers only
    wait for answers); an object's cursor is written after all its pages are in."""
    outcomes: dict[int, PullResult | GatewayError] = {}
    reads: list[_ObjectRead] = []
    waiting = list(enumerate(plans))
    in_flight: dict[Future[FetchedPage], tuple[int, Request, int]] = {}
    fetcher = Fetcher(client, slots.asked)

    def finish(number: int, outcome: PullResult | GatewayError) -> None:
        outcomes[number] = outcome
        if on_done is not None:
            on_done(plans[number], outcome)

    def fail(number: int, error: GatewayError) -> None:
        state = reads[number]
        state.failed = True
        state.ready.clear()
        finish(number, error)

    def next_request() -> tuple[int, Request, int] | None:
        for number, state in enumerate(reads):
            if state.ready and not state.failed:
                return number, *state.ready.popleft()
        while waiting:
            number, plan = waiting.pop(0)
            state = _open_read(store, plan, since, today, max_days, page_size, query_page_size)
            reads.append(state)
            meter.report(Phase.PULL, plan.object, 0, None)
            state.ready.extend((r, 0) for r in state.read.start())
            if state.ready:
                return number, *state.ready.popleft()
        return None

    def fill_slots() -> None:
        while len(in_flight) < slots.limit:
            picked = next_request()
            if picked is None:
                return
            number, request, resent = picked
            in_flight[fetcher.submit(request.function)] = (number, request, resent)

    try:
        while True:
            fill_slots()
            if not in_flight:
                break
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            arrived = [(f, in_flight.pop(f)) for f in done]
            slots.note_refusals(client.busy_refusals)
            fill_slots()  # the next requests go out while this thread parses and writes
            for future, (number, request, resent) in sorted(arrived, key=lambda a: a[1][0]):
                state = reads[number]
                try:
                    page = future.result()
                except GatewayError as error:
                    if state.failed:
                        continue
                    if _is_fatal(error):
                        raise
                    if is_too_many_operations(error.errors) and resent < BUSY_RESENDS:
                        # Sent again when a slot is free (the slots have shrunk meanwhile).
                        state.ready.appendleft((request, resent + 1))
                        continue
                    fail(number, error)
                    continue
                if state.failed:
                    page.close()
                    continue
                try:
                    _store_page(store, state, request, page, overlap_s, meter)
                except GatewayError as error:
                    fail(number, error)
                    continue
                if state.read.complete:
                    finish(number, _result(state))
                if cancel.requested:
                    raise Cancelled(state.plan.object)
    finally:
        fetcher.close()
    return [outcomes[n] for n in range(len(plans))]


def _store_page(
    store: Store,
    state: _ObjectRead,
    request: Request,
    page: FetchedPage,
    overlap_s: int,
    meter: Meter,
) -> None:
    """Write one page in one transaction (it rolls back if the page fails its checks); with
    the last page of the object, its cursor too."""
    read, plan = state.read, state.plan
    probe = request.kind is Kind.PROBE
    asked = read.probe_size if probe else read.page_size
    with store.transaction():
        records = page.records(plan.key_field, asked, ordered=not probe, every_field=probe)
        written = store.write_pulled(plan.object, records)
        state.changed += written.changed
        if written.newest_modified is not None and written.newest_modified > state.newest:
            state.newest = written.newest_modified
        assert page.facts is not None
        more, added = read.take(request, page.facts)
        state.ready.extend((r, 0) for r in more)
        if read.complete:
            if read.unexplained_shortfall():
                raise short_read(read.distinct, read.total, "the read ended early")
            _move_cursor(store, state, overlap_s)
    total = read.total
    if read.complete:
        # Final figures: each record once (the pages' shared records are left out; when
        # the data moved while it was read, the total is what was read).
        added += read.distinct - read.counted
        read.counted = read.distinct
        if read.changed_meanwhile or total is None:
            total = read.distinct
    meter.report(Phase.PULL, plan.object, read.counted, total, added)


def _move_cursor(store: Store, state: _ObjectRead, overlap_s: int) -> None:
    """Every record of the read is stored: the newest change read is safe to start from
    next time, set back by the overlap and by the read's own length (a record changed while
    it was read may have been read as it was before). Records stored by earlier reads and
    not read again cannot be newer than the cursor they left, or they would match an
    incremental read; a history read that sets the first cursor may start it a little
    early, which only reads more."""
    cursor = state.cursor
    if not (state.set_cursor and state.newest):
        return
    if cursor is not None and state.newest < cursor.last_modified:
        return
    took = math.ceil(time.monotonic() - state.started)
    store.set_cursor(state.plan.object, state.newest, overlap_s + took)


def _result(state: _ObjectRead) -> PullResult:
    read = state.read
    total = read.distinct if read.changed_meanwhile or read.total is None else read.total
    if read.changed_meanwhile:
        log.info("%s changed while it was read; the gaps were read again", state.plan.object)
    return PullResult(
        state.plan.object, read.distinct, total, state.changed, state.mode, state.complete_to
    )


def pull_object(
    store: Store,
    client: Client,
    plan: ObjectPlan,
    *,
    since: dt.date | None,
    today: dt.date,
    max_days: int,
    page_size: int,
    overlap_s: int,
    meter: Meter,
    cancel: Cancel,
    slots: Slots | None = None,
    query_page_size: int = fn.QUERY_MAX_PAGE,
) -> PullResult:
    """Read one object into the store (its failure raised)."""
    (outcome,) = pull_objects(
        store,
        client,
        [plan],
        since=since,
        today=today,
        max_days=max_days,
        page_size=page_size,
        overlap_s=overlap_s,
        meter=meter,
        cancel=cancel,
        slots=slots or Slots(1),
        query_page_size=query_page_size,
    )
    if isinstance(outcome, GatewayError):
        raise outcome
    return outcome


ClientFactory = Callable[[], Client]


def _dimension_entries(records: tuple[Record, ...]) -> list[Record]:
    """getDimensions answers one <dimensions> block; the parser flattens its <dimension>
    children to "dimension.objectName", "dimension[2].objectName", ... Split them again."""
    entries: dict[str, Record] = {}
    for record in records:
        for key, value in record.items():
            head, _, name = key.rpartition(".")
            if not head:  # already one record per dimension
                entries.setdefault(str(id(record)), {})[key] = value
                continue
            entries.setdefault(head, {})[name] = value
    return [e for e in entries.values() if e.get("objectName")]


def pull_dimensions(
    store: Store,
    client: Client,
    *,
    page_size: int,
    overlap_s: int,
    meter: Meter,
    cancel: Cancel,
    slots: Slots,
) -> tuple[list[PullResult], list[tuple[str, GatewayError]]]:
    """The company's dimensions (getDimensions) and the values of each user-defined one.
    A dimension whose values cannot be read is reported on its own; the others go on."""
    result = client.call(fn.get_dimensions()).raise_for_status()
    dimensions = _dimension_entries(result.records)
    changed = store.upsert_pulled("DIMENSIONS", dimensions)
    meter.report(Phase.PULL, "DIMENSIONS", len(dimensions), len(dimensions), len(dimensions))
    results = [PullResult("DIMENSIONS", len(dimensions), len(dimensions), changed, "full", None)]
    failures: list[tuple[str, GatewayError]] = []
    plans = [
        # User-defined dimensions are platform objects: their key is `id`.
        ObjectPlan(d["objectName"], "reference", "*", None, key_field="id")
        for d in dimensions
        if d.get("userDefinedDimension", "").lower() == "true"
    ]
    outcomes = pull_objects(
        store,
        client,
        plans,
        since=None,
        today=dt.date.today(),
        max_days=366,
        page_size=page_size,
        overlap_s=overlap_s,
        meter=meter,
        cancel=cancel,
        slots=slots,
    )
    for plan, outcome in zip(plans, outcomes, strict=True):
        if isinstance(outcome, GatewayError):
            failures.append((plan.object, outcome))
        else:
            results.append(outcome)
    return results, failures
