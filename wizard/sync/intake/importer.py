"""Records to send, from files: a CSV or JSON Lines file -> outbox records, whole or not at all.

Every row is checked (dates, amounts, required columns, customers and invoices it refers to,
lines that add up to the total); any problem and nothing of the file is added, and each problem
names its row, its column and what to change. Records are keyed by their document number (or
external id), so importing the same file again adds nothing; a changed record updates the one
still waiting, and is refused if it already went to Intacct. Rows stream through one
transaction: memory stays flat however long the file is.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from wizard.sync.intake.files import (
    LINES_KEY,
    OpenedFile,
    SourceRow,
    UnreadableFile,
    open_records,
)
from wizard.sync.intake.grouping import check_header, read_records
from wizard.sync.intake.results import ImportResult, Problem, Record, Tally
from wizard.sync.intake.templates import Check, Template, default_templates
from wizard.sync.intake.values import add_amounts
from wizard.sync.outbox import OutboxKind, OutboxState
from wizard.sync.store import Store

_INVOICE_KINDS = (OutboxKind.INVOICE, OutboxKind.CONVENIENCE_FEE_INVOICE)


class _Rollback(Exception):
    pass


class Importer:
    """Imports files into one store's outbox. Customers and invoices a file refers to are
    looked up in the pulled mirror and in the outbox (including files imported before by
    this importer, even in a dry run)."""

    def __init__(self, store: Store, templates: Mapping[str, Template] | None = None) -> None:
        self._store = store
        self.templates = dict(templates or default_templates())
        self._customers: dict[str, bool] = {}
        self._planned_customers: set[str] = set()
        self._invoice_documents: dict[str, int] | None = None
        self._planned_invoices: set[str] = set()
        self._mirror_has_customers: bool | None = None

    # -- which template ------------------------------------------------------------------------

    def template_for(self, header: Iterable[str], name: str | None = None) -> Template:
        """The template a file's columns belong to (or the one named). ValueError says why not."""
        if name is not None:
            try:
                return self.templates[name]
            except KeyError:
                raise ValueError(
                    f"There is no {name!r} template; use one of {', '.join(self.templates)}."
                ) from None
        columns = {c.strip().upper() for c in header}
        best: tuple[int, Template] | None = None
        for template in self.templates.values():
            names = {c.name for c in template.columns}
            if template.key not in columns:
                continue
            score = len(columns & names) - len(columns - names - {LINES_KEY})
            if best is None or score > best[0]:
                best = (score, template)
        if best is None:
            keys = ", ".join(f"{t.key} ({t.title.lower()})" for t in self.templates.values())
            raise ValueError(
                "The first row does not name the columns of any template the wizard knows: "
                f"it needs one of {keys}. Start from a template (Save a template...)."
            )
        return best[1]

    # -- import ---------------------------------------------------------------------------------

    def import_file(
        self, path: Path, template_name: str | None = None, *, dry_run: bool = False
    ) -> ImportResult:
        path = Path(path)
        try:
            opened, rows = open_records(path)
        except UnreadableFile as error:
            return ImportResult(
                path,
                None,
                None,
                None,
                dry_run,
                problems=(Problem(None, "the file", None, str(error)),),
            )
        try:
            template = self.template_for(opened.header, template_name)
        except ValueError as error:
            close = getattr(rows, "close", None)
            if close:
                close()
            return ImportResult(
                path,
                None,
                opened.format,
                opened.encoding,
                dry_run,
                problems=(Problem(1, "the first row", None, str(error)),),
            )
        tally = Tally()
        planned_customers: set[str] = set()
        planned_invoices: set[str] = set()
        try:
            with self._store.transaction():
                check_header(opened, template, tally)
                for record in read_records(rows, template, tally, opened.format):
                    self._write(record, template, tally, planned_customers, planned_invoices)
                if tally.records == 0 and not tally.problems:
                    tally.problem(
                        None,
                        None,
                        "The file has its column names but no records. Add one record per row "
                        "under the column names.",
                    )
                if tally.problems or tally.more or dry_run:
                    raise _Rollback
        except _Rollback:
            pass
        ok = not tally.problems and not tally.more
        if ok:
            # A later file of this import may refer to these (a dry run wrote nothing).
            self._planned_customers |= planned_customers
            self._planned_invoices |= planned_invoices
        if not ok or dry_run:
            self._customers.clear()
        # The outbox changed (or a dry run's view of it ended): read its invoices afresh, so a
        # later file's payments find the invoices this one added.
        self._invoice_documents = None
        return ImportResult(
            path,
            template,
            opened.format,
            opened.encoding,
            dry_run,
            records=tally.records,
            rows=tally.rows,
            added=tally.added,
            updated=tally.updated,
            unchanged=tally.unchanged,
            problems=tuple(tally.problems),
            more_problems=tally.more,
            warnings=_warnings(tally),
        )

    # -- checks and writing ----------------------------------------------------------------------

    def _customer_known(self, customer_id: str, planned: set[str]) -> bool:
        if customer_id in planned or customer_id in self._planned_customers:
            return True
        known = self._customers.get(customer_id)
        if known is None:
            known = bool(self._store.find_pulled("CUSTOMER", customer_id)) or (
                self._store.outbox_find(OutboxKind.CUSTOMER, customer_id) is not None
            )
            if len(self._customers) > 50_000:
                self._customers.clear()
            self._customers[customer_id] = known
        return known

    def _customers_read(self) -> bool:
        """Whether a sync has read the company's customers (else they cannot be checked)."""
        if self._mirror_has_customers is None:
            self._mirror_has_customers = self._store.count("CUSTOMER") > 0
        return self._mirror_has_customers

    def _invoice(self, number: str, planned: set[str]) -> tuple[int | None, str | None] | None:
        """(outbox id, None) for an invoice in the outbox, (None, RECORDNO) for one Intacct
        has; None if neither knows it."""
        if self._invoice_documents is None:
            self._invoice_documents = self._store.outbox_documents(_INVOICE_KINDS)
        if number in self._invoice_documents:
            return self._invoice_documents[number], None
        if number in planned or number in self._planned_invoices:
            return None, "planned"
        pulled = self._store.find_pulled("ARINVOICE", number)
        if pulled:
            return None, pulled[0].record_no
        return None

    def _write(
        self,
        record: Record,
        template: Template,
        tally: Tally,
        planned_customers: set[str],
        planned_invoices: set[str],
    ) -> None:
        row = record.first
        header = record.header
        payload: dict[str, Any] = {}
        for column in template.header_columns:
            key = column.payload_key
            if key and header.get(column.name):
                payload[key] = header[column.name]
        depends_on: int | None = None
        for column in template.header_columns:
            value = header.get(column.name)
            if not value or column.check is None:
                continue
            if column.check is Check.CUSTOMER and not self._customer_known(
                value, planned_customers
            ):
                if self._customers_read():
                    record.bad = True
                    tally.problem(
                        row,
                        column.name,
                        f"No customer {value} in Intacct (as last synced) or in the records "
                        "to send. Check the ID, or add the customer in a customers file first.",
                    )
                else:
                    tally.unverified.add(value)
            if column.check is Check.INVOICE:
                found = self._invoice(value, planned_invoices)
                if found is None:
                    record.bad = True
                    tally.problem(
                        row,
                        column.name,
                        f"No invoice {value} in Intacct (as last synced) or in the records to "
                        "send. Check the number, or add the invoice first.",
                    )
                else:
                    outbox_id, intacct_key = found
                    if outbox_id is not None:
                        depends_on = outbox_id
                    elif intacct_key and intacct_key != "planned":
                        payload["invoice_key"] = intacct_key
        if template.lines:
            lines = []
            for line in record.lines:
                lines.append(
                    {
                        c.payload_key: line[c.name]
                        for c in template.line_columns
                        if c.payload_key and line.get(c.name)
                    }
                )
            payload["lines"] = lines
            if template.total and header.get(template.total) and not record.bad:
                total = Decimal(header[template.total])
                added = add_amounts([line.get("amount", "0") for line in lines])
                if total != added:
                    tally.problem(
                        row,
                        template.total,
                        f"The lines add up to {added}, not {total}. Correct the line amounts "
                        f"or the {template.total}.",
                    )
                    record.bad = True
        self._kind_rules(template, payload, record, tally)
        if record.bad:
            return
        local_id = header.get(template.external_id or "", "") or record.key
        if template.kind is OutboxKind.CUSTOMER:
            planned_customers.add(record.key)
        if template.kind in _INVOICE_KINDS:
            planned_invoices.add(record.key)
        existing = self._store.outbox_find(template.kind, local_id)
        if existing is None:
            self._store.outbox_put(
                template.kind, local_id, payload, document_no=record.key, depends_on=depends_on
            )
            tally.added += 1
            return
        if existing.payload == payload and existing.depends_on == depends_on:
            tally.unchanged += 1
            return
        if existing.state in (OutboxState.PENDING, OutboxState.FAILED):
            self._store.outbox_put(
                template.kind, local_id, payload, document_no=record.key, depends_on=depends_on
            )
            if existing.state is OutboxState.FAILED:
                self._store.retry(existing.id)
            tally.updated += 1
            return
        what = template.title.lower().rstrip("s")
        if existing.state is OutboxState.LANDED:
            message = (
                f"This {what} already went to Intacct and has changed since; the wizard does "
                "not change records in Intacct. Change it in Intacct, or give the changed "
                f"record a new {template.key}."
            )
        elif existing.state is OutboxState.IN_FLIGHT:
            message = (
                f"This {what} is being sent to Intacct right now; import the file again "
                "after the sync finishes."
            )
        else:
            message = (
                f"This {what} is set to be ignored; send it again from the sync results "
                "before changing it here."
            )
        tally.problem(row, template.key, message)

    def _kind_rules(
        self, template: Template, payload: dict[str, Any], record: Record, tally: Tally
    ) -> None:
        row = record.first
        undated = not (payload.get("due_date") or payload.get("terms"))
        if template.kind is OutboxKind.INVOICE and undated and not record.bad:
            record.bad = True
            tally.problem(
                row,
                "DUE_DATE",
                "An invoice needs a due date or payment terms: fill DUE_DATE or TERM_NAME.",
            )
        if template.kind is OutboxKind.PAYMENT:
            targets = [k for k in ("bank_account", "undeposited_account") if payload.get(k)]
            if len(targets) != 1:
                record.bad = True
                tally.problem(
                    row,
                    "BANK_ACCOUNT_ID",
                    "Say where the money went: fill BANK_ACCOUNT_ID or UNDEPOSITED_ACCOUNT_NO "
                    "(one of them, not both).",
                )


def preview_rows(path: Path, count: int = 5) -> tuple[OpenedFile, list[SourceRow]]:
    """The first rows of a file, to show before adding it. UnreadableFile if it cannot be."""
    opened, rows = open_records(Path(path))
    try:
        first = list(itertools.islice(rows, count))
    except UnreadableFile:
        first = []
    close = getattr(rows, "close", None)
    if close:
        close()
    return opened, first


def _warnings(tally: Tally) -> tuple[str, ...]:
    if not tally.unverified:
        return ()
    some = sorted(tally.unverified)
    named = ", ".join(some[:5]) + (f" and {len(some) - 5} more" if len(some) > 5 else "")
    return (
        f"Could not check the customers {named}: the wizard has not read your Intacct "
        "customers yet. The first sync reads them and refuses records whose customer Intacct "
        "does not have, each with its fix.",
    )
