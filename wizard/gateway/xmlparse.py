"""The one XML parser setup the gateway client uses, hardened against hostile answers.

Every byte the client reads from the network goes through `events()`: lxml set up to never
expand entities, never load a DTD, never touch the network, and to refuse any document type
declaration outright (Intacct never sends one, so a `<!DOCTYPE` is either a CDN page or an
attack such as "billion laughs" or an external entity). Bodies larger than `MAX_BODY_BYTES`
are refused before parsing.

Two ways in, one parser setup (`_HARDENED`). A body still arriving (any iterable of bytes) is
fed to a pull parser piece by piece, and the records completed so far can be taken after each
piece, so memory holds a chunk's worth of tree. A body already in memory (`chunked(body)`, as
the client passes it) of at most `WHOLE_PARSE_MAX_BYTES` is parsed in one call, which is about
twice as fast; its tree is bounded by that size. Both give the same events and the same errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Final, TypedDict

from lxml import etree

from wizard.gateway.errors import ErrorLevel, MalformedResponseError

# A full readByQuery page of 1000 wide records is a few MB; 64 MB leaves a wide margin.
MAX_BODY_BYTES: Final = 64 * 1024 * 1024
_CHUNK: Final = 64 * 1024
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOT_START = re.compile(rb"<[A-Za-z_:]")  # the first element: the prolog ends there

Event = tuple[str, etree._Element]

# Only these elements produce events; everything else (record fields) is parsed in C and read
# from the tree, which is what makes the parser fast. "chunk" events mark the end of each
# piece of input fed, so a caller can take the records completed so far.
STRUCTURE: Final = (
    "response",
    "control",
    "operation",
    "authentication",
    "errormessage",
    "acknowledgement",
    "result",
    "data",
    "key",
    "listtype",
)


# A page body up to this size is parsed in one call; its tree takes about eight times the body.
WHOLE_PARSE_MAX_BYTES: Final = 4 * 1024 * 1024


class _ParserOptions(TypedDict):
    resolve_entities: bool
    load_dtd: bool
    dtd_validation: bool
    no_network: bool
    huge_tree: bool
    remove_comments: bool
    remove_pis: bool
    collect_ids: bool


# The one parser setup: entities, DTDs and network access all switched off.
_HARDENED: Final[_ParserOptions] = {
    "resolve_entities": False,
    "load_dtd": False,
    "dtd_validation": False,
    "no_network": True,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
    "collect_ids": False,
}


def new_pull_parser(tags: tuple[str, ...] | None = None) -> etree.XMLPullParser:
    """A pull parser with entities, DTDs and network access all switched off."""
    return etree.XMLPullParser(events=("start", "end"), tag=tags, **_HARDENED)


def _new_whole_parser() -> etree.XMLParser:
    return etree.XMLParser(**_HARDENED)


class Chunks:
    """A body already in memory, iterated in parser-sized chunks (see `chunked`)."""

    __slots__ = ("body", "size")

    def __init__(self, body: bytes, size: int = _CHUNK) -> None:
        self.body = body
        self.size = size

    def __iter__(self) -> Iterator[bytes]:
        body, size = self.body, self.size
        for start in range(0, len(body), size):
            yield body[start : start + size]


def _malformed(reason: str, summary: str, http_status: int | None) -> MalformedResponseError:
    return MalformedResponseError(
        ErrorLevel.TRANSPORT, summary, http_status=http_status, reason=reason
    )


def _too_large(max_bytes: int, http_status: int | None) -> MalformedResponseError:
    return _malformed(
        "too-large",
        f"The gateway's answer is larger than {max_bytes // (1024 * 1024)} MB; "
        "ask for smaller pages",
        http_status,
    )


def _forbidden_dtd(http_status: int | None) -> MalformedResponseError:
    return _malformed(
        "forbidden-dtd",
        "The gateway's answer contains a document type declaration, which "
        "Intacct never sends; it was refused unread",
        http_status,
    )


def _has_doctype(root: etree._Element) -> bool:
    # Any <!DOCTYPE>, with or without an internal subset, leaves a DTD on the document.
    dtd: etree.DTD | None = root.getroottree().docinfo.internalDTD
    return dtd is not None


def events(
    chunks: Iterable[bytes], http_status: int | None = None, max_bytes: int = MAX_BODY_BYTES
) -> Iterator[Event]:
    """Parse `chunks` and yield ("start"|"end", element) events for the `STRUCTURE`
    elements, ("chunk", root) once the root exists (after each chunk fed, so a caller can
    take the records completed so far), and ("close", root) at the end. The children of a
    `<data>` element give no events: take them from the tree.

    Raises `MalformedResponseError` (never an lxml exception) when the body is too large,
    carries a DTD, or is not well-formed XML (including a body cut off part way).
    """
    if isinstance(chunks, Chunks) and len(chunks.body) <= WHOLE_PARSE_MAX_BYTES:
        return _whole_events(chunks.body, http_status, max_bytes)
    return _streamed_events(chunks, http_status, max_bytes)


def _whole_events(body: bytes, http_status: int | None, max_bytes: int) -> Iterator[Event]:
    """`events()` for a body in memory: one parse, then a walk over the structure."""
    if len(body) > max_bytes:
        raise _too_large(max_bytes, http_status)
    root_start = _ROOT_START.search(body)
    if _DOCTYPE.search(body, 0, root_start.start() if root_start else len(body)):
        raise _forbidden_dtd(http_status)
    try:
        root = etree.fromstring(body, _new_whole_parser())
    except etree.XMLSyntaxError:
        # Say what is wrong exactly as the piece-by-piece parse does (cut off or not XML).
        yield from _streamed_events(iter(Chunks(body)), http_status, max_bytes)
        return
    if _has_doctype(root):  # hidden from the scan above, e.g. after a comment
        raise _forbidden_dtd(http_status)
    yield "chunk", root
    walk = etree.iterwalk(root, events=("start", "end"), tag=STRUCTURE)
    for event in walk:
        if event[0] == "start" and event[1].tag == "data":
            walk.skip_subtree()  # records: read from the tree by the caller, not walked
        yield event
    yield "close", root


def _streamed_events(
    chunks: Iterable[bytes], http_status: int | None, max_bytes: int
) -> Iterator[Event]:
    parser = new_pull_parser(STRUCTURE)
    root: etree._Element | None = None
    seen = 0
    prolog = b""  # bytes before the root element, kept to spot a DTD split across chunks
    in_prolog = True
    closing = False
    try:
        for chunk in chunks:
            if not chunk:
                continue
            seen += len(chunk)
            if seen > max_bytes:
                raise _too_large(max_bytes, http_status)
            if in_prolog:
                prolog += chunk
                if _DOCTYPE.search(prolog):
                    raise _forbidden_dtd(http_status)
                prolog = prolog[-4096:]  # enough to spot a declaration split across chunks
            parser.feed(chunk)
            for event in parser.read_events():
                in_prolog = False
                if root is None:
                    root = event[1].getroottree().getroot()  # type: ignore[union-attr]
                    if _has_doctype(root):
                        raise _forbidden_dtd(http_status)
                yield event  # type: ignore[misc]
            if root is not None:
                yield "chunk", root
        closing = True
        closed = parser.close()
        for event in parser.read_events():
            yield event  # type: ignore[misc]
        yield "close", closed
    except etree.XMLSyntaxError as exc:
        # well-formed so far but unfinished when the data ran out: the body was cut off
        reason = "truncated" if closing or "premature end" in str(exc).lower() else "not-xml"
        raise _malformed(
            reason,
            "The gateway's answer is not well-formed XML"
            + (" (it was cut off part way)" if reason == "truncated" else "")
            + f": {exc.msg if hasattr(exc, 'msg') else exc}",
            http_status,
        ) from None


def chunked(body: bytes, size: int = _CHUNK) -> Chunks:
    """A body already in memory for `events()`: parsed whole when it is small enough, else
    fed in parser-sized chunks."""
    return Chunks(body, size)
