"""Fixtures for the Qt tests: a styled wizard on the offscreen platform, workers always joined."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from wizard.ui.app import make_application
from wizard.ui.window import SetupWizard
from wizard.ui.worker import join_all_workers


@pytest.fixture(autouse=True)
def _join_workers() -> Iterator[None]:
    """A thread left running when Qt objects die aborts the whole test run: join them all."""
    yield
    assert join_all_workers(timeout_ms=10_000), "a background task did not stop within 10 s"


@pytest.fixture
def wizard_window(qtbot: QtBot, qapp: object) -> Iterator[SetupWizard]:
    make_application()  # the wizard's names, Fusion, palette and style sheet on the test app
    window = SetupWizard()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # mnemonics (Alt+letter) need the active window
    yield window
    window.shutdown()
