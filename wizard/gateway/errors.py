"""What can go wrong talking to the Intacct XML gateway, as values and exceptions.

Every error the gateway reports becomes an `ErrorDetail`. Failures that stop a whole request
(transport, control block, authentication) are raised as a `GatewayError` subclass carrying
those details; failures of a single function stay in its result (see `response.Result`).
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field
from enum import StrEnum

from wizard.redaction import redact

_SUPPORT_ID = re.compile(r"\s*\[Support ID:\s*(?P<id>[^\]]*)\]\s*$", re.IGNORECASE)


class ErrorLevel(StrEnum):
    """Where in the request an error was reported."""

    TRANSPORT = "transport"  # no usable gateway answer: network, HTTP, not XML
    CONTROL = "control"  # sender credentials, request syntax, gateway limits
    AUTHENTICATION = "authentication"  # user sign-in, session, entity
    RESULT = "result"  # one function's outcome


@dataclass(frozen=True, slots=True)
class ErrorDetail:
    """One `<error>` from the gateway. `errorno` is usually a code but may be free text."""

    errorno: str
    description: str = ""
    description2: str = ""
    correction: str = ""
    support_id: str = ""
    # REST only: the `errorId` (REST-1028) that names the exact message; empty for XML.
    error_id: str = ""

    @classmethod
    def from_texts(
        cls, errorno: str, description: str, description2: str, correction: str
    ) -> ErrorDetail:
        """Build from the raw element texts, splitting off a trailing `[Support ID: …]`."""
        support_id = ""
        texts = [description, description2, correction]
        for index, text in enumerate(texts):
            found = _SUPPORT_ID.search(text)
            if found:
                support_id = urllib.parse.unquote(found.group("id").strip())
                texts[index] = text[: found.start()].rstrip()
        description, description2, correction = (t.strip() for t in texts)
        return cls(errorno.strip(), description, description2, correction, support_id)

    @property
    def message(self) -> str:
        """The error's words in one line: the non-empty texts joined, without the code."""
        return " ".join(t for t in (self.description, self.description2, self.correction) if t)

    def __str__(self) -> str:
        code = f"{self.errorno}: " if self.errorno else ""
        support = f" [Support ID: {self.support_id}]" if self.support_id else ""
        return redact(f"{code}{self.message}{support}")


# Not frozen: Python itself sets __traceback__, __context__ and __notes__ on an exception as it
# travels (contextlib does on the way out of a `with`), which a frozen dataclass refuses.
# eq=False keeps exceptions hashable by identity, as Python expects.
@dataclass(eq=False)
class GatewayError(Exception):
    """A request failed as a whole. `errors` holds what the gateway said, most specific first."""

    level: ErrorLevel
    summary: str
    errors: tuple[ErrorDetail, ...] = field(default=())
    http_status: int | None = None
    # A short machine-readable label for what went wrong (e.g. "missing-control",
    # "not-xml", "timeout", "short-read"); empty when the gateway's own errors say it all.
    reason: str = ""

    @property
    def errornos(self) -> tuple[str, ...]:
        """The gateway's error numbers, in order (free text for some errors)."""
        return tuple(e.errorno for e in self.errors)

    def __str__(self) -> str:
        details = "; ".join(str(e) for e in self.errors)
        return redact(f"{self.summary}: {details}" if details else self.summary)

    @property
    def said(self) -> str:
        """What Intacct said, for an admin: its errors alone (the summary names the function
        and its control id, which mean nothing to them), else the summary."""
        details = "; ".join(str(e) for e in self.errors)
        return redact(details or self.summary)


class TransportError(GatewayError):
    """No usable answer: connection failed, timed out, or the body was not a gateway response."""


class ControlError(GatewayError):
    """The gateway rejected the request's control block (sender, syntax, limits, company)."""


class AuthenticationError(GatewayError):
    """The user could not sign in, or the session is no longer valid."""


class ResultError(GatewayError):
    """A function failed and the caller asked for it to be raised rather than returned."""


class MalformedResponseError(TransportError):
    """The body was XML-ish but not a complete, valid gateway response (see `reason`)."""


class ShortReadError(GatewayError):
    """A paged read ended before it delivered every record the gateway said it had."""


def is_session_expired(errors: tuple[ErrorDetail, ...]) -> bool:
    """True when Intacct says the session is no longer valid (XL03000006 "Invalid session")."""
    return any("invalid session" in f"{e.description} {e.description2}".lower() for e in errors)


def is_too_many_operations(errors: tuple[ErrorDetail, ...]) -> bool:
    """True for the gateway's concurrency refusal (XMLGW_JPP0001 / "too many operations")."""
    return any(
        e.errorno.upper().replace(" ", "_") == "XMLGW_JPP0001"
        or "too many operations" in e.message.lower()
        for e in errors
    )
