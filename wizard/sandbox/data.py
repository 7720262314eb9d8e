"""Finding and reading the sandbox's data files (resources/sandbox/*.toml)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any

from wizard.sandbox.errors import SandboxDataError


def resources_dir() -> Path:
    """resources/sandbox/: beside the package in a checkout, inside the bundle when frozen.

    The sandbox is an independent peer of the client, so it finds its data itself rather
    than through wizard.resources.
    """
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources" / "sandbox"
    return Path(__file__).resolve().parent.parent.parent / "resources" / "sandbox"


def load_toml(name: str, folder: Path | None = None) -> dict[str, Any]:
    path = (folder or resources_dir()) / name
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise SandboxDataError(
            f"The sandbox data file {path} is missing. Reinstall the program, or restore "
            "the file from the source checkout."
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise SandboxDataError(
            f"The sandbox data file {path} is not valid TOML ({error}). Fix the line named, "
            "or restore the file from the source checkout."
        ) from None


def require(table: dict[str, Any], key: str, kind: type, where: str) -> Any:
    """`table[key]`, checked to be of `kind`, or a SandboxDataError naming file and key."""
    if key not in table:
        raise SandboxDataError(f"{where}: the key '{key}' is missing.")
    value = table[key]
    if not isinstance(value, kind):
        raise SandboxDataError(
            f"{where}: '{key}' must be a {kind.__name__}, not {type(value).__name__}."
        )
    return value


def read_chosen(entry: dict[str, Any], where: str) -> tuple[frozenset[str], str]:
    """The entry's `chosen` keys (facts no public source gives) and its `generic_errorno`.

    Every chosen key must be a key of the entry; a chosen `errorno` needs the documented
    `generic_errorno` a real Intacct would send instead (the strict sandbox sends that).
    """
    chosen = entry.get("chosen", [])
    if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
        raise SandboxDataError(f"{where}: 'chosen' must be a list of key names.")
    unknown = sorted(set(chosen) - set(entry))
    if unknown:
        raise SandboxDataError(
            f"{where}: 'chosen' names {', '.join(unknown)}, which the entry does not have."
        )
    generic = entry.get("generic_errorno", "")
    if "errorno" in chosen:
        generic = require(entry, "generic_errorno", str, where)
        require(entry, "generic_errorno_source", str, where)
    return frozenset(chosen), str(generic)
