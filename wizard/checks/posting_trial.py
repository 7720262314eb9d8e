"""A test posting: what only a posting reveals, found before the first sync and never kept.

Some refusals Intacct gives only when a document is posted: a closed period, a restricted GL
account, a smart rule, a document number already taken, a deposit account without a location
at the top level, undeposited funds for a foreign-currency invoice. For each kind of document
the chosen sync creates, this check builds one small document exactly as the sync would
(`wizard.sync.documents.Builder`, with the profile's mapping) and sends it in a transaction
(`<operation transaction="true">`) whose last step Intacct always refuses: a create of an
object no company has. Intacct then undoes the whole transaction, so nothing is kept, and
the document's own answer says whether it would have been accepted:

- the document `aborted` and the undo step `failure`: accepted, then undone;
- the document `failure`: refused, with Intacct's error and its fix;
- anything else (the undo step did not fail): the document may have been kept; the admin is
  told its number so it can be deleted;
- the request itself failed (network, limits): a warning, since nothing was learnt.

Test documents carry the TEST_MARK in their number and are for 1.00.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from wizard.checks.context import CHECKING_ACCOUNT_FIELDS, ENTITY_FIELDS, CheckContext
from wizard.checks.model import Verdict, failed, not_applicable, passed, warned
from wizard.checks.registry import Check
from wizard.fixes import Fix, MatchContext
from wizard.gateway import ErrorDetail, ErrorLevel, GatewayError, Outcome, Record, Status, functions
from wizard.sync.documents import Builder
from wizard.sync.outbox import OutboxKind, OutboxRecord, OutboxState
from wizard.sync.settings import SyncSettings

TEST_MARK = "WIZARD-TEST"
AMOUNT = "1.00"
# No Intacct company has this object, so creating it always fails and undoes the transaction.
UNDO_OBJECT = "WIZARD_TEST_UNDO"
ROLLBACK_CODE = "XL03000009"  # "The entire transaction ... has been rolled back"
# undeposited-funds payments tried, one per currency
MAX_CURRENCIES = 3


@dataclass(frozen=True)
class Trial:
    kind: OutboxKind
    what: str  # "an invoice on account(s) 4000, 4100", for the admin
    number: str
    payload: dict[str, object]


@dataclass(frozen=True)
class Tried:
    trial: Trial
    accepted: bool = False
    kept: bool = False
    unsent: bool = False  # the request itself failed (network, sign-in, limits)
    message: str = ""
    fix: Fix | None = None


def undo_step() -> functions.Function:
    return functions.create(
        UNDO_OBJECT, {"NOTE": "Setup Wizard test posting: undo it"}, control_id="undo"
    )


# -- what to try -------------------------------------------------------------------------


def _first(ctx: CheckContext, obj: str, fields: list[str], *filters: functions.Filter) -> Record:
    """One record of `obj` matching every filter, or {} (read once per diagnosis)."""
    wanted = filters[0] if len(filters) == 1 else functions.all_of(*filters)

    def read() -> Record:
        result = ctx.call(functions.query(obj, fields, wanted, pagesize=1))
        result.raise_for_status()
        return result.records[0] if result.records else {}

    return ctx.cached(f"first:{obj}:{fields}:{wanted!r}", read)


def _currencies(ctx: CheckContext) -> list[str]:
    """The currencies documents are in: the base currency and every entity's currency."""
    found: list[str] = []

    def add(currency: object) -> None:
        if currency and str(currency) not in found:
            found.append(str(currency))

    setup = ctx.cached("financial-setup", lambda: ctx.call(functions.get_financial_setup()))
    if setup.ok and setup.records:
        add(setup.records[0].get("baseCurrency"))  # empty when each entity has its own
    for entity in ctx.records("LOCATIONENTITY", ENTITY_FIELDS):
        add(entity.get("CURRENCY"))
    return found


def _open_invoice(ctx: CheckContext, currency: str) -> Record:
    """An invoice with at least AMOUNT due, in `currency` ("" = any)."""
    due = functions.where("TOTALDUE", "greaterthanorequalto", AMOUNT)
    fields = ["RECORDNO", "CUSTOMERID", "CURRENCY"]
    if not currency:
        return _first(ctx, "ARINVOICE", fields, due)
    return _first(ctx, "ARINVOICE", fields, due, functions.where("CURRENCY", "equalto", currency))


