"""The REST side's data (resources/sandbox/rest.toml): app, tokens, errors, answers, objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard.sandbox.data import load_toml, require
from wizard.sandbox.errors import SandboxDataError

SHAPES = ("top", "result", "plain", "html")
PLACES = (
    "token",
    "refresh",
    "call",
    "entity",
    "udd",
    "write",
    "authorize",
    "data",
    "transport",
    "none",
)


@dataclass(frozen=True)
class RestErrorSpec:
    """One REST error answer: status, envelope shape and fields ({placeholders} allowed)."""

    name: str
    status: int
    shape: str
    code: str
    message: str
    error_id: str = ""
    message_id: str = ""
    detail_code: str = ""
    detail_message: str = ""
    detail_error_id: str = ""
    source: str = ""


@dataclass(frozen=True)
class Answer:
    """Where a scenario shows over REST and with which error (or why it does not)."""

    scenario: str
    at: str
    error: str = ""
    module: str = ""
    why: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OwnedLines:
    """An object's owned lines, written in its `lines` array (§3.3)."""

    table: str
    owner: str  # the line table's field holding the owner's key
    fields: Mapping[str, str]  # REST field -> table field
    references: Mapping[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class RestObject:
    path: str
    table: str
    module: str
    fields: Mapping[str, str]  # REST field -> table field
    # REST field -> (table, field) a create must name an existing record of
    references: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    lines: OwnedLines | None = None


@dataclass(frozen=True)
class RestData:
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]
    app_scope: str
    production: bool
    access_lifetime_s: float
    rotate_refresh_tokens: bool
    second_authorization_invalidates: bool
    code_lifetime_s: float
    errors: Mapping[str, RestErrorSpec]
    answers: Mapping[str, Answer]
    objects: Mapping[str, RestObject]


def load_rest_data(folder: Path | None = None) -> RestData:
    data = load_toml("rest.toml", folder)
    where = "rest.toml"
    app = require(data, "app", dict, where)
    company = require(data, "company", dict, where)
    tokens = require(data, "tokens", dict, where)
    errors: dict[str, RestErrorSpec] = {}
    for name, entry in require(data, "errors", dict, where).items():
        here = f"{where} [errors.{name}]"
        shape = require(entry, "shape", str, here)
        if shape not in SHAPES:
            raise SandboxDataError(f"{here}: shape must be one of {', '.join(SHAPES)}.")
        errors[name] = RestErrorSpec(
            name=name,
            status=require(entry, "status", int, here),
            shape=shape,
            code=str(entry.get("code", "")),
            message=require(entry, "message", str, here),
            error_id=str(entry.get("errorId", "")),
            message_id=str(entry.get("messageId", "")),
            detail_code=str(entry.get("detail_code", "")),
            detail_message=str(entry.get("detail_message", "")),
            detail_error_id=str(entry.get("detail_errorId", "")),
            source=require(entry, "source", str, here),
        )
    answers: dict[str, Answer] = {}
    for name, entry in require(data, "answers", dict, where).items():
        here = f"{where} [answers.{name}]"
        at = require(entry, "at", str, here)
        module = ""
        if at.startswith("module:"):
            at, module = "module", at.split(":", 1)[1]
        elif at not in PLACES:
            raise SandboxDataError(f"{here}: at must be one of {', '.join(PLACES)}, module:X.")
        if at == "none":
            require(entry, "why", str, here)
        elif at in ("data", "transport"):
            require(entry, "source", str, here)
        else:
            error = require(entry, "error", str, here)
            if error not in errors:
                raise SandboxDataError(f"{here}: error {error!r} is not in [errors].")
            require(entry, "source", str, here)
        answers[name] = Answer(
            scenario=name,
            at=at,
            error=str(entry.get("error", "")),
            module=module,
            why=str(entry.get("why", "")),
            params={k: v for k, v in entry.items() if k not in ("at", "error", "why", "source")},
        )
    objects: dict[str, RestObject] = {}
    for path, entry in require(data, "objects", dict, where).items():
        here = f'{where} [objects."{path}"]'
        fields = require(entry, "fields", dict, here)
        if "key" not in fields or "id" not in fields:
            raise SandboxDataError(f"{here}: fields must map at least key and id.")
        lines = None
        if "lines" in entry:
            owned = require(entry, "lines", dict, here)
            at = f"{here[:-1]}.lines]"
            require(owned, "source", str, at)
            line_fields = require(owned, "fields", dict, at)
            lines = OwnedLines(
                require(owned, "table", str, at),
                require(owned, "owner", str, at),
                line_fields,
                _references(owned, line_fields, at),
            )
        objects[path] = RestObject(
            path,
            require(entry, "table", str, here),
            require(entry, "module", str, here),
            fields,
            _references(entry, fields, here),
            lines,
        )
    return RestData(
        client_id=require(app, "client_id", str, where + " [app]"),
        client_secret=require(app, "client_secret", str, where + " [app]"),
        redirect_uris=tuple(require(app, "redirect_uris", list, where + " [app]")),
        app_scope=require(app, "scope", str, where + " [app]"),
        production=bool(company.get("production", False)),
        access_lifetime_s=float(require(tokens, "access_lifetime_s", int, where + " [tokens]")),
        rotate_refresh_tokens=bool(tokens.get("rotate_refresh_tokens", True)),
        second_authorization_invalidates=bool(tokens.get("second_authorization_invalidates")),
        code_lifetime_s=float(tokens.get("code_lifetime_s", 600)),
        errors=errors,
        answers=answers,
        objects=objects,
    )


def _references(
    entry: Mapping[str, Any], fields: Mapping[str, str], where: str
) -> dict[str, tuple[str, str]]:
    """`references = { "customer.id" = "CUSTOMER.CUSTOMERID" }`, checked against `fields`."""
    found: dict[str, tuple[str, str]] = {}
    for name, target in dict(entry.get("references", {})).items():
        table, dot, column = str(target).partition(".")
        if name not in fields or not dot or not table or not column:
            raise SandboxDataError(
                f"{where}: reference {name!r} must be one of the fields and name TABLE.FIELD."
            )
        found[name] = (table, column)
    if found and "source" not in entry and "references_source" not in entry:
        raise SandboxDataError(f"{where}: say where the references come from (source).")
    return found
