"""The strict sandbox answers only what public sources document.

Every fact in resources/sandbox/ that no public source gives is labelled in a `chosen` list the
code reads; `Sandbox(strict=True)` leaves a chosen correction out, answers a chosen error code
with the documented generic one and does not return a chosen preference.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib

import httpx
import pytest
from sandbox_client import Client, fn

from wizard.sandbox import SCENARIOS, Sandbox
from wizard.sandbox.data import resources_dir
from wizard.sandbox.errors import GatewayError

CHOSEN_WORDS = "chosen for the sandbox"


def _entries(file: str, table: str) -> dict[str, dict[str, object]]:
    with (resources_dir() / file).open("rb") as handle:
        found: dict[str, dict[str, object]] = tomllib.load(handle)[table]
    return found


@pytest.mark.parametrize(
    ("file", "table"), [("scenarios.toml", "scenarios"), ("errors.toml", "errors")]
)
def test_every_fact_a_source_calls_chosen_is_labelled_for_the_code(file: str, table: str) -> None:
    for name, entry in _entries(file, table).items():
        sources = " ".join(str(v) for k, v in entry.items() if k.endswith("source"))
        if CHOSEN_WORDS in sources:
            assert entry.get("chosen"), f"{file} [{table}.{name}] says chosen but lists nothing"


def test_scenarios_expose_what_was_chosen() -> None:
    assert SCENARIOS["user-locked"].chosen == {"correction"}
    assert SCENARIOS["entity-access-denied"].generic_errorno == "XL03000006"
    assert SCENARIOS["wrong-user-password"].chosen == frozenset()


def test_a_chosen_code_becomes_the_generic_one_and_chosen_texts_are_dropped() -> None:
    error = GatewayError(
        "SANDBOX-CODE",
        "What happened.",
        description="Chosen title",
        correction="Chosen advice.",
        chosen=frozenset({"errorno", "description", "correction"}),
        generic_errorno="BL01001973",
    )
    assert error.documented() == GatewayError("BL01001973", "What happened.")
    sourced = GatewayError("XL03000006", "Sign-in information is incorrect", correction="x")
    assert sourced.documented() is sourced


def _sign_in(scenario: str, strict: bool) -> list[str]:
    with Sandbox(scenarios=[scenario], strict=strict) as sandbox:
        client = Client(sandbox)
        answer = client.call(fn("<getAPISession/>"))
        client.close()
    return [
        *answer.all("//operation/errormessage/error/errorno"),
        *answer.all("//operation/errormessage/error/description2"),
        *answer.all("//operation/errormessage/error/correction"),
    ]


@pytest.mark.parametrize("scenario", ["user-locked", "user-not-web-services-only"])
def test_strict_sign_in_refusals_look_like_a_wrong_password(scenario: str) -> None:
    wrong_password = _sign_in("wrong-user-password", strict=True)
    assert _sign_in(scenario, strict=True) == wrong_password
    friendly = _sign_in(scenario, strict=False)
    assert friendly != wrong_password
    assert friendly[:2] == wrong_password[:2]  # same code and words; only the chosen correction


def _ar_preferences(strict: bool) -> dict[str, str]:
    with Sandbox(strict=strict) as sandbox:
        client = Client(sandbox)
        answer = client.call(fn("<get_companyprefs/>"))
        client.close()
    names = answer.all("//companypref/preference")
    return dict(zip(names, answer.all("//companypref/prefvalue"), strict=True))


def test_strict_company_preferences_leave_out_the_chosen_names() -> None:
    friendly, strict = _ar_preferences(False), _ar_preferences(True)
    assert friendly["PAYMENT_SUMMARY_FREQUENCY"] == "Daily"
    assert strict == {"FISCAL_FIRST_MONTH": "January"}


def test_the_sandbox_command_serves_the_strict_company() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "wizard", "sandbox", "--json", "--strict"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = json.loads(process.stdout.readline())
        assert line["strict"] is True
        body = (
            "<request><control><senderid>{sender_id}</senderid><password>{sender_password}"
            "</password><controlid>c</controlid></control><operation><authentication><login>"
            "<userid>{user_id}</userid><companyid>{company_id}</companyid><password>"
            "{user_password}</password></login></authentication><content>"
            '<function controlid="f"><get_companyprefs application="AR"/></function>'
            "</content></operation></request>"
        ).format(**line)
        answer = httpx.post(line["endpoint"], content=body.encode(), timeout=10)
        assert b"<status>success</status>" in answer.content
        assert b"PAYMENT_SUMMARY_FREQUENCY" not in answer.content
    finally:
        process.terminate()
        process.wait(timeout=10)
