"""`intacct-wizard diagnose`, `report` and `forget-all` as an admin runs them."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from diagnose_helpers import typed_diagnose_args

from wizard.checks import default_registry
from wizard.cli import main
from wizard.connection import Profile, ProfileStore, Secrets
from wizard.sandbox import Sandbox


def _save_profile(sandbox: Sandbox, name: str = "Demo books") -> Profile:
    creds = sandbox.credentials
    store = ProfileStore()
    profile = Profile(
        name=name,
        company_id=creds.company_id,
        user_id=creds.user_id,
        sender_id=creds.sender_id,
        endpoint=sandbox.endpoint,
    )
    store.secrets.save(name, Secrets(creds.sender_password, creds.user_password))
    store.save(profile)
    store.set_last_used(name)
    return profile


def _json(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


def test_demo_diagnosis_prints_json_findings_and_exits_0(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["diagnose", "--demo", "--json"]) == 0
    findings = _json(capsys)["findings"]
    assert isinstance(findings, list)
    assert [f["check"] for f in findings] == list(default_registry().ids)
    for finding in findings:
        assert {"check", "status", "fix_id", "title", "evidence"} <= set(finding)
        assert finding["status"] == "pass" and finding["fix_id"] is None


def test_demo_with_a_fault_names_its_fix_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diagnose", "--demo", "--scenario", "web-services-off", "--json"]) == 1
    failing = [f for f in _json(capsys)["findings"] if f["status"] == "fail"]  # type: ignore[union-attr]
    assert [(f["check"], f["fix_id"]) for f in failing] == [
        ("sender-authorized", "web-services-not-subscribed")
    ]


def test_text_output_says_what_failed_and_how_to_fix_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["diagnose", "--demo", "--scenario", "no-permission-cm"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  The Web Services user has the permissions the sync needs" in out
    assert "Fix: " in out and "Who can do it:" in out
    assert "CHECKINGACCOUNT" in out
    assert out.rstrip().endswith("skipped.")


def test_plain_output_has_no_internal_ids_and_verbose_shows_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 12, item 9: the admin reads titles, not ids; a support person who asks for the
    ids gets them with --verbose (and --json)."""
    from wizard.fixes import load_catalogue

    ids = set(default_registry().ids) | {fix.id for fix in load_catalogue().fixes}
    assert main(["diagnose", "--demo", "--scenario", "no-permission-cm"]) == 1
    plain = capsys.readouterr().out
    # An id that is also a plain word ("permissions") may appear as a word, never as a label.
    labelled = re.compile(r"[\[(“]([a-z0-9]+(?:-[a-z0-9]+)*)[\])”]")
    hyphenated = re.compile(r"(?<![\w-])([a-z0-9]+(?:-[a-z0-9]+)+)(?![\w-])")
    shown = {m.group(1) for m in labelled.finditer(plain)} | set(hyphenated.findall(plain))
    assert sorted(shown & ids) == []
    assert main(["diagnose", "--demo", "--scenario", "no-permission-cm", "--verbose"]) == 1
    verbose = capsys.readouterr().out
    assert "[permissions]" in verbose and "Fix (permission-missing)" in verbose


