"""Push: send the outbox to Intacct exactly once, in dependency order, many records a request.

Each round takes the records that are ready (pending, and whatever they depend on has landed),
up to `batch_size` a request, and keeps at most `concurrency` requests in flight (the company's
limit). Before a request leaves, its records are committed as in flight. Its answer settles
each record: landed (with the key Intacct gave it) or failed (with the fix from the catalogue).

A request whose outcome is unknown (timeout, dropped connection, HTTP 5xx or 524, a crash or a
kill) leaves its records in flight. They are looked up in Intacct by document number (and the
integration's id where the object keeps one) before anything is sent again: found means landed,
not found means pending. Only then may they be resent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from wizard.fixes import MatchContext, match
from wizard.gateway import (
    AuthenticationError,
    Client,
    ErrorDetail,
    ErrorLevel,
    GatewayError,
    Outcome,
    TransportError,
)
from wizard.gateway import functions as fn
from wizard.gateway.errors import is_session_expired, is_too_many_operations
from wizard.sync.documents import (
    Builder,
    KindSpec,
    RecordDataError,
    default_kinds,
    document_number,
)
from wizard.sync.outbox import OutboxKind, OutboxRecord, OutboxState
from wizard.sync.progress import Cancel, Meter, Phase
from wizard.sync.settings import SyncSettings
from wizard.sync.store import Store

ClientFactory = Callable[[], Client]
MAX_FAILED_REQUESTS = 3  # in a row, before the push stops and says why
LOOKUP_CHUNK = 100


class PushStopped(Exception):
    """The push could not go on (the service kept failing, or refused the connection)."""

    def __init__(self, error: GatewayError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass
class PushCounts:
    landed: int = 0
    failed: int = 0
    found_after_interruption: int = 0  # in-flight records that had reached Intacct
    resent_after_interruption: int = 0  # in-flight records that had not: sent again
    requests: int = 0
    records_sent: int = 0
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)

    def count(self, kind: OutboxKind, what: str) -> None:
        self.by_kind.setdefault(kind.value, {}).setdefault(what, 0)
        self.by_kind[kind.value][what] += 1


def uncertain(error: GatewayError) -> bool:
    """True when the request may or may not have been carried out."""
    if isinstance(error, TransportError):
        return True
    if isinstance(error, AuthenticationError) and is_session_expired(error.errors):
        return True
    return error.level is ErrorLevel.CONTROL and is_too_many_operations(error.errors)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class _Clients:
    """One gateway client per worker thread (each keeps its own session)."""

    def __init__(self, factory: ClientFactory) -> None:
        self._factory = factory
        self._local = threading.local()
        self._all: list[Client] = []
        self._lock = threading.Lock()

    def get(self) -> Client:
        client: Client | None = getattr(self._local, "client", None)
        if client is None:
            client = self._factory()
            self._local.client = client
            with self._lock:
                self._all.append(client)
        return client

    @property
    def requests(self) -> int:
        with self._lock:
            return sum(c.requests_sent for c in self._all)

    def close(self) -> None:
        with self._lock:
            for client in self._all:
                client.close()
            self._all.clear()


def find_in_intacct(
    client: Client, specs: dict[OutboxKind, KindSpec], records: Sequence[OutboxRecord]
) -> dict[int, str | None]:
    """Look records up by document number: outbox id -> Intacct key, or None if absent."""
    found: dict[int, str | None] = {r.id: None for r in records}
    groups: dict[tuple[str, str, str | None], list[OutboxRecord]] = {}
    for record in records:
        spec = specs[record.kind]
        groups.setdefault((spec.object, spec.lookup_field, spec.external_id_field), []).append(
            record
        )
    for (obj, lookup_field, external_field), group in groups.items():
        for start in range(0, len(group), LOOKUP_CHUNK):
            chunk = group[start : start + LOOKUP_CHUNK]
            numbers = sorted({document_number(r) for r in chunk})
            query = f"{lookup_field} IN ({', '.join(_quote(n) for n in numbers)})"
            wanted = ["RECORDNO", lookup_field] + ([external_field] if external_field else [])
            keys: dict[tuple[str, str], str] = {}
            for row in client.read_by_query(obj, query, wanted):
                external = row.get(external_field, "") if external_field else ""
                keys[(row.get(lookup_field, ""), external)] = row.get("RECORDNO", "")
            for record in chunk:
                external = record.local_id if external_field else ""
                found[record.id] = keys.get((document_number(record), external)) or None
    return found


class Pusher:
    def __init__(
        self,
        store: Store,
        clients: ClientFactory,
        builder: Builder,
        settings: SyncSettings,
        meter: Meter,
        cancel: Cancel,
    ) -> None:
        self.store = store
        self.builder = builder
        self.settings = settings
        self.meter = meter
        self.cancel = cancel
        self.specs = default_kinds()
        self.counts = PushCounts()
        self._clients = _Clients(clients)

    @property
    def requests(self) -> int:
        return self._clients.requests

    def close(self) -> None:
        self._clients.close()

    # -- exactly once after an interruption -------------------------------------------------

    def _lookup(self, records: Sequence[OutboxRecord]) -> dict[int, str | None]:
        return find_in_intacct(self._clients.get(), self.specs, records)

    def _settle_lookup(self, records: Sequence[OutboxRecord], found: dict[int, str | None]) -> None:
        with self.store.transaction():
            for record in records:
                key = found.get(record.id)
                self.store.resolve_in_flight(record, key)
                if key:
                    self.counts.found_after_interruption += 1
                    self.counts.landed += 1
                    self.counts.count(record.kind, "landed")
                else:
                    self.counts.resent_after_interruption += 1
        self.meter.report(Phase.LOOKUP, "interrupted records", len(records), len(records))

    def resolve_interrupted(self, pool: ThreadPoolExecutor) -> None:
        """Settle the records a previous run left in flight, before anything is sent."""
        records = self.store.in_flight()
        if records:
            found = pool.submit(self._lookup, records).result()
            self._settle_lookup(records, found)

    # -- sending ------------------------------------------------------------------------------

    def _send(self, functions: Sequence[fn.Function]) -> list[Outcome]:
        return self._clients.get().batch(functions)

    def _next_batch(
        self, kinds: Sequence[OutboxKind]
    ) -> tuple[list[OutboxRecord], list[fn.Function]]:
        """Ready records, built; records that cannot be built fail here without a request."""
        while True:
            batch = self.store.outbox_pending(kinds, limit=self.settings.batch_size)
            if not batch:
                return [], []
            ready: list[OutboxRecord] = []
            functions: list[fn.Function] = []
            for record in batch:
                try:
                    functions.append(self.builder.build(record))
                    ready.append(record)
                except RecordDataError as error:
                    self._fail_unsent(record, str(error))
            if ready:
                self.store.mark_in_flight(ready)  # committed before the request leaves
                return ready, functions

    def _fail_unsent(self, record: OutboxRecord, message: str) -> None:
        spec = self.specs[record.kind]
        fix = match(message)
        with self.store.transaction():
            self.store.mark_in_flight([record])
            self.store.mark_failed(record, message)
            self.store.record_error(
                record.kind.value,
                record.local_id,
                spec.function,
                message,
                fix_id=fix.id,
                outbox_id=record.id,
            )
        self.counts.failed += 1
        self.counts.count(record.kind, "failed")
        self.meter.errors += 1

    def _settle(self, records: Sequence[OutboxRecord], outcomes: Sequence[Outcome]) -> None:
        unknown: list[OutboxRecord] = []
        landed: list[tuple[OutboxRecord, str]] = []
        with self.store.transaction():
            for record, outcome in zip(records, outcomes, strict=True):
                spec = self.specs[record.kind]
                if outcome.ok:
                    result = outcome.result
                    key = result.key or (
                        result.records[0].get("RECORDNO") if result.records else None
                    )
                    if key:
                        landed.append((record, key))
                        self.counts.landed += 1
                        self.counts.count(record.kind, "landed")
                    else:  # success without a key: find it like an interrupted record
                        unknown.append(record)
                    continue
                errors = outcome.errors or (ErrorDetail("", "Intacct refused the record"),)
                fix = match(
                    errors,
                    MatchContext(
                        level=ErrorLevel.RESULT,
                        function=spec.function,
                        object=spec.object,
                        entity_level=not self.settings.top_level,
                    ),
                )
                message = "; ".join(str(e) for e in errors)
                self.store.mark_failed(record, message)
                self.store.record_error(
                    record.kind.value,
                    record.local_id,
                    spec.function,
                    message,
                    error_no=errors[0].errorno,
                    support_id=next((e.support_id for e in errors if e.support_id), None),
                    fix_id=fix.id,
                    outbox_id=record.id,
                )
                self.counts.failed += 1
                self.counts.count(record.kind, "failed")
                self.meter.errors += 1
            self.store.mark_landed_many(landed)
        if unknown:
            self._settle_lookup(unknown, self._lookup(unknown))

    def push(self, kinds: Sequence[OutboxKind]) -> None:
        """Push every ready record of these kinds; raises PushStopped or Cancelled-free."""
        total = sum(1 for _ in self.store.outbox_pending(kinds, include_blocked=True))
        done = 0
        failures = 0
        stop: GatewayError | None = None
        pool = ThreadPoolExecutor(self.settings.concurrency, thread_name_prefix="intacct-push")
        outstanding: dict[Future[object], tuple[str, list[OutboxRecord]]] = {}
        try:
            self.resolve_interrupted(pool)
            while True:
                while (
                    stop is None
                    and not self.cancel.requested
                    and len(outstanding) < self.settings.concurrency
                ):
                    records, functions = self._next_batch(kinds)
                    if not records:
                        break
                    self.counts.requests += 1
                    self.counts.records_sent += len(records)
                    future: Future[object] = pool.submit(self._send, functions)
                    outstanding[future] = ("send", records)
                if not outstanding:
                    break
                finished, _ = wait(list(outstanding), return_when=FIRST_COMPLETED)
                for future in finished:
                    what, records = outstanding.pop(future)
                    try:
                        answer = future.result()
                    except GatewayError as error:
                        if not uncertain(error):
                            stop = stop or error
                            continue
                        failures += 1
                        if failures >= MAX_FAILED_REQUESTS:
                            stop = stop or error
                            continue
                        # Outcome unknown: find out before anything is sent again.
                        outstanding[pool.submit(self._lookup, records)] = ("lookup", records)
                        continue
                    failures = 0
                    if what == "lookup":
                        self._settle_lookup(records, answer)  # type: ignore[arg-type]
                    else:
                        self._settle(records, answer)  # type: ignore[arg-type]
                        done += len(records)
                        self.meter.report(
                            Phase.PUSH, records[0].kind.value, done, total, len(records)
                        )
        finally:
            pool.shutdown(wait=True)
        if stop is not None:
            raise PushStopped(stop)


__all__ = ["OutboxState", "PushCounts", "PushStopped", "Pusher", "find_in_intacct", "uncertain"]
