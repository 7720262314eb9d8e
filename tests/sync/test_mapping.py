"""The mapping the admin chose is applied on every line: default location and department,
the custom-field table, user-defined dimensions; a line the flow cannot send fails that record
with a message saying what to change, and nothing is sent for it."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.sync.sync_helpers import EngineMaker, demo_settings, history_start
from wizard.sandbox import Sandbox
from wizard.sync.demo import add_demo_outbox
from wizard.sync.documents import RecordDataError, mapped_line
from wizard.sync.flows import load_flows
from wizard.sync.store import Store


def invoice_fields() -> dict:  # type: ignore[type-arg]
    flow = load_flows()["invoices-to-intacct"]
    return {f.id: f for f in flow.line_fields}


def test_line_fields_go_to_the_intacct_elements_of_the_custom_field_table() -> None:
    settings = demo_settings(
        default_location="NYC",
        default_department="OPS",
        dimensions={"channel": "GLDIMCHANNEL"},
    )
    line = mapped_line(
        {
            "glaccountno": "4000",
            "amount": "12.50",
            "project": "P-200",
            "class": "RETAIL",
            "item": "TENT-2P",
            "customer": "C-1001",
            "dimensions": {"channel": "PARTNER"},
        },
        1,
        invoice_fields(),
        settings,
        "invoice X",
    )
    element = line.element()
    assert element.findtext("glaccountno") == "4000"
    assert element.findtext("projectid") == "P-200"
    assert element.findtext("classid") == "RETAIL"
    assert element.findtext("itemid") == "TENT-2P"
    assert element.findtext("customerid") == "C-1001"
    # Empty location and department take the connection's defaults.
    assert element.findtext("locationid") == "NYC"
    assert element.findtext("departmentid") == "OPS"
    # A user-defined dimension goes out as the custom field the admin mapped it to.
    assert element.findtext("customfields/customfield/customfieldname") == "GLDIMCHANNEL"
    assert element.findtext("customfields/customfield/customfieldvalue") == "PARTNER"


def test_a_value_on_the_line_wins_over_the_default() -> None:
    settings = demo_settings(default_location="NYC", default_department="OPS")
    line = mapped_line(
        {"glaccountno": "4000", "amount": "1", "location": "SEA", "department": "SVC"},
        1,
        invoice_fields(),
        settings,
        "invoice X",
    )
    assert (line.location_id, line.department_id) == ("SEA", "SVC")


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ({"glaccountno": "4000", "amount": "1", "colour": "red"}, "'colour'"),
        ({"glaccountno": "4000", "amount": "1", "dimensions": {"fund": "X"}}, "Dimensions page"),
        ({"amount": "1"}, "no GL account"),
        ({"glaccountno": "4000", "amount": "lots"}, "not a number"),
    ],
)
def test_a_line_that_cannot_be_sent_says_what_to_change(line: dict, words: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(RecordDataError, match=words):
        mapped_line(line, 1, invoice_fields(), demo_settings(), "invoice X")


def test_default_department_satisfies_an_account_that_requires_one(
    make_engine: EngineMaker, sandbox: Sandbox, store: Store
) -> None:
    add_demo_outbox(store, 24)
    sandbox.enable("account-requires-dimension")
    engine = make_engine(demo_settings(default_department="SVC"))
    engine.run(since=history_start(sandbox) + dt.timedelta(days=366))
    assert store.outbox_records("failed") == []


def test_a_record_that_cannot_be_built_fails_alone_without_a_request(
    make_engine: EngineMaker, sandbox: Sandbox, store: Store
) -> None:
    add_demo_outbox(store, 6)
    bad = store.outbox_add(
        "invoice",
        "odd-1",
        {"customer_id": "C-1001", "date": dt.date.today().isoformat(), "terms": "N30",
         "lines": [{"glaccountno": "4000", "amount": "3", "colour": "red"}]},
        document_no="ODD-1",
    )  # fmt: skip
    engine = make_engine()
    summary = engine.run(since=history_start(sandbox) + dt.timedelta(days=366))
    assert [r.id for r in store.outbox_records("failed")] == [bad.id]
    error = next(e for e in summary.open_errors if e.outbox_id == bad.id)
    assert "colour" in error.message and error.fix_id
    assert sandbox.company.find("ARINVOICE", "RECORDID", "ODD-1") is None
    assert store.outbox_counts()["landed"] > 0
