"""A sync against the sandbox company, end to end: real HTTP on 127.0.0.1, a real SQLite file.

What an admin sees: the first sync brings every record and pushes the outbox; a second sync
changes nothing; later syncs bring exactly what changed in Intacct; interrupted pushes are
never sent twice; cancel stops cleanly; a read that comes up short is reported, not hidden.
"""

from __future__ import annotations

import datetime as dt

from tests.sync.sync_helpers import EngineMaker, copies_in_intacct, demo_settings, history_start
from wizard.sandbox import Sandbox
from wizard.sync.demo import add_demo_outbox
from wizard.sync.engine import SyncSummary
from wizard.sync.progress import Cancel, Phase, Progress
from wizard.sync.store import RunStatus, Store

PULLED = (
    "GLACCOUNT",
    "CHECKINGACCOUNT",
    "CREDITCARD",
    "CUSTOMER",
    "ARINVOICE",
    "ARADJUSTMENT",
    "ARPYMT",
)


def first_sync(make_engine: EngineMaker, sandbox: Sandbox) -> list[SyncSummary]:
    """The first sync of 18 months of history: one year per run, so two runs."""
    start = history_start(sandbox)
    engine = make_engine()
    first = engine.run(since=start)
    second = engine.run(since=start + dt.timedelta(days=366))
    return [first, second]


def test_first_sync_pulls_every_record_pushes_the_outbox_and_a_second_changes_nothing(
    make_engine: EngineMaker, sandbox: Sandbox, store: Store
) -> None:
    queued = add_demo_outbox(store, 30)
    reports: list[Progress] = []
    start = history_start(sandbox)
    engine = make_engine(on_progress=reports.append)
    one = engine.run(since=start)
    first_reports = list(reports)
    # A first run over more than a year of history says where it stopped and how to go on.
    assert one.history_pending and one.history_complete_to == start + dt.timedelta(days=365)
    assert f"--since {start + dt.timedelta(days=366)}" in one.message
    two = engine.run(since=start + dt.timedelta(days=366))
    assert two.status is RunStatus.SUCCEEDED and not two.history_pending

    for obj in PULLED:
        assert store.count(obj) == sandbox.company.count(obj), obj
    assert one.push is not None and one.push.landed == queued
    assert store.outbox_counts()["landed"] == queued
    assert set(copies_in_intacct(sandbox, store).values()) == {1}
    # Each landed record carries the key Intacct gave it, and the pulled copy has that key.
    invoice = next(r for r in store.outbox_records("landed") if r.kind.value == "invoice")
    pulled = store.get_pulled("ARINVOICE", invoice.intacct_key or "")
    assert pulled is not None and pulled.doc_id == invoice.document_no

    # "fetched N of M" per object, with the total known, and the rate reported.
    invoices = [p for p in first_reports if p.phase is Phase.PULL and p.object == "ARINVOICE"]
    pulled_invoices = next(p for p in one.pulled if p.object == "ARINVOICE")
    assert invoices[-1].done == invoices[-1].total == pulled_invoices.fetched > 0
    assert f"ARINVOICE: fetched {pulled_invoices.fetched} of {pulled_invoices.fetched}" in (
        invoices[-1].text
    )
    done = [p.records_done for p in first_reports]
    assert done == sorted(done) and done[-1] >= queued

    again = engine.run()
    assert again.status is RunStatus.SUCCEEDED
    assert sum(p.changed for p in again.pulled) == 0
    assert again.push is not None and again.push.requests == 0
    assert all(p.mode == "incremental" for p in again.pulled if p.object != "SODOCUMENT")


def test_incremental_sync_picks_up_exactly_the_changes_made_in_intacct(
    make_engine: EngineMaker, sandbox: Sandbox, store: Store
) -> None:
    first_sync(make_engine, sandbox)
    # Each cursor starts from the newest change pulled, so the next read is short.
    for obj in PULLED:
        cursor = store.get_cursor(obj)
        assert cursor is not None, obj
        newest = max(r.when_modified or "" for r in store.iter_pulled(obj))
        assert cursor.last_modified == newest, obj
    company = sandbox.company
    customers = company.tables["CUSTOMER"]
    index = customers.find("CUSTOMERID", "C-1002")
    assert index is not None
    company.change("CUSTOMER", index, {"NAME": "Blue Ridge Climbing Cooperative"})
    company.insert(
        "ARINVOICE",
        {
            "RECORDID": "MANUAL-1",
            "DOCNUMBER": "MANUAL-1",
            "CUSTOMERID": "C-1001",
            "STATE": "Posted",
            "WHENCREATED": company.as_of.strftime("%m/%d/%Y"),
        },
    )

    summary = make_engine().run()

    changed = {p.object: p.changed for p in summary.pulled if p.changed}
    assert changed == {"CUSTOMER": 1, "ARINVOICE": 1}
    record = store.find_pulled("CUSTOMER", "C-1002")[0]
    assert record.fields["NAME"] == "Blue Ridge Climbing Cooperative"
    assert store.find_pulled("ARINVOICE", "MANUAL-1")
    for obj in PULLED:
        assert store.count(obj) == sandbox.company.count(obj), obj


