"""The one place that removes secrets from text before it is logged, shown or saved.

Two nets, both applied by `redact()`:

1. By field name: the content of XML elements, JSON members, `key=value` pairs and quoted
   values (`password: "x"`, `{'password': 'x'}`, `password="x"`) whose name is a secret
   field (passwords, session ids, and the fields the official Intacct SDKs mask). Also every
   `Bearer …` credential and anything shaped like a JWT (OAuth tokens).
2. By value: every password and session id the program has handled is remembered (in memory
   only) with `remember_secret()`, and any occurrence of it is masked, wherever it appears
   (an exception message, a URL, a pasted error text, a JSON file) and however it is spelled
   there: raw, XML/HTML-escaped, percent-encoded by any encoder, JSON- or repr-escaped (also
   nested). This net runs first, so a field pattern never cuts a known value short.

Every log handler gets `RedactingFilter`; reports, error dialogs and exception messages call
`redact()` directly.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
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

# The password in a URL's user:password@ part (a proxy address copied from HTTPS_PROXY). Up to
# the last '@' before the host, as URL parsers read it: a typed password may hold an '@'.
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s/:@]*:)([^\s/]+)(@)", re.IGNORECASE)
# A bearer credential in a header or pasted text, and anything shaped like a JWT (Intacct's
# access tokens and authorization codes are JWTs), whether or not it was seen before.
_BEARER = re.compile(r"(\bBearer\s+)[A-Za-z0-9._~+/-]+=*", re.IGNORECASE)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*")

_known_secrets: set[str] = set()
_known_lock = threading.Lock()
_HEX = "0123456789abcdef"


def _hex_digit(value: int) -> str:
    digit = _HEX[value]
    return f"[{digit}{digit.upper()}]" if digit.isalpha() else digit


def _percent(byte: int) -> str:
    """One byte percent-encoded, in either case, and encoded again (%2522 for a '"')."""
    return f"(?:%25|%){_hex_digit(byte >> 4)}{_hex_digit(byte & 15)}"


def _code_unit(code: int, width: int) -> str:
    return "".join(_hex_digit((code >> shift) & 15) for shift in range(4 * (width - 1), -1, -4))


# Characters JSON and Python's repr write as a backslash and a letter.
_SHORT_ESCAPES = {"\n": "n", "\r": "r", "\t": "t", "\b": "b", "\f": "f"}
_HTML_NAMES = {"&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "(?:apos|#x27|#39)"}


def _char_spellings(char: str) -> str:
    """A pattern for one character of a secret in every spelling text we handle gives it.

    Raw; percent-encoded by any encoder (whatever it leaves unencoded, upper- or lower-case hex,
    encoded twice); '+' for a space (form encoding); JSON and Python escapes, also nested (a
    JSON document inside another: '\\\\"'); HTML and XML entities.
    """
    code = ord(char)
    forms = [re.escape(char), "".join(_percent(byte) for byte in char.encode("utf-8"))]
    if char == " ":
        forms.append(r"\+")
    if char in "\"\\/'":
        forms.append(r"\\+" + re.escape(char))
    if char in _SHORT_ESCAPES:
        forms.append(r"\\+" + _SHORT_ESCAPES[char])
    if code <= 0xFFFF:
        forms.append(r"\\+u" + _code_unit(code, 4))
    else:  # JSON's surrogate pair; Python's \U0001f600
        high, low = 0xD800 + ((code - 0x10000) >> 10), 0xDC00 + ((code - 0x10000) & 0x3FF)
        forms.append(rf"\\+u{_code_unit(high, 4)}\\+u{_code_unit(low, 4)}")
        forms.append(r"\\+U" + _code_unit(code, 8))
    if code <= 0xFF:
        forms.append(r"\\+x" + _code_unit(code, 2))
    if char in _HTML_NAMES:
        forms.append(f"&{_HTML_NAMES[char]};")
    forms.append(f"&#(?:{code}|[xX]0*{_code_unit(code, 6).lstrip('0') or '0'});")
    return "(?:" + "|".join(forms) + ")"


def _spellings(secret: str) -> str:
    """A pattern matching `secret` however it was escaped or encoded on its way into text."""
    return "".join(_char_spellings(char) for char in secret)


_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]+")


@functools.lru_cache(maxsize=256)
def _anchor(secret: str) -> str:
    """The longest run of characters no escaping or encoding changes (letters, digits, "-._~"):
    every spelling of `secret` contains it. "" when there is none (then always looked for)."""
    return max(_UNRESERVED.findall(secret), key=len, default="")


@functools.lru_cache(maxsize=32)
def _pattern(secrets: frozenset[str]) -> re.Pattern[str] | None:
    if not secrets:
        return None
    # Longest first, so a secret that contains another is masked whole.
    ordered = sorted(secrets, key=lambda secret: (-len(secret), secret))
    return re.compile("|".join(_spellings(secret) for secret in ordered))


def remember_secret(value: str | None) -> None:
    """Mask this value wherever it appears from now on (kept in memory, never written)."""
    if value and len(value.strip()) >= _MIN_SECRET_LENGTH:
        with _known_lock:
            _known_secrets.add(value)


def forget_secrets() -> None:
    """Drop every remembered value (used between tests)."""
    with _known_lock:
        _known_secrets.clear()


def redact(text: str, extra_secrets: Iterable[str] = ()) -> str:
    """Return `text` with every known secret and every secret field value masked."""
    if not text:
        return text
    with _known_lock:
        values = set(_known_secrets)
    values.update(extra for extra in extra_secrets if extra and len(extra) >= _MIN_SECRET_LENGTH)
    # Known values first, whole: a field pattern could otherwise cut a value short (a proxy
    # password holding '@' in a URL) and leave its tail unmasked. Only the values whose
    # longest unescaped run is in the text are looked for (a fast test on a long log).
    candidates = frozenset(v for v in values if _anchor(v) in text)
    known = _pattern(candidates)
    if known is not None:
        text = known.sub(MASK, text)
    text = _XML_ELEMENT.sub(lambda m: f"{m.group(1)}{MASK}{m.group(4)}", text)
    text = _JSON_MEMBER.sub(lambda m: f"{m.group(1)}{MASK}{m.group(3)}", text)
    text = _QUOTED_VALUE.sub(lambda m: f"{m.group(1)}{m.group('quote')}{MASK}{m.group(4)}", text)
    text = _KEY_VALUE.sub(lambda m: f"{m.group(1)}{MASK}", text)
    text = _URL_PASSWORD.sub(lambda m: f"{m.group(1)}{MASK}{m.group(3)}", text)
    text = _BEARER.sub(lambda m: f"{m.group(1)}{MASK}", text)
    return _JWT.sub(MASK, text)


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
