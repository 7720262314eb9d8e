"""Issue 12, item 8: every fix's steps, rendered for each place they are shown, name only the
controls that place has (resources/steps/surfaces.toml lists them per surface)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wizard.fixes import load_catalogue
from wizard.fixes.surfaces import (
    Surface,
    SurfacesError,
    default_surfaces,
    load_surfaces,
    render_steps,
)
from wizard.resources import resource_path

# Words that name a part of the product in any surface, plus names of pages a fix must not
# point to by name (they are not on every route: the demo and Diagnose have no sign-in page).
PAGE_NAMES = ("Credentials page", "Entity page", "Mappings page", "Test page", "Findings page")
MARKUP = ("`",)


def _vocabulary() -> set[str]:
    surfaces = default_surfaces()
    return {control for controls in surfaces.controls.values() for control in controls}


def _named(text: str, control: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(control)}(?![\w-])", text) is not None


def _foreign_controls(text: str, surface: Surface) -> list[str]:
    own = set(default_surfaces().controls[surface])
    named = [c for c in _vocabulary() if _named(text, c)]
    # A longer own control ("intacct-wizard diagnose") covers a shorter one inside it.
    return [
        c
        for c in named
        if c not in own and not any(c in mine and _named(text, mine) for mine in own)
    ]


@pytest.mark.parametrize("surface", list(Surface))
def test_every_fix_names_only_controls_its_surface_has(surface: Surface) -> None:
    problems = []
    for fix in load_catalogue().fixes:
        for step in render_steps(fix.steps, surface):
            foreign = _foreign_controls(step, surface)
            pages = [p for p in PAGE_NAMES if p in step]
            marks = [m for m in MARKUP if m in step]
            if foreign or pages or marks or "{" in step:
                problems.append(f"{fix.id}: {step!r} names {foreign + pages + marks}")
    assert not problems, "\n".join(problems)


def test_product_steps_are_tokens_so_each_surface_words_them() -> None:
    """A raw step (outside a token) must not name any surface's control."""
    problems = []
    for fix in load_catalogue().fixes:
        for step in fix.steps:
            text = re.sub(r"\{[a-z-]+\}", "", step)
            named = [
                c for c in _vocabulary() if c not in ("Back", "Next", "Stop") and _named(text, c)
            ]
            if named or any(p in text for p in PAGE_NAMES):
                problems.append(f"{fix.id}: {step!r}")
    assert not problems, "\n".join(problems)


def test_the_same_fix_reads_differently_on_the_test_page_and_the_command_line() -> None:
    fix = load_catalogue().get("user-credentials-invalid")
    wizard = " ".join(render_steps(fix.steps, Surface.TEST_PAGE))
    cli = " ".join(render_steps(fix.steps, Surface.CLI))
    assert "Click Check again" in wizard and "Check again" not in cli
    assert "intacct-wizard diagnose" in cli and "intacct-wizard" not in wizard


def test_an_unknown_token_or_a_surface_without_words_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "surfaces.toml"
    text = resource_path("steps", "surfaces.toml").read_text(encoding="utf-8")
    broken.write_text(text.replace('cli = "Run intacct-wizard sync --retry-failed', 'x = "', 1))
    with pytest.raises(SurfacesError, match=r"\[actions.retry\] needs words for \['cli'\]"):
        load_surfaces(broken)
    with pytest.raises(SurfacesError, match="unknown step token"):
        load_surfaces().render("{no-such-thing}", Surface.CLI)
