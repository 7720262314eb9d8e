"""What can go wrong talking to the Intacct REST API, as the same values the XML side uses.

Every REST error becomes the gateway's `ErrorDetail` (so the fix catalogue matches both
methods): `errorno` is the REST `code` (`invalidRequest`, `tokenInvalid`, `GW-0011`, or a
business-layer number such as `BL01001973` from `details`), `description` the `message`,
`error_id` the `errorId` (`REST-1028`), `support_id` the URL-decoded `supportId`.
Failures of a whole call are raised as `RestError` (a `GatewayError`); one item of a bulk
call keeps its errors in its `ItemOutcome`.
"""

from __future__ import annotations

from dataclasses import dataclass

from wizard.gateway.errors import ErrorLevel, GatewayError

__all__ = ["ErrorLevel", "RestError", "SignInRequired", "TokenError"]


@dataclass(eq=False)
class RestError(GatewayError):
    """A REST call failed as a whole; `http_status` and `errors` say how."""


@dataclass(eq=False)
class TokenError(RestError):
    """The token endpoint refused to issue a token (app, user, grant or request problem)."""


@dataclass(eq=False)
class SignInRequired(TokenError):
    """The saved sign-in no longer works (refresh token revoked, expired or superseded).

    Nothing is lost: the caller keeps what it has and asks the admin to sign in again."""
