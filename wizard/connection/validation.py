"""Checks for what an admin types into the connection form, as pure functions.

Each `validate_*` takes the raw text and returns a frozen `Validation`: OK, a WARNING with a
cleaned value to keep (stray blanks removed, say), or an ERROR. The message is one or two
plain sentences a page shows beside the field and the CLI prints as it is. Messages about a
password never repeat the password.

Field limits. Intacct does not publish maximum lengths for the sign-in fields, so the limits
below are safe choices, not documented facts: long enough for every real ID we have seen
(company IDs and user IDs are short words; the web form limits nothing we could find), short
enough to catch a whole paragraph pasted into the wrong box. Raise them if a real ID is
refused.
"""

from __future__ import annotations

import enum
import ipaddress
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass

from wizard.redaction import remember_secret

# Safe limits (undocumented by Intacct; see the module docstring).
MAX_ID_LENGTH = 100  # company ID, user ID, sender ID
MAX_ENTITY_ID_LENGTH = 100  # entity (location) ID
MAX_PASSWORD_LENGTH = 256  # keeps both passwords well inside the keyring size limit
MAX_PROFILE_NAME_LENGTH = 64  # short enough for a file name and a keyring item label
MAX_ENDPOINT_LENGTH = 2000
MAX_CLIENT_ID_LENGTH = 200  # a REST app's client ID (chosen: Sage gives no limit)

DEFAULT_ENDPOINT = "https://api.intacct.com/ia/xml/xmlgw.phtml"

# Names Windows refuses as file names, with or without an extension.
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{n}" for n in range(1, 10)}
    | {f"LPT{n}" for n in range(1, 10)}
)
_FILE_NAME_FORBIDDEN = set('<>:"/\\|?*')


class Status(enum.StrEnum):
    OK = "ok"
    WARNING = "warning"  # usable after the change the message describes
    ERROR = "error"  # cannot be used; the message says what to do


@dataclass(frozen=True, slots=True)
class Validation:
    """The verdict on one field: what to keep (`value`) and what to tell the admin."""

    status: Status
    value: str  # the value to keep: cleaned for a warning, as typed for an error
    message: str = ""  # "" when there is nothing to say

    @property
    def ok(self) -> bool:
        """Whether the value can be used (OK, or a warning with its cleaned value)."""
        return self.status is not Status.ERROR

    @property
    def is_warning(self) -> bool:
        return self.status is Status.WARNING

    @property
    def is_error(self) -> bool:
        return self.status is Status.ERROR


def _ok(value: str, message: str = "") -> Validation:
    return Validation(Status.OK, value, message)


def _warning(value: str, message: str) -> Validation:
    return Validation(Status.WARNING, value, message)


def _error(value: str, message: str) -> Validation:
    return Validation(Status.ERROR, value, message)


def _is_invisible(char: str) -> bool:
    """Whitespace, or a format character (zero-width space, byte-order mark) pasted by accident."""
    return char.isspace() or unicodedata.category(char) == "Cf"


def _trim(value: str) -> str:
    start, end = 0, len(value)
    while start < end and _is_invisible(value[start]):
        start += 1
    while end > start and _is_invisible(value[end - 1]):
        end -= 1
    return value[start:end]


def _bad_character(value: str) -> tuple[int, str] | None:
    """The first character Intacct cannot take (control or invisible), as (1-based position, name).

    Control characters cannot travel in the XML request at all (or arrive mangled), and
    invisible format characters are never part of a real ID: both come from pasting.
    """
    for index, char in enumerate(value):
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn") or char in "\ufffe\uffff":
            if char == "\t":
                label = "tab"
            elif char in "\r\n":
                label = "line break"
            elif category == "Cc":
                label = f"control character U+{ord(char):04X}"
            elif category == "Cf":
                name = unicodedata.name(char, "").lower()
                label = f"invisible character{' ' + name if name else ''} U+{ord(char):04X}"
            else:
                label = f"character U+{ord(char):04X}"
            return index + 1, label
    return None


