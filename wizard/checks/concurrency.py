"""Concurrency health: the company accepts as many requests at once as the sync will send."""

from __future__ import annotations

import time

from wizard.checks.context import CheckContext
from wizard.checks.model import Verdict, failed, passed, skipped
from wizard.checks.registry import Check
from wizard.gateway import GatewayError, functions
from wizard.redaction import redact


def concurrency(ctx: CheckContext) -> Verdict:
    attempt = ctx.sign_in()
    if not attempt.ok:
        assert attempt.fix is not None
        if attempt.owner == "concurrency":
            return failed(f"Intacct refused the sign-in: {redact(str(attempt.error))}", attempt.fix)
        return skipped(f"Skipped: signing in failed first (see “{attempt.owner}”).")
    wanted = ctx.max_in_flight
    # A client of its own, retrying as the sync does: a refusal that goes away is a warning
    # (the runner says which), one that lasts fails here.
    client = ctx.new_client()

    def probe(_: int) -> tuple[GatewayError | None, float]:
        started = time.monotonic()
        try:
            client.call(functions.get_financial_setup()).raise_for_status()
        except GatewayError as error:
            return error, time.monotonic() - started
        return None, time.monotonic() - started

    with client:
        with ctx.slot():
            client.login()
        with ctx.all_slots():
            outcomes = ctx.in_threads(probe, range(wanted), wanted)
    errors = [e for e, _ in outcomes if e is not None]
    slowest = max(seconds for _, seconds in outcomes)
    if errors:
        fix = ctx.match(errors[0])
        return failed(
            f"{len(errors)} of {wanted} requests sent at once were refused "
            f"({redact(str(errors[0]))}). Another integration may be using the company's "
            f"slots, or the sync's concurrency ({wanted}) is above what the company allows.",
            fix,
        )
    return passed(
        f"Intacct answered {wanted} requests sent at once (the sync's limit), the slowest "
        f"in {slowest:.1f} s."
    )


CHECKS = (
    Check(
        "concurrency",
        "Intacct accepts the sync's requests at the chosen concurrency",
        concurrency,
        ("endpoint-reachable", "keyring-secrets"),
    ),
)
