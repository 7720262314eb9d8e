"""The local sync store, on real SQLite files."""

from __future__ import annotations

import json
import sqlite3
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from wizard.redaction import remember_secret
from wizard.sync.outbox import IllegalTransition, OutboxKind, OutboxState
from wizard.sync.schema import LATEST_VERSION, MIGRATIONS, migrate
from wizard.sync.store import (
    ErrorState,
    RunStatus,
    Store,
    StoreError,
    UnknownObject,
    store_path,
)
from wizard.sync.store.database import PAGE_SIZE


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Iterator[Store]:
    with Store.open(tmp_path / "profile.sqlite3", clock=clock) as opened:
        yield opened


def invoices(first: int, count: int, modified: str = "02/15/2026 10:00:00") -> list[dict[str, str]]:
    return [
        {
            "RECORDNO": str(n),
            "RECORDID": f"INV-{n}",
            "CUSTOMERID": "C100",
            "TOTALDUE": "125.00",
            "MEGAENTITYID": "US-EAST",
            "WHENMODIFIED": modified,
        }
        for n in range(first, first + count)
    ]


# -- schema ---------------------------------------------------------------------------------


def test_new_database_is_wal_with_latest_schema(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"ar_invoices", "customers", "outbox", "cursors", "sync_runs", "sync_errors"} <= tables
    conn.close()


def test_a_new_database_has_large_pages_and_an_old_one_keeps_its_own(tmp_path: Path) -> None:
    new = tmp_path / "new.sqlite3"
    Store.open(new).close()
    conn = sqlite3.connect(new)
    assert conn.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE == 16_384
    conn.close()
    old = tmp_path / "old.sqlite3"  # made by a wizard that used SQLite's default pages
    conn = sqlite3.connect(old, isolation_level=None)
    conn.execute("PRAGMA page_size = 4096")
    conn.execute("PRAGMA journal_mode = WAL")
    assert migrate(conn, target=LATEST_VERSION) == LATEST_VERSION
    conn.close()
    with Store.open(old) as store:
        store.upsert_pulled("ARINVOICE", invoices(1, 50))
        assert store.count("ARINVOICE") == 50
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA page_size").fetchone()[0] == 4096
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_profile_database_lives_in_the_user_data_dir(isolated_user_dirs: Path) -> None:
    path = store_path("Acme Ltd")
    assert path.is_relative_to(isolated_user_dirs)
    assert "IntacctSetupWizard" in path.parts
    assert store_path("Acme Ltd") != store_path("Acme_Ltd")
    with Store.for_profile("Acme Ltd") as opened:
        assert opened.path == path
    assert path.exists()
    with pytest.raises(StoreError, match="needs a name"):
        store_path("  ")


def test_v1_database_is_upgraded_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target=1) == 1
    conn.execute(
        "INSERT INTO ar_invoices VALUES ('ARINVOICE', '7', 'INV-7', '2025-12-01T08:00:00', "
        "NULL, '{\"RECORDNO\":\"7\"}', '2025-12-01T09:00:00')"
    )
    conn.execute(
        "INSERT INTO outbox (kind, local_id, payload, state, created_at, updated_at) "
        "VALUES ('invoice', 'L1', '{}', 'failed', 'x', 'x')"
    )
    conn.close()

    with Store.open(path) as store:
        assert store.schema_version == len(MIGRATIONS) == LATEST_VERSION
        assert store.count("ARINVOICE") == 1
        assert store.get_pulled("ARINVOICE", "7") is not None
        record = store.outbox_get(1)
        assert record.state is OutboxState.FAILED and record.last_error is None
        # What v2 added works on the upgraded file.
        error = store.record_error("invoice", "L1", "create_invoice", "Boom", outbox_id=1)
        assert error.count == 1


def test_v2_database_is_upgraded_without_the_entity_index(tmp_path: Path) -> None:
    # v3 drops the per-entity index (nothing reads by entity; each pulled record paid for it).
    path = tmp_path / "v2.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target=2) == 2
    conn.execute(
        "INSERT INTO ar_invoices VALUES ('ARINVOICE', '7', 'INV-7', '2025-12-01T08:00:00', "
        "'E1', '{\"RECORDNO\":\"7\"}', '2025-12-01T09:00:00')"
    )
    conn.close()

    with Store.open(path) as store:
        assert store.schema_version == LATEST_VERSION
        stored = store.get_pulled("ARINVOICE", "7")
        assert stored is not None and stored.entity == "E1"
        assert store.find_pulled("ARINVOICE", "INV-7")[0].record_no == "7"
    conn = sqlite3.connect(path)
    indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    conn.close()
    assert "ar_invoices_doc_id" in indexes
    assert not any(name.endswith("_entity") for name in indexes)


