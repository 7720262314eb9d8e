"""Render every built page of the wizard, light and dark, into resources/screenshots/.

A script, not a test:  QT_QPA_PLATFORM=offscreen python tests/ui/render_screenshots.py
Options: --scale 2 renders at 200 % (QT_SCALE_FACTOR), --out DIR writes elsewhere.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=CHECKOUT / "resources" / "screenshots")
    parser.add_argument("--scale", default="1")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QT_SCALE_FACTOR"] = args.scale
    # Never touch the real keyring or settings while rendering.
    home = tempfile.mkdtemp(prefix="wizard-shots-")
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[variable] = str(Path(home) / variable.lower())
    sys.path.insert(0, str(CHECKOUT))

    import keyring
    import keyring.backend
    from PySide6.QtWidgets import QApplication

    from wizard.ui.app import make_application
    from wizard.ui.qt_compat import emit
    from wizard.ui.style import Scheme, apply_style
    from wizard.ui.window import SetupWizard

    class ShotKeyring(keyring.backend.KeyringBackend):  # named like the Mac's, keeps nothing
        priority = 1  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> None:
            return None

        def set_password(self, service: str, username: str, password: str) -> None:
            return None

        def delete_password(self, service: str, username: str) -> None:
            return None

    ShotKeyring.__module__ = "keyring.backends.macOS"
    keyring.set_keyring(ShotKeyring())

    app = make_application()

    def settle() -> None:
        for _ in range(5):  # layouts are applied on the next turns of the event loop
            QApplication.processEvents()

    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.scale == "1" else f"@{args.scale}x"
    written = []
    for scheme in Scheme:
        apply_style(app, scheme)
        window = SetupWizard()
        window.resize(860, 680)
        window.show()
        settle()
        shots = {"1-welcome": None, "2-prepare": None, "3-credentials": None}
        window.welcome.new_choice.setChecked(True)
        shots["1-welcome"] = window.grab()
        window.next()
        settle()
        window.prepare.role_based.setChecked(True)
        for step_id in ("web-services-subscription", "sender-authorization"):
            window.prepare.step_boxes[step_id].setChecked(True)
        settle()
        shots["2-prepare"] = window.grab()
        window.next()
        page = window.credentials
        for name, value in (
            ("company_id", "ACME-CORP "),
            ("user_id", "ws_integration"),
            ("user_password", "correct horse battery"),
            ("sender_id", ""),
        ):
            page.fields[name].setText(value)
            emit(page.fields[name].textEdited, value)
            emit(page.fields[name].editingFinished)
        page.fields["company_id"].setText("ACME-CORP ")
        emit(page.fields["company_id"].textEdited, "ACME-CORP ")
        page.toggles["user_password"].setChecked(False)
        settle()
        shots["3-credentials"] = window.grab()
        for name, image in shots.items():
            path = args.out / f"{name}-{scheme.value}{suffix}.png"
            image.save(str(path))
            written.append(path)
        window.shutdown()
        window.deleteLater()
        QApplication.processEvents()
    for path in written:
        print(path.relative_to(CHECKOUT) if path.is_relative_to(CHECKOUT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