def test_what_intacct_said_comes_without_function_names_or_control_ids(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 12, item 9: "query (e7126cb9-…) returned failure" is the client's bookkeeping, not
    Intacct's words: a check skipped for a permission shows what Intacct said, code and text."""
    assert main(["diagnose", "--demo", "--scenario", "no-permission-ar"]) == 1
    out = capsys.readouterr().out
    assert "PL04000005: You do not have permission" in out
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", out), out
    assert "returned failure" not in out


def test_text_output_writes_every_date_in_iso_8601(capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 12, item 9: one date format; on the command line and in the report, ISO 8601
    (read the same in any country), Intacct's month-first days included."""
    assert main(["diagnose", "--demo", "--scenario", "period-closed"]) == 1
    out = capsys.readouterr().out
    assert "The period for " in out, "the closed period's message is shown"
    assert re.search(r"The period for \d{4}-\d{2}-\d{2} is closed", out), out
    assert not re.search(r"\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2} [A-Z][a-z]{2} \d{4}", out), out


def test_a_saved_profile_is_diagnosed_with_its_keyring_passwords(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    _save_profile(sandbox)
    assert main(["diagnose", "--profile", "Demo books", "--json"]) == 0
    findings = {f["check"]: f for f in _json(capsys)["findings"]}  # type: ignore[union-attr]
    assert "system keyring" in findings["keyring-secrets"]["evidence"]
    # The profile has no posting choices yet: those checks say so instead of guessing.
    assert findings["gl-accounts"]["status"] == "skipped"
    # Without --profile, the connection used last is diagnosed.
    assert main(["diagnose"]) == 0


def test_a_profile_without_passwords_fails_the_keyring_check(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    _save_profile(sandbox)
    ProfileStore().secrets.delete("Demo books")
    assert main(["diagnose", "--profile", "Demo books", "--json"]) == 1
    findings = {f["check"]: f for f in _json(capsys)["findings"]}  # type: ignore[union-attr]
    assert findings["keyring-secrets"]["fix_id"] == "keyring-unavailable"
    assert "INTACCT_SENDER_PASSWORD" in findings["keyring-secrets"]["evidence"]


def test_without_a_keyring_diagnose_names_the_two_password_variables(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 12, item 5: the command line has no "Keep for this session only"; it says how
    to give the passwords instead."""
    import keyring
    from keyring.backends import fail

    _save_profile(sandbox)
    keyring.set_keyring(fail.Keyring())
    assert main(["diagnose", "--profile", "Demo books", "--json"]) == 1
    evidence = _json(capsys)["findings"][0]["evidence"]  # type: ignore[index]
    assert "INTACCT_SENDER_PASSWORD" in evidence and "INTACCT_USER_PASSWORD" in evidence
    assert "session only" not in evidence


def test_typed_settings_take_the_passwords_from_the_environment(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    creds = sandbox.credentials
    args = typed_diagnose_args(sandbox, "--entity", "US-EAST", "--json")
    assert main(args) == 2
    assert "INTACCT_SENDER_PASSWORD" in capsys.readouterr().err
    monkeypatch.setenv("INTACCT_SENDER_PASSWORD", creds.sender_password)
    monkeypatch.setenv("INTACCT_USER_PASSWORD", "not-the-password")
    assert main(args) == 1
    findings = {f["check"]: f for f in _json(capsys)["findings"]}  # type: ignore[union-attr]
    assert findings["user-sign-in"]["fix_id"] == "user-credentials-invalid"
    assert "not-the-password" not in json.dumps(findings)
    monkeypatch.setenv("INTACCT_USER_PASSWORD", creds.user_password)
    assert main(args) == 0
    findings = {f["check"]: f for f in _json(capsys)["findings"]}  # type: ignore[union-attr]
    assert "entity US-EAST" in findings["user-sign-in"]["evidence"]
    # Item 2 of issue 12: the passwords are where they really are, and that is a warning.
    kept = findings["keyring-secrets"]
    assert kept["status"] == "warn", kept
    assert (
        "INTACCT_SENDER_PASSWORD" in kept["evidence"]
        and "not from a system keyring" in (kept["evidence"])
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["diagnose"], "Say which connection"),
        (["diagnose", "--profile", "Nope"], "no saved connection"),
        (["diagnose", "--scenario", "user-locked"], "only works with --demo"),
        (["diagnose", "--demo", "--scenario", "no-such-fault"], "Unknown sandbox scenario"),
        (["diagnose", "--demo", "--profile", "X"], "Choose one connection"),
        (["diagnose", "--company-id", "ACME"], "Also give --sender-id, --user-id"),
        (
            [
                "diagnose",
                "--sender-id",
                "S",
                "--company-id",
                "C",
                "--user-id",
                "U",
                "--endpoint",
                "http://example.com/x",
            ],
            "https://",
        ),
    ],
)
def test_bad_usage_is_explained_and_exits_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    captured = capsys.readouterr()
    assert message.lower() in captured.err.lower()
    assert "Traceback" not in captured.err + captured.out


def test_report_bundles_findings_versions_settings_and_log(
    sandbox: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _save_profile(sandbox)
    sandbox.set_scenarios(["no-permission-oe"])
    output = tmp_path / "for-support.zip"
    assert main(["report", "--profile", "Demo books", "--output", str(output)]) == 1
    assert str(output) in capsys.readouterr().out
    with zipfile.ZipFile(output) as bundle:
        names = set(bundle.namelist())
        assert names == {
            "findings.json",
            "findings.txt",
            "network.json",
            "profile.json",
            "versions.json",
            "wizard.log",
        }
        findings = json.loads(bundle.read("findings.json"))["findings"]
        network = json.loads(bundle.read("network.json"))
        versions = json.loads(bundle.read("versions.json"))
        profile = json.loads(bundle.read("profile.json"))
    assert ("permissions", "permission-missing") in [(f["check"], f["fix_id"]) for f in findings]
    assert {"app", "python", "qt", "os", "keyring_backend"} <= set(versions)
    assert profile["company_id"] == sandbox.credentials.company_id
    assert "password" not in json.dumps(profile).lower()
    # Which proxy and certificate store reached Intacct (the sandbox: this computer, directly).
    assert network["proxy"] == "none (direct)" and "this computer" in network["proxy_source"]
    assert network["trust_store"]


def test_report_refuses_a_folder_that_does_not_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--output", str(tmp_path / "missing" / "r.zip")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_forget_all_lists_first_then_deletes_everything(
    sandbox: Sandbox, isolated_user_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _save_profile(sandbox, "Books one")
    _save_profile(sandbox, "Books two")
    main(["diagnose", "--profile", "Books one", "--json"])  # writes the log
    capsys.readouterr()
    store = ProfileStore()
    assert main(["forget-all"]) == 2
    listed = capsys.readouterr().out
    assert "Books one" in listed and "Books two" in listed and "--yes" in listed
    assert store.names() == ("Books one", "Books two")  # nothing deleted yet
    assert main(["forget-all", "--yes"]) == 0
    assert store.names() == ()
    assert store.secrets.load("Books one") is None
    assert store.secrets.load("Books two") is None
    left = [p for p in isolated_user_dirs.rglob("*") if "IntacctSetupWizard" in p.parts]
    assert left == []


def test_report_without_any_connection_still_helps_support(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "r.zip"
    assert main(["report", "--output", str(output)]) == 0
    with zipfile.ZipFile(output) as bundle:
        assert set(bundle.namelist()) == {
            "findings.txt",
            "network.json",
            "versions.json",
            "wizard.log",
        }
        assert "nothing was diagnosed" in bundle.read("findings.txt").decode()


def test_test_postings_can_be_switched_off(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diagnose", "--demo", "--scenario", "period-closed", "--json"]) == 1
    failing = [f for f in _json(capsys)["findings"] if f["status"] == "fail"]  # type: ignore[union-attr]
    assert [(f["check"], f["fix_id"]) for f in failing] == [("test-posting", "period-closed")]
    assert main(["diagnose", "--demo", "--no-test-posting", "--json"]) == 0
    by_check = {f["check"]: f for f in _json(capsys)["findings"]}  # type: ignore[union-attr]
    assert by_check["test-posting"]["status"] == "skipped"
    assert "--no-test-posting" in by_check["test-posting"]["evidence"]
