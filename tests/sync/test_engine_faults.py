"""Each push-side fault of the sandbox fails only the records it applies to, each with the
fix the admin needs; the other records land; once the cause is fixed, retry lands the rest.
Also: the dry run predicts failures from what was pulled and writes nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from tests.sync.sync_helpers import EngineMaker, copies_in_intacct, demo_settings, history_start
from wizard.sandbox import Sandbox
from wizard.sync.demo import add_card_accounts, add_demo_outbox
from wizard.sync.store import RunStatus, Store

# scenario -> (fix id, outbox kinds that fail)
FAULTS = {
    "gl-account-restricted": ("gl-account-restricted", {"invoice"}),
    "account-requires-dimension": ("dimension-required", {"invoice"}),
    "checking-account-no-location": ("location-missing", {"payment"}),
    "payment-summary-user-specified": ("payment-batch-key", {"payment"}),
    "invoice-number-exists": ("document-number-exists", {"invoice"}),
    "field-not-found": ("field-not-found", {"invoice"}),
    "undeposited-funds-foreign-currency": ("undeposited-funds-foreign-currency", {"payment"}),
    "smart-rule-violated": ("smart-rule-violated", {"invoice", "convenience_fee_invoice"}),
    "liability-account-entity-level": ("liability-account-entity-level", {"card_account"}),
    "period-closed": ("period-closed", {"invoice"}),
}


@pytest.mark.parametrize("scenario", sorted(FAULTS))
def test_push_fault_fails_only_its_records_with_the_right_fix_and_retry_lands_them(
    scenario: str, make_engine: EngineMaker, sandbox: Sandbox, store: Store
) -> None:
    fix_id, kinds = FAULTS[scenario]
    # The invoice-number-exists case: the integration numbers invoices in Intacct's sequence.
    prefix = "INV-" if scenario == "invoice-number-exists" else "WEB-"
    queued = add_demo_outbox(store, 24, invoice_prefix=prefix) + add_card_accounts(store)
    settings = demo_settings("card-accounts-to-intacct")
    sandbox.enable(scenario)
    engine = make_engine(settings)

    summary = engine.run(since=history_start(sandbox) + dt.timedelta(days=366))

    assert summary.status is RunStatus.PARTIAL
    failed = store.outbox_records("failed")
    assert failed, "the scenario should fail some records"
    assert {r.kind.value for r in failed} == kinds
    errors = [e for e in store.errors("open") if e.outbox_id is not None]
    assert Counter(e.fix_id for e in errors) == {fix_id: len(failed)}
    assert all(e.message for e in errors)
    landed = store.outbox_records("landed")
    assert landed, "records the fault does not touch still land"
    copies = copies_in_intacct(sandbox, store)
    assert all(copies[r.id] == 1 for r in landed)
    if scenario != "invoice-number-exists":  # there the number exists: that is the fault
        assert all(copies[r.id] == 0 for r in failed)

    sandbox.disable(scenario)
    assert engine.retry_failed() == len(failed)
    engine.run()

    assert store.outbox_counts()["landed"] == queued
    assert store.errors("open") == []
    if scenario != "invoice-number-exists":
        assert set(copies_in_intacct(sandbox, store).values()) == {1}


def test_dry_run_predicts_failures_from_what_was_pulled_and_writes_nothing(
    make_engine: EngineMaker, sandbox: Sandbox, store: Store
) -> None:
    # The dry run checks against what was pulled: entities and dimensions too.
    engine = make_engine(demo_settings("entities-from-intacct", "dimensions-from-intacct"))
    sandbox.enable("checking-account-no-location")  # BOA-OPS is pulled without its location
    engine.run(since=history_start(sandbox) + dt.timedelta(days=366))
    sandbox.disable("checking-account-no-location")
    today = dt.date.today().isoformat()
    good = store.outbox_add(
        "invoice",
        "ok-1",
        {
            "customer_id": "C-1001",
            "date": today,
            "terms": "N30",
            "lines": [{"glaccountno": "4000", "amount": "10", "project": "P-200"}],
        },
        document_no="DRY-OK-1",
    )
    bad = {
        "inactive account": store.outbox_add(
            "invoice",
            "bad-1",
            {
                "customer_id": "C-1001",
                "date": today,
                "terms": "N30",
                "lines": [{"glaccountno": "4300", "amount": "10"}],
            },
            document_no="DRY-1",
        ),
        "unknown customer": store.outbox_add(
            "invoice",
            "bad-2",
            {
                "customer_id": "NOBODY",
                "date": today,
                "terms": "N30",
                "lines": [{"glaccountno": "4000", "amount": "10"}],
            },
            document_no="DRY-2",
        ),
        "inactive customer": store.outbox_add(
            "credit_note",
            "bad-3",
            {
                "customer_id": "C-1012",
                "date": today,
                "lines": [{"glaccountno": "4900", "amount": "5"}],
            },
            document_no="DRY-3",
        ),
        "project of another customer": store.outbox_add(
            "invoice",
            "bad-4",
            {
                "customer_id": "C-1002",
                "date": today,
                "terms": "N30",
                "lines": [{"glaccountno": "4000", "amount": "10", "project": "P-201"}],
            },
            document_no="DRY-4",
        ),
        "bank account without location": store.outbox_add(
            "payment",
            "bad-5",
            {
                "customer_id": "C-1001",
                "date": today,
                "amount": "10",
                "bank_account": "BOA-OPS",
                "invoice_key": "1",
            },
            document_no="DRY-5",
        ),
        "foreign currency to undeposited funds": store.outbox_add(
            "payment",
            "bad-6",
            {
                "customer_id": "C-1006",
                "date": today,
                "amount": "10",
                "undeposited_account": "1050",
                "invoice_key": "1",
            },
            document_no="DRY-6",
        ),
        "closed period": store.outbox_add(
            "invoice",
            "bad-7",
            {
                "customer_id": "C-1001",
                "date": "2020-01-31",
                "terms": "N30",
                "lines": [{"glaccountno": "4000", "amount": "10"}],
            },
            document_no="DRY-7",
        ),
    }
    expected = {
        "inactive account": "record-inactive",
        "unknown customer": "reference-not-found",
        "inactive customer": "record-inactive",
        "project of another customer": "project-customer-mismatch",
        "bank account without location": "location-missing",
        "foreign currency to undeposited funds": "undeposited-funds-foreign-currency",
        "closed period": "period-closed",
    }
    runs_before = store.last_good_run()
    outbox_before = store.outbox_counts()
    created_before = len(sandbox.company.created("ARINVOICE"))

    summary = engine.dry_run(open_from=dt.date(2021, 1, 1))

    report = summary.dry_run
    assert report is not None and report.checked == len(bad) + 1
    predicted = {p.outbox_id: p.fix.id for p in report.predictions}
    assert predicted == {bad[case].id: fix for case, fix in expected.items()}
    assert good.id not in predicted
    assert all(p.problem and p.fix.steps for p in report.predictions)
    # Nothing written: no run, no outbox change, nothing sent to Intacct.
    assert store.last_good_run() == runs_before
    assert store.outbox_counts() == outbox_before
    assert len(sandbox.company.created("ARINVOICE")) == created_before
