"""Deterministic, on-demand generation of the demo company's AR transactions.

Record i of each object is a pure function of (seed, i): nothing is stored, pages are stable,
and 200,000 invoices cost no memory until they are read. Invoices are spread evenly over the
history window in RECORDNO order; a fixed share of them is paid (one ARPYMT each) and another
share has a credit note (one ARADJUSTMENT each).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

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


def invoice_number(prefix: str, index: int) -> str:
    return f"{prefix}{index + 1:07d}"


class Generator:
    def __init__(self, settings: GeneratorSettings) -> None:
        self.s = settings
        self.start = settings.as_of - timedelta(days=settings.history_days)
        self.span = settings.history_days * 86400
        self.customers = settings.customers
        self._escaped = [(esc(c.name), esc(c.entity_name)) for c in settings.customers]

    @property
    def payments(self) -> int:
        return (self.s.invoices * self.s.payment_percent) // 100

    @property
    def adjustments(self) -> int:
        return (self.s.invoices * self.s.adjustment_percent) // 100

    def _invoice_core(self, i: int) -> tuple[int, datetime, int, int]:
        h = _hash(self.s.seed, i)
        when = self.start + timedelta(seconds=(i * self.span) // max(self.s.invoices, 1) + h % 3600)
        cents = 5000 + (h >> 7) % 1_500_000
        return h, when, cents, h % len(self.customers)

    def invoice(self, i: int) -> Row:
        h, when, cents, c = self._invoice_core(i)
        customer = self.customers[c]
        name, entity_name = self._escaped[c]
        terms_days = int(customer.terms[1:]) if customer.terms[1:].isdigit() else 30
        due = when + timedelta(days=terms_days)
        amount = f"{cents // 100}.{cents % 100:02d}"
        paid = _every(self.s.payment_percent, i)
        modified = when + timedelta(seconds=h % 7200)
        number = invoice_number(self.s.invoice_prefix, i)
        return (
            str(i + 1),
            number,
            number,
            "Paid" if paid else "Posted",
            customer.id,
            name,
            when.strftime("%m/%d/%Y"),
            when.strftime("%m/%d/%Y"),
            due.strftime("%m/%d/%Y"),
            customer.terms,
            self.s.descriptions[h % len(self.s.descriptions)],
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
            modified.strftime("%m/%d/%Y %H:%M:%S"),
        )

    def payment(self, j: int) -> Row:
        i = _nth(self.s.payment_percent, j)
        h, when, cents, c = self._invoice_core(i)
        customer = self.customers[c]
        name, entity_name = self._escaped[c]
        received = min(when + timedelta(days=3 + h % 40), self.s.as_of - timedelta(days=1))
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
            received.strftime("%m/%d/%Y"),
            received.strftime("%m/%d/%Y"),
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
            (received + timedelta(seconds=h % 5000)).strftime("%m/%d/%Y %H:%M:%S"),
        )

    def adjustment(self, j: int) -> Row:
        i = _nth(self.s.adjustment_percent, j) if self.s.adjustment_percent else 0
        h, when, cents, c = self._invoice_core(i)
        customer = self.customers[c]
        name, entity_name = self._escaped[c]
        credit = max(cents // 10, 100)
        on = min(when + timedelta(days=1 + h % 20), self.s.as_of - timedelta(days=1))
        amount = f"-{credit // 100}.{credit % 100:02d}"
        return (
            str(j + 1),
            f"CN-{j + 1:07d}",
            "Posted",
            customer.id,
            name,
            on.strftime("%m/%d/%Y"),
            on.strftime("%m/%d/%Y"),
            "Credit for returned goods",
            customer.currency,
            customer.currency,
            amount,
            amount,
            invoice_number(self.s.invoice_prefix, i),
            "",
            customer.entity,
            entity_name,
            (on + timedelta(seconds=h % 5000)).strftime("%m/%d/%Y %H:%M:%S"),
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


def check_columns(columns: Sequence[str], row: Row, what: str) -> None:
    if len(columns) != len(row):
        raise AssertionError(f"{what}: generated {len(row)} values for {len(columns)} fields")
