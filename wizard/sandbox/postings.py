"""AR postings: create_invoice, create_aradjustment, create_arpayment and generic ARPYMT create.

The push-side fault scenarios live here, and each fails only the records it applies to
(an invoice with a line on the restricted account, a payment without a batch key, ...), so
the other records of a sync still land.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from lxml import etree

from wizard.sandbox import messages
from wizard.sandbox.context import Context
from wizard.sandbox.errors import ResultFailure

_DIMENSION_FIELDS = {
    "DEPARTMENT": ("departmentid", "Department"),
    "LOCATION": ("locationid", "Location"),
    "PROJECT": ("projectid", "Project"),
    "CLASS": ("classid", "Class"),
    "CUSTOMER": ("customerid", "Customer"),
}


# Dimension -> its element on a line (lineitem, ccpayitem).
DIMENSION_TAGS = {name: tag for name, (tag, _) in _DIMENSION_FIELDS.items()}


def text(node: etree._Element | None, tag: str) -> str:
    if node is None:
        return ""
    return (node.findtext(tag) or "").strip()


def legacy_date(node: etree._Element | None, tag: str) -> str:
    """A legacy <year>/<month>/<day> date (or mm/dd/yyyy text) as mm/dd/yyyy; '' if absent."""
    if node is None:
        return ""
    found = node.find(tag)
    if found is None:
        return ""
    if len(found):
        year, month, day = text(found, "year"), text(found, "month"), text(found, "day")
        try:
            return datetime(int(year), int(month), int(day)).strftime("%m/%d/%Y")
        except ValueError:
            raise messages.fail(
                "invalid_reference", what=f"date {tag}", value=f"{year}-{month}-{day}"
            ) from None
    return check_date(tag, (found.text or "").strip())


def check_date(tag: str, value: str) -> str:
    if not value:
        return ""
    try:
        return datetime.strptime(value, "%m/%d/%Y").strftime("%m/%d/%Y")
    except ValueError:
        raise messages.fail("invalid_reference", what=f"date {tag}", value=value) from None


def _as_datetime(value: str) -> datetime:
    return datetime.strptime(value, "%m/%d/%Y")


def check_period(ctx: Context, date: str) -> None:
    if ctx.on("period-closed") and date and _as_datetime(date) < ctx.company.as_of:
        raise ResultFailure(
            ctx.scenario("period-closed").error(
                date=date, open_from=ctx.company.as_of.strftime("%m/%d/%Y")
            )
        )


def check_smart_rule(ctx: Context, obj: str) -> None:
    if not ctx.on("smart-rule-violated"):
        return
    for rule in ctx.scenario("smart-rule-violated").params.get("rules", ()):
        if rule["object"] != obj:
            continue
        at_top = not ctx.entity
        if (rule["level"] == "top level" and not at_top) or (
            rule["level"] == "entity level" and at_top
        ):
            raise ResultFailure(
                ctx.scenario("smart-rule-violated").error(rule=rule["rule"], level=rule["level"])
            )


def check_hidden(ctx: Context, names: list[str]) -> None:
    hidden = ctx.hidden_fields()
    for name in names:
        if name.upper() in hidden:
            raise messages.fail("field_not_found", field=name)


@dataclass
class Line:
    account: str
    amount: float
    dimensions: dict[str, str] = field(default_factory=dict)


def read_lines(container: etree._Element | None) -> list[Line]:
    lines = []
    for item in container.findall("lineitem") if container is not None else []:
        account = text(item, "glaccountno") or text(item, "accountlabel")
        raw = text(item, "amount") or "0"
        try:
            amount = float(raw)
        except ValueError:
            raise messages.fail("invalid_reference", what="amount", value=raw) from None
        dims = {k: text(item, tag) for k, (tag, _) in _DIMENSION_FIELDS.items()}
        lines.append(Line(account, amount, dims))
    return lines


def check_lines(ctx: Context, lines: list[Line]) -> None:
    if not lines:
        raise messages.fail("required", field="lineitem")
    for line in lines:
        account = ctx.company.gl_accounts.get(line.account)
        if account is None:
            raise messages.fail("invalid_reference", what="GL account", value=line.account)
        if account.status != "active":
            raise messages.fail("inactive_account", account=line.account)
        if account.restricted and ctx.on("gl-account-restricted"):
            raise ResultFailure(ctx.scenario("gl-account-restricted").error(account=line.account))
        needed = account.requires_dimension
        if needed and ctx.on("account-requires-dimension") and not line.dimensions.get(needed):
            label = _DIMENSION_FIELDS.get(needed, ("", needed.title()))[1]
            raise ResultFailure(
                ctx.scenario("account-requires-dimension").error(
                    dimension=label, account=line.account
                )
            )
        location = line.dimensions.get("LOCATION", "")
        if location and location not in ctx.company.location_entity:
            raise messages.fail("invalid_reference", what="Location", value=location)


def _customer(ctx: Context, customer_id: str) -> dict[str, str]:
    if not customer_id:
        raise messages.fail("required", field="customerid")
    found = ctx.company.find("CUSTOMER", "CUSTOMERID", customer_id)
    if found is None or found["STATUS"] != "active":
        raise messages.fail("invalid_reference", what="Customer", value=customer_id)
    return found


def _entity(ctx: Context, customer_id: str, lines: list[Line]) -> tuple[str, str]:
    company = ctx.company
    entity = ctx.entity
    if not entity:
        for line in lines:
            entity = company.location_entity.get(line.dimensions.get("LOCATION", ""), "")
            if entity:
                break
    if not entity:
        entity = company.customer_entity.get(customer_id, "")
    found = company.entity_by_id.get(entity)
    return (found.id, found.name) if found else ("", "")


def _money(value: float) -> str:
    return f"{value:.2f}"


def _next_number(ctx: Context, obj: str, prefix: str) -> str:
    table = ctx.company.tables[obj]
    n = len(table) + 1
    while table.find(table.spec.id_field, f"{prefix}{n:07d}") is not None:
        n += 1
    return f"{prefix}{n:07d}"


def _number_taken(ctx: Context, obj: str, number: str) -> None:
    taken = ctx.company.tables[obj].find("RECORDID", number) is not None
    prefix = ctx.company.invoice_prefix
    if taken or (
        ctx.on("invoice-number-exists") and obj == "ARINVOICE" and number.startswith(prefix)
    ):
        raise ResultFailure(ctx.scenario("invoice-number-exists").error(number=number))


def _custom_fields(ctx: Context, body: etree._Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for custom in body.findall("customfields/customfield"):
        name = text(custom, "customfieldname")
        check_hidden(ctx, [name])
        out[name.upper()] = text(custom, "customfieldvalue")
    return out


def create_invoice(ctx: Context, body: etree._Element) -> str:
    spec = ctx.spec("ARINVOICE")
    ctx.check_permission(spec, "CREATE")
    customer_id = text(body, "customerid")
    customer = _customer(ctx, customer_id)
    created = legacy_date(body, "datecreated")
    if not created:
        raise messages.fail("required", field="datecreated")
    due = legacy_date(body, "datedue")
    terms = text(body, "termname")
    if not due and not terms:
        raise messages.fail("required", field="datedue or termname")
    number = text(body, "invoiceno")
    if number:
        _number_taken(ctx, "ARINVOICE", number)
    check_smart_rule(ctx, "ARINVOICE")
    posted = legacy_date(body, "dateposted") or created
    check_period(ctx, posted)
    custom = _custom_fields(ctx, body)
    lines = read_lines(body.find("invoiceitems"))
    check_lines(ctx, lines)
    entity, entity_name = _entity(ctx, customer_id, lines)
    currency = text(body, "currency") or customer["CURRENCY"]
    if not due:
        days = int(terms[1:]) if terms[1:].isdigit() else 30
        due = (_as_datetime(created) + timedelta(days=days)).strftime("%m/%d/%Y")
    total = _money(sum(line.amount for line in lines))
    number = number or _next_number(ctx, "ARINVOICE", ctx.company.invoice_prefix)
    recordno = ctx.company.insert(
        "ARINVOICE",
        {
            "RECORDID": number,
            "DOCNUMBER": number,
            "STATE": "Draft" if text(body, "action") == "Draft" else "Posted",
            "CUSTOMERID": customer_id,
            "CUSTOMERNAME": customer["NAME"],
            "WHENCREATED": created,
            "WHENPOSTED": posted,
            "WHENDUE": due,
            "TERMNAME": terms,
            "DESCRIPTION": text(body, "description"),
            "CURRENCY": currency,
            "BASECURR": text(body, "basecurr") or currency,
            "TOTALENTERED": total,
            "TOTALPAID": "0.00",
            "TOTALDUE": total,
            "TRX_TOTALENTERED": total,
            "EXTERNALID": text(body, "externalid"),
            "MEGAENTITYID": entity,
            "MEGAENTITYNAME": entity_name,
            "MODULEKEY": "4.AR",
            "SYNC_REF": custom.get("SYNC_REF", ""),
        },
    )
    _invoice_lines(ctx, recordno, lines)
    return f"<key>{recordno}</key>"


def _invoice_lines(ctx: Context, invoice: int, lines: list[Line]) -> None:
    """The invoice's lines as ARINVOICEITEM records (account, amount, dimensions)."""
    if "ARINVOICEITEM" not in ctx.company.tables:
        return
    for number, line in enumerate(lines, start=1):
        ctx.company.insert(
            "ARINVOICEITEM",
            {
                "RECORDKEY": str(invoice),
                "LINE_NO": str(number),
                "ACCOUNTNO": line.account,
                "AMOUNT": _money(line.amount),
                "LOCATIONID": line.dimensions.get("LOCATION", ""),
                "DEPARTMENTID": line.dimensions.get("DEPARTMENT", ""),
                "PROJECTID": line.dimensions.get("PROJECT", ""),
                "CLASSID": line.dimensions.get("CLASS", ""),
            },
        )


