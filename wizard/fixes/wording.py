"""How the matcher reads an error's words, whoever wrote them.

An admin pastes what an integration, an SDK or the operating system showed: Intacct's sentence
wrapped by a vendor ("Export failed: ..."), several errors joined, HTML entities, stack traces,
ids, amounts and dates. `content_words` keeps the words that say what went wrong, in a form
that compares across wordings (lower case, camelCase and snake_case split, light stemming, no
stop words, no ids or numbers). `split_errors` cuts a pasted text into its errors, and
`strip_wrappers` removes the generic wrapper phrases so the specific cause is what is scored.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterable, Sequence

import snowballstemmer

from .rules import CODE_IN_TEXT

_ENGLISH = snowballstemmer.stemmer("english")

_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "′": "'", "“": '"', "”": '"', "„": '"', "`": "'"}
)
_SUPPORT_ID = re.compile(r"\[?\s*support\s*id\s*[:#]?\s*[A-Za-z0-9%~._@-]{4,}\s*\]?", re.I)
_URL = re.compile(r"\b(?:https?|file)://\S+|\bwww\.\S+", re.I)
_UUID = re.compile(r"\b[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\b", re.I)
_HEX = re.compile(r"\b0x[0-9a-f]+\b", re.I)
# "at Foo.Bar(...)" and "at foo (file.js:1:2)" stack frames, and file paths of any OS.
_FRAME = re.compile(r"\bat\s+[\w.$<>`\[\]|]+\s*\([^)]{0,200}\)")
_PATH = re.compile(r"(?:\b[A-Za-z]:)?(?:[\\/][\w.$@<>\[\]-]+){2,}")
_TAG = re.compile(r"<[!/?]?[A-Za-z][^<>]{0,300}>")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_WORD = re.compile(r"[a-z]+")
# "timed out" and "time-out" are one word in an error; kept apart, "timed" stems to "time", and
# any text saying "at the same time" would look like a timeout.
_TIMED_OUT = re.compile(r"\btimed?[\s-]+out\b", re.I)

# Words that appear in errors of every kind, so they say nothing about which one.
_STOP_WORDS = """
    a an the and or of to in on at for from by with as is are was were be been being it its
    this that these those there here not no nor but if then than so such can could would should
    will shall may might must do does did done has have had having i we you he she they them our
    your their my me us into onto over under out up down off about after before while when where
    which who whom what why how all any each some more most other same own only very just also
    again please try trying tried occurred occur error errors exception exceptions fatal uncaught
    unhandled message sage intacct sync export syncing exporting type code errno syscall file
    stack trace inner see details detail information info undefined null none object function
    call status
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def readable(text: str) -> str:
    """The text with HTML entities decoded, quotes straightened and spaces single."""
    for _ in range(2):  # "&amp;#039;" needs two passes
        text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return " ".join(text.split())


@functools.lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """The word's Snowball (Porter 2) stem, so the forms of one word meet in any error.

    "authenticated", "authentication" and "authenticate" all become "authent"; "invoices" and
    "invoice", "companies" and "company", "required" and "require" meet too.
    """
    return str(_ENGLISH.stemWord(word))


def content_words(text: str) -> list[str]:
    """The words of an error that say what went wrong, stemmed, in their order."""
    text = readable(text)
    for pattern in (_SUPPORT_ID, _URL, _UUID, _HEX, _FRAME, _PATH, CODE_IN_TEXT):
        text = pattern.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _TIMED_OUT.sub(" timeout ", text)
    text = _CAMEL.sub(" ", text).replace("_", " ").replace("'", "")
    words = _WORD.findall(text.casefold())
    return [stem(w) for w in words if len(w) > 2 and w not in STOP_WORDS]


# Where one error of a pasted text ends and the next begins: before an Intacct code that
# follows " - ", ";", a sentence end or a new line (the SDKs and vendors join errors that way).
_SPLIT = re.compile(r"(?:\s+-|;|(?<=[.!])|\s*[\r\n])\s+(?=[A-Za-z]{2}\d{7,9}\b)")


def split_errors(text: str) -> list[str]:
    """The separate errors of a pasted text (one item when it holds one error)."""
    parts = [part.strip(" -;") for part in _SPLIT.split(text)]
    return [part for part in parts if part] or [text]


def strip_wrappers(text: str, wrappers: Sequence[re.Pattern[str]]) -> str:
    """The text without generic wrapper phrases ("Export failed:", "Could not create X record")."""
    text = readable(text)
    for pattern in wrappers:
        text = pattern.sub(" ", text)
    return text


def joined(words: Iterable[str]) -> str:
    return " ".join(words)


__all__ = ["STOP_WORDS", "content_words", "readable", "split_errors", "stem", "strip_wrappers"]
