"""Words that fit where they are shown (issue 12, items 8 to 10), seen as an admin sees them."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.keyboard import ALT, WAIT_MS, press
from tests.ui.test_first_sync_checks import _last_month, _set_since, _to_first_sync
from tests.ui.test_honest_results import open_demo_test, run_the_test_again
from wizard.cli import main
from wizard.sandbox import SCENARIOS
from wizard.ui.window import SetupWizard

CHECK_ID = re.compile(r"“[a-z0-9]+(?:-[a-z0-9]+)+”")


def test_fix_steps_on_the_test_page_name_its_own_buttons(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    """Item 8: no "wizard's Credentials page" in the demo, no "click Retry" on the test."""
    window = wizard_window
    open_demo_test(qtbot, window)
    page = window.test
    page.set_fault("wrong-user-password", True)
    assert run_the_test_again(qtbot, window) is False
    panel = page.rows["user-sign-in"].fix_panel
    assert panel is not None
    steps = " ".join(panel.step_texts)
    assert "Click Check again" in steps
    for foreign in ("Credentials page", "Retry these", "intacct-wizard", "`", "{"):
        assert foreign not in steps, (foreign, steps)


def test_fix_steps_on_the_first_sync_page_name_retry_these(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    window = wizard_window
    page = _to_first_sync(qtbot, window, "period-closed")
    _set_since(page, _last_month())
    page.start_button.setFocus()
    with qtbot.waitSignal(page.choices_checked, timeout=WAIT_MS):
        press(qtbot, window, Qt.Key.Key_Space)
    with qtbot.waitSignal(page.run_ended, timeout=60_000):
        press(qtbot, window, Qt.Key.Key_A, ALT)  # "Sync &anyway"
    group = page.errors.groups["period-closed"]
    steps = " ".join(group.panel.step_texts)
    assert "Click Retry these" in steps and "Retry these" in group.panel.buttons[
        "retry"
    ].text().replace("&", "")
    assert "change the record's date" not in steps.lower() or "source system" in steps


def test_no_internal_names_backticks_or_raw_fault_ids_reach_the_screen(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    """Item 9: the Demo faults menu, the evidence, the footer, the step counter."""
    window = wizard_window
    assert "`" not in window.welcome.footer.text()
    open_demo_test(qtbot, window)
    page = window.test
    titles = [action.text() for action in page.fault_actions.values()]
    assert not set(titles) & set(SCENARIOS), "menu titles are words, not ids"
    assert "The Web Services user's password was changed in Intacct" in titles
    page.set_fault("wrong-user-password", True)
    assert run_the_test_again(qtbot, window) is False
    shown = [row.evidence.text() for row in page.rows.values()]
    leaked = [text for text in shown if CHECK_ID.search(text)]
    assert not leaked, leaked
    assert "Step 2 of 6." in page.subTitle()
    page.set_fault("wrong-user-password", False)
    assert run_the_test_again(qtbot, window) is True
    with qtbot.waitSignal(window.currentIdChanged, timeout=WAIT_MS):
        press(qtbot, window, Qt.Key.Key_N, ALT)
    counter = re.search(r"Step (\d+) of (\d+)", window.currentPage().subTitle())
    assert counter and counter.group(2) == "6", window.currentPage().subTitle()
    assert "`" not in window.done_page.rerun.text()


def test_a_name_that_cannot_be_looked_up_says_check_the_address(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    """Item 10: not "looks offline" (in tests every name but 127.0.0.1 fails to resolve)."""
    from tests.ui.test_no_dead_ends import _to_credentials, _type

    window = wizard_window
    _to_credentials(qtbot, window)
    _type(window)
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS):
        window.next()
    text = window.test.rows["endpoint-reachable"].evidence.text()
    assert "check the address" in text and "looks offline" not in text, text


def test_the_command_line_puts_failures_first_and_sums_up_the_skipped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Item 10: one failure is not buried under a dozen SKIP lines; --verbose shows all."""
    assert main(["diagnose", "--demo", "--scenario", "wrong-user-password"]) == 1
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line[:4] in ("FAIL", "WARN", "PASS", "SKIP")]
    assert lines[0].startswith("FAIL"), lines
    kinds = [line[:4] for line in lines]
    assert kinds == sorted(kinds, key=["FAIL", "WARN", "PASS", "SKIP"].index), kinds
    assert kinds.count("SKIP") < 6 and "checks skipped:" in out and "--verbose" in out
    assert "Click Check again" not in out and "intacct-wizard diagnose again" in out
    assert main(["diagnose", "--demo", "--scenario", "wrong-user-password", "--verbose"]) == 1
    verbose = capsys.readouterr().out
    assert verbose.count("\nSKIP") > kinds.count("SKIP")
