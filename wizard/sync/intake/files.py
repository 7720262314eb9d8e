"""Reading a file of records: what it is (CSV or JSON Lines), its text encoding, its rows.

Rows stream: nothing holds the whole file. Text is read as UTF-8 (with or without a byte order
mark), UTF-16 with a byte order mark (what Excel's "Unicode text" writes), or Windows-1252 (what
Excel's plain "CSV" writes on Windows) when the file is not valid UTF-8. A file that is not
text (an Excel workbook, a PDF) or that is empty gets a message saying what to do instead.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import orjson

_CHUNK = 1 << 16
LINES_KEY = "LINES"


class FileFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


class UnreadableFile(Exception):
    """The file cannot be read as records; the message says why and what to do."""


@dataclass(frozen=True)
class SourceRow:
    """One row of a CSV file, or one line item of a JSON Lines record (its header fields on
    the first)."""

    number: int  # CSV: the spreadsheet row (the header is row 1); JSON Lines: the line
    values: dict[str, str]
    where: str  # "row 5", "line 5", "line 5, line item 2"
    item: int | None = None  # JSON Lines: the line item's position in LINES
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OpenedFile:
    path: Path
    format: FileFormat
    encoding: str  # as a person would name it: "UTF-8", "UTF-16", "Windows-1252"
    header: tuple[str, ...]  # CSV: the columns; JSON Lines: the keys of the first record


_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "an Excel workbook (or another zipped file)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
    (b"%PDF", "a PDF document"),
)


def _encoding(path: Path) -> tuple[str, str]:
    """(Python codec, name shown) of a text file; UnreadableFile if it is not one."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_CHUNK)
    except OSError as error:
        raise UnreadableFile(f"{path.name} cannot be opened ({error.strerror}).") from None
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise UnreadableFile(
            f"{path.name} is empty. Fill in the template (the column names on the first row, "
            "one record per row) and add it again."
        )
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            raise UnreadableFile(
                f"{path.name} is {what}, not a CSV or JSON Lines file. Open it in Excel and "
                "choose File > Save As > CSV UTF-8 (Comma delimited), then add that file."
            )
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "UTF-8"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32", "UTF-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "UTF-16"
    if b"\x00" in head:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) // 4 and even == 0:
            return "utf-16-le", "UTF-16"
        if even > len(head) // 4 and odd == 0:
            return "utf-16-be", "UTF-16"
        raise UnreadableFile(
            f"{path.name} is not a text file. Save it from your spreadsheet as CSV UTF-8 "
            "(Comma delimited), or export JSON Lines, and add that file."
        )
    for codec, shown in (("utf-8", "UTF-8"), ("cp1252", "Windows-1252")):
        if _decodes(path, codec):
            return codec, shown
    raise UnreadableFile(
        f"{path.name} is not in a text encoding the wizard reads (UTF-8, UTF-16 or "
        "Windows-1252). Save it again as CSV UTF-8 (Comma delimited)."
    )


def _decodes(path: Path, codec: str) -> bool:
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _format(path: Path, first_line: str) -> FileFormat:
    suffix = path.suffix.lower()
    stripped = first_line.lstrip()
    if stripped.startswith("["):
        raise UnreadableFile(
            f"{path.name} holds one JSON list; the wizard reads JSON Lines: one record (an "
            "object in braces) per line, no list around them."
        )
    if suffix in {".jsonl", ".ndjson", ".json"} or stripped.startswith("{"):
        return FileFormat.JSONL
    if suffix in {".csv", ".txt", ".tsv"} or any(sep in first_line for sep in ",;\t"):
        return FileFormat.CSV
    raise UnreadableFile(
        f"{path.name} is neither a CSV file (column names on the first row, separated by "
        "commas) nor JSON Lines (one record in braces per line). Start from a template: "
        "Save a template..."
    )


def open_records(path: Path) -> tuple[OpenedFile, Iterator[SourceRow]]:
    """What the file is, and its rows (streamed). Raises UnreadableFile before any row."""
    path = Path(path)
    codec, shown = _encoding(path)
    handle = path.open(encoding=codec, newline="")
    try:
        first_line = handle.readline()
        while first_line and not first_line.strip():
            first_line = handle.readline()
        if not first_line:
            raise UnreadableFile(f"{path.name} is empty (only blank lines).")
        kind = _format(path, first_line)
    except BaseException:
        handle.close()
        raise
    if kind is FileFormat.CSV:
        delimiter = ","
        if "," not in first_line:
            delimiter = "\t" if "\t" in first_line else ";" if ";" in first_line else ","
        header = tuple(next(csv.reader([first_line], delimiter=delimiter)))
        opened = OpenedFile(path, kind, shown, tuple(h.strip() for h in header))
        return opened, _csv_rows(handle, opened.header, delimiter)
    try:
        first = _json_object(first_line, 1, path)
    except BaseException:
        handle.close()
        raise
    opened = OpenedFile(path, kind, shown, tuple(str(k) for k in first))
    return opened, _jsonl_rows(handle, first, first_line, path)


def _csv_rows(
    handle: io.TextIOBase, header: tuple[str, ...], delimiter: str
) -> Iterator[SourceRow]:
    width = len(header)
    with handle:
        reader = csv.reader(handle, delimiter=delimiter)
        number = 1
        for cells in reader:
            number += 1
            if not any(cell.strip() for cell in cells):
                continue
            values = dict(zip(header, (c.strip() for c in cells), strict=False))
            extra: dict[str, Any] = {}
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                extra["overflow"] = len(cells) - width
            yield SourceRow(number, values, f"row {number}", extra=extra)


def _json_object(line: str, number: int, path: Path) -> dict[str, Any]:
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        raise UnreadableFile(
            f"{path.name}, line {number}: not a JSON record ({error.msg}). Each line must be "
            'one object, e.g. {"CUSTOMER_ID": "C-1001", "NAME": "Acme"}.'
        ) from None
    if not isinstance(value, dict):
        raise UnreadableFile(
            f"{path.name}, line {number}: each line must be one JSON object in braces."
        )
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (dict, list)):
        return orjson.dumps(value).decode()
    return str(value).strip()


def _jsonl_rows(
    handle: io.TextIOBase, first: dict[str, Any], first_line: str, path: Path
) -> Iterator[SourceRow]:
    with handle:
        number = 0
        pending: dict[str, Any] | None = first
        lines = iter(handle)
        # the first record's line number: count the lines read before it
        number = 1
        while pending is not None:
            record = pending
            items = record.get(LINES_KEY)
            header = {str(k): _text(v) for k, v in record.items() if k != LINES_KEY}
            if isinstance(items, list) and items:
                for position, item in enumerate(items, start=1):
                    values = dict(header) if position == 1 else {}
                    if isinstance(item, dict):
                        values.update({str(k): _text(v) for k, v in item.items()})
                    else:
                        values["__not_object__"] = _text(item)
                    yield SourceRow(
                        number, values, f"line {number}, line item {position}", item=position
                    )
            else:
                extra = {"lines_not_list": True} if items is not None else {}
                yield SourceRow(number, header, f"line {number}", extra=extra)
            pending = None
            for text in lines:
                number += 1
                if text.strip():
                    pending = _json_object(text, number, path)
                    break
