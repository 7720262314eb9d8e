"""The "Prepare Intacct" checklist: loaded from resources/prepare/checklist.toml and checked.

Qt-free, so the checklist content is tested (and a support person's edit is caught) without a
window. The page only renders what `Checklist.steps_for()` returns.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard.flow.data import PermissionModel
from wizard.integrations import Integration
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
    document: Mapping[str, Any] = dataclasses.field(default_factory=dict, compare=False)

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

    def for_integration(self, integration: Integration) -> Checklist:
        """The checklist for one integration: its sender ID and user name to copy, its exact
        module › permission ticks in either permission model, its package and its own steps.
        The wizard's own sync keeps the file's checklist as it is."""
        if integration.is_own:
            return self
        overrides = {
            "user_id": integration.user.name
            if " " not in integration.user.name
            else self.values.get("user_id", ""),
            "sender_id": integration.sender.ids[0] if integration.sender.published else "",
            "role_name": f"{integration.name} Web Services",
        }
        base = parse_checklist(self.document, overrides) if self.document else self
        values = base.values
        shown_sender = integration.sender_text
        steps: list[ChecklistStep] = []
        for step in base.steps:
            if step.id in _OWN_PERMISSION_STEPS:
                if step.id == "user-subscriptions":
                    steps += _integration_permission_steps(integration, values)
                continue
            if step.id == "sender-authorization":
                step = _sender_step(step, integration, shown_sender, values)
            elif step.id == "web-services-user":
                step = _user_step(step, integration, values)
            steps.append(step)
        if integration.package is not None:
            steps.insert(
                len(steps) - 1,
                ChecklistStep(
                    "vendor-package",
                    f"Install the {integration.package.name}",
                    "Customization Services > Custom Packages",
                    (integration.package.text,),
                    frozenset(PermissionModel),
                    frozenset(),
                    (),
                    False,
                ),
            )
        if integration.steps:
            steps.insert(
                len(steps) - 1,
                ChecklistStep(
                    "vendor-steps",
                    f"In Intacct and {integration.vendor}",
                    f"{integration.vendor}'s set-up page",
                    integration.steps,
                    frozenset(PermissionModel),
                    frozenset(),
                    (),
                    False,
                ),
            )
        return Checklist(tuple(steps), values, self.permission_question)


# The file's permission steps, written for the wizard's own sync; another integration gets
# steps built from its needs instead.
_OWN_PERMISSION_STEPS = frozenset(
    {"user-subscriptions", "role-permissions", "role-assignment", "card-permissions"}
)


def _ticks(integration: Integration) -> tuple[str, ...]:
    """One line per module: its permissions and the rights to tick on each."""
    by_module: dict[str, list[str]] = {}
    for need in integration.needs:
        rights = ", ".join(op.capitalize() for op in need.operations)
        by_module.setdefault(need.permission.module_name, []).append(
            f"{need.permission.name}: {rights}"
        )
    return tuple(
        f"{module} > Permissions: {'; '.join(items)}." for module, items in by_module.items()
    )


def _integration_permission_steps(
    integration: Integration, values: Mapping[str, str]
) -> list[ChecklistStep]:
    modules = ", ".join(dict.fromkeys(n.permission.module_name for n in integration.needs))
    user = values["user_id"]
    role = values["role_name"]
    both = frozenset(PermissionModel)
    user_based = frozenset({PermissionModel.USER_BASED})
    role_based = frozenset({PermissionModel.ROLE_BASED})
    ticks = _ticks(integration)
    return [
        ChecklistStep(
            "user-subscriptions",
            f"Give the user exactly what {integration.name} needs",
            f"Company > Admin > Web Services users > Subscriptions (next to {user})",
            (f"Tick {modules}.", *ticks, "Save each Permissions page, then the subscriptions."),
            user_based,
            frozenset(),
            (),
            False,
        ),
        ChecklistStep(
            "role-permissions",
            f"Create a role with exactly what {integration.name} needs",
            "Company > Admin > Roles",
            (
                f"Click Add and name the role {role}.",
                f"Open Subscriptions for the role and tick {modules}.",
                *ticks,
                "Save the role.",
            ),
            role_based,
            frozenset(),
            (CopyValue("role_name", _LABELS["role_name"], role),),
            False,
        ),
        ChecklistStep(
            "role-assignment",
            "Assign the role to the Web Services user",
            f"Company > Admin > Web Services users > Edit {user} > Roles information tab",
            (f"Add the role {role} and save the user.",),
            role_based,
            frozenset(),
            (CopyValue("role_name", _LABELS["role_name"], role),),
            False,
        ),
    ] + [
        ChecklistStep(
            f"entity-rule-{index}",
            "Where to connect: "
            + (
                "an entity"
                if rule.level == "entity"
                else "the top level"
                if rule.level == "top"
                else "top level or an entity"
            ),
            "Company > Admin > Web Services users > Edit the user > Entities tab",
            (rule.text,),
            both,
            frozenset(),
            (),
            True,
        )
        for index, rule in enumerate(integration.entity_rules, 1)
    ]


def _sender_step(
    step: ChecklistStep, integration: Integration, shown: str, values: Mapping[str, str]
) -> ChecklistStep:
    copy: tuple[CopyValue, ...] = ()
    if integration.sender.published:
        line = f"Type the sender ID {shown} ({integration.sender.case_rule})."
        copy = (CopyValue("sender_id", _LABELS["sender_id"], values["sender_id"]),)
    else:
        line = (
            f"{integration.vendor} does not publish its sender ID: ask {integration.vendor} for it."
        )
        copy = ()
    actions = tuple(line if "sender ID" in a and "Type" in a else a for a in step.actions)
    return dataclasses.replace(step, actions=actions, copy=copy)


def _user_step(
    step: ChecklistStep, integration: Integration, values: Mapping[str, str]
) -> ChecklistStep:
    user = integration.user
    name_line = (
        f"User ID: {values['user_id']} ({integration.vendor} suggests this name)."
        if " " not in user.name
        else f"User ID: {values['user_id']} ({user.name})."
    )
    actions = tuple(
        name_line
        if a.startswith("User ID:")
        else f"User type: {user.user_type}. Admin privileges: {user.admin}."
        if a.startswith("User type:")
        else a
        for a in step.actions
    )
    return dataclasses.replace(
        step, actions=actions, copy=(CopyValue("user_id", _LABELS["user_id"], values["user_id"]),)
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
    return Checklist(
        steps=steps, values=values, permission_question=permission_question, document=document
    )


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
