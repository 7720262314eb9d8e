"""The state machine that walks the page map: the current page, its data, and the Back stack.

Like Electrum's wizard, every step forward pushes the page being left together with the data as
it stood when the admin left it; Back pops that entry, so the admin finds that page exactly as
they left it and everything decided on later pages is forgotten.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from wizard.flow.data import WizardData
from wizard.flow.pages import PAGES, PageId, missing, next_page, planned_pages, route_pages

log = logging.getLogger(__name__)


class FlowError(Exception):
    """A move the flow does not allow (the message says what is missing)."""


@dataclass(frozen=True)
class Step:
    """One entry on the Back stack: a page and the data as the admin left it."""

    page: PageId
    data: WizardData


class Flow:
    def __init__(self, data: WizardData | None = None, start: PageId = PageId.WELCOME) -> None:
        self._page = start
        self._data = data if data is not None else WizardData()
        self._history: list[Step] = []

    @property
    def page(self) -> PageId:
        return self._page

    @property
    def data(self) -> WizardData:
        return self._data

    @property
    def history(self) -> tuple[Step, ...]:
        return tuple(self._history)

    def peek(self, data: WizardData | None = None) -> PageId | None:
        """The page Next would lead to from the current page with `data` (default: current)."""
        return next_page(self._page, self._data if data is None else data)

    def blockers(self, data: WizardData | None = None) -> tuple[str, ...]:
        """What the next page needs that `data` lacks (empty: Next may go on)."""
        data = self._data if data is None else data
        target = next_page(self._page, data)
        return () if target is None else missing(target, data)

    def can_advance(self, data: WizardData | None = None) -> bool:
        data = self._data if data is None else data
        return self.peek(data) is not None and not self.blockers(data)

    def is_last(self, data: WizardData | None = None) -> bool:
        return self.peek(data) is None

    def update(self, data: WizardData) -> None:
        """Record what the current page found out (a test result, say) without moving."""
        self._data = data

    def advance(self, data: WizardData | None = None) -> PageId:
        """Leave the current page with `data` and go to the page that follows it."""
        data = self._data if data is None else data
        target = self.peek(data)
        if target is None:
            raise FlowError(f"{PAGES[self._page].title} is the last page; there is no next page.")
        lacking = missing(target, data)
        if lacking:
            raise FlowError(
                f"{PAGES[target].title} cannot open yet: it needs {', '.join(lacking)}."
            )
        self._history.append(Step(self._page, data))
        log.info("wizard: %s -> %s", self._page.name, target.name)
        self._page, self._data = target, data
        return target

    def back(self) -> PageId:
        """Return to the previous page, restoring the data as the admin left that page."""
        if not self._history:
            raise FlowError("This is the first page; there is nothing to go back to.")
        step = self._history.pop()
        log.info("wizard: back %s -> %s", self._page.name, step.page.name)
        self._page, self._data = step.page, step.data
        return step.page

    def position(self) -> tuple[int, int]:
        """(step number, number of steps) on the current route, for "Step 2 of 8"."""
        pages = route_pages(self._data)
        if pages is None or self._page not in pages:  # no route yet: count what is planned
            done = len(self._history)
            return done + 1, max(len(planned_pages(self._data)), done + 1)
        return pages.index(self._page) + 1, len(pages)
