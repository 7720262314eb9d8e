"""The Web Services user's rights set per object: exactly what an integration needs, minus any one.

`Sandbox(user_permissions={...})` (or `set_user_permissions` / the admin call at run time) gives
the user exactly these rights; every other object and right is refused with PL04000005, and
getUserPermissions reports them as module > permission policies, as Intacct does.
"""

from __future__ import annotations

import httpx
import pytest
from sandbox_client import Client, fn

from wizard.sandbox import Sandbox

NEEDS = {"APBILL": ["list", "view", "add"], "GLACCOUNT": ["list"]}


def _query(obj: str) -> str:
    return fn(f"<query><object>{obj}</object><select><field>RECORDNO</field></select></query>")


def _create(obj: str) -> str:
    return fn(f"<create><{obj}><RECORDID>T-1</RECORDID></{obj}></create>")


def _delete(obj: str) -> str:
    return fn(f"<delete><object>{obj}</object><keys>999999</keys></delete>")


def test_only_the_given_rights_are_allowed() -> None:
    with Sandbox(user_permissions=NEEDS) as sandbox:
        client = Client(sandbox)
        assert client.call(_query("APBILL")).first("//result/status") == "success"
        assert client.call(_query("GLACCOUNT")).first("//result/status") == "success"
        refused = client.call(_query("CUSTOMER"))
        assert refused.first("//errorno") == "PL04000005"
        assert "READ_BY_QUERY" in refused.first("//description2")
        assert client.call(_delete("APBILL")).first("//errorno") == "PL04000005"
        assert client.call(_create("GLACCOUNT")).first("//errorno") == "PL04000005"
        client.close()


def test_get_user_permissions_lists_module_permission_and_rights() -> None:
    with Sandbox(user_permissions=NEEDS) as sandbox:
        client = Client(sandbox)
        answer = client.call(
            fn("<getUserPermissions><userId>ws_integration</userId></getUserPermissions>")
        )
        apps = {
            app.findtext("applicationName"): {
                p.findtext("policyName"): p.findtext("rights") for p in app.iter("policy")
            }
            for app in answer.xml.iter("appSubscription")
        }
        assert apps == {
            "Accounts Payable": {"Bills": "List|View|Add"},
            "General Ledger": {"Accounts": "List"},
        }
        client.close()


def test_rights_change_at_run_time_directly_and_by_the_admin_call() -> None:
    with Sandbox(user_permissions=NEEDS) as sandbox:
        client = Client(sandbox)
        sandbox.set_user_permissions({"APBILL": ["view"]})
        assert client.call(_query("APBILL")).first("//errorno") == "PL04000005"
        answer = httpx.post(
            sandbox.admin_url, json={"user_permissions": {"APBILL": ["list"]}}
        ).json()
        assert answer["user_permissions"] == {"APBILL": ["list"]}
        assert client.call(_query("APBILL")).first("//result/status") == "success"
        httpx.post(sandbox.admin_url, json={"user_permissions": None})
        assert sandbox.user_permissions is None  # back to company.toml's subscriptions
        assert client.call(_query("CUSTOMER")).first("//result/status") == "success"
        client.close()


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ({"NOSUCH": ["list"]}, "'NOSUCH' is not an object"),
        ({"APBILL": ["read"]}, "read on APBILL is not a right"),
        ({"APBILL": "list"}, "must be a list"),
    ],
)
def test_bad_permissions_are_refused_with_what_to_use(given: object, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        Sandbox(user_permissions=given)  # type: ignore[arg-type]
    with Sandbox() as sandbox:
        refused = httpx.post(sandbox.admin_url, json={"user_permissions": given})
        assert refused.status_code == 400 and words.split("'")[0] in refused.json()["error"]
