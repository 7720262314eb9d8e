"""Exactly once under fire: the sync process is SIGKILLed at random points while the gateway
misbehaves (HTTP 503, 524 after the work was done, dropped connections, expiring sessions);
after a resumed run, every outbox record exists exactly once in Intacct and every record in
the pulled range is in the store.

The sandbox runs in this process; the sync runs in a child (sync_runner.py) that reads small
pages two at a time (pages and objects side by side). The kill point is a random progress line
of the child (a random record count), and the fault is switched on at another random line
before it: nothing here waits on time. A child that is not killed must end on its own and
cleanly (exit 0, "done <status>", even when the fault made the run fail): a traceback, or the
watchdog having to kill a hung child, fails the test.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.sync.sync_helpers import copies_in_intacct
from wizard.sandbox import Sandbox
from wizard.sync.pull import default_pull_plan
from wizard.sync.store import Store

RUNNER = Path(__file__).with_name("sync_runner.py")
TRIALS = 30
FAULTS = ("server-error", "cdn-timeout-524", "dropped-connections", "session-expiry")
INVOICES = 40  # small data per trial: about 80 outbox records, a few hundred pulled
WATCHDOG_S = 60
PAGE_SIZE = 50  # records a page in the child: several pages an object, read side by side
PULLED = (
    "GLACCOUNT",
    "CHECKINGACCOUNT",
    "CREDITCARD",
    "CUSTOMER",
    "ARINVOICE",
    "ARADJUSTMENT",
    "ARPYMT",
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


@dataclass(frozen=True)
class ChildRun:
    lines: list[str]
    killed: bool  # by the test's chaos, on purpose
    returncode: int
    errors: str  # the child's stderr
    hung: bool  # the watchdog had to kill it

    def check_ended_cleanly(self) -> None:
        """A child not killed on purpose must have finished on its own: exit 0 and its last
        line "done <status>". A traceback or a hang is a bug, never a "clean failure"."""
        assert not self.hung, f"the sync child hung and the watchdog killed it: {self.lines[-3:]}"
        assert self.returncode == 0, f"the sync child crashed: {self.errors[-2000:]}"
        assert self.lines and self.lines[-1].startswith("done "), self.lines[-3:]


def run_child(job: dict[str, object], on_line: Chaos | None = None) -> ChildRun:
    """Run the sync child. `on_line(count, process)` sees each progress line; it may kill the
    child."""
    process = subprocess.Popen(
        [sys.executable, str(RUNNER), json.dumps(job)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    hung = threading.Event()

    def kill_hung_child() -> None:
        hung.set()
        process.kill()

    watchdog = threading.Timer(WATCHDOG_S, kill_hung_child)
    watchdog.start()
    lines: list[str] = []
    killed = False
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.strip())
            if on_line is not None and on_line(len(lines), process, lines[-1]):
                killed = True
                break
        _, errors = process.communicate()
    finally:
        watchdog.cancel()
    return ChildRun(lines, killed, process.returncode, errors, hung.is_set())


def expected_keys(sandbox: Sandbox, obj: str, since: dt.date) -> set[str]:
    plan = default_pull_plan().objects[obj]
    keys = set()
    for record in sandbox.company.records(obj):
        if plan.date_field:
            when = dt.datetime.strptime(record[plan.date_field], "%m/%d/%Y").date()
            if when < since:
                continue
        keys.add(record["RECORDNO"])
    return keys


def test_killed_syncs_resume_with_no_duplicates_and_no_losses(tmp_path: Path) -> None:
    rng = random.Random()
    seed = rng.randrange(1_000_000)
    rng.seed(seed)
    with Sandbox(records=120) as sandbox:
        creds = sandbox.credentials
        today = dt.datetime.now(dt.UTC).date()
        since = today - dt.timedelta(days=365)
        kills = kills_in_push = left_in_flight = duplicates = losses = missing_pulled = 0
        faults_seen: set[str] = set()
        lines_in_a_run = 0
        invoice_pages = 0  # progress lines of the invoices' read in one run: one a page
        for trial in range(TRIALS):
            fault = FAULTS[trial % len(FAULTS)]
            job = {
                "endpoint": sandbox.endpoint,
                "credentials": {
                    "sender_id": creds.sender_id,
                    "sender_password": creds.sender_password,
                    "company_id": creds.company_id,
                    "user_id": creds.user_id,
                    "user_password": creds.user_password,
                },
                "store": str(tmp_path / f"trial{trial}.sqlite3"),
                "tag": f"T{trial}",
                "invoices": INVOICES,
                "since": since.isoformat(),
                "today": today.isoformat(),
                "page_size": PAGE_SIZE,
            }
            # Even trials: kill anywhere in the run (the first, clean resume tells how many
            # progress lines a run prints). Odd trials: while pushing, a random few
            # milliseconds after a push line, so that a batch is often on its way.
            in_push = trial % 2 == 1
            last = max(lines_in_a_run - 1, 1)
            fault_at = rng.randint(1, 2) if in_push else rng.randint(1, last)
            kill_at = fault_at + rng.randint(0, 1)
            delay = rng.uniform(0, 0.03) if in_push else 0.0
            chaos = Chaos(sandbox, fault, fault_at, kill_at, delay, in_push)
            run = run_child(job, chaos)
            killed = run.killed
            if not killed:
                run.check_ended_cleanly()  # the fault stopped the run on its own, cleanly
            if chaos.fault_on:
                faults_seen.add(fault)
            kills += killed
            kills_in_push += killed and in_push
            with Store.open(Path(str(job["store"]))) as store:
                left_in_flight += bool(store.in_flight())
            sandbox.set_scenarios([])
            resumed = run_child(job)
            resumed.check_ended_cleanly()
            lines_in_a_run = max(lines_in_a_run, len(resumed.lines) - 1)
            invoice_pages = max(
                invoice_pages,
                sum(1 for line in resumed.lines if line.startswith("progress pull ARINVOICE ")),
            )

            with Store.open(Path(str(job["store"]))) as store:
                copies = copies_in_intacct(sandbox, store)
                assert copies, "the outbox was queued"
                duplicates += sum(1 for n in copies.values() if n > 1)
                losses += sum(1 for n in copies.values() if n == 0)
                for obj in PULLED:
                    stored = {r.record_no for r in store.iter_pulled(obj)}
                    missing_pulled += len(expected_keys(sandbox, obj, since) - stored)
        print(
            f"\n{TRIALS} trials (seed {seed}), {kills} SIGKILLs ({kills_in_push} while pushing; "
            f"{left_in_flight} left records in flight), faults {sorted(faults_seen)}: "
            f"{duplicates} duplicates / {losses} losses in Intacct, "
            f"{missing_pulled} pulled records missing from the store"
        )
    assert invoice_pages >= 4  # pages of one object, read two at a time
    assert kills >= TRIALS // 2  # the others: the fault stopped the run first
    assert left_in_flight >= 1  # the exactly-once path was exercised
    assert (duplicates, losses, missing_pulled) == (0, 0, 0)


class Chaos:
    """Switches the fault on at one progress line and kills the child at a later one."""

    def __init__(
        self, sandbox: Sandbox, fault: str, fault_at: int, kill_at: int, delay: float, push: bool
    ) -> None:
        self.sandbox = sandbox
        self.fault = fault
        self.fault_at = fault_at
        self.kill_at = kill_at
        self.delay = delay
        self.push = push
        self.push_lines = 0
        self.fault_on = False

    def __call__(self, count: int, process: subprocess.Popen[str], line: str) -> bool:
        if self.push:
            if " push " not in line:
                return False
            self.push_lines += 1
            count = self.push_lines
        if count == self.fault_at:
            self.sandbox.enable(self.fault)
            self.fault_on = True
        if count >= self.kill_at:
            if self.delay:
                time.sleep(self.delay)  # picks the kill point; nothing waits on it
            process.kill()
            return True
        return False
