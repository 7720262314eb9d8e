"""One way to run work off the GUI thread (in the spirit of Anki's QueryOp).

    task = workers.run(lambda cancel: adapter.save(...))
    task.succeeded.connect(on_saved); task.failed.connect(on_error)

`op` runs on a QThreadPool thread and receives a `CancelFlag` to poll. Its result or exception
arrives on the GUI thread through `succeeded` / `failed` (never both, never after `cancel()`);
`finished` follows either way. Never touch a widget inside `op`. `Workers.join()` cancels and
waits for every task; the wizard calls it on close, and the test fixtures at teardown, so no
thread outlives its window (a running thread at exit aborts the process).

A worker thread tells the GUI something only through a `WorkerBridge` (or a task's result).
Whatever the worker emits goes to exactly one slot of the bridge itself, queued to the GUI
thread, and the bridge's public signal is emitted there. So a receiver that is a plain
function, a lambda or a method of a non-Qt object (pytest-qt's `waitSignal` is one) is always
called directly on the GUI thread, never through a queued call: PySide6 6.12 still delivers a
queued call to such a receiver after it was disconnected, and if the receiver was freed in
between the process dies with a segmentation fault (seen in the test run under load).
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from wizard.ui.qt_compat import emit

log = logging.getLogger(__name__)


class CancelFlag:
    """Set by the GUI when the admin cancels or closes; the work checks it between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    @property
    def is_set(self) -> bool:
        return self._event.is_set()


class WorkerBridge(QObject):
    """Carries values from any thread to the GUI thread: a worker calls `post(value)`, and
    `arrived(value)` runs on the GUI thread, in the order posted. Subclasses emit their public
    signal from `arrived`; connect receivers to that signal, never to `_posted`."""

    # The only signal emitted off the GUI thread; its one receiver is the bridge's own slot.
    _posted = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._posted.connect(self._on_gui_thread, Qt.ConnectionType.QueuedConnection)

    def post(self, value: object) -> None:  # any thread
        emit(self._posted, value)

    @Slot(object)
    def _on_gui_thread(self, value: object) -> None:
        self.arrived(value)

    def arrived(self, value: object) -> None:  # on the GUI thread
        raise NotImplementedError


class Task(QObject):
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    finished = Signal()
    # Emitted from the pool thread; queued to `_deliver`, which lives on the GUI thread.
    _done = Signal(object, object)

    def __init__(self, name: str, op: Callable[[CancelFlag], Any], parent: QObject | None) -> None:
        super().__init__(parent)
        self.name = name
        self.cancel_flag = CancelFlag()
        self._op = op
        self._done.connect(self._deliver)
        self.running = True

    def cancel(self) -> None:
        self.cancel_flag.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_flag.is_set

    def _run(self) -> None:  # on the pool thread
        try:
            result = self._op(self.cancel_flag)
        except Exception as exc:
            emit(self._done, None, exc)
        else:
            emit(self._done, result, None)

    @Slot(object, object)
    def _deliver(self, result: object, error: object) -> None:  # on the GUI thread
        self.running = False
        if self.cancelled:
            log.info("background task %s: cancelled", self.name)
        elif error is not None:
            log.warning("background task %s failed: %s", self.name, error)
            emit(self.failed, error)
        else:
            emit(self.succeeded, result)
        emit(self.finished)


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self._task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        self._task._run()


_all_pools: weakref.WeakSet[Workers] = weakref.WeakSet()


class Workers(QObject):
    """The wizard's pool of background threads and the tasks running on it."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._tasks: set[Task] = set()
        _all_pools.add(self)

    def run(self, name: str, op: Callable[[CancelFlag], Any]) -> Task:
        task = Task(name, op, self)
        self._tasks.add(task)
        task.finished.connect(lambda: self._forget(task))
        self._pool.start(_Runnable(task))
        return task

    def _forget(self, task: Task) -> None:
        self._tasks.discard(task)
        task.deleteLater()

    @property
    def active(self) -> int:
        return self._pool.activeThreadCount()

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def join(self, timeout_ms: int = 10_000) -> bool:
        """Cancel every task and wait for the threads; True when all of them ended."""
        self.cancel_all()
        return bool(self._pool.waitForDone(timeout_ms))


def join_all_workers(timeout_ms: int = 10_000) -> bool:
    """Join every pool that still exists (test teardown and the app's exit path)."""
    # A pool whose C++ side is gone already waited for its threads (~QThreadPool does).
    live = [workers for workers in list(_all_pools) if shiboken6.isValid(workers)]
    return all([workers.join(timeout_ms) for workers in live])
