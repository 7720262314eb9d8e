"""One date format, the system locale's (issue 12, item 9): every date the pages show, ours
and those in Intacct's messages, is written the way the computer's locale writes dates, and
no other date format appears. Driven against the demo company with a closed period, whose
messages carry dates, under two locales."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QAbstractButton, QDateEdit, QLabel, QListWidget, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.keyboard import ALT, WAIT_MS, next_page, press
from tests.ui.test_first_sync_checks import _last_month, _set_since, _to_first_sync
from wizard.connection import LastGoodRun
from wizard.flow import PageId
from wizard.ui import session_adapter
from wizard.ui.app import make_application
from wizard.ui.window import SetupWizard

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
# Anything a reader would take for a date, in any of the usual ways of writing one.
DATE_LIKE = re.compile(
    r"(?<![\w.:/-])(?:"
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"  # 2026-11-01, 2026/11/01
    r"|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"  # 11/01/2026, 01.11.2026, 1/11/26
    rf"|\d{{1,2}}\.? {_MONTH} \d{{4}}"  # 05 Sep 2026, 5. Sep 2026
    rf"|{_MONTH} \d{{1,2}},? \d{{4}}"  # Sep 5, 2026
    r")(?![\w:/-]|\.\d)"
)

# How each locale writes a day (what an admin there expects), and how to read it back.
LOCALES = {
    "en_US": (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), ("month", "day", "year")),
    "de_DE": (re.compile(r"(\d{2})\.(\d{2})\.(\d{4})"), ("day", "month", "year")),
}


@pytest.fixture(params=sorted(LOCALES))
def locale_window(request: pytest.FixtureRequest, qtbot: QtBot, qapp: object) -> Iterator[str]:
    name: str = request.param
    before = QLocale()
    QLocale.setDefault(QLocale(name))
    try:
        yield name
    finally:
        QLocale.setDefault(before)


def _open(qtbot: QtBot) -> SetupWizard:
    make_application()
    window = SetupWizard()
    window.context.ask = lambda _title, _question, _go_ahead: True
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def visible_text(page: QWidget) -> list[str]:
    """What the admin can read on `page`: labels, buttons, lists and date fields."""
    texts: list[str] = []
    for label in page.findChildren(QLabel):
        if label.isVisibleTo(page) and label.text():
            texts.append(label.text())
    for button in page.findChildren(QAbstractButton):
        if button.isVisibleTo(page):
            texts.append(button.text())
    for listing in page.findChildren(QListWidget):
        if listing.isVisibleTo(page):
            texts += [listing.item(i).text() for i in range(listing.count())]
    for edit in page.findChildren(QDateEdit):
        if edit.isVisibleTo(page):
            texts.append(edit.text())
    return texts


def dates_shown(texts: list[str], locale: str) -> list[dt.date]:
    """Every date in `texts`, each required to be written as `locale` writes dates."""
    pattern, order = LOCALES[locale]
    days = []
    for text in texts:
        for found in DATE_LIKE.finditer(text):
            written = found.group(0)
            match = pattern.fullmatch(written)
            assert match, f"{written!r} is not how {locale} writes a date, in: {text!r}"
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            days.append(dt.date(parts["year"], parts["month"], parts["day"]))
    return days


def test_every_date_on_the_first_sync_and_done_pages_follows_the_system_locale(
    qtbot: QtBot, locale_window: str
) -> None:
    window = _open(qtbot)
    page = _to_first_sync(qtbot, window, "period-closed")
    since = _last_month()
    _set_since(page, since)
    page.start_button.setFocus()
    with qtbot.waitSignal(page.choices_checked, timeout=WAIT_MS) as checked:
        press(qtbot, window, Qt.Key.Key_Space)
    assert checked.args == [False], "the test posting in the closed period failed"
    shown = dates_shown(visible_text(page), locale_window)
    assert since in shown, "the From field and the failed test posting show the day"
    first_open = dt.datetime.now(dt.UTC).date().replace(day=1)
    assert first_open in shown, "Intacct's own message (month first) is shown the local way"

    with qtbot.waitSignal(page.run_ended, timeout=60_000):
        press(qtbot, window, Qt.Key.Key_A, ALT)  # "Sync &anyway"
    shown = dates_shown(visible_text(page), locale_window)
    assert first_open in shown, "the refused records say from which day the period is open"

    next_page(qtbot, window, PageId.DONE)
    dates_shown(visible_text(window.done_page), locale_window)
    window.shutdown()


def test_the_last_clean_sync_on_the_findings_page_follows_the_system_locale(
    qtbot: QtBot, locale_window: str
) -> None:
    window = _open(qtbot)
    finished = dt.datetime(2026, 11, 23, 12, 6, tzinfo=dt.UTC)
    past = session_adapter.History(None, LastGoodRun(finished, 205), (), 0)
    window.findings._show_history(past, ())
    texts = visible_text(window.findings)
    assert dates_shown(texts, locale_window) == [finished.astimezone().date()], texts
    assert "205 records" in " ".join(texts)
    window.shutdown()


def test_machine_dates_in_texts_from_below_are_rewritten_once_and_month_first_from_intacct(
    qapp: object,
) -> None:
    """ISO days (our layers) and the gateway's month-first days (Intacct's messages) become
    the locale's; a day just written is not read again (01/11/2026 is 1 November in London)."""
    from wizard.ui.dates import local_dates

    before = QLocale()
    QLocale.setDefault(QLocale("en_GB"))
    try:
        text = local_dates("dated 2026-11-01; the period for 10/05/2026; on or after 12/01/2026")
    finally:
        QLocale.setDefault(before)
    assert text == "dated 01/11/2026; the period for 05/10/2026; on or after 01/12/2026"
    assert local_dates("not a day: 2026-13-45, 99/99/2026, id 4254359e-d5f2") == (
        "not a day: 2026-13-45, 99/99/2026, id 4254359e-d5f2"
    )
