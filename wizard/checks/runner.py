"""Run the checks: independent ones at the same time, each finding reported as it completes.

    runner = Runner(context, on_finding=show)   # called on the thread that runs run_all()
    findings = runner.run_all()
    findings = runner.run_again("permissions")  # "Check again": it and what depends on it

A GUI runs `run_all()` on a worker thread and forwards each finding to the window by signal.
A check whose dependency failed or was skipped is skipped with the reason, not failed. The
company's request limit is kept by the context (`CheckContext.max_in_flight`), so the number
of worker threads only decides how many checks may be waiting on Intacct at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import replace

from wizard.checks.builtin import registry_for
from wizard.checks.context import PERMISSION_CODES, CheckContext, MissingSecrets
from wizard.checks.model import CheckStatus, Finding, Verdict, not_applicable
from wizard.checks.registry import Check, Registry
from wizard.gateway import GatewayError, ResultError, Retried
from wizard.redaction import redact

log = logging.getLogger("wizard.checks")

FindingCallback = Callable[[Finding], None]


class Runner:
    def __init__(
        self,
        context: CheckContext,
        registry: Registry | None = None,
        on_finding: FindingCallback | None = None,
        workers: int | None = None,
    ) -> None:
        self.context = context
        self.registry = registry or registry_for(context)
        self.on_finding = on_finding
        self.workers = workers or max(4, context.max_in_flight * 2)
        self.cancelled = threading.Event()
        self.findings: dict[str, Finding] = {}

    def cancel(self) -> None:
        """Stop starting checks (those under way finish their current request)."""
        self.cancelled.set()

    def run_all(self) -> tuple[Finding, ...]:
        """Every check; findings in registry order (callbacks come in completion order)."""
        return self._run(list(self.registry))

    def run_one(self, check_id: str) -> Finding:
        """Run one check again (and what it depends on) with fresh data from Intacct."""
        self.context.forget_cache()
        self._run(list(self.registry.with_dependencies(check_id)))
        return self.findings[check_id]

    def run_again(self, check_id: str) -> tuple[Finding, ...]:
        """The "Check again" button: the check, what it depends on, and every check whose result it
        decides (a check skipped because this one failed must not stay skipped), with fresh
        data from Intacct. Returns the new findings, in registry order."""
        self.context.forget_cache()
        return self._run(list(self.registry.affected_by(check_id)))

    def _run(self, checks: list[Check]) -> tuple[Finding, ...]:
        pending = {c.id: c for c in checks}
        done: dict[str, Finding] = {}
        running: dict[Future[Finding], str] = {}
        with ThreadPoolExecutor(self.workers, thread_name_prefix="check") as pool:
            while pending or running:
                for check in list(pending.values()):
                    if self.cancelled.is_set():
                        break
                    if any(d in pending or d in running.values() for d in check.depends_on):
                        continue
                    del pending[check.id]
                    blocker = next(
                        (
                            done[d]
                            for d in check.depends_on
                            if d in done
                            and done[d].status in (CheckStatus.FAIL, CheckStatus.SKIPPED)
                        ),
                        None,
                    )
                    if blocker is not None:
                        self._report(done, _skipped_because(check, blocker))
                        continue
                    running[pool.submit(self._run_check, check)] = check.id
                if self.cancelled.is_set() and not running:
                    break
                if not running:
                    continue
                finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
                for future in finished:
                    running.pop(future)
                    self._report(done, future.result())
        return tuple(done[c.id] for c in checks if c.id in done)

    def _report(self, done: dict[str, Finding], finding: Finding) -> None:
        done[finding.check] = finding
        self.findings[finding.check] = finding
        if self.on_finding is not None:
            try:
                self.on_finding(finding)
            except Exception:  # a display problem must not stop the diagnosis
                log.exception("Showing the finding of %s failed", finding.check)

    def _run_check(self, check: Check) -> Finding:
        started = time.monotonic()
        with self.context.retries_seen() as refused:
            verdict = run_safely(check, self.context)
        verdict = with_refusals(verdict, refused)
        return Finding(
            check.id,
            check.title,
            verdict.status,
            verdict.evidence,
            verdict.fix,
            verdict.grid,
            started,
            time.monotonic(),
            verdict.applies,
        )


def run_safely(check: Check, context: CheckContext) -> Verdict:
    """The check's verdict; a failure it did not expect becomes a failed finding with the fix."""
    try:
        if not context.applies(check.id):
            return not_applicable(
                f"Not part of what {context.integration.name} needs: this is about this "
                "wizard's own sync."
            )
        return check.run(context)
    except MissingSecrets as missing:
        return Verdict(
            CheckStatus.SKIPPED,
            f"Skipped: the passwords are not available ({redact(str(missing))}).",
        )
    except ResultError as error:
        if any(e.errorno in PERMISSION_CODES for e in error.errors):
            return Verdict(
                CheckStatus.SKIPPED,
                "Skipped: the Web Services user may not read what this check needs "
                f"({error.said}); see “permissions”.",
            )
        fix = context.match(error)
        return Verdict(CheckStatus.FAIL, f"Intacct answered: {error.said}", fix)
    except GatewayError as error:
        fix = context.match(error)
        return Verdict(CheckStatus.FAIL, f"Intacct answered: {error.said}", fix)
    except Exception as error:  # a bug or an unexpected answer: report it, don't crash
        log.exception("Check %s stopped unexpectedly", check.id)
        fix = context.match(error)
        return Verdict(
            CheckStatus.FAIL,
            f"The check could not finish: {redact(f'{type(error).__name__}: {error}')}",
            fix,
        )


