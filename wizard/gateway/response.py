"""Gateway answers as typed values: `parse_response()` and the streaming `iter_response()`.

A response is checked at its three levels (control, authentication, result). A control or
authentication failure raises `ControlError` / `AuthenticationError`; a function's failure
stays in its `Result` (call `Result.raise_for_status()` to raise `ResultError`). A body that
is not a complete gateway response raises `MalformedResponseError` (a `TransportError`) whose
`reason` names what is missing, e.g. "missing-control" or "missing-result-status".

Records are plain `dict[str, str]` (records.py says how an element becomes one).
"""

from __future__ import annotations

import enum
import html
import re
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from wizard.gateway.errors import (
    AuthenticationError,
    ControlError,
    ErrorDetail,
    ErrorLevel,
    MalformedResponseError,
    ResultError,
    TransportError,
)
from wizard.gateway.records import Record, record_from
from wizard.gateway.xmlparse import MAX_BODY_BYTES, chunked, events

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


class Status(enum.StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    ABORTED = "aborted"


class Expect(enum.StrEnum):
    """What kind of answer the caller sent for: it decides which blocks are required."""

    ONLINE = "online"  # control + operation (an offline acknowledgement is also accepted)
    OFFLINE = "offline"  # acknowledgement + control
    CONTROL = "control"  # control block only


@dataclass(frozen=True, slots=True)
class Control:
    status: str
    senderid: str = ""
    controlid: str = ""
    uniqueid: str = ""
    dtdversion: str = ""


@dataclass(frozen=True, slots=True)
class Authentication:
    status: str
    userid: str
    companyid: str
    locationid: str = ""
    sessiontimestamp: str = ""
    sessiontimeout: str = ""
    # A console (multi-company) sign-in slid into a client company: which one, and its
    # status (response DTD: clientstatus?, (clientid|locationid)?).
    clientid: str = ""
    clientstatus: str = ""


@dataclass(frozen=True, slots=True)
class DataInfo:
    """The attributes of `<data>` (and of a legacy `<listtype start end total>`)."""

    listtype: str = ""
    count: int | None = None
    totalcount: int | None = None
    numremaining: int | None = None
    result_id: str = ""
    offset: int | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class Result:
    """One function's outcome."""

    status: Status
    function: str
    control_id: str
    data: DataInfo | None = None
    records: tuple[Record, ...] = ()
    key: str | None = None  # legacy create_* answers carry <key> instead of <data>
    errors: tuple[ErrorDetail, ...] = ()
    record_tags: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status is Status.SUCCESS

    def raise_for_status(self, allow_aborted: bool = False) -> Result:
        """Raise `ResultError` unless this function succeeded (or was only rolled back)."""
        if self.ok or (allow_aborted and self.status is Status.ABORTED):
            return self
        raise ResultError(
            ErrorLevel.RESULT,
            f"{self.function or 'The function'} ({self.control_id}) returned {self.status}",
            self.errors,
        )


@dataclass(frozen=True, slots=True)
class Response:
    control: Control
    authentication: Authentication | None = None
    results: tuple[Result, ...] = ()
    acknowledgement: str | None = None  # offline (policyid) answers only
    http_status: int = 200

    @property
    def offline(self) -> bool:
        return self.acknowledgement is not None

    def result(self, control_id: str) -> Result:
        for result in self.results:
            if result.control_id == control_id:
                return result
        raise KeyError(control_id)


# ---------------------------------------------------------------------------------------


def _malformed(reason: str, summary: str, http_status: int) -> MalformedResponseError:
    return MalformedResponseError(
        ErrorLevel.TRANSPORT,
        f"The gateway's answer is incomplete: {summary}",
        http_status=http_status,
        reason=reason,
    )


def _text(parent: etree._Element, tag: str) -> str | None:
    child = parent.find(tag)
    if child is None:
        return None
    return (child.text or "").strip()


def _int(value: str | None) -> int | None:
    if value is None or value.strip() == "":
        return None
    try:
        return int(value)
    except ValueError:
        return None


def errors_from(errormessage: etree._Element | None) -> tuple[ErrorDetail, ...]:
    """Every `<error>` under an `<errormessage>`, with any embedded tags reduced to text."""
    if errormessage is None:
        return ()
    found = []
    for error in errormessage.iter("error"):
        texts = []
        for tag in ("errorno", "description", "description2", "correction"):
            child = error.find(tag)
            text = "".join(str(t) for t in child.itertext()) if child is not None else ""
            text = _TAG.sub("", html.unescape(text))  # PHP strips tags embedded in texts too
            texts.append(" ".join(text.split()))
        found.append(ErrorDetail.from_texts(*texts))
    return tuple(found)


def _first(value: int | None, fallback: int | None) -> int | None:
    return fallback if value is None else value


def _clear(element: etree._Element) -> None:
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


class _ResultState:
    __slots__ = ("data", "key", "records", "tags", "with_data")

    def __init__(self) -> None:
        self.data: DataInfo | None = None
        self.key: str | None = None
        self.records: list[Record] = []
        self.tags: list[str] = []
        self.with_data = False


def iter_response(
    chunks: Iterable[bytes],
    http_status: int = 200,
    expect: Expect = Expect.ONLINE,
    keep_records: bool = True,
    max_bytes: int = MAX_BODY_BYTES,
) -> Generator[tuple[int, Record | DataInfo], None, Response]:
    """Parse a gateway answer as it arrives, yielding (result index, record) pairs.

    Each result's `DataInfo` is yielded too, as (result index, DataInfo), as soon as the
    `<data>` tag is read, so a caller knows the totals before the first record arrives.

    The generator's return value is the `Response`. With `keep_records=False` the records
    are only yielded, not kept in the `Result`s, so memory stays flat however many there are.
    Control and authentication failures are raised as soon as their block is complete.
    """
    control: Control | None = None
    authentication: Authentication | None = None
    acknowledgement: str | None = None
    operation_seen = False
    operation_errors: tuple[ErrorDetail, ...] = ()
    top_errors: tuple[ErrorDetail, ...] = ()
    results: list[Result] = []
    state: _ResultState | None = None
    root_tag = ""
    data_element: etree._Element | None = None

    def check_control() -> Control:
        if control is None:
            raise _malformed("missing-control", "it has no control block", http_status)
        return control

    def harvest(keep_last: bool) -> Iterator[tuple[int, Record | DataInfo]]:
        # Records are the element children of <data>; all but the last are complete while
        # the page is still arriving. Each is read, handed on and removed from the tree.
        assert data_element is not None and state is not None
        index = len(results)
        children = list(data_element)
        if keep_last and children:
            children.pop()
        tags = state.tags
        kept = state.records if keep_records else None
        for child in children:
            record = record_from(child)
            tag = child.tag
            if tag not in tags:
                tags.append(str(tag))
            if kept is not None:
                kept.append(record)
            yield index, record
        if children:
            del data_element[: len(children)]  # the harvested records, in one step

    for kind, element in events(chunks, http_status, max_bytes):
        if kind == "chunk" or kind == "close":
            if not root_tag:
                root_tag = str(element.tag)
                if root_tag != "response":
                    raise _not_a_response(root_tag, http_status)
            if data_element is not None and kind == "chunk":
                yield from harvest(keep_last=True)
            continue
        tag = element.tag
        parent = element.getparent()
        where = parent.tag if parent is not None else None
        if kind == "start":
            if where is None:
                root_tag = str(tag)  # "response": the filter gives no other root
            elif tag == "operation" and parent is not None and parent.getparent() is None:
                operation_seen = True
            elif tag == "result" and where == "operation":
                state = _ResultState()
            elif tag == "data" and where == "result" and state is not None:
                data_element = element
                attrib = element.attrib
                previous = state.data or DataInfo()
                state.data = DataInfo(
                    listtype=attrib.get("listtype", previous.listtype),
                    count=_int(attrib.get("count")),
                    totalcount=_first(_int(attrib.get("totalcount")), previous.totalcount),
                    numremaining=_int(attrib.get("numremaining")),
                    result_id=attrib.get("resultId", ""),
                    offset=_int(attrib.get("offset")),
                    start=previous.start,
                    end=previous.end,
                )
                yield len(results), state.data  # paging totals, before the records
            continue

        # "end" events
        top = parent is not None and parent.getparent() is None  # a child of <response>
        if tag == "data" and element is data_element:
            yield from harvest(keep_last=False)
            data_element = None
        elif where == "result" and state is not None and data_element is None:
            if tag == "key":
                state.key = (element.text or "").strip()
            elif tag == "listtype":  # legacy get_list
                attrib = element.attrib
                state.data = DataInfo(
                    listtype=(element.text or "").strip(),
                    totalcount=_int(attrib.get("total")),
                    start=_int(attrib.get("start")),
                    end=_int(attrib.get("end")),
                )
        elif tag == "result" and where == "operation" and state is not None:
            results.append(_finish_result(element, state, http_status))
            state = None
            _clear(element)
        elif tag == "authentication" and where == "operation":
            authentication = _authentication(element, http_status)
        elif tag == "errormessage" and where == "operation":
            operation_errors = errors_from(element)
        elif top and tag == "control":
            control = _control(element, http_status)
        elif top and tag == "acknowledgement":
            status = _text(element, "status")
            if status is None:
                raise _malformed(
                    "missing-acknowledgement-status",
                    "the acknowledgement block has no status",
                    http_status,
                )
            acknowledgement = status
        elif top and tag == "errormessage":
            top_errors = errors_from(element)
        elif top and tag == "operation":
            if authentication is None:
                raise _malformed(
                    "missing-authentication",
                    "the operation block has no authentication block",
                    http_status,
                )
            if authentication.status != Status.SUCCESS:
                raise AuthenticationError(
                    ErrorLevel.AUTHENTICATION,
                    "Intacct did not accept the user sign-in or session",
                    operation_errors,
                    http_status,
                )

        # a control failure is known once the blocks after it (errormessage) are read
        if top and control is not None and control.status != Status.SUCCESS and tag != "control":
            _raise_control(control, top_errors, http_status)

    if not root_tag:
        raise _malformed("empty", "the body is empty", http_status)
    found_control = check_control()
    if found_control.status != Status.SUCCESS:
        _raise_control(found_control, top_errors, http_status)
    if expect is Expect.CONTROL:
        return Response(found_control, http_status=http_status)
    if expect is Expect.OFFLINE or (acknowledgement is not None and not operation_seen):
        if acknowledgement is None:
            raise _malformed(
                "missing-acknowledgement", "it has no acknowledgement block", http_status
            )
        return Response(found_control, acknowledgement=acknowledgement, http_status=http_status)
    if not operation_seen:
        raise _malformed("missing-operation", "it has no operation block", http_status)
    if not results:
        raise _malformed("missing-result", "the operation block has no result", http_status)
    return Response(found_control, authentication, tuple(results), http_status=http_status)


def _raise_control(control: Control, errors: tuple[ErrorDetail, ...], http_status: int) -> None:
    raise ControlError(
        ErrorLevel.CONTROL,
        "The Intacct gateway refused the request",
        errors,
        http_status,
        reason=f"control-{control.status or 'failure'}",
    )


def _not_a_response(root_tag: str, http_status: int) -> TransportError:
    if root_tag.lower() == "html":
        return MalformedResponseError(
            ErrorLevel.TRANSPORT,
            f"The server answered with a web page (HTTP {http_status}) instead of a gateway "
            "response; Intacct or its network may be down, try again later",
            http_status=http_status,
            reason="html-page",
        )
    return MalformedResponseError(
        ErrorLevel.TRANSPORT,
        f"The server answered with <{root_tag}> (HTTP {http_status}), not a gateway response",
        http_status=http_status,
        reason="not-a-response",
    )


def _control(element: etree._Element, http_status: int) -> Control:
    status = _text(element, "status")
    if status is None:
        raise _malformed("missing-control-status", "the control block has no status", http_status)
    return Control(
        status=status,
        senderid=_text(element, "senderid") or "",
        controlid=_text(element, "controlid") or "",
        uniqueid=_text(element, "uniqueid") or "",
        dtdversion=_text(element, "dtdversion") or "",
    )


def _authentication(element: etree._Element, http_status: int) -> Authentication:
    values = {}
    for name in ("status", "userid", "companyid"):
        value = _text(element, name)
        if value is None:
            raise _malformed(
                f"missing-authentication-{name}",
                f"the authentication block has no {name}",
                http_status,
            )
        values[name] = value
    return Authentication(
        status=values["status"],
        userid=values["userid"],
        companyid=values["companyid"],
        locationid=_text(element, "locationid") or "",
        sessiontimestamp=_text(element, "sessiontimestamp") or "",
        sessiontimeout=_text(element, "sessiontimeout") or "",
        clientid=_text(element, "clientid") or "",
        clientstatus=_text(element, "clientstatus") or "",
    )


def _finish_result(element: etree._Element, state: _ResultState, http_status: int) -> Result:
    values = {}
    for name in ("status", "function", "controlid"):
        value = _text(element, name)
        if value is None:
            raise _malformed(f"missing-result-{name}", f"a result block has no {name}", http_status)
        values[name] = value
    try:
        status = Status(values["status"].lower())
    except ValueError:
        raise _malformed(
            "unknown-result-status",
            f"a result has the unknown status {values['status']!r}",
            http_status,
        ) from None
    return Result(
        status=status,
        function=values["function"],
        control_id=values["controlid"],
        data=state.data,
        records=tuple(state.records),
        key=state.key,
        errors=errors_from(element.find("errormessage")),
        record_tags=tuple(state.tags),
    )


def check_body_start(body: bytes, http_status: int) -> None:
    """Refuse, with a clear message, bodies that are plainly not a gateway response."""
    head = bytes(body[:512]).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head:
        raise _not_xml(http_status, "an empty body")
    if not head.startswith(b"<"):
        raise _not_xml(http_status, "plain text")
    if head.startswith((b"<!doctype html", b"<html")):
        raise _not_a_response("html", http_status)


def parse_response(body: bytes, http_status: int = 200, expect: Expect = Expect.ONLINE) -> Response:
    """Parse a whole gateway answer held in memory (see `iter_response` for streaming)."""
    if not isinstance(body, bytes | bytearray):
        raise TypeError("parse_response() takes the body as bytes")
    check_body_start(body, http_status)
    generator = iter_response(chunked(bytes(body)), http_status, expect)
    while True:
        try:
            next(generator)
        except StopIteration as done:
            response: Response = done.value
            return response


def parse_errormessage(body: bytes) -> tuple[ErrorDetail, ...]:
    """Parse a bare `<errormessage>` element (as some logs and support tickets hold them)."""
    for kind, element in events(chunked(body)):
        if kind == "end" and element.getparent() is None and element.tag == "errormessage":
            return errors_from(element)
    raise _malformed("not-errormessage", "it is not an <errormessage> element", 200)


def _not_xml(http_status: int, what: str) -> TransportError:
    return MalformedResponseError(
        ErrorLevel.TRANSPORT,
        f"The server answered HTTP {http_status} with {what}, not a gateway response",
        http_status=http_status,
        reason="not-xml",
    )


__all__ = [
    "Authentication",
    "Control",
    "DataInfo",
    "Expect",
    "Response",
    "Result",
    "Status",
    "check_body_start",
    "errors_from",
    "iter_response",
    "parse_errormessage",
    "parse_response",
]
