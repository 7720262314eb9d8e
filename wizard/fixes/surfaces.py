"""Fix steps written for where they are shown: a wizard page, the command line, the report.

A catalogue step that points into the product is a `{token}` (resources/steps/surfaces.toml):

    render_steps(fix, Surface.CLI)   # "Run intacct-wizard diagnose again to confirm the change."
    render_steps(fix, Surface.TEST_PAGE)  # "Click Check again under this finding to …"

so no surface names a button or command it does not have.
"""

from __future__ import annotations

import enum
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from wizard.resources import resource_path

TOKEN = re.compile(r"\{([a-z][a-z-]*)\}")


class Surface(enum.StrEnum):
    TEST_PAGE = "test-page"  # the wizard's connection test (and the Findings page)
    SYNC_PAGE = "sync-page"  # the wizard's First sync and Retry pages
    CLI = "cli"
    REPORT = "report"
    EXPLAIN = "explain-window"  # the wizard's "Explain an error message" window


class SurfacesError(Exception):
    """resources/fixes/surfaces.toml is broken; the message names the file and the entry."""


@dataclass(frozen=True)
class Surfaces:
    titles: Mapping[Surface, str]
    controls: Mapping[Surface, tuple[str, ...]]  # what can be pressed or run there
    actions: Mapping[str, Mapping[Surface, str]]  # token -> words per surface

    def render(self, step: str, surface: Surface) -> str:
        """`step` with each {token} in the words of `surface` ("" when none apply there)."""

        def words(found: re.Match[str]) -> str:
            action = self.actions.get(found.group(1))
            if action is None:
                raise SurfacesError(f"unknown step token {{{found.group(1)}}} in {step!r}")
            text = action[surface]
            if text and step[: found.start()].rstrip().endswith(":"):
                text = text[0].lower() + text[1:]  # "If it is not there: send …"
            return text

        return " ".join(TOKEN.sub(words, step).split())

    def tokens(self, step: str) -> tuple[str, ...]:
        return tuple(TOKEN.findall(step))


def load_surfaces(path: Path | None = None) -> Surfaces:
    path = path or resource_path("steps", "surfaces.toml")
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SurfacesError(f"cannot read {path}: {error}") from error
    tables = document.get("surfaces", {})
    missing = [s.value for s in Surface if s.value not in tables]
    if missing:
        raise SurfacesError(f"{path}: [surfaces] lacks {missing}")
    titles = {s: str(tables[s.value].get("title", "")) for s in Surface}
    controls = {s: tuple(str(c) for c in tables[s.value].get("controls", ())) for s in Surface}
    actions: dict[str, dict[Surface, str]] = {}
    for token, table in document.get("actions", {}).items():
        if not TOKEN.fullmatch(f"{{{token}}}"):
            raise SurfacesError(f"{path}: [actions.{token}]: use lower-case words joined by -")
        absent = [s.value for s in Surface if not isinstance(table.get(s.value), str)]
        if absent:
            raise SurfacesError(f"{path}: [actions.{token}] needs words for {absent}")
        actions[token] = {s: table[s.value] for s in Surface}
    return Surfaces(titles, controls, actions)


@cache
def default_surfaces() -> Surfaces:
    return load_surfaces()


def render_steps(steps: tuple[str, ...], surface: Surface) -> tuple[str, ...]:
    """The steps as `surface` shows them: tokens in its words, steps left empty dropped."""
    surfaces = default_surfaces()
    rendered = (surfaces.render(step, surface) for step in steps)
    return tuple(step for step in rendered if step)
