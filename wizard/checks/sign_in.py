"""Signing in, step by step: the passwords, the network, the sender, the user, the session.

One sign-in (getAPISession) is shared by all of these (see `CheckContext.sign_in`): the
check that owns the failure reports it with its fix, the steps before it pass (the gateway got
past them), and the steps after it are skipped by the runner.
"""

from __future__ import annotations

import urllib.parse
from datetime import UTC, datetime

from wizard.checks.context import (
    ENTITY_FIELDS,
    PERMISSION_CODES,
    SIGN_IN_CHAIN,
    CheckContext,
    SecretsKept,
    SignIn,
)
from wizard.checks.model import (
    Candidate,
    Verdict,
    failed,
    passed,
    skipped,
    unverified,
    warned,
)
from wizard.checks.network import path_problem
from wizard.checks.registry import Check
from wizard.gateway import ErrorLevel, GatewayError, ResultError, RetryPolicy, Session, functions
from wizard.redaction import redact, remember_secret

# Steps that Intacct's answer proves even when signing in fails later on: the gateway answered,
# and it got past the control block (sender). Whether the user is a Web Services-only user is
# not proved by a failed sign-in: Intacct answers a wrong password and a user who may not use
# Web Services with the same words.
_PROVED_BY_A_LATER_FAILURE = frozenset({"endpoint-reachable", "sender-authorized"})

# The fix matched when Intacct says only "Sign-in information is incorrect": it gives the same
# answer for a wrong user ID, company ID or password, a locked-out user, and a user who is not
# a Web Services only user (reference/intacct-xml-api.md §4 lists no other wording).
_AMBIGUOUS_SIGN_IN = "user-credentials-invalid"
_SAME_ANSWER = (
    " Intacct gives this same answer for a wrong user ID, company ID or password, a locked-out "
    "user and a user who is not a Web Services only user (see “web-services-only-user” for how "
    "to tell them apart)."
)
_SIGN_IN_CANDIDATES = (
    Candidate(
        "The user ID, company ID or password is wrong (the password was changed or expired).",
        "In Intacct, Company > Admin > Web Services users: the user is listed, Active, with "
        "exactly this user ID; the company ID is under Company > Setup > Company.",
    ),
    Candidate(
        "The user is locked out (too many failed sign-ins) or inactive.",
        "Company > Admin > Users (or Web Services users): the user's status says Locked out "
        "or Inactive.",
    ),
    Candidate(
        "The user is a normal (interactive) user, not a Web Services only user.",
        "Company > Admin > Users: the user's User type is not Web Services only (Web Services "
        "only users are also listed under Company > Admin > Web Services users).",
    ),
)


def keyring_secrets(ctx: CheckContext) -> Verdict:
    if ctx.secrets is None:
        return failed(
            ctx.secrets_problem or "The passwords for this connection were not found.",
            ctx.fix(ctx.secrets_fix_id),
        )
    missing = [
        label
        for label, value in (
            ("Web Services sender password", ctx.secrets.sender_password),
            ("user password", ctx.secrets.user_password),
        )
        if not value
    ]
    if missing:
        return failed(
            f"The saved {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} empty.",
            ctx.fix("keyring-unavailable"),
        )
    return _where_kept(ctx)


def _where_kept(ctx: CheckContext) -> Verdict:
    """Say where the passwords really are: only the keyring keeps them for next time."""
    kept = ctx.secrets_kept
    if kept is SecretsKept.SESSION_ONLY:
        return warned(
            "The passwords are kept in this session's memory only, not in a system keyring: "
            "the wizard forgets them when it closes and asks for them again next time, and "
            "a scheduled sync or diagnose on this computer cannot use them.",
            ctx.fix(ctx.secrets_fix_id) if ctx.secrets_fix_id else None,
        )
    if kept is SecretsKept.ENVIRONMENT:
        return warned(
            f"The passwords come from {ctx.secrets_source}, not from a system keyring: they "
            "work only where those variables are set (this terminal, this scheduled task), "
            "and are asked for again anywhere else."
        )
    if kept is SecretsKept.BUILT_IN:
        return passed("The demo company's passwords are built in; nothing is saved.")
    return passed(f"Both passwords were found in {ctx.secrets_source}.")


