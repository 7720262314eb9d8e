"""Python's cycle collector, run on the GUI thread only.

The automatic collector runs on whichever thread happens to allocate when a threshold is
passed. If a reference cycle holds a Qt object (a widget, a signal's receiver), it is then
destroyed on that thread; a check or sync worker destroying a widget crashes the whole program
(a segmentation fault, seen in the test suite). So while the wizard runs, the automatic
collector is off and the GUI thread collects on a timer, a generation at a time, whenever
Python's own allocation counts pass its own thresholds: the same collecting, on the one
thread where Qt objects may die.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 250


class GuiThreadCollector(QObject):
    """Collects cyclic garbage on the thread it lives on (create it on the GUI thread)."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()

    def collect(self) -> int:
        """Collect the oldest generation whose count passed its threshold (as the automatic
        collector would); how many objects were found unreachable."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if thresholds[generation] and counts[generation] > thresholds[generation]:
                return gc.collect(generation)
        return 0


_installed: GuiThreadCollector | None = None


def collect_on_gui_thread(app: QObject) -> GuiThreadCollector:
    """Switch the automatic collector off and collect on `app`'s thread instead (once)."""
    global _installed
    if _installed is None:
        _installed = GuiThreadCollector(app)
        _installed.start()
    return _installed
