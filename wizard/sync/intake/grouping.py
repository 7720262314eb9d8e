"""Rows -> records: the header row checked against the template, the rows of one record
(an invoice's lines) gathered, and every cell parsed, each problem noted where it is."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from difflib import get_close_matches

from wizard.sync.intake.files import LINES_KEY, FileFormat, OpenedFile, SourceRow, UnreadableFile
from wizard.sync.intake.results import Record, Tally
from wizard.sync.intake.templates import Column, Template
from wizard.sync.intake.values import BadValue, parse


def check_header(opened: OpenedFile, template: Template, tally: Tally) -> None:
    if opened.format is not FileFormat.CSV:
        return
    names = [c.name for c in template.columns]
    seen: set[str] = set()
    first = SourceRow(1, {}, "the first row")
    for name in opened.header:
        if name in seen:
            tally.problem(first, name, "This column name appears twice; keep one.")
        seen.add(name)
        if name.upper() not in names:
            tally.problem(first, name, unknown_column(name, template))
    present = {name.upper() for name in opened.header}
    for column in template.columns:
        if column.required and column.name not in present:
            tally.problem(
                first,
                column.name,
                f"The {template.title.lower()} template needs this column; add it.",
            )


def read_records(
    rows: Iterator[SourceRow],
    template: Template,
    tally: Tally,
    opened_format: FileFormat,
) -> Iterator[Record]:
    names = {c.name for c in template.columns}
    current: Record | None = None
    seen_keys: dict[str, int] = {}
    try:
        for row in rows:
            tally.rows += 1
            if row.extra.get("overflow"):
                tally.problem(
                    row,
                    None,
                    f"This row has {row.extra['overflow']} more cell(s) than there are "
                    "column names; a comma inside a value needs quotes around the value.",
                )
            if row.extra.get("lines_not_list"):
                tally.problem(row, LINES_KEY, "LINES must be a list of line objects.")
            if opened_format is FileFormat.JSONL:
                for key in row.values:
                    if key.upper() not in names:
                        tally.problem(row, key, unknown_column(key, template))
            values = {k.upper(): v for k, v in row.values.items()}
            key = values.get(template.key, "")
            continues = (
                current is not None
                and template.lines
                and (key == current.key or (row.item is not None and row.item > 1))
            )
            if continues and current is not None:
                add_line(current, row, values, template, tally)
                continue
            if current is not None:
                yield current
                current = None
            if not key:
                tally.problem(row, template.key, "Fill in the record's number; it is required.")
                continue
            if key in seen_keys:
                tally.problem(
                    row,
                    template.key,
                    f"{key} is already on row {seen_keys[key]}. Keep one record per number "
                    + ("(the rows of one record together)." if template.lines else "."),
                )
                continue
            seen_keys[key] = row.number
            tally.records += 1
            current = Record(key, row, {})
            for column in template.header_columns:
                current.header[column.name] = cell(row, values, column, tally, current)
            if template.lines:
                add_line(current, row, values, template, tally)
    except UnreadableFile as error:
        tally.problem(None, None, str(error))
    if current is not None:
        yield current


def cell(
    row: SourceRow,
    values: Mapping[str, str],
    column: Column,
    tally: Tally,
    record: Record,
) -> str:
    text = values.get(column.name, "")
    if not text:
        if column.required:
            record.bad = True
            tally.problem(row, column.name, "This is required; fill it in.")
        return ""
    try:
        return parse(text, column.type)
    except BadValue as error:
        record.bad = True
        tally.problem(row, column.name, str(error))
        return ""


def add_line(
    record: Record,
    row: SourceRow,
    values: Mapping[str, str],
    template: Template,
    tally: Tally,
) -> None:
    if row is not record.first:
        for column in template.header_columns:
            text = values.get(column.name, "")
            if text and text != record.first.values.get(column.name, text):
                first_text = values.get(column.name)
                tally.problem(
                    row,
                    column.name,
                    f"{first_text!r} differs from {record.first.where} of the same record "
                    f"({record.first.values.get(column.name)!r}); leave it empty on the "
                    "record's later rows, or make it the same.",
                )
                record.bad = True
    line = {c.name: cell(row, values, c, tally, record) for c in template.line_columns}
    record.lines.append(line)
    record.line_rows.append(row)


def unknown_column(column: str, template: Template) -> str:
    names = [c.name for c in template.columns]
    near = get_close_matches(column.upper(), names, n=1, cutoff=0.6)
    hint = f" Did you mean {near[0]}?" if near else ""
    return (
        f"{column!r} is not a column of the {template.title} template.{hint} Rename or "
        "remove the column (the template lists the columns the wizard reads)."
    )
