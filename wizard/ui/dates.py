"""Dates as the admin reads them: one format, the system locale's (QLocale), everywhere in the
window.

The layers below Qt never format a date for people: they hand over `date`/`datetime` values, or
write dates in their texts (check evidence, Intacct's messages) in a machine form, ISO 8601
(2026-11-01) or the XML gateway's US form (11/01/2026). Those texts come through `local_dates`
(wizard/text_dates.py) on their way to the screen. The command line and the support report
write ISO 8601: a support person reads them in any country, and ISO cannot be misread.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, QLocale, QTime

from wizard.text_dates import rewrite_dates


def date_format(locale: QLocale | None = None) -> str:
    """The locale's short date format with the year in full ("M/d/yyyy", "dd.MM.yyyy"): a
    two-digit year is easy to misread in accounts."""
    locale = locale or QLocale()
    if locale.language() is QLocale.Language.C:  # no locale chosen (a bare server): ISO 8601
        return "yyyy-MM-dd"
    pattern = locale.dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in pattern:
        pattern = re.sub(r"(?<!y)yy(?!y)", "yyyy", pattern)
    return pattern


def show_date(day: dt.date) -> str:
    """A day in the system locale's format ("11/1/2026" in the US, "01.11.2026" in Germany)."""
    locale = QLocale()
    return locale.toString(QDate(day.year, day.month, day.day), date_format(locale))


def show_moment(moment: dt.datetime) -> str:
    """A moment in this computer's time zone: the day as `show_date`, then the time in the
    locale's short form ("11/1/2026 2:06 PM", "01.11.2026 14:06"). A moment without a time
    zone is taken as UTC, as the store and the profile keep them."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone()
    locale = QLocale()
    time = locale.toString(
        QTime(local.hour, local.minute), locale.timeFormat(QLocale.FormatType.ShortFormat)
    )
    return f"{show_date(local.date())} {time}"


def local_dates(text: str) -> str:
    """`text` from the layers below with its dates in the system locale's format. Apply it
    once, where such a text reaches a widget: a date it has written may read as month first."""
    return rewrite_dates(text, show_date, show_moment)
