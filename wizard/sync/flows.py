"""The data-flow catalogue: what can move between the integration and Intacct.

Loaded from resources/sync/flows.toml and validated once; the Prepare page, the permission
checks and the sync engine all read the same `FlowCatalogue`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from wizard.resources import resource_path
from wizard.sync.outbox import OutboxKind

OPERATIONS: frozenset[str] = frozenset(
    {"read", "readByQuery", "query", "create", "update", "delete"}
)
_WRITE_OPERATIONS = frozenset({"create", "update", "delete"})


class Direction(StrEnum):
    PULL = "pull"  # Intacct -> integration
    PUSH = "push"  # integration -> Intacct


class PermissionLevel(StrEnum):
    """The radio on a module's permissions page for the Web Services user."""

    READ_ONLY = "read_only"
    ALL = "all"

    @property
    def label(self) -> str:
        return {"read_only": "Read only", "all": "All"}[self.value]

    @property
    def rank(self) -> int:
        return 0 if self is PermissionLevel.READ_ONLY else 1


class FlowCatalogueError(Exception):
    """flows.toml is wrong. The message names the file, the flow and the field, and says
    what to change."""


@dataclass(frozen=True)
class CustomField:
    id: str  # the custom field id an integration user puts on a line
    label: str
    intacct_field: str  # the line element Intacct expects
    kind: str


@dataclass(frozen=True)
class ObjectUse:
    """One Intacct object (or company function) a flow touches, and what it needs for it."""

    object: str | None
    operations: tuple[str, ...]
    functions: tuple[str, ...]
    module: str
    level: PermissionLevel


@dataclass(frozen=True)
class Flow:
    id: str
    title: str
    direction: Direction
    summary: str
    uses: tuple[ObjectUse, ...]
    depends_on: tuple[str, ...]
    entity_level: bool
    line_fields: tuple[CustomField, ...]
    outbox_kind: OutboxKind | None

    @property
    def objects(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(use.object for use in self.uses if use.object))

    @property
    def functions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for use in self.uses for f in use.functions))


@dataclass(frozen=True)
class FlowCatalogue:
    flows: tuple[Flow, ...]
    default: tuple[str, ...]
    modules: Mapping[str, str]  # module id -> name as Intacct shows it
    custom_fields: tuple[CustomField, ...]

    def __getitem__(self, flow_id: str) -> Flow:
        for flow in self.flows:
            if flow.id == flow_id:
                return flow
        known = ", ".join(flow.id for flow in self.flows)
        raise KeyError(f"There is no data flow {flow_id!r}. Known flows: {known}.")

    def __contains__(self, flow_id: object) -> bool:
        return any(flow.id == flow_id for flow in self.flows)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(flow.id for flow in self.flows)

    def _chosen(self, flow_ids: Iterable[str]) -> list[Flow]:
        return [self[flow_id] for flow_id in dict.fromkeys(flow_ids)]

    def required_permissions(self, flow_ids: Iterable[str]) -> dict[str, PermissionLevel]:
        """The permission level each module needs for these flows (the highest any flow needs)."""
        needed: dict[str, PermissionLevel] = {}
        for flow in self._chosen(flow_ids):
            for use in flow.uses:
                current = needed.get(use.module)
                if current is None or use.level.rank > current.rank:
                    needed[use.module] = use.level
        return needed

    def permission_steps(self, flow_ids: Iterable[str]) -> tuple[tuple[str, str], ...]:
        """(module name, level label) for the Prepare page, in the order Intacct lists the
        subscriptions, e.g. ("Accounts Receivable", "All"), ("General Ledger", "Read only")."""
        needed = self.required_permissions(flow_ids)
        return tuple(
            (name, needed[module].label)
            for module, name in self.modules.items()
            if module in needed
        )

    def required_operations(self, flow_ids: Iterable[str]) -> set[tuple[str, str]]:
        """(object, operation) pairs the Web Services user must be allowed, e.g.
        ("ARINVOICE", "create")."""
        return {
            (use.object, operation)
            for flow in self._chosen(flow_ids)
            for use in flow.uses
            if use.object
            for operation in use.operations
        }

    def needs_entity_level(self, flow_ids: Iterable[str]) -> bool:
        return any(flow.entity_level for flow in self._chosen(flow_ids))

    def order(self, flow_ids: Iterable[str]) -> tuple[str, ...]:
        """The chosen flows in the order they must run: each after the chosen flows it depends
        on; ties keep catalogue order. Dependencies that were not chosen are not added."""
        chosen = {flow.id for flow in self._chosen(flow_ids)}
        position = {flow.id: index for index, flow in enumerate(self.flows)}
        done: list[str] = []
        placed: set[str] = set()
        remaining = sorted(chosen, key=position.__getitem__)
        while remaining:
            for flow_id in remaining:
                if all(d in placed or d not in chosen for d in self[flow_id].depends_on):
                    done.append(flow_id)
                    placed.add(flow_id)
                    remaining.remove(flow_id)
                    break
            else:  # pragma: no cover - load_flows rejects cycles
                raise FlowCatalogueError(f"Data flows depend on each other in a loop: {remaining}")
        return tuple(done)

    def push_kinds(self, flow_ids: Iterable[str]) -> tuple[OutboxKind, ...]:
        """The outbox kinds the chosen push flows send, in push order."""
        return tuple(
            flow.outbox_kind
            for flow in map(self.__getitem__, self.order(flow_ids))
            if flow.outbox_kind is not None
        )


