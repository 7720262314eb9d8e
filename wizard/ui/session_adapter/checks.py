"""The connection test: every check once, then check by check ("Check again"), and the
posting checks run again before the first sync."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from wizard.checks import CheckContext, CheckStatus, Finding, PermissionGrid, Runner
from wizard.checks.connect import context_for_profile
from wizard.ui.session_adapter.cancel_watcher import CancelWatcher
from wizard.ui.session_adapter.discovery import Discovery, discover

if TYPE_CHECKING:
    from wizard.ui.session_adapter.target import Target


def check_titles() -> tuple[tuple[str, str], ...]:
    """(id, title) of every check, in the order the admin sees them (fast, no network)."""
    from wizard.checks import default_registry

    return tuple((check.id, check.title) for check in default_registry())


class CheckSession:
    """The checks of one connection, run once and then check by check ("Check again")."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.context: CheckContext = context_for_profile(target.profile, target.found)
        self.runner = Runner(self.context)
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

    def run_one(self, check_id: str, on_finding: Callable[[Finding], None]) -> Finding:
        with self._lock:
            self.runner.on_finding = on_finding
            self.runner.cancelled.clear()
            return self.runner.run_one(check_id)

    def findings(self) -> tuple[Finding, ...]:
        return tuple(self.runner.findings.values())

    def close(self) -> None:
        self.context.close()

    def discover(self) -> Discovery:
        return discover(self.context)


# The checks that judge the posting choices (skipped at the connection test: nothing was
# chosen then). Run again on the First sync page before the sync starts.
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


def connection_ok(findings: Sequence[Finding]) -> bool:
    return bool(findings) and not any(f.status is CheckStatus.FAIL for f in findings)


def latest_grid(findings: Sequence[Finding]) -> PermissionGrid | None:
    for finding in findings:
        if finding.grid is not None:
            return finding.grid
    return None
