"""The one place that removes secrets from text before it is logged, shown or saved.

Two nets, both applied by `redact()`:

1. By field name: the content of XML elements, JSON members, `key=value` pairs and quoted
   values (`password: "x"`, `{'password': 'x'}`, `password="x"`) whose name is a secret
   field (passwords, session ids, and the fields the official Intacct SDKs mask). Also every
   `Bearer …` credential and anything shaped like a JWT (OAuth tokens).
2. By value: every password and session id the program has handled is remembered (in memory
   only) with `remember_secret()`, and any occurrence of it is masked, wherever it appears:
   an exception message, a URL, a pasted error text.

Every log handler gets `RedactingFilter`; reports, error dialogs and exception messages call
`redact()` directly.
"""

from __future__ import annotations

import html
import logging
import re
import threading
import urllib.parse
from collections.abc import Iterable

MASK = "[redacted]"

# Field names whose values are secret (compared case-insensitively).
SECRET_FIELDS: frozenset[str] = frozenset(
    {
        "password",
        "senderpassword",
        "sender_password",
        "userpassword",
        "user_password",
        "proxy_password",
        "sessionid",
        "session_id",
        "accountnumber",
        "cardnum",
        "ssn",
        "achaccountnumber",
        "wireaccountnumber",
        "taxid",
        # OAuth 2.0 (REST API): tokens, the client secret, the PKCE verifier. The
        # authorization `code` is not a field name here ("code" names every error code);
        # each code is remembered by value instead (`wizard.rest.oauth.code_from_paste`).
        "access_token",
        "refresh_token",
        "client_secret",
        "code_verifier",
        "id_token",
        "accesstoken",
        "refreshtoken",
        "clientsecret",
    }
)

# Values shorter than this are not remembered: masking "a" or "12" everywhere would shred
# the text without protecting anything a person could not guess.
_MIN_SECRET_LENGTH = 3

_names = "|".join(sorted(SECRET_FIELDS, key=len, reverse=True))
_XML_ELEMENT = re.compile(
    rf"(<(?P<tag>(?:[\w.-]+:)?(?:{_names}))(?:\s[^>]*)?>)(?P<value>[^<]*)(</(?P=tag)\s*>)",
    re.IGNORECASE,
)
_JSON_MEMBER = re.compile(rf"(\"(?:{_names})\"\s*:\s*\")((?:[^\"\\]|\\.)*)(\")", re.IGNORECASE)
_KEY_VALUE = re.compile(rf"(\b(?:{_names})\s*[=:]\s*)(?!\s*[\"'])([^\s&,;<]+)", re.IGNORECASE)
# A quoted value after a secret name, however the name is written: `password: "x"` (YAML,
# JavaScript), `{'password': 'x'}` (a Python dict printed), `password="x"` (an XML or HTML
# attribute), `password = 'x'`. Only the quoted value is masked, never the words around it.
_QUOTED_VALUE = re.compile(
    rf"""(\b(?:{_names})['"]?\s*[=:]\s*)(?P<quote>['"])((?:(?!(?P=quote))[^\\]|\\.)*)((?P=quote))""",
    re.IGNORECASE,
)

# The password in a URL's user:password@ part (a proxy address copied from HTTPS_PROXY).
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s/:@]*:)([^\s/@]+)(@)", re.IGNORECASE)
# A bearer credential in a header or pasted text, and anything shaped like a JWT (Intacct's
# access tokens and authorization codes are JWTs), whether or not it was seen before.
_BEARER = re.compile(r"(\bBearer\s+)[A-Za-z0-9._~+/-]+=*", re.IGNORECASE)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*")

_known_secrets: set[str] = set()
_known_lock = threading.Lock()


def _variants(secret: str) -> set[str]:
    """The spellings a secret can take in text we handle: raw, XML-escaped, URL-encoded."""
    return {
        secret,
        html.escape(secret, quote=False),
        html.escape(secret, quote=True),
        urllib.parse.quote(secret, safe=""),
        urllib.parse.quote_plus(secret, safe=""),
    }


def remember_secret(value: str | None) -> None:
    """Mask this value wherever it appears from now on (kept in memory, never written)."""
    if value and len(value.strip()) >= _MIN_SECRET_LENGTH:
        with _known_lock:
            _known_secrets.update(v for v in _variants(value) if len(v) >= _MIN_SECRET_LENGTH)


def forget_secrets() -> None:
    """Drop every remembered value (used between tests)."""
    with _known_lock:
        _known_secrets.clear()


def redact(text: str, extra_secrets: Iterable[str] = ()) -> str:
    """Return `text` with every secret field value and every known secret masked."""
    if not text:
        return text
    text = _XML_ELEMENT.sub(lambda m: f"{m.group(1)}{MASK}{m.group(4)}", text)
    text = _JSON_MEMBER.sub(lambda m: f"{m.group(1)}{MASK}{m.group(3)}", text)
    text = _QUOTED_VALUE.sub(lambda m: f"{m.group(1)}{m.group('quote')}{MASK}{m.group(4)}", text)
    text = _KEY_VALUE.sub(lambda m: f"{m.group(1)}{MASK}", text)
    text = _URL_PASSWORD.sub(lambda m: f"{m.group(1)}{MASK}{m.group(3)}", text)
    text = _BEARER.sub(lambda m: f"{m.group(1)}{MASK}", text)
    text = _JWT.sub(MASK, text)
    with _known_lock:
        values = set(_known_secrets)
    for extra in extra_secrets:
        if extra and len(extra) >= _MIN_SECRET_LENGTH:
            values |= _variants(extra)
    # Longest first, so a secret that contains another is masked whole.
    for value in sorted(values, key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that renders each record's message and masks its secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = redact(record.getMessage())
        record.msg, record.args = message, None
        if record.exc_info and record.exc_info[1] is not None:
            formatter = logging.Formatter()
            record.exc_text = redact(formatter.formatException(record.exc_info))
            record.exc_info = None
        return True
