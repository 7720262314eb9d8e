"""Checks of signing in over the REST API: the token, the sign-in page, the first call, the user.

Each failure names the fix Intacct's answer points at; where Intacct does not tell, the check
says it could not verify, with the candidate causes and how to tell them apart.
"""

from __future__ import annotations

from wizard.checks.model import Verdict, failed, not_applicable, passed, warned
from wizard.checks.registry import Check
from wizard.checks.rest_context import rest_context
from wizard.connection import RestGrant
from wizard.gateway import ErrorLevel
from wizard.redaction import redact
from wizard.rest import RestError, authorization_request
from wizard.rest.oauth import check_redirect_uri

USER_OBJECT = "company-config/user"
FIRST_CALL_OBJECT = "company-config/entity"


def rest_sign_in(ctx: object) -> Verdict:
    rest = rest_context(ctx)
    if not rest.profile.rest.client_id:
        return failed(
            "The connection has no client ID for its app.", rest.fix("rest-client-refused")
        )
    outcome = rest.rest_sign_in()
    if not outcome.ok:
        assert outcome.error is not None and outcome.fix is not None
        return failed(f"Intacct answered: {redact(str(outcome.error))}", outcome.fix)
    if rest.profile.rest.grant is RestGrant.SIGN_IN:
        return passed("Intacct issued an access token with the saved sign-in.")
    who = f"{rest.profile.user_id}@{rest.profile.company_id.strip()}"
    return passed(f"Intacct issued an access token for {who} (client ID and secret).")


def rest_sign_in_page(ctx: object) -> Verdict:
    """Sage's sign-in page accepts the app and its redirect address (sign-in connections)."""
    rest = rest_context(ctx)
    if rest.profile.rest.grant is not RestGrant.SIGN_IN:
        return not_applicable(
            "Not needed: the connection signs in with the app's client ID and secret."
        )
    try:
        check_redirect_uri(rest.app.redirect_uri)
    except ValueError as refused:
        return failed(str(refused), rest.fix("rest-redirect-uri-mismatch"))
    request = authorization_request(rest.app, rest.profile.rest.base_url)
    with rest.slot():
        page, answer = rest.rest.open_sign_in_page(request)
    if page:
        return passed("Sage's sign-in page accepts the app and its redirect address.")
    if answer.errors and not answer.problem:
        error = RestError(
            ErrorLevel.AUTHENTICATION,
            f"Sage's sign-in page refused the request (HTTP {answer.http_status})",
            answer.errors,
            answer.http_status,
        )
        return failed(f"Intacct answered: {redact(str(error))}", rest.match(error))
    return warned(
        f"Could not verify: Sage's sign-in page answered HTTP {answer.http_status} without "
        "saying why. Candidate causes: the redirect address is not the one registered for "
        "the app, or the client ID is wrong. To tell them apart, click Sign in with Sage "
        "Intacct on the Credentials page: Sage names the problem on its page.",
        rest.fix("rest-redirect-uri-mismatch"),
    )


def rest_token_accepted(ctx: object) -> Verdict:
    """The first API call with the token: Intacct accepts it (and answers at all)."""
    rest = rest_context(ctx)
    try:
        with rest.slot():
            entities = rest.rest.count(FIRST_CALL_OBJECT)
    except RestError as error:
        if error.reason != "token-refused":
            raise
        # A fresh token was refused too: the token itself, not the saved sign-in.
        return failed(
            f"Intacct refused a token it had just issued: {redact(str(error))}",
            rest.fix("rest-token-refused"),
        )
    return passed(f"Intacct accepted the token and answered a call ({entities} entities).")


def rest_web_services_user(ctx: object) -> Verdict:
    rest = rest_context(ctx)
    if rest.profile.rest.grant is RestGrant.CLIENT_CREDENTIALS:
        return passed(
            "Intacct issues client-credentials tokens only for the Web Services user named on "
            "the app's Authorized client applications row, and it issued one for "
            f"{rest.profile.user_id}."
        )
    try:
        with rest.slot():
            rows = list(
                rest.rest.query(
                    USER_OBJECT,
                    ["id", "userType", "status"],
                    [{"$eq": {"id": rest.profile.user_id}}],
                )
            )
    except RestError as error:
        if error.http_status == 403:
            return warned(
                "Could not verify the user's type: the signed-in user may not read user "
                "records (HTTP 403). Check in Intacct under Company > Admin > Users that the "
                "integration's user is a Web Services user."
            )
        raise
    if not rows:
        return warned(
            f"Could not verify: Intacct has no user record {rest.profile.user_id!r} visible to "
            "the signed-in user. Check that the Credentials page names the user who signed in."
        )
    user_type = str(rows[0].get("userType", "")) or "not given"
    # Which userType value marks a Web Services user is not published (reference §8.11), so
    # the answer is shown, not judged.
    return warned(
        f"Could not verify: Intacct reports {rows[0].get('id')} as user type {user_type!r}, "
        "and Sage does not publish which value marks a Web Services user. With Sign in with "
        "Sage Intacct any user with the permissions can connect; Sage recommends a Web "
        "Services user. Check in Intacct under Company > Admin > Users: the user's type "
        "should be Web Services."
    )


CHECKS = (
    Check("rest-sign-in", "Sign-in over the REST API (OAuth 2.0)", rest_sign_in),
    Check(
        "rest-sign-in-page",
        "Sage's sign-in page accepts the app",
        rest_sign_in_page,
        depends_on=("rest-sign-in",),
    ),
    Check(
        "rest-token-accepted",
        "Intacct accepts the access token",
        rest_token_accepted,
        depends_on=("rest-sign-in",),
    ),
    Check(
        "rest-web-services-user",
        "The integration signs in as a Web Services user",
        rest_web_services_user,
        depends_on=("rest-token-accepted",),
    ),
)
