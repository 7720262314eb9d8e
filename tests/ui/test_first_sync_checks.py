"""Before the first sync starts, the posting choices are checked with a test posting dated the
"from" day: a failed check keeps the sync from starting and shows its fix, with "Check again"
and "Sync anyway". Against the demo company (the sandbox), driven from the keyboard."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from tests.ui.keyboard import ALT, WAIT_MS, next_page, press
from wizard.flow import PageId
from wizard.sandbox import Sandbox
from wizard.ui.dates import show_date
from wizard.ui.pages.first_sync import CHECKING_TEXT, FirstSyncPage
from wizard.ui.window import SetupWizard


def _to_first_sync(qtbot: QtBot, window: SetupWizard, fault: str = "") -> FirstSyncPage:
    """Welcome → demo company → Test → Entity → Mappings → First sync, a fault switched on
    after the connection test (which skips the posting checks: nothing is chosen then)."""
    window.confirm_stop = lambda: True  # a failing test closes without a modal question
    press(qtbot, window, Qt.Key.Key_M, ALT)
    qtbot.waitUntil(window.welcome.demo_choice.isChecked)
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS) as tested:
        press(qtbot, window, Qt.Key.Key_Return)
    assert tested.args == [True], window.test.status.text()
    if fault:
        window.context.demo_sandbox.enable(fault)
    next_page(qtbot, window, PageId.ENTITY)
    next_page(qtbot, window, PageId.MAPPINGS)
    next_page(qtbot, window, PageId.FIRST_SYNC)
    return window.first_sync


def _last_month() -> dt.date:
    """A day in the month before this one (the demo's closed period)."""
    first = dt.datetime.now(dt.UTC).date().replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=10)


def _set_since(page: FirstSyncPage, day: dt.date) -> None:
    page.since.setDate(QDate(day.year, day.month, day.day))
    assert page.since_date() == day


def _counts(sandbox: Sandbox) -> dict[str, int]:
    company = sandbox.company
    return {name: company.count(name) for name in company.tables}


def _runs_in_store(path: Path) -> int:
    if not path.exists():
        return 0
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT count(*) FROM sync_runs").fetchone()[0])


def _press_start(qtbot: QtBot, window: SetupWizard, page: FirstSyncPage) -> bool:
    """Start from the keyboard; returns whether the checks let the sync go on."""
    assert page.start_button.hasFocus()
    statuses: list[str] = []
    page.bridge.progressed.connect(lambda _p: statuses.append(page.status.text()))
    with qtbot.waitSignal(page.choices_checked, timeout=WAIT_MS) as checked:
        press(qtbot, window, Qt.Key.Key_Space)
        assert page.status.text() == CHECKING_TEXT, "the admin sees what is happening"
        assert page.task is not None and not page.start_button.isEnabled()
    assert not statuses, "no sync progress before the checks ended"
    return bool(checked.args[0])


