"""What a check hands back: a `Finding` (status, evidence, the fix) and the permission grid."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field

from wizard.fixes import Fix
from wizard.fixes.surfaces import Surface, render_steps


class CheckStatus(enum.StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a check function returns; the runner adds the check's id, title and timing."""

    status: CheckStatus
    evidence: str
    fix: Fix | None = None
    grid: PermissionGrid | None = None
    applies: bool = True  # False: skipped because it does not apply yet (nothing chosen)


def passed(evidence: str, grid: PermissionGrid | None = None) -> Verdict:
    return Verdict(CheckStatus.PASS, evidence, None, grid)


def failed(evidence: str, fix: Fix, grid: PermissionGrid | None = None) -> Verdict:
    return Verdict(CheckStatus.FAIL, evidence, fix, grid)


def warned(evidence: str, fix: Fix | None = None, grid: PermissionGrid | None = None) -> Verdict:
    return Verdict(CheckStatus.WARN, evidence, fix, grid)


def skipped(reason: str) -> Verdict:
    """Skipped because something else stopped it (signing in failed, no passwords): the
    connection is not proven, so this counts against it."""
    return Verdict(CheckStatus.SKIPPED, reason)


def not_applicable(reason: str) -> Verdict:
    """Skipped because there is nothing to check yet (nothing chosen, switched off)."""
    return Verdict(CheckStatus.SKIPPED, reason, applies=False)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible cause of something Intacct does not tell, and how the admin tells."""

    cause: str  # in the admin's words, e.g. "The user is locked out."
    how_to_tell: str  # where in Intacct to look (menu path) to confirm or rule it out


COULD_NOT_VERIFY = "Could not verify"


def unverified(
    what: str,
    why: str,
    candidates: Sequence[Candidate],
    settled_by: str = "",
    fix: Fix | None = None,
) -> Verdict:
    """A warning, not a pass: Intacct's answer does not tell which of `candidates` is true.

    `what` is the question, `why` what Intacct did (not) say, `settled_by` the other check or
    the test posting that answers it, where one exists."""
    parts = [f"{COULD_NOT_VERIFY} {what}: {why}"]
    if candidates:
        parts.append("Possible causes:")
        parts += [f"{n}. {c.cause} To tell: {c.how_to_tell}" for n, c in enumerate(candidates, 1)]
    if settled_by:
        parts.append(settled_by)
    return Verdict(CheckStatus.WARN, " ".join(parts), fix)


@dataclass(frozen=True, slots=True)
class Finding:
    """One check's result, ready for the GUI's live list, `diagnose` and the report."""

    check: str
    title: str
    status: CheckStatus
    evidence: str
    fix: Fix | None = None
    grid: PermissionGrid | None = None
    started: float = 0.0  # time.monotonic() when the check began (0 when skipped unrun)
    finished: float = 0.0
    applies: bool = True  # False: skipped because there is nothing to check yet

    @property
    def blocked(self) -> bool:
        """Skipped because something failed or was missing: the connection is not proven."""
        return self.status is CheckStatus.SKIPPED and self.applies

    @property
    def fix_id(self) -> str | None:
        return self.fix.id if self.fix is not None else None

    @property
    def ok(self) -> bool:
        return self.status is not CheckStatus.FAIL

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of `diagnose --json` (plus the grid when there is one)."""
        data: dict[str, object] = {
            "check": self.check,
            "status": self.status.value,
            "fix_id": self.fix_id,
            "title": self.title,
            "evidence": self.evidence,
        }
        if self.fix is not None:
            data["fix"] = {
                "title": self.fix.title,
                "steps": list(render_steps(self.fix.steps, Surface.CLI)),
                "who": self.fix.who,
            }
        if self.grid is not None:
            data["grid"] = self.grid.as_dict()
        return data


class Access(enum.StrEnum):
    ALLOWED = "allowed"
    DENIED = "denied"
    UNKNOWN = "unknown"
    NOT_NEEDED = "not-needed"


@dataclass(frozen=True, slots=True)
class Cell:
    access: Access
    needed: bool
    fix_id: str | None = None  # the fix to show when a needed cell is denied


@dataclass(frozen=True, slots=True)
class GridRow:
    object: str  # e.g. "ARINVOICE"
    module: str  # e.g. "AR"
    module_name: str  # "Accounts Receivable"
    cells: tuple[Cell, ...]  # one per PermissionGrid.columns
    permission: str = ""  # the permission's name on the module's Permissions page ("Bills")

    @property
    def shown(self) -> str:
        """Module › permission as the admin ticks it, or the module alone when not known."""
        return f"{self.module_name} › {self.permission}" if self.permission else self.module_name


@dataclass(frozen=True, slots=True)
class PermissionGrid:
    """Module/object × operation: rows are objects (with their module), columns operations."""

    columns: tuple[str, ...]
    rows: tuple[GridRow, ...] = field(default=())

    def cell(self, object_name: str, operation: str) -> Cell:
        column = self.columns.index(operation)
        for row in self.rows:
            if row.object == object_name:
                return row.cells[column]
        raise KeyError(object_name)

    def denied(self) -> tuple[tuple[str, str], ...]:
        """(object, operation) pairs the sync needs that Intacct refuses."""
        return tuple(
            (row.object, column)
            for row in self.rows
            for column, cell in zip(self.columns, row.cells, strict=True)
            if cell.needed and cell.access is Access.DENIED
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "columns": list(self.columns),
            "rows": [
                {
                    "object": row.object,
                    "module": row.module,
                    "module_name": row.module_name,
                    "permission": row.permission,
                    "cells": [
                        {"access": c.access.value, "needed": c.needed, "fix_id": c.fix_id}
                        for c in row.cells
                    ],
                }
                for row in self.rows
            ],
        }
