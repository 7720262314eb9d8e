"""Shared steps of the installer builds: version, icons, the PyInstaller bundle, sizes.

The per-platform scripts beside this file (build_linux.py, build_windows.py, build_macos.py)
import it; the spec (intacct_wizard.spec) reads the same constants. Standard library only,
except `render_icons`, which uses the project's own Qt (QtSvg) to draw the SVG icon.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

INSTALLERS = Path(__file__).resolve().parent
CHECKOUT = INSTALLERS.parent
SPEC = INSTALLERS / "intacct_wizard.spec"
ICON_SVG = CHECKOUT / "resources" / "icons" / "app.svg"

APP_NAME = "Intacct Setup Wizard"
# The GUI executable (Start menu, .app) and, on Windows, a console twin for the command line.
GUI_EXE = "IntacctSetupWizard"
CLI_EXE = "intacct-wizard"
BUNDLE_ID = "org.intacct-setup-wizard.wizard"
MINIMUM_MACOS = "12.0"

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
# ICNS element types holding PNG data, by pixel size (Apple's icns format).
_ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08",
               512: b"ic09", 1024: b"ic10"}  # fmt: skip
_ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


class BuildError(RuntimeError):
    """A build step failed; the message says which and what to do."""


@dataclass(frozen=True)
class Bundle:
    """A built one-folder app."""

    folder: Path  # the folder that holds the executables (inside the .app on macOS)
    executable: Path  # the GUI executable
    app: Path | None = None  # the .app on macOS

    @property
    def size_bytes(self) -> int:
        return folder_size(self.app or self.folder)


def project_version() -> str:
    """The version in pyproject.toml: the one source of truth for every installer."""
    data = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["version"])


def windows_file_version(version: str) -> tuple[int, int, int, int]:
    """'1.2.3rc1' -> (1, 2, 3, 0): the four integers a Windows version resource holds."""
    match = re.match(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?", version)
    if match is None:
        raise BuildError(f"version {version!r} in pyproject.toml does not start with a number")
    a, b, c, d = (int(part or 0) for part in match.groups())
    return (a, b, c, d)


def mac_info_plist(version: str) -> dict[str, object]:
    """The Info.plist entries the .app carries (PyInstaller adds the executable and icon)."""
    return {
        "CFBundleName": APP_NAME,
        "CFBundleDisplayName": APP_NAME,
        "CFBundleIdentifier": BUNDLE_ID,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "CFBundlePackageType": "APPL",
        "LSMinimumSystemVersion": MINIMUM_MACOS,
        "LSApplicationCategoryType": "public.app-category.business",
        "NSHighResolutionCapable": True,
        "NSRequiresAquaSystemAppearance": False,
        "NSHumanReadableCopyright": "Copyright the Intacct Setup Wizard contributors. "
        "Apache License 2.0.",
    }


def render_icons(out_dir: Path) -> dict[str, Path]:
    """Draw resources/icons/app.svg as PNGs and pack them into app.ico and app.icns."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(ICON_SVG))
    if not renderer.isValid():
        raise BuildError(f"{ICON_SVG} is not a valid SVG; fix the file and build again.")
    sizes_dir = out_dir / "sizes"
    sizes_dir.mkdir(parents=True, exist_ok=True)
    pngs: dict[int, bytes] = {}
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        png = sizes_dir / f"app-{size}.png"
        if not image.save(str(png)):
            raise BuildError(f"could not write {png}; check the disk space and permissions.")
        pngs[size] = png.read_bytes()
    files = {"png": out_dir / "app.png", "ico": out_dir / "app.ico", "icns": out_dir / "app.icns"}
    files["png"].write_bytes(pngs[256])
    files["ico"].write_bytes(ico_bytes({s: pngs[s] for s in _ICO_SIZES}))
    files["icns"].write_bytes(icns_bytes({s: pngs[s] for s in _ICNS_TYPES}))
    return files


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding PNG images (supported since Windows Vista)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, images = b"", b""
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        images += png
        offset += len(png)
    return header + entries + images


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns holding PNG elements."""
    body = b"".join(
        _ICNS_TYPES[size] + struct.pack(">I", 8 + len(png)) + png
        for size, png in sorted(pngs.items())
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def run_pyinstaller(dist: Path, work: Path) -> Bundle:
    """Build the one-folder app from the spec into `dist` (never into the checkout)."""
    if shutil.which("pyinstaller") is None and not _has_module("PyInstaller"):
        raise BuildError(
            "PyInstaller is not installed. Run `python -m pip install -e '.[test]'` "
            "(or `pip install pyinstaller`) in the build environment."
        )
    icons = render_icons(work / "icons")
    env = dict(os.environ, INTACCT_WIZARD_ICON_DIR=str(icons["png"].parent))
    command = [
        sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--clean",
        "--log-level", "WARN", "--distpath", str(dist), "--workpath", str(work / "pyinstaller"),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=work, env=env, check=False)
    if result.returncode != 0:
        raise BuildError(f"PyInstaller failed (exit {result.returncode}); see its output above.")
    return find_bundle(dist)


def find_bundle(dist: Path) -> Bundle:
    exe_name = GUI_EXE + (".exe" if sys.platform == "win32" else "")
    if sys.platform == "darwin":
        app = dist / f"{APP_NAME}.app"
        folder = app / "Contents" / "MacOS"
        return Bundle(folder=folder, executable=folder / exe_name, app=app)
    folder = dist / GUI_EXE
    return Bundle(folder=folder, executable=folder / exe_name)


def folder_size(path: Path) -> int:
    """Bytes in every regular file under `path` (symlinks not followed or counted)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            file = Path(root, name)
            if not file.is_symlink():
                total += file.stat().st_size
    return total


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None
