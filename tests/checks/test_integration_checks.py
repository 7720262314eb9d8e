"""Entity rules and module settings follow the chosen integration's file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from diagnose_helpers import demo_target

from wizard.checks import CheckContext, CheckStatus, Runner
from wizard.checks.connect import FoundSecrets, context_for_profile
from wizard.sandbox import Sandbox


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def _context(sandbox: Sandbox, integration: str, entity: str = "") -> CheckContext:
    profile, secrets = demo_target(sandbox)
    profile = replace(profile, integration=integration, entity_id=entity)
    return context_for_profile(profile, FoundSecrets(secrets, "demo"))


def test_bill_settings_intacct_does_not_report_are_could_not_verify_with_where_to_look(
    sandbox: Sandbox,
) -> None:
    with _context(sandbox, "bill") as context:
        finding = Runner(context).run_one("module-settings")
    assert finding.status is CheckStatus.WARN
    assert finding.evidence.startswith("Could not verify AP summary frequency")
    assert "Accounts Payable > Configure Accounts Payable > Summary frequency" in finding.evidence
    assert "AR summary frequency" in finding.evidence  # checked by its own check


def test_expensifys_entity_rule_at_the_top_level_is_could_not_verify_and_holds_in_an_entity(
    sandbox: Sandbox,
) -> None:
    with _context(sandbox, "expensify") as context:
        top = Runner(context).run_one("entity-level")
    assert top.status is CheckStatus.WARN
    assert "Could not verify whether Expensify can work at the top level" in top.evidence
    assert "liability credit card account" in top.evidence
    with _context(sandbox, "expensify", "US-EAST") as context:
        entity = Runner(context).run_one("entity-level")
    assert entity.status is CheckStatus.PASS
    assert "entity US-EAST, as Expensify allows" in entity.evidence


def test_the_wizards_own_settings_are_each_checked_by_their_own_check(sandbox: Sandbox) -> None:
    with _context(sandbox, "this-program") as context:
        finding = Runner(context).run_one("module-settings")
    assert finding.status is CheckStatus.PASS
    assert "Payments summary frequency, Invoice numbering" in finding.evidence


def test_an_integration_without_module_settings_skips_as_not_applicable(
    sandbox: Sandbox,
) -> None:
    with _context(sandbox, "ramp") as context:
        finding = Runner(context).run_one("module-settings")
    assert finding.status is CheckStatus.SKIPPED and not finding.blocked
