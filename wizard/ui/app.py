"""The application shell: `run_gui()` opens the wizard (wizard/cli.py calls it)."""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from wizard import APP_ID, APP_NAME, __version__
from wizard.ui.errors import ErrorHook
from wizard.ui.logs import setup_logging
from wizard.ui.single_instance import InstanceServer, ask_running_instance
from wizard.ui.style import app_icon, apply_style, follow_system_scheme
from wizard.ui.worker import join_all_workers

log = logging.getLogger(__name__)


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the wizard's names, icon and style (reuses a running one)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # Crisp at 125 % and 150 %, not rounded to 100 % or 200 %.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(argv if argv is not None else [sys.argv[0]])
    QCoreApplication.setOrganizationName(APP_ID)
    QCoreApplication.setApplicationName(APP_ID)
    QGuiApplication.setApplicationDisplayName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    apply_style(app)
    follow_system_scheme(app)
    return app


def run_gui(demo: bool = False, self_test: bool = False) -> int:
    """Open the wizard (or, with `self_test`, check this installation offscreen); exit code."""
    if self_test:
        return run_self_test()
    log_file = setup_logging()
    app = make_application()
    if ask_running_instance():
        log.info("another wizard is already open; asked it to come to the front")
        return 0
    from wizard.ui.window import SetupWizard

    window = SetupWizard()
    hook = ErrorHook(window)
    hook.install()
    instance = InstanceServer(window.raise_to_front)
    if demo:
        window.welcome.prefer_demo = True
    log.info("%s %s started; log file %s", APP_NAME, __version__, log_file)
    window.show()
    try:
        return int(app.exec())
    finally:
        instance.close()
        window.shutdown()
        join_all_workers()
        hook.uninstall()


def run_self_test() -> int:
    """Start the wizard offscreen, start and stop the demo company, report, exit 0 or 1."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import keyring

    from wizard.ui.window import SetupWizard

    app = make_application()
    window = SetupWizard()
    window.welcome.prefer_demo = True
    window.show()
    outcome: dict[str, str] = {}

    def started(_sandbox: object) -> None:
        outcome["demo"] = "ok"
        app.quit()

    def failed(error: BaseException) -> None:
        outcome["demo"] = f"failed: {error}"
        app.quit()

    from wizard.ui.context import start_demo_sandbox

    task = window.workers.run("self-test demo company", start_demo_sandbox)
    task.succeeded.connect(
        lambda sandbox: (setattr(window.context, "demo_sandbox", sandbox), started(sandbox))
    )
    task.failed.connect(failed)
    QTimer.singleShot(20_000, app.quit)
    app.exec()
    window.shutdown()
    backend = type(keyring.get_keyring())
    print(f"{APP_NAME} {__version__} self-test")
    print(f"  Qt platform:     {QGuiApplication.platformName()}")
    print(f"  keyring backend: {backend.__module__}.{backend.__name__}")
    print(f"  pages:           {len(window.pages)}")
    print(f"  demo company:    {outcome.get('demo', 'did not start within 20 s')}")
    return 0 if outcome.get("demo") == "ok" else 1
