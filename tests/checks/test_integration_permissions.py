"""Every need of every integration file is tested: the Web Services user given exactly the
integration's needs passes; the same user without any one of them fails `permissions`, naming
the module, the permission, the object and the operation, with the `permission-missing` fix.

One sandbox per integration; the user's rights change at run time between cases. A new file in
resources/integrations is covered without touching this test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import pytest
from diagnose_helpers import demo_target, diagnose_typed

from wizard import cli
from wizard.checks import CheckContext, CheckStatus, Runner
from wizard.checks.connect import FoundSecrets, context_for_profile
from wizard.checks.model import Access
from wizard.integrations import Integration, Need, load_integrations
from wizard.sandbox import Sandbox

INTEGRATIONS = list(load_integrations())
NEEDS = [(i, n) for i in INTEGRATIONS for n in i.needs]
# The wizard's own check names operations as the sync does (read, create, update, delete).
OWN_WORDS = {"list": "read", "view": "read", "add": "create", "edit": "update", "delete": "delete"}


def named(integration: Integration, need: Need, operation: str) -> str:
    """How the permissions finding names the missing tick."""
    shown = f"{need.permission.module_name} › {need.permission.name}"
    if integration.is_own:
        return f"{OWN_WORDS[operation]} {need.object} ({shown})"
    return f"{shown} ({operation}) for {need.object}"


def all_needs(integration: Integration, sandbox: Sandbox) -> dict[str, list[str]]:
    """The integration's needs, plus reading the company's own user-defined dimensions (an
    admin gives those too; the dimensions check asks for them where the vendor imports them)."""
    rights = {need.object: list(need.operations) for need in integration.needs}
    for udd in sandbox.company.udds:
        rights.setdefault(udd.object.upper(), ["list", "view"])
    return rights


def without(rights: dict[str, list[str]], need: Need, operation: str) -> dict[str, list[str]]:
    return {**rights, need.object: [op for op in rights[need.object] if op != operation]}


@pytest.fixture(scope="module")
def sandboxes() -> Iterator[dict[str, Sandbox]]:
    """One running sandbox per integration, started on first use."""
    started: dict[str, Sandbox] = {}
    yield started
    for sandbox in started.values():
        sandbox.stop()


@pytest.fixture(scope="module")
def contexts() -> Iterator[dict[str, CheckContext]]:
    made: dict[str, CheckContext] = {}
    yield made
    for context in made.values():
        context.close()


def _sandbox(sandboxes: dict[str, Sandbox], integration: Integration) -> Sandbox:
    if integration.id not in sandboxes:
        sandboxes[integration.id] = Sandbox().start()
    return sandboxes[integration.id]


def _context(
    contexts: dict[str, CheckContext], sandbox: Sandbox, integration: Integration
) -> CheckContext:
    if integration.id not in contexts:
        profile, secrets = demo_target(sandbox)
        profile = replace(profile, integration=integration.id)
        contexts[integration.id] = context_for_profile(profile, FoundSecrets(secrets, "demo"))
    return contexts[integration.id]


@pytest.mark.parametrize(
    ("integration", "need"), NEEDS, ids=[f"{i.id}-{n.object}" for i, n in NEEDS]
)
def test_each_missing_tick_fails_permissions_naming_module_permission_object_and_operation(
    sandboxes: dict[str, Sandbox],
    contexts: dict[str, CheckContext],
    integration: Integration,
    need: Need,
) -> None:
    sandbox = _sandbox(sandboxes, integration)
    context = _context(contexts, sandbox, integration)
    rights = all_needs(integration, sandbox)
    for operation in need.operations:
        sandbox.set_user_permissions(without(rights, need, operation))
        context.forget_cache()
        finding = Runner(context).run_one("permissions")
        assert finding.status is CheckStatus.FAIL, (operation, finding.evidence)
        assert finding.fix_id == "permission-missing"
        assert named(integration, need, operation) in finding.evidence
        assert finding.evidence.count("›") == 1, finding.evidence  # only that tick is missing
        assert finding.grid is not None
        column = OWN_WORDS[operation] if integration.is_own else operation
        cell = finding.grid.cell(need.object, column)
        assert (cell.access, cell.needed, cell.fix_id) == (
            Access.DENIED,
            True,
            "permission-missing",
        )


def _diagnose(
    sandbox: Sandbox, integration: Integration
) -> tuple[int, dict[str, dict[str, object]]]:
    status, answer = diagnose_typed(sandbox, "--integration", integration.id)
    assert answer["integration"] == integration.id
    return status, {f["check"]: f for f in answer["findings"]}


@pytest.mark.parametrize("integration", INTEGRATIONS, ids=[i.id for i in INTEGRATIONS])
def test_diagnose_integration_passes_with_all_needs_and_fails_without_one(
    sandboxes: dict[str, Sandbox],
    integration: Integration,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sandbox = _sandbox(sandboxes, integration)
    rights = all_needs(integration, sandbox)
    sandbox.set_user_permissions(rights)
    status, findings = _diagnose(sandbox, integration)
    assert findings["permissions"]["status"] == "pass", findings["permissions"]["evidence"]
    assert status == 0, {k: f["evidence"] for k, f in findings.items() if f["status"] == "fail"}
    need = integration.needs[-1]
    operation = need.operations[-1]
    sandbox.set_user_permissions(without(rights, need, operation))
    status, findings = _diagnose(sandbox, integration)
    assert status == 1
    assert findings["permissions"]["status"] == "fail"
    assert findings["permissions"]["fix_id"] == "permission-missing"
    assert need.permission.name in str(findings["permissions"]["evidence"])
    assert need.object in str(findings["permissions"]["evidence"])


def test_an_unknown_integration_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["diagnose", "--demo", "--integration", "expensifi"]) == 2
    err = capsys.readouterr().err
    assert "expensifi" in err and "expensify" in err and "Traceback" not in err


def test_this_program_is_the_default_and_diagnoses_the_clean_demo_as_before(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["diagnose", "--demo", "--json"]) == 0
    default = json.loads(capsys.readouterr().out)
    assert cli.main(["diagnose", "--demo", "--integration", "this-program", "--json"]) == 0
    explicit = json.loads(capsys.readouterr().out)
    assert default["integration"] == explicit["integration"] == "this-program"
    assert [(f["check"], f["status"]) for f in default["findings"]] == [
        (f["check"], f["status"]) for f in explicit["findings"]
    ]
    permissions = next(f for f in explicit["findings"] if f["check"] == "permissions")
    assert permissions["grid"]["columns"] == ["read", "create", "update", "delete"]
    assert all(f["status"] != "skipped" for f in explicit["findings"])
