"""The one XML parser setup the gateway client uses, hardened against hostile answers.

Every byte the client reads from the network goes through `events()`: an lxml pull parser
that never expands entities, never loads a DTD, never touches the network, and refuses any
document type declaration outright (Intacct never sends one, so a `<!DOCTYPE` is either a
CDN page or an attack such as "billion laughs" or an external entity). Bodies larger than
`MAX_BODY_BYTES` are refused before parsing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Final

from lxml import etree

from wizard.gateway.errors import ErrorLevel, MalformedResponseError

# A full readByQuery page of 1000 wide records is a few MB; 64 MB leaves a wide margin.
MAX_BODY_BYTES: Final = 64 * 1024 * 1024
_CHUNK: Final = 64 * 1024
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)

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


def new_pull_parser(tags: tuple[str, ...] | None = None) -> etree.XMLPullParser:
    """A pull parser with entities, DTDs and network access all switched off."""
    return etree.XMLPullParser(
        events=("start", "end"),
        tag=tags,
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def _malformed(reason: str, summary: str, http_status: int | None) -> MalformedResponseError:
    return MalformedResponseError(
        ErrorLevel.TRANSPORT, summary, http_status=http_status, reason=reason
    )


def events(
    chunks: Iterable[bytes], http_status: int | None = None, max_bytes: int = MAX_BODY_BYTES
) -> Iterator[Event]:
    """Parse `chunks` incrementally and yield ("start"|"end", element) events for the
    `STRUCTURE` elements, ("chunk", root) after each chunk once the root exists, and
    ("close", root) at the end.

    Raises `MalformedResponseError` (never an lxml exception) when the body is too large,
    carries a DTD, or is not well-formed XML (including a body cut off part way).
    """
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
                raise _malformed(
                    "too-large",
                    f"The gateway's answer is larger than {max_bytes // (1024 * 1024)} MB; "
                    "ask for smaller pages",
                    http_status,
                )
            if in_prolog:
                prolog = (prolog + chunk)[-4096:]
                if _DOCTYPE.search(prolog):
                    raise _malformed(
                        "forbidden-dtd",
                        "The gateway's answer contains a document type declaration, which "
                        "Intacct never sends; it was refused unread",
                        http_status,
                    )
            parser.feed(chunk)
            for event in parser.read_events():
                in_prolog = False
                if root is None:
                    root = event[1].getroottree().getroot()  # type: ignore[union-attr]
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


def chunked(body: bytes, size: int = _CHUNK) -> Iterator[bytes]:
    """Split a body already in memory into parser-sized chunks."""
    for start in range(0, len(body), size):
        yield body[start : start + size]