def _sign_in_step(ctx: CheckContext, me: str, success: str) -> Verdict:
    attempt: SignIn = ctx.sign_in()
    if attempt.ok:
        return passed(success)
    assert attempt.error is not None and attempt.fix is not None
    said = redact(str(attempt.error))
    ambiguous = attempt.fix.id == _AMBIGUOUS_SIGN_IN and attempt.owner == "user-sign-in"
    if attempt.owner == me:
        same = _SAME_ANSWER if ambiguous else ""
        return failed(f"Signing in failed here. Intacct said: {said}.{same}", attempt.fix)
    if ambiguous and me == "web-services-only-user":
        return unverified(
            "whether the user is a Web Services only user",
            f"signing in failed, and Intacct's answer ({said}) is the same for several causes.",
            _SIGN_IN_CANDIDATES,
            "Once the user can sign in, this check and “user-sign-in” confirm it.",
        )
    if attempt.owner == "concurrency" and me == "endpoint-reachable":
        return passed(
            "The Intacct gateway answered, but it is refusing requests right now "
            "(see “concurrency”)."
        )
    order = list(SIGN_IN_CHAIN)
    failed_later = attempt.owner in order and order.index(attempt.owner) > order.index(me)
    if failed_later and me in _PROVED_BY_A_LATER_FAILURE:
        return passed(success.rstrip(".") + " (signing in stopped at a later step).")
    if failed_later:
        return skipped(
            f"Skipped: this can be confirmed only once signing in works (see “{attempt.owner}”)."
        )
    return skipped(
        f"Skipped: signing in stopped before this step could be confirmed (see “{attempt.owner}”)."
    )


def endpoint_reachable(ctx: CheckContext) -> Verdict:
    url = ctx.profile.endpoint
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return failed(
            f"The gateway address {url!r} is not a web address.", ctx.fix("endpoint-unreachable")
        )
    found, problem = path_problem(ctx)
    if problem is not None:
        return problem
    proxy = found.proxy
    how = f"via {proxy.describe()}" if proxy.url else f"directly, as {proxy.source}"
    trust = (
        f"; its certificate was checked against {found.trust}" if parts.scheme == "https" else ""
    )
    if ctx.secrets is None:
        return passed(f"{found.host} accepted a connection on port {found.port} ({how}{trust}).")
    return _sign_in_step(
        ctx,
        "endpoint-reachable",
        f"The Intacct gateway at {found.host} answered ({how}{trust}).",
    )


def sender_authorized(ctx: CheckContext) -> Verdict:
    return _sign_in_step(
        ctx,
        "sender-authorized",
        f"Intacct accepted the Web Services sender {ctx.profile.sender_id!r} for company "
        f"{ctx.profile.company_id.strip()!r}.",
    )


def web_services_only_user(ctx: CheckContext) -> Verdict:
    return _sign_in_step(
        ctx,
        "web-services-only-user",
        f"The user {ctx.profile.user_id!r} may sign in through Web Services.",
    )


def user_sign_in(ctx: CheckContext) -> Verdict:
    where = f"entity {ctx.profile.entity_id}" if ctx.profile.entity_id else "the top level"
    return _sign_in_step(
        ctx,
        "user-sign-in",
        f"The user {ctx.profile.user_id!r} signed in to {where} of "
        f"{ctx.profile.company_id.strip()!r}.",
    )


# A session must outlive the sync's longest wait between two calls (its retry pauses reach
# RetryPolicy.max_delay_s), with room to spare; Intacct's are hours long (spec §3.1).
SHORTEST_USEFUL_SESSION_S = 2 * RetryPolicy().max_delay_s


def idle_lifetime_s(session: Session, now: datetime | None = None) -> float | None:
    """How long Intacct keeps the session open without calls, from the `sessiontimeout` it
    sent at sign-in (None when it sent none)."""
    if not session.timeout:
        return None
    try:
        ends = datetime.fromisoformat(session.timeout)
    except ValueError:
        return None
    if ends.tzinfo is None:
        ends = ends.replace(tzinfo=UTC)
    return (ends - (now or datetime.now(UTC))).total_seconds()


