"""The whole first connection against the sandbox company, driven as an admin would: keyboard
for the wizard, mouse on the buttons inside fix panels. Every wait is on a signal."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLineEdit,
    QListView,
    QProgressBar,
    QWizard,
)
from pytestqt.qtbot import QtBot

from tests.ui.keyboard import ALT, WAIT_MS, next_page, press
from wizard.checks import Access, CheckStatus
from wizard.checks.connect import demo_profile
from wizard.connection import Profile, ProfileStore, Secrets
from wizard.flow import PageId, Route
from wizard.sandbox import Sandbox
from wizard.ui import session_adapter
from wizard.ui.window import SetupWizard


def _open_demo_test(qtbot: QtBot, window: SetupWizard) -> None:
    """Welcome → (Alt+M) demo company → Enter: the sandbox starts and every check runs."""
    press(qtbot, window, Qt.Key.Key_M, ALT)
    qtbot.waitUntil(window.welcome.demo_choice.isChecked)
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS) as tested:
        press(qtbot, window, Qt.Key.Key_Return)
    assert window.currentId() == int(PageId.TEST)
    assert tested.args == [True], window.test.status.text()


def _rerun(qtbot: QtBot, window: SetupWizard) -> bool:
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS) as tested:
        qtbot.mouseClick(window.test.again, Qt.MouseButton.LeftButton)
    return bool(tested.args[0])


def _check_again(qtbot: QtBot, window: SetupWizard, check_id: str) -> bool:
    row = window.test.rows[check_id]
    assert row.fix_panel is not None, f"{check_id} shows no fix panel"
    with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS) as tested:
        qtbot.mouseClick(row.fix_panel.buttons["check_again"], Qt.MouseButton.LeftButton)
    return bool(tested.args[0])


def _sync(qtbot: QtBot, window: SetupWizard) -> None:
    page = window.first_sync
    assert page.start_button.hasFocus()
    with qtbot.waitSignal(page.run_ended, timeout=60_000):
        press(qtbot, window, Qt.Key.Key_Space)


def test_demo_company_end_to_end_from_the_keyboard(
    qtbot: QtBot, wizard_window: SetupWizard, tmp_path: Path
) -> None:
    window = wizard_window
    _open_demo_test(qtbot, window)
    page = window.test
    statuses = {row.status for row in page.shown_rows()}
    assert statuses == {CheckStatus.PASS}, {r.check_id: r.status for r in page.shown_rows()}
    assert all(row.fix_panel is None for row in page.rows.values())
    assert page.grid.isVisibleTo(page) and page.grid.rowCount() > 0
    assert not page.faults.isHidden(), "the demo offers its faults menu"

    next_page(qtbot, window, PageId.ENTITY)
    entity = window.entity
    names = [b.text() for b in entity.choices.values()]
    assert any("UK" in n and "GBP" in n for n in names), names
    assert entity.choices[""].isChecked() and entity.choices[""].hasFocus()
    press(qtbot, window, Qt.Key.Key_Down)  # the first entity
    assert entity.chosen() == "US-EAST"
    assert "other entities will not see them" in entity.warning.text()
    press(qtbot, window, Qt.Key.Key_Up)
    assert entity.chosen() == "" and entity.warning.isHidden()

    next_page(qtbot, window, PageId.MAPPINGS)
    mappings = window.mappings
    assert "invoices-to-intacct" in mappings.chosen_flows()
    dimensions = {
        mappings.dimensions.item(r, 0).data(Qt.ItemDataRole.UserRole): (
            mappings.dimensions.item(r, 1).text(),
            mappings.dimensions.item(r, 2).text(),
        )
        for r in range(mappings.dimensions.rowCount())
    }
    assert dimensions["fund"][0].startswith("Your own") and int(dimensions["fund"][1]) > 0
    assert dimensions["LOCATION"][0] == "Standard"
    assert mappings.location.currentText() == "US-EAST"  # the demo's default location
    assert "Accounts Receivable: All" in mappings.needs.text()
    assert mappings.grid.rowCount() > 0
    assert ("sync_reference", "SYNC_REF") in mappings.custom_field_map()
    mappings.set_flow("card-accounts-to-intacct", True)  # risky at the top level
    assert "must post in an entity" in mappings.flow_note.text()
    assert mappings.flow_note.property("severity") == "warning"
    mappings.set_flow("card-accounts-to-intacct", False)
    assert "must post in an entity" not in mappings.flow_note.text()

    next_page(qtbot, window, PageId.FIRST_SYNC)
    _sync(qtbot, window)
    sync = window.first_sync
    assert "Everything landed" in sync.status.text(), sync.status.text()
    assert sync.progress.bars, "a progress bar per object"
    formats = [bar.format() for bar in sync.progress.bars.values()]
    assert any(re.fullmatch(r"[\d,]+ of [\d,]+ [a-zA-Z ]+", f) for f in formats), formats
    assert sync.errors.isHidden()

    next_page(qtbot, window, PageId.DONE)
    done = window.done_page
    assert "DEMO-COMPANY" in done.summary.text()
    assert " in Intacct, 0 refused, 0 waiting, 0 ignored." in done.summary.text()
    assert done.headline.text().startswith("✔") and done.headline.property("severity") == "ok"
    report = tmp_path / "report.zip"
    done.report.path = report
    qtbot.mouseClick(done.report, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Report saved" in done.status.text(), timeout=WAIT_MS)
    with zipfile.ZipFile(report) as bundle:
        assert {"findings.json", "wizard.json", "versions.json"} <= set(bundle.namelist())
        demo_password = window.context.demo_sandbox.credentials.user_password
        for name in bundle.namelist():
            assert demo_password not in bundle.read(name).decode()
    assert window.button(QWizard.WizardButton.FinishButton).isVisible()
    unnamed = [
        f"{page.objectName()}/{widget.objectName() or type(widget).__name__}"
        for page in window.pages.values()
        for widget in page.findChildren(QAbstractButton)
        + page.findChildren(QLineEdit)
        + page.findChildren(QComboBox)
        + page.findChildren(QAbstractItemView)
        + page.findChildren(QProgressBar)
        + page.findChildren(QDateEdit)
        if not widget.accessibleName().strip()
        and widget.objectName() not in ("qt_scrollarea_hcontainer", "qt_scrollarea_vcontainer")
        and not widget.objectName().startswith("qt_")
        and type(widget) not in (QHeaderView, QListView)  # table headers, combo pop-ups
    ]
    assert not unnamed, unnamed


def test_wrong_password_shows_the_fix_and_check_again_passes_once_corrected(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    window = wizard_window
    _open_demo_test(qtbot, window)
    page = window.test
    page.fault_actions["wrong-user-password"].trigger()  # the Demo faults menu
    assert "wrong-user-password" in window.context.demo_sandbox.scenarios
    assert _rerun(qtbot, window) is False
    row = page.rows["user-sign-in"]
    assert row.status is CheckStatus.FAIL
    assert row.fix_panel is not None and row.fix_panel.fix.id == "user-credentials-invalid"
    assert row.fix_panel.steps.text().count("<li") >= 2, "numbered steps"
    assert row.fix_panel.who.text().startswith("Who can do this:")
    assert page.rows["permissions"].status is CheckStatus.SKIPPED
    assert not window.button(QWizard.WizardButton.NextButton).isEnabled()

    page.fault_actions["wrong-user-password"].trigger()  # the admin corrected the password
    assert _check_again(qtbot, window, "user-sign-in") is True
    assert row.status is CheckStatus.PASS and row.fix_panel is None
    assert window.button(QWizard.WizardButton.NextButton).isEnabled()


def test_missing_permission_is_shown_in_the_grid_until_it_is_granted(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    window = wizard_window
    _open_demo_test(qtbot, window)
    page = window.test
    page.set_fault("no-permission-ar", True)
    assert _rerun(qtbot, window) is False
    row = page.rows["permissions"]
    assert row.status is CheckStatus.FAIL and row.fix_panel is not None
    assert row.fix_panel.fix.id == "permission-missing"
    denied = page.grid.grid.denied()
    assert denied and all(page.grid.grid.cell(o, c).access is Access.DENIED for o, c in denied)
    assert any(obj.startswith("AR") for obj, _ in denied), denied
    symbols = {
        page.grid.item(r, c).text()
        for r in range(page.grid.rowCount())
        for c in range(2, page.grid.columnCount())
    }
    assert "✖" in symbols

    page.set_fault("no-permission-ar", False)
    assert _check_again(qtbot, window, "permissions") is True
    assert page.grid.grid.denied() == ()
    assert row.status is CheckStatus.PASS


def test_first_sync_push_errors_are_grouped_by_fix_and_land_after_retry(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    window = wizard_window
    _open_demo_test(qtbot, window)
    window.context.demo_sandbox.enable("period-closed")
    next_page(qtbot, window, PageId.ENTITY)
    next_page(qtbot, window, PageId.MAPPINGS)
    next_page(qtbot, window, PageId.FIRST_SYNC)
    page = window.first_sync
    shown_during_the_run: list[bool] = []
    page.bridge.progressed.connect(
        lambda _p: shown_during_the_run.append(page.task is not None and bool(page.errors.groups))
    )
    assert page.start_button.hasFocus()
    with qtbot.waitSignal(page.choices_checked, timeout=WAIT_MS) as checked:
        press(qtbot, window, Qt.Key.Key_Space)
    assert checked.args == [False], "the test posting found the closed period first"
    assert "period-closed" in {
        row.fix_panel.fix.id for row in page.posting_checks.rows.values() if row.fix_panel
    }
    with qtbot.waitSignal(page.run_ended, timeout=60_000):
        press(qtbot, window, Qt.Key.Key_A, ALT)  # "Sync &anyway"
    assert any(shown_during_the_run), "refused records are listed while the sync still runs"
    assert list(page.errors.groups) == ["period-closed"], page.status.text()
    group = page.errors.groups["period-closed"]
    failed = len(group.group.errors)
    assert failed > 0 and f"{failed:,} refused" in page.status.text()
    assert group.panel.fix.steps, "the inline fix says what to do"
    assert window.button(QWizard.WizardButton.NextButton).isEnabled(), "may go on and retry later"

    window.context.demo_sandbox.disable("period-closed")  # the admin reopened the period
    with qtbot.waitSignal(page.run_ended, timeout=60_000):
        qtbot.mouseClick(group.panel.buttons["retry"], Qt.MouseButton.LeftButton)
    assert page.errors.groups == {}, page.status.text()
    assert "Everything landed" in page.status.text()
    summary = window.context.sync_summaries[-1]
    assert summary.push.landed >= failed and summary.open_errors == ()


def _saved_profile(sandbox: Sandbox, name: str = "ACME") -> Profile:
    creds = sandbox.credentials
    store = ProfileStore()
    store.secrets.save(name, Secrets(creds.sender_password, creds.user_password))
    demo = demo_profile(sandbox.endpoint, creds.sender_id, creds.company_id, creds.user_id)
    profile = Profile(
        name=name,
        company_id=creds.company_id,
        user_id=creds.user_id,
        sender_id=creds.sender_id,
        endpoint=sandbox.endpoint,
        # The demo outbox's records carry "sync_ref"; map it as the integration would.
        mappings=dataclasses.replace(demo.mappings, custom_fields=(("sync_ref", "SYNC_REF"),)),
    )
    store.save(profile)
    store.set_last_used(name)
    return profile


def test_diagnose_a_saved_connection_shows_what_changed_and_retries_failed_records(
    qtbot: QtBot, qapp: object
) -> None:
    with Sandbox(scenarios=["period-closed"]) as sandbox:
        profile = _saved_profile(sandbox)
        target = session_adapter.profile_target(profile.name)
        mappings = target.profile.mappings
        job = session_adapter.SyncJob.for_target(
            target,
            session_adapter.SyncChoices(
                flows=session_adapter.flow_catalogue().default,
                default_location=mappings.default_location,
                custom_fields=mappings.custom_fields,
            ),
        )
        from wizard.sync.demo import add_demo_outbox
        from wizard.sync.store import Store

        with Store.open(job.store_path) as store:
            add_demo_outbox(store, 20)
        earlier = job.run(None, lambda _p: None, lambda: False)
        assert earlier.open_errors, "the period was closed, so some records failed"
        sandbox.disable("period-closed")

        window = SetupWizard()  # opened after the connection was saved, as an admin would
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        welcome = window.welcome
        qtbot.waitUntil(lambda: welcome.profiles.count() == 1)
        press(qtbot, window, Qt.Key.Key_D, ALT)
        qtbot.waitUntil(welcome.diagnose_choice.isChecked)
        assert welcome.profiles.currentText() == "ACME"
        with qtbot.waitSignal(window.test.tested, timeout=WAIT_MS) as tested:
            press(qtbot, window, Qt.Key.Key_N, ALT)
        assert window.context.flow.data.route is Route.DIAGNOSE
        assert tested.args == [True], window.test.status.text()
        assert window.test.rows["custom-fields"].status is CheckStatus.PASS

        findings = window.findings
        with qtbot.waitSignal(findings.history_shown, timeout=WAIT_MS):
            press(qtbot, window, Qt.Key.Key_N, ALT)
        assert window.currentId() == int(PageId.FINDINGS)
        text = findings.changes.text()
        assert f"{len(earlier.open_errors):,} records failed since then" in text, text
        assert findings.retry_box.isVisibleTo(findings)
        press(qtbot, window, Qt.Key.Key_Y, ALT)
        qtbot.waitUntil(findings.retry_box.isChecked)
        with qtbot.waitSignal(window.retry.run_ended, timeout=60_000):
            press(qtbot, window, Qt.Key.Key_N, ALT)
        assert "landed" in window.retry.status.text()
        assert window.retry.summary.open_errors == (), window.retry.status.text()
        window.shutdown()


def test_dry_run_predicts_refusals_without_sending_anything(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    window = wizard_window
    _open_demo_test(qtbot, window)
    window.context.demo_sandbox.enable("account-requires-dimension")
    next_page(qtbot, window, PageId.ENTITY)
    next_page(qtbot, window, PageId.MAPPINGS)
    next_page(qtbot, window, PageId.FIRST_SYNC)
    page = window.first_sync
    press(qtbot, window, Qt.Key.Key_D, ALT)  # "&Dry run first"
    qtbot.waitUntil(page.dry_run.isChecked)
    page.start_button.setFocus()
    _sync(qtbot, window)
    text = page.predictions.text()
    assert "nothing was sent to Intacct" in text
    assert "likely to be refused" in text and "dimension" in text.lower(), text
    assert window.context.sync_summaries == [], "a dry run is not a sync"
    assert not window.button(QWizard.WizardButton.NextButton).isEnabled()
    outbox = window.context.sync_job.store_path
    from wizard.sync.store import Store

    with Store.open(outbox) as store:
        assert not store.outbox_records("landed"), "nothing was sent to Intacct"
    assert not page.dry_run.isChecked(), "the next press runs the sync itself"


def test_closing_during_the_sync_asks_first_then_stops_cleanly(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    window = wizard_window
    sandbox = Sandbox(records=30_000).start()
    window.context.demo_sandbox = sandbox  # a company big enough to still be syncing
    _open_demo_test(qtbot, window)
    next_page(qtbot, window, PageId.ENTITY)
    next_page(qtbot, window, PageId.MAPPINGS)
    next_page(qtbot, window, PageId.FIRST_SYNC)
    page = window.first_sync
    page.since.setDate(page.since.minimumDate())
    asked: list[bool] = []
    answer = {"stop": False}

    def confirm() -> bool:
        asked.append(True)
        return answer["stop"]

    window.confirm_stop = confirm
    with qtbot.waitSignal(page.bridge.progressed, timeout=WAIT_MS):
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert page.task is not None
    window.close()
    assert asked == [True] and window.isVisible(), "'No' keeps the wizard open"
    assert page.task is not None and not page.task.cancelled, "and the sync running"

    answer["stop"] = True
    window.close()
    assert len(asked) == 2 and not window.isVisible()
    assert window.workers.active == 0, "closing waited for the sync to stop at a safe point"
    assert window.context.demo_sandbox is None


def test_going_back_during_the_sync_stops_it_at_a_safe_point(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    window = wizard_window
    sandbox = Sandbox(records=30_000).start()
    window.context.demo_sandbox = sandbox
    _open_demo_test(qtbot, window)
    next_page(qtbot, window, PageId.ENTITY)
    next_page(qtbot, window, PageId.MAPPINGS)
    next_page(qtbot, window, PageId.FIRST_SYNC)
    page = window.first_sync
    page.since.setDate(page.since.minimumDate())
    with qtbot.waitSignal(page.bridge.progressed, timeout=WAIT_MS):
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(page.run_ended, timeout=WAIT_MS):
        qtbot.mouseClick(window.button(QWizard.WizardButton.BackButton), Qt.MouseButton.LeftButton)
    assert window.currentId() == int(PageId.MAPPINGS)
    assert page.task is None and window.context.sync_summaries == []
    assert "Stopped" in page.status.text()
