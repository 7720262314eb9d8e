"""The first page fits the window while it can, and scrolls when it cannot: with the larger text
an admin may set for the whole computer, its lines were drawn over each other."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from wizard.ui.app import make_application
from wizard.ui.window import SetupWizard


def _in(widget: QWidget, within: QWidget) -> object:
    return widget.rect().translated(widget.mapTo(within, widget.rect().topLeft()))


def _overlap(a: QWidget, b: QWidget, within: QWidget) -> bool:
    return _in(a, within).intersects(_in(b, within))  # type: ignore[attr-defined]


def _styled_app() -> None:
    """The wizard's style on the test app, once the windows of earlier tests are gone: a new
    style polishes every widget still alive, and a half-closed window does not survive it."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    make_application()


def _first_page(qtbot: QtBot) -> SetupWizard:
    window = SetupWizard()
    qtbot.addWidget(window)
    window.resize(800, 600)
    window.show()
    qtbot.waitExposed(window)
    for _ in range(5):
        QApplication.processEvents()
    return window


@pytest.fixture
def larger_text(qapp: QApplication) -> Iterator[None]:
    """The computer's text 30 % larger, as the wizard starts (Windows' "Make text bigger")."""
    _styled_app()
    usual = qapp.font()
    larger = QFont(usual)
    larger.setPointSizeF(usual.pointSizeF() * 1.3)
    qapp.setFont(larger)
    yield
    qapp.setFont(usual)


def _choices_apart(window: SetupWizard) -> bool:
    welcome = window.welcome
    content = welcome.scroll.widget()
    pairs = (
        (welcome.new_choice, welcome.findChild(QLabel, "choiceNewHint")),
        (welcome.demo_choice, welcome.findChild(QLabel, "choiceDemoHint")),
    )
    return all(hint is not None and not _overlap(c, hint, content) for c, hint in pairs)


def test_the_first_page_fits_the_window_at_the_usual_text_size(
    qtbot: QtBot, qapp: QApplication
) -> None:
    _styled_app()
    window = _first_page(qtbot)
    policy = window.welcome.scroll.verticalScrollBarPolicy()
    assert policy == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert _choices_apart(window)
    window.shutdown()


def test_with_larger_text_the_first_page_scrolls_instead_of_drawing_lines_over_each_other(
    qtbot: QtBot, larger_text: None
) -> None:
    window = _first_page(qtbot)
    policy = window.welcome.scroll.verticalScrollBarPolicy()
    assert policy == Qt.ScrollBarPolicy.ScrollBarAsNeeded
    assert _choices_apart(window)
    window.shutdown()
