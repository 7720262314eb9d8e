"""Pull: read Intacct objects page by page into the store.

Reference data first, then transactions. The first sync of a transaction object reads one
date range (at most `max_days_per_run` days, from `since`); once a read reaches today, the
object gets a cursor and later syncs read only records whose WHENMODIFIED is at or after the
cursor minus a small overlap. Giving `since` again later reads that year of older history and
leaves the cursor alone. Records are upserted by their Intacct key, so reading one twice
changes nothing.

Crash safety: readByQuery pages come in no particular WHENMODIFIED order, so the cursor is
written in the same transaction as the last page of the object, never earlier. A kill mid-read
leaves the old cursor (or none) and the next sync reads the object again from there.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from wizard.gateway import Client, GatewayError, Record
from wizard.gateway import functions as fn
from wizard.resources import resource_path
from wizard.sync.flows import FlowCatalogue
from wizard.sync.progress import Cancel, Meter, Phase
from wizard.sync.schema import PULLED_OBJECTS
from wizard.sync.store import Store


class PullPlanError(Exception):
    """resources/sync/pull.toml is wrong; the message says where."""


class Cancelled(Exception):
    """The user asked to stop; raised at a safe point."""


@dataclass(frozen=True)
class ObjectPlan:
    object: str
    stage: str  # "reference" or "transaction"
    fields: str
    date_field: str | None


@dataclass(frozen=True)
class PullPlan:
    objects: Mapping[str, ObjectPlan]
    max_days_per_run: int
    page_size: int

    def for_flows(self, catalogue: FlowCatalogue, flow_ids: Iterable[str]) -> list[ObjectPlan]:
        """The objects the chosen flows read, reference data first, in catalogue order."""
        wanted: list[str] = []
        for flow_id in catalogue.order(flow_ids):
            for obj in catalogue[flow_id].objects:
                if obj in self.objects and obj not in wanted:
                    wanted.append(obj)
        plans = [self.objects[obj] for obj in wanted]
        return sorted(plans, key=lambda p: 0 if p.stage == "reference" else 1)


def load_pull_plan(path: Path | None = None) -> PullPlan:
    path = path or resource_path("sync", "pull.toml")
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise PullPlanError(f"{path}: cannot be read ({error}); restore the file.") from None
    objects: dict[str, ObjectPlan] = {}
    for name, table in dict(data.get("objects", {})).items():
        where = f"{path.name} [objects.{name}]"
        if name not in PULLED_OBJECTS:
            raise PullPlanError(
                f"{where}: the store has no table for {name}; known: {', '.join(PULLED_OBJECTS)}."
            )
        stage = table.get("stage")
        if stage not in ("reference", "transaction"):
            raise PullPlanError(f'{where}: `stage` must be "reference" or "transaction".')
        date_field = table.get("date_field")
        if stage == "transaction" and not date_field:
            raise PullPlanError(f"{where}: a transaction object needs `date_field`.")
        objects[name] = ObjectPlan(name, stage, str(table.get("fields", "*")), date_field)
    days = data.get("max_days_per_run", 366)
    page = data.get("page_size", 1000)
    if not isinstance(days, int) or days < 1:
        raise PullPlanError(f"{path.name}: `max_days_per_run` must be a whole number of days.")
    if not isinstance(page, int) or not 1 <= page <= 1000:
        raise PullPlanError(f"{path.name}: `page_size` must be 1 to 1000.")
    return PullPlan(objects, days, page)


@functools.cache
def default_pull_plan() -> PullPlan:
    return load_pull_plan()


@dataclass(frozen=True)
class PullResult:
    object: str
    fetched: int  # records Intacct delivered
    total: int  # records Intacct said the read holds
    changed: int  # records inserted or changed in the store
    mode: str  # "full", "range" or "incremental"
    complete_to: dt.date | None  # a range read: history is now complete up to this day


def _intacct_date(day: dt.date) -> str:
    return day.strftime("%m/%d/%Y")


def pull_object(
    store: Store,
    client: Client,
    plan: ObjectPlan,
    *,
    since: dt.date | None,
    today: dt.date,
    max_days: int,
    page_size: int,
    overlap_s: int,
    meter: Meter,
    cancel: Cancel,
) -> PullResult:
    """Read one object into the store (see the module docstring for what is read)."""
    cursor = store.get_cursor(plan.object)
    set_cursor = True
    complete_to: dt.date | None = None
    backfill = since is not None and plan.stage == "transaction" and plan.date_field
    if cursor is not None and not backfill:
        start = cursor.query_from
        query = f"WHENMODIFIED >= '{start.strftime('%m/%d/%Y %H:%M:%S')}'"
        mode = "incremental"
    elif plan.stage == "transaction" and plan.date_field:
        first = since or (today - dt.timedelta(days=max_days - 1))
        end = first + dt.timedelta(days=max_days)  # exclusive
        query = (
            f"{plan.date_field} >= '{_intacct_date(first)}' AND "
            f"{plan.date_field} < '{_intacct_date(end)}'"
        )
        mode = "range"
        # Only a first read that reaches today may start the incremental cursor; reading
        # older history later (a cursor exists) leaves it where it is, or changes made to
        # records outside the range would be skipped.
        set_cursor = cursor is None and end > today
        complete_to = min(end - dt.timedelta(days=1), today)
    else:
        query = ""
        mode = "full"
    reader = client.read_by_query(plan.object, query, plan.fields, page_size)
    changed = 0
    newest = ""  # the newest WHENMODIFIED read so far (sortable ISO)

    meter.report(Phase.PULL, plan.object, 0, None)
    stored = in_page = 0
    # Each page goes to the store as it is parsed, in one transaction that commits only once
    # the page is complete and checked (a page that fails rolls back). The last page and the
    # cursor commit together.
    for page in reader.by_page():
        with store.transaction():
            written = store.write_pulled(plan.object, page)
            changed += written.changed
            if written.newest_modified is not None and written.newest_modified > newest:
                newest = written.newest_modified
            # Every record of the read is stored once the last page is: the newest change
            # read is safe to start from next time. (Records stored by earlier reads and not
            # read again cannot be newer than the cursor they left, or they would match an
            # incremental read; a history read that sets the first cursor may start it a
            # little early, which only reads more.)
            last = not reader.more
            if (
                last
                and set_cursor
                and newest
                and (cursor is None or newest >= cursor.last_modified)
            ):
                store.set_cursor(plan.object, newest, overlap_s)
        in_page, stored = reader.fetched - stored, reader.fetched
        if last:
            break
        meter.report(Phase.PULL, plan.object, reader.fetched, reader.total, in_page)
        if cancel.requested:
            raise Cancelled(plan.object)
    total = reader.total if reader.total is not None else reader.fetched
    meter.report(Phase.PULL, plan.object, reader.fetched, total, in_page)
    return PullResult(plan.object, reader.fetched, total, changed, mode, complete_to)


ClientFactory = Callable[[], Client]


def _dimension_entries(records: tuple[Record, ...]) -> list[Record]:
    """getDimensions answers one <dimensions> block; the parser flattens its <dimension>
    children to "dimension.objectName", "dimension[2].objectName", ... Split them again."""
    entries: dict[str, Record] = {}
    for record in records:
        for key, value in record.items():
            head, _, name = key.rpartition(".")
            if not head:  # already one record per dimension
                entries.setdefault(str(id(record)), {})[key] = value
                continue
            entries.setdefault(head, {})[name] = value
    return [e for e in entries.values() if e.get("objectName")]


def pull_dimensions(
    store: Store,
    client: Client,
    *,
    page_size: int,
    overlap_s: int,
    meter: Meter,
    cancel: Cancel,
) -> tuple[list[PullResult], list[tuple[str, GatewayError]]]:
    """The company's dimensions (getDimensions) and the values of each user-defined one.
    A dimension whose values cannot be read is reported on its own; the others go on."""
    result = client.call(fn.get_dimensions()).raise_for_status()
    dimensions = _dimension_entries(result.records)
    changed = store.upsert_pulled("DIMENSIONS", dimensions)
    meter.report(Phase.PULL, "DIMENSIONS", len(dimensions), len(dimensions), len(dimensions))
    results = [PullResult("DIMENSIONS", len(dimensions), len(dimensions), changed, "full", None)]
    failures: list[tuple[str, GatewayError]] = []
    for dimension in dimensions:
        if dimension.get("userDefinedDimension", "").lower() != "true":
            continue
        name = dimension["objectName"]
        plan = ObjectPlan(name, "reference", "*", None)
        try:
            results.append(
                pull_object(
                    store,
                    client,
                    plan,
                    since=None,
                    today=dt.date.today(),
                    max_days=366,
                    page_size=page_size,
                    overlap_s=overlap_s,
                    meter=meter,
                    cancel=cancel,
                )
            )
        except GatewayError as error:
            failures.append((name, error))
    return results, failures
