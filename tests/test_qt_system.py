"""Opening the window on a Linux system that lacks what Qt needs says what to install."""

from __future__ import annotations

import importlib.abc
import sys

import pytest

from wizard import qt_system
from wizard.cli import main


def test_missing_xcb_libraries_are_named_with_the_packages_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    present = {"xcb-image", "xcb-render-util", "xkbcommon-x11"}
    monkeypatch.setattr(
        qt_system.ctypes.util, "find_library", lambda name: name if name in present else None
    )
    missing = qt_system.missing_window_libraries()
    assert [lib.debian for lib in missing] == ["libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1"]
    said = qt_system.explain_missing(missing)
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in said
    assert "sudo dnf install xcb-util-cursor xcb-util-wm xcb-util-keysyms" in said


def test_no_x11_window_needs_no_xcb_library(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(qt_system.ctypes.util, "find_library", lambda name: None)
    assert qt_system.missing_window_libraries() == []


class _BrokenWindow(importlib.abc.MetaPathFinder):
    """Loading the window fails as it does when a system library of Qt is missing."""

    def __init__(self, error: ImportError) -> None:
        self.error = error

    def find_spec(self, fullname: str, path: object, target: object = None) -> None:
        if fullname == "wizard.ui.app":
            raise self.error
        return


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (
            ImportError("libxcb-cursor.so.0: cannot open shared object file: No such file"),
            "sudo apt-get install libxcb-cursor0",
        ),
        (
            ImportError("libEGL.so.1: cannot open shared object file: No such file or directory"),
            "sudo apt-get install libegl1",
        ),
        (ModuleNotFoundError("No module named 'PySide6'", name="PySide6"), "Reinstall"),
        (ModuleNotFoundError("No module named 'wizard.ui'", name="wizard.ui"), "not part of"),
    ],
)
def test_a_window_that_cannot_load_says_why_not_that_it_is_missing(
    error: ImportError,
    said: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delitem(sys.modules, "wizard.ui.app", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_BrokenWindow(error), *sys.meta_path])
    assert main([]) == 1
    err = capsys.readouterr().err
    assert said in err
    if said != "not part of":
        assert "not part of this build" not in err
