"""What the wizard window needs from a Linux system beyond the PySide6 wheel, and what to say
when it is missing. Standard library only: `wizard.devenv` uses it before any environment
exists, and `wizard.cli` before Qt is imported (Qt itself aborts the process, with a cryptic
xcb message, when these libraries are missing).
"""

from __future__ import annotations

import ctypes.util
import os
import re
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class SystemLibrary:
    name: str  # as the loader knows it: libNAME.so
    debian: str  # the Debian / Ubuntu package
    fedora: str  # the Fedora / RHEL package


# The X11 (xcb) libraries Qt 6's window plugin loads that desktop installs often lack
# (Qt's Linux requirements page; "From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed").
XCB_LIBRARIES = (
    SystemLibrary("xcb-cursor", "libxcb-cursor0", "xcb-util-cursor"),
    SystemLibrary("xcb-icccm", "libxcb-icccm4", "xcb-util-wm"),
    SystemLibrary("xcb-keysyms", "libxcb-keysyms1", "xcb-util-keysyms"),
    SystemLibrary("xcb-image", "libxcb-image0", "xcb-util-image"),
    SystemLibrary("xcb-render-util", "libxcb-render-util0", "xcb-util-renderutil"),
    SystemLibrary("xkbcommon-x11", "libxkbcommon-x11-0", "libxkbcommon-x11"),
)
# Libraries an import of PySide6 itself can miss, by the file the loader names.
_BY_FILE = {
    "libEGL.so": SystemLibrary("EGL", "libegl1", "libglvnd-egl"),
    "libGL.so": SystemLibrary("GL", "libgl1", "libglvnd-glx"),
    "libxkbcommon.so": SystemLibrary("xkbcommon", "libxkbcommon0", "libxkbcommon"),
    "libfontconfig.so": SystemLibrary("fontconfig", "libfontconfig1", "fontconfig"),
    "libdbus-1.so": SystemLibrary("dbus-1", "libdbus-1-3", "dbus-libs"),
    **{f"lib{lib.name}.so": lib for lib in XCB_LIBRARIES},
}
_SHARED_OBJECT = re.compile(r"(lib[\w.+-]+?\.so)(?:\.[\d.]+)?")
# Qt platforms that draw no X11 window: nothing of the above is needed.
_NO_X11 = {"offscreen", "minimal", "wayland", "vnc", "eglfs", "linuxfb"}


def missing_window_libraries() -> list[SystemLibrary]:
    """The xcb libraries Qt's window needs that this Linux system lacks (none elsewhere)."""
    if not sys.platform.startswith("linux"):
        return []
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip().lower()
    if platform in _NO_X11:
        return []
    return [lib for lib in XCB_LIBRARIES if ctypes.util.find_library(lib.name) is None]


def install_advice(missing: list[SystemLibrary]) -> str:
    debian = " ".join(lib.debian for lib in missing)
    fedora = " ".join(lib.fedora for lib in missing)
    return (
        f"  On Debian or Ubuntu: sudo apt-get install {debian}\n"
        f"  On Fedora or RHEL:   sudo dnf install {fedora}\n"
        "Then start the wizard again. (The commands, such as `intacct-wizard diagnose`, "
        "work without them.)"
    )


def explain_missing(missing: list[SystemLibrary]) -> str:
    names = ", ".join(lib.debian for lib in missing)
    return (
        f"The wizard window needs Linux system libraries that are not installed: {names}.\n"
        + install_advice(missing)
    )


def explain_import_error(error: ImportError) -> str:
    """What to tell the admin when loading the window failed with `error`."""
    text = str(error)
    found = _SHARED_OBJECT.search(text)
    if found:
        file = found.group(1)
        library = _BY_FILE.get(file)
        if library is not None:
            return (
                f"The wizard window needs the Linux system library {file}, which is not "
                f"installed ({text}).\n" + install_advice([library])
            )
        return (
            f"The wizard window needs the system library {file}, which could not be "
            f"loaded ({text}). Install the package that provides {file} with your "
            "system's package manager, then start the wizard again."
        )
    missing = getattr(error, "name", None) or ""
    if missing.split(".")[0] in ("PySide6", "shiboken6"):
        return (
            f"The Qt toolkit (PySide6) could not be loaded ({text}). Reinstall the program; "
            "in a development checkout, run `python3 -m wizard.devenv demo`."
        )
    return (
        f"The wizard window could not be loaded ({text}). Reinstall the program; the "
        "commands (`intacct-wizard --help`) still work."
    )
