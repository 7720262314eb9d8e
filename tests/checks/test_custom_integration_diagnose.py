"""diagnose --needs: an integration the wizard does not list is checked against exactly the
needs a support person types; the user lacking one fails `permissions` naming it."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from diagnose_helpers import diagnose_typed

from wizard import cli
from wizard.connection import CustomNeeds, Profile, ProfileStore, Secrets
from wizard.sandbox import Sandbox

NEEDS = "GL:Accounts:list,view; AR:Customers:list,add"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as started:
        yield started


def _diagnose(sandbox: Sandbox, *extra: str) -> tuple[int, dict[str, dict[str, object]]]:
    status, answer = diagnose_typed(sandbox, *extra)
    assert answer["integration"] == "custom"
    return status, {f["check"]: f for f in answer["findings"]}


def test_typed_needs_pass_when_granted_and_name_the_one_missing(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    rights = {"GLACCOUNT": ["list", "view"], "CUSTOMER": ["list", "add"]}
    for udd in sandbox.company.udds:
        rights[udd.object.upper()] = ["list", "view"]
    sandbox.set_user_permissions(rights)
    status, findings = _diagnose(sandbox, "--needs", NEEDS)
    assert findings["permissions"]["status"] == "pass", findings["permissions"]["evidence"]
    # Exactly what was typed: list, view on GL accounts; list, add on customers.
    assert "4 ticks on 2 objects" in str(findings["permissions"]["evidence"])

    sandbox.set_user_permissions({**rights, "CUSTOMER": ["list"]})
    status, findings = _diagnose(sandbox, "--integration", "custom", "--needs", NEEDS)
    assert status == 1
    permissions = findings["permissions"]
    assert (permissions["status"], permissions["fix_id"]) == ("fail", "permission-missing")
    assert "Accounts Receivable › Customers (add)" in str(permissions["evidence"])
    assert "General Ledger › Accounts (" not in str(permissions["evidence"])


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--needs", "GL:Acounts:list"], "there is no permission 'Acounts' in module 'GL'"),
        (["--needs", "GL:Accounts:read"], "read is not an operation"),
        (["--integration", "expensify", "--needs", "GL:Accounts:list"], "leave out"),
        (["--integration", "custom"], "give them with --needs"),
    ],
)
def test_wrong_needs_are_a_usage_error_that_says_what_is_wrong(
    args: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["diagnose", "--demo", *args]) == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err


def test_a_saved_custom_connection_is_diagnosed_against_its_own_ticks(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    creds = sandbox.credentials
    store = ProfileStore()
    custom = CustomNeeds(
        name="Our billing app",
        needs=(("GLACCOUNT", ("list", "view")), ("CUSTOMER", ("list", "add"))),
    )
    store.save(
        Profile(
            name="Billing",
            company_id=creds.company_id,
            user_id=creds.user_id,
            sender_id=creds.sender_id,
            endpoint=sandbox.endpoint,
            integration="custom",
            custom=custom,
        )
    )
    store.secrets.save("Billing", Secrets(creds.sender_password, creds.user_password))
    rights = {"GLACCOUNT": ["list"], "CUSTOMER": ["list", "add"]}
    for udd in sandbox.company.udds:
        rights[udd.object.upper()] = ["list", "view"]
    sandbox.set_user_permissions(rights)  # View on accounts taken away since
    assert cli.main(["diagnose", "--profile", "Billing", "--json"]) == 1
    answer = json.loads(capsys.readouterr().out)
    assert answer["integration"] == "custom"
    permissions = {f["check"]: f for f in answer["findings"]}["permissions"]
    assert permissions["status"] == "fail"
    assert "General Ledger › Accounts (view)" in str(permissions["evidence"])
    assert "Customers (" not in str(permissions["evidence"])