def _trim_notice(label: str, raw: str, trimmed: str) -> str:
    at_start, at_end = raw[:1] != trimmed[:1], raw[-1:] != trimmed[-1:]
    if at_start and at_end:
        return (
            f"Removed blanks at the start and at the end of the {label}. Blanks there are a "
            f"common reason sign-in fails, so the {label} is saved without them."
        )
    where = "at the start" if at_start else "at the end"
    return (
        f"Removed a blank {where} of the {label}. A blank there is a common reason sign-in "
        f"fails, so the {label} is saved without it."
    )


def _check_id(
    raw: str,
    *,
    label: str,
    required: bool,
    limit: int,
    empty_help: str,
) -> Validation:
    """The checks every ID field shares: empty, blanks at the ends, length, characters."""
    trimmed = _trim(raw)
    if not trimmed:
        if required:
            return _error("", f"The {label} is empty. {empty_help}")
        return _ok("")
    if len(trimmed) > limit:
        return _error(
            raw,
            f"The {label} is {len(trimmed)} characters long; it can be at most {limit}. "
            "Check that only the ID was pasted.",
        )
    bad = _bad_character(trimmed)
    if bad is not None:
        position, name = bad
        return _error(
            raw,
            f"The {label} contains a character Intacct cannot accept ({name}, "
            f"character {position}). Type the {label} again instead of pasting it.",
        )
    if trimmed != raw:
        return _warning(trimmed, _trim_notice(label, raw, trimmed))
    return _ok(trimmed)


def validate_company_id(value: str) -> Validation:
    """The Intacct company ID (Company > Setup > Company > General information > ID)."""
    result = _check_id(
        value,
        label="company ID",
        required=True,
        limit=MAX_ID_LENGTH,
        empty_help="Type the company ID you use to sign in to Sage Intacct; it is shown "
        "under Company > Setup > Company, General information tab.",
    )
    if result.is_error:
        return result
    if "|" in result.value:
        parts = [p.strip() for p in result.value.split("|")]
        client = parts[1] if len(parts) > 1 and parts[1] else "the client company's ID"
        return _error(
            value,
            "This looks like a console sign-in (console ID|client company ID|entity ID), "
            "which signs in to a client company through a console. The wizard connects to "
            f"one company directly: type that company's own ID here ({client}), use a Web "
            "Services user that belongs to that company, and choose the entity later on the "
            "Entity page.",
        )
    return result


def validate_user_id(value: str) -> Validation:
    """The Web Services user's ID (Company > Admin > Web Services users)."""
    return _check_id(
        value,
        label="user ID",
        required=True,
        limit=MAX_ID_LENGTH,
        empty_help="Type the ID of the Web Services user the integration signs in as "
        "(Company > Admin > Web Services users).",
    )


def validate_sender_id(value: str) -> Validation:
    """The Web Services sender ID (from the Web Services developer licence)."""
    return _check_id(
        value,
        label="sender ID",
        required=True,
        limit=MAX_ID_LENGTH,
        empty_help="Type the sender ID that came with your Web Services developer licence "
        "(your integration provider can tell you). It is case sensitive.",
    )


def validate_client_id(value: str) -> Validation:
    """A REST app's client ID (Sage's Developer Portal shows it when the app is created)."""
    return _check_id(
        value,
        label="client ID",
        required=True,
        limit=MAX_CLIENT_ID_LENGTH,
        empty_help="Type the client ID of the integration's app: the vendor gives it, or it is "
        "on the app's page in Sage's Developer Portal.",
    )


def validate_entity_id(value: str) -> Validation:
    """The entity to sign in to; empty means the top level of the company."""
    return _check_id(
        value,
        label="entity ID",
        required=False,
        limit=MAX_ENTITY_ID_LENGTH,
        empty_help="",
    )


