"""Deletions noticed: records deleted in Intacct are flagged in the mirror (kept, with when),
found through Intacct's audit trail, and exports show the flag."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json

from tests.sync.sync_helpers import EngineMaker, client_factory
from wizard import cli
from wizard.gateway import ar_functions as ar
from wizard.gateway import functions as fn
from wizard.sandbox import Sandbox
from wizard.sync.store import Store

NEW_CUSTOMERS = ("DEL-1", "DEL-2", "DEL-3", "KEEP-1")


def _export(store: Store, obj: str) -> list[dict[str, object]]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = cli.main(["export", obj, "--format", "jsonl", "--database", str(store.path)])
    assert status == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_three_customers_and_an_invoice_deleted_are_flagged_exactly(
    sandbox: Sandbox, store: Store, make_engine: EngineMaker
) -> None:
    client = client_factory(sandbox)()
    for customer in NEW_CUSTOMERS:
        client.call(fn.create("CUSTOMER", {"CUSTOMERID": customer, "NAME": customer}))
    result = client.call(
        ar.create_invoice(
            "C-1001",
            sandbox.company.as_of.date() - dt.timedelta(days=3),
            [ar.LineItem(amount="42.00", gl_account_no="4000")],
            term_name="N30",
            invoice_no="DEL-INV-1",
        )
    ).raise_for_status()
    invoice_key = result.key
    engine = make_engine()
    engine.run(push=False)  # the mirror now holds them all
    customers_before = store.count("CUSTOMER")
    invoices_before = store.count("ARINVOICE")

    keys = [
        sandbox.company.find("CUSTOMER", "CUSTOMERID", c)["RECORDNO"] for c in NEW_CUSTOMERS[:3]
    ]  # type: ignore[index]
    client.call(fn.delete("CUSTOMER", keys)).raise_for_status()
    client.call(fn.delete("ARINVOICE", [str(invoice_key)])).raise_for_status()
    client.close()

    summary = engine.run(push=False)
    assert summary.deletions is not None and summary.deletions.could_not_verify is None
    assert dict(summary.deletions.marked) == {"CUSTOMER": 3, "ARINVOICE": 1}
    # kept, flagged with when
    assert store.count("CUSTOMER") == customers_before
    assert store.count("ARINVOICE") == invoices_before
    assert set(store.deleted_keys("CUSTOMER")) == set(keys)
    assert set(store.deleted_keys("ARINVOICE")) == {str(invoice_key)}

    exported = {r["CUSTOMERID"]: r for r in _export(store, "CUSTOMER")}
    assert {c for c, r in exported.items() if r["DELETED_AT"]} == set(NEW_CUSTOMERS[:3])
    assert exported["KEEP-1"]["DELETED_AT"] is None
    invoices = {r["RECORDID"]: r for r in _export(store, "ARINVOICE")}
    assert invoices["DEL-INV-1"]["DELETED_AT"]
    assert sum(1 for r in invoices.values() if r["DELETED_AT"]) == 1

    again = engine.run(push=False)  # nothing new: nothing flagged twice
    assert again.deletions is not None and again.deletions.total == 0


def test_without_the_audit_trail_the_sync_goes_on_and_says_deletions_were_not_checked(
    sandbox: Sandbox, store: Store, make_engine: EngineMaker
) -> None:
    engine = make_engine()
    engine.run(push=False)
    everything_but_audit = {
        name: ["list", "view", "add", "edit", "delete"]
        for name in sandbox.company.specs
        if name != "AUDITHISTORY"
    }
    sandbox.set_user_permissions(everything_but_audit)
    summary = engine.run(push=False)
    assert not summary.pull_failures
    assert summary.deletions is not None
    assert summary.deletions.could_not_verify is not None
    assert "audit trail" in summary.deletions.could_not_verify
    assert "permission" in summary.deletions.could_not_verify


def test_the_sync_command_says_what_was_deleted(
    sandbox: Sandbox, store: Store, make_engine: EngineMaker
) -> None:
    from wizard.commands.sync import summary_json, summary_table

    engine = make_engine()
    engine.run(push=False)
    client = client_factory(sandbox)()
    key = sandbox.company.find("CUSTOMER", "CUSTOMERID", "C-1009")["RECORDNO"]  # type: ignore[index]
    client.call(fn.delete("CUSTOMER", [key])).raise_for_status()
    client.close()
    summary = engine.run(push=False)
    assert "Deleted in Intacct since the last sync (kept here, flagged): 1 CUSTOMER." in (
        summary_table(summary)
    )
    assert summary_json(summary)["deleted_in_intacct"] == {"CUSTOMER": 1}