def _bank_currency(ctx: CheckContext, account: str) -> str:
    accounts = ctx.records("CHECKINGACCOUNT", CHECKING_ACCOUNT_FIELDS)
    return next(
        (str(a.get("CURRENCY", "")) for a in accounts if a.get("BANKACCOUNTID") == account), ""
    )


def _payment(day: str, account: str, target: str, invoice: Record) -> Trial:
    into = "undeposited funds" if target == "undeposited_account" else "bank account"
    currency = str(invoice.get("CURRENCY", ""))
    return Trial(
        OutboxKind.PAYMENT,
        f"a {currency} payment into {into} {account}",
        f"{TEST_MARK}-{account}-{currency}",
        {
            "customer_id": invoice.get("CUSTOMERID", ""),
            "amount": AMOUNT,
            "date": day,
            "currency": currency,
            "invoice_key": invoice["RECORDNO"],
            target: account,
        },
    )


def _payments(ctx: CheckContext, day: str) -> tuple[list[Trial], list[str]]:
    """A payment into each deposit account (in its currency), and into undeposited funds in
    each currency Intacct holds open invoices in (Intacct refuses some currencies there)."""
    found: list[Trial] = []
    untried: list[str] = []
    posting = ctx.posting
    for account in posting.deposit_accounts:
        invoice = _open_invoice(ctx, _bank_currency(ctx, account)) or _open_invoice(ctx, "")
        if invoice.get("RECORDNO"):
            found.append(_payment(day, account, "bank_account", invoice))
        else:
            untried.append(f"a payment into bank account {account} (no open invoice to pay)")
    if posting.undeposited_account:
        invoices = [_open_invoice(ctx, c) for c in _currencies(ctx)[:MAX_CURRENCIES]]
        invoices = [i for i in invoices if i.get("RECORDNO")] or [_open_invoice(ctx, "")]
        for invoice in invoices:
            if invoice.get("RECORDNO"):
                found.append(
                    _payment(day, posting.undeposited_account, "undeposited_account", invoice)
                )
            else:
                untried.append(
                    f"a payment into undeposited funds {posting.undeposited_account} "
                    "(no open invoice to pay)"
                )
    return found, untried


def trials(ctx: CheckContext, on: dt.date) -> tuple[list[Trial], list[str]]:
    """The documents to try for the chosen flows, and what could not be tried (and why)."""
    kinds = set(ctx.flow_catalogue.push_kinds(ctx.flows))
    posting = ctx.posting
    day = on.isoformat()
    found: list[Trial] = []
    untried: list[str] = []
    if OutboxKind.CUSTOMER in kinds:
        found.append(
            Trial(
                OutboxKind.CUSTOMER,
                "a customer",
                f"{TEST_MARK}-CUSTOMER",
                {"name": "Setup Wizard test customer (undone at once)"},
            )
        )
    if OutboxKind.INVOICE in kinds and posting.gl_accounts:
        customer = _first(
            ctx, "CUSTOMER", ["CUSTOMERID"], functions.where("STATUS", "equalto", "active")
        )
        if customer.get("CUSTOMERID"):
            found.append(
                Trial(
                    OutboxKind.INVOICE,
                    f"an invoice on account(s) {', '.join(posting.gl_accounts)}",
                    f"{posting.document_number_prefix}{TEST_MARK}",
                    {
                        "customer_id": customer["CUSTOMERID"],
                        "date": day,
                        "due_date": day,
                        "description": "Setup Wizard test posting (undone at once)",
                        "lines": [
                            {"amount": AMOUNT, "glaccountno": a} for a in posting.gl_accounts
                        ],
                    },
                )
            )
        else:
            untried.append("an invoice (Intacct has no active customer to raise it for)")
    if OutboxKind.CARD_ACCOUNT in kinds:
        liability = _first(
            ctx,
            "GLACCOUNT",
            ["ACCOUNTNO"],
            functions.where("ACCOUNTTYPE", "equalto", "balancesheet"),
            functions.where("NORMALBALANCE", "equalto", "credit"),
            functions.where("STATUS", "equalto", "active"),
        )
        if liability.get("ACCOUNTNO"):
            found.append(
                Trial(
                    OutboxKind.CARD_ACCOUNT,
                    "a liability credit card account",
                    f"{TEST_MARK}-CARD",
                    {
                        "description": "Setup Wizard test card account (undone at once)",
                        "gl_account": liability["ACCOUNTNO"],
                        "liability_type": "Liability",
                    },
                )
            )
        else:
            untried.append("a credit card account (Intacct has no active liability GL account)")
    if OutboxKind.PAYMENT in kinds and posting.payment_posting != "batch":
        payments, not_paid = _payments(ctx, day)
        found += payments
        untried += not_paid
    return found, untried


