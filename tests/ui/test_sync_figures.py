"""Numbers that add up (issue 12, items 3 and 4): a whole demo run with faults, every count on
the First sync and Done pages checked against the store and against the bars on screen."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.keyboard import ALT, next_page, press
from tests.ui.test_first_sync_checks import _last_month, _set_since, _to_first_sync
from wizard.flow import PageId
from wizard.sync.outbox import OutboxState
from wizard.sync.store import Store
from wizard.ui.window import SetupWizard

OUTBOX = re.compile(
    r"Outbox, all runs: ([\d,]+) records?: ([\d,]+) in Intacct, ([\d,]+) refused, "
    r"([\d,]+) waiting, ([\d,]+) ignored\."
)
THIS_RUN = re.compile(
    r"This run: read ([\d,]+) records(?: \([^)]*\))?, (?:sent ([\d,]+) to Intacct|sent nothing)"
)


def _n(text: str | None) -> int:
    return int((text or "0").replace(",", ""))


def _outbox_shown(text: str) -> tuple[int, int, int, int, int]:
    found = OUTBOX.search(text)
    assert found, text
    total, landed, refused, waiting, ignored = (_n(g) for g in found.groups())
    assert landed + refused + waiting + ignored == total, text
    return total, landed, refused, waiting, ignored


def _outbox_in_store(window: SetupWizard) -> tuple[int, int, int, int, int]:
    with Store.open(window.context.sync_job.store_path) as store:
        counts = store.outbox_counts()
    waiting = counts[OutboxState.PENDING] + counts[OutboxState.IN_FLIGHT]
    landed, refused = counts[OutboxState.LANDED], counts[OutboxState.FAILED]
    ignored = counts[OutboxState.IGNORED]
    return sum(counts.values()), landed, refused, waiting, ignored


def _bars_read(window: SetupWizard) -> int:
    """What the reading bars say (their text: an empty bar is drawn full)."""
    bars = window.first_sync.progress.bars
    shown = [bar.format() for (phase, _obj), bar in bars.items() if phase.startswith("pull")]
    return sum(_n(re.match(r"[\d,]+", text).group(0)) for text in shown)


def test_every_count_on_first_sync_and_done_reconciles_with_the_store(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    window = wizard_window
    asked: list[str] = []
    window.context.ask = lambda title, _q, _y: asked.append(title) or True
    page = _to_first_sync(qtbot, window, "period-closed")
    _set_since(page, _last_month())
    page.start_button.setFocus()
    with qtbot.waitSignal(page.choices_checked, timeout=30_000):
        press(qtbot, window, Qt.Key.Key_Space)
    with qtbot.waitSignal(page.run_ended, timeout=60_000):
        press(qtbot, window, Qt.Key.Key_A, ALT)  # "Sync &anyway" over the failed check

    text = page.status.text()
    run = THIS_RUN.search(text)
    assert run, text
    assert _n(run.group(1)) == _bars_read(window), "read = the sum of the reading bars"
    shown = _outbox_shown(text)
    assert shown == _outbox_in_store(window), text
    total, landed, refused, waiting, _ignored = shown
    assert refused > 0 and _n(run.group(2)) == landed, "one run so far: sent = in Intacct"
    headings = [g.findChild(object, "errorGroupHeading") for g in page.errors.groups.values()]
    named = " ".join(h.text() for h in headings if h is not None)
    assert "invoice WEB-" in named or "payment WEB-PAY-" in named, named
    assert "order-" not in named, "records are named as the admin knows them"

    # Ignore one group: asked first, then counted as ignored, with the way back.
    group = next(iter(page.errors.groups.values()))
    group_size = len(group.group.outbox_ids)
    qtbot.mouseClick(group.panel.buttons["ignore"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.unignore_button.isVisible(), timeout=10_000)
    assert asked == ["Ignore these records?"]
    after = _outbox_shown(page.status.text())
    assert after == _outbox_in_store(window)
    assert after[4] == group_size and after[0] == total
    assert page.unignore_button.hasFocus(), "Enter does not fall to Back"

    next_page(qtbot, window, PageId.DONE)
    done = window.done_page
    summary = done.summary.text()
    assert _outbox_shown(summary) == _outbox_in_store(window)
    assert f"Ignored (not sent): {group_size:,}" in summary and "Send the ignored" in summary
    assert "started although" in summary, "Sync anyway over a failed check is said"
    assert not done.headline.text().startswith("✔"), done.headline.text()
    assert done.headline.property("severity") in ("warning", "error")

    # The way back: Back, send the ignored ones again, and Done says so.
    with qtbot.waitSignal(window.currentIdChanged, timeout=10_000):
        window.back()
    qtbot.mouseClick(page.unignore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.unignore_button.isHidden(), timeout=10_000)
    restored = _outbox_in_store(window)
    assert restored[4] == 0 and _outbox_shown(page.status.text()) == restored
    assert waiting <= restored[3]
