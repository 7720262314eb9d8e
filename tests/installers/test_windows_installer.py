"""The NSIS script compiles (warnings are errors) over the Linux app folder as stand-in payload.

This cannot run the setup.exe; it proves the script is valid and what it will name its output.
The Windows runner in .github/workflows/installers.yml installs and runs the real thing.
"""

from __future__ import annotations

import build_windows
import buildlib
import pytest

pytestmark = pytest.mark.slow

SETUP_LIMIT_BYTES = 50_000_000


@pytest.fixture
def makensis() -> str:
    found = build_windows.find_makensis()
    if found is None:
        pytest.skip(
            "makensis is not installed, so the Windows installer script was not compiled. "
            "Install NSIS: `sudo apt-get install nsis` (Debian/Ubuntu), `brew install makensis` "
            "(macOS) or `choco install nsis` (Windows)."
        )
    return found


def test_installer_script_compiles_into_a_versioned_setup_exe(
    makensis: str,
    frozen_bundle: buildlib.Bundle,
    tmp_path_factory: pytest.TempPathFactory,
    measured: dict[str, str],
) -> None:
    out = tmp_path_factory.mktemp("setup")
    setup = build_windows.compile_installer(frozen_bundle.folder, out, compressor="lzma")
    version = buildlib.project_version()
    assert setup.name == f"IntacctSetupWizard-{version}-setup.exe"
    assert setup.read_bytes()[:2] == b"MZ"  # a Windows executable
    size = setup.stat().st_size
    measured["LZMA setup.exe"] = f"{buildlib.megabytes(size)} (limit 50 MB)"
    assert size <= SETUP_LIMIT_BYTES, f"setup.exe is {buildlib.megabytes(size)}"