def _duration(seconds: float) -> str:
    if seconds >= 5400:
        return f"about {seconds / 3600:.0f} hours"
    if seconds >= 90:
        return f"about {seconds / 60:.0f} minutes"
    return f"{max(seconds, 0):.0f} seconds"


def session_entity(ctx: CheckContext) -> Verdict:
    attempt = ctx.sign_in()
    if not attempt.ok:
        return _sign_in_step(ctx, "session-entity", "")
    assert attempt.session is not None
    lifetime = idle_lifetime_s(attempt.session)
    if lifetime is not None and lifetime < SHORTEST_USEFUL_SESSION_S:
        return failed(
            f"Intacct ends the API session after {_duration(lifetime)} without a call (the "
            "session timeout it sent at sign-in). The sync pauses longer than that when it "
            "waits out a refusal, so it would keep losing its session and signing in again.",
            ctx.fix("session-expired"),
        )
    lasts = (
        f"; Intacct keeps it open for {_duration(lifetime)} without calls"
        if lifetime is not None
        else ""
    )
    if ctx.profile.entity_id:
        return passed(f"The session is open in entity {ctx.profile.entity_id}{lasts}.")
    return _entity_access_from_top(ctx, lasts)


def _entity_access_from_top(ctx: CheckContext, lasts: str) -> Verdict:
    try:
        entities = ctx.records("LOCATIONENTITY", ENTITY_FIELDS)
    except ResultError as refused:
        if not any(e.errorno in PERMISSION_CODES for e in refused.errors):
            raise
        # The session works; only the list of entities is closed to this user (an
        # integration may not need Company › Entities).
        return unverified(
            "whether the user can open the entities",
            f"the session is open at the top level{lasts}, but the user may not list "
            "the entities (Company › Entities, list), so none could be tried",
            (
                Candidate(
                    "The integration works at the top level only: nothing to do.",
                    "Its help page says where it connects (Prepare lists it).",
                ),
                Candidate(
                    "The integration posts in an entity the user cannot open.",
                    "Company > Admin > Web Services users > Edit the user > Entities tab.",
                ),
            ),
        )
    ids = [r.get("LOCATIONID", "") for r in entities if r.get("LOCATIONID")]
    if not ids:
        return passed(f"The session is open at the top level{lasts} (no entities).")
    probe = ids[0]
    result = ctx.call(functions.get_api_session(location_id=probe))
    for record in result.records:
        remember_secret(record.get("sessionid"))
    if not result.ok:
        error = GatewayError(ErrorLevel.RESULT, f"Opening entity {probe} failed", result.errors)
        return failed(
            f"The session is open at the top level, but the user could not open entity "
            f"{probe}: {redact(str(error))}. Records owned by an entity cannot be read or "
            "posted there.",
            ctx.match(error, entity_level=True),
        )
    others = f" (tried as the first of {', '.join(ids)})" if len(ids) > 1 else ""
    return passed(
        f"The session is open at the top level{lasts}; the user could also open entity "
        f"{probe}{others}."
    )


CHECKS = (
    Check("keyring-secrets", "Where the passwords are kept", keyring_secrets),
    Check("endpoint-reachable", "This computer can reach the Intacct gateway", endpoint_reachable),
    Check(
        "sender-authorized",
        "Web Services is on and the sender ID is authorised",
        sender_authorized,
        ("keyring-secrets", "endpoint-reachable"),
    ),
    Check(
        "web-services-only-user",
        "The integration user is a Web Services only user",
        web_services_only_user,
        ("sender-authorized",),
    ),
    Check(
        "user-sign-in",
        "The integration user can sign in",
        user_sign_in,
        # Not after "web-services-only-user": that one cannot be confirmed when the password
        # is wrong, and the wrong password must still be named here.
        ("sender-authorized",),
    ),
    Check(
        "session-entity",
        "The session opens where the sync posts, and stays open",
        session_entity,
        ("user-sign-in",),
    ),
)
