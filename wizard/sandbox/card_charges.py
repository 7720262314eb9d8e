"""Card charges: record_cctransaction (Cash Management, legacy), a charge against a company
credit card account, stored as a CCTRANSACTION record.

The request, as the official SDKs write it (sdk-php and sdk-dotnet
ChargeCardTransactionCreate, Functions/CashManagement; the conformance messages
ChargeCardTransactionCreateTest): `chargecardid`, `paymentdate` (year, month, day), then
optional `referenceno`, `payee`, `description`, `supdocid`, `currency`, exchange rate fields,
custom fields, and `ccpayitems` of `ccpayitem` (`glaccountno` or `accountlabel`,
`description`, `paymentamount`, dimension ids). The answer carries the new record's key, as
for the other legacy creates (a public Fyle integration's test data logs a record_cctransaction
result as {"key": "225351", "status": "success", "function": "record_cctransaction"}).
Checked as the other postings are: permission, a known active card account, the lines'
accounts and dimensions, the open period, smart rules. Chosen: the record's RECORDID is the
`referenceno`, FINANCIALENTITY the card, STATE "Posted", and an unknown card is refused as
an invalid reference.
"""

from __future__ import annotations

from lxml import etree

from wizard.sandbox import messages
from wizard.sandbox.context import Context
from wizard.sandbox.postings import (
    DIMENSION_TAGS,
    Line,
    check_lines,
    check_period,
    check_smart_rule,
    legacy_date,
    text,
)


def _lines(container: etree._Element | None) -> list[Line]:
    lines = []
    for item in container.findall("ccpayitem") if container is not None else []:
        account = text(item, "glaccountno") or text(item, "accountlabel")
        raw = text(item, "paymentamount") or "0"
        try:
            amount = float(raw)
        except ValueError:
            raise messages.fail("invalid_reference", what="paymentamount", value=raw) from None
        dimensions = {name: text(item, tag) for name, tag in DIMENSION_TAGS.items()}
        lines.append(Line(account, amount, dimensions))
    return lines


def record_cctransaction(ctx: Context, body: etree._Element) -> str:
    spec = ctx.spec("CCTRANSACTION")
    ctx.check_permission(spec, "CREATE")
    card_id = text(body, "chargecardid")
    if not card_id:
        raise messages.fail("required", field="chargecardid")
    card = ctx.company.find("CREDITCARD", "CARDID", card_id)
    if card is None or card.get("STATUS", "active") != "active":
        raise messages.fail("invalid_reference", what="Charge card", value=card_id)
    paid = legacy_date(body, "paymentdate")
    if not paid:
        raise messages.fail("required", field="paymentdate")
    check_smart_rule(ctx, "CCTRANSACTION")
    check_period(ctx, paid)
    lines = _lines(body.find("ccpayitems"))
    check_lines(ctx, lines)
    total = sum(line.amount for line in lines)
    recordno = ctx.company.insert(
        "CCTRANSACTION",
        {
            "RECORDID": text(body, "referenceno"),
            "FINANCIALENTITY": card_id,
            "WHENCREATED": paid,
            "STATE": "Posted",
            "TRX_TOTALENTERED": f"{total:.2f}",
        },
    )
    return f"<key>{recordno}</key>"
