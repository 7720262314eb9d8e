"""`intacct-wizard explain`: an admin pastes an error and gets the fix."""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys

import pytest

from tests.fixes.known_errors import PEER_ERRORS, SEED_ERRORS
from wizard import cli


def _explain(
    capsys: pytest.CaptureFixture[str], *args: str, stdin: str | None = None
) -> tuple[int, str, str]:
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        status = cli.main(["explain", *args])
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    ("text", "code", "fix_id"), SEED_ERRORS + PEER_ERRORS, ids=lambda v: str(v)[:40]
)
def test_json_names_the_fix_for_every_known_error(
    capsys: pytest.CaptureFixture[str], text: str, code: str | None, fix_id: str
) -> None:
    args = ["--json"]
    if text:
        args += ["--message", text]
    if code:
        args += ["--code", code]
    status, out, _ = _explain(capsys, *args)
    answer = json.loads(out)
    assert answer["fix_id"] == fix_id
    assert answer["steps"] and answer["title"] and answer["cause"] and answer["who"]
    assert status == 0


def test_human_output_has_title_cause_numbered_steps_and_who(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = _explain(
        capsys,
        "--message",
        "The sender ID 'AcmeMPP' is not authorized to make Web Services requests to company "
        "ID 'ACME'.",
    )
    assert status == 0
    assert "sender ID is not authorised" in out
    assert "Why: " in out
    assert "  1. " in out and "  2. " in out
    assert "Company > Setup > Company" in out and "Web Services authorizations" in out
    assert "Who can do it: An Intacct company administrator." in out


def test_reads_the_message_from_stdin(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _explain(
        capsys, "--json", stdin="XL03000006 Incorrect Intacct XML Partner ID or password.\n"
    )
    assert status == 0
    assert json.loads(out)["fix_id"] == "sender-credentials-invalid"


def test_unknown_error_exits_1_and_shows_raw_text_and_support_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = _explain(
        capsys, "--message", "Gizmo overflow in bucket 7 [Support ID: k3Jd9%7Ep]"
    )
    assert status == 1
    assert "Gizmo overflow in bucket 7" in out
    assert "Support ID: k3Jd9~p" in out


def test_nothing_to_explain_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _explain(capsys, stdin="   \n")
    assert status == 2
    assert out == ""
    assert "--code" in err and "--message" in err


def test_installed_command_runs_as_a_program() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "wizard", "explain", "--code", "BL02000051", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["fix_id"] == "undeposited-funds-foreign-currency"


def test_json_says_how_sure_it_is(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _explain(capsys, "--json", "--message", "socket hang up")
    sure = json.loads(out)
    assert sure["fix_id"] == "connection-dropped"
    assert sure["confident"] is True and sure["confidence"] >= 0.8
    assert sure["alternatives"] == []


def test_text_and_json_show_the_runner_up() -> None:
    from wizard.commands.explain import _as_json, _as_text
    from wizard.fixes import load_catalogue

    catalogue = load_catalogue()
    runner_up = catalogue.get("network-timeout")
    fix = dataclasses.replace(
        catalogue.get("connection-dropped"), confident=False, alternatives=(runner_up,)
    )
    text = _as_text(fix)
    assert f"Or, if that does not fit: {runner_up.title}" in text
    assert runner_up.steps[0] in text
    answer = _as_json(fix)
    assert answer["confident"] is False
    assert [a["fix_id"] for a in answer["alternatives"]] == ["network-timeout"]  # type: ignore[union-attr]


def test_the_runner_ups_steps_are_worded_for_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Steps that point into the product are {tokens}; the runner-up's are worded too."""
    message = "The GL account is restricted or the period is closed"
    _, text, _ = _explain(capsys, "--message", message)
    _, out, _ = _explain(capsys, "--json", "--message", message)
    [alternative] = json.loads(out)["alternatives"]
    assert alternative["fix_id"] == "period-closed"
    assert "{" not in text and not any("{" in step for step in alternative["steps"])
    assert "intacct-wizard sync --retry-failed" in " ".join(alternative["steps"])


def test_text_output_says_what_to_send_to_support(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _explain(capsys, "--message", "Flux capacitor misaligned in bucket 9")
    assert status == 1
    assert "What to send to support" in out
    assert "`" not in out.split("What to send to support")[1].splitlines()[0]
