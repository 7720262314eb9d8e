"""The test posting over the REST API: one AR invoice, in an atomic batch that Intacct undoes.

REST has no "check without saving" call. It has atomic batches: with the transaction header
one refused record rolls back every record of the request (reference intacct-rest-api.md
§3.7). So the check sends one atomic batch of two AR invoices, both exactly as the sync
writes them (the mapped GL accounts, 1.00 each, dated the sync's start date, for an active
customer) and both with the test number `<prefix>WIZARD-TEST`:

1. the test invoice;
2. its copy, which Intacct can refuse only because the test invoice, created a moment
   before, already has that number. Every rule that could refuse the test invoice (a closed
   period, an account that may not be used) would refuse the copy too.

What comes back says what happened:

- the test invoice refused with its own error (not "skipped because the batch failed"):
  Intacct refused it; its words and the fix are shown;
- only the copy refused: the test invoice had been created and accepted, then undone with
  the batch; this is believed only if Intacct has no invoice with the test number afterwards
  (read back, since Sage does not publish how it reports a record undone with its batch);
- a test invoice in Intacct afterwards that was not there before (the transaction header
  ignored, or the company accepts two invoices with one number): the wizard deletes what it
  created, and says so; what it cannot delete is named so the admin can. An invoice that
  already had the test number is never touched (the test invoice is then refused as a
  duplicate, and that is shown);
- both skipped, neither refused for a reason of its own, or the request itself failed
  (network, sign-in, limits): could not verify.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from wizard.checks.model import Verdict, failed, not_applicable, passed, warned
from wizard.checks.posting_trial import AMOUNT, TEST_MARK
from wizard.checks.registry import Check
from wizard.checks.rest_context import RestCheckContext, rest_context
from wizard.gateway import ErrorDetail, ErrorLevel
from wizard.redaction import redact
from wizard.rest import ItemOutcome, RestClient, RestError

INVOICE_OBJECT = "accounts-receivable/invoice"
CUSTOMER_OBJECT = "accounts-receivable/customer"
# The code Intacct gives a record it skipped because another record of the batch failed.
SKIPPED_CODE = "unprocessed"


def _own_errors(outcome: ItemOutcome) -> tuple[ErrorDetail, ...]:
    return tuple(e for e in outcome.errors if e.errorno != SKIPPED_CODE)


def _words(errors: Sequence[ErrorDetail]) -> str:
    return redact("; ".join(str(e) for e in errors))


def trial_invoice(
    rest: RestCheckContext, customer_id: str, on: dt.date, number: str
) -> dict[str, Any]:
    day = on.isoformat()
    return {
        "invoiceNumber": number,
        "customer": {"id": customer_id},
        "invoiceDate": day,
        "dueDate": day,
        "description": "Setup Wizard test posting (undone at once)",
        "lines": [
            {"glAccount": {"id": account}, "txnAmount": AMOUNT}
            for account in rest.posting.gl_accounts
        ],
    }


def _active_customer(rest: RestCheckContext, client: RestClient) -> str:
    with rest.slot():
        rows = list(client.query(CUSTOMER_OBJECT, ["id"], [{"$eq": {"status": "active"}}], limit=1))
    return str(rows[0].get("id", "")) if rows else ""


def _numbered(rest: RestCheckContext, client: RestClient, number: str) -> set[str]:
    """Keys of the invoices with the test number Intacct holds now."""
    with rest.slot():
        rows = client.query(INVOICE_OBJECT, ["key"], [{"$eq": {"invoiceNumber": number}}])
        return {str(row.get("key", "")) for row in rows}


def _delete(rest: RestCheckContext, client: RestClient, keys: set[str]) -> bool:
    """Delete the test invoices the wizard made (never one that was there before)."""
    done = True
    for key in sorted(keys):
        try:
            with rest.slot():
                client.delete(INVOICE_OBJECT, key)
        except RestError:
            done = False
    return done


def _kept(number: str, why: str, count: int, deleted: bool) -> Verdict:
    if not deleted:
        return warned(
            f"Intacct kept the test invoice ({why}) and the wizard could not delete it: in "
            f"Accounts Receivable > Invoices, find the invoice numbered {number} that the "
            "wizard made and delete it."
        )
    return warned(
        f"Intacct accepted the test invoice but kept it ({why}), so the wizard deleted it "
        f"again ({count} invoice(s) numbered {number}). Nothing is left; the test could not "
        "be undone in one step as planned."
    )


def _tried(
    rest: RestCheckContext, client: RestClient, invoice: dict[str, Any], number: str
) -> Verdict:
    try:
        before = _numbered(rest, client, number)  # not the wizard's: never deleted
        with rest.slot():
            test, copy = client.create_many(INVOICE_OBJECT, [invoice, invoice], atomic=True)
        made = _numbered(rest, client, number) - before
    except RestError as error:
        return warned(
            "The test invoice could not be sent, so what only a posting shows is unchecked: "
            + redact(str(error)),
            rest.match(error),
        )
    deleted = _delete(rest, client, made)
    own = _own_errors(test)
    if own:
        refusal = RestError(ErrorLevel.RESULT, "Creating the test invoice", own, test.status)
        fix = rest.fix("permission-missing") if test.status == 403 else rest.match(refusal)
        if not made:
            after = "(Nothing was kept: no invoice the wizard made is in Intacct.)"
        elif deleted:
            after = f"(Intacct kept {len(made)} test invoice(s); the wizard deleted them again.)"
        else:
            after = f"(Look for an invoice numbered {number} in Intacct and delete it.)"
        return failed(
            f"Intacct refused a test invoice dated {invoice['invoiceDate']}, the oldest date "
            f"the sync posts: {_words(own)} {after}",
            fix,
        )
    refused_copy = _own_errors(copy)
    if made:
        why = (
            "it took the copy too"
            if copy.ok
            else "the transaction header was ignored"
            if test.ok
            else "the batch was not undone"
        )
        return _kept(number, why, len(made), deleted)
    if not refused_copy or copy.ok:
        return warned(
            "Could not verify the test invoice: Intacct did not say it refused the copy sent "
            f"after it ({_words(test.errors + copy.errors) or 'no error'}). Nothing was kept. "
            "Run the check again; if it says the same, the first sync's records will show any "
            "refusal, each with its fix."
        )
    said = refused_copy[0].description or refused_copy[0].errorno
    return passed(
        f"Intacct accepted a test invoice dated {invoice['invoiceDate']} on account(s) "
        f"{', '.join(rest.posting.gl_accounts)}. It refused only the same invoice sent second "
        f"({redact(said)}), which shows the first had been created, and undid both: no "
        f"invoice the wizard made is in Intacct."
    )


def rest_test_posting(ctx: object) -> Verdict:
    rest = rest_context(ctx)
    if not rest.test_posting:
        return not_applicable("Skipped: test postings are switched off (--no-test-posting).")
    if not rest.posting.gl_accounts:
        return not_applicable("Skipped: no GL accounts are mapped yet.")
    on = rest.profile.sync.start_date or dt.datetime.now(dt.UTC).date()
    number = f"{rest.posting.document_number_prefix}{TEST_MARK}"
    client = rest.new_rest_client(entity_id=rest.profile.entity_id or None)
    rest.share_token(client)
    try:
        customer = _active_customer(rest, client)
        if not customer:
            return not_applicable(
                "Skipped: Intacct has no active customer to raise a test invoice for."
            )
        return _tried(rest, client, trial_invoice(rest, customer, on, number), number)
    finally:
        client.close()


CHECKS = (
    Check(
        "rest-test-posting",
        "A test invoice is accepted (and undone at once)",
        rest_test_posting,
        depends_on=("rest-entity", "rest-accounts"),
    ),
)
