"""Cyclic garbage made on a worker thread is collected on the GUI thread (gui_thread_gc.py)."""

from __future__ import annotations

import gc
import threading
import weakref

from pytestqt.qtbot import QtBot

from wizard.ui.gui_thread_gc import collect_on_gui_thread


class _Node:
    partner: _Node


def test_garbage_a_worker_makes_is_collected_on_the_gui_thread(qtbot: QtBot, qapp: object) -> None:
    collect_on_gui_thread(qapp)  # type: ignore[arg-type]
    assert not gc.isenabled(), "the automatic collector would run on any thread"
    died_on: list[str] = []

    def note_thread() -> None:
        died_on.append(threading.current_thread().name)

    def make_cycles() -> None:  # enough allocations to pass the collector's thresholds
        for _ in range(5000):
            a, b = _Node(), _Node()
            a.partner, b.partner = b, a
            weakref.finalize(a, note_thread)

    worker = threading.Thread(target=make_cycles, name="check-worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(died_on), timeout=5000)
    gc.collect()  # the rest, on this (the GUI) thread too
    assert len(died_on) == 5000
    assert set(died_on) == {threading.main_thread().name}
