"""A heartbeat on the GUI thread: measures the longest gap between ticks of a fast timer, i.e.
the longest time the event loop could not answer the admin (tests and bench_ui.py use it)."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer


class Heartbeat(QObject):
    def __init__(self, interval_ms: int = 10, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self.worst_at = 0.0
        self.worst_gap_ms = 0.0
        self.ticks = 0

    def start(self) -> None:
        self._last = time.perf_counter()
        self.worst_gap_ms = 0.0
        self.worst_at = self._last  # perf_counter() when the longest gap began
        self.ticks = 0
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = (now - self._last) * 1000.0
        if gap > self.worst_gap_ms:
            self.worst_gap_ms, self.worst_at = gap, self._last
        self._last = now
        self.ticks += 1

    @property
    def worst_stall_ms(self) -> float:
        """The longest gap beyond the timer's own interval."""
        return max(0.0, self.worst_gap_ms - self.interval_ms)
