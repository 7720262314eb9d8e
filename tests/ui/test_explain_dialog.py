"""The first page's "Explain an error message" window: a pasted error gets its fix in the GUI,
by keyboard alone, with the runner-up when two causes fit and the vendor's own codes read as
that vendor means them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QPlainTextEdit,
)
from pytestqt.qtbot import QtBot

from wizard.ui.explain_dialog import ExplainDialog
from wizard.ui.window import SetupWizard

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def _shown_text(dialog: ExplainDialog) -> str:
    assert dialog.panel is not None
    return " ".join(label.text() for label in dialog.panel.findChildren(QLabel))


def _open(qtbot: QtBot, window: SetupWizard) -> ExplainDialog:
    qtbot.keyClick(window, Qt.Key.Key_X, ALT)  # "E&xplain an error message…"
    qtbot.waitUntil(lambda: window.welcome.explain_dialog is not None)
    dialog = window.welcome.explain_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_keyboard_alone_explains_a_wrapped_error_with_steps_for_this_window(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    dialog = _open(qtbot, wizard_window)
    qtbot.waitUntil(dialog.pasted.hasFocus)
    qtbot.keyClicks(
        dialog.pasted,
        "Export failed: BL01001973 Could not create Bill record! The period for 01/31/2026 is "
        "closed",
    )
    qtbot.keyClick(dialog.pasted, Qt.Key.Key_Return, CTRL)
    assert dialog.panel is not None and dialog.panel.fix.id == "period-closed"
    shown = _shown_text(dialog)
    assert "{" not in shown
    assert "choose Diagnose an existing connection" in shown  # {check-again}, in this window
    assert "Check again" not in shown  # this window has no such button


def test_two_causes_that_fit_show_the_runner_up_worded_for_this_window(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    dialog = _open(qtbot, wizard_window)
    dialog.pasted.setPlainText("The GL account is restricted or the period is closed")
    qtbot.mouseClick(dialog.explain_button, Qt.MouseButton.LeftButton)
    assert dialog.panel is not None
    assert [label.objectName() for label in dialog.panel.alternatives] == [
        "fixAlternative_period-closed"
    ]
    assert "{" not in _shown_text(dialog)
    assert "another that fits almost as well" in dialog.status.text()


def test_the_integration_picked_on_the_first_page_reads_its_own_codes(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    wizard_window.welcome.picker.choose("expensify")
    dialog = _open(qtbot, wizard_window)
    assert dialog.integration_id() == "expensify"
    dialog.pasted.setPlainText("INT068")
    dialog.explain()
    assert dialog.panel is not None
    assert dialog.panel.fix.id == "liability-account-entity-level"
    # Under another vendor INT068 is not Expensify's: the generic answer, said as such.
    dialog.integration.setCurrentIndex(dialog.integration.findData("bill"))
    dialog.explain()
    assert dialog.panel.fix.id == "unrecognised-error"
    assert "does not know this error yet" in dialog.status.text()


def test_nothing_pasted_says_what_to_do_and_shows_no_fix(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    dialog = _open(qtbot, wizard_window)
    dialog.pasted.setPlainText("   \n ")
    dialog.explain()
    assert dialog.panel is None
    assert "Paste the error message first" in dialog.status.text()
    assert dialog.status.isVisible()


def test_a_pasted_session_id_or_password_is_never_shown_back(qtbot: QtBot) -> None:
    dialog = ExplainDialog("expensify")
    qtbot.addWidget(dialog)
    dialog.pasted.setPlainText(
        "<sessionid>Zq9sEssIoNsEcReT42</sessionid> password=Hunter-Pass-77 "
        "Flux capacitor misaligned in bucket 9"
    )
    dialog.explain()
    assert dialog.panel is not None and dialog.panel.fix.id == "unrecognised-error"
    shown = _shown_text(dialog) + " ".join(
        label.accessibleName() for label in dialog.panel.findChildren(QLabel)
    )
    assert "Flux capacitor" in shown  # what Intacct said is shown, for support
    assert "Zq9sEssIoNsEcReT42" not in shown and "Hunter-Pass-77" not in shown


def test_a_whole_log_is_read_only_up_to_the_limit_and_says_so(qtbot: QtBot) -> None:
    dialog = ExplainDialog(None)
    qtbot.addWidget(dialog)
    noise = "2026-01-01 12:00:00 INFO batch 17 of 40 done, 250 records, 0 errors\n" * 1_600
    dialog.pasted.setPlainText("getaddrinfo ENOTFOUND api.intacct.com\n" + noise)
    dialog.explain()
    assert dialog.panel is not None and dialog.panel.fix.id == "host-not-found"
    assert "Only the first 100,000 characters were read" in dialog.status.text()


def test_escape_closes_the_window_and_the_page_keeps_its_choice(
    qtbot: QtBot, wizard_window: SetupWizard
) -> None:
    dialog = _open(qtbot, wizard_window)
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert wizard_window.currentPage() is wizard_window.welcome


def test_every_control_of_the_window_has_an_accessible_name(qtbot: QtBot) -> None:
    dialog = ExplainDialog("bill")
    qtbot.addWidget(dialog)
    dialog.pasted.setPlainText("The GL account is restricted or the period is closed")
    dialog.explain()
    controls = (
        dialog.findChildren(QAbstractButton)
        + dialog.findChildren(QPlainTextEdit)
        + dialog.findChildren(QComboBox)
    )
    unnamed = [w.objectName() or type(w).__name__ for w in controls if not w.accessibleName()]
    assert not unnamed, unnamed
