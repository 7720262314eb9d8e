"""The accounts the sync posts to: GL accounts active and their required dimensions covered;
checking accounts carrying a location when the sync posts at the top level."""

from __future__ import annotations

from wizard.checks.context import CHECKING_ACCOUNT_FIELDS, CheckContext
from wizard.checks.model import Verdict, failed, not_applicable, passed
from wizard.checks.registry import Check

# GLACCOUNT "require" flags and the default (mapping) that covers each.
REQUIREMENTS = (
    ("REQUIREDEPT", "department", "default_department"),
    ("REQUIRELOC", "location", "default_location"),
    ("REQUIREPROJECT", "project", ""),
    ("REQUIRECUSTOMER", "customer", "customer"),
)
GL_ACCOUNT_FIELDS = ("ACCOUNTNO", "TITLE", "STATUS", *(flag for flag, _, _ in REQUIREMENTS))


def gl_accounts(ctx: CheckContext) -> Verdict:
    wanted = ctx.posting.gl_accounts
    if not wanted:
        return not_applicable("Skipped: no GL accounts are mapped yet.")
    accounts = {r.get("ACCOUNTNO", ""): r for r in ctx.records("GLACCOUNT", GL_ACCOUNT_FIELDS)}
    missing = [a for a in wanted if a not in accounts]
    if missing:
        return failed(
            f"GL account(s) {', '.join(missing)} are not in Intacct's chart of accounts.",
            ctx.fix("chart-of-accounts-not-syncing"),
        )
    inactive = [a for a in wanted if accounts[a].get("STATUS", "active").lower() != "active"]
    if inactive:
        names = ", ".join(f"{a} ({accounts[a].get('TITLE', '')})" for a in inactive)
        return failed(f"Mapped GL account(s) are inactive: {names}.", ctx.fix("record-inactive"))
    mappings = ctx.profile.mappings
    uncovered = []
    for number in wanted:
        for flag, label, default in REQUIREMENTS:
            if accounts[number].get(flag, "false").lower() != "true":
                continue
            # Customer-facing documents always carry their customer.
            covered = default == "customer" or (default and getattr(mappings, default))
            if not covered:
                uncovered.append(f"{number} needs a {label}")
    if uncovered:
        return failed(
            "Some mapped accounts require a dimension the sync does not fill: "
            + "; ".join(uncovered)
            + ".",
            ctx.fix("dimension-required"),
        )
    return passed(
        f"The {len(wanted)} mapped GL accounts are active and their required dimensions "
        "are covered."
    )


def checking_account_locations(ctx: CheckContext) -> Verdict:
    if "payments-to-intacct" not in ctx.flows:
        return passed("The sync does not record payments, so no deposit account is used.")
    wanted = ctx.posting.deposit_accounts
    if not wanted:
        return not_applicable("Skipped: no deposit (checking) account is mapped yet.")
    accounts = {
        r.get("BANKACCOUNTID", ""): r
        for r in ctx.records("CHECKINGACCOUNT", CHECKING_ACCOUNT_FIELDS)
    }
    missing = [a for a in wanted if a not in accounts]
    if missing:
        return failed(
            f"Checking account(s) {', '.join(missing)} are not in Intacct.",
            ctx.fix("reference-not-found"),
        )
    if not ctx.top_level:
        return passed(
            f"Payments post in entity {ctx.profile.entity_id}, which gives them their location."
        )
    no_location = [a for a in wanted if not accounts[a].get("LOCATIONID")]
    if no_location:
        return failed(
            "The sync posts payments at the top level, and these checking accounts have no "
            f"location: {', '.join(no_location)}.",
            ctx.fix("location-missing"),
        )
    return passed(
        "Every deposit account has a location: "
        + ", ".join(f"{a} ({accounts[a]['LOCATIONID']})" for a in wanted)
        + "."
    )


CHECKS = (
    Check(
        "gl-accounts",
        "The mapped GL accounts are active and their required dimensions covered",
        gl_accounts,
        ("session-entity",),
        needs_choices=True,
    ),
    Check(
        "checking-account-locations",
        "Deposit accounts have a location where the sync posts at the top level",
        checking_account_locations,
        ("session-entity",),
        needs_choices=True,
    ),
)
