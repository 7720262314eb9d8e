"""Fusion with an explicit light or dark palette and the wizard's style sheet, from resources/.

The scheme follows the operating system (QStyleHints.colorScheme, Qt 6.5+) unless a caller
asks for one; colours live in resources/style/palettes.toml, never in code.
"""

from __future__ import annotations

import enum
import string
import tomllib
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from wizard.resources import resource_path


class Scheme(enum.StrEnum):
    LIGHT = "light"
    DARK = "dark"


class StyleError(Exception):
    """The palette or style sheet file is broken; the message names the file and the key."""


def load_palettes(path: Path | None = None) -> dict[Scheme, dict[str, str]]:
    path = path or resource_path("style", "palettes.toml")
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise StyleError(f"cannot read the colour palettes in {path}: {exc}") from exc
    palettes: dict[Scheme, dict[str, str]] = {}
    for scheme in Scheme:
        table = document.get(scheme.value)
        if not isinstance(table, dict):
            raise StyleError(f"{path}: the [{scheme.value}] table is missing")
        for key, value in table.items():
            if not isinstance(value, str) or not QColor.isValidColorName(value):
                raise StyleError(f"{path}: [{scheme.value}] {key} = {value!r} is not a colour")
        palettes[scheme] = dict(table)
    if set(palettes[Scheme.LIGHT]) != set(palettes[Scheme.DARK]):
        different = sorted(set(palettes[Scheme.LIGHT]) ^ set(palettes[Scheme.DARK]))
        raise StyleError(f"{path}: light and dark must set the same keys; check {different}")
    return palettes


def build_palette(colours: Mapping[str, str]) -> QPalette:
    palette = QPalette()
    for key, value in colours.items():
        group = QPalette.ColorGroup.All
        name = key
        if key.startswith("disabled_"):
            group, name = QPalette.ColorGroup.Disabled, key.removeprefix("disabled_")
        role = getattr(QPalette.ColorRole, name, None)
        if role is None:
            continue  # the wizard's own keys (error, accent_…) go to the style sheet
        palette.setColor(group, role, QColor(value))
    return palette


def style_sheet(colours: Mapping[str, str], path: Path | None = None) -> str:
    path = path or resource_path("style", "wizard.qss")
    template = string.Template(path.read_text(encoding="utf-8"))
    try:
        return template.substitute(colours, style_dir=path.parent.as_posix())
    except KeyError as exc:
        raise StyleError(f"{path}: ${{{exc.args[0]}}} is not defined in palettes.toml") from exc


def system_scheme() -> Scheme:
    """The operating system's colour scheme, light when Qt cannot tell."""
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    if scheme is not None and scheme() == Qt.ColorScheme.Dark:
        return Scheme.DARK
    return Scheme.LIGHT


def apply_style(app: QApplication, scheme: Scheme | None = None) -> Scheme:
    """Fusion, the palette of `scheme` (default: the system's) and the wizard style sheet."""
    chosen = scheme or system_scheme()
    colours = load_palettes()[chosen]
    fusion = QStyleFactory.create("Fusion")
    if fusion is None:
        raise StyleError("Qt's Fusion style is missing from this installation; reinstall it")
    app.setStyle(fusion)
    # The style sheet wraps the style, so app.style() no longer says which one is underneath.
    app.setProperty("wizardBaseStyle", fusion.name())
    app.setPalette(build_palette(colours))
    app.setStyleSheet(style_sheet(colours))
    app.setProperty("wizardScheme", chosen.value)
    return chosen


_following: list[QApplication] = []


def follow_system_scheme(app: QApplication) -> None:
    """Re-style when the admin switches the OS between light and dark while the wizard runs."""
    if _following:
        return
    hints = QGuiApplication.styleHints()
    changed = getattr(hints, "colorSchemeChanged", None)
    if changed is not None:
        changed.connect(lambda _scheme: apply_style(app))
        _following.append(app)


def current_colours(app: QApplication | None = None) -> dict[str, str]:
    app = app or QApplication.instance()  # type: ignore[assignment]
    name = app.property("wizardScheme") if app is not None else None
    return load_palettes()[Scheme(name) if name else Scheme.LIGHT]


def app_icon() -> QIcon:
    return QIcon(str(resource_path("icons", "app.svg")))
