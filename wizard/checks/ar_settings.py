"""Accounts Receivable settings the sync must agree with: payment summaries and numbering."""

from __future__ import annotations

from wizard.checks.context import CheckContext
from wizard.checks.model import Verdict, failed, passed
from wizard.checks.registry import Check
from wizard.gateway import functions


def ar_preferences(ctx: CheckContext) -> dict[str, str]:
    def read() -> dict[str, str]:
        result = ctx.call(functions.get_companyprefs("AR"))
        result.raise_for_status()
        return {
            r.get("preference", "").upper(): r.get("prefvalue", "")
            for r in result.records
            if r.get("preference")
        }

    return ctx.cached("ar-preferences", read)


def payment_summary_frequency(ctx: CheckContext) -> Verdict:
    if "payments-to-intacct" not in ctx.flows:
        return passed("The sync does not record payments.")
    frequency = ar_preferences(ctx).get("PAYMENT_SUMMARY_FREQUENCY", "")
    posting = ctx.posting.payment_posting
    if frequency.lower() == "user specified" and posting == "summary":
        return failed(
            "AR payment summaries are 'User specified', so every payment must name a summary "
            "(batch key), but the sync leaves the summary to Intacct.",
            ctx.fix("payment-batch-key"),
        )
    shown = frequency or "not reported"
    return passed(f"AR payment summary frequency is {shown!r}; payments post by {posting}.")


def document_numbering(ctx: CheckContext) -> Verdict:
    pushes = {"invoices-to-intacct", "convenience-fees-to-intacct"} & set(ctx.flows)
    if not pushes:
        return passed("The sync does not create invoices.")
    prefs = ar_preferences(ctx)
    numbering = prefs.get("INVOICE_NUMBERING", "")
    prefix = prefs.get("INVOICE_SEQUENCE_PREFIX", "")
    ours = ctx.posting.document_number_prefix
    if not ours:
        return passed(f"Intacct numbers the invoices ({numbering or 'its own sequence'}).")
    if numbering.lower() == "sequence" and prefix and ours.startswith(prefix):
        return failed(
            f"The sync sends invoice numbers starting {ours!r}, but Intacct's own invoice "
            f"sequence also issues numbers starting {prefix!r}: they will collide.",
            ctx.fix("document-number-exists"),
        )
    return passed(
        f"The sync's invoice numbers ({ours}…) cannot collide with Intacct's sequence "
        f"({prefix or 'no prefix'}…)."
    )


CHECKS = (
    Check(
        "payment-summary-frequency",
        "AR payment summaries suit how the sync records payments",
        payment_summary_frequency,
        ("session-entity",),
    ),
    Check(
        "document-numbering",
        "Invoice numbers from the sync cannot collide with Intacct's",
        document_numbering,
        ("session-entity",),
    ),
)
