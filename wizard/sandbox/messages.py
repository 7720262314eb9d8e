"""The sandbox's ordinary (non-scenario) errors, from resources/sandbox/errors.toml."""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path

from wizard.sandbox.data import load_toml, require
from wizard.sandbox.errors import GatewayError, ResultFailure


@cache
def _catalogue(folder: Path | None = None) -> dict[str, dict[str, str]]:
    data = load_toml("errors.toml", folder)
    entries = require(data, "errors", dict, "errors.toml")
    for key, entry in entries.items():
        require(entry, "errorno", str, f"errors.toml [errors.{key}]")
        require(entry, "description2", str, f"errors.toml [errors.{key}]")
    return entries  # type: ignore[no-any-return]


def error(which: str, /, **values: object) -> GatewayError:
    entry = _catalogue()[which]
    fill = {k: str(v) for k, v in values.items()}
    formatter = string.Formatter()
    return GatewayError(
        errorno=entry["errorno"],
        description2=formatter.vformat(entry["description2"], (), fill),
        correction=formatter.vformat(entry.get("correction", ""), (), fill),
    )


def fail(which: str, /, **values: object) -> ResultFailure:
    return ResultFailure(error(which, **values))
