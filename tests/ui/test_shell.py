"""The application shell: error window, log file, single instance and colour schemes."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from wizard.redaction import MASK, remember_secret
from wizard.ui import style
from wizard.ui.errors import ErrorDialog, ErrorHook
from wizard.ui.logs import setup_logging
from wizard.ui.single_instance import InstanceServer, ask_running_instance


def test_error_in_a_background_thread_opens_a_redacted_copyable_window(
    qtbot: QtBot, qapp: QApplication
) -> None:
    remember_secret("Winter-Ledger-42")
    hook = ErrorHook()
    hook.install()
    try:

        def crash() -> None:
            raise RuntimeError("sign-in failed for password Winter-Ledger-42")

        with qtbot.waitSignal(hook.shown, timeout=5_000) as blocker:
            thread = threading.Thread(target=crash)
            thread.start()
            thread.join()
    finally:
        hook.uninstall()
    dialog = blocker.args[0]
    assert isinstance(dialog, ErrorDialog)
    qtbot.addWidget(dialog)
    details = dialog.details.toPlainText()
    assert "RuntimeError" in details and MASK in details
    assert "Winter-Ledger-42" not in details + dialog.summary.text()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == details
    dialog.close()


@pytest.fixture
def wizard_log() -> Path:
    path = setup_logging()
    yield path
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_wizard_handler", False):
            root.removeHandler(handler)
            handler.close()


def test_log_file_is_in_the_user_log_folder_and_holds_no_secret(
    wizard_log: Path, isolated_user_dirs: Path
) -> None:
    assert wizard_log.is_relative_to(isolated_user_dirs)
    assert "IntacctSetupWizard" in wizard_log.parts
    remember_secret("Sender-Secret-7")
    logging.getLogger("wizard.test").warning("login with <password>Sender-Secret-7</password>")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = wizard_log.read_text(encoding="utf-8")
    assert "login with" in text and "Sender-Secret-7" not in text
    assert all(
        any(type(f).__name__ == "RedactingFilter" for f in h.filters)
        for h in logging.getLogger().handlers
        if getattr(h, "_wizard_handler", False)
    )


def test_a_second_start_brings_the_first_window_forward(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    name = f"wizard-test-{tmp_path.name}"
    assert not ask_running_instance(name), "nobody is listening yet"
    activated = []
    server = InstanceServer(lambda: activated.append(True), name=name)
    try:
        assert ask_running_instance(name)
        qtbot.waitUntil(lambda: activated == [True], timeout=5_000)
    finally:
        server.close()


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def _contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", list(style.Scheme))
def test_both_colour_schemes_keep_text_readable(scheme: style.Scheme, qapp: QApplication) -> None:
    colours = style.load_palettes()[scheme]
    palette = style.build_palette(colours)
    role = QPalette.ColorRole
    for text, background in (
        (role.Text, role.Base),
        (role.WindowText, role.Window),
        (role.ButtonText, role.Button),
        (role.HighlightedText, role.Highlight),
    ):
        ratio = _contrast(palette.color(text), palette.color(background))
        assert ratio >= 4.5, f"{scheme}: {text.name} on {background.name} is {ratio:.1f}:1"
    for message in ("error", "warning", "success"):
        ratio = _contrast(QColor(colours[message]), palette.color(role.Base))
        assert ratio >= 4.5, f"{scheme}: {message} messages are {ratio:.1f}:1"


def test_dark_scheme_applies_fusion_a_dark_palette_and_the_style_sheet(
    qapp: QApplication,
) -> None:
    try:
        assert style.apply_style(qapp, style.Scheme.DARK) is style.Scheme.DARK
        assert qapp.property("wizardBaseStyle") == "fusion"
        window = qapp.palette().color(QPalette.ColorRole.Window)
        assert window.lightnessF() < 0.3
        assert "QLineEdit" in qapp.styleSheet() and "${" not in qapp.styleSheet()
    finally:
        style.apply_style(qapp, style.Scheme.LIGHT)
    assert qapp.palette().color(QPalette.ColorRole.Window).lightnessF() > 0.7


def test_a_broken_palette_file_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "palettes.toml"
    path.write_text('[light]\nWindow = "#fff"\n[dark]\nWindow = "not-a-colour"\n', "utf-8")
    with pytest.raises(style.StyleError, match="Window"):
        style.load_palettes(path)


def test_emitting_signals_does_not_wear_out_python(qapp: QApplication) -> None:
    """PySide6 6.12.0 drops a reference to True on each emit; thousands abort the program."""
    import sys

    from PySide6.QtCore import QObject, Signal

    from wizard.ui.qt_compat import emit

    class Source(QObject):
        changed = Signal()

    source = Source()
    before = sys.getrefcount(True)
    for _ in range(5_000):
        emit(source.changed)
    assert sys.getrefcount(True) >= before
