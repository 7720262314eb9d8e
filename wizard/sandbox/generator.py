"""Deterministic, on-demand generation of the demo company's AR transactions.

Record i of each object is a pure function of (seed, i): nothing is stored, pages are stable,
and 200,000 invoices cost no memory until they are read. Invoices are spread evenly over the
history window in RECORDNO order; a fixed share of them is paid (one ARPYMT each) and another
share has a credit note (one ARADJUSTMENT each).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache

from wizard.sandbox.objects import Row, esc

_MIX = 0x9E3779B1


@dataclass(frozen=True)
class CustomerRef:
    id: str
    name: str
    entity: str
    entity_name: str
    currency: str
    terms: str


@dataclass(frozen=True)
class GeneratorSettings:
    seed: int
    invoices: int
    history_days: int
    payment_percent: int
    adjustment_percent: int
    as_of: datetime
    invoice_prefix: str
    descriptions: tuple[str, ...]
    customers: tuple[CustomerRef, ...]
    undeposited_account: str
    bank_by_entity: dict[str, str]


@cache
def _clock_table() -> list[str]:
    """'HH:MM:SS' for every second of a day (shared by every generator)."""
    return [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]


def _hash(seed: int, index: int) -> int:
    x = (index * _MIX + seed) & 0xFFFFFFFF
    x ^= x >> 15
    x = (x * 0x2C1B3C6D) & 0xFFFFFFFF
    x ^= x >> 12
    return x


def _every(percent: int, index: int) -> bool:
    """True for exactly floor(n * percent / 100) of the first n indexes, evenly spread."""
    return (index * percent) // 100 != ((index + 1) * percent) // 100


def _nth(percent: int, j: int) -> int:
    """The index of the j-th (0-based) index for which `_every(percent, index)` is true."""
    return -(-((j + 1) * 100) // percent) - 1


# Invoice indexes searched for a sample of each customer's invoice.
_SAMPLE_RANGE = 10_000


def invoice_number(prefix: str, index: int) -> str:
    return f"{prefix}{index + 1:07d}"


class Generator:
    """Records are built from integer seconds since the start of the history and lookup tables
    of precomputed date and clock strings: strftime per field would be the bottleneck."""

    def __init__(self, settings: GeneratorSettings) -> None:
        self.s = settings
        self.start = settings.as_of - timedelta(days=settings.history_days)
        self.span = settings.history_days * 86400
        self.customers = settings.customers
        self._escaped = [(esc(c.name), esc(c.entity_name)) for c in settings.customers]
        self._terms = [
            int(c.terms[1:]) if c.terms[1:].isdigit() else 30 for c in settings.customers
        ]
        days = settings.history_days + 400
        self._days = [(self.start + timedelta(days=d)).strftime("%m/%d/%Y") for d in range(days)]
        self._clock = _clock_table()
        self._last_day = settings.history_days - 1

    @property
    def payments(self) -> int:
        return (self.s.invoices * self.s.payment_percent) // 100

    @property
    def adjustments(self) -> int:
        return (self.s.invoices * self.s.adjustment_percent) // 100

    def _invoice_core(self, i: int) -> tuple[int, int, int, int]:
        """(hash, seconds since the history start, amount in cents, customer index)."""
        h = _hash(self.s.seed, i)
        seconds = (i * self.span) // max(self.s.invoices, 1) + h % 3600
        cents = 5000 + (h >> 7) % 1_500_000
        return h, seconds, cents, h % len(self.customers)

    def _stamp(self, seconds: int) -> str:
        day, clock = divmod(seconds, 86400)
        return f"{self._days[day]} {self._clock[clock]}"

    def invoice(self, i: int) -> Row:
        # The hot path of every invoice pull: _invoice_core and _hash inlined.
        s = self.s
        x = (i * _MIX + s.seed) & 0xFFFFFFFF
        x ^= x >> 15
        x = (x * 0x2C1B3C6D) & 0xFFFFFFFF
        h = x ^ (x >> 12)
        seconds = (i * self.span) // (s.invoices or 1) + h % 3600
        cents = 5000 + (h >> 7) % 1_500_000
        c = h % len(self.customers)
        customer = self.customers[c]
        name, entity_name = self._escaped[c]
        day = seconds // 86400
        created = self._days[day]
        amount = f"{cents // 100}.{cents % 100:02d}"
        percent = s.payment_percent
        paid = (i * percent) // 100 != ((i + 1) * percent) // 100
        number = f"{s.invoice_prefix}{i + 1:07d}"
        modified = seconds + h % 7200
        return (
            str(i + 1),
            number,
            number,
            "Paid" if paid else "Posted",
            customer.id,
            name,
            created,
            created,
            self._days[day + self._terms[c]],
            customer.terms,
            s.descriptions[h % len(s.descriptions)],
            customer.currency,
            customer.currency,
            amount,
            amount if paid else "0.00",
            "0.00" if paid else amount,
            amount,
            "",
            customer.entity,
            entity_name,
            "4.AR",
            "",
            f"{self._days[modified // 86400]} {self._clock[modified % 86400]}",
        )

    # Positions of the invoice fields that depend only on the customer (or never change).
    _INVOICE_FIXED = (4, 5, 9, 11, 12, 17, 18, 19, 20, 21)

    def invoice_renderer(self, template: str) -> Callable[[int], str]:
        """A function i -> invoice i rendered with `template` (every field, in order).

        The customer's fields are baked into one template per customer, so a page formats
        13 values per record instead of 23 (the readByQuery fields=* fast path).
        """
        per_customer = []
        # Only the customer's fields of the sample are used; its index may lie beyond a small
        # company's invoices, so the sample comes from a history long enough to hold it.
        samples = (
            self
            if self.s.invoices >= _SAMPLE_RANGE
            else Generator(replace(self.s, invoices=_SAMPLE_RANGE))
        )
        for c in range(len(self.customers)):
            first = next(i for i in range(_SAMPLE_RANGE) if self._customer_of(i) == c)
            sample = samples.invoice(first)
            values = tuple(
                sample[k].replace("%", "%%") if k in self._INVOICE_FIXED else "%s"
                for k in range(len(sample))
            )
            per_customer.append(template % values)
        days, clock, terms = self._days, self._clock, self._terms
        s = self.s
        span, count, percent = self.span, s.invoices or 1, s.payment_percent
        prefix, descriptions, n_customers = s.invoice_prefix, s.descriptions, len(per_customer)

        def render(i: int) -> str:
            x = (i * _MIX + s.seed) & 0xFFFFFFFF
            x ^= x >> 15
            x = (x * 0x2C1B3C6D) & 0xFFFFFFFF
            h = x ^ (x >> 12)
            seconds = (i * span) // count + h % 3600
            cents = 5000 + (h >> 7) % 1_500_000
            c = h % n_customers
            day = seconds // 86400
            created = days[day]
            amount = f"{cents // 100}.{cents % 100:02d}"
            paid = (i * percent) // 100 != ((i + 1) * percent) // 100
            number = f"{prefix}{i + 1:07d}"
            modified = seconds + h % 7200
            return per_customer[c] % (
                i + 1,
                number,
                number,
                "Paid" if paid else "Posted",
                created,
                created,
                days[day + terms[c]],
                descriptions[h % len(descriptions)],
                amount,
                amount if paid else "0.00",
                "0.00" if paid else amount,
                amount,
                f"{days[modified // 86400]} {clock[modified % 86400]}",
            )

        return render

    def invoice_columns(self) -> dict[int, Callable[[int], str]]:
        """Cheap single-field functions (column index -> i -> value) for query scans, so a
        filter on WHENMODIFIED or CUSTOMERID need not build whole 23-field rows."""
        s = self.s
        span, count, percent = self.span, s.invoices or 1, s.payment_percent
        days, clock, customers = self._days, self._clock, self.customers
        seed, n = s.seed, len(self.customers)

        def mixed(i: int) -> int:
            x = (i * _MIX + seed) & 0xFFFFFFFF
            x ^= x >> 15
            x = (x * 0x2C1B3C6D) & 0xFFFFFFFF
            return x ^ (x >> 12)

        def modified(i: int) -> str:
            h = mixed(i)
            at = (i * span) // count + h % 3600 + h % 7200
            return f"{days[at // 86400]} {clock[at % 86400]}"

        def created(i: int) -> str:
            h = mixed(i)
            return days[((i * span) // count + h % 3600) // 86400]

        def state(i: int) -> str:
            return "Paid" if (i * percent) // 100 != ((i + 1) * percent) // 100 else "Posted"

        def number(i: int) -> str:
            return f"{s.invoice_prefix}{i + 1:07d}"

        return {
            0: lambda i: str(i + 1),
            1: number,
            2: number,
            3: state,
            4: lambda i: customers[mixed(i) % n].id,
            6: created,
            7: created,
            11: lambda i: customers[mixed(i) % n].currency,
            18: lambda i: customers[mixed(i) % n].entity,
            22: modified,
        }

    def _customer_of(self, i: int) -> int:
        return _hash(self.s.seed, i) % len(self.customers)

    def payment(self, j: int) -> Row:
        i = _nth(self.s.payment_percent, j)
        h, seconds, cents, c = self._invoice_core(i)
        customer = self.customers[c]
        name, entity_name = self._escaped[c]
        day = min(seconds // 86400 + 3 + h % 40, self._last_day)
        received = self._days[day]
        amount = f"{cents // 100}.{cents % 100:02d}"
        bank = self.s.bank_by_entity.get(customer.entity, "")
        method = ("Printed Check", "EFT", "Credit Card", "Cash")[(h >> 3) % 4]
        return (
            str(j + 1),
            f"PAY-{j + 1:07d}",
            "Complete",
            customer.id,
            name,
            method,
            received,
            received,
            customer.currency,
            customer.currency,
            amount,
            amount,
            bank,
            "" if bank else self.s.undeposited_account,
            "",
            str(i + 1),
            customer.entity,
            entity_name,
            self._stamp(day * 86400 + 36000 + h % 5000),
        )

    def adjustment(self, j: int) -> Row:
        i = _nth(self.s.adjustment_percent, j) if self.s.adjustment_percent else 0
        h, seconds, cents, c = self._invoice_core(i)
        customer = self.customers[c]
        name, entity_name = self._escaped[c]
        credit = max(cents // 10, 100)
        day = min(seconds // 86400 + 1 + h % 20, self._last_day)
        on = self._days[day]
        amount = f"-{credit // 100}.{credit % 100:02d}"
        return (
            str(j + 1),
            f"CN-{j + 1:07d}",
            "Posted",
            customer.id,
            name,
            on,
            on,
            "Credit for returned goods",
            customer.currency,
            customer.currency,
            amount,
            amount,
            invoice_number(self.s.invoice_prefix, i),
            "",
            customer.entity,
            entity_name,
            self._stamp(day * 86400 + 39600 + h % 5000),
        )

    def locate_invoice(self, number: str) -> int | None:
        prefix = self.s.invoice_prefix
        tail = number[len(prefix) :]
        if number.startswith(prefix) and len(tail) == 7 and tail.isdigit():
            index = int(tail) - 1
            if 0 <= index < self.s.invoices:
                return index
        return None


def prefixed_locator(prefix: str, count: int) -> Callable[[str], int | None]:
    def locate(value: str) -> int | None:
        tail = value[len(prefix) :]
        if value.startswith(prefix) and len(tail) == 7 and tail.isdigit():
            index = int(tail) - 1
            return index if 0 <= index < count else None
        return None

    return locate
