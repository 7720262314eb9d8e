"""The catalogue data is checked at load; a mistake names the file and the entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.fixes import CHECK_IDS, CatalogueError, MatchContext, load_catalogue
from wizard.gateway.errors import ErrorDetail

GENERIC = """
[[fix]]
id = "unrecognised-error"
title = "Unknown"
cause = "Not known."
steps = ["Send the report."]
who = "Anyone."
"""

GOOD_FIX = """
[[fix]]
id = "period-closed"
title = "Closed"
cause = "The period is closed."
steps = ["Open it."]
who = "The controller."
verified_by = "gl-accounts"

[[fix.rule]]
patterns = ['period .* closed']
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _load_error(folder: Path) -> str:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(folder)
    return str(caught.value)


def test_a_small_valid_catalogue_loads_and_matches(tmp_path: Path) -> None:
    _write(tmp_path, "generic.toml", GENERIC)
    _write(tmp_path, "posting.toml", GOOD_FIX)
    catalogue = load_catalogue(tmp_path)
    assert catalogue.match("The Period for March is CLOSED").id == "period-closed"
    assert catalogue.match("something else").id == "unrecognised-error"
    assert catalogue.get("period-closed").verified_by == "gl-accounts"


def test_broken_toml_names_the_file(tmp_path: Path) -> None:
    _write(tmp_path, "generic.toml", GENERIC)
    _write(tmp_path, "posting.toml", GOOD_FIX + '\n[[fix]]\nid = "oops\n')
    message = _load_error(tmp_path)
    assert "posting.toml" in message
    assert "TOML" in message


def test_duplicate_id_names_both_places(tmp_path: Path) -> None:
    _write(tmp_path, "a.toml", GENERIC + GOOD_FIX)
    _write(tmp_path, "b.toml", GOOD_FIX)
    message = _load_error(tmp_path)
    assert "b.toml" in message and "a.toml" in message
    assert "'period-closed'" in message
    assert "already used" in message


def test_unknown_check_id_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "a.toml", GENERIC + GOOD_FIX.replace("gl-accounts", "gl-acounts"))
    message = _load_error(tmp_path)
    assert "a.toml" in message and "'period-closed'" in message
    assert "'gl-acounts' is not a check id" in message


def test_bad_pattern_names_the_entry_and_rule(tmp_path: Path) -> None:
    _write(tmp_path, "a.toml", GENERIC + GOOD_FIX.replace("period .* closed", "period (closed"))
    message = _load_error(tmp_path)
    assert "a.toml" in message and "'period-closed'" in message and "rule 1" in message
    assert "period (closed" in message


def test_pattern_that_matches_everything_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "a.toml", GENERIC + GOOD_FIX.replace("period .* closed", ".*"))
    assert "matches empty text" in _load_error(tmp_path)


def test_misspelt_key_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "a.toml", GENERIC + GOOD_FIX.replace("patterns =", "pattern ="))
    message = _load_error(tmp_path)
    assert "unknown key(s) pattern" in message and "'period-closed'" in message


def test_rule_for_a_fix_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "a.toml", GENERIC + GOOD_FIX)
    _write(tmp_path, "b.toml", '[[rule]]\nfix = "period-clozed"\ncodes = ["BL1"]\n')
    message = _load_error(tmp_path)
    assert "b.toml" in message and "'period-clozed'" in message


def test_loose_rule_can_point_at_a_fix_in_another_file(tmp_path: Path) -> None:
    _write(tmp_path, "a.toml", GENERIC + GOOD_FIX)
    _write(tmp_path, "b.toml", '[[rule]]\nfix = "period-closed"\ncodes = ["INT035"]\n')
    assert load_catalogue(tmp_path).match("Sync failed", code="INT035").id == "period-closed"


def test_missing_generic_entry_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "a.toml", GOOD_FIX)
    assert "'unrecognised-error' is missing" in _load_error(tmp_path)


def test_empty_rule_and_empty_steps_are_refused(tmp_path: Path) -> None:
    _write(tmp_path, "a.toml", GENERIC + GOOD_FIX.replace("patterns = ['period .* closed']", ""))
    assert "needs codes, patterns or conditions" in _load_error(tmp_path)
    _write(tmp_path, "a.toml", GENERIC + GOOD_FIX.replace('steps = ["Open it."]', "steps = []"))
    assert "at least one step" in _load_error(tmp_path)


def test_bad_level_and_situation_names_are_refused(tmp_path: Path) -> None:
    bad_level = GOOD_FIX + 'levels = ["controll"]\n'
    _write(tmp_path, "a.toml", GENERIC + bad_level)
    assert "levels must be among" in _load_error(tmp_path)
    bad_situation = GOOD_FIX + 'situation = ["moon"]\n'
    _write(tmp_path, "a.toml", GENERIC + bad_situation)
    assert "situation must be among" in _load_error(tmp_path)


def test_explicit_priority_decides_between_two_matching_rules(tmp_path: Path) -> None:
    other = GOOD_FIX.replace('"period-closed"', '"books-locked"').replace(
        "period .* closed", "closed"
    )
    _write(tmp_path, "a.toml", GENERIC + GOOD_FIX + other)
    text = "The period for May is closed"
    assert load_catalogue(tmp_path).match(text).id == "period-closed"  # first defined wins ties
    _write(tmp_path, "a.toml", GENERIC + GOOD_FIX + other + "priority = 3\n")
    assert load_catalogue(tmp_path).match(text).id == "books-locked"


def test_code_and_pattern_beats_code_alone_beats_pattern_alone(tmp_path: Path) -> None:
    fixes = GENERIC
    for fix_id, rule in (
        ("by-pattern", "patterns = ['exploded']"),
        ("by-code", 'codes = ["BL00000001"]'),
        ("by-both", "codes = [\"BL00000001\"]\npatterns = ['exploded']"),
    ):
        fixes += GOOD_FIX.replace("period-closed", fix_id).replace(
            "patterns = ['period .* closed']", rule
        )
    _write(tmp_path, "a.toml", fixes)
    catalogue = load_catalogue(tmp_path)
    assert catalogue.match(ErrorDetail("BL00000001", description2="It exploded")).id == "by-both"
    assert catalogue.match(ErrorDetail("BL00000001", description2="It broke")).id == "by-code"
    assert catalogue.match(ErrorDetail("BL00000002", description2="It exploded")).id == (
        "by-pattern"
    )
    assert catalogue.match("It exploded", MatchContext()).id == "by-pattern"


def test_shipped_catalogue_is_valid_and_every_verified_by_is_a_check() -> None:
    catalogue = load_catalogue()
    assert len(catalogue.fixes) >= 32
    for fix in catalogue.fixes:
        assert fix.verified_by is None or fix.verified_by in CHECK_IDS
        assert all(step.strip() for step in fix.steps)
