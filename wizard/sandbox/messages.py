"""The sandbox's ordinary (non-scenario) errors, from resources/sandbox/errors.toml."""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path
from typing import Any

from wizard.sandbox.data import load_toml, read_chosen, require
from wizard.sandbox.errors import GatewayError, ResultFailure


@cache
def _catalogue(folder: Path | None = None) -> dict[str, dict[str, Any]]:
    data = load_toml("errors.toml", folder)
    entries = require(data, "errors", dict, "errors.toml")
    for key, entry in entries.items():
        where = f"errors.toml [errors.{key}]"
        require(entry, "errorno", str, where)
        require(entry, "description2", str, where)
        entry["chosen"], entry["generic_errorno"] = read_chosen(entry, where)
    return entries  # type: ignore[no-any-return]


def error(which: str, /, **values: object) -> GatewayError:
    entry = _catalogue()[which]
    fill = {k: str(v) for k, v in values.items()}
    formatter = string.Formatter()
    return GatewayError(
        errorno=entry["errorno"],
        description2=formatter.vformat(entry["description2"], (), fill),
        correction=formatter.vformat(entry.get("correction", ""), (), fill),
        chosen=entry["chosen"],
        generic_errorno=entry["generic_errorno"],
    )


def chosen(which: str) -> frozenset[str]:
    """The keys of errors.toml [errors.`which`] that no public source gives."""
    found: frozenset[str] = _catalogue()[which]["chosen"]
    return found


def fail(which: str, /, **values: object) -> ResultFailure:
    return ResultFailure(error(which, **values))
