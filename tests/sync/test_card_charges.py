"""Card charges: the sandbox answers record_cctransaction, so the card flows run end to end;
a card charge that meets a push-side fault fails with the fix for it, and lands on retry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.sync.sync_helpers import EngineMaker, copies_in_intacct, demo_settings, history_start
from wizard.sandbox import Sandbox
from wizard.sync.demo import add_card_accounts, add_demo_outbox
from wizard.sync.outbox import OutboxKind
from wizard.sync.store import RunStatus, Store

CARD_FLOWS = demo_settings(
    "card-accounts-to-intacct", "card-charges-to-intacct", entity_id="US-EAST"
)


def test_the_card_charge_flow_lands_every_charge_once(
    sandbox: Sandbox, store: Store, make_engine: EngineMaker
) -> None:
    add_demo_outbox(store, 30, card_charges=True)
    engine = make_engine(CARD_FLOWS)
    summary = engine.run(since=history_start(sandbox) + dt.timedelta(days=366))
    assert summary.status is RunStatus.SUCCEEDED
    assert summary.push is not None and summary.push.by_kind["card_charge"] == {"landed": 3}
    charges = {r["RECORDID"]: r for r in sandbox.company.created("CCTRANSACTION")}
    assert set(charges) == {"WEB-CC-000010", "WEB-CC-000020", "WEB-CC-000030"}
    assert all(Decimal(r["TRX_TOTALENTERED"]) == Decimal("19.99") for r in charges.values())
    assert all(r["FINANCIALENTITY"] == "WEB-AMEX" for r in charges.values())
    assert set(copies_in_intacct(sandbox, store).values()) == {1}
    assert engine.run().push.records_sent == 0  # type: ignore[union-attr]


# scenario -> (the charge that meets it, the fix it names)
LAST_MONTH = "last-month"
FAULTS = {
    "period-closed": ({"date": LAST_MONTH, "account": "6000"}, "period-closed"),
    "gl-account-restricted": ({"account": "4400"}, "gl-account-restricted"),
}


@pytest.mark.parametrize("scenario", sorted(FAULTS))
def test_a_card_charge_fault_names_its_fix_and_retry_lands_it(
    scenario: str, sandbox: Sandbox, store: Store, make_engine: EngineMaker
) -> None:
    shape, fix_id = FAULTS[scenario]
    add_card_accounts(store)
    card = store.outbox_find(OutboxKind.CARD_ACCOUNT, "WEB-AMEX")
    assert card is not None
    today = sandbox.company.as_of.date()
    day = today - dt.timedelta(days=20) if shape.get("date") == LAST_MONTH else today
    for number, account in (("CC-GOOD", "6000"), ("CC-FAULT", shape["account"])):
        store.outbox_add(
            OutboxKind.CARD_CHARGE,
            number,
            {
                "card_id": "WEB-AMEX",
                "date": (today if number == "CC-GOOD" else day).isoformat(),
                "lines": [{"glaccountno": account, "amount": "12.34"}],
            },
            document_no=number,
            depends_on=card,
        )
    sandbox.enable(scenario)
    engine = make_engine(CARD_FLOWS)
    engine.run(since=history_start(sandbox) + dt.timedelta(days=366))
    failed = store.outbox_records("failed")
    assert [r.local_id for r in failed] == ["CC-FAULT"]
    errors = [e for e in store.errors("open") if e.outbox_id is not None]
    assert [e.fix_id for e in errors] == [fix_id]
    sandbox.disable(scenario)
    engine.retry_failed()
    engine.run()
    assert {r.local_id for r in store.outbox_records("landed")} >= {"CC-GOOD", "CC-FAULT"}
