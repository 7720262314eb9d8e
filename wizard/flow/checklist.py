"""The "Prepare Intacct" checklist: loaded from resources/prepare/checklist.toml and checked.

Qt-free, so the checklist content is tested (and a support person's edit is caught) without a
window. The page only renders what `Checklist.steps_for()` returns.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard.flow.data import PermissionModel
from wizard.resources import resource_path

CHECKLIST_FILE = ("prepare", "checklist.toml")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class ChecklistError(Exception):
    """The checklist file is broken; the message names the file, the step and what to fix."""


@dataclass(frozen=True)
class CopyValue:
    name: str  # "user_id"
    label: str  # "User ID"
    value: str  # "" when unknown (the admin gets it elsewhere)


@dataclass(frozen=True)
class ChecklistStep:
    id: str
    title: str
    menu: str
    actions: tuple[str, ...]
    models: frozenset[PermissionModel]
    flows: frozenset[str]  # empty: always shown
    copy: tuple[CopyValue, ...]
    optional: bool


@dataclass(frozen=True)
class PermissionQuestion:
    question: str
    where: str
    help: str


@dataclass(frozen=True)
class Checklist:
    steps: tuple[ChecklistStep, ...]
    values: Mapping[str, str]
    permission_question: PermissionQuestion

    def steps_for(
        self, model: PermissionModel | None, flows: Iterable[str] = ()
    ) -> tuple[ChecklistStep, ...]:
        """The steps that apply: with no model chosen yet, only the steps both models share."""
        chosen = set(flows)
        return tuple(
            step
            for step in self.steps
            if (step.models == frozenset(PermissionModel) or model in step.models)
            and (not step.flows or step.flows & chosen)
        )


_LABELS = {"user_id": "User ID", "sender_id": "Sender ID", "role_name": "Role name"}
_KNOWN_KEYS = {"id", "title", "menu", "actions", "models", "flows", "copy", "optional"}


def _fill(text: str, values: Mapping[str, str], where: str) -> str:
    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise ChecklistError(
                f"{where}: unknown placeholder {{{name}}}; use one of {sorted(values)}"
            )
        return values[name] or _UNKNOWN.get(name, name)

    return _PLACEHOLDER.sub(substitute, text)


_UNKNOWN = {"sender_id": "the sender ID your integration provider gave you"}


def _text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ChecklistError(f"{where}: '{key}' must be a non-empty text")
    return value.strip()


def _parse_step(raw: Mapping[str, Any], values: Mapping[str, str], index: int) -> ChecklistStep:
    where = f"step {index + 1}"
    step_id = _text(raw, "id", where)
    if not _ID.match(step_id):
        raise ChecklistError(f"{where}: id {step_id!r} must be lower-case words joined by dashes")
    where = f"step '{step_id}'"
    unknown = set(raw) - _KNOWN_KEYS
    if unknown:
        raise ChecklistError(f"{where}: unknown key(s) {sorted(unknown)}")
    actions = raw.get("actions")
    if not isinstance(actions, list) or not actions or not all(isinstance(a, str) for a in actions):
        raise ChecklistError(f"{where}: 'actions' must be a list of one or more texts")
    try:
        models = frozenset(PermissionModel(m) for m in raw.get("models", list(PermissionModel)))
    except ValueError as exc:
        raise ChecklistError(f"{where}: models must be 'user-based' and/or 'role-based'") from exc
    if not models:
        raise ChecklistError(f"{where}: 'models' cannot be empty (leave it out for both)")
    copy_names = raw.get("copy", [])
    copies = []
    for name in copy_names:
        if name not in values:
            raise ChecklistError(f"{where}: copy value {name!r} is not in [values]")
        copies.append(CopyValue(name, _LABELS.get(name, name), values[name]))
    return ChecklistStep(
        id=step_id,
        title=_fill(_text(raw, "title", where), values, where),
        menu=_fill(_text(raw, "menu", where), values, where),
        actions=tuple(_fill(a.strip(), values, where) for a in actions),
        models=models,
        flows=frozenset(str(f) for f in raw.get("flows", [])),
        copy=tuple(copies),
        optional=bool(raw.get("optional", False)),
    )


def parse_checklist(
    document: Mapping[str, Any], overrides: Mapping[str, str] | None = None
) -> Checklist:
    raw_values = document.get("values", {})
    if not isinstance(raw_values, dict) or not all(isinstance(v, str) for v in raw_values.values()):
        raise ChecklistError("[values] must hold texts")
    values = {**raw_values, **{k: v for k, v in (overrides or {}).items() if v}}
    question = document.get("permission_model", {})
    permission_question = PermissionQuestion(
        question=_text(question, "question", "[permission_model]"),
        where=_text(question, "where", "[permission_model]"),
        help=_text(question, "help", "[permission_model]"),
    )
    raw_steps = document.get("step", [])
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ChecklistError("the checklist has no [[step]] entries")
    steps = tuple(_parse_step(raw, values, i) for i, raw in enumerate(raw_steps))
    seen: set[str] = set()
    for step in steps:
        if step.id in seen:
            raise ChecklistError(f"step id '{step.id}' appears twice; ids must be unique")
        seen.add(step.id)
    return Checklist(steps=steps, values=values, permission_question=permission_question)


def load_checklist(
    path: Path | None = None, overrides: Mapping[str, str] | None = None
) -> Checklist:
    """Read and check the checklist file; `overrides` fill [values] (the demo's sender ID)."""
    path = path or resource_path(*CHECKLIST_FILE)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ChecklistError(f"cannot read the checklist {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ChecklistError(f"{path} is not valid TOML: {exc}") from exc
    try:
        return parse_checklist(document, overrides)
    except ChecklistError as exc:
        raise ChecklistError(f"{path}: {exc}") from exc
