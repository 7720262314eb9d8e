"""The files of records to send that the wizard accepts (resources/templates/templates.toml).

One template per kind of record: its columns, which column names a record, and whether a
record spans several rows (invoices and adjustments: one row per line, the header columns
filled on the first row of each record).
"""

from __future__ import annotations

import csv
import functools
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from wizard.resources import resource_path
from wizard.sync.outbox import OutboxKind


class TemplateDataError(Exception):
    """resources/templates/templates.toml is wrong; the message says where."""


class ColumnType(StrEnum):
    TEXT = "text"
    DATE = "date"
    AMOUNT = "amount"


class Check(StrEnum):
    CUSTOMER = "customer"
    INVOICE = "invoice"


@dataclass(frozen=True)
class Column:
    name: str
    field: str | None  # payload key ("line.X" on lines); None: used by the import itself
    type: ColumnType
    required: bool
    on_line: bool
    check: Check | None
    payload_key: str | None = None  # `field` without "line."; set from it

    def __post_init__(self) -> None:
        key = self.field.removeprefix("line.") if self.field else None
        object.__setattr__(self, "payload_key", key)


@dataclass(frozen=True)
class Template:
    name: str  # customers, invoices, adjustments, payments
    kind: OutboxKind
    title: str
    file: Path  # the CSV template, header row only
    key: str
    external_id: str | None
    lines: bool
    total: str | None
    columns: tuple[Column, ...]
    header_columns: tuple[Column, ...] = ()  # set from `columns`
    line_columns: tuple[Column, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "header_columns", tuple(c for c in self.columns if not c.on_line))
        object.__setattr__(self, "line_columns", tuple(c for c in self.columns if c.on_line))

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def load_templates(folder: Path | None = None) -> dict[str, Template]:
    folder = folder or resource_path("templates")
    path = folder / "templates.toml"
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise TemplateDataError(f"{path}: cannot be read ({error}); restore the file.") from None
    templates: dict[str, Template] = {}
    for name, table in dict(data.get("templates", {})).items():
        where = f"{path.name} [templates.{name}]"
        try:
            kind = OutboxKind(table.get("kind"))
        except ValueError:
            raise TemplateDataError(f"{where}: `kind` must be an outbox kind.") from None
        for key in ("title", "file", "key"):
            if not isinstance(table.get(key), str) or not table[key]:
                raise TemplateDataError(f"{where}: `{key}` must be a non-empty text.")
        columns: list[Column] = []
        for number, raw in enumerate(table.get("columns", []), start=1):
            try:
                field = raw.get("field")
                column = Column(
                    name=str(raw["name"]),
                    field=str(field) if field else None,
                    type=ColumnType(raw.get("type", "text")),
                    required=bool(raw.get("required", False)),
                    on_line=bool(raw.get("line", False)) or str(field or "").startswith("line."),
                    check=Check(raw["check"]) if raw.get("check") else None,
                )
            except (KeyError, ValueError, AttributeError) as error:
                raise TemplateDataError(f"{where}: column {number} is wrong ({error}).") from None
            columns.append(column)
        template = Template(
            name=name,
            kind=kind,
            title=table["title"],
            file=folder / table["file"],
            key=table["key"],
            external_id=table.get("external_id"),
            lines=bool(table.get("lines", False)),
            total=table.get("total"),
            columns=tuple(columns),
        )
        names = [c.name for c in columns]
        for named in (template.key, template.external_id, template.total):
            if named is not None and named not in names:
                raise TemplateDataError(f"{where}: {named} is named but not among its columns.")
        if any(c.on_line for c in columns) and not template.lines:
            raise TemplateDataError(f"{where}: line columns need `lines = true`.")
        try:
            with template.file.open(newline="", encoding="utf-8") as handle:
                header = next(csv.reader(handle), [])
        except OSError as error:
            raise TemplateDataError(
                f"{where}: its CSV template cannot be read ({error})."
            ) from None
        if header != names:
            raise TemplateDataError(
                f"{where}: the columns of {template.file.name} ({', '.join(header)}) differ from "
                f"the columns listed here ({', '.join(names)}); make them the same."
            )
        templates[name] = template
    if not templates:
        raise TemplateDataError(f"{path.name}: no [templates.*] at all; restore the file.")
    return templates


@functools.cache
def default_templates() -> dict[str, Template]:
    return load_templates()
