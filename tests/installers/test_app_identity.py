"""What the installers tell Windows and macOS about the app: icon, version, bundle metadata."""

from __future__ import annotations

import plistlib
import struct
from pathlib import Path

import buildlib
import pytest


@pytest.fixture(scope="module")
def icons(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return buildlib.render_icons(tmp_path_factory.mktemp("icons"))


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_windows_icon_holds_every_shell_size_from_16_to_256(icons: dict[str, Path]) -> None:
    data = icons["ico"].read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)  # an icon, not a cursor
    sizes = []
    for index in range(count):
        entry = data[6 + 16 * index : 22 + 16 * index]
        width, _height, _colours, _r, _planes, _bpp, length, offset = struct.unpack(
            "<BBBBHHII", entry
        )
        side = width or 256
        assert _png_size(data[offset : offset + length]) == (side, side)
        sizes.append(side)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]


def test_mac_icon_holds_retina_sizes_up_to_1024(icons: dict[str, Path]) -> None:
    data = icons["icns"].read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    found: dict[bytes, tuple[int, int]] = {}
    position = 8
    while position < len(data):
        kind, length = (
            data[position : position + 4],
            struct.unpack(">I", data[position + 4 : position + 8])[0],
        )
        found[kind] = _png_size(data[position + 8 : position + length])
        position += length
    assert found[b"ic10"] == (1024, 1024)
    assert found[b"ic07"] == (128, 128)
    assert found[b"icp4"] == (16, 16)


def test_icon_is_drawn_not_blank(icons: dict[str, Path]) -> None:
    from PySide6.QtGui import QImage

    image = QImage(str(icons["png"]))
    assert image.width() == 256
    centre = image.pixelColor(128, 128)
    corner = image.pixelColor(0, 0)
    assert centre.alpha() == 255 and corner.alpha() == 0  # rounded square on transparency


@pytest.mark.parametrize(
    ("version", "numbers"),
    [("0.1.0", (0, 1, 0, 0)), ("1.2", (1, 2, 0, 0)), ("2.0.1rc3", (2, 0, 1, 0))],
)
def test_windows_version_resource_numbers(version: str, numbers: tuple[int, ...]) -> None:
    assert buildlib.windows_file_version(version) == numbers


def test_windows_version_rejects_a_version_without_numbers() -> None:
    with pytest.raises(buildlib.BuildError, match="does not start with a number"):
        buildlib.windows_file_version("dev")


def test_mac_info_plist_names_the_app_and_its_limits() -> None:
    version = buildlib.project_version()
    plist = plistlib.loads(plistlib.dumps(buildlib.mac_info_plist(version)))
    assert plist["CFBundleIdentifier"] == "org.intacct-setup-wizard.wizard"
    assert plist["CFBundleShortVersionString"] == version
    assert plist["NSHighResolutionCapable"] is True
    assert plist["LSMinimumSystemVersion"] == buildlib.MINIMUM_MACOS