def test_v3_database_is_upgraded_keeping_records_cursor_and_lookups(tmp_path: Path) -> None:
    # v4 drops the WHENMODIFIED index (the pull keeps the newest change it read itself).
    path = tmp_path / "v3.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target=3) == 3
    conn.execute(
        "INSERT INTO ar_invoices VALUES ('ARINVOICE', '7', 'INV-7', '2025-12-01T08:00:00', "
        '\'E1\', \'{"RECORDNO":"7","TOTALDUE":"5.00"}\', \'2025-12-01T09:00:00\')'
    )
    conn.execute(
        "INSERT INTO cursors VALUES ('ARINVOICE', '2025-12-01T08:00:00', 300, "
        "'2025-12-01T09:00:00')"
    )
    conn.close()

    with Store.open(path) as store:
        assert store.schema_version == LATEST_VERSION
        stored = store.get_pulled("ARINVOICE", "7")
        assert stored is not None and stored.fields["TOTALDUE"] == "5.00"
        assert store.find_pulled("ARINVOICE", "INV-7")[0].record_no == "7"
        cursor = store.get_cursor("ARINVOICE")
        assert cursor is not None and cursor.last_modified == "2025-12-01T08:00:00"
        # An older copy of the record still does not overwrite the stored one.
        stale = invoices(7, 1, modified="11/30/2025 08:00:00")
        assert store.upsert_pulled("ARINVOICE", stale) == 0
        assert store.upsert_pulled("ARINVOICE", invoices(8, 1)) == 1
    conn = sqlite3.connect(path)
    indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    conn.close()
    assert "ar_invoices_doc_id" in indexes
    assert not any(name.endswith(("_entity", "_modified")) for name in indexes)


def test_database_from_a_newer_wizard_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer version of the wizard"):
        Store.open(path)


def test_a_file_that_is_not_a_database_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is a spreadsheet, honest" * 100)
    with pytest.raises(StoreError, match=r"not a usable sync database.*Move it aside"):
        Store.open(path)


# -- pulled records -------------------------------------------------------------------------


def test_same_page_twice_keeps_one_row_per_record(store: Store) -> None:
    page = invoices(1, 250)
    assert store.upsert_pulled("ARINVOICE", page) == 250
    assert store.upsert_pulled("ARINVOICE", page) == 0
    assert store.count("ARINVOICE") == 250
    record = store.get_pulled("ARINVOICE", "42")
    assert record is not None
    assert record.doc_id == "INV-42"
    assert record.entity == "US-EAST"
    assert record.when_modified == "2026-02-15T10:00:00"
    assert record.fields["TOTALDUE"] == "125.00"
    assert [r.record_no for r in store.find_pulled("ARINVOICE", "INV-42")] == ["42"]


def test_fields_are_kept_exactly_and_an_unchanged_record_stays_unchanged(store: Store) -> None:
    record = invoices(1, 1)[0] | {
        "DESCRIPTION": 'Tents "Alpine" \\ poles\nline two\t\x01 é € 😀 \u2028 <b>&amp;',
        "EXTERNALID": "",
    }
    assert store.upsert_pulled("ARINVOICE", [record]) == 1
    stored = store.get_pulled("ARINVOICE", "1")
    assert stored is not None and stored.fields == record
    # Rows written by earlier versions (the stdlib encoder) compare equal: re-reading the
    # same record after an upgrade changes nothing.
    assert stored.fields_json == json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    assert store.upsert_pulled("ARINVOICE", [dict(record)]) == 0


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("02/15/2026 10:00:00", "2026-02-15T10:00:00"),
        ("2026-02-15T10:00:00Z", "2026-02-15T10:00:00"),
        ("2026-02-15 10:00:00", "2026-02-15T10:00:00"),
        ("02/15/2026", "2026-02-15T00:00:00"),
        ("", None),
    ],
)
def test_when_modified_is_kept_sortable_whatever_form_intacct_sends(
    store: Store, sent: str, kept: str | None
) -> None:
    written = store.write_pulled("ARINVOICE", invoices(1, 1, modified=sent))
    stored = store.get_pulled("ARINVOICE", "1")
    assert stored is not None and stored.when_modified == kept
    assert written.newest_modified == kept


