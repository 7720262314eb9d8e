"""`intacct-wizard --self-test`: what the installers' CI runs on the packaged app."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _self_test(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    return subprocess.run(
        [sys.executable, "-m", "wizard", "--self-test", *args],
        capture_output=True,
        text=True,
        timeout=90,
        env=env,
    )


def test_self_test_runs_the_demo_connection_test_and_names_the_keyring(tmp_path: Path) -> None:
    result = _self_test(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "keyring backend:  keyring." in result.stdout
    checks = next(line for line in result.stdout.splitlines() if "connection test:" in line)
    passed, total = checks.split(":", 1)[1].split("checks")[0].split(" of ")
    assert int(passed) == int(total) >= 10, checks
    assert "result:           PASS" in result.stdout


def test_self_test_fails_when_the_keyring_backend_is_not_the_expected_one(
    tmp_path: Path,
) -> None:
    result = _self_test(tmp_path, "--expect-keyring", "keyring.backends.macOS.Keyring")
    assert result.returncode == 1
    assert "expected keyring.backends.macOS.Keyring" in result.stdout
    assert "result:           FAIL" in result.stdout
