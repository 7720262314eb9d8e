"""Set up a development environment and run the demo or the test suite.

    python3 -m wizard.devenv demo     # the wizard on the built-in sandbox company
    python3 -m wizard.devenv test     # lint, type checks and the whole test suite

It needs only Python 3.11+ and the standard library: it creates `.venv` beside the checkout,
installs the project with its test tools when `pyproject.toml` changed since the last install,
then runs the command inside that environment. Safe to run any number of times.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

MINIMUM_PYTHON = (3, 11)
CHECKOUT = Path(__file__).resolve().parent.parent
VENV = CHECKOUT / ".venv"
STAMP = VENV / "installed-from.sha256"

# The checks the test command runs, in order; each one's failure fails the run.
TEST_STEPS: tuple[tuple[str, list[str]], ...] = (
    ("ruff lint", ["-m", "ruff", "check", "."]),
    ("ruff format", ["-m", "ruff", "format", "--check", "."]),
    ("mypy (Qt-free layers)", ["-m", "mypy"]),
)


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def _say(message: str) -> None:
    print(f"[devenv] {message}", flush=True)


def _pyproject_digest() -> str:
    return hashlib.sha256((CHECKOUT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_environment() -> Path:
    """Create `.venv` and install the project into it, unless it is already up to date."""
    if sys.version_info < MINIMUM_PYTHON:
        wanted = ".".join(map(str, MINIMUM_PYTHON))
        sys.exit(f"Python {wanted} or newer is needed; this is {sys.version.split()[0]}.")
    python = venv_python()
    if not python.exists():
        _say(f"creating a virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
    digest = _pyproject_digest()
    if not STAMP.exists() or STAMP.read_text().strip() != digest:
        _say("installing the project and its test tools (first run takes a few minutes)")
        pip = [str(python), "-m", "pip", "--disable-pip-version-check", "--quiet"]
        subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "install", "--editable", f"{CHECKOUT}[test]"], check=True)
        STAMP.write_text(digest + "\n")
    return python


def ensure_makensis() -> None:
    """Install NSIS for the installer-script test when we may (root on Debian/Ubuntu)."""
    if shutil.which("makensis") or not shutil.which("apt-get") or os.geteuid() != 0:
        return  # elsewhere the test skips and says how to install makensis
    _say("installing NSIS (makensis) for the Windows installer test")
    subprocess.run("apt-get update -qq && apt-get install -y -qq nsis", shell=True, check=False)


def ensure_window_libraries() -> bool:
    """The Linux libraries Qt's window needs: install them where we may (root, or sudo that
    asks no password, on Debian/Ubuntu), else say which are missing and how to install them.
    False when the window cannot open."""
    from wizard import qt_system

    missing = qt_system.missing_window_libraries()
    if not missing:
        return True
    packages = [lib.debian for lib in missing]
    if shutil.which("apt-get"):
        if os.geteuid() == 0:
            prefix: list[str] = []
        elif shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"]).returncode == 0:
            prefix = ["sudo", "-n"]
        else:
            prefix = ["-"]
        if prefix != ["-"]:
            _say(f"installing the libraries the wizard window needs: {' '.join(packages)}")
            subprocess.run([*prefix, "apt-get", "update", "-qq"], check=False)
            subprocess.run([*prefix, "apt-get", "install", "-y", "-qq", *packages], check=False)
            missing = qt_system.missing_window_libraries()
            if not missing:
                return True
    print(qt_system.explain_missing(missing), file=sys.stderr)
    return False


def run_tests(python: Path, pytest_args: list[str]) -> int:
    ensure_makensis()
    failed: list[str] = []
    for title, args in TEST_STEPS:
        _say(f"{title}")
        if subprocess.run([str(python), *args], cwd=CHECKOUT).returncode != 0:
            failed.append(title)
    _say("pytest")
    if subprocess.run([str(python), "-m", "pytest", *pytest_args], cwd=CHECKOUT).returncode:
        failed.append("pytest")
    if failed:
        _say("FAILED: " + ", ".join(failed))
        return 1
    _say("all checks passed")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args.pop(0) if args else ""
    if command not in {"demo", "test", "run"}:
        print(__doc__)
        print("    python3 -m wizard.devenv run ARGS  # intacct-wizard ARGS in the environment")
        return 2
    python = ensure_environment()
    if command == "test":
        return run_tests(python, args)
    if command == "demo" and not ensure_window_libraries():
        return 1
    wizard_args = ["--demo", *args] if command == "demo" else args
    return subprocess.run([str(python), "-m", "wizard", *wizard_args], cwd=CHECKOUT).returncode


if __name__ == "__main__":
    sys.exit(main())
