"""A kill at any moment loses nothing and half-writes nothing.

A real process (crash_writer.py) writes pages of pulled invoices and push outcomes to a real
SQLite file and is killed (SIGKILL on POSIX) at random points, several times over on the same
file; after each kill the file is reopened and checked.
"""

from __future__ import annotations

import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from wizard.sync.outbox import OutboxState
from wizard.sync.store import Store

WRITER = Path(__file__).with_name("crash_writer.py")
PAGE_SIZE = 500
TRIALS = 12
WATCHDOG_S = 60


def run_and_kill(db: Path, lines_before_kill: int, then_s: float) -> list[str]:
    """Start the writer, let it print `lines_before_kill` progress lines, let it run on for
    `then_s` seconds (a random point inside its next steps: this picks the moment of the kill,
    it does not wait for anything), then kill it."""
    process = subprocess.Popen(
        [sys.executable, str(WRITER), str(db), str(PAGE_SIZE)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(WATCHDOG_S, process.kill)  # bounds the test if the writer hangs
    watchdog.start()
    seen: list[str] = []
    try:
        assert process.stdout is not None
        while len(seen) < lines_before_kill:
            line = process.stdout.readline()
            if not line:
                break
            seen.append(line.strip())
        if then_s:
            time.sleep(then_s)
        process.kill()
        _, errors = process.communicate()
    finally:
        watchdog.cancel()
    assert len(seen) == lines_before_kill, f"writer stopped early: {errors}"
    return seen


def check_consistent(db: Path, context: str) -> int:
    """Every page fully there or absent, and the outbox, cursor and errors agree. Returns
    the number of complete pages."""
    with Store.open(db) as store:
        assert store.integrity_check() == "ok", context
        total = store.count("ARINVOICE")
        pages, partial = divmod(total, PAGE_SIZE)
        assert partial == 0, f"{context}: a page is half-written ({total} rows)"
        # All rows of pages 0..pages-1 are present (not just the right number of rows).
        for page in range(pages):
            for n in (page * PAGE_SIZE, page * PAGE_SIZE + PAGE_SIZE - 1):
                assert store.get_pulled("ARINVOICE", str(n)) is not None, f"{context}: row {n}"
        assert store.get_pulled("ARINVOICE", str(pages * PAGE_SIZE)) is None, context

        counts = store.outbox_counts()
        assert counts[OutboxState.LANDED] == pages, f"{context}: {counts}"
        assert counts[OutboxState.IN_FLIGHT] <= 1, f"{context}: {counts}"
        assert counts[OutboxState.PENDING] <= 1, f"{context}: {counts}"
        for record in store.in_flight():
            # The one sent when the kill came: its page did not land, so it must be looked up.
            assert record.payload["page"] == pages, context
        assert len(store.errors()) == pages, context
        cursor = store.get_cursor("ARINVOICE")
        if pages:
            assert cursor is not None, context
            expected_day, minute = divmod(pages - 1, 1440)
            assert cursor.last_modified == (
                f"2026-01-{expected_day + 1:02d}T{minute // 60:02d}:{minute % 60:02d}:00"
            ), context
        else:
            assert cursor is None, context
    return pages


@pytest.mark.slow
def test_killed_writer_leaves_whole_pages_and_exact_outcomes(tmp_path: Path) -> None:
    seed = random.randrange(2**32)
    chooser = random.Random(seed)
    db = tmp_path / "crash.sqlite3"
    pages_before = 0
    for trial in range(TRIALS):
        lines = chooser.randint(1, 30)
        then_s = chooser.choice([0.0, chooser.uniform(0, 0.02)])
        context = f"seed {seed}, trial {trial}, killed {then_s:.4f}s after {lines} lines"
        seen = run_and_kill(db, lines, then_s)
        pages = check_consistent(db, context)
        # Nothing that was reported done was lost.
        reported = [int(line.split()[1]) for line in seen if line.startswith("page ")]
        if reported:
            assert pages >= reported[-1] + 1, context
        assert pages >= pages_before, context
        pages_before = pages
    assert pages_before > 0, f"seed {seed}: the writer never finished a page"