# -- trying one ----------------------------------------------------------------------------


def _record(trial: Trial) -> OutboxRecord:
    now = dt.datetime.now(dt.UTC).isoformat()
    return OutboxRecord(
        0,
        trial.kind,
        trial.number,
        trial.number,
        json.dumps(trial.payload),
        None,
        OutboxState.PENDING,
        None,
        0,
        None,
        now,
        now,
    )


def _own_errors(outcome: Outcome) -> tuple[ErrorDetail, ...]:
    own = tuple(e for e in outcome.errors if e.errorno != ROLLBACK_CODE)
    return own or outcome.errors


def try_one(ctx: CheckContext, builder: Builder, trial: Trial) -> Tried:
    spec = builder.kinds[trial.kind]
    document = builder.build(_record(trial)).with_control_id("test-posting")
    where = MatchContext(
        level=ErrorLevel.RESULT,
        function=spec.function,
        object=spec.object,
        entity_level=not ctx.top_level,
    )
    try:
        posted, undo = ctx.batch([document, undo_step()], transaction=True)
    except GatewayError as error:
        return Tried(trial, unsent=True, message=str(error), fix=ctx.catalogue.match(error))
    if posted.result.status is Status.ABORTED and undo.result.status is Status.FAILURE:
        return Tried(trial, accepted=True)
    if posted.result.status is Status.FAILURE:
        errors = _own_errors(posted)
        message = "; ".join(str(e) for e in errors)
        return Tried(trial, message=message, fix=ctx.catalogue.match(errors, where))
    return Tried(trial, kept=True)


# -- the check -----------------------------------------------------------------------------


def _sentence(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _refusals(refused: Sequence[Tried]) -> list[str]:
    """One sentence per distinct message, naming every document Intacct refused with it."""
    by_message: dict[str, list[str]] = {}
    for tried in refused:
        by_message.setdefault(tried.message, []).append(tried.trial.what)
    return [f"{_sentence(whats)}: {message}" for message, whats in by_message.items()]


def posting_trial(ctx: CheckContext) -> Verdict:
    if not ctx.test_posting:
        return not_applicable("Skipped: test postings are switched off (--no-test-posting).")
    on = ctx.profile.sync.start_date or dt.datetime.now(dt.UTC).date()
    planned, untried = trials(ctx, on)
    if not planned:
        reason = f" ({'; '.join(untried)})" if untried else ""
        return not_applicable(
            f"Skipped: the chosen sync creates nothing that can be tried yet{reason}."
        )
    builder = Builder(
        ctx.flow_catalogue,
        SyncSettings.from_profile(ctx.profile, ctx.flow_catalogue.default),
        invoice_key=lambda _record_id: None,
    )
    tried = ctx.in_threads(lambda t: try_one(ctx, builder, t), planned, ctx.max_in_flight)
    dated = f"dated {on.isoformat()}, the oldest date the sync posts"
    not_tried = f" Not tried: {'; '.join(untried)}." if untried else ""
    kept = [t.trial for t in tried if t.kept]
    if kept:
        return warned(
            "Intacct may have kept the test "
            + _sentence([f"{t.what} (number {t.number})" for t in kept])
            + ": its answer did not show the test undone. Look it up by that number in "
            "Intacct and delete it."
        )
    refused = [t for t in tried if not (t.accepted or t.unsent)]
    unsent = [t for t in tried if t.unsent]
    if unsent and not refused:
        return warned(
            "The test documents could not be sent, so what only a posting shows is unchecked: "
            + unsent[0].message,
            unsent[0].fix,
        )
    if refused:
        fix = next((t.fix for t in refused if t.fix is not None), ctx.fix("unrecognised-error"))
        return failed(
            f"Intacct refused test documents {dated}: "
            + " ".join(_refusals(refused))
            + " (Test documents are undone at once; nothing was kept.)"
            + not_tried,
            fix,
        )
    return passed(
        f"Intacct accepted test documents {dated}: "
        + _sentence([t.trial.what for t in tried])
        + ". Each was undone at once; nothing was kept."
        + not_tried
    )


CHECKS = (
    Check(
        "test-posting",
        "A test posting of each kind of document is accepted (and undone at once)",
        posting_trial,
        (
            "entity-level",
            "gl-accounts",
            "checking-account-locations",
            "payment-summary-frequency",
            "document-numbering",
            "custom-fields",
        ),
    ),
)
