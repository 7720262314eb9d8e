"""Every error an admin may paste is explained by the right fix (table: known_errors.py)."""

from __future__ import annotations

import inspect
import re

import pytest

from tests.fixes import known_errors
from tests.fixes.known_errors import NETWORK_TEXTS, PEER_ERRORS, SANDBOX_TEXTS, SEED_ERRORS
from wizard.fixes import match


@pytest.mark.parametrize(
    ("text", "code", "fix_id"),
    SEED_ERRORS + PEER_ERRORS + SANDBOX_TEXTS + NETWORK_TEXTS,
    ids=lambda v: str(v)[:40],
)
def test_pasted_error_gets_its_fix(text: str, code: str | None, fix_id: str) -> None:
    fix = match(text, code=code)
    assert fix.id == fix_id, f"{text!r} -> {fix.id}, expected {fix_id}"
    assert fix.steps and fix.cause and fix.who


def test_peers_table_is_covered_row_by_row() -> None:
    """Each of the 44 rows of peers.md §2 has at least one case (numbered comments)."""
    source = inspect.getsource(known_errors)
    block = source.split("PEER_ERRORS", 1)[1].split("SANDBOX_TEXTS", 1)[0]
    rows = {int(n) for n in re.findall(r"# (\d+)\s*$", block, re.MULTILINE)}
    assert rows == set(range(1, 45))


def test_a_specific_fix_carries_the_support_id_and_redacted_text() -> None:
    fix = match("Please provide a payment batch key. [Support ID: a1B2c%7E3]")
    assert fix.id == "payment-batch-key"
    assert fix.support_id == "a1B2c~3"
    assert "payment batch key" in fix.error_text


# --- the same errors as other screens show them -------------------------------------------

_CODES_OR_STATUS = re.compile(r"(?i)\b(INT\d{3}|[A-Z]{2}\d{8}|http|status code|xmlgw|gw-)")


def _other_numbers(text: str) -> str:
    """Account numbers, record ids and dates with other digits (codes left alone)."""
    if _CODES_OR_STATUS.search(text):
        return text
    return re.sub(r"\d", lambda m: str((int(m.group()) + 3) % 10), text)


VARIANTS = {
    "upper case": str.upper,
    "lower case": str.lower,
    "ragged spacing": lambda t: "  " + t.replace(" ", " \n\t ") + "  ",
    "html entities": lambda t: (
        t.replace("'", "&#039;").replace("’", "&#039;").replace('"', "&quot;")
    ),
    "connector prefix": lambda t: f"Export failed - {t}",
    "other numbers": _other_numbers,
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize(
    ("text", "code", "fix_id"), SEED_ERRORS + PEER_ERRORS, ids=lambda v: str(v)[:40]
)
def test_variants_of_the_same_error_get_the_same_fix(
    variant: str, text: str, code: str | None, fix_id: str
) -> None:
    changed = VARIANTS[variant](text) if text else text
    assert match(changed, code=code).id == fix_id, changed
