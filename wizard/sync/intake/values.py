"""One cell's text -> the value the outbox keeps, or what to change in it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from wizard.sync.intake.templates import ColumnType

_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


class BadValue(Exception):
    """The cell's text is not what its column takes; the message says what to change."""


def parse_date(text: str) -> str:
    """MM/DD/YYYY (as Intacct's import templates write dates) or YYYY-MM-DD -> YYYY-MM-DD."""
    us = _US_DATE.match(text)
    try:
        if us:
            month, day, year = (int(part) for part in us.groups())
            return dt.date(year, month, day).isoformat()
        if _ISO_DATE.match(text):
            return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        if not us or int(us.group(1)) <= 12:
            raise BadValue(
                f"{text!r} is not a day of the calendar; check the month and day."
            ) from None
    hint = ""
    parts = re.split(r"[./-]", text)
    if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
        first, second = int(parts[0]), int(parts[1])
        if first > 12 and second <= 12:
            hint = f" It looks like day/month/year: write {second:02d}/{first:02d}/{parts[2]}."
    raise BadValue(f"{text!r} is not a date: write MM/DD/YYYY (12/31/2026) or YYYY-MM-DD.{hint}")


def parse_amount(text: str) -> str:
    """A plain number with a dot for decimals -> its text (kept exact, never a float)."""
    candidate = text.replace(" ", "")
    if _PLAIN_NUMBER.match(candidate):
        return str(Decimal(candidate))
    if re.match(r"^-?[\d.,]+$", candidate) and "," in candidate:
        raise BadValue(
            f"{text!r} is not a number the wizard reads: write amounts with a dot for decimals "
            "and no thousands separators (1234.50)."
        )
    if re.match(r"^\(?-?[$€£]?[\d.,]+\)?$", candidate):
        raise BadValue(
            f"{text!r} is not a plain number: leave out currency signs and brackets, and write "
            "a minus for credits (-12.50). The currency goes in the CURRENCY column."
        )
    raise BadValue(f"{text!r} is not a number: write the amount as digits, e.g. 1234.50.")


def parse(text: str, kind: ColumnType) -> str:
    if kind is ColumnType.TEXT:
        return text
    if kind is ColumnType.DATE:
        return parse_date(text)
    return parse_amount(text)


def add_amounts(values: list[str]) -> Decimal:
    total = Decimal(0)
    for value in values:
        try:
            total += Decimal(value)
        except InvalidOperation:  # already checked; a bad one was reported on its row
            continue
    return total