def with_refusals(verdict: Verdict, refused: Sequence[Retried]) -> Verdict:
    """A check that passed only after Intacct refused some requests becomes a warning that
    says so: the fault went away (the sync rides it out), but it was there. A failure keeps
    its own words (the refusal lasted)."""
    if not refused or verdict.status not in (CheckStatus.PASS, CheckStatus.WARN):
        return verdict
    evidence = f"{verdict.evidence.rstrip()} {describe_refusals(refused)}"
    return replace(verdict, status=CheckStatus.WARN, evidence=evidence)


def describe_refusals(refused: Sequence[Retried]) -> str:
    """'Intacct refused 2 requests with HTTP 429 (rate limit), then answered; the sync
    rides this out.'"""
    counts: dict[str, int] = {}
    for retried in refused:
        how = _REFUSED_HOW.get(retried.reason) or (
            f"with HTTP {retried.http_status}" if retried.http_status else "without an answer"
        )
        counts[how] = counts.get(how, 0) + 1
    parts = [f"{n} request{'s' if n != 1 else ''} {how}" for how, n in counts.items()]
    said = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Intacct refused {said}, then answered; the sync rides this out."


_REFUSED_HOW = {
    "rate-limited": "with HTTP 429 (rate limit)",
    "too-many-operations": "with “too many operations”",
    "connection": "by dropping the connection",
    "timeout": "by not answering in time",
}


def _skipped_because(check: Check, blocker: Finding) -> Finding:
    """Skipped for what stopped `blocker`: a failure counts against the connection; a check
    with nothing to check yet leaves this one with nothing to check either."""
    if blocker.status is CheckStatus.FAIL:
        evidence = f"Skipped: this needs “{blocker.title}” to pass first, and it failed."
    elif blocker.applies:
        evidence = f"Skipped: this needs “{blocker.title}” to pass first, and it was skipped."
    else:
        evidence = f"Skipped: this needs “{blocker.title}”, which has nothing to check yet."
    now = time.monotonic()
    return Finding(
        check.id,
        check.title,
        CheckStatus.SKIPPED,
        evidence,
        None,
        None,
        now,
        now,
        applies=blocker.status is CheckStatus.FAIL or blocker.applies,
    )


def run_checks(
    context: CheckContext,
    on_finding: FindingCallback | None = None,
    only: Iterable[str] | None = None,
) -> tuple[Finding, ...]:
    """Convenience: run every check (or only some, with their dependencies) once."""
    runner = Runner(context, on_finding=on_finding)
    if only is None:
        return runner.run_all()
    wanted: dict[str, Check] = {}
    for check_id in only:
        for check in runner.registry.with_dependencies(check_id):
            wanted[check.id] = check
    return runner._run([c for c in runner.registry if c.id in wanted])
