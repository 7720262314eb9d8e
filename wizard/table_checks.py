"""Checks on the tables read from the TOML files in resources/, shared by every catalogue
that loads them. Each message names where the table came from, so a support person can find
the line to mend; each catalogue raises its own error type."""

from __future__ import annotations

from typing import Any


class TableChecker:
    """The checks, raising `error` (a catalogue's own ValueError) with the message."""

    def __init__(self, error: type[ValueError]) -> None:
        self.error = error

    def expect_keys(self, table: dict[str, Any], allowed: set[str], where: str) -> None:
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise self.error(
                f"{where}: unknown key(s) {', '.join(unknown)}; "
                f"allowed: {', '.join(sorted(allowed))}."
            )

    def text(self, table: dict[str, Any], key: str, where: str) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.error(f"{where}: {key!r} must be non-empty text.")
        return value.strip()

    def texts(self, table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(f"{where}: {key!r} must be a list of non-empty texts.")
        return tuple(v.strip() for v in value)
