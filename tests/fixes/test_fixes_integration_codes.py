"""Vendor codes are read in the light of the integration that showed them.

An INT code is Expensify's own numbering: INT068 under Expensify is the liability-account rule,
while another vendor's INT068 (or none) must not be taken for it. `explain --integration ID`
passes the integration to the one matcher; rules scoped with `integrations = [...]` hold only
there (or when no integration is named).
"""

from __future__ import annotations

import json

import pytest

from tests.fixes.known_errors import SEED_ERRORS
from wizard import cli
from wizard.fixes import MatchContext, load_catalogue
from wizard.integrations import load_integrations

INTEGRATIONS = load_integrations().ids


def _seed_integration(index: int) -> str:
    """Which integration's help page each seed error comes from (seeds/README.md)."""
    texts = [text for text, _, _ in SEED_ERRORS]
    bill_from = next(i for i, t in enumerate(texts) if "no specified location" in t)
    invoiced_from = next(i for i, t in enumerate(texts) if "non 200 status code 401" in t)
    if index < bill_from:
        return "expensify"  # seeds 000-002
    if index < invoiced_from:
        return "bill"  # seed 003
    return "invoiced"  # seed 004


SEEDS = [
    (_seed_integration(i), text, code, fix_id) for i, (text, code, fix_id) in enumerate(SEED_ERRORS)
]


def _explain(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    status = cli.main(["explain", "--json", *args])
    out, _ = capsys.readouterr()
    return status, json.loads(out)


@pytest.mark.parametrize("code", ["INT068", "INT860", "INT402"])
def test_expensify_codes_named_alone_give_the_seed_fix(
    capsys: pytest.CaptureFixture[str], code: str
) -> None:
    expected = {
        "INT068": "liability-account-entity-level",
        "INT860": "gl-account-restricted",
        "INT402": "udd-values-unavailable",
    }[code]
    status, answer = _explain(capsys, "--integration", "expensify", "--code", code)
    assert (status, answer["fix_id"]) == (0, expected)


@pytest.mark.parametrize(
    ("integration", "text", "code", "fix_id"), SEEDS, ids=lambda v: str(v)[:30]
)
def test_every_seed_error_under_its_integration_gives_the_seed_fix(
    capsys: pytest.CaptureFixture[str], integration: str, text: str, code: str | None, fix_id: str
) -> None:
    args = ["--integration", integration]
    if text:
        args += ["--message", text]
    if code:
        args += ["--code", code]
    status, answer = _explain(capsys, *args)
    assert (status, answer["fix_id"]) == (0, fix_id)


def _scoped_codes() -> list[tuple[str, str, str]]:
    """(owning integration, code, fix) for every vendor-scoped code rule in the catalogue."""
    found = []
    for rule in load_catalogue().rules:
        for owner in sorted(rule.integrations):
            found += [(owner, code, rule.fix_id) for code in sorted(rule.codes)]
    return found


SCOPED = _scoped_codes()


def test_the_catalogue_scopes_every_int_code_to_its_vendor() -> None:
    codes = {code for _, code, _ in SCOPED}
    assert {"INT068", "INT860", "INT402"} <= codes
    for rule in load_catalogue().rules:
        for code in rule.codes:
            if code.startswith("INT") and code[3:].isdigit():
                assert rule.integrations, f"{rule.origin}: {code} is claimed for every vendor"


@pytest.mark.parametrize(("owner", "code", "fix_id"), SCOPED, ids=lambda v: str(v))
def test_a_vendor_code_is_its_fix_under_its_owner_only(owner: str, code: str, fix_id: str) -> None:
    catalogue = load_catalogue()
    assert catalogue.match("", MatchContext(integration=owner), code=code).id == fix_id
    for other in INTEGRATIONS:
        if other != owner:
            got = catalogue.match("", MatchContext(integration=other), code=code).id
            assert got != fix_id, f"{code} under {other} was claimed by {fix_id}"


@pytest.mark.parametrize("other", [i for i in INTEGRATIONS if i != "expensify"])
def test_int068_under_another_integration_is_not_expensifys(
    capsys: pytest.CaptureFixture[str], other: str
) -> None:
    status, answer = _explain(capsys, "--integration", other, "--code", "INT068")
    assert answer["fix_id"] != "liability-account-entity-level"
    assert status == 1  # nothing specific: the generic advice


def test_an_unknown_integration_is_a_usage_error_naming_the_known_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = cli.main(["explain", "--integration", "expensifi", "--code", "INT068"])
    _, err = capsys.readouterr()
    assert status == 2
    assert "expensifi" in err and "expensify" in err and "Traceback" not in err


# Expensify's help articles for these codes (docs/articles/new-expensify/connections/sage-intacct/
# Troubleshooting in Expensify/App) say what each means; the code alone names the fix.
EXPENSIFY_DOCUMENTED = {
    "INT028": "location-missing",  # employees need a location
    "INT149": "employee-not-found",  # the employee record cannot be found
    "INT304": "record-inactive",  # invalid coding on the expenses
    "INT680": "required-field-missing",  # uncategorised expenses
    "INT771": "period-closed",  # the batches for the reporting period are closed
}


@pytest.mark.parametrize(("code", "fix_id"), EXPENSIFY_DOCUMENTED.items())
def test_expensifys_documented_codes_name_their_fix(
    capsys: pytest.CaptureFixture[str], code: str, fix_id: str
) -> None:
    status, answer = _explain(capsys, "--integration", "expensify", "--code", code)
    assert (status, answer["fix_id"]) == (0, fix_id)
