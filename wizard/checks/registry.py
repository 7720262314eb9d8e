"""The registry: each check's id, title, the checks it depends on, and its function.

Plain data: it imports no check module. The built-in checks are listed in `builtin`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from wizard.checks.context import CheckContext
from wizard.checks.model import Verdict

CheckFunction = Callable[[CheckContext], Verdict]


@dataclass(frozen=True)
class Check:
    id: str
    title: str  # what is checked, in the admin's words
    run: CheckFunction
    depends_on: tuple[str, ...] = ()
    # Judges what the admin chooses for the sync (accounts, custom fields, how payments and
    # invoice numbers post): before those are chosen there is nothing true to say about it.
    needs_choices: bool = False


class Registry:
    """Checks in a valid order: every dependency known and listed before its dependents."""

    def __init__(self, checks: Iterable[Check]) -> None:
        self._checks: dict[str, Check] = {}
        for check in checks:
            if check.id in self._checks:
                raise ValueError(f"Two checks have the id {check.id!r}.")
            unknown = [d for d in check.depends_on if d not in self._checks]
            if unknown:
                raise ValueError(
                    f"Check {check.id!r} depends on {unknown}, which must be registered first."
                )
            self._checks[check.id] = check

    def __iter__(self) -> Iterator[Check]:
        return iter(self._checks.values())

    def __len__(self) -> int:
        return len(self._checks)

    def __contains__(self, check_id: object) -> bool:
        return check_id in self._checks

    def __getitem__(self, check_id: str) -> Check:
        try:
            return self._checks[check_id]
        except KeyError:
            known = ", ".join(self._checks)
            raise KeyError(f"There is no check {check_id!r}. Known checks: {known}.") from None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._checks)

    def with_dependencies(self, check_id: str) -> tuple[Check, ...]:
        """The check and everything it depends on, dependencies first."""
        wanted: dict[str, Check] = {}

        def visit(name: str) -> None:
            check = self[name]
            for dependency in check.depends_on:
                visit(dependency)
            wanted.setdefault(name, check)

        visit(check_id)
        return tuple(c for c in self if c.id in wanted)

    def dependents(self, check_id: str) -> tuple[Check, ...]:
        """Every check that needs `check_id` to pass, directly or through another check."""
        found = {check_id}
        for check in self:  # registry order lists dependencies first, so one pass will do
            if any(d in found for d in check.depends_on):
                found.add(check.id)
        found.discard(check_id)
        return tuple(c for c in self if c.id in found)

    def waiting_for_choices(self) -> tuple[Check, ...]:
        """The checks that judge the admin's choices, and every check that needs one of them."""
        waiting = {c.id for c in self if c.needs_choices}
        for check in self:  # registry order lists dependencies first, so one pass will do
            if any(d in waiting for d in check.depends_on):
                waiting.add(check.id)
        return tuple(c for c in self if c.id in waiting)

    def before_choices(self) -> Registry:
        """The checks that can run before the admin has chosen what the sync uses (the
        connection test of a new connection); the others wait for the choices."""
        waiting = {c.id for c in self.waiting_for_choices()}
        return Registry(c for c in self if c.id not in waiting)

    def affected_by(self, check_id: str) -> tuple[Check, ...]:
        """What "Check again" on `check_id` must run: the check, everything that depends on
        it, and everything those need, in a valid order."""
        wanted: set[str] = set()
        for check in (self[check_id], *self.dependents(check_id)):
            wanted.update(c.id for c in self.with_dependencies(check.id))
        return tuple(c for c in self if c.id in wanted)
