"""Records to send, from a file, on the First sync page: the dialog shows the file's first rows
and names the bad row and column; after the file is fixed, Check again and Add; the sync then
lands the records in the (demo) company."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.keyboard import WAIT_MS
from tests.ui.test_first_sync_checks import _to_first_sync
from wizard.sync.outbox import OutboxKind, OutboxState
from wizard.sync.store import Store
from wizard.ui.window import SetupWizard

BAD = "CUSTOMER_ID,NAME,TERM_NAME\r\nW-9001,Trailhead Co-op,N30\r\nW-9002,,N30\r\n"
FIXED = "CUSTOMER_ID,NAME,TERM_NAME\r\nW-9001,Trailhead Co-op,N30\r\nW-9002,Ridge Runners,N30\r\n"


def test_add_a_file_see_the_bad_row_fix_it_add_and_the_sync_lands_it(
    qtbot: QtBot, wizard_window: SetupWizard, tmp_path: Path
) -> None:
    window = wizard_window
    page = _to_first_sync(qtbot, window)
    path = tmp_path / "customers.csv"
    path.write_text(BAD, encoding="utf-8")

    dialog = page.records.open_dialog(path)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.review is not None, timeout=WAIT_MS)
    assert dialog.preview.rowCount() == 2 and dialog.preview.columnCount() == 3
    assert dialog.preview.item(1, 0).text() == "W-9002"
    problems = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert len(problems) == 1 and problems[0].startswith("Row 3, column NAME"), problems
    assert not dialog.add_button.isEnabled()
    assert "Nothing can be added yet" in dialog.status.text()

    path.write_text(FIXED, encoding="utf-8")
    with qtbot.waitSignal(dialog.checked, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.check_again, Qt.MouseButton.LeftButton)
    assert dialog.problems.count() == 0
    assert dialog.add_button.isEnabled()
    with qtbot.waitSignal(dialog.added, timeout=WAIT_MS) as added:
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert added.args[0].added == 2
    assert "Added" in dialog.status.text()
    dialog.reject()

    page.start_button.setFocus()
    with qtbot.waitSignal(page.run_ended, timeout=60_000):
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    with Store.open(window.context.sync_job.store_path) as store:
        landed = {
            r.local_id
            for r in store.outbox_records(OutboxState.LANDED)
            if r.kind is OutboxKind.CUSTOMER
        }
    assert landed == {"W-9001", "W-9002"}
    company = window.context.demo_sandbox.company
    assert company.find("CUSTOMER", "CUSTOMERID", "W-9002")["NAME"] == "Ridge Runners"  # type: ignore[index]


def test_save_a_template_writes_the_blank_template(
    qtbot: QtBot, wizard_window: SetupWizard, tmp_path: Path
) -> None:
    page = _to_first_sync(qtbot, wizard_window)
    target = tmp_path / "invoices.csv"
    page.records.save_template("invoices", target)
    assert target.read_text(encoding="utf-8").startswith("INVOICE_NO,CUSTOMER_ID,CREATED_DATE")
    assert str(target) in page.checked_note.text()
