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
