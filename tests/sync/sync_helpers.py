"""Helpers for the sync engine tests: gateway clients for the sandbox that retry quickly, the
demo settings, a first pull of the AR invoices, and how many copies of each outbox record
Intacct holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from wizard.gateway import Client, Credentials, RetryPolicy
from wizard.sandbox import Sandbox
from wizard.sync.demo import DEMO_CUSTOM_FIELDS
from wizard.sync.engine import SyncEngine
from wizard.sync.fetch import Slots
from wizard.sync.flows import load_flows
from wizard.sync.progress import Cancel, Meter, ProgressListener
from wizard.sync.pull import ObjectPlan, PullResult, pull_object
from wizard.sync.settings import SyncSettings
from wizard.sync.store import Store

# Retries as the product does them, only with millisecond delays.
FAST_RETRY = RetryPolicy(max_attempts=3, base_delay_s=0.001, max_delay_s=0.005)


def client_factory(sandbox: Sandbox, entity_id: str | None = None) -> Callable[[], Client]:
    creds = sandbox.credentials

    def make() -> Client:
        return Client(
            Credentials(
                creds.sender_id,
                creds.sender_password,
                creds.company_id,
                creds.user_id,
                creds.user_password,
                entity_id,
            ),
            endpoint=sandbox.endpoint,
            timeout=10,
            retry=FAST_RETRY,
        )

    return make


def demo_settings(*extra_flows: str, entity_id: str = "", **changes: object) -> SyncSettings:
    flows = load_flows().default + tuple(extra_flows)
    return SyncSettings(
        flows=flows,
        entity_id=entity_id,
        custom_fields=DEMO_CUSTOM_FIELDS,
        **changes,  # type: ignore[arg-type]
    )


def history_start(sandbox: Sandbox) -> dt.date:
    """The first day of the sandbox's generated history (about 18 months back)."""
    return sandbox.company.as_of.date() - dt.timedelta(days=560)


def copies_in_intacct(sandbox: Sandbox, store: Store) -> dict[int, int]:
    """Outbox id -> how many records the sandbox holds with that record's document number."""
    from collections import Counter

    from wizard.sync.documents import default_kinds, document_number

    specs = default_kinds()
    counters: dict[str, Counter[str]] = {}
    for spec in specs.values():
        if spec.object in counters or spec.object not in sandbox.company.tables:
            continue
        counters[spec.object] = Counter(
            r.get(spec.lookup_field, "") for r in sandbox.company.records(spec.object)
        )
    out: dict[int, int] = {}
    for record in store.outbox_records():
        spec = specs[record.kind]
        counter = counters.get(spec.object)
        out[record.id] = counter[document_number(record)] if counter is not None else 0
    return out


EngineMaker = Callable[..., SyncEngine]


def first_pull(
    store: Store,
    client: Client,
    fields: str = "RECORDNO,WHENMODIFIED",
    *,
    page_size: int = 1000,
    listener: ProgressListener | None = None,
) -> PullResult:
    """Every AR invoice into the store, as a first sync reads it (no cursor yet, two requests
    in flight)."""
    return pull_object(
        store,
        client,
        ObjectPlan("ARINVOICE", "reference", fields, None),
        since=None,
        today=dt.date.today(),
        max_days=366,
        page_size=page_size,
        overlap_s=300,
        meter=Meter(listener),
        cancel=Cancel(),
        slots=Slots(2),
    )
