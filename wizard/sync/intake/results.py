"""What an import found: the problems to fix (row, column, what to change) and the counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard.sync.intake.files import FileFormat, SourceRow
from wizard.sync.intake.templates import Template

MAX_PROBLEMS = 200  # listed; the rest are counted


@dataclass(frozen=True)
class Problem:
    """One thing to change in the file, where it is."""

    row: int | None  # None: the file as a whole
    where: str  # "row 5", "line 3, line item 2", "the first row"
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None and self.column is None:
            return self.message
        place = self.where + (f", column {self.column}" if self.column else "")
        return f"{place[0].upper()}{place[1:]}: {self.message}"


@dataclass(frozen=True)
class ImportResult:
    path: Path
    template: Template | None
    format: FileFormat | None
    encoding: str | None
    dry_run: bool
    records: int = 0
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: tuple[Problem, ...] = ()
    more_problems: int = 0  # problems beyond the ones listed
    warnings: tuple[str, ...] = ()  # what could not be checked (the file is still added)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        name = self.path.name
        if not self.ok:
            total = len(self.problems) + self.more_problems
            return (
                f"{name}: nothing added; {total} problem{'s' if total != 1 else ''} to fix "
                "in the file first."
            )
        what = f" ({self.template.title})" if self.template else ""
        verb, change = ("would add", "would update") if self.dry_run else ("added", "updated")
        return (
            f"{name}: {self.records} record{'s' if self.records != 1 else ''} read{what}; "
            f"{verb} {self.added}, {change} {self.updated}, {self.unchanged} already there "
            "unchanged."
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "template": self.template.name if self.template else None,
            "format": self.format.value if self.format else None,
            "encoding": self.encoding,
            "dry_run": self.dry_run,
            "records": self.records,
            "rows": self.rows,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "ok": self.ok,
            "problems": [
                {"row": p.row, "where": p.where, "column": p.column, "message": p.message}
                for p in self.problems
            ],
            "more_problems": self.more_problems,
            "warnings": list(self.warnings),
        }


@dataclass
class Tally:
    """Counts and problems while a file is read."""

    records: int = 0
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    more: int = 0
    unverified: set[str] = field(default_factory=set)  # customers the mirror cannot confirm

    def problem(self, row: SourceRow | None, column: str | None, message: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.more += 1
            return
        if row is None:
            self.problems.append(Problem(None, "the file", column, message))
        else:
            self.problems.append(Problem(row.number, row.where, column, message))


@dataclass
class Record:
    """One record being read: its first row, header values and lines."""

    key: str
    first: SourceRow
    header: dict[str, str]
    lines: list[dict[str, str]] = field(default_factory=list)
    line_rows: list[SourceRow] = field(default_factory=list)
    bad: bool = False
