"""A scroll area that fits its page to the window as a plain page would, or scrolls when asked
(Welcome scrolls only while the ticks of Other / not listed are shown)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea

UNLIMITED = 16_777_215  # Qt's QWIDGETSIZE_MAX: no maximum size


class FitScroll(QScrollArea):
    """Fits the page to the window as a plain page would (`fit`), or scrolls: only the ticks
    of Other / not listed make the page taller than the window."""

    def __init__(self) -> None:
        super().__init__()
        self.fit = True
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def set_fit(self, fit: bool) -> None:
        self.fit = fit
        self._apply()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply()

    def _apply(self) -> None:
        content = self.widget()
        if content is None:
            return
        if self.fit:
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            content.setMaximumHeight(max(1, self.viewport().height()))
        else:
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
            content.setMaximumHeight(UNLIMITED)
