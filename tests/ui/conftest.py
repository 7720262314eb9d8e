"""Fixtures for the Qt tests: a styled wizard on the offscreen platform, workers always joined."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from wizard.ui.app import make_application
from wizard.ui.gui_thread_gc import collect_on_gui_thread
from wizard.ui.window import SetupWizard
from wizard.ui.worker import join_all_workers


@pytest.fixture(scope="session", autouse=True)
def _collect_on_the_gui_thread(qapp: object) -> None:
    """As the wizard runs: cyclic garbage is collected on the GUI thread only, never by a
    worker that happens to allocate (a widget destroyed there crashes the run)."""
    collect_on_gui_thread(qapp)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _join_workers(qtbot: QtBot) -> Iterator[None]:
    """A thread left running when Qt objects die aborts the whole test run: join them all.
    It asks for `qtbot`, so it ends first: the threads are joined while every widget of the
    test still exists, before qtbot closes and deletes them."""
    yield
    assert join_all_workers(timeout_ms=10_000), "a background task did not stop within 10 s"


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages that reach the connection test with a typed company would call Intacct itself:
    in tests every name but the loopback fails at once, as on a machine without network."""
    real = socket.getaddrinfo

    def loopback_only(host: object, *args: object, **kwargs: object) -> object:
        if host not in ("127.0.0.1", "localhost", "::1", None):
            raise socket.gaierror(socket.EAI_NONAME, f"tests reach only 127.0.0.1, not {host}")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)


@pytest.fixture(autouse=True)
def _questions_answered_yes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A window a test made itself is closed by qtbot at teardown: a modal question there would
    hang the run. Every window answers yes unless the test sets `context.ask` itself."""
    monkeypatch.setattr(SetupWizard, "_ask", lambda _self, _title, _question, _yes: True)


@pytest.fixture
def wizard_window(qtbot: QtBot, qapp: object) -> Iterator[SetupWizard]:
    make_application()  # the wizard's names, Fusion, palette and style sheet on the test app
    window = SetupWizard()
    # Questions ("Ignore these records?", "Close the wizard?") are answered yes without a
    # modal dialog; a test that checks the asking puts its own answer here.
    window.context.ask = lambda _title, _question, _go_ahead: True
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # mnemonics (Alt+letter) need the active window
    yield window
    window.shutdown()
