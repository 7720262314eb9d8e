"""Building response XML as bytes: the envelope, error blocks and record pages.

Pages are the hot path (the sync benchmark pulls 200k invoices), so records are rendered by
formatting one precomputed template per (object, element name, field list) instead of
building element trees.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from wizard.sandbox.errors import GatewayError
from wizard.sandbox.objects import Row, esc

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def element(tag: str, text: object = "") -> str:
    value = esc(text)
    return f"<{tag}>{value}</{tag}>" if value else f"<{tag}></{tag}>"


def errormessage(errors: Iterable[GatewayError]) -> str:
    parts = ["<errormessage>"]
    for error in errors:
        parts.append(
            "<error>"
            + element("errorno", error.errorno)
            + element("description", error.description)
            + element("description2", error.description2)
            + element("correction", error.correction)
            + "</error>"
        )
    parts.append("</errormessage>")
    return "".join(parts)


def control(status: str, senderid: str, controlid: str, uniqueid: str, dtdversion: str) -> str:
    return (
        "<control>"
        + element("status", status)
        + element("senderid", senderid)
        + element("controlid", controlid)
        + element("uniqueid", uniqueid)
        + element("dtdversion", dtdversion)
        + "</control>"
    )


def control_failure(
    errors: Sequence[GatewayError],
    senderid: str = "",
    controlid: str = "",
    uniqueid: str | None = "false",
    dtdversion: str | None = "3.0",
) -> bytes:
    head = "<control>" + element("status", "failure")
    head += element("senderid", senderid) + element("controlid", controlid)
    if uniqueid is not None:
        head += element("uniqueid", uniqueid)
    if dtdversion is not None:
        head += element("dtdversion", dtdversion)
    head += "</control>"
    return (XML_DECLARATION + "<response>" + head + errormessage(errors) + "</response>").encode()


def gateway_failure(error: GatewayError) -> bytes:
    """A gateway error: a control block holding only its status, then the error."""
    return (
        XML_DECLARATION
        + "<response><control><status>failure</status></control>"
        + errormessage([error])
        + "</response>"
    ).encode()


def result(
    status: str,
    function: str,
    controlid: str,
    payload: str = "",
    errors: Sequence[GatewayError] = (),
) -> str:
    # One join, not a chain of `+`: the payload can be a megabyte page.
    return "".join(
        [
            "<result>",
            element("status", status),
            element("function", function),
            element("controlid", controlid),
            payload,
            errormessage(errors) if errors else "",
            "</result>",
        ]
    )


@lru_cache(maxsize=256)
def record_template(tag: str, fields: tuple[str, ...]) -> str:
    """'<tag><F1>%s</F1>...</tag>' for rendering a row with `template % values`."""
    inner = "".join(f"<{f}>%s</{f}>" for f in fields)
    return f"<{tag}>{inner}</{tag}>"


def records(
    tag: str, fields: tuple[str, ...], picks: tuple[int, ...] | None, rows: Iterable[Row]
) -> str:
    """Rows rendered as `<tag>` elements; `picks` selects columns (None = every column)."""
    template = record_template(tag, fields)
    if picks is None:
        return "".join([template % row for row in rows])
    return "".join([template % tuple([row[i] for i in picks]) for row in rows])
