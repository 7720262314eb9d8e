"""The sync engine: one run = pull (reference data, then transactions), then push the outbox.

    engine = SyncEngine(store, client_factory, settings, on_progress=print_it, cancel=cancel)
    summary = engine.run(since=date(2025, 1, 1))      # or engine.dry_run()
    engine.retry(outbox_id) / engine.ignore(outbox_id) / engine.unignore(outbox_id)

`client_factory()` returns a new, signed-out gateway `Client`; the engine opens one for the
pull and one per push worker (at most `settings.concurrency` requests in flight). Every page
and every push outcome is committed as it happens, so a run that is cancelled, crashes or is
killed resumes where it stopped, sending nothing twice (see `push.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from wizard.fixes import Fix, MatchContext, match
from wizard.gateway import AuthenticationError, Client, ControlError, GatewayError
from wizard.sync.deletions import DeletionsResult, notice_deletions
from wizard.sync.documents import Builder, default_kinds
from wizard.sync.dryrun import DryRunReport, dry_run
from wizard.sync.fetch import Slots
from wizard.sync.flows import FlowCatalogue, load_flows
from wizard.sync.outbox import OutboxKind, OutboxState
from wizard.sync.progress import Cancel, Meter, ProgressListener
from wizard.sync.pull import (
    Cancelled,
    ObjectPlan,
    PullPlan,
    PullResult,
    default_pull_plan,
    pull_dimensions,
    pull_objects,
)
from wizard.sync.push import Pusher, PushStopped
from wizard.sync.settings import SyncSettings
from wizard.sync.store import ErrorState, RunStatus, Store, SyncError

ClientFactory = Callable[[], Client]


class _PullOnly(Exception):
    """The run was asked to pull only."""


class _Stop(Exception):
    """Intacct refused the connection itself (sign-in, sender, company): nothing can go on."""

    def __init__(self, error: GatewayError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass(frozen=True)
class PushSummary:
    landed: int
    failed: int
    found_after_interruption: int
    resent_after_interruption: int
    requests: int
    records_sent: int
    by_kind: dict[str, dict[str, int]]

    @property
    def records_per_request(self) -> float:
        return self.records_sent / self.requests if self.requests else 0.0


@dataclass(frozen=True)
class SyncSummary:
    run_id: int | None  # None for a dry run (nothing is written)
    status: RunStatus
    pulled: tuple[PullResult, ...]
    pull_failures: tuple[tuple[str, Fix], ...]  # (object, fix) for reads that failed
    push: PushSummary | None
    outbox: dict[str, int]  # outbox state -> records
    blocked: int  # pending records waiting on a failed or ignored record
    open_errors: tuple[SyncError, ...]
    message: str = ""
    fix: Fix | None = None  # what stopped the run, if something did
    requests: int = 0
    dry_run: DryRunReport | None = None
    history_complete_to: dt.date | None = None  # first sync by range: done up to this day
    history_pending: tuple[str, ...] = field(default=())  # objects whose history is not done
    # What was read back after the push (the records it created), so the store matches Intacct.
    read_back: tuple[PullResult, ...] = field(default=())
    deletions: DeletionsResult | None = None  # records Intacct deleted, flagged in the mirror
    slots_asked: int = 0  # requests at once the settings allow
    slots_used: int = 0  # requests at once the company let the sync keep (after "busy")

    @property
    def slowdown_note(self) -> str:
        """One line when Intacct made the sync send fewer requests at once than set."""
        if not self.slots_used or self.slots_used >= self.slots_asked:
            return ""
        return (
            f"Intacct was busy, so this sync read {self.slots_used} page"
            f"{'s' if self.slots_used != 1 else ''} at a time instead of {self.slots_asked}."
        )


class SyncEngine:
    def __init__(
        self,
        store: Store,
        client_factory: ClientFactory,
        settings: SyncSettings,
        *,
        catalogue: FlowCatalogue | None = None,
        on_progress: ProgressListener | None = None,
        cancel: Cancel | None = None,
        today: Callable[[], dt.date] | None = None,
        pull_plan: PullPlan | None = None,
    ) -> None:
        self.store = store
        self.pull_plan = pull_plan or default_pull_plan()
        self.client_factory = client_factory
        self.settings = settings
        self.catalogue = catalogue or load_flows()
        self.on_progress = on_progress
        self.cancel = cancel or Cancel()
        self._today = today or (lambda: dt.datetime.now(dt.UTC).date())
        for flow_id in settings.flows:
            self.catalogue[flow_id]  # unknown flow ids fail here, with the known ones listed

    @property
    def push_kinds(self) -> tuple[OutboxKind, ...]:
        return self.catalogue.push_kinds(self.settings.flows)

    # -- admin actions on failed records -----------------------------------------------------

    def retry(self, outbox_id: int) -> None:
        """Send a failed record again on the next run (after its cause was fixed)."""
        self.store.retry(outbox_id)

    def retry_failed(self) -> int:
        """Send every failed record again on the next run. Returns how many."""
        failed = self.store.outbox_records(OutboxState.FAILED)
        for record in failed:
            self.store.retry(record)
        return len(failed)

    def ignore(self, outbox_id: int) -> None:
        """Stop sending this record until it is un-ignored."""
        self.store.ignore(outbox_id)

    def unignore(self, outbox_id: int) -> None:
        self.store.unignore(outbox_id)

    # -- runs ------------------------------------------------------------------------------

    def dry_run(self, open_from: dt.date | None = None) -> SyncSummary:
        """Predict failures from what was pulled; writes nothing."""
        report = dry_run(
            self.store, self.catalogue, self.settings, self.push_kinds, open_from=open_from
        )
        return SyncSummary(
            run_id=None,
            status=RunStatus.SUCCEEDED if report.clean else RunStatus.PARTIAL,
            pulled=(),
            pull_failures=(),
            push=None,
            outbox=self._outbox_counts(),
            blocked=len(self.store.outbox_blocked()),
            open_errors=tuple(self.store.errors(ErrorState.OPEN)),
            dry_run=report,
        )

    def run(self, since: dt.date | None = None, *, push: bool = True) -> SyncSummary:
        """Pull, then push the outbox (`push=False`: pull only)."""
        store = self.store
        store.close_interrupted_runs()
        run = store.start_run(self.catalogue.order(self.settings.flows))
        meter = Meter(self.on_progress)
        pulled: list[PullResult] = []
        read_back: list[PullResult] = []
        failures: list[tuple[str, Fix]] = []
        status = RunStatus.SUCCEEDED
        message = ""
        stop_fix: Fix | None = None
        push_summary: PushSummary | None = None
        requests = 0
        deletions: DeletionsResult | None = None
        plan = self.pull_plan
        today = self._today()
        client = self.client_factory()
        slots = Slots(self.settings.concurrency)
        try:
            objects = plan.for_flows(self.catalogue, self.settings.flows)
            if self._wants_dimensions:
                try:
                    found, failed = pull_dimensions(
                        store,
                        client,
                        page_size=plan.page_size,
                        overlap_s=self.settings.overlap_s,
                        meter=meter,
                        cancel=self.cancel,
                        slots=slots,
                    )
                    pulled.extend(found)
                    for name, error in failed:  # user-defined dimensions
                        self._pull_failed(name, error, failures, meter, udd=True)
                except GatewayError as error:
                    self._pull_failed("DIMENSIONS", error, failures, meter)
            try:
                self._pull(client, objects, since, today, meter, slots, pulled, failures)
            except (AuthenticationError, ControlError) as error:
                raise _Stop(error) from None  # the objects' own errors were recorded
            failed_objects = {name for name, _ in failures}
            deletions = notice_deletions(
                store,
                client,
                [p.object for p in pulled if p.object not in failed_objects],
                now=dt.datetime.now(dt.UTC),
                overlap_s=self.settings.overlap_s,
                page_size=plan.page_size,
            )
            requests += client.requests_sent
            if not push:
                raise _PullOnly
            pusher = Pusher(
                store,
                self.client_factory,
                Builder(self.catalogue, self.settings, self._landed_key),
                self.settings,
                meter,
                self.cancel,
            )
            try:
                pusher.push(self.push_kinds)
            except PushStopped as stopped:
                status = RunStatus.FAILED
                stop_fix = match(stopped.error)
                message = f"The push stopped: {stopped.error}"
            finally:
                requests += pusher.requests
                pusher.close()
                counts = pusher.counts
                push_summary = PushSummary(
                    counts.landed,
                    counts.failed,
                    counts.found_after_interruption,
                    counts.resent_after_interruption,
                    counts.requests,
                    counts.records_sent,
                    counts.by_kind,
                )
            if push_summary.landed and status is not RunStatus.FAILED:
                # Read back what the push created, so the store matches Intacct after the run.
                before = client.requests_sent
                written = {self._pusher_objects[k] for k in push_summary.by_kind}
                again = [
                    obj
                    for obj in objects
                    if obj.object in written and store.get_cursor(obj.object) is not None
                ]
                try:
                    self._pull(client, again, since, today, meter, slots, read_back, failures)
                except GatewayError as error:
                    self._pull_failed(again[0].object, error, failures, meter)
                requests += client.requests_sent - before
            if self.cancel.requested:
                status = RunStatus.CANCELLED
                message = "Stopped at your request; the next sync carries on from here."
        except _PullOnly:
            pass
        except _Stop as stopped:
            status = RunStatus.FAILED
            stop_fix = match(stopped.error)
            message = f"The sync stopped: {stopped.error}"
        except Cancelled:
            status = RunStatus.CANCELLED
            message = "Stopped at your request; the next sync carries on from here."
        finally:
            client.close()
        if status is RunStatus.SUCCEEDED and (
            failures or (push_summary and push_summary.failed) or store.outbox_blocked()
        ):
            status = RunStatus.PARTIAL
        pending = tuple(p.object for p in pulled if p.complete_to and p.complete_to < today)
        complete_to = min((p.complete_to for p in pulled if p.complete_to), default=None)
        counts_out = {
            "pulled": sum(p.fetched for p in pulled),
            "changed": sum(p.changed for p in pulled),
            "landed": push_summary.landed if push_summary else 0,
            "failed": push_summary.failed if push_summary else 0,
            "requests": requests,
        }
        if pending and not message:
            message = (
                f"History pulled up to {complete_to}; run the sync again with --since "
                f"{complete_to + dt.timedelta(days=1) if complete_to else ''} for the next year."
            )
        store.finish_run(run, status, counts_out, message or None)
        return SyncSummary(
            run_id=run.id,
            status=status,
            pulled=tuple(pulled),
            pull_failures=tuple(failures),
            push=push_summary,
            outbox=self._outbox_counts(),
            blocked=len(store.outbox_blocked()),
            open_errors=tuple(store.errors(ErrorState.OPEN)),
            message=message,
            fix=stop_fix,
            requests=requests,
            history_complete_to=complete_to if pending else None,
            history_pending=pending,
            read_back=tuple(read_back),
            deletions=deletions,
            slots_asked=slots.asked,
            slots_used=slots.limit,
        )

    def _pull(
        self,
        client: Client,
        objects: list[ObjectPlan],
        since: dt.date | None,
        today: dt.date,
        meter: Meter,
        slots: Slots,
        pulled: list[PullResult],
        failures: list[tuple[str, Fix]],
    ) -> None:
        """Read `objects` side by side; each result or failure is recorded as it ends."""

        def done(obj: ObjectPlan, outcome: PullResult | GatewayError) -> None:
            if isinstance(outcome, GatewayError):
                self._pull_failed(obj.object, outcome, failures, meter)
            else:
                pulled.append(outcome)

        plan = self.pull_plan
        pull_objects(
            self.store,
            client,
            objects,
            since=since,
            today=today,
            max_days=plan.max_days_per_run,
            page_size=plan.page_size,
            query_page_size=plan.query_page_size,
            overlap_s=self.settings.overlap_s,
            meter=meter,
            cancel=self.cancel,
            slots=slots,
            on_done=done,
        )

    def _pull_failed(
        self,
        obj: str,
        error: GatewayError,
        failures: list[tuple[str, Fix]],
        meter: Meter,
        udd: bool = False,
    ) -> None:
        situation = frozenset({"udd"}) if udd else frozenset()
        fix = match(error, MatchContext(function="readByQuery", object=obj, situation=situation))
        self.store.record_error(
            obj,
            obj,
            "readByQuery",
            str(error),
            error_no=error.errornos[0] if error.errornos else "",
            fix_id=fix.id,
        )
        failures.append((obj, fix))
        meter.errors += 1

    @property
    def _wants_dimensions(self) -> bool:
        """A chosen flow reads the dimension list (and so the user-defined dimensions)."""
        return any(
            "getDimensions" in self.catalogue[flow_id].functions for flow_id in self.settings.flows
        )

    @property
    def _pusher_objects(self) -> dict[str, str]:
        return {kind.value: spec.object for kind, spec in default_kinds().items()}

    def _landed_key(self, record_id: int) -> str | None:
        return self.store.outbox_get(record_id).intacct_key

    def _outbox_counts(self) -> dict[str, int]:
        return {state.value: n for state, n in self.store.outbox_counts().items()}
