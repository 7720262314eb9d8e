"""Every error an admin may paste is explained by the right fix (table: known_errors.py)."""

from __future__ import annotations

import inspect
import re

import pytest

from tests.fixes import known_errors
from tests.fixes.known_errors import PEER_ERRORS, SANDBOX_TEXTS, SEED_ERRORS
from wizard.fixes import match


@pytest.mark.parametrize(
    ("text", "code", "fix_id"), SEED_ERRORS + PEER_ERRORS + SANDBOX_TEXTS, ids=lambda v: str(v)[:40]
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
