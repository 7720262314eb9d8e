"""Accounts Receivable settings the sync must agree with: payment summaries and numbering.

Intacct does not document the names of these settings in its get_companyprefs answer
(resources/checks/ar_preferences.toml says what was searched). A check decides only on a value
Intacct returned; when Intacct returns none, it says "could not verify", names the possible
settings, where the admin sees them in Intacct, and that the test posting settles it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from wizard.checks.context import CheckContext
from wizard.checks.model import Candidate, Verdict, failed, passed, unverified, warned
from wizard.checks.registry import Check
from wizard.gateway import functions
from wizard.resources import resource_path

AR_CONFIGURATION = "Accounts Receivable > Setup > Configuration"
SETTLED_BY_TEST_POSTING = (
    "The test posting settles it: it sends one {document} exactly as the sync would, and "
    "Intacct refuses it if this setting is in the way."
)


@dataclass(frozen=True)
class PreferenceNames:
    """The AR preference names to look for (unconfirmed: no public source gives them)."""

    payment_summary_frequency: str
    invoice_numbering: str
    invoice_sequence_prefix: str
    confirmed: bool


class PreferenceNamesError(ValueError):
    """resources/checks/ar_preferences.toml is missing a name or holds a wrong type."""


@cache
def preference_names(path: Path | None = None) -> PreferenceNames:
    path = path or resource_path("checks", "ar_preferences.toml")
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    names = {}
    for key in ("payment_summary_frequency", "invoice_numbering", "invoice_sequence_prefix"):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise PreferenceNamesError(f"{path}: '{key}' must be a preference name (text).")
        names[key] = value.strip().upper()
    if not isinstance(data.get("confirmed"), bool):
        raise PreferenceNamesError(f"{path}: 'confirmed' must be true or false.")
    return PreferenceNames(**names, confirmed=data["confirmed"])


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
    posting = ctx.posting.payment_posting
    if posting == "batch":
        return passed(
            "The sync names the summary (batch) of every payment, so the AR summary "
            "frequency does not matter."
        )
    frequency = ar_preferences(ctx).get(preference_names().payment_summary_frequency, "")
    if not frequency:
        return unverified(
            "whether AR lets Intacct choose the payment summary",
            "Intacct's list of Accounts Receivable settings does not include the summary "
            "frequency, and the sync does not name a summary for its payments.",
            [
                Candidate(
                    "Summary frequency for payments is Daily or Monthly: Intacct picks the "
                    "summary and payments are accepted.",
                    f"In Intacct, {AR_CONFIGURATION}, Summary frequency, Payments.",
                ),
                Candidate(
                    "Summary frequency for payments is User specified: every payment must "
                    "name a summary, and Intacct refuses the sync's payments.",
                    f"The same place ({AR_CONFIGURATION}) says User specified.",
                ),
            ],
            SETTLED_BY_TEST_POSTING.format(document="payment"),
        )
    if frequency.lower() == "user specified":
        return failed(
            "AR payment summaries are 'User specified', so every payment must name a summary "
            "(batch key), but the sync does not name one.",
            ctx.fix("payment-batch-key"),
        )
    return passed(f"AR payment summary frequency is {frequency!r}; payments post by {posting}.")


def document_numbering(ctx: CheckContext) -> Verdict:
    pushes = {"invoices-to-intacct", "convenience-fees-to-intacct"} & set(ctx.flows)
    if not pushes:
        return passed("The sync does not create invoices.")
    ours = ctx.posting.document_number_prefix
    if not ours:
        return passed("The sync sends no invoice numbers: Intacct numbers the invoices.")
    names = preference_names()
    prefs = ar_preferences(ctx)
    numbering = prefs.get(names.invoice_numbering, "")
    prefix = prefs.get(names.invoice_sequence_prefix, "")
    if not numbering:
        return unverified(
            f"whether the sync's invoice numbers ({ours}…) can collide with Intacct's own",
            "Intacct's list of Accounts Receivable settings does not say how invoices are "
            "numbered.",
            [
                Candidate(
                    "Intacct numbers AR invoices itself with a sequence whose numbers can "
                    f"start with {ours!r}: the sync's numbers will clash with them.",
                    f"In Intacct, {AR_CONFIGURATION}, Document sequencing (or Company > "
                    "Setup > Document numbering): look at the invoice sequence's prefix and "
                    "next number.",
                ),
                Candidate(
                    "Invoices have no automatic sequence, or its numbers never start with "
                    f"{ours!r}: no clash.",
                    "The same place shows no sequence for invoices, or another prefix.",
                ),
            ],
            SETTLED_BY_TEST_POSTING.format(document=f"invoice numbered {ours}…"),
        )
    if numbering.lower() == "sequence" and prefix and ours.startswith(prefix):
        # A shared prefix is a risk, not a clash: they collide only where the numbers meet.
        return warned(
            f"The sync sends invoice numbers starting {ours!r}, and Intacct's own invoice "
            f"sequence also issues numbers starting {prefix!r}: they collide as soon as both "
            "use the same number. "
            + SETTLED_BY_TEST_POSTING.format(document=f"invoice numbered {ours}…"),
            ctx.fix("document-number-exists"),
        )
    if numbering.lower() == "sequence":
        return passed(
            f"The sync's invoice numbers ({ours}…) do not share Intacct's sequence prefix "
            f"({prefix or 'none'}…)."
        )
    return passed(f"Intacct does not number AR invoices itself ({numbering}).")


CHECKS = (
    Check(
        "payment-summary-frequency",
        "AR payment summaries suit how the sync records payments",
        payment_summary_frequency,
        ("session-entity",),
        needs_choices=True,
    ),
    Check(
        "document-numbering",
        "Invoice numbers from the sync cannot collide with Intacct's",
        document_numbering,
        ("session-entity",),
        needs_choices=True,
    ),
)