def create_aradjustment(ctx: Context, body: etree._Element) -> str:
    spec = ctx.spec("ARADJUSTMENT")
    ctx.check_permission(spec, "CREATE")
    customer_id = text(body, "customerid")
    customer = _customer(ctx, customer_id)
    created = legacy_date(body, "datecreated")
    if not created:
        raise messages.fail("required", field="datecreated")
    number = text(body, "adjustmentno")
    if number:
        _number_taken(ctx, "ARADJUSTMENT", number)
    check_smart_rule(ctx, "ARADJUSTMENT")
    posted = legacy_date(body, "dateposted") or created
    check_period(ctx, posted)
    custom = _custom_fields(ctx, body)
    lines = read_lines(body.find("aradjustmentitems"))
    check_lines(ctx, lines)
    entity, entity_name = _entity(ctx, customer_id, lines)
    currency = text(body, "currency") or customer["CURRENCY"]
    total = _money(sum(line.amount for line in lines))
    del custom
    recordno = ctx.company.insert(
        "ARADJUSTMENT",
        {
            "RECORDID": number or _next_number(ctx, "ARADJUSTMENT", "CN-"),
            "STATE": "Posted",
            "CUSTOMERID": customer_id,
            "CUSTOMERNAME": customer["NAME"],
            "WHENCREATED": created,
            "WHENPOSTED": posted,
            "DESCRIPTION": text(body, "description"),
            "CURRENCY": currency,
            "BASECURR": text(body, "basecurr") or currency,
            "TOTALENTERED": total,
            "TRX_TOTALENTERED": total,
            "INVOICENO": text(body, "invoiceno"),
            "EXTERNALID": text(body, "externalid"),
            "MEGAENTITYID": entity,
            "MEGAENTITYNAME": entity_name,
        },
    )
    return f"<key>{recordno}</key>"


