"""The legacy (2.1-style) Accounts Receivable functions the sync sends: invoices, adjustments and
payments, with their lines and their multi-currency block. Element order follows the gateway
schema and the official SDKs (reference spec §3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from lxml import etree

from wizard.gateway.function_xml import (
    Function,
    Scalar,
    add,
    add_custom_fields,
    add_legacy_date,
    add_optional,
    format_value,
    new_function,
)


@dataclass(frozen=True, slots=True)
class LineItem:
    """An invoice or adjustment line. Give `gl_account_no` or `account_label`."""

    amount: Decimal | int | str
    gl_account_no: str | None = None
    account_label: str | None = None
    offset_gl_account_no: str | None = None
    memo: str | None = None
    location_id: str | None = None
    department_id: str | None = None
    custom_fields: Mapping[str, Scalar] | None = None
    project_id: str | None = None
    customer_id: str | None = None
    vendor_id: str | None = None
    employee_id: str | None = None
    item_id: str | None = None
    class_id: str | None = None
    warehouse_id: str | None = None
    tax_entries: Sequence[tuple[str, Decimal | int | str]] = ()

    def element(self) -> etree._Element:
        line = etree.Element("lineitem")
        if self.account_label is not None:
            add(line, "accountlabel", self.account_label)
        else:
            add(line, "glaccountno", self.gl_account_no or None)
        add_optional(line, "offsetglaccountno", self.offset_gl_account_no)
        add(line, "amount", _amount(self.amount))
        add_optional(line, "memo", self.memo)
        add_optional(line, "locationid", self.location_id)
        add_optional(line, "departmentid", self.department_id)
        add_custom_fields(line, self.custom_fields)
        add_optional(line, "projectid", self.project_id)
        add_optional(line, "customerid", self.customer_id)
        add_optional(line, "vendorid", self.vendor_id)
        add_optional(line, "employeeid", self.employee_id)
        add_optional(line, "itemid", self.item_id)
        add_optional(line, "classid", self.class_id)
        add_optional(line, "warehouseid", self.warehouse_id)
        if self.tax_entries:
            entries = etree.SubElement(line, "taxentries")
            for detail_id, tax in self.tax_entries:
                entry = etree.SubElement(entries, "taxentry")
                add(entry, "detailid", detail_id)
                add(entry, "trx_tax", _amount(tax))
        return line


def _amount(value: Decimal | int | str) -> str:
    if isinstance(value, str):
        Decimal(value)  # refuse text that is not a number before it reaches Intacct
        return value
    return format_value(value)


@dataclass(frozen=True, slots=True)
class Currency:
    """The optional multi-currency block of legacy AR documents."""

    currency: str
    base_currency: str | None = None
    exch_rate_date: dt.date | None = None
    exch_rate_type: str | None = None
    exch_rate: Decimal | None = None

    def write(self, parent: etree._Element) -> None:
        add_optional(parent, "basecurr", self.base_currency)
        add(parent, "currency", self.currency)
        add_legacy_date(parent, "exchratedate", self.exch_rate_date)
        if self.exch_rate_type is not None:
            add(parent, "exchratetype", self.exch_rate_type)
        elif self.exch_rate is not None:
            add(parent, "exchrate", self.exch_rate)


def create_invoice(
    customer_id: str,
    date_created: dt.date,
    lines: Sequence[LineItem],
    *,
    date_posted: dt.date | None = None,
    date_due: dt.date | None = None,
    term_name: str | None = None,
    action: str | None = None,
    batch_key: str | int | None = None,
    invoice_no: str | None = None,
    po_number: str | None = None,
    on_hold: bool | None = None,
    description: str | None = None,
    external_id: str | None = None,
    bill_to_contact: str | None = None,
    ship_to_contact: str | None = None,
    currency: Currency | None = None,
    no_gl: bool | None = None,
    supdoc_id: str | None = None,
    tax_solution_id: str | None = None,
    custom_fields: Mapping[str, Scalar] | None = None,
    control_id: str | None = None,
) -> Function:
    """Legacy `create_invoice` (the only XML create for AR invoices). Needs a due date or terms."""
    if date_due is None and not term_name:
        raise ValueError("an invoice needs a due date or a payment term")
    if not lines:
        raise ValueError("an invoice needs at least one line")
    body = etree.Element("create_invoice")
    add(body, "customerid", customer_id)
    add_legacy_date(body, "datecreated", date_created)
    add_legacy_date(body, "dateposted", date_posted)
    add_legacy_date(body, "datedue", date_due)
    add_optional(body, "termname", term_name)
    add_optional(body, "action", action)
    add_optional(body, "batchkey", batch_key)
    add_optional(body, "invoiceno", invoice_no)
    add_optional(body, "ponumber", po_number)
    add_optional(body, "onhold", on_hold)
    add_optional(body, "description", description)
    add_optional(body, "externalid", external_id)
    if bill_to_contact is not None:
        add(etree.SubElement(body, "billto"), "contactname", bill_to_contact)
    if ship_to_contact is not None:
        add(etree.SubElement(body, "shipto"), "contactname", ship_to_contact)
    if currency is not None:
        currency.write(body)
    add_optional(body, "nogl", no_gl)
    add_optional(body, "supdocid", supdoc_id)
    add_optional(body, "taxsolutionid", tax_solution_id)
    add_custom_fields(body, custom_fields)
    items = etree.SubElement(body, "invoiceitems")
    for line in lines:
        items.append(line.element())
    return new_function(body, control_id, writes=True)


def create_aradjustment(
    customer_id: str,
    date_created: dt.date,
    lines: Sequence[LineItem],
    *,
    date_posted: dt.date | None = None,
    batch_key: str | int | None = None,
    adjustment_no: str | None = None,
    action: str | None = None,
    invoice_no: str | None = None,
    description: str | None = None,
    external_id: str | None = None,
    currency: Currency | None = None,
    no_gl: bool | None = None,
    control_id: str | None = None,
) -> Function:
    if not lines:
        raise ValueError("an adjustment needs at least one line")
    body = etree.Element("create_aradjustment")
    add(body, "customerid", customer_id)
    add_legacy_date(body, "datecreated", date_created)
    add_legacy_date(body, "dateposted", date_posted)
    add_optional(body, "batchkey", batch_key)
    add_optional(body, "adjustmentno", adjustment_no)
    add_optional(body, "action", action)
    add_optional(body, "invoiceno", invoice_no)
    add_optional(body, "description", description)
    add_optional(body, "externalid", external_id)
    if currency is not None:
        currency.write(body)
    add_optional(body, "nogl", no_gl)
    items = etree.SubElement(body, "aradjustmentitems")
    for line in lines:
        items.append(line.element())
    return new_function(body, control_id, writes=True)


def create_arpayment(
    customer_id: str,
    amount: Decimal | int | str,
    *,
    batch_key: str | int | None = None,
    bank_account_id: str | None = None,
    undeposited_account: str | None = None,
    translated_amount: Decimal | None = None,
    ref_id: str | None = None,
    date_received: dt.date | None = None,
    payment_method: str | None = None,
    currency: Currency | None = None,
    applied_to: Sequence[tuple[str | int, Decimal | int | str]] = (),
    control_id: str | None = None,
) -> Function:
    """Legacy `create_arpayment`. Exactly one of batch_key / bank_account_id /
    undeposited_account says where the money goes; `applied_to` is (invoice key, amount)."""
    targets = [t for t in (batch_key, bank_account_id, undeposited_account) if t is not None]
    if len(targets) != 1:
        raise ValueError(
            "a payment needs exactly one of a summary (batch key), a bank account or an "
            "undeposited funds account"
        )
    body = etree.Element("create_arpayment")
    add(body, "customerid", customer_id)
    add(body, "paymentamount", _amount(amount))
    add_optional(body, "translatedamount", translated_amount)
    add_optional(body, "batchkey", batch_key)
    add_optional(body, "bankaccountid", bank_account_id)
    add_optional(body, "undepfundsacct", undeposited_account)
    add_optional(body, "refid", ref_id)
    add_legacy_date(body, "datereceived", date_received)
    add_optional(body, "paymentmethod", payment_method)
    if currency is not None:
        currency.write(body)
    for invoice_key, applied in applied_to:
        item = etree.SubElement(body, "arpaymentitem")
        add(item, "invoicekey", invoice_key)
        add(item, "amount", _amount(applied))
    return new_function(body, control_id, writes=True)