def default_path() -> Path:
    return resource_path("sync", "flows.toml")


def load_flows(path: Path | None = None) -> FlowCatalogue:
    """Read and validate the catalogue; raise FlowCatalogueError saying what to fix."""
    path = path or default_path()
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise FlowCatalogueError(
            f"The data-flow catalogue {path} is missing. Reinstall the wizard, or restore the "
            "file from the installation package."
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise FlowCatalogueError(
            f"{path} is not valid TOML ({error}). Fix the line it names, or restore the file."
        ) from None
    return parse_flows(data, source=str(path))


def parse_flows(data: Mapping[str, Any], source: str = "flows.toml") -> FlowCatalogue:
    return _Parser(source).catalogue(data)


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> FlowCatalogueError:
        return FlowCatalogueError(f"{self.source}: {where}: {message}")

    def string(self, table: Mapping[str, Any], key: str, where: str) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"`{key}` must be a non-empty text, got {value!r}.")
        return value

    def strings(self, table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(where, f"`{key}` must be a list of texts, got {value!r}.")
        return tuple(value)

    def only(self, table: Mapping[str, Any], allowed: set[str], where: str) -> None:
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise self.fail(
                where,
                f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}.",
            )

    def catalogue(self, data: Mapping[str, Any]) -> FlowCatalogue:
        self.only(data, {"default", "modules", "custom_fields", "flows"}, "top level")
        modules = data.get("modules")
        if not isinstance(modules, dict) or not modules:
            raise self.fail("[modules]", 'must list the modules, e.g. AR = "Accounts Receivable".')
        for key, name in modules.items():
            if not isinstance(name, str) or not name:
                raise self.fail(f"[modules] {key}", "must be the module's name as text.")
        fields = self.custom_fields(data.get("custom_fields", {}))
        raw_flows = data.get("flows")
        if not isinstance(raw_flows, list) or not raw_flows:
            raise self.fail("[[flows]]", "there must be at least one flow.")
        flows: list[Flow] = []
        seen: set[str] = set()
        for index, raw in enumerate(raw_flows, start=1):
            flow = self.flow(raw, index, modules, fields)
            if flow.id in seen:
                raise self.fail(
                    f"flow {flow.id!r}", "this id is used by two flows; ids must be unique."
                )
            seen.add(flow.id)
            flows.append(flow)
        for flow in flows:
            for dependency in flow.depends_on:
                if dependency not in seen:
                    raise self.fail(
                        f"flow {flow.id!r} depends_on",
                        f"there is no flow {dependency!r}. Known flows: {', '.join(sorted(seen))}.",
                    )
        self.check_cycles(flows)
        default = self.strings(data, "default", "default")
        for flow_id in default:
            if flow_id not in seen:
                raise self.fail("default", f"there is no flow {flow_id!r}.")
        return FlowCatalogue(
            flows=tuple(flows),
            default=default,
            modules=dict(modules),
            custom_fields=tuple(fields.values()),
        )

    def custom_fields(self, raw: Any) -> dict[str, CustomField]:
        if not isinstance(raw, dict):
            raise self.fail("[custom_fields]", "must be a table of tables.")
        fields: dict[str, CustomField] = {}
        for field_id, table in raw.items():
            where = f"[custom_fields.{field_id}]"
            if not isinstance(table, dict):
                raise self.fail(where, "must be a table with label, intacct_field and kind.")
            self.only(table, {"label", "intacct_field", "kind"}, where)
            fields[field_id] = CustomField(
                id=field_id,
                label=self.string(table, "label", where),
                intacct_field=self.string(table, "intacct_field", where),
                kind=self.string(table, "kind", where),
            )
        return fields

    def flow(
        self,
        raw: Any,
        index: int,
        modules: Mapping[str, str],
        fields: Mapping[str, CustomField],
    ) -> Flow:
        where = f"flow #{index}"
        if not isinstance(raw, dict):
            raise self.fail(where, "must be a table.")
        flow_id = self.string(raw, "id", where)
        where = f"flow {flow_id!r}"
        allowed = {
            "id",
            "title",
            "direction",
            "summary",
            "uses",
            "depends_on",
            "entity_level",
            "line_fields",
            "outbox_kind",
        }
        self.only(raw, allowed, where)
        try:
            direction = Direction(str(raw.get("direction")))
        except ValueError:
            raise self.fail(
                where, f'`direction` must be "pull" or "push", got {raw.get("direction")!r}.'
            ) from None
        entity_level = raw.get("entity_level", False)
        if not isinstance(entity_level, bool):
            raise self.fail(where, "`entity_level` must be true or false.")
        line_fields: list[CustomField] = []
        for field_id in self.strings(raw, "line_fields", where):
            if field_id not in fields:
                raise self.fail(
                    f"{where} line_fields",
                    f"there is no custom field {field_id!r}; add it under [custom_fields] "
                    f"or use one of: {', '.join(fields)}.",
                )
            line_fields.append(fields[field_id])
        outbox_kind: OutboxKind | None = None
        if direction is Direction.PUSH:
            kinds = ", ".join(kind.value for kind in OutboxKind)
            try:
                outbox_kind = OutboxKind(str(raw.get("outbox_kind")))
            except ValueError:
                raise self.fail(
                    where,
                    f"a push flow needs `outbox_kind`, one of {kinds}; "
                    f"got {raw.get('outbox_kind')!r}.",
                ) from None
        elif "outbox_kind" in raw:
            raise self.fail(where, "only push flows have an `outbox_kind`.")
        raw_uses = raw.get("uses")
        if not isinstance(raw_uses, list) or not raw_uses:
            raise self.fail(where, "needs at least one [[flows.uses]] entry.")
        uses = tuple(self.use(u, f"{where} uses #{n}", modules) for n, u in enumerate(raw_uses, 1))
        if direction is Direction.PUSH and not any(
            _WRITE_OPERATIONS & set(use.operations) for use in uses
        ):
            raise self.fail(where, "a push flow must create, update or delete something.")
        if direction is Direction.PULL and any(
            _WRITE_OPERATIONS & set(use.operations) for use in uses
        ):
            raise self.fail(where, "a pull flow only reads; move the write to a push flow.")
        depends_on = self.strings(raw, "depends_on", where)
        if flow_id in depends_on:
            raise self.fail(where, "a flow cannot depend on itself.")
        return Flow(
            id=flow_id,
            title=self.string(raw, "title", where),
            direction=direction,
            summary=self.string(raw, "summary", where),
            uses=uses,
            depends_on=depends_on,
            entity_level=entity_level,
            line_fields=tuple(line_fields),
            outbox_kind=outbox_kind,
        )

    def use(self, raw: Any, where: str, modules: Mapping[str, str]) -> ObjectUse:
        if not isinstance(raw, dict):
            raise self.fail(where, "must be a table.")
        self.only(raw, {"object", "operations", "functions", "module", "level"}, where)
        obj = raw.get("object")
        if obj is not None and (not isinstance(obj, str) or not obj.isupper()):
            raise self.fail(
                where, f"`object` must be an Intacct object name in capitals, got {obj!r}."
            )
        operations = self.strings(raw, "operations", where)
        unknown = sorted(set(operations) - OPERATIONS)
        if unknown:
            raise self.fail(
                where,
                f"unknown operation(s) {', '.join(unknown)}; use {', '.join(sorted(OPERATIONS))}.",
            )
        if obj is not None and not operations:
            raise self.fail(where, f"say which `operations` the flow needs on {obj}.")
        if obj is None and operations:
            raise self.fail(where, "`operations` need an `object`.")
        functions = self.strings(raw, "functions", where)
        if not functions:
            raise self.fail(where, "`functions` must name the functions sent to Intacct.")
        module = self.string(raw, "module", where)
        if module not in modules:
            raise self.fail(
                where,
                f"unknown module {module!r}; add it under [modules] or use {', '.join(modules)}.",
            )
        try:
            level = PermissionLevel(str(raw.get("level")))
        except ValueError:
            raise self.fail(
                where, f'`level` must be "read_only" or "all", got {raw.get("level")!r}.'
            ) from None
        if level is PermissionLevel.READ_ONLY and _WRITE_OPERATIONS & set(operations):
            raise self.fail(where, f'writing to {obj} needs level "all", not "read_only".')
        return ObjectUse(
            object=obj, operations=operations, functions=functions, module=module, level=level
        )

    def check_cycles(self, flows: list[Flow]) -> None:
        graph = {flow.id: flow.depends_on for flow in flows}
        state: dict[str, int] = {}  # 1 = on the current path, 2 = done

        def visit(node: str, path: list[str]) -> None:
            if state.get(node) == 2:
                return
            if state.get(node) == 1:
                loop = " -> ".join([*path[path.index(node) :], node])
                raise self.fail("depends_on", f"flows depend on each other in a loop: {loop}.")
            state[node] = 1
            for dependency in graph[node]:
                visit(dependency, [*path, node])
            state[node] = 2

        for flow in flows:
            visit(flow.id, [])
