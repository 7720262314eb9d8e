"""The one-folder app that the Windows and macOS installers ship, built and run here on Linux.

What Linux can prove (desktop-anchors.md §2.3): the spec collects what the app needs and the
frozen program starts. Windows DLLs, the .app, signing and the real keyrings are proved by the
installers workflow on Windows and macOS runners.
"""

from __future__ import annotations

import os
import subprocess

import buildlib
import pytest
from PyInstaller.archive.readers import CArchiveReader

pytestmark = pytest.mark.slow

# The frozen app's own end-to-end check. TODO: becomes ("--self-test",) once wizard/ui ships it
# (starts the sandbox, opens the wizard offscreen, runs the demo connection test).
SMOKE_ARGS: tuple[str, ...] = ("--self-test",)
BUNDLE_LIMIT_BYTES = 150_000_000


def run_frozen(bundle: buildlib.Bundle, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [str(bundle.executable), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


def bundled_modules(bundle: buildlib.Bundle) -> set[str]:
    """The Python modules frozen into the executable's PYZ archive."""
    archive = CArchiveReader(str(bundle.executable)).open_embedded_archive("PYZ.pyz")
    return set(archive.toc)


def test_frozen_app_passes_its_smoke_check(frozen_bundle: buildlib.Bundle) -> None:
    result = run_frozen(frozen_bundle, *SMOKE_ARGS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_frozen_app_reports_the_version_in_pyproject(frozen_bundle: buildlib.Bundle) -> None:
    result = run_frozen(frozen_bundle, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"intacct-wizard {buildlib.project_version()}"


def test_frozen_app_lists_its_commands(frozen_bundle: buildlib.Bundle) -> None:
    result = run_frozen(frozen_bundle, "--help")
    assert result.returncode == 0, result.stderr
    assert "--self-test" in result.stdout
    assert "sandbox" in result.stdout  # subcommands are loaded by name, so must be collected


def test_bundle_holds_the_libraries_the_wizard_needs(frozen_bundle: buildlib.Bundle) -> None:
    modules = bundled_modules(frozen_bundle)
    for module in (
        "httpx",
        "lxml",
        "keyring.backends.Windows",
        "keyring.backends.macOS",
        "keyring.backends.fail",
        "truststore",
        "truststore._windows",
        "truststore._macos",
        "truststore._openssl",
        "wizard.cli",
        "wizard.commands.sandbox",
        "wizard.sandbox",
    ):
        assert module in modules, f"{module} is missing from the frozen app"
    internal = frozen_bundle.folder / "_internal"
    assert list((internal / "lxml").glob("etree.*")), "lxml's compiled parser is missing"
    assert list((internal / "PySide6").glob("QtWidgets.*")), "PySide6.QtWidgets is missing"
    assert list((internal / "PySide6").glob("QtNetwork.*")), "one-wizard-per-user needs QtNetwork"
    plugins = internal / "PySide6" / "Qt" / "plugins"
    assert list((plugins / "platforms").glob("*qoffscreen*")), "the offscreen Qt plugin is missing"
    assert list((plugins / "iconengines").glob("*qsvgicon*")), "SVG icons would not draw"


def test_bundle_carries_resources_where_the_app_looks(frozen_bundle: buildlib.Bundle) -> None:
    resources = frozen_bundle.folder / "_internal" / "resources"
    assert (resources / "sandbox" / "company.toml").is_file()
    assert (resources / "icons" / "app.svg").is_file()


def test_bundle_is_trimmed_to_the_size_budget(frozen_bundle: buildlib.Bundle) -> None:
    size = frozen_bundle.size_bytes
    qt = frozen_bundle.folder / "_internal" / "PySide6" / "Qt"
    assert not (qt / "translations").exists()
    assert not list(qt.rglob("*[Ww]ayland*")), "Wayland parts are not needed (xcb is kept)"
    assert size <= BUNDLE_LIMIT_BYTES, f"bundle is {buildlib.megabytes(size)}"


def test_no_build_output_lands_in_the_checkout(frozen_bundle: buildlib.Bundle) -> None:
    checkout = buildlib.CHECKOUT
    assert not frozen_bundle.folder.is_relative_to(checkout)
    # PyInstaller's defaults would be ./build/<spec name> and ./dist/<app name>.
    assert not (checkout / "build" / "intacct_wizard").exists()
    assert not (checkout / "dist" / buildlib.GUI_EXE).exists()


def test_bundle_leaves_out_what_the_wizard_never_uses(frozen_bundle: buildlib.Bundle) -> None:
    """Headroom under the budget: parts a hook or an unused extra would bring in stay out."""
    modules = bundled_modules(frozen_bundle)
    for unused in ("pygments", "httpx._main", "lxml.objectify", "lxml.html", "doctest", "pdb"):
        assert unused not in modules, f"{unused} is in the frozen app but never used"
    assert "lxml._elementpath" in modules or list(
        (frozen_bundle.folder / "_internal" / "lxml").glob("_elementpath.*")
    ), "lxml.etree's find() needs lxml._elementpath"
    internal = frozen_bundle.folder / "_internal"
    assert not list((internal / "lxml").glob("objectify.*"))
    assert not (internal / "resources" / "screenshots").exists(), "the README's pictures"
    assert (internal / "resources" / "fixes").is_dir()