def validate_password(value: str, *, label: str = "password", remember: bool = True) -> Validation:
    """A sender or user password. Blanks at the ends are reported, never removed.

    A password may really start or end with a space, so unlike the IDs it is kept as typed;
    the warning tells the admin to check, since a pasted password often picks one up. The
    message never contains the password. `remember=False` while it is being typed: each
    keystroke's part of a password is no secret, and masking it ("Sec", "The") would blank
    ordinary words everywhere.
    """
    if remember:
        remember_secret(value)
    if not value:
        return _error("", f"The {label} is empty. Type the {label}.")
    if not value.strip():
        return _error(value, f"The {label} is only blanks. Type the {label}.")
    if len(value) > MAX_PASSWORD_LENGTH:
        return _error(
            value,
            f"The {label} is {len(value)} characters long; it can be at most "
            f"{MAX_PASSWORD_LENGTH}. Check that only the password was pasted.",
        )
    bad = _bad_character(value)
    if bad is not None:
        position, name = bad
        return _error(
            value,
            f"The {label} contains a character Intacct cannot accept ({name}, character "
            f"{position}). Type the {label} again instead of pasting it.",
        )
    if value != value.strip():
        return _warning(
            value,
            f"The {label} starts or ends with a space. Pasted passwords often pick one up; "
            "remove it unless it really is part of the password.",
        )
    return _ok(value)


def validate_user_password(value: str) -> Validation:
    """The Web Services user's password (see `validate_password`)."""
    return validate_password(value, label="user password")


def validate_sender_password(value: str) -> Validation:
    """The sender password from the Web Services developer licence (see `validate_password`)."""
    return validate_password(value, label="sender password")


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_endpoint(value: str) -> Validation:
    """The gateway address. Empty means the standard Intacct address.

    It must be https, except on this computer (127.0.0.1, ::1, localhost), where the built-in
    sandbox company answers over plain http.
    """
    trimmed = _trim(value)
    if not trimmed:
        return _ok(DEFAULT_ENDPOINT, f"Using the standard Intacct address, {DEFAULT_ENDPOINT}.")
    if len(trimmed) > MAX_ENDPOINT_LENGTH:
        return _error(value, "The address is too long to be an Intacct gateway address.")
    if _bad_character(trimmed) is not None or re.search(r"\s", trimmed):
        return _error(
            value, "The address contains a blank or an invisible character. Type it again."
        )
    try:
        parts = urllib.parse.urlsplit(trimmed)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return _error(value, f"“{trimmed}” is not a web address. Use {DEFAULT_ENDPOINT}.")
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host:
        return _error(
            value,
            f"“{trimmed}” is not a web address. It should look like {DEFAULT_ENDPOINT}.",
        )
    if parts.username is not None or parts.password is not None:
        return _error(
            value,
            "The address contains a user name or password. Remove it: the wizard keeps "
            "passwords in the system keyring, never in the address.",
        )
    if scheme == "http" and not _is_loopback(host):
        return _error(
            value,
            "The address must start with https:// so the connection is encrypted. Plain "
            "http is only allowed for the sandbox on this computer (127.0.0.1).",
        )
    if trimmed != value:
        return _warning(trimmed, _trim_notice("address", value, trimmed))
    return _ok(trimmed)


def validate_profile_name(value: str) -> Validation:
    """A name for a saved connection. It becomes a file name and a keyring item's label."""
    trimmed = _trim(value)
    if not trimmed:
        return _error(
            "", "The connection name is empty. Give it a name, for example your company's."
        )
    if len(trimmed) > MAX_PROFILE_NAME_LENGTH:
        return _error(
            value,
            f"The connection name is {len(trimmed)} characters long; use at most "
            f"{MAX_PROFILE_NAME_LENGTH}.",
        )
    bad = _bad_character(trimmed)
    if bad is not None:
        return _error(
            value,
            f"The connection name contains a character that cannot be used ({bad[1]}). "
            "Use letters, digits, spaces, dashes, dots or underscores.",
        )
    forbidden = sorted({c for c in trimmed if c in _FILE_NAME_FORBIDDEN})
    if forbidden:
        shown = " ".join(forbidden)
        return _error(
            value,
            f"The connection name cannot contain {shown} (they are not allowed in file "
            "names). Use letters, digits, spaces, dashes, dots or underscores.",
        )
    if trimmed.startswith("."):
        return _error(value, "The connection name cannot start with a dot.")
    if trimmed.endswith("."):
        return _error(value, "The connection name cannot end with a dot (Windows drops it).")
    if trimmed.split(".")[0].strip().upper() in _WINDOWS_RESERVED:
        return _error(
            value,
            f"“{trimmed}” is a name Windows reserves for devices, so it cannot be a file "
            "name. Choose another name.",
        )
    if trimmed != value:
        return _warning(trimmed, _trim_notice("connection name", value, trimmed))
    return _ok(trimmed)
