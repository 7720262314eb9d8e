"""readByQuery query strings and `query` filters, compiled to predicates over table rows.

Supported (the subset integrations use): `=`, `<>`, `!=`, `<`, `<=`, `>`, `>=`, `IN (...)`,
`NOT IN`, `LIKE`, `NOT LIKE`, `IS NULL`, `IS NOT NULL`, `AND`, `OR`, `NOT`, parentheses;
strings in single quotes with `\\'` or `''` escapes; dates `mm/dd/yyyy` and date-times
`mm/dd/yyyy HH:MM:SS` compared in time order; STATUS compared with 'T' / 'F'.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from wizard.sandbox.objects import ObjectSpec, Row, esc

Predicate = Callable[[Row], bool]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:\\.|''|[^'\\])*')
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<op><>|!=|<=|>=|=|<|>)
      | (?P<paren>[(),])
      | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
    )""",
    re.VERBOSE,
)


class QuerySyntaxError(ValueError):
    """The query string cannot be read."""


class UnknownField(ValueError):
    """The query names a field the object does not have."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise QuerySyntaxError(f"cannot read the query at: {text[pos : pos + 20]!r}")
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "string":
            value = value[1:-1].replace("\\'", "'").replace("''", "'").replace("\\\\", "\\")
        out.append((kind, value))
        pos = match.end()
    return out


def _date_key(value: str) -> str:
    """'mm/dd/yyyy[ HH:MM:SS]' -> 'yyyymmdd[HH:MM:SS]' (sortable); other text unchanged."""
    if len(value) >= 10 and value[2] == "/" and value[5] == "/":
        return value[6:10] + value[0:2] + value[3:5] + value[10:].strip()
    if len(value) >= 10 and value[4] == "-" and value[7] == "-":  # ISO, as some clients send
        return value[0:4] + value[5:7] + value[8:10] + value[10:].replace("T", "").strip()
    return value


class Compiler:
    """Turns field comparisons into row predicates for one object."""

    def __init__(
        self,
        spec: ObjectSpec,
        positions: dict[str, int],
        hidden: frozenset[str] = frozenset(),
        case_insensitive: bool | None = None,
    ) -> None:
        """`case_insensitive`: the `query` option (XSD: false by default; Sage documents it):
        True compares text ignoring case (=, <>, in, like), False respects case everywhere.
        None is readByQuery's string query, whose case rules are not documented: `=` respects
        case and `like` ignores it (chosen for the sandbox)."""
        self.spec = spec
        self.positions = positions
        self.hidden = hidden
        self.case_insensitive = case_insensitive

    def _text_key(self, canonical: str) -> Callable[[str], Any] | None:
        """Lower-casing for text fields when case is ignored; None when it counts."""
        typed = canonical in self.spec.numbers | self.spec.dates | self.spec.datetimes
        return str.casefold if self.case_insensitive and not typed else None

    def field(self, name: str) -> tuple[str, int]:
        canonical = self.spec.canonical(name)
        if canonical is None or canonical in self.hidden:
            raise UnknownField(name)
        return canonical, self.positions[canonical]

    def key(self, canonical: str) -> Callable[[str], Any]:
        if canonical in self.spec.numbers:
            return lambda v: float(v) if v else 0.0
        if canonical in self.spec.dates:
            return lambda v: _date_key(v)[:8]
        if canonical in self.spec.datetimes:

            def dt(v: str) -> str:
                k = _date_key(v)
                return k if len(k) > 8 else k + "00:00:00"

            return dt
        return lambda v: v

    def literal(self, canonical: str, value: str) -> Any:
        if canonical.upper() == "STATUS" and value in ("T", "F"):
            value = "active" if value == "T" else "inactive"
        value = esc(value)
        try:
            return self.key(canonical)(value)
        except ValueError:
            raise QuerySyntaxError(f"'{value}' is not a valid value for {canonical}") from None

    def compare(self, name: str, op: str, value: str) -> Predicate:
        canonical, i = self.field(name)
        key = self.key(canonical)
        lit = self.literal(canonical, value)
        typed = canonical in self.spec.numbers | self.spec.dates | self.spec.datetimes
        fold = self._text_key(canonical)
        if fold is not None:
            lit, key = fold(lit), fold
        if op == "=":
            if typed:
                predicate: Predicate = lambda r: bool(r[i]) and key(r[i]) == lit  # noqa: E731
            elif fold is not None:
                predicate = lambda r: key(r[i]) == lit  # noqa: E731
            else:
                predicate = lambda r: r[i] == lit  # noqa: E731
            if fold is not None:  # the direct look-up by ID matches case: scan instead
                return predicate
            return self._pointed(predicate, canonical, [value])
        if op in ("<>", "!="):
            return lambda r: key(r[i]) != lit
        ops: dict[str, Callable[[Any, Any], bool]] = {
            "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b,
        }
        fn = ops[op]
        return lambda r: bool(r[i]) and fn(key(r[i]), lit)

    def within(self, name: str, values: list[str], negate: bool = False) -> Predicate:
        canonical, i = self.field(name)
        key = self.key(canonical)
        wanted = {self.literal(canonical, v) for v in values}
        fold = self._text_key(canonical)
        if fold is not None:
            key, wanted = fold, {fold(w) for w in wanted}
        if negate:
            return lambda r: key(r[i]) not in wanted
        if fold is not None:
            return lambda r: key(r[i]) in wanted
        return self._pointed(lambda r: key(r[i]) in wanted, canonical, values)

    def _pointed(self, predicate: Predicate, canonical: str, values: list[str]) -> Predicate:
        """Mark equality on the ID field or RECORDNO, so the rows can be looked up directly
        instead of scanning (document-number look-ups after a crash, on 200k records)."""
        if canonical in (self.spec.id_field, "RECORDNO"):
            setattr(predicate, "points", (canonical, tuple(values)))  # noqa: B010
        return predicate

    def like(self, name: str, pattern: str, negate: bool = False) -> Predicate:
        _canonical, i = self.field(name)
        parts = [re.escape(p) for p in esc(pattern).split("%")]
        ignore_case = self.case_insensitive is not False  # readByQuery (None): ignores case
        regex = re.compile(
            "^" + ".*".join(p.replace("_", ".") for p in parts) + "$",
            (re.IGNORECASE if ignore_case else 0) | re.DOTALL,
        )
        if negate:
            return lambda r: regex.match(r[i]) is None
        return lambda r: regex.match(r[i]) is not None

    def null(self, name: str, negate: bool = False) -> Predicate:
        _, i = self.field(name)
        if negate:
            return lambda r: r[i] != ""
        return lambda r: r[i] == ""

    def between(self, name: str, low: str, high: str) -> Predicate:
        canonical, i = self.field(name)
        key = self.key(canonical)
        lo, hi = self.literal(canonical, low), self.literal(canonical, high)
        return lambda r: bool(r[i]) and lo <= key(r[i]) <= hi


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], compiler: Compiler) -> None:
        self.tokens = tokens
        self.pos = 0
        self.c = compiler

    def peek(self, ahead: int = 0) -> tuple[str, str]:
        index = self.pos + ahead
        return self.tokens[index] if index < len(self.tokens) else ("end", "")

    def take(self) -> tuple[str, str]:
        token = self.peek()
        self.pos += 1
        return token

    def word(self, *words: str) -> bool:
        kind, value = self.peek()
        if kind == "word" and value.upper() in words:
            self.pos += 1
            return True
        return False

    def expect(self, kind: str, value: str | None = None) -> str:
        got_kind, got = self.take()
        if got_kind != kind or (value is not None and got != value):
            raise QuerySyntaxError(f"expected {value or kind}, found {got or 'the end'}")
        return got

    def parse(self) -> Predicate:
        predicate = self.or_expr()
        if self.peek()[0] != "end":
            raise QuerySyntaxError(f"unexpected {self.peek()[1]!r}")
        return predicate

    def or_expr(self) -> Predicate:
        parts = [self.and_expr()]
        while self.word("OR"):
            parts.append(self.and_expr())
        if len(parts) == 1:
            return parts[0]
        return lambda r: any(p(r) for p in parts)

    def and_expr(self) -> Predicate:
        parts = [self.not_expr()]
        while self.word("AND"):
            parts.append(self.not_expr())
        if len(parts) == 1:
            return parts[0]
        return lambda r: all(p(r) for p in parts)

    def not_expr(self) -> Predicate:
        if self.word("NOT"):
            inner = self.not_expr()
            return lambda r: not inner(r)
        if self.peek() == ("paren", "("):
            self.take()
            inner = self.or_expr()
            self.expect("paren", ")")
            return inner
        return self.comparison()

    def value(self) -> str:
        kind, value = self.take()
        if kind not in ("string", "number"):
            raise QuerySyntaxError(f"expected a value, found {value or 'the end'}")
        return value

    def comparison(self) -> Predicate:
        name = self.expect("word")
        negate = self.word("NOT")
        if self.word("IN"):
            self.expect("paren", "(")
            values = [self.value()]
            while self.peek() == ("paren", ","):
                self.take()
                values.append(self.value())
            self.expect("paren", ")")
            return self.c.within(name, values, negate)
        if self.word("LIKE"):
            return self.c.like(name, self.value(), negate)
        if negate:
            raise QuerySyntaxError(f"expected IN or LIKE after NOT, after {name}")
        if self.word("IS"):
            negate = self.word("NOT")
            if not self.word("NULL"):
                raise QuerySyntaxError("expected NULL after IS")
            return self.c.null(name, negate)
        kind, op = self.take()
        if kind != "op":
            raise QuerySyntaxError(f"expected an operator after {name}, found {op or 'the end'}")
        return self.c.compare(name, op, self.value())


def compile_query(text: str, compiler: Compiler) -> Predicate | None:
    """A predicate for a readByQuery query string; None for an empty query (all records)."""
    if not text.strip():
        return None
    return _Parser(_tokens(text), compiler).parse()


_FILTER_OPS = {
    "equalto": "=",
    "notequalto": "<>",
    "lessthan": "<",
    "lessthanorequalto": "<=",
    "greaterthan": ">",
    "greaterthanorequalto": ">=",
}


def compile_filter(element: etree._Element, compiler: Compiler) -> Predicate:
    """A predicate for one `query` filter element (equalto, and, or, in, like, ...)."""
    tag = element.tag if isinstance(element.tag, str) else ""
    children = [c for c in element if isinstance(c.tag, str)]
    if tag in ("and", "or"):
        parts = [compile_filter(c, compiler) for c in children]
        if not parts:
            raise QuerySyntaxError(f"<{tag}> needs conditions inside")
        if tag == "and":
            return lambda r: all(p(r) for p in parts)
        return lambda r: any(p(r) for p in parts)
    field = element.findtext("field")
    if not field:
        raise QuerySyntaxError(f"<{tag}> needs a <field>")
    values = [v.text or "" for v in element.findall("value")]
    if tag in _FILTER_OPS:
        if len(values) != 1:
            raise QuerySyntaxError(f"<{tag}> needs one <value>")
        return compiler.compare(field, _FILTER_OPS[tag], values[0])
    if tag in ("in", "notin"):
        return compiler.within(field, values, negate=tag == "notin")
    if tag in ("like", "notlike"):
        return compiler.like(field, values[0] if values else "", negate=tag == "notlike")
    if tag in ("isnull", "isnotnull"):
        return compiler.null(field, negate=tag == "isnotnull")
    if tag == "between":
        if len(values) != 2:
            raise QuerySyntaxError("<between> needs two <value>s")
        return compiler.between(field, values[0], values[1])
    raise QuerySyntaxError(f"<{tag}> is not a filter operator")