def test_a_closed_period_stops_the_sync_before_it_starts_and_sync_anyway_starts_it(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    window = wizard_window
    page = _to_first_sync(qtbot, window, "period-closed")
    sandbox = window.context.demo_sandbox
    since = _last_month()
    _set_since(page, since)
    page.start_button.setFocus()
    before = _counts(sandbox)

    assert _press_start(qtbot, window, page) is False
    view = page.posting_checks
    assert view.isVisibleTo(page)
    assert list(view.rows) == ["test-posting"], page.status.text()
    row = view.rows["test-posting"]
    assert row.fix_panel is not None and row.fix_panel.fix.id == "period-closed"
    assert row.fix_panel.fix.steps, "the fix says what to change in Intacct"
    assert show_date(since) in row.evidence.text(), "the test posting used the 'from' day"
    assert "not started" in page.status.text() and page.status.property("severity") == "error"
    password = sandbox.credentials.user_password
    assert all(password not in text for text in (row.evidence.text(), view.heading.text()))
    # Nothing was synced: Intacct holds what it held, and no run is in the store.
    assert _counts(sandbox) == before
    assert window.context.sync_summaries == []
    job = window.context.sync_job
    assert job is None or _runs_in_store(job.store_path) == 0
    # Keyboard: the admin lands on Check again; Tab goes on to Sync anyway.
    assert page.task is None and page.start_button.isEnabled()
    assert view.again.hasFocus()
    press(qtbot, window, Qt.Key.Key_Tab)
    assert view.anyway.hasFocus()

    with qtbot.waitSignal(page.run_ended, timeout=60_000):
        press(qtbot, window, Qt.Key.Key_A, ALT)  # "Sync &anyway"
    assert not view.isVisibleTo(page)
    assert len(window.context.sync_summaries) == 1, page.status.text()
    assert _runs_in_store(window.context.sync_job.store_path) == 1
    assert "period-closed" in page.errors.groups, "the refused records show the same fix"
    title = row.finding.title
    assert f"Started although this check failed: {title}" in page.checked_note.text()


def test_check_again_after_the_fix_runs_the_checks_and_then_the_sync(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    window = wizard_window
    page = _to_first_sync(qtbot, window, "period-closed")
    _set_since(page, _last_month())
    page.start_button.setFocus()
    assert _press_start(qtbot, window, page) is False
    assert window.context.sync_summaries == []

    window.context.demo_sandbox.disable("period-closed")  # the admin reopened the period
    with (
        qtbot.waitSignal(page.run_ended, timeout=60_000),
        qtbot.waitSignal(page.choices_checked, timeout=WAIT_MS) as checked,
    ):
        press(qtbot, window, Qt.Key.Key_G, ALT)  # "Check a&gain"
    assert checked.args == [True]
    assert not page.posting_checks.isVisibleTo(page)
    assert "Everything landed" in page.status.text(), page.status.text()
    assert len(window.context.sync_summaries) == 1


def test_with_nothing_wrong_start_checks_the_choices_and_syncs_as_before(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    window = wizard_window
    page = _to_first_sync(qtbot, window)
    since = _last_month()
    _set_since(page, since)
    page.start_button.setFocus()
    with qtbot.waitSignal(page.run_ended, timeout=60_000):
        assert _press_start(qtbot, window, page) is True
    assert "Everything landed" in page.status.text(), page.status.text()
    assert len(window.context.sync_summaries) == 1
    note = page.checked_note.text()
    assert page.checked_note.isVisibleTo(page) and "\n" not in note
    assert f"test posting dated {show_date(since)}" in note and "5 passed" in note, note
    assert not page.posting_checks.isVisibleTo(page)


def test_stop_during_the_checks_starts_no_sync(qtbot: QtBot, wizard_window: SetupWizard) -> None:
    window = wizard_window
    page = _to_first_sync(qtbot, window)
    page.start_button.setFocus()
    with qtbot.waitSignal(page.choices_checked, timeout=WAIT_MS) as checked:
        press(qtbot, window, Qt.Key.Key_Space)
        assert page.stop_button.hasFocus()
        press(qtbot, window, Qt.Key.Key_Space)  # Stop
    assert checked.args == [False]
    assert page.task is None and window.context.sync_summaries == []
    assert "nothing was sent" in page.status.text()
    assert not page.posting_checks.isVisibleTo(page)


def test_a_company_that_allows_one_request_at_a_time_is_named_in_the_summary(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    window = wizard_window
    page = _to_first_sync(qtbot, window)
    sandbox = window.context.demo_sandbox
    sandbox.max_in_flight = 1  # this company runs one request at a time; the sync is set to 2
    sandbox.latency_ms = 30  # answers take long enough for two to meet
    page.start_button.setFocus()
    with qtbot.waitSignal(page.run_ended, timeout=60_000):
        assert _press_start(qtbot, window, page) is True
    assert "Everything landed" in page.status.text(), page.status.text()
    assert "1 page at a time instead of 2" in page.status.text()
    assert not window.context.sync_summaries[-1].pull_failures
