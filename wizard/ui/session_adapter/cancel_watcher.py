"""Bridges a page's cancel flag (polled) to a stop call on the work it started."""

from __future__ import annotations

import threading
from collections.abc import Callable


class CancelWatcher:
    """Polls the page's cancel flag and stops the runner starting new checks."""

    def __init__(self, cancelled: Callable[[], bool], stop: Callable[[], None]) -> None:
        self._done = threading.Event()

        def watch() -> None:
            while not self._done.wait(0.05):
                if cancelled():
                    stop()
                    return

        self._thread = threading.Thread(target=watch, name="check-cancel", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()
