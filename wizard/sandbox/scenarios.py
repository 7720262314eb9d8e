"""The named fault scenarios (resources/sandbox/scenarios.toml)."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from wizard.sandbox.data import load_toml, read_chosen, require
from wizard.sandbox.errors import GatewayError, SandboxDataError

LEVELS = ("http", "transport", "control", "authentication", "result", "rest")
_COMMON_KEYS = {
    "description",
    "fix_id",
    "level",
    "hits",
    "errorno",
    "error_description",
    "description2",
    "correction",
    "errorno_source",
    "text_source",
    "http_status",
    "chosen",
    "generic_errorno",
    "generic_errorno_source",
}


# scenarios.toml key -> the part of the gateway error it fills.
_ERROR_PART = {"error_description": "description"}


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class Scenario:
    """One fault the sandbox can switch on: what it breaks and the exact answer it gives."""

    name: str
    description: str
    level: str
    hits: str
    fix_id: str = ""
    errorno: str = ""
    error_description: str = ""
    description2: str = ""
    correction: str = ""
    errorno_source: str = ""
    text_source: str = ""
    http_status: int | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    # The keys no public source gives (picked for the sandbox), and the documented code a
    # real Intacct would answer instead of a chosen `errorno`.
    chosen: frozenset[str] = frozenset()
    generic_errorno: str = ""

    def error(self, **values: object) -> GatewayError:
        """The scenario's gateway error with its {placeholders} filled from `values`."""
        fill = _Blank({k: str(v) for k, v in values.items()})
        formatter = string.Formatter()
        return GatewayError(
            errorno=self.errorno,
            description=formatter.vformat(self.error_description, (), fill),
            description2=formatter.vformat(self.description2, (), fill),
            correction=formatter.vformat(self.correction, (), fill),
            chosen=frozenset(
                _ERROR_PART.get(key, key)
                for key in self.chosen & {"errorno", "error_description", "correction"}
            ),
            generic_errorno=self.generic_errorno,
        )


def load_scenarios(folder: Path | None = None) -> dict[str, Scenario]:
    data = load_toml("scenarios.toml", folder)
    table = require(data, "scenarios", dict, "scenarios.toml")
    scenarios: dict[str, Scenario] = {}
    for name, entry in table.items():
        where = f"scenarios.toml [scenarios.{name}]"
        level = require(entry, "level", str, where)
        if level not in LEVELS:
            raise SandboxDataError(f"{where}: level must be one of {', '.join(LEVELS)}.")
        if level in ("control", "authentication", "result"):
            require(entry, "errorno", str, where)
            require(entry, "description2", str, where)
        chosen, generic_errorno = read_chosen(entry, where)
        status = entry.get("http_status")
        if level == "http" and not isinstance(status, int):
            raise SandboxDataError(f"{where}: an http scenario needs an integer http_status.")
        scenarios[name] = Scenario(
            name=name,
            description=require(entry, "description", str, where),
            level=level,
            hits=require(entry, "hits", str, where),
            fix_id=str(entry.get("fix_id", "")),
            errorno=str(entry.get("errorno", "")),
            error_description=str(entry.get("error_description", "")),
            description2=str(entry.get("description2", "")),
            correction=str(entry.get("correction", "")),
            errorno_source=str(entry.get("errorno_source", "")),
            text_source=str(entry.get("text_source", "")),
            http_status=status,
            params=MappingProxyType({k: v for k, v in entry.items() if k not in _COMMON_KEYS}),
            chosen=chosen,
            generic_errorno=generic_errorno,
        )
    return scenarios


SCENARIOS: Mapping[str, Scenario] = MappingProxyType(load_scenarios())


def check_names(names: object) -> frozenset[str]:
    """The scenario names as a set, or ValueError naming the unknown ones and the known ones."""
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, list | tuple | set | frozenset):
        raise ValueError("Scenarios must be given as a list of names.")
    wanted = frozenset(str(n) for n in names)
    unknown = sorted(wanted - SCENARIOS.keys())
    if unknown:
        raise ValueError(
            f"Unknown sandbox scenario(s): {', '.join(unknown)}. "
            f"Known scenarios: {', '.join(sorted(SCENARIOS))}."
        )
    return wanted


def check_times(times: object, names: frozenset[str]) -> dict[str, int]:
    """{scenario: hits} for scenarios switched on for a number of hits, or ValueError."""
    if times is None:
        return {}
    if not isinstance(times, dict):
        raise ValueError("Give the number of hits per scenario as {name: number}.")
    counts: dict[str, int] = {}
    for name, count in times.items():
        if name not in names:
            raise ValueError(
                f"Only a scenario being switched on can have a number of hits: {name}."
            )
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError(f"The number of hits for {name} must be 1 or more, not {count!r}.")
        counts[str(name)] = count
    return counts


def parse_scenario_options(given: list[str]) -> tuple[list[str], dict[str, int]]:
    """Command-line scenarios: NAME, or NAME:N for a fault that answers N times, then goes
    away. ValueError, naming the item, for a count that is not a whole number of 1 or more."""
    names: list[str] = []
    times: dict[str, int] = {}
    for item in given:
        name, colon, count = item.partition(":")
        names.append(name)
        if colon:
            if not count.isdigit() or int(count) < 1:
                raise ValueError(
                    f"In {item!r}, give the number of times after the colon as a whole number "
                    "of 1 or more (for example rate-limited:2)."
                )
            times[name] = int(count)
    return names, times