def test_a_push_whose_outcome_is_unknown_is_looked_up_before_it_is_sent_again(
    make_engine: EngineMaker, sandbox: Sandbox, store: Store
) -> None:
    queued = add_demo_outbox(store, 120)

    def cut_the_line(progress: Progress) -> None:
        # After the first batch has landed, the CDN starts answering 524 after Intacct did
        # the work: the next batch lands in Intacct but its answer never arrives.
        if progress.phase is Phase.PUSH:
            sandbox.enable("cdn-timeout-524")

    settings = demo_settings(concurrency=1)
    since = history_start(sandbox) + dt.timedelta(days=366)
    interrupted = make_engine(settings, on_progress=cut_the_line).run(since=since)
    assert interrupted.status is RunStatus.FAILED
    assert interrupted.fix is not None and interrupted.fix.id == "service-unavailable"
    in_flight = store.outbox_counts()["in_flight"]
    assert in_flight > 0  # sent, outcome unknown: kept, not sent again blindly

    sandbox.disable("cdn-timeout-524")
    resumed = make_engine(settings).run()

    assert resumed.push is not None
    # The batch cut off by the 524 had landed: found by number, not sent again.
    assert resumed.push.found_after_interruption == in_flight
    assert store.outbox_counts()["landed"] == queued
    assert set(copies_in_intacct(sandbox, store).values()) == {1}


def test_cancel_stops_between_batches_and_the_next_sync_carries_on(
    make_engine: EngineMaker, sandbox: Sandbox, store: Store
) -> None:
    queued = add_demo_outbox(store, 120)
    cancel = Cancel()

    def stop_after_first_batch(progress: Progress) -> None:
        if progress.phase is Phase.PUSH:
            cancel.request()

    settings = demo_settings(concurrency=1)
    stopped = make_engine(settings, on_progress=stop_after_first_batch, cancel=cancel).run(
        since=history_start(sandbox) + dt.timedelta(days=366)
    )
    assert stopped.status is RunStatus.CANCELLED
    counts = store.outbox_counts()
    assert counts["in_flight"] == 0  # a safe point: nothing half-sent
    assert 0 < counts["landed"] < queued
    assert store.run(stopped.run_id or 0).status is RunStatus.CANCELLED

    make_engine(settings).run()
    assert store.outbox_counts()["landed"] == queued
    assert set(copies_in_intacct(sandbox, store).values()) == {1}


def test_invoices_deleted_mid_read_do_not_cost_the_others_their_place(
    make_engine: EngineMaker, store: Store
) -> None:
    # Offset pages shift left when records before them are deleted; the pull finds the gap
    # and reads it by key (a page that really comes back short: test_pull_concurrent.py).
    with Sandbox(records=5000) as big:
        from tests.sync.sync_helpers import client_factory
        from wizard.sync.engine import SyncEngine

        removed = False

        def delete_some(progress: Progress) -> None:
            nonlocal removed
            if progress.object == "ARINVOICE" and progress.done >= 1000 and not removed:
                removed = True
                with big.company.lock:
                    for index in range(1000, 1010):  # someone deletes invoices mid-read
                        big.company.remove("ARINVOICE", index)

        settings = demo_settings()
        engine = SyncEngine(store, client_factory(big), settings, on_progress=delete_some)
        summary = engine.run()
        first_day = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=365)
        left = {
            r["RECORDNO"]
            for r in big.company.records("ARINVOICE")
            if dt.datetime.strptime(r["WHENCREATED"], "%m/%d/%Y").date() >= first_day
        }

    assert removed
    assert summary.pull_failures == ()
    assert store.get_cursor("ARINVOICE") is not None
    stored = {r.record_no for r in store.iter_pulled("ARINVOICE")}
    assert left <= stored