@dataclass
class Payment:
    customer_id: str
    amount: str
    batch: str
    bank: str
    undeposited: str
    reference: str
    received: str
    method: str
    currency: str
    applications: list[tuple[str, str]]


def post_payment(ctx: Context, payment: Payment) -> int:
    """Validate and record one AR payment; returns its RECORDNO."""
    ctx.check_permission(ctx.spec("ARPYMT"), "CREATE")
    customer = _customer(ctx, payment.customer_id)
    received = payment.received or datetime.now().strftime("%m/%d/%Y")
    check_period(ctx, received)
    if ctx.on("payment-summary-user-specified") and not payment.batch:
        raise ResultFailure(ctx.scenario("payment-summary-user-specified").error())
    if not (payment.batch or payment.bank or payment.undeposited):
        raise messages.fail("payment_source")
    if payment.bank:
        location = ctx.company.checking_location.get(payment.bank)
        if location is None:
            raise messages.fail("invalid_reference", what="bank account", value=payment.bank)
        if not location and not ctx.entity:
            raise ResultFailure(
                ctx.scenario("checking-account-no-location").error(account=payment.bank)
            )
    currency = payment.currency or customer["CURRENCY"]
    entity, entity_name = _entity(ctx, payment.customer_id, [])
    base = (
        ctx.company.entity_by_id[ctx.entity].currency if ctx.entity else ctx.company.base_currency
    )
    if payment.undeposited and currency != base and ctx.on("undeposited-funds-foreign-currency"):
        raise ResultFailure(
            ctx.scenario("undeposited-funds-foreign-currency").error(method=payment.method)
        )
    try:
        amount = float(payment.amount or "0")
    except ValueError:
        raise messages.fail("invalid_reference", what="amount", value=payment.amount) from None
    invoices = ctx.company.tables["ARINVOICE"]
    for key, applied in payment.applications:
        index = invoices.find("RECORDNO", key)
        if index is None:
            raise messages.fail("invalid_reference", what="invoice key", value=key)
        row = invoices.row(index)
        assert row is not None
        due = float(invoices.value(row, "TOTALDUE") or 0) - float(applied or 0)
        paid = float(invoices.value(row, "TOTALPAID") or 0) + float(applied or 0)
        ctx.company.change(
            "ARINVOICE",
            index,
            {
                "TOTALDUE": _money(max(due, 0.0)),
                "TOTALPAID": _money(paid),
                "STATE": "Paid" if due <= 0.005 else "Partially Paid",
            },
        )
    return ctx.company.insert(
        "ARPYMT",
        {
            "DOCNUMBER": payment.reference,
            "STATE": "Complete",
            "CUSTOMERID": payment.customer_id,
            "CUSTOMERNAME": customer["NAME"],
            "PAYMENTMETHOD": payment.method,
            "RECEIPTDATE": received,
            "PAYMENTDATE": received,
            "CURRENCY": currency,
            "BASECURR": currency,
            "AMOUNTOPAY": _money(amount),
            "TRX_AMOUNTTOPAY": _money(amount),
            "FINANCIALENTITY": payment.bank,
            "UNDEPOSITEDACCOUNTNO": payment.undeposited,
            "PRBATCH": payment.batch,
            "INVOICEKEY": payment.applications[0][0] if payment.applications else "",
            "MEGAENTITYID": entity,
            "MEGAENTITYNAME": entity_name,
        },
    )


