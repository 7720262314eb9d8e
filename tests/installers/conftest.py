"""The frozen one-folder app, built once per test run into a tmp folder (never the checkout)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

INSTALLERS = Path(__file__).resolve().parents[2] / "installers"
sys.path.insert(0, str(INSTALLERS))

import buildlib  # noqa: E402

# Figures shown at the end of the run (pytest hides prints from passing tests).
MEASURED: dict[str, str] = {}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if MEASURED:
        terminalreporter.section("installer sizes")
        for name, figure in MEASURED.items():
            terminalreporter.write_line(f"{name}: {figure}")


@pytest.fixture(scope="session")
def measured() -> dict[str, str]:
    """Record a figure for the end-of-run "installer sizes" summary."""
    return MEASURED


@pytest.fixture(scope="session")
def frozen_bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[buildlib.Bundle]:
    """Run installers/build_linux.py as a user would and hand back the built app."""
    out = tmp_path_factory.mktemp("installer-build")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(INSTALLERS / "build_linux.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"the bundle build failed:\n{result.stdout}\n{result.stderr}"
    bundle = buildlib.find_bundle(out / "dist")
    MEASURED["one-folder app (Linux)"] = (
        f"{buildlib.megabytes(bundle.size_bytes)} in {bundle.folder} "
        f"(built in {time.monotonic() - started:.0f} s; limit 150 MB)"
    )
    yield bundle
