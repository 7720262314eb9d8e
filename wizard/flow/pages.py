"""The pages of the wizard, what each one needs before it can be shown, and what follows it.

This table is the whole navigation map. The Qt wizard's `nextId()` only calls `next_page()`.

Routes (chosen on Welcome):
- new:      Welcome → Prepare → Credentials → Test → [Entity] → Mappings → First sync → Done
            (Entity is skipped when the company has no entities to choose from); for a
            third-party integration (Expensify, BILL, ...) the Entity page is followed by the
            Trial run, the last page: the wizard's own mappings and sync are not theirs)
- demo:     Welcome → Test → [Entity] → Mappings → First sync → Done (nothing to prepare, the
            sandbox supplies the credentials)
- diagnose: Welcome → [Passwords] → Test → Findings → [Retry failed records] (Passwords only
            when the saved connection's passwords are not in a password store on this computer:
            typed there, they are kept for this session only)

Over the REST API (WizardData.method) the new and demo routes end at the connection test: the
entity, mappings, trial and first sync that follow it work over the XML gateway only.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from wizard.flow.data import Route, WizardData


class PageId(enum.IntEnum):
    """Stable page ids; the Qt wizard uses the same numbers for its page ids."""

    WELCOME = 0
    PREPARE = 1
    CREDENTIALS = 2
    TEST = 3
    ENTITY = 4
    MAPPINGS = 5
    FIRST_SYNC = 6
    DONE = 7
    FINDINGS = 8
    RETRY = 9
    TRIAL = 10
    PASSWORDS = 11


@dataclass(frozen=True)
class PageSpec:
    """One page: its title, the facts it needs (WizardData attribute names that must be true)
    and the rule that picks the page after it (None: this is the last page)."""

    page: PageId
    title: str
    needs: tuple[str, ...]
    follow: Callable[[WizardData], PageId | None]


def _after_welcome(data: WizardData) -> PageId:
    # With no route chosen yet, Prepare is next but cannot open (it needs a route).
    if data.route is Route.DIAGNOSE and data.passwords_needed:
        return PageId.PASSWORDS
    if data.route in (Route.DIAGNOSE, Route.DEMO):
        return PageId.TEST
    return PageId.PREPARE


def _after_test(data: WizardData) -> PageId | None:
    if data.route is Route.DIAGNOSE:
        return PageId.FINDINGS
    if data.over_rest:
        return None
    # A company without entities has nothing to choose: go straight to the mappings. Until the
    # test has run the Entity page stays on the plan, so "Step X of Y" does not jump.
    if data.entities or not data.tested:
        return PageId.ENTITY
    return _after_entity(data)


def _after_entity(data: WizardData) -> PageId:
    return PageId.MAPPINGS if data.own_sync else PageId.TRIAL


def _after_findings(data: WizardData) -> PageId | None:
    return PageId.RETRY if data.retry_requested else None


def _then(page: PageId | None) -> Callable[[WizardData], PageId | None]:
    return lambda _data: page


PAGES: Mapping[PageId, PageSpec] = {
    spec.page: spec
    for spec in (
        PageSpec(PageId.WELCOME, "Get started", (), _after_welcome),
        PageSpec(PageId.PREPARE, "Prepare Intacct", ("route",), _then(PageId.CREDENTIALS)),
        PageSpec(PageId.CREDENTIALS, "Sign-in details", ("route",), _then(PageId.TEST)),
        PageSpec(PageId.PASSWORDS, "Passwords", ("route", "profile"), _then(PageId.TEST)),
        PageSpec(PageId.TEST, "Test the connection", ("connection_ready",), _after_test),
        PageSpec(PageId.ENTITY, "Choose the entity", ("connection_ok",), _after_entity),
        PageSpec(
            PageId.MAPPINGS,
            "Data and mappings",
            ("connection_ok", "entity_decided"),
            _then(PageId.FIRST_SYNC),
        ),
        PageSpec(
            PageId.FIRST_SYNC,
            "First sync",
            ("connection_ok", "entity_decided", "flows"),
            _then(PageId.DONE),
        ),
        PageSpec(PageId.DONE, "Done", ("sync_finished",), _then(None)),
        PageSpec(PageId.FINDINGS, "Findings", ("tested",), _after_findings),
        PageSpec(PageId.RETRY, "Retry failed records", ("connection_ok",), _then(None)),
        PageSpec(PageId.TRIAL, "Trial run", ("connection_ok", "entity_decided"), _then(None)),
    )
}


def next_page(page: PageId, data: WizardData) -> PageId | None:
    """The page that follows `page` given `data`, or None when `page` is the last one."""
    return PAGES[page].follow(data)


def missing(page: PageId, data: WizardData) -> tuple[str, ...]:
    """The needs of `page` that `data` does not meet yet (empty: the page may be shown)."""
    return tuple(name for name in PAGES[page].needs if not getattr(data, name))


# Every page a route may show, optional ones included (Entity only when the company has
# entities, Retry only when asked for): the step counter counts these, so its total stays the
# same along a route (a skipped page skips its number instead of changing the total).
ROUTE_PAGES: Mapping[Route, tuple[PageId, ...]] = {
    Route.NEW: (
        PageId.WELCOME,
        PageId.PREPARE,
        PageId.CREDENTIALS,
        PageId.TEST,
        PageId.ENTITY,
        PageId.MAPPINGS,
        PageId.FIRST_SYNC,
        PageId.DONE,
    ),
    Route.DEMO: (
        PageId.WELCOME,
        PageId.TEST,
        PageId.ENTITY,
        PageId.MAPPINGS,
        PageId.FIRST_SYNC,
        PageId.DONE,
    ),
    Route.DIAGNOSE: (
        PageId.WELCOME,
        PageId.PASSWORDS,
        PageId.TEST,
        PageId.FINDINGS,
        PageId.RETRY,
    ),
}


def route_pages(data: WizardData) -> tuple[PageId, ...] | None:
    """Every page `data`'s route may show (None: no route chosen yet)."""
    if data.route is None:
        return None
    pages = ROUTE_PAGES[data.route]
    if data.over_rest and data.route is not Route.DIAGNOSE:
        return pages[: pages.index(PageId.TEST) + 1]
    return pages


def planned_pages(data: WizardData, start: PageId = PageId.WELCOME) -> tuple[PageId, ...]:
    """The pages of the route `data` is on, from `start` to the end, for "Step X of Y"."""
    pages = [start]
    following = next_page(start, data)
    while following is not None and following not in pages:
        pages.append(following)
        following = next_page(following, data)
    return tuple(pages)