def create_arpayment(ctx: Context, body: etree._Element) -> str:
    payment = Payment(
        customer_id=text(body, "customerid"),
        amount=text(body, "paymentamount"),
        batch=text(body, "batchkey"),
        bank=text(body, "bankaccountid"),
        undeposited=text(body, "undepfundsacct"),
        reference=text(body, "refid"),
        received=legacy_date(body, "datereceived"),
        method=text(body, "paymentmethod"),
        currency=text(body, "currency"),
        applications=[
            (text(item, "invoicekey"), text(item, "amount"))
            for item in body.findall("arpaymentitem")
        ],
    )
    return f"<key>{post_payment(ctx, payment)}</key>"


def arpymt_from_generic(ctx: Context, node: etree._Element) -> int:
    """A generic `<create><ARPYMT>` record, posted through the same rules."""
    check_hidden(ctx, [c.tag for c in node if isinstance(c.tag, str)])
    details = node.findall("ARPYMTDETAILS/ARPYMTDETAIL")
    amount = text(node, "AMOUNTOPAY") or text(node, "TRX_AMOUNTTOPAY")
    if not amount:
        amount = _money(sum(float(text(d, "TRX_PAYMENTAMOUNT") or 0) for d in details))
    payment = Payment(
        customer_id=text(node, "CUSTOMERID"),
        amount=amount,
        batch=text(node, "PRBATCH"),
        bank=text(node, "FINANCIALENTITY"),
        undeposited=text(node, "UNDEPOSITEDACCOUNTNO"),
        reference=text(node, "DOCNUMBER"),
        received=check_date("RECEIPTDATE", text(node, "RECEIPTDATE")),
        method=text(node, "PAYMENTMETHOD"),
        currency=text(node, "CURRENCY"),
        applications=[(text(d, "RECORDKEY"), text(d, "TRX_PAYMENTAMOUNT")) for d in details],
    )
    return post_payment(ctx, payment)
