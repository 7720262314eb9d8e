"""Dates in texts meant for people, where the layers below wrote them in a machine form: an
ISO 8601 day, optionally with its time (2026-11-01, 2026-11-01T10:06:00Z), or the XML
gateway's day, always month first (11/01/2026; reference/intacct-xml-api.md). The caller
writes them again its way: the window in the system locale's format (wizard/ui/dates.py), the
command line and the support report in ISO 8601, which a support person in any country reads
without a doubt."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

# In one pattern, so that a date just written is not read again.
_MACHINE_DATE = re.compile(
    r"(?<![\d/-])(?:"
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?P<time>[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?P<zone>Z|[+-]\d{2}:?\d{2})?)?"
    r"|(?P<us_month>\d{2})/(?P<us_day>\d{2})/(?P<us_year>\d{4})"
    r")(?![\d/-])"
)


def rewrite_dates(
    text: str,
    show_day: Callable[[dt.date], str],
    show_moment: Callable[[dt.datetime], str] | None = None,
) -> str:
    """`text` with each machine-written day written by `show_day`, and each moment by
    `show_moment` (a moment without a zone is UTC, as the store keeps them; None: moments stay
    as they are). Apply it once: a day it has written may read as month first."""

    def again(found: re.Match[str]) -> str:
        try:
            if found["us_year"]:
                return show_day(
                    dt.date(int(found["us_year"]), int(found["us_month"]), int(found["us_day"]))
                )
            if not found["time"]:
                return show_day(dt.date(int(found["year"]), int(found["month"]), int(found["day"])))
            if show_moment is None:
                return found.group(0)
            moment = dt.datetime.fromisoformat(found.group(0).replace("Z", "+00:00"))
        except ValueError:
            return found.group(0)
        return show_moment(moment if found["zone"] else moment.replace(tzinfo=dt.UTC))

    return _MACHINE_DATE.sub(again, text)


def iso_dates(text: str) -> str:
    """`text` with Intacct's month-first days in ISO 8601, like the days the program writes."""
    return rewrite_dates(text, dt.date.isoformat)
