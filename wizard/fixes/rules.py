"""Matching rules: how one error (code, words, context) is tested against one catalogue rule.

A rule names its fix and any of: error codes, message patterns (regular expressions searched
in the normalised message), and conditions on the context (level, function, object, top level
or entity, situation facts). Every part a rule names must hold for it to match. Its rank is
explicit: first the rule's `priority` from the data, then what it matched (code and pattern
beat code alone, which beats pattern alone), then how many context conditions it names.
`wrapper = true` marks generic wrapper errors (BL01001973 "Could not create X record!") that
only count when no error in the same stack matched a specific rule. `integrations` scopes a
vendor's own codes (INT068 is Expensify's): such a rule holds when the caller names one of them,
or names no integration at all; under another integration it never matches.
"""

from __future__ import annotations

import fnmatch
import functools
import html
import re
import unicodedata
from dataclasses import dataclass

from wizard.gateway.errors import ErrorDetail

from .model import MatchContext

# Codes that appear inside pasted text: Intacct's (BL01001973, XL03000006, DL02000001, PL04000005,
# GW-0010, XMLGW_JPP0001) and connectors' (INT068). Case-insensitive: help pages lower-case them.
CODE_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9])(INT\d{3}|[A-Z]{2}\d{8}|GW-?\d{4}|REST-?\d{4}|XMLGW[\s_-]?JPP\d{4})(?![0-9])",
    re.IGNORECASE,
)
# "HTTP 503", "HTTP status 503", "HTTP Error 503", "HTTP/1.1 503", "status code 503", and .NET's
# "The remote server returned an error: (503)".
_HTTP_IN_TEXT = re.compile(
    r"\b(?:http(?:\s+(?:status|error)|/\d(?:\.\d)?)?|status\s+code|returned an error:\s*\()"
    r"\s*:?\s*([1-5]\d\d)\b",
    re.I,
)

_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "′": "'", "“": '"', "”": '"', "„": '"', "`": "'"}
)
_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Text as rules see it: entities decoded, quotes straightened, case folded, spaces single."""
    for _ in range(2):  # "&amp;#039;" needs two passes
        text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACES.sub(" ", text).strip().casefold()


def normalise_code(code: str) -> str:
    """A code as rules compare it: upper case, letters and digits only ("GW-0010" -> "GW0010")."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def codes_in(detail: ErrorDetail) -> frozenset[str]:
    """The detail's own error number plus every code or HTTP status quoted in its words."""
    codes = {normalise_code(detail.errorno)} if detail.errorno.strip() else set()
    if detail.error_id.strip():  # REST's errorId (REST-2102) names the message exactly
        codes.add(normalise_code(detail.error_id))
    words = f"{detail.errorno} {detail.message}"
    codes.update(normalise_code(found) for found in CODE_IN_TEXT.findall(words))
    codes.update(f"HTTP{status}" for status in _HTTP_IN_TEXT.findall(words))
    return frozenset(codes)


@dataclass(frozen=True, slots=True)
class Rule:
    """One way of recognising a fix's error. Empty tuples / None mean "not a condition"."""

    fix_id: str
    codes: frozenset[str] = frozenset()
    patterns: tuple[re.Pattern[str], ...] = ()
    levels: frozenset[str] = frozenset()
    functions: tuple[str, ...] = ()
    objects: tuple[str, ...] = ()
    entity_level: bool | None = None
    situation: frozenset[str] = frozenset()
    priority: int = 0
    wrapper: bool = False
    integrations: frozenset[str] = frozenset()  # vendor codes: only under these integrations
    origin: str = ""  # "file.toml, fix 'id', rule 2": for messages about the data

    @property
    def condition_count(self) -> int:
        return (
            bool(self.levels)
            + bool(self.functions)
            + bool(self.objects)
            + (self.entity_level is not None)
            + len(self.situation)
            + bool(self.integrations)
        )

    @property
    def kind(self) -> int:
        """3 = code and pattern, 2 = code alone, 1 = pattern alone, 0 = context alone."""
        return 2 * bool(self.codes) + bool(self.patterns)

    @property
    def strong(self) -> bool:
        """A rule that names its error precisely: a phrase, or a code or context it trusts.

        A bare code or context with no priority (XL03000006 means a dozen things; "it failed at
        the transport level") is weak evidence: a fix whose example wordings match the text
        better may win over it.
        """
        return bool(self.patterns) or self.priority > 0

    def rank(self) -> tuple[int, int, int]:
        return (self.priority, self.kind, self.condition_count)

    def matches(self, codes: frozenset[str], text: str, context: MatchContext) -> bool:
        """True when every part this rule names holds for the error and its context."""
        if self.codes and not self.codes & codes:
            return False
        if self.patterns and not self._any_pattern(text):
            return False
        return self._context_holds(context)

    def _any_pattern(self, text: str) -> bool:
        if len(self.patterns) == 1:
            return self.patterns[0].search(text) is not None
        return _alternation(self.patterns).search(text) is not None

    def _context_holds(self, context: MatchContext) -> bool:
        if self.levels and (context.level is None or str(context.level) not in self.levels):
            return False
        if self.functions and not _glob_any(context.function, self.functions):
            return False
        if self.objects and not _glob_any(context.object, self.objects):
            return False
        if self.entity_level is not None and context.entity_level is not self.entity_level:
            return False
        if (
            self.integrations
            and context.integration is not None
            and context.integration not in self.integrations
        ):
            return False
        return self.situation <= context.situation


@functools.lru_cache(maxsize=1024)
def _alternation(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """A rule's patterns as one expression: one scan of the text instead of one per pattern."""
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)


def _glob_any(value: str | None, globs: tuple[str, ...]) -> bool:
    if value is None:
        return False
    folded = value.casefold()
    return any(fnmatch.fnmatchcase(folded, glob) for glob in globs)
