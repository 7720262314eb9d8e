"""Dry run: check every outbox record against what was pulled, and predict what Intacct
would refuse, with the fix for each. Reads the store only; writes nothing anywhere.

Checked: customers exist and are active (in Intacct or earlier in the outbox); every line's
GL account exists, is active and gets the dimensions the account requires (after the default
location and department are applied); projects exist and belong to the document's customer;
locations, departments and classes exist; payments go to a known bank account, which at the
top level must have a location; foreign-currency payments do not go to undeposited funds; and
document dates fall on or after the first open day, when one is known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wizard.fixes import Fix, load_catalogue
from wizard.sync.documents import RecordDataError, default_kinds, document_number, mapped_line
from wizard.sync.flows import CustomField, FlowCatalogue
from wizard.sync.outbox import OutboxKind, OutboxRecord, OutboxState
from wizard.sync.settings import SyncSettings
from wizard.sync.store import Store

_REQUIRES = {
    "REQUIREDEPT": ("department_id", "Department"),
    "REQUIRELOC": ("location_id", "Location"),
    "REQUIREPROJECT": ("project_id", "Project"),
    "REQUIRECUSTOMER": ("customer_id", "Customer"),
}
_DIMENSION_OBJECTS = {"location_id": "LOCATION", "department_id": "DEPARTMENT", "class_id": "CLASS"}


@dataclass(frozen=True)
class Prediction:
    """A record Intacct would most likely refuse, why, and the fix."""

    outbox_id: int
    kind: OutboxKind
    local_id: str
    document_no: str
    problem: str
    fix: Fix


@dataclass(frozen=True)
class DryRunReport:
    checked: int
    predictions: tuple[Prediction, ...]
    missing_reference: tuple[str, ...]  # objects never pulled, so not checked

    @property
    def clean(self) -> bool:
        return not self.predictions


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "t", "1", "yes")


class _Lookup:
    """Pulled records by ID, read once from the store."""

    def __init__(self, store: Store, obj: str) -> None:
        self.present = store.count(obj) > 0
        self.by_id: dict[str, Mapping[str, Any]] = {}
        for record in store.iter_pulled(obj):
            if record.doc_id:
                self.by_id[record.doc_id] = record.fields

    def get(self, key: str) -> Mapping[str, Any] | None:
        return self.by_id.get(key)


def dry_run(
    store: Store,
    catalogue: FlowCatalogue,
    settings: SyncSettings,
    kinds: Sequence[OutboxKind],
    *,
    open_from: dt.date | None = None,
) -> DryRunReport:
    fixes = load_catalogue()
    specs = default_kinds()
    lookups = {
        obj: _Lookup(store, obj)
        for obj in (
            "CUSTOMER",
            "GLACCOUNT",
            "CHECKINGACCOUNT",
            "PROJECT",
            "LOCATION",
            "DEPARTMENT",
            "CLASS",
            "LOCATIONENTITY",
        )
    }
    missing = tuple(obj for obj in ("CUSTOMER", "GLACCOUNT") if not lookups[obj].present)
    line_fields: dict[OutboxKind, dict[str, CustomField]] = {
        flow.outbox_kind: {f.id: f for f in flow.line_fields}
        for flow in catalogue.flows
        if flow.outbox_kind is not None
    }
    records = store.outbox_pending(kinds, include_blocked=True)
    records += [r for r in store.outbox_records(OutboxState.FAILED) if r.kind in kinds]
    outbox_customers = {
        document_number(r): r.payload.get("currency")
        for r in records
        if r.kind is OutboxKind.CUSTOMER
    }
    entity_currency = {
        key: str(fields.get("CURRENCY", ""))
        for key, fields in lookups["LOCATIONENTITY"].by_id.items()
    }
    if settings.entity_id:
        base = entity_currency.get(settings.entity_id, "")
    else:
        currencies = list(entity_currency.values())
        base = max(set(currencies), key=currencies.count) if currencies else ""

    predictions: list[Prediction] = []

    def predict(record: OutboxRecord, problem: str, fix_id: str) -> None:
        predictions.append(
            Prediction(
                record.id,
                record.kind,
                record.local_id,
                document_number(record),
                problem,
                fixes.get(fix_id),
            )
        )

    for record in records:
        payload = record.payload
        what = f"{record.kind.value.replace('_', ' ')} {document_number(record)}"
        problems: list[tuple[str, str]] = []
        customer_id = str(payload.get("customer_id") or "")
        currency = str(payload.get("currency") or "")
        if customer_id and lookups["CUSTOMER"].present:
            customer = lookups["CUSTOMER"].get(customer_id)
            if customer is None and customer_id not in outbox_customers:
                problems.append(
                    (f"customer {customer_id} does not exist in Intacct", "reference-not-found")
                )
            elif customer is not None:
                currency = currency or str(customer.get("CURRENCY", ""))
                if str(customer.get("STATUS", "active")).lower() not in ("active", "t", "true"):
                    problems.append((f"customer {customer_id} is inactive", "record-inactive"))
            else:
                currency = currency or str(outbox_customers.get(customer_id) or "")
        spec = specs[record.kind]
        date_field = spec.date_field
        if open_from and date_field and payload.get(date_field):
            try:
                day = dt.date.fromisoformat(str(payload[date_field]))
            except ValueError:
                day = None
            if day is not None and day < open_from:
                problems.append(
                    (
                        f"dated {day.isoformat()}, before the first open day "
                        f"{open_from.isoformat()}",
                        "period-closed",
                    )
                )
        for number, line in enumerate(payload.get("lines") or [], start=1):
            try:
                item = mapped_line(line, number, line_fields.get(record.kind, {}), settings, what)
            except RecordDataError as error:
                problems.append((str(error), "required-field-missing"))
                continue
            account_no = item.gl_account_no or ""
            account = lookups["GLACCOUNT"].get(account_no) if lookups["GLACCOUNT"].present else None
            if lookups["GLACCOUNT"].present and account is None:
                problems.append(
                    (
                        f"line {number}: GL account {account_no} does not exist",
                        "reference-not-found",
                    )
                )
            elif account is not None:
                if str(account.get("STATUS", "active")).lower() not in ("active", "t", "true"):
                    problems.append(
                        (f"line {number}: GL account {account_no} is inactive", "record-inactive")
                    )
                if _truthy(account.get("RESTRICTED")) or _truthy(account.get("ISRESTRICTED")):
                    problems.append(
                        (
                            f"line {number}: GL account {account_no} is restricted",
                            "gl-account-restricted",
                        )
                    )
                for flag, (attribute, label) in _REQUIRES.items():
                    if _truthy(account.get(flag)) and not getattr(item, attribute):
                        problems.append(
                            (
                                f"line {number}: GL account {account_no} requires a {label}",
                                "dimension-required",
                            )
                        )
            for attribute, obj in _DIMENSION_OBJECTS.items():
                value = getattr(item, attribute)
                if value and lookups[obj].present and lookups[obj].get(value) is None:
                    problems.append(
                        (
                            f"line {number}: {obj.lower()} {value} does not exist",
                            "reference-not-found",
                        )
                    )
            if item.project_id and lookups["PROJECT"].present:
                project = lookups["PROJECT"].get(item.project_id)
                if project is None:
                    problems.append(
                        (
                            f"line {number}: project {item.project_id} does not exist",
                            "reference-not-found",
                        )
                    )
                elif (
                    project.get("CUSTOMERID")
                    and customer_id
                    and project["CUSTOMERID"] != customer_id
                ):
                    problems.append(
                        (
                            f"line {number}: project {item.project_id} belongs to customer "
                            f"{project['CUSTOMERID']}, not {customer_id}",
                            "project-customer-mismatch",
                        )
                    )
        if record.kind is OutboxKind.PAYMENT:
            bank = str(payload.get("bank_account") or "")
            if bank and lookups["CHECKINGACCOUNT"].present:
                account = lookups["CHECKINGACCOUNT"].get(bank)
                if account is None:
                    problems.append((f"bank account {bank} does not exist", "reference-not-found"))
                elif settings.top_level and not account.get("LOCATIONID"):
                    problems.append(
                        (
                            f"bank account {bank} has no location and the connection is at "
                            "the top level",
                            "location-missing",
                        )
                    )
            if payload.get("undeposited_account") and currency and base and currency != base:
                problems.append(
                    (
                        f"a {currency} payment cannot go to undeposited funds ({base} books)",
                        "undeposited-funds-foreign-currency",
                    )
                )
        for problem, fix_id in problems:
            predict(record, problem, fix_id)
    return DryRunReport(len(records), tuple(predictions), missing)
