"""The demo outbox: local records to push (customers, invoices with lines, credit notes,
payments, convenience-fee invoices, card accounts and charges).

The pattern comes from resources/sync/demo_outbox.toml.

    added = add_demo_outbox(store, invoices=40, tag="A")

Records are deterministic for the same arguments and day. `tag` goes into every local id and
document number, so several demo outboxes can be pushed to one sandbox without clashes.
`invoice_prefix` replaces the invoices' own number prefix (the invoice-number-exists scenario
refuses numbers in Intacct's own sequence, "INV-").
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from wizard.resources import resource_path
from wizard.sync.outbox import OutboxKind
from wizard.sync.store import Store

# The integration-side names the demo uses, and the Intacct fields the demo profile maps them to.
DEMO_CUSTOM_FIELDS = {"sync_ref": "SYNC_REF"}
DEMO_DIMENSIONS: dict[str, str] = {}


class DemoDataError(Exception):
    """demo_outbox.toml is wrong; the message says where."""


@functools.cache
def _settings(path: Path | None = None) -> Mapping[str, Any]:
    path = path or resource_path("sync", "demo_outbox.toml")
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise DemoDataError(f"{path}: cannot be read ({error}); restore the file.") from None
    for key in ("customers", "revenue_accounts", "bank_accounts", "line_descriptions"):
        if not isinstance(data.get(key), list) or not data[key]:
            raise DemoDataError(f"{path.name}: `{key}` must be a non-empty list.")
    for key in (
        "new_customer_every",
        "missing_department_every",
        "restricted_every",
        "last_month_every",
        "sync_ref_every",
        "paid_every",
        "fee_every",
        "credit_note_every",
        "card_charge_every",
    ):
        if not isinstance(data.get(key), int) or data[key] < 1:
            raise DemoDataError(f"{path.name}: `{key}` must be a whole number, 1 or more.")
    return data


def add_demo_outbox(
    store: Store,
    invoices: int = 40,
    *,
    tag: str = "",
    today: dt.date | None = None,
    invoice_prefix: str = "WEB-",
    card_charges: bool = False,
) -> int:
    """Queue `invoices` demo invoices with their customers, payments, fees and credit notes.
    Returns the number of outbox records added."""
    s = _settings()
    today = today or dt.datetime.now(dt.UTC).date()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    suffix = f"{tag}-" if tag else ""
    added = 0
    new_customers: dict[str, int] = {}
    foreign: Mapping[str, str] = s.get("foreign_customers", {})
    with store.transaction():
        if card_charges:
            cards = {}
            for card_id, description, account in s.get("card_accounts", []):
                local = f"{card_id}-{suffix}".rstrip("-")
                cards[local] = store.outbox_add(
                    OutboxKind.CARD_ACCOUNT,
                    local,
                    {"description": description, "gl_account": account},
                    document_no=local,
                ).id
                added += 1
        for i in range(invoices):
            n = i + 1
            customer_id = s["customers"][i % len(s["customers"])]
            depends: int | None = None
            if n % s["new_customer_every"] == 0:
                names = s["new_customer_names"]
                customer_id = f"WEB-C-{suffix}{n:05d}"
                record = store.outbox_add(
                    OutboxKind.CUSTOMER,
                    customer_id,
                    {"name": f"{names[(n // s['new_customer_every']) % len(names)]} ({n})"},
                    document_no=customer_id,
                )
                new_customers[customer_id] = record.id
                depends = record.id
                added += 1
            currency = foreign.get(customer_id)
            date = last_month if n % s["last_month_every"] == 0 else today
            lines = _invoice_lines(s, n, customer_id)
            total = sum(Decimal(line["amount"]) for line in lines)
            payload: dict[str, Any] = {
                "customer_id": customer_id,
                "date": date.isoformat(),
                "terms": "N30",
                "description": f"Web order {n}",
                "lines": lines,
            }
            if currency:
                payload["currency"] = currency
            if n % s["sync_ref_every"] == 0:
                payload["fields"] = {"sync_ref": f"web-{suffix}{n}"}
            number = f"{invoice_prefix}{suffix}{n:06d}"
            invoice = store.outbox_add(
                OutboxKind.INVOICE,
                f"order-{suffix}{n}",
                payload,
                document_no=number,
                depends_on=depends,
            )
            added += 1
            if n % s["credit_note_every"] == 0:
                store.outbox_add(
                    OutboxKind.CREDIT_NOTE,
                    f"credit-{suffix}{n}",
                    {
                        "customer_id": customer_id,
                        "date": today.isoformat(),
                        "description": f"Goodwill credit for web order {n}",
                        "lines": [{"glaccountno": s["discount_account"], "amount": "5.00"}],
                        **({"currency": currency} if currency else {}),
                    },
                    document_no=f"WEB-CN-{suffix}{n:06d}",
                    depends_on=depends,
                )
                added += 1
            if n % s["paid_every"] == 0:
                methods = s["payment_methods"]
                method = methods[(n // s["paid_every"]) % len(methods)]
                where: dict[str, str]
                if currency:
                    where = {"undeposited_account": s["undeposited_account"]}
                else:
                    banks = s["bank_accounts"]
                    where = {"bank_account": banks[(n // s["paid_every"]) % len(banks)]}
                store.outbox_add(
                    OutboxKind.PAYMENT,
                    f"payment-{suffix}{n}",
                    {
                        "customer_id": customer_id,
                        "amount": str(total),
                        "date": today.isoformat(),
                        "method": method,
                        **where,
                        **({"currency": currency} if currency else {}),
                    },
                    document_no=f"WEB-PAY-{suffix}{n:06d}",
                    depends_on=invoice.id,
                )
                added += 1
                if method == "Credit Card" and (n // s["paid_every"]) % s["fee_every"] == 0:
                    store.outbox_add(
                        OutboxKind.CONVENIENCE_FEE_INVOICE,
                        f"fee-{suffix}{n}",
                        {
                            "customer_id": customer_id,
                            "date": today.isoformat(),
                            "terms": "N30",
                            "description": f"Card convenience fee, web order {n}",
                            "lines": [{"glaccountno": s["fee_account"], "amount": s["fee_amount"]}],
                            **({"currency": currency} if currency else {}),
                        },
                        document_no=f"WEB-FEE-{suffix}{n:06d}",
                        depends_on=depends,
                    )
                    added += 1
            if card_charges and n % s["card_charge_every"] == 0 and cards:
                card_local = next(iter(cards))
                store.outbox_add(
                    OutboxKind.CARD_CHARGE,
                    f"charge-{suffix}{n}",
                    {
                        "card_id": card_local,
                        "date": today.isoformat(),
                        "description": f"Card charge {n}",
                        "lines": [{"glaccountno": s["card_charge_account"], "amount": "19.99"}],
                    },
                    document_no=f"WEB-CC-{suffix}{n:06d}",
                    depends_on=cards[card_local],
                )
                added += 1
    return added


def add_card_accounts(store: Store, tag: str = "") -> int:
    """Queue only the demo card accounts (for the card-account flow on its own)."""
    s = _settings()
    suffix = f"-{tag}" if tag else ""
    added = 0
    with store.transaction():
        for card_id, description, account in s.get("card_accounts", []):
            store.outbox_add(
                OutboxKind.CARD_ACCOUNT,
                f"{card_id}{suffix}",
                {"description": description, "gl_account": account},
                document_no=f"{card_id}{suffix}",
            )
            added += 1
    return added


def _invoice_lines(s: Mapping[str, Any], n: int, customer_id: str) -> list[dict[str, Any]]:
    descriptions = s["line_descriptions"]
    accounts = s["revenue_accounts"]
    amount = Decimal(100 + (n * 37) % 900) + Decimal(n % 100) / 100
    lines: list[dict[str, Any]] = [
        {
            "glaccountno": accounts[n % len(accounts)],
            "amount": str(amount),
            "memo": descriptions[n % len(descriptions)],
            "location": s["locations"][n % len(s["locations"])]
            if customer_id not in s.get("foreign_customers", {})
            else None,
        }
    ]
    if n % 2 == 1:
        line: dict[str, Any] = {
            "glaccountno": s["department_account"],
            "amount": "45.00",
            "memo": "Installation service",
        }
        if (n // 2) % s["missing_department_every"] != 0:
            line["department"] = s["departments"][n % len(s["departments"])]
        lines.append(line)
    if n % s["restricted_every"] == 0:
        lines.append({"glaccountno": s["restricted_account"], "amount": "10.00", "memo": "Grant"})
    project = s.get("projects", {}).get(customer_id)
    if project:
        lines[0]["project"] = project
    return [{k: v for k, v in line.items() if v is not None} for line in lines]
