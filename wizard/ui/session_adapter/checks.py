"""The connection test: every check once, then check by check ("Check again"), and the
posting checks run again before the first sync."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wizard.checks import CheckContext, CheckStatus, Finding, PermissionGrid, Runner
from wizard.checks.builtin import registry_for
from wizard.checks.connect import context_for_profile
from wizard.connection import ConnectionMethod
from wizard.ui.session_adapter.cancel_watcher import CancelWatcher
from wizard.ui.session_adapter.discovery import Discovery, discover

if TYPE_CHECKING:
    from wizard.ui.session_adapter.target import Target


def check_titles(method: ConnectionMethod = ConnectionMethod.XML) -> tuple[tuple[str, str], ...]:
    """(id, title) of every check over `method`, in the order the admin sees them (fast, no
    network)."""
    from wizard.checks.builtin import default_registry, rest_registry

    registry = rest_registry() if method is ConnectionMethod.REST else default_registry()
    return tuple((check.id, check.title) for check in registry)


def checks_waiting_for_choices() -> tuple[str, ...]:
    """The ids of the checks that judge the sync's choices (accounts, custom fields, posting),
    and of those that need them: the connection test of a new connection leaves them until the
    choices are made (fast, no network)."""
    from wizard.checks import default_registry

    return tuple(check.id for check in default_registry().waiting_for_choices())


class CheckSession:
    """The checks of one connection, run once and then check by check ("Check again").
    `before_choices`: the admin has not chosen the accounts, fields and posting settings yet,
    so the checks that judge them wait (they run before the first sync)."""

    def __init__(self, target: Target, before_choices: bool = False) -> None:
        self.target = target
        self.context: CheckContext = context_for_profile(target.profile, target.found)
        registry = registry_for(self.context)
        self.runner = Runner(self.context, registry.before_choices() if before_choices else None)
        self._lock = threading.Lock()

    def run_all(
        self, on_finding: Callable[[Finding], None], cancel: Callable[[], bool]
    ) -> tuple[Finding, ...]:
        with self._lock:
            self.runner.on_finding = on_finding
            self.runner.cancelled.clear()
            watcher = CancelWatcher(cancel, self.runner.cancel)
            try:
                return self.runner.run_all()
            finally:
                watcher.stop()

    def check_again(
        self, check_id: str, on_finding: Callable[[Finding], None]
    ) -> tuple[Finding, ...]:
        """The check, what it needs and every check it decides, run again."""
        with self._lock:
            self.runner.on_finding = on_finding
            self.runner.cancelled.clear()
            return self.runner.run_again(check_id)

    def affected_by(self, check_id: str) -> tuple[str, ...]:
        """The ids "Check again" on `check_id` runs (fast, no network)."""
        return tuple(check.id for check in self.runner.registry.affected_by(check_id))

    def findings(self) -> tuple[Finding, ...]:
        return tuple(self.runner.findings.values())

    def close(self) -> None:
        self.context.close()

    def discover(self) -> Discovery:
        """What the company has, for the Entity and Mappings pages: those follow the test
        over the XML gateway only (a REST connection's route ends at the test)."""
        if self.target.profile.method is not ConnectionMethod.XML:
            return Discovery(problem="the company's entities and mappings are read over XML")
        return discover(self.context)


# The checks that judge the posting choices (the connection test of a new connection leaves
# them until they are chosen). Run again on the First sync page before the sync starts.
POSTING_CHECKS = (
    "gl-accounts",
    "checking-account-locations",
    "payment-summary-frequency",
    "document-numbering",
    "test-posting",
)


def check_posting(
    target: Target,
    since: dt.date,
    cancelled: Callable[[], bool],
    on_finding: Callable[[Finding], None] | None = None,
) -> tuple[Finding, ...]:
    """The posting checks on the chosen settings, the test posting dated `since` (the oldest
    day the sync posts), each with what it depends on. Returns every finding made, in the
    registry's order: a failed sign-in shows up as itself, not only as skipped checks."""
    session = CheckSession(target.with_start_date(since))
    runner = session.runner
    runner.on_finding = on_finding
    watcher = CancelWatcher(cancelled, runner.cancel)
    try:
        # test-posting depends on the other four, so running it runs them all.
        runner.run_one("test-posting")
    except KeyError:  # cancelled before it ran
        pass
    finally:
        watcher.stop()
        session.close()
    order = [check.id for check in runner.registry]
    return tuple(sorted(runner.findings.values(), key=lambda f: order.index(f.check)))


@dataclass(frozen=True)
class CheckTally:
    """How many checks passed, warned, failed and were skipped, and why they were skipped."""

    passed: int = 0
    warnings: int = 0
    failed: int = 0
    blocked: int = 0  # skipped because something failed or was missing
    not_applicable: int = 0  # skipped because there is nothing to check yet

    @property
    def skipped(self) -> int:
        return self.blocked + self.not_applicable

    @property
    def total(self) -> int:
        return self.passed + self.warnings + self.failed + self.skipped

    @property
    def proven(self) -> bool:
        """Nothing failed and nothing was left unchecked because of a failure."""
        return self.total > 0 and not self.failed and not self.blocked

    def counts(self) -> str:
        """ "12 passed, 1 warning, 1 failed, 2 skipped" (only the numbers there are)."""
        parts = [f"{self.passed} passed"]
        if self.warnings:
            parts.append(f"{self.warnings} warning{'s' if self.warnings != 1 else ''}")
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        return ", ".join(parts)


def tally(findings: Sequence[Finding]) -> CheckTally:
    return CheckTally(
        passed=sum(1 for f in findings if f.status is CheckStatus.PASS),
        warnings=sum(1 for f in findings if f.status is CheckStatus.WARN),
        failed=sum(1 for f in findings if f.status is CheckStatus.FAIL),
        blocked=sum(1 for f in findings if f.blocked),
        not_applicable=sum(
            1 for f in findings if f.status is CheckStatus.SKIPPED and not f.applies
        ),
    )


def connection_ok(findings: Sequence[Finding]) -> bool:
    """Proven: nothing failed and nothing was skipped because something failed."""
    return tally(findings).proven


def latest_grid(findings: Sequence[Finding]) -> PermissionGrid | None:
    for finding in findings:
        if finding.grid is not None:
            return finding.grid
    return None
