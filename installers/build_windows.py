"""Build the Windows installer: the one-folder app, then IntacctSetupWizard-<version>-setup.exe.

    py installers\\build_windows.py --out C:\\build\\wizard

Needs Python with the project installed (`pip install -e .[test]`, which brings PyInstaller)
and NSIS 3 (`choco install nsis`, or the `nsis` package on Debian/Ubuntu for the script check).
The setup.exe lands in OUT; the app folder in OUT/dist/IntacctSetupWizard.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import buildlib

NSI_SCRIPT = buildlib.INSTALLERS / "windows" / "installer.nsi"
_NSIS_HINT = (
    "makensis (NSIS 3) was not found. Install it: `choco install nsis` on Windows, "
    "`sudo apt-get install nsis` on Debian/Ubuntu, `brew install makensis` on macOS."
)


def find_makensis() -> str | None:
    found = shutil.which("makensis")
    if found:
        return found
    for root in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        candidate = Path(root or "", "NSIS", "makensis.exe")
        if root and candidate.exists():
            return str(candidate)
    return None


def installer_name(version: str) -> str:
    return f"{buildlib.GUI_EXE}-{version}-setup.exe"


def compile_installer(payload: Path, out: Path, compressor: str = "lzma") -> Path:
    """Compile installer.nsi over the app folder `payload`; returns the setup.exe path.

    Warnings are errors (-WX), so a broken script fails the build.
    """
    makensis = find_makensis()
    if makensis is None:
        raise buildlib.BuildError(_NSIS_HINT)
    version = buildlib.project_version()
    setup = out / installer_name(version)
    icons = out / "work" / "icons"
    if not (icons / "app.ico").exists():
        buildlib.render_icons(icons)
    defines = {
        "VERSION": version,
        "FILE_VERSION": ".".join(map(str, buildlib.windows_file_version(version))),
        "PAYLOAD": str(payload),
        "OUTFILE": str(setup),
        "APP_ICON": str(icons / "app.ico"),
        "LICENSE_FILE": str(buildlib.CHECKOUT / "LICENSE"),
        "COMPRESSOR": compressor,
    }
    command = [makensis, "-V2", "-WX", *(f"-D{key}={value}" for key, value in defines.items())]
    result = subprocess.run([*command, str(NSI_SCRIPT)], check=False)
    if result.returncode != 0 or not setup.exists():
        raise buildlib.BuildError(
            f"makensis failed (exit {result.returncode}) on {NSI_SCRIPT}; see its output above."
        )
    return setup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="build folder (not the checkout)")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    try:
        bundle = buildlib.run_pyinstaller(out / "dist", out / "work")
        print(f"app folder: {bundle.folder} ({buildlib.megabytes(bundle.size_bytes)})")
        setup = compile_installer(bundle.folder, out)
    except buildlib.BuildError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    print(f"installer: {setup} ({buildlib.megabytes(setup.stat().st_size)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
