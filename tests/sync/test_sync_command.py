"""`intacct-wizard sync`: the demo end to end, the summary table, and clear messages for bad
input (never a traceback)."""

from __future__ import annotations

import json

import pytest

from wizard.cli import main


def test_demo_sync_pushes_the_demo_outbox_and_reports_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["sync", "--demo", "--json"])
    out = capsys.readouterr().out.strip().splitlines()
    summary = json.loads(out[-1])
    assert status == 0 and summary["status"] == "succeeded"
    assert summary["outbox"]["landed"] > 0
    assert summary["outbox"]["pending"] == summary["outbox"]["failed"] == 0
    assert summary["push"]["landed"] == summary["outbox"]["landed"]
    assert summary["pulled"]["ARINVOICE"]["fetched"] == summary["pulled"]["ARINVOICE"]["total"]
    assert summary["errors"] == []


def test_demo_sync_prints_progress_lines_and_a_summary_table(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["sync", "--demo"])
    out = capsys.readouterr().out
    assert status == 0
    assert "ARINVOICE: fetched" in out  # plain progress lines when not on a terminal
    assert "Pushed" in out and "Landed" in out and "Result: succeeded" in out


def test_demo_dry_run_lists_predicted_failures_with_their_fixes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["sync", "--demo", "--dry-run", "--json"])
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert status == 1  # failures are predicted
    predicted = {p["fix_id"] for p in summary["dry_run"]["predictions"]}
    # The demo pays its foreign-currency orders into undeposited funds.
    assert predicted == {"undeposited-funds-foreign-currency"}
    assert summary["outbox"]["landed"] == 0  # nothing was sent


def test_dry_run_table_says_nothing_was_written(capsys: pytest.CaptureFixture[str]) -> None:
    main(["sync", "--demo", "--dry-run", "--open-from", "2000-01-01"])
    out = capsys.readouterr().out
    assert "nothing was written" in out
    assert "undeposited-funds-foreign-currency" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sync"], "--profile NAME"),
        (["sync", "--demo", "--since", "last tuesday"], "YYYY-MM-DD"),
        (["sync", "--demo", "--since", "2999-01-01"], "future"),
        (["sync", "--profile", "nobody"], "nobody"),
    ],
)
def test_bad_input_gets_a_clear_message(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(argv)
    err = capsys.readouterr().err
    assert status in (1, 2)
    assert message in err
    assert "Traceback" not in err
