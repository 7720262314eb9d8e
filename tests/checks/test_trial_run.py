"""The trial run for a third-party integration: every read and each document kind, undone."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from diagnose_helpers import demo_target

from wizard.checks import CheckContext
from wizard.checks.connect import FoundSecrets, context_for_profile
from wizard.checks.trial_run import TrialStatus, trial_run
from wizard.integrations import load_integrations
from wizard.sandbox import Sandbox

EXPENSIFY = load_integrations().get("expensify")
NEEDS = {n.object: list(n.operations) for n in EXPENSIFY.needs}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(user_permissions=NEEDS) as running:
        yield running


@pytest.fixture
def context(sandbox: Sandbox) -> Iterator[CheckContext]:
    sandbox.set_user_permissions(NEEDS)
    profile, secrets = demo_target(sandbox)
    with context_for_profile(
        replace(profile, integration="expensify"), FoundSecrets(secrets, "demo")
    ) as made:
        yield made


def test_with_every_need_the_trial_reads_each_object_tries_each_kind_and_is_ready(
    context: CheckContext, sandbox: Sandbox
) -> None:
    before = {name: sandbox.company.count(name) for name in ("EEXPENSES", "APBILL")}
    report = trial_run(context)
    assert report.ready, [o for o in report.outcomes if o.status is not TrialStatus.OK]
    assert report.summary == "Your Expensify connection is ready."
    whats = [o.what for o in report.outcomes]
    assert len(whats) == len(EXPENSIFY.reads) + len(EXPENSIFY.writes)
    assert "add expense reports" in whats
    assert {name: sandbox.company.count(name) for name in before} == before  # nothing kept


def test_a_missing_add_right_is_refused_with_its_fix_and_the_run_is_not_ready(
    context: CheckContext, sandbox: Sandbox
) -> None:
    sandbox.set_user_permissions({**NEEDS, "EEXPENSES": ["list", "view", "edit", "delete"]})
    report = trial_run(context)
    assert not report.ready
    refused = [o for o in report.outcomes if o.status is TrialStatus.REFUSED]
    assert [o.what for o in refused] == ["add expense reports"]
    assert "Time & Expenses › Expense summaries (add)" in refused[0].evidence
    assert [f.id for f in report.fixes] == ["permission-missing"]
    assert report.summary.startswith("Not ready for Expensify yet: 1 refused")


def test_a_missing_read_is_refused(context: CheckContext, sandbox: Sandbox) -> None:
    sandbox.set_user_permissions({**NEEDS, "VENDOR": ["view"]})
    report = trial_run(context)
    refused = [o for o in report.outcomes if o.status is TrialStatus.REFUSED]
    assert [o.what for o in refused] == ["read vendors"]
    assert refused[0].fix is not None and refused[0].fix.id == "permission-missing"
