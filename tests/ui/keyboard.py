"""Driving the wizard from the keyboard, as an admin without a mouse would (shared by tests)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from wizard.flow import PageId
from wizard.ui.window import SetupWizard

ALT = Qt.KeyboardModifier.AltModifier
NONE = Qt.KeyboardModifier.NoModifier
WAIT_MS = 30_000


def press(
    qtbot: QtBot, window: SetupWizard, key: Qt.Key, modifier: Qt.KeyboardModifier = NONE
) -> None:
    """Press `key` in the focused widget (or the window)."""
    qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)


def next_page(qtbot: QtBot, window: SetupWizard, page: PageId) -> None:
    """Alt+N (Next) and wait until the wizard shows `page`."""
    with qtbot.waitSignal(window.currentIdChanged, timeout=WAIT_MS) as moved:
        press(qtbot, window, Qt.Key.Key_N, ALT)
    assert moved.args == [int(page)]
