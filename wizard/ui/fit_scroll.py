"""A scroll area that fits its page to the window as a plain page would, or scrolls when asked
(Welcome scrolls while the ticks of Other / not listed are shown) or when the page does not fit
(a short window, or the larger text size an admin set for the whole computer)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

UNLIMITED = 16_777_215  # Qt's QWIDGETSIZE_MAX: no maximum size


class FitScroll(QScrollArea):
    """Fits the page to the window as a plain page would (`fit`), or scrolls: when the ticks
    of Other / not listed make the page taller than the window, or its words need more room
    than the window has (squeezed further, wrapped lines would be drawn over each other)."""

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
        if self.fit and self._fits(content):
            policy, height = Qt.ScrollBarPolicy.ScrollBarAlwaysOff, max(1, self.viewport().height())
        else:
            policy, height = Qt.ScrollBarPolicy.ScrollBarAsNeeded, UNLIMITED
        # Only what changed: each setting asks for another layout.
        if self.verticalScrollBarPolicy() != policy:
            self.setVerticalScrollBarPolicy(policy)
        if content.maximumHeight() != height:
            content.setMaximumHeight(height)

    def _fits(self, content: QWidget) -> bool:
        """The page's words and controls fit the window's height at its width."""
        layout = content.layout()
        width = self.viewport().width()
        if layout is not None and layout.hasHeightForWidth():
            needed = layout.totalMinimumHeightForWidth(width)
        else:
            needed = content.minimumSizeHint().height()
        return needed <= self.viewport().height()