def test_ignored_records_are_not_retried_until_unignored(
    make_engine: EngineMaker, sandbox: Sandbox, store: Store
) -> None:
    add_demo_outbox(store, 12)
    sandbox.enable("payment-summary-user-specified")
    engine = make_engine()
    engine.run(since=history_start(sandbox) + dt.timedelta(days=366))
    failed = store.outbox_records("failed")
    assert failed and all(r.kind.value == "payment" for r in failed)
    sandbox.disable("payment-summary-user-specified")
    ignored = failed[0]
    engine.ignore(ignored.id)
    engine.retry_failed()

    engine.run()

    assert store.outbox_get(ignored.id).state.value == "ignored"
    assert copies_in_intacct(sandbox, store)[ignored.id] == 0
    assert all(store.outbox_get(r.id).state.value == "landed" for r in failed[1:])

    engine.unignore(ignored.id)
    engine.run()
    assert store.outbox_get(ignored.id).state.value == "landed"
    assert copies_in_intacct(sandbox, store)[ignored.id] == 1


def test_a_refused_sign_in_stops_the_sync_with_its_fix_and_sends_nothing(
    make_engine: EngineMaker, sandbox: Sandbox, store: Store
) -> None:
    queued = add_demo_outbox(store, 6)
    sandbox.enable("wrong-user-password")
    summary = make_engine().run()
    assert summary.status is RunStatus.FAILED
    assert summary.fix is not None and summary.fix.id == "user-credentials-invalid"
    assert store.outbox_counts()["pending"] == queued
    assert sandbox.company.created("ARINVOICE") == []


def test_an_entity_connection_creates_records_at_the_entity(
    make_engine: EngineMaker, sandbox: Sandbox, store: Store
) -> None:
    # Smart rules: invoices only at an entity, customers only at the top level.
    add_demo_outbox(store, 10)
    sandbox.enable("smart-rule-violated")
    engine = make_engine(demo_settings(entity_id="US-EAST"))
    engine.run(since=history_start(sandbox) + dt.timedelta(days=366))
    failed = {r.kind.value for r in store.outbox_records("failed")}
    landed = {r.kind.value for r in store.outbox_records("landed")}
    assert failed == {"customer"}
    assert "invoice" in landed
    created = sandbox.company.created("ARINVOICE")
    assert created and {r["MEGAENTITYID"] for r in created} == {"US-EAST"}


def test_dimensions_and_user_defined_dimension_values_are_pulled(
    make_engine: EngineMaker, sandbox: Sandbox, store: Store
) -> None:
    sandbox.enable("udd-values-unreadable")  # the user may not read the "fund" values
    engine = make_engine(demo_settings("dimensions-from-intacct"))
    summary = engine.run(since=history_start(sandbox) + dt.timedelta(days=366))

    names = {r.record_no for r in store.iter_pulled("DIMENSIONS")}
    assert {"DEPARTMENT", "LOCATION", "PROJECT", "channel", "fund"} <= names
    assert {r.fields["id"] for r in store.iter_pulled("channel")} == {
        "DIRECT",
        "PARTNER",
        "MARKETPLACE",
    }
    assert store.count("LOCATION") == sandbox.company.count("LOCATION")
    # The one dimension that cannot be read is reported with its fix; the rest went on.
    assert [(obj, fix.id) for obj, fix in summary.pull_failures] == [
        ("fund", "udd-values-unavailable")
    ]
    assert store.count("ARINVOICE") > 0

    sandbox.disable("udd-values-unreadable")
    engine.run()
    assert {r.fields["id"] for r in store.iter_pulled("fund")} == {"GENERAL", "RESTRICTED"}


def test_older_history_can_be_fetched_later_without_moving_the_cursor(
    make_engine: EngineMaker, sandbox: Sandbox, store: Store
) -> None:
    engine = make_engine()
    today = dt.datetime.now(dt.UTC).date()
    engine.run(since=today - dt.timedelta(days=300))  # reaches today: incremental from now on
    cursor = store.get_cursor("ARINVOICE")
    assert cursor is not None
    assert store.count("ARINVOICE") < sandbox.company.count("ARINVOICE")

    older = engine.run(since=history_start(sandbox))  # the year before, asked for later

    assert store.count("ARINVOICE") == sandbox.company.count("ARINVOICE")
    assert store.get_cursor("ARINVOICE") == cursor
    assert next(p for p in older.pulled if p.object == "ARINVOICE").mode == "range"