def test_pages_are_streamed_not_held_in_memory(store: Store) -> None:
    # The first sync of a large company pulls hundreds of thousands of invoices; the store
    # must write them as they come, never holding a page's worth of Python objects.
    def stream(count: int) -> Iterator[dict[str, str]]:
        for n in range(count):
            yield {
                "RECORDNO": str(n),
                "DESCRIPTION": "x" * 300,
                "WHENMODIFIED": "01/02/2026 10:00:00",
            }

    tracemalloc.start()
    try:
        store.upsert_pulled("ARINVOICE", stream(10_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert store.count("ARINVOICE") == 10_000
    assert peak < 1_000_000, f"peak {peak} bytes while writing 10,000 records"


def test_changed_record_updates_and_stale_copy_does_not(store: Store) -> None:
    store.upsert_pulled("ARINVOICE", invoices(1, 3))
    newer = invoices(2, 1, modified="02/16/2026 11:30:00")
    newer[0]["TOTALDUE"] = "0.00"
    assert store.upsert_pulled("ARINVOICE", newer) == 1
    assert store.count("ARINVOICE") == 3
    record = store.get_pulled("ARINVOICE", "2")
    assert record is not None
    assert record.fields["TOTALDUE"] == "0.00"
    assert record.when_modified == "2026-02-16T11:30:00"

    stale = invoices(2, 1, modified="02/15/2026 10:00:00")
    assert store.upsert_pulled("ARINVOICE", stale) == 0
    again = store.get_pulled("ARINVOICE", "2")
    assert again is not None and again.fields["TOTALDUE"] == "0.00"


def test_page_with_a_keyless_record_is_not_stored_at_all(store: Store) -> None:
    page = invoices(1, 10)
    del page[7]["RECORDNO"]
    with pytest.raises(StoreError, match="Record 8 of this ARINVOICE page has no RECORDNO"):
        store.upsert_pulled("ARINVOICE", page)
    assert store.count("ARINVOICE") == 0


def test_page_and_cursor_commit_together(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.upsert_pulled("ARINVOICE", invoices(1, 5))
        store.set_cursor("ARINVOICE", "02/15/2026 10:00:00")
        raise RuntimeError("connection dropped")
    assert store.count("ARINVOICE") == 0
    assert store.get_cursor("ARINVOICE") is None

    with store.transaction():
        store.upsert_pulled("ARINVOICE", invoices(1, 5))
        store.set_cursor("ARINVOICE", "02/15/2026 10:00:00", overlap_s=600)
    cursor = store.get_cursor("ARINVOICE")
    assert cursor is not None
    assert cursor.last_modified == "2026-02-15T10:00:00"
    assert cursor.query_from == datetime(2026, 2, 15, 9, 50)
    with pytest.raises(StoreError, match="not a WHENMODIFIED"):
        store.set_cursor("ARINVOICE", "yesterday-ish")


def test_user_defined_dimension_values_need_their_dimension_first(store: Store) -> None:
    with pytest.raises(UnknownObject, match="REGION"):
        store.upsert_pulled("REGION", [{"id": "1", "name": "North"}])
    store.upsert_pulled("DIMENSIONS", [{"objectName": "REGION", "userDefinedDimension": "true"}])
    assert store.upsert_pulled("REGION", [{"id": "1", "name": "North"}]) == 1
    store.upsert_pulled("DEPARTMENT", [{"RECORDNO": "1", "DEPARTMENTID": "SALES"}])
    assert store.count("REGION") == 1
    assert store.count("DEPARTMENT") == 1


# -- outbox ---------------------------------------------------------------------------------


def test_pending_comes_in_dependency_order(store: Store) -> None:
    # Added in the "wrong" order on purpose: payment first, customer last.
    lone_payment = store.outbox_add(OutboxKind.PAYMENT, "P0", {"amount": "5"})
    customer = store.outbox_add(OutboxKind.CUSTOMER, "C1", {"name": "Acme"})
    invoice = store.outbox_add(OutboxKind.INVOICE, "I1", {"total": "10"}, depends_on=customer)
    payment = store.outbox_add(OutboxKind.PAYMENT, "P1", {"amount": "10"}, depends_on=invoice)
    other_customer = store.outbox_add(OutboxKind.CUSTOMER, "C2", {"name": "Bolt"})

    ready = [r.local_id for r in store.outbox_pending()]
    assert ready == ["C1", "C2", "P0"]
    everything = [r.local_id for r in store.outbox_pending(include_blocked=True)]
    assert everything == ["C1", "C2", "I1", "P0", "P1"]
    assert [r.local_id for r in store.outbox_pending([OutboxKind.PAYMENT])] == ["P0"]

    store.mark_in_flight([customer, other_customer])
    assert [r.local_id for r in store.outbox_pending()] == ["P0"]  # invoice waits for C1
    store.mark_landed(customer, "301")
    assert [r.local_id for r in store.outbox_pending()] == ["I1", "P0"]
    store.mark_in_flight([invoice])
    store.mark_landed(invoice, "9001")
    assert [r.local_id for r in store.outbox_pending()] == ["P0", "P1"]
    assert store.outbox_get(payment.id).depends_on == invoice.id
    assert lone_payment.state is OutboxState.PENDING


def test_adding_again_updates_waiting_records_only(store: Store) -> None:
    first = store.outbox_add("invoice", "I1", {"total": "10"}, document_no="INV-1")
    again = store.outbox_add("invoice", "I1", {"total": "12"}, document_no="INV-1")
    assert again.id == first.id and again.payload == {"total": "12"}
    store.mark_in_flight([again])
    sent = store.outbox_add("invoice", "I1", {"total": "99"}, document_no="INV-1")
    assert sent.payload == {"total": "12"} and sent.state is OutboxState.IN_FLIGHT
    with pytest.raises(StoreError, match="'receipt' is not a kind of outbox record"):
        store.outbox_add("receipt", "R1", {})
    priced = store.outbox_add("invoice", "I2", {"total": Decimal("10.50"), "due": date(2026, 4, 1)})
    assert priced.payload == {"total": "10.50", "due": "2026-04-01"}
    with pytest.raises(StoreError, match="depends on outbox record 999"):
        store.outbox_add("payment", "P1", {}, depends_on=999)


def test_in_flight_is_committed_before_sending_and_resolved_after_restart(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.sqlite3"
    with Store.open(path) as store:
        a = store.outbox_add("invoice", "A", {}, document_no="INV-A")
        b = store.outbox_add("invoice", "B", {}, document_no="INV-B")
        store.mark_in_flight([a, b])
        # ...the program dies here, request sent or not.
    with Store.open(path) as store:
        in_flight = store.in_flight()
        assert [r.local_id for r in in_flight] == ["A", "B"]
        assert all(r.attempts == 1 for r in in_flight)
        assert store.outbox_pending() == []  # never sent again blindly
        store.resolve_in_flight(in_flight[0], "555")  # found in Intacct
        store.resolve_in_flight(in_flight[1], None)  # not there: send again
        assert store.outbox_get(a.id).state is OutboxState.LANDED
        assert store.outbox_get(a.id).intacct_key == "555"
        assert [r.local_id for r in store.outbox_pending()] == ["B"]


@pytest.mark.parametrize(
    ("setup", "action", "message"),
    [
        ([], "mark_landed", "pending and cannot become landed: it has not been sent"),
        (["mark_in_flight"], "mark_in_flight", "already sent; look it up"),
        (["mark_in_flight"], "ignore", "outcome is unknown"),
        (["mark_in_flight", "mark_landed"], "retry", "landed and cannot become pending"),
        (["mark_in_flight", "mark_landed"], "ignore", "landed and cannot become ignored"),
        ([], "retry", "pending and cannot become pending"),
    ],
)
def test_illegal_moves_are_refused_and_change_nothing(
    store: Store, setup: list[str], action: str, message: str
) -> None:
    record = store.outbox_add("invoice", "I1", {})

    def do(step: str) -> None:
        if step == "mark_in_flight":
            store.mark_in_flight([record])
        elif step == "mark_landed":
            store.mark_landed(record, "77")
        else:
            getattr(store, step)(record)

    for step in setup:
        do(step)
    before = store.outbox_get(record.id)
    with pytest.raises(IllegalTransition, match=message):
        do(action)
    assert store.outbox_get(record.id) == before


def test_mark_in_flight_moves_all_or_none(store: Store) -> None:
    a = store.outbox_add("customer", "A", {})
    b = store.outbox_add("customer", "B", {})
    store.ignore(b)
    with pytest.raises(IllegalTransition, match=f"record {b.id} is ignored"):
        store.mark_in_flight([a, b])
    assert store.outbox_get(a.id).state is OutboxState.PENDING
    with pytest.raises(IllegalTransition, match="does not exist"):
        store.mark_in_flight([12345])


def test_ignored_records_wait_until_unignored(store: Store) -> None:
    customer = store.outbox_add("customer", "C1", {})
    invoice = store.outbox_add("invoice", "I1", {}, depends_on=customer)
    store.mark_in_flight([customer])
    store.mark_failed(customer, "BL01001973 Customer name already exists")
    assert store.outbox_get(customer.id).last_error == "BL01001973 Customer name already exists"
    store.ignore(customer)
    assert store.outbox_pending(include_blocked=True) == []  # the invoice waits behind it
    assert [r.local_id for r in store.outbox_blocked()] == ["I1"]
    store.unignore(customer)
    assert store.outbox_blocked() == []
    assert [r.local_id for r in store.outbox_pending(include_blocked=True)] == ["C1", "I1"]
    assert store.outbox_counts()[OutboxState.PENDING] == 2
    assert invoice.state is OutboxState.PENDING


# -- errors ---------------------------------------------------------------------------------


def test_repeated_errors_aggregate_and_follow_the_record(store: Store, clock: Clock) -> None:
    invoice = store.outbox_add("invoice", "I1", {}, document_no="INV-1")
    store.mark_in_flight([invoice])
    store.mark_failed(invoice, "period closed")
    first = store.record_error(
        "invoice",
        "I1",
        "create_invoice",
        "The period is closed.",
        error_no="BL03000055",
        support_id="abc",
        fix_id="period-closed",
        outbox_id=invoice.id,
    )
    clock.advance(60)
    store.retry(invoice)
    assert store.errors()[0].state is ErrorState.RETRYING
    store.mark_in_flight([invoice])
    store.mark_failed(invoice, "period closed")
    second = store.record_error(
        "invoice",
        "I1",
        "create_invoice",
        "The period is still closed.",
        error_no="BL03000055",
        support_id="def",
    )
    assert second.id == first.id
    assert second.count == 2
    assert second.first_seen == "2026-03-01T09:00:00"
    assert second.last_seen == "2026-03-01T10:00:00"
    assert second.state is ErrorState.OPEN
    assert second.support_id == "def" and second.fix_id == "period-closed"
    assert len(store.errors(ErrorState.OPEN)) == 1

    store.ignore(invoice)
    assert store.errors(ErrorState.OPEN) == []
    assert store.errors(ErrorState.IGNORED)[0].id == first.id
    store.unignore(invoice)
    store.mark_in_flight([invoice])
    store.mark_landed(invoice, "4242")
    assert store.errors()[0].state is ErrorState.RESOLVED


def test_error_messages_are_redacted(store: Store) -> None:
    remember_secret("s3cret-session-value")
    error = store.record_error(
        "customer", "C1", "create", "Invalid session s3cret-session-value", error_no="XL03000006"
    )
    assert "s3cret-session-value" not in error.message
    assert "s3cret-session-value" not in store.path.read_bytes().decode("latin-1")


# -- runs -----------------------------------------------------------------------------------


def test_last_good_run_skips_failed_and_unfinished_runs(store: Store, clock: Clock) -> None:
    assert store.last_good_run() is None
    good = store.start_run(["customers-from-intacct"])
    clock.advance(5)
    store.finish_run(good, RunStatus.SUCCEEDED, {"pulled": 12})
    clock.advance(60)
    bad = store.start_run(["customers-from-intacct"])
    store.finish_run(bad, RunStatus.FAILED, {"pulled": 0}, message="Intacct did not answer")
    killed = store.start_run(["customers-from-intacct"])  # the program died during this one
    last = store.last_good_run()
    assert last is not None
    assert last.id == good.id
    assert last.counts == {"pulled": 12}
    assert last.finished_at == "2026-03-01T09:05:00"
    with pytest.raises(StoreError, match="already finished"):
        store.finish_run(good, RunStatus.FAILED)
    assert [run.id for run in store.close_interrupted_runs()] == [killed.id]
    assert store.run(killed.id).status is RunStatus.INTERRUPTED
    assert store.last_good_run() == last


# -- transactions and readers ---------------------------------------------------------------


def test_inner_block_that_fails_undoes_only_itself(store: Store) -> None:
    with store.transaction():
        store.upsert_pulled("CUSTOMER", [{"RECORDNO": "1", "CUSTOMERID": "C1"}])
        with pytest.raises(StoreError), store.transaction():
            store.upsert_pulled("CUSTOMER", [{"RECORDNO": "2", "CUSTOMERID": "C2"}])
            store.upsert_pulled("CUSTOMER", [{"CUSTOMERID": "no key"}])
    assert [r.doc_id for r in store.iter_pulled("CUSTOMER")] == ["C1"]


def test_a_second_window_reads_while_a_sync_writes(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    with Store.open(path) as engine, Store.open(path) as window:
        engine.upsert_pulled("ARINVOICE", invoices(1, 10))
        with engine.transaction():
            engine.upsert_pulled("ARINVOICE", invoices(11, 10))
            # The window is not blocked and sees only committed pages.
            assert window.count("ARINVOICE") == 10
        assert window.count("ARINVOICE") == 20
