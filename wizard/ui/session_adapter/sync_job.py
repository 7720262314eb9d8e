"""The first sync and its retries: one connection's store and engine, and its failed records
grouped by fix."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.connection import Mappings
from wizard.ui.session_adapter.cancel_watcher import CancelWatcher
from wizard.ui.session_adapter.catalogues import fix_for, flow_catalogue
from wizard.ui.session_adapter.outcome import (
    ErrorGroup,
    OutboxFigures,
    SyncOutcome,
    named_groups,
    outbox_figures,
    outcome,
)

if TYPE_CHECKING:
    from wizard.sync.engine import SyncEngine, SyncSummary
    from wizard.sync.progress import Progress
    from wizard.sync.store import Store, SyncError
    from wizard.ui.session_adapter.target import Target

DEMO_OUTBOX_INVOICES = 40


@dataclass(frozen=True)
class SyncChoices:
    flows: tuple[str, ...]
    entity_id: str = ""
    default_location: str = ""
    default_department: str = ""
    dimensions: tuple[tuple[str, str], ...] = ()
    custom_fields: tuple[tuple[str, str], ...] = ()

    def mappings(self) -> Mappings:
        return Mappings(
            default_location=self.default_location,
            default_department=self.default_department,
            dimensions=self.dimensions,
            custom_fields=self.custom_fields,
            flows=self.flows,
        )


def group_errors(errors: Sequence[SyncError]) -> tuple[ErrorGroup, ...]:
    groups: dict[str, list[SyncError]] = {}
    for error in errors:
        groups.setdefault(error.fix_id or "unrecognised-error", []).append(error)
    return tuple(ErrorGroup(fix_for(fix_id), tuple(found)) for fix_id, found in groups.items())


@dataclass
class SyncJob:
    """One connection's sync store and engine settings; each call runs on a worker thread."""

    target: Target
    choices: SyncChoices
    store_path: Path
    demo_invoices: int = DEMO_OUTBOX_INVOICES
    _prepared: bool = field(default=False, repr=False)

    @classmethod
    def for_target(cls, target: Target, choices: SyncChoices) -> SyncJob:
        if target.demo:
            folder = Path(tempfile.mkdtemp(prefix="intacct-wizard-demo-"))
            return cls(target, choices, folder / "demo.sqlite3")
        from wizard.sync.store import store_path

        return cls(target, choices, store_path(target.profile.name))

    def _client_factory(self) -> Callable[[], object]:
        from wizard.connection.credentials import gateway_credentials, network_settings
        from wizard.gateway import Client

        profile = self.target.profile
        secrets = self.target.found.secrets
        if secrets is None:
            raise RuntimeError(self.target.found.problem or "The passwords are not available.")

        def client() -> Client:
            credentials = gateway_credentials(profile, secrets, self.choices.entity_id)
            network = network_settings(profile, secrets)
            return Client(credentials, endpoint=profile.endpoint, network=network)

        return client

    def _open(
        self,
        on_progress: Callable[[Progress], None] | None = None,
        cancel: object | None = None,
    ) -> tuple[Store, SyncEngine]:
        from wizard.sync.demo import DEMO_CUSTOM_FIELDS, add_demo_outbox
        from wizard.sync.engine import SyncEngine
        from wizard.sync.settings import SyncSettings
        from wizard.sync.store import Store

        store = Store.open(self.store_path)
        if self.target.demo and not self._prepared:
            if not sum(store.outbox_counts().values()):
                add_demo_outbox(store, self.demo_invoices)
            self._prepared = True
        custom = dict(self.choices.custom_fields)
        if self.target.demo:  # the demo outbox's records carry these fields
            custom = {**DEMO_CUSTOM_FIELDS, **custom}
        settings = SyncSettings(
            flows=self.choices.flows,
            entity_id=self.choices.entity_id,
            default_location=self.choices.default_location,
            default_department=self.choices.default_department,
            dimensions=dict(self.choices.dimensions),
            custom_fields=custom,
            concurrency=self.target.profile.sync.concurrency,
        )
        engine = SyncEngine(
            store,
            self._client_factory(),  # type: ignore[arg-type]
            settings,
            catalogue=flow_catalogue(),
            on_progress=on_progress,
            cancel=cancel,  # type: ignore[arg-type]
        )
        return store, engine

    def run(
        self,
        since: dt.date | None,
        on_progress: Callable[[Progress], None],
        cancelled: Callable[[], bool],
        dry_run: bool = False,
    ) -> SyncSummary:
        from wizard.sync.progress import Cancel

        cancel = Cancel()
        watcher = CancelWatcher(cancelled, cancel.request)
        store, engine = self._open(on_progress, cancel)
        try:
            if dry_run:
                # Read Intacct first (nothing is sent), so every record can be checked.
                engine.run(since=since, push=False)
                return engine.dry_run()
            return engine.run(since=since)
        finally:
            watcher.stop()
            store.close()

    def retry(
        self,
        outbox_ids: Sequence[int],
        on_progress: Callable[[Progress], None],
        cancelled: Callable[[], bool],
    ) -> SyncSummary:
        """Send these failed records again now (the admin fixed the cause)."""
        store, engine = self._open()
        try:
            for outbox_id in outbox_ids:
                engine.retry(outbox_id)
        finally:
            store.close()
        return self.run(None, on_progress, cancelled)

    def retry_all(
        self, on_progress: Callable[[Progress], None], cancelled: Callable[[], bool]
    ) -> SyncSummary:
        store, engine = self._open()
        try:
            engine.retry_failed()
        finally:
            store.close()
        return self.run(None, on_progress, cancelled)

    def outcome_of(self, summary: SyncSummary) -> SyncOutcome:
        """The run's figures and its failed records by name (reads the store)."""
        from wizard.sync.store import Store

        with Store.open(self.store_path) as store:
            return outcome(store, summary)

    def open_groups(self) -> tuple[ErrorGroup, ...]:
        """The failed records so far, grouped and named (from a connection of its own)."""
        from wizard.sync.store import ErrorState, Store

        if not self.store_path.exists():
            return ()
        with Store.open(self.store_path) as store:
            return named_groups(store, store.errors(ErrorState.OPEN))

    def outbox(self) -> OutboxFigures:
        """The whole outbox now, every run so far."""
        from wizard.sync.store import Store

        if not self.store_path.exists():
            return OutboxFigures()
        with Store.open(self.store_path) as store:
            return outbox_figures(store)

    def open_errors(self) -> tuple[SyncError, ...]:
        """The failed records so far (read while a sync runs, from a connection of its own)."""
        from wizard.sync.store import ErrorState, Store

        if not self.store_path.exists():
            return ()
        with Store.open(self.store_path) as store:
            return tuple(store.errors(ErrorState.OPEN))

    def ignore(self, outbox_ids: Sequence[int]) -> tuple[tuple[ErrorGroup, ...], OutboxFigures]:
        """Stop sending these records; returns the failed records still open and the outbox."""
        from wizard.sync.store import ErrorState

        store, engine = self._open()
        try:
            for outbox_id in outbox_ids:
                engine.ignore(outbox_id)
            return named_groups(store, store.errors(ErrorState.OPEN)), outbox_figures(store)
        finally:
            store.close()

    def unignore(
        self, outbox_ids: Sequence[int] | None = None
    ) -> tuple[tuple[ErrorGroup, ...], OutboxFigures]:
        """Undo Ignore: these records (or every ignored one) are sent on the next run."""
        from wizard.sync.outbox import OutboxState
        from wizard.sync.store import ErrorState

        store, engine = self._open()
        try:
            ids = (
                list(outbox_ids)
                if outbox_ids is not None
                else [r.id for r in store.outbox_records(OutboxState.IGNORED)]
            )
            for outbox_id in ids:
                engine.unignore(outbox_id)
            return named_groups(store, store.errors(ErrorState.OPEN)), outbox_figures(store)
        finally:
            store.close()
