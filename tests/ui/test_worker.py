"""Background work: results and errors arrive on the GUI thread; cancel and join really stop it."""

from __future__ import annotations

import gc
import threading
import time

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from wizard.sync.progress import Phase, Progress
from wizard.ui.sync_view import ProgressBridge
from wizard.ui.worker import CancelFlag, Workers


@pytest.fixture
def workers(qapp: QApplication) -> Workers:
    return Workers()


def test_result_is_computed_off_and_delivered_on_the_gui_thread(
    qtbot: QtBot, workers: Workers
) -> None:
    gui_thread = QApplication.instance().thread()
    ran_on: list[bool] = []
    delivered_on: list[bool] = []

    def op(_cancel: CancelFlag) -> int:
        ran_on.append(QThread.currentThread() is not gui_thread)
        return 42

    task = workers.run("answer", op)
    task.succeeded.connect(lambda _r: delivered_on.append(QThread.currentThread() is gui_thread))
    with qtbot.waitSignal(task.succeeded, timeout=5_000) as blocker:
        pass
    assert blocker.args == [42]
    assert ran_on == [True], "the work ran on a pool thread"
    assert delivered_on == [True], "the result arrived on the GUI thread"


def test_error_is_delivered_as_failed_not_raised(qtbot: QtBot, workers: Workers) -> None:
    def op(_cancel: CancelFlag) -> None:
        raise ValueError("the company ID is unknown")

    task = workers.run("fails", op)
    with qtbot.assertNotEmitted(task.succeeded), qtbot.waitSignal(task.failed) as blocker:
        pass
    (error,) = blocker.args
    assert isinstance(error, ValueError) and "company ID" in str(error)


def test_cancelled_task_delivers_nothing_and_join_waits_for_it(
    qtbot: QtBot, workers: Workers
) -> None:
    started = threading.Event()
    stopped_by_flag: list[bool] = []

    def op(cancel: CancelFlag) -> str:
        started.set()
        while not cancel.is_set:  # a long job that checks the flag between steps
            started.wait(0.01)
        stopped_by_flag.append(True)
        return "late"

    task = workers.run("long", op)
    assert started.wait(5)
    assert workers.active == 1
    with qtbot.assertNotEmitted(task.succeeded), qtbot.waitSignal(task.finished):
        assert workers.join(timeout_ms=5_000), "join returns once the thread has ended"
    assert stopped_by_flag == [True]
    assert task.cancelled and workers.active == 0


def test_closing_the_wizard_stops_its_background_work(qtbot: QtBot, qapp: QApplication) -> None:
    from wizard.ui.window import SetupWizard

    window = SetupWizard()
    qtbot.addWidget(window)
    window.show()
    release = threading.Event()

    def op(cancel: CancelFlag) -> None:
        while not cancel.is_set:
            release.wait(0.01)

    window.workers.run("slow", op)
    window.close()
    assert window.workers.active == 0, "no thread outlives the window"


def _progress(n: int) -> Progress:
    """A new object every time, so the bridge's 100 ms throttle lets each one through."""
    return Progress(Phase.PULL, f"OBJECT{n % 3}", n, None, n, 1.0, 0)


def test_waiting_on_worker_progress_again_and_again_cannot_crash(
    qtbot: QtBot, qapp: object
) -> None:
    """The crash seen under load: `waitSignal` on progress that a worker thread reports
    disconnects its receiver after the first one and is freed, while more progress is still
    queued. Delivered through a queued call, that stale progress reached the freed receiver
    (segmentation fault, about one run in eight of the journey test under load). The bridge
    re-emits on the GUI thread, so nothing is queued to the receiver at all."""
    bridge = ProgressBridge()
    stop = threading.Event()

    def report() -> None:
        n = 0
        while not stop.is_set():
            bridge(_progress(n))
            n += 1
            time.sleep(0.0005)

    worker = threading.Thread(target=report)
    worker.start()
    try:
        for _ in range(120):
            with qtbot.waitSignal(bridge.progressed, timeout=5_000):
                pass
            gc.collect()  # free the finished blocker now, as a busy test run would
            qtbot.wait(1)
    finally:
        stop.set()
        worker.join()
