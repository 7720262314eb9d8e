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
from wizard.ui.gui_thread_gc import collect_on_gui_thread
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
    collect_on_gui_thread(app)  # a Qt object in a cycle must never die on a worker thread
    return app


def run_gui(demo: bool = False, self_test: bool = False, expect_keyring: str | None = None) -> int:
    """Open the wizard (or, with `self_test`, check this installation offscreen); exit code."""
    if self_test:
        return run_self_test(expect_keyring)
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


def keyring_backend_name() -> str:
    """The active keyring backend's class path, e.g. keyring.backends.macOS.Keyring."""
    import keyring

    backend = type(keyring.get_keyring())
    return f"{backend.__module__}.{backend.__name__}"


SELF_TEST_TIMEOUT_MS = 45_000


def run_self_test(expect_keyring: str | None = None) -> int:
    """Open the wizard offscreen, start the demo company, run its connection test; 0 or 1.

    Needs no usable keyring (the demo's passwords come from the sandbox and stay in this
    session); prints which backend it found, and fails when `expect_keyring` names another.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from wizard.checks import CheckStatus
    from wizard.flow import PageId
    from wizard.gateway.network import trust_store_name
    from wizard.ui.connection_adapter import keyring_status
    from wizard.ui.window import SetupWizard

    app = make_application()
    window = SetupWizard()
    window.welcome.prefer_demo = True
    window.show()
    outcome: dict[str, object] = {}

    def tested(ok: bool) -> None:
        outcome["tested"] = ok
        outcome["page"] = window.currentId()
        app.quit()

    def start() -> None:
        window.welcome.demo_choice.setChecked(True)
        window.next()  # starts the demo company off the GUI thread, then opens the test

    window.test.tested.connect(tested)
    QTimer.singleShot(0, start)
    QTimer.singleShot(SELF_TEST_TIMEOUT_MS, app.quit)
    app.exec()
    findings = window.context.findings
    on_test_page = outcome.get("page") == int(PageId.TEST)
    status_text = window.test.status.text()
    window.shutdown()
    backend = keyring_backend_name()
    status = keyring_status()
    failed = [f for f in findings if f.status is CheckStatus.FAIL]
    print(f"{APP_NAME} {__version__} self-test")
    print(f"  Qt platform:      {QGuiApplication.platformName()}")
    print(f"  keyring backend:  {backend} ({'usable' if status.usable else 'not usable'})")
    if not status.usable:
        print("                    the demo keeps its passwords for this session only")
    print(f"  certificates:     {trust_store_name()}")
    print(f"  pages:            {len(window.pages)}")
    print(f"  demo company:     {'started' if window.context.target else 'did not start'}")
    print(
        f"  connection test:  {len(findings) - len(failed)} of {len(findings)} checks passed"
        + ("" if on_test_page else " (the test page did not open)")
    )
    for finding in failed:
        print(f"    failed: {finding.check}: {finding.fix_id or ''}")
    if "tested" not in outcome:
        print(f"  the test did not finish within {SELF_TEST_TIMEOUT_MS // 1000} s: {status_text}")
    ok = outcome.get("tested") is True and bool(findings) and not failed
    if expect_keyring and backend != expect_keyring:
        print(
            f"  keyring mismatch: expected {expect_keyring}, but this installation uses "
            f"{backend}. The packaged app is missing its platform keyring backend; rebuild "
            "it with the backend included."
        )
        ok = False
    print(f"  result:           {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1
