"""What a function handler sees: the company, the session's entity, the scenarios that are on."""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from wizard.sandbox import messages
from wizard.sandbox.company import RIGHT_FOR_OPERATION, Company
from wizard.sandbox.errors import ResultFailure
from wizard.sandbox.objects import ObjectSpec, Table
from wizard.sandbox.scenarios import SCENARIOS, Scenario

READ_OPERATIONS = frozenset({"READ", "READ_BY_NAME", "READ_BY_QUERY"})


@dataclass
class ResultSet:
    """A readByQuery result kept for readMore: the matching rows, frozen at the first page."""

    table: Table
    tag: str
    fields: tuple[str, ...]
    picks: tuple[int, ...] | None
    indices: Sequence[int]
    position: int
    session_key: str
    pagesize: int = 100


class ResultSets:
    """The open readByQuery results (the oldest are dropped beyond `limit`)."""

    def __init__(self, limit: int = 200) -> None:
        self._sets: OrderedDict[str, ResultSet] = OrderedDict()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.limit = limit

    def add(self, result: ResultSet) -> str:
        with self._lock:
            result_id = f"7765623{next(self._ids):09d}SBX"
            self._sets[result_id] = result
            while len(self._sets) > self.limit:
                self._sets.popitem(last=False)
            return result_id

    def get(self, result_id: str) -> ResultSet | None:
        with self._lock:
            return self._sets.get(result_id)

    def latest(self, session_key: str, object_name: str) -> str | None:
        """The newest open result of this session for `object_name` (readMore by object)."""
        with self._lock:
            for result_id in reversed(self._sets):
                found = self._sets[result_id]
                if found.session_key == session_key and found.table.spec.name == object_name:
                    return result_id
            return None

    def drop(self, result_id: str) -> None:
        with self._lock:
            self._sets.pop(result_id, None)


@dataclass
class Context:
    company: Company
    scenarios: frozenset[str]
    entity: str
    user_id: str
    session_key: str
    results: ResultSets
    base_url: str
    strict: bool = False  # answer only what public sources document (no chosen facts)

    def on(self, name: str) -> bool:
        return name in self.scenarios

    @staticmethod
    def scenario(name: str) -> Scenario:
        return SCENARIOS[name]

    def hidden_fields(self) -> frozenset[str]:
        if self.on("field-not-found"):
            return frozenset(self.scenario("field-not-found").params.get("fields", ()))
        return frozenset()

    def spec(self, name: str, missing: str = "object_not_found") -> ObjectSpec:
        spec = self.company.specs.get(name.strip().upper())
        if spec is None:
            raise messages.fail(missing, object=name.strip())
        return spec

    def check_permission(self, spec: ObjectSpec, operation: str) -> None:
        """PL04000005 unless the Web Services user may run `operation` on `spec`."""
        shown = spec.name.lower()
        if spec.module == "PLATFORM" and self.on("udd-values-unreadable"):
            udd = next((u for u in self.company.udds if u.object.upper() == spec.name), None)
            if udd is not None and udd.restricted:
                raise ResultFailure(
                    self.scenario("udd-values-unreadable").error(operation=operation, object=shown)
                )
        module_scenario = f"no-permission-{spec.module.lower()}"
        if module_scenario in SCENARIOS and self.on(module_scenario):
            raise ResultFailure(
                self.scenario(module_scenario).error(operation=operation, object=shown)
            )
        granted = self.company.user_permissions
        if granted is not None:
            if RIGHT_FOR_OPERATION.get(operation, operation.lower()) not in granted.get(
                spec.name, frozenset()
            ):
                raise messages.fail("permission", operation=operation, object=shown)
            return
        right = self.company.subscriptions.get(spec.module)
        if right is None or (operation not in READ_OPERATIONS and right != "all"):
            raise messages.fail("permission", operation=operation, object=shown)

    def visible(self, table: Table) -> int | None:
        """Column index of MEGAENTITYID when this session must only see its entity's rows."""
        if self.entity and "MEGAENTITYID" in table.position:
            return table.position["MEGAENTITYID"]
        return None
