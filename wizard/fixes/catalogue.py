"""Load and validate resources/fixes/*.toml, and pick the best fix for an error.

Each file holds `[[fix]]` tables (id, title, cause, steps, who, verified_by, links, examples),
each with its matching rules in `[[fix.rule]]`; a file may also hold top-level `[[rule]]` tables
that name their fix with `fix = "id"` (for a rule kept beside related ones in another file).
matching.toml holds the matcher's thresholds (`[matching]`) and wrapper phrases (`[[wrapper]]`).
Everything is checked at load: a mistake raises `CatalogueError` naming the file and entry.
How a fix is chosen: matcher.py.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import tomllib
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from wizard.gateway.errors import ErrorDetail, ErrorLevel, GatewayError
from wizard.resources import resource_path
from wizard.table_checks import TableChecker

from .check_ids import CHECK_IDS
from .matcher import Matcher, Settings
from .model import GENERIC_FIX_ID, SITUATIONS, Fix, MatchContext
from .rules import Rule, normalise_code
from .similarity import MIN_EXAMPLE_WORDS, ExampleIndex, example_word_count
from .wording import stem

ErrorInput = ErrorDetail | Sequence[ErrorDetail] | GatewayError | BaseException | str

_FIX_KEYS = {"id", "title", "cause", "steps", "who", "verified_by", "links", "examples", "rule"}
_RULE_KEYS = {
    "fix",
    "codes",
    "patterns",
    "levels",
    "functions",
    "objects",
    "entity_level",
    "situation",
    "priority",
    "wrapper",
    "integrations",
}
_SETTINGS_KEYS = {"unrecognised_below", "confident_at", "runner_up_within", "similarity_weight"}
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_WORD = re.compile(r"[a-z]{3,}")
_SUPPORT_ID_ANYWHERE = re.compile(r"support\s*id\s*[:#]?\s*(?P<id>[A-Za-z0-9%~._-]{4,})", re.I)


class CatalogueError(ValueError):
    """The fix catalogue data is wrong; the message names the file and the entry."""


_CHECK = TableChecker(CatalogueError)
_expect_keys = _CHECK.expect_keys
_text = _CHECK.text
_texts = _CHECK.texts


class Catalogue:
    """The fixes and their rules. Build with `load_catalogue()`."""

    def __init__(
        self, fixes: Mapping[str, Fix], rules: Sequence[Rule], settings: Settings | None = None
    ) -> None:
        self._fixes = dict(fixes)
        self._rules = tuple(rules)
        settings = settings or Settings()
        examples = {fix.id: fix.examples for fix in self._fixes.values()}
        index = ExampleIndex(examples, dict(settings.same_meaning))
        self._matcher = Matcher(self._rules, index, settings)

    @property
    def fixes(self) -> tuple[Fix, ...]:
        return tuple(self._fixes.values())

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self._rules

    def get(self, fix_id: str) -> Fix:
        """The fix with this id; KeyError names the unknown id."""
        try:
            return self._fixes[fix_id]
        except KeyError:
            raise KeyError(f"No fix with id {fix_id!r} in the catalogue.") from None

    def match(
        self, error: ErrorInput, context: MatchContext | None = None, *, code: str | None = None
    ) -> Fix:
        """The best fix for an error from any source.

        `error` is an ErrorDetail, a stack of them (most specific first, as the gateway sends
        them), a GatewayError, any exception, or plain text an admin pasted (with `code` if
        they have one). Pasted text is split into its errors; the most specific match wins and
        wrapper errors only count when nothing else says more (matcher.py). The fix carries
        `confidence`, `confident` and the runner-up `alternatives`. With no good match the
        generic `unrecognised-error` entry comes back, carrying the raw text and Support ID.
        """
        details, context = _details_and_context(error, context or MatchContext(), code)
        # An HTTP status belongs to every error of the answer, not to one of them.
        http = (
            frozenset({normalise_code(f"HTTP {error.http_status}")})
            if isinstance(error, GatewayError) and error.http_status
            else frozenset()
        )
        decision = self._matcher.decide(details, context, http)
        return dataclasses.replace(
            self._fixes[decision.fix_id],
            error_text="; ".join(str(d) for d in details if str(d)),
            support_id=next((d.support_id for d in details if d.support_id), ""),
            confidence=decision.confidence,
            confident=decision.confident,
            alternatives=tuple(self._fixes[fix_id] for fix_id in decision.alternatives),
        )


def _details_and_context(
    error: ErrorInput, context: MatchContext, code: str | None
) -> tuple[tuple[ErrorDetail, ...], MatchContext]:
    if isinstance(error, GatewayError):
        if context.level is None:
            context = dataclasses.replace(context, level=error.level)
        details = list(error.errors)
        status = f"HTTP {error.http_status}" if error.http_status else ""
        if not details:
            reason = str(getattr(error, "reason", "") or "")
            details.append(ErrorDetail(status, error.summary, reason))
        return tuple(details), context
    if isinstance(error, ErrorDetail):
        return (error,), context
    if isinstance(error, str):
        return (_pasted(error, code),), context
    if isinstance(error, BaseException):
        return (_pasted(f"{type(error).__name__}: {error}", code),), context
    stack = tuple(error)
    if not all(isinstance(d, ErrorDetail) for d in stack):
        raise TypeError("match() takes ErrorDetail values, a GatewayError or text.")
    return stack, context


def _pasted(text: str, code: str | None) -> ErrorDetail:
    detail = ErrorDetail.from_texts(code or "", text, "", "")
    if not detail.support_id:
        found = _SUPPORT_ID_ANYWHERE.search(text)
        if found:
            support_id = urllib.parse.unquote(found.group("id").rstrip("]"))
            detail = dataclasses.replace(detail, support_id=support_id)
    return detail


# --- loading -----------------------------------------------------------------------------


@functools.cache
def _default_catalogue() -> Catalogue:
    return _load(resource_path("fixes"))


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    """Load every *.toml in `path` (a folder or one file); default: resources/fixes (cached)."""
    if path is None:
        return _default_catalogue()
    return _load(Path(path))


def match(
    error: ErrorInput, context: MatchContext | None = None, *, code: str | None = None
) -> Fix:
    """`Catalogue.match` on the default catalogue."""
    return _default_catalogue().match(error, context, code=code)


def _load(path: Path) -> Catalogue:
    files = sorted(path.glob("*.toml")) if path.is_dir() else [path]
    if not files:
        raise CatalogueError(f"{path}: no fix files (*.toml) found.")
    fixes: dict[str, Fix] = {}
    origins: dict[str, str] = {}
    rules: list[Rule] = []
    loose: list[tuple[str, dict[str, Any]]] = []
    settings = Settings()
    for file in files:
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise CatalogueError(f"{file}: cannot be read as TOML: {error}") from None
        _expect_keys(data, {"fix", "rule", "matching", "wrapper", "same_meaning"}, f"{file}")
        if "matching" in data or "wrapper" in data or "same_meaning" in data:
            settings = _settings(data, settings, f"{file}")
        for index, entry in enumerate(_tables(data.get("fix", []), f"{file}: [[fix]]"), 1):
            where = f"{file}, fix #{index}" + (f" {entry['id']!r}" if "id" in entry else "")
            fix = _fix(entry, where)
            if fix.id in fixes:
                raise CatalogueError(f"{where}: the id is already used in {origins[fix.id]}.")
            fixes[fix.id], origins[fix.id] = fix, where
            for number, raw in enumerate(_tables(entry.get("rule", []), f"{where}: rule"), 1):
                if "fix" in raw:
                    raise CatalogueError(f"{where}, rule {number}: a nested rule takes no 'fix'.")
                rules.append(_rule(raw, fix.id, f"{where}, rule {number}"))
        for number, raw in enumerate(_tables(data.get("rule", []), f"{file}: [[rule]]"), 1):
            loose.append((f"{file}, [[rule]] #{number}", raw))
    for where, raw in loose:
        fix_id = raw.get("fix")
        if not isinstance(fix_id, str) or fix_id not in fixes:
            raise CatalogueError(
                f"{where}: 'fix' must name a fix in the catalogue, not {fix_id!r}."
            )
        rules.append(_rule(raw, fix_id, where))
    if GENERIC_FIX_ID not in fixes:
        raise CatalogueError(f"{path}: the generic fix {GENERIC_FIX_ID!r} is missing.")
    return Catalogue(fixes, rules, settings)


def _settings(data: dict[str, Any], settings: Settings, where: str) -> Settings:
    matching = data.get("matching", {})
    if not isinstance(matching, dict):
        raise CatalogueError(f"{where}: [matching] must be a table.")
    _expect_keys(matching, _SETTINGS_KEYS, f"{where}, [matching]")
    values: dict[str, float] = {}
    for key, value in matching.items():
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 1:
            raise CatalogueError(f"{where}, [matching]: {key} must be a number from 0 to 1.")
        values[key] = float(value)
    wrappers = list(settings.wrappers)
    for number, raw in enumerate(_tables(data.get("wrapper", []), f"{where}: [[wrapper]]"), 1):
        _expect_keys(raw, {"pattern", "example"}, f"{where}, wrapper {number}")
        pattern = _pattern(_text(raw, "pattern", f"{where}, wrapper {number}"), where)
        example = _text(raw, "example", f"{where}, wrapper {number}")
        if not pattern.search(example):
            raise CatalogueError(
                f"{where}, wrapper {number}: the pattern does not match its own example."
            )
        wrappers.append(pattern)
    same = dict(settings.same_meaning)
    groups = _tables(data.get("same_meaning", []), f"{where}: [[same_meaning]]")
    for number, raw in enumerate(groups, 1):
        here = f"{where}, same_meaning {number}"
        _expect_keys(raw, {"words"}, here)
        words = raw.get("words")
        if (
            not isinstance(words, list)
            or len(words) < 2
            or not all(isinstance(word, str) and _WORD.fullmatch(word) for word in words)
        ):
            raise CatalogueError(f"{here}: words must list two or more lower-case words.")
        stems = list(dict.fromkeys(stem(word) for word in words))
        for word in stems:
            if word in same:
                raise CatalogueError(f"{here}: {word!r} is already in another group.")
            same[word] = stems[0]
    return dataclasses.replace(
        settings, wrappers=tuple(wrappers), same_meaning=tuple(same.items()), **values
    )


def _pattern(pattern: str, where: str) -> re.Pattern[str]:
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        raise CatalogueError(f"{where}: pattern {pattern!r} is not valid: {error}.") from None
    if compiled.search(""):
        raise CatalogueError(f"{where}: pattern {pattern!r} matches empty text.")
    return compiled


def _fix(entry: dict[str, Any], where: str) -> Fix:
    _expect_keys(entry, _FIX_KEYS, where)
    fix_id = _text(entry, "id", where)
    if not _ID.match(fix_id):
        raise CatalogueError(f"{where}: id {fix_id!r} must be lower-case words joined by '-'.")
    verified_by = entry.get("verified_by")
    if verified_by is not None and verified_by not in CHECK_IDS:
        raise CatalogueError(
            f"{where}: verified_by {verified_by!r} is not a check id; "
            f"use one of {', '.join(sorted(CHECK_IDS))}."
        )
    links = _texts(entry, "links", where)
    for link in links:
        if not link.startswith("https://"):
            raise CatalogueError(f"{where}: link {link!r} must start with https://.")
    steps = _texts(entry, "steps", where)
    if not steps:
        raise CatalogueError(f"{where}: 'steps' must list at least one step.")
    examples = _texts(entry, "examples", where)
    for example in examples:
        if example_word_count(example) < MIN_EXAMPLE_WORDS:
            raise CatalogueError(
                f"{where}: example {example!r} says too little to recognise the error by; "
                f"give a wording with at least {MIN_EXAMPLE_WORDS} telling words."
            )
    return Fix(
        id=fix_id,
        title=_text(entry, "title", where),
        cause=_text(entry, "cause", where),
        steps=steps,
        who=_text(entry, "who", where),
        verified_by=verified_by,
        links=links,
        examples=examples,
    )


def _rule(raw: dict[str, Any], fix_id: str, where: str) -> Rule:
    _expect_keys(raw, _RULE_KEYS, where)
    patterns = [_pattern(pattern, where) for pattern in _texts(raw, "patterns", where)]
    levels = _texts(raw, "levels", where)
    known_levels = {str(level) for level in ErrorLevel}
    if not set(levels) <= known_levels:
        raise CatalogueError(f"{where}: levels must be among {sorted(known_levels)}.")
    situation = _texts(raw, "situation", where)
    if not set(situation) <= SITUATIONS.keys():
        raise CatalogueError(f"{where}: situation must be among {sorted(SITUATIONS)}.")
    entity_level = raw.get("entity_level")
    priority = raw.get("priority", 0)
    wrapper = raw.get("wrapper", False)
    if entity_level is not None and not isinstance(entity_level, bool):
        raise CatalogueError(f"{where}: entity_level must be true or false.")
    if not isinstance(priority, int) or isinstance(priority, bool):
        raise CatalogueError(f"{where}: priority must be a whole number.")
    if not isinstance(wrapper, bool):
        raise CatalogueError(f"{where}: wrapper must be true or false.")
    integrations = _texts(raw, "integrations", where)
    for integration in integrations:
        if not _ID.match(integration):
            raise CatalogueError(f"{where}: integration {integration!r} is not an integration id.")
    rule = Rule(
        fix_id=fix_id,
        codes=frozenset(normalise_code(c) for c in _texts(raw, "codes", where)),
        patterns=tuple(patterns),
        levels=frozenset(levels),
        functions=tuple(f.casefold() for f in _texts(raw, "functions", where)),
        objects=tuple(o.casefold() for o in _texts(raw, "objects", where)),
        entity_level=entity_level,
        situation=frozenset(situation),
        priority=priority,
        wrapper=wrapper,
        integrations=frozenset(integrations),
        origin=where,
    )
    if not (rule.codes or rule.patterns or rule.condition_count):
        raise CatalogueError(f"{where}: a rule needs codes, patterns or conditions.")
    return rule


def _tables(value: Any, where: str) -> Iterable[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise CatalogueError(f"{where} must be an array of tables.")
    return value


__all__ = ["Catalogue", "CatalogueError", "ErrorInput", "load_catalogue", "match"]
