"""What the pull reads: resources/sync/pull.toml, loaded and checked at start-up."""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from wizard.gateway import functions as fn
from wizard.resources import resource_path
from wizard.sync.flows import FlowCatalogue
from wizard.sync.schema import PULLED_OBJECTS


class PullPlanError(Exception):
    """resources/sync/pull.toml is wrong; the message says where."""


@dataclass(frozen=True)
class ObjectPlan:
    object: str
    stage: str  # "reference" or "transaction"
    fields: str
    date_field: str | None
    key_field: str = "RECORDNO"  # the stable key pages are ordered by


@dataclass(frozen=True)
class PullPlan:
    objects: Mapping[str, ObjectPlan]
    max_days_per_run: int
    page_size: int  # readByQuery (a first page of every field)
    query_page_size: int = fn.QUERY_MAX_PAGE

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
    if not isinstance(page, int) or not 1 <= page <= fn.READ_BY_QUERY_MAX_PAGE:
        raise PullPlanError(f"{path.name}: `page_size` must be 1 to 1000.")
    query_page = data.get("query_page_size", fn.QUERY_MAX_PAGE)
    if not isinstance(query_page, int) or not 2 <= query_page <= fn.QUERY_MAX_PAGE:
        raise PullPlanError(f"{path.name}: `query_page_size` must be 2 to 2000.")
    return PullPlan(objects, days, page, query_page)


@functools.cache
def default_pull_plan() -> PullPlan:
    return load_pull_plan()
