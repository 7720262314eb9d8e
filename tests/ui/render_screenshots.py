"""Render every built page of the wizard, light and dark, into resources/screenshots/.

A script, not a test:  QT_QPA_PLATFORM=offscreen python tests/ui/render_screenshots.py
Options: --scale 2 renders at 200 % (QT_SCALE_FACTOR), --out DIR writes elsewhere.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QScrollArea

CHECKOUT = Path(__file__).resolve().parents[2]


def close_window(window: object) -> None:
    """Shut the wizard window down and let Qt delete it before the next one opens."""
    from PySide6.QtWidgets import QApplication

    window.shutdown()  # type: ignore[attr-defined]
    window.deleteLater()  # type: ignore[attr-defined]
    QApplication.processEvents()


def waiter(settle: object) -> Callable[..., None]:
    """wait_for(signal, start, timeout_s=60): call `start`, then run the event loop until
    `signal` fires (or the time is up), then let the layouts settle."""
    from PySide6.QtCore import QEventLoop, QTimer, SignalInstance

    def wait_for(signal: SignalInstance, start: object, timeout_s: float = 60) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)
        QTimer.singleShot(0, start)  # type: ignore[arg-type]
        QTimer.singleShot(int(timeout_s * 1000), loop.quit)
        loop.exec()
        settle()  # type: ignore[operator]

    return wait_for


def demo_shots(app: object, settle: object) -> dict[str, object]:
    """Pages 4 to 8 on the demo company, with a fault switched on where a fix panel shows."""
    from PySide6.QtCore import QPoint

    from wizard.ui.window import SetupWizard

    wait_for = waiter(settle)

    shots: dict[str, object] = {}
    window = SetupWizard()
    window.resize(800, 600)
    window.show()
    window.welcome.demo_choice.setChecked(True)
    wait_for(window.test.tested, window.next)
    test = window.test
    test.set_fault("no-permission-ar", True)
    wait_for(test.tested, test.start)
    # Show the failed check with its fix panel and the grid below it.
    scroll = test.findChild(QScrollArea, "checkScroll")
    row = test.rows["permissions"]
    scroll.verticalScrollBar().setValue(row.mapTo(scroll.widget(), QPoint(0, 0)).y() - 4)
    settle()  # type: ignore[operator]
    shots["4-test-connection"] = window.grab()
    test.set_fault("no-permission-ar", False)
    wait_for(test.tested, lambda: test.check_again("permissions"))
    wait_for(window.currentIdChanged, window.next)
    window.entity.choices["UK"].setChecked(True)
    settle()  # type: ignore[operator]
    shots["5-entity"] = window.grab()
    window.entity.choices[""].setChecked(True)
    wait_for(window.currentIdChanged, window.next)
    shots["6-mappings"] = window.grab()
    # The Posting group sits below the tables: scroll it into view for a shot of its own.
    mappings = window.mappings
    scroll = mappings.findChild(QScrollArea, "mappingsScroll")
    heading = mappings.posting_heading.mapTo(scroll.widget(), QPoint(0, 0)).y()
    scroll.verticalScrollBar().setValue(heading - 4)
    settle()  # type: ignore[operator]
    shots["6-mappings-posting"] = window.grab()
    scroll.verticalScrollBar().setValue(0)
    window.context.demo_sandbox.enable("period-closed")  # type: ignore[union-attr]
    wait_for(window.currentIdChanged, window.next)
    sync = window.first_sync
    sync.since.setDate(sync.since.minimumDate())
    # The closed period stops the sync before it starts: the test posting's fix shows first.
    wait_for(sync.choices_checked, sync.start)
    scroll = sync.findChild(QScrollArea, "syncScroll")
    scroll.ensureWidgetVisible(sync.posting_checks.anyway)  # the fix and both buttons
    settle()  # type: ignore[operator]
    shots["7-first-sync-checks"] = window.grab()
    wait_for(sync.run_ended, sync.sync_anyway)
    shots["7-first-sync"] = window.grab()
    window.context.demo_sandbox.disable("period-closed")  # type: ignore[union-attr]
    group = next(iter(sync.errors.groups.values()), None)
    if group is not None:
        wait_for(sync.run_ended, lambda: sync.retry(group.group.outbox_ids))
    wait_for(window.currentIdChanged, window.next)
    shots["8-done"] = window.grab()
    close_window(window)
    return shots


def integration_shots(settle: object) -> dict[str, object]:
    """Connecting Expensify: the integration picker, its checklist, the grid of exactly its
    needs with Add on expense reports missing, and the trial run once it is granted."""
    from PySide6.QtCore import QEventLoop, QPoint, QTimer
    from PySide6.QtWidgets import QApplication

    from wizard.integrations import load_integrations
    from wizard.sandbox import Sandbox
    from wizard.ui.window import SetupWizard

    wait_for = waiter(settle)

    expensify = load_integrations().get("expensify")
    sandbox = Sandbox().start()
    rights = {need.object: list(need.operations) for need in expensify.needs}
    for udd in sandbox.company.udds:
        rights[udd.object.upper()] = ["list", "view"]
    rights["LOCATIONENTITY"] = ["list", "view"]
    sandbox.set_user_permissions({**rights, "EEXPENSES": ["list", "view", "edit", "delete"]})
    shots: dict[str, object] = {}
    window = SetupWizard()
    window.resize(800, 600)
    window.show()
    welcome = window.welcome
    welcome.integration_search.setText("exp")
    welcome.new_choice.setChecked(True)
    settle()  # type: ignore[operator]
    shots["11-integration-welcome"] = window.grab()
    wait_for(window.currentIdChanged, window.next)
    prepare = window.prepare
    prepare.user_based.setChecked(True)
    settle()  # type: ignore[operator]
    scroll = prepare.scroll
    card = prepare.step_boxes["user-subscriptions"]
    scroll.verticalScrollBar().setValue(card.mapTo(scroll.widget(), QPoint(0, 0)).y() - 40)
    settle()  # type: ignore[operator]
    shots["12-integration-prepare"] = window.grab()
    wait_for(window.currentIdChanged, window.back)
    window.context.demo_sandbox = sandbox
    welcome.demo_choice.setChecked(True)
    wait_for(window.test.tested, window.next)
    test = window.test
    scroll = test.findChild(QScrollArea, "checkScroll")
    row = test.rows["permissions"]
    scroll.verticalScrollBar().setValue(row.mapTo(scroll.widget(), QPoint(0, 0)).y() - 4)
    settle()  # type: ignore[operator]
    shots["13-integration-test"] = window.grab()
    sandbox.set_user_permissions(rights)
    wait_for(test.tested, lambda: test.check_again("permissions"))
    wait_for(window.currentIdChanged, window.next)
    wait_for(window.currentIdChanged, window.next)
    trial = window.trial
    for _ in range(600):
        if trial.report is not None and not trial.busy:
            break
        QApplication.processEvents()
        QTimer.singleShot(0, lambda: None)
        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)
        loop.exec()
    settle()  # type: ignore[operator]
    shots["14-integration-trial"] = window.grab()
    close_window(window)
    sandbox.stop()
    return shots


def diagnose_shots(settle: object) -> dict[str, object]:
    """Findings and Retry: a saved connection whose sync failed, diagnosed after a change."""
    import dataclasses

    from wizard.checks.connect import demo_profile
    from wizard.connection import Profile, ProfileStore, Secrets, SecretStore
    from wizard.sandbox import Sandbox
    from wizard.sync.demo import add_demo_outbox
    from wizard.sync.store import Store
    from wizard.ui import session_adapter
    from wizard.ui.window import SetupWizard

    wait_for = waiter(settle)

    SecretStore().use_session_only()  # the shot keyring keeps nothing
    shots: dict[str, object] = {}
    with Sandbox(scenarios=["period-closed"]) as sandbox:
        creds = sandbox.credentials
        demo = demo_profile(sandbox.endpoint, creds.sender_id, creds.company_id, creds.user_id)
        store = ProfileStore()
        name = "ACME Outdoor"
        store.secrets.save(name, Secrets(creds.sender_password, creds.user_password))
        mappings = dataclasses.replace(demo.mappings, custom_fields=(("sync_ref", "SYNC_REF"),))
        store.save(
            Profile(
                name=name,
                company_id=creds.company_id,
                user_id=creds.user_id,
                sender_id=creds.sender_id,
                endpoint=sandbox.endpoint,
                mappings=mappings,
            )
        )
        target = session_adapter.profile_target(name)
        job = session_adapter.SyncJob.for_target(
            target,
            session_adapter.SyncChoices(
                flows=session_adapter.flow_catalogue().default,
                default_location=mappings.default_location,
                custom_fields=mappings.custom_fields,
            ),
        )
        for suffix in ("", "-wal", "-shm"):  # start from the same history in both schemes
            Path(f"{job.store_path}{suffix}").unlink(missing_ok=True)
        with Store.open(job.store_path) as sync_store:
            add_demo_outbox(sync_store, 20)
        job.run(None, lambda _p: None, lambda: False)
        sandbox.set_scenarios(["payment-summary-user-specified"])  # what changed since
        for shot, fault in (("9-findings", True), ("10-retry", False)):
            if not fault:
                sandbox.set_scenarios([])
            window = SetupWizard()
            window.resize(800, 600)
            window.show()
            settle()  # type: ignore[operator]
            wait_for(window.welcome.profiles.currentIndexChanged, lambda: None, 2)
            window.welcome.diagnose_choice.setChecked(True)
            wait_for(window.test.tested, window.next)
            wait_for(window.findings.history_shown, window.next)
            if fault:
                shots[shot] = window.grab()
            else:
                window.findings.retry_box.setChecked(True)
                wait_for(window.retry.run_ended, window.next)
                shots[shot] = window.grab()
            close_window(window)
    return shots


def other_shots(settle: object) -> dict[str, object]:
    """Other / not listed on Welcome: the admin's own ticks, name and sender ID."""

    from wizard.ui.window import SetupWizard

    window = SetupWizard()
    window.resize(800, 600)
    window.show()
    welcome = window.welcome
    welcome.integration_search.setText("our billing")
    welcome.new_choice.setChecked(True)
    panel = welcome.custom_needs
    for obj, operation in (
        ("GLACCOUNT", "list"),
        ("GLACCOUNT", "view"),
        ("CUSTOMER", "list"),
        ("CUSTOMER", "add"),
        ("ARINVOICE", "add"),
    ):
        panel.tick(obj, operation)
    panel.name_edit.setText("Our billing app")
    panel.sender_edit.setText("ourbilling")
    settle()  # type: ignore[operator]
    row = panel.row_of("CUSTOMER")
    panel.table.scrollToItem(panel.table.item(row, 0))
    settle()  # type: ignore[operator]
    welcome.show_custom_needs()
    settle()  # type: ignore[operator]
    shots: dict[str, object] = {"15-integration-other": window.grab()}
    close_window(window)
    return shots


def explain_shots(settle: object) -> dict[str, object]:
    """Explain an error message, opened from Welcome with BILL picked: a pasted sync error."""

    from wizard.ui.window import SetupWizard

    window = SetupWizard()
    window.resize(800, 600)
    window.show()
    window.welcome.picker.choose("bill")
    dialog = window.welcome.open_explain()
    dialog.pasted.setPlainText(
        "Sage Intacct Sync Error: BL01001973 Could not create APBILL record! "
        "Class is required for GL account 6100."
    )
    dialog.explain()
    settle()  # type: ignore[operator]
    shots: dict[str, object] = {"18-explain": dialog.grab()}
    dialog.close()
    close_window(window)
    return shots


def rest_shots(settle: object) -> dict[str, object]:
    """Over the REST API: Sign-in details for Workato with "Sign in with Sage Intacct", and
    the demo company's REST checks with a refused app and its fix."""

    from wizard.connection import ConnectionMethod, RestGrant
    from wizard.ui.window import SetupWizard

    wait_for = waiter(settle)

    shots: dict[str, object] = {}
    window = SetupWizard()
    window.resize(800, 600)
    window.show()
    window.welcome.integration_search.setText("workato")
    window.welcome.new_choice.setChecked(True)
    settle()  # type: ignore[operator]
    window.next()
    window.prepare.user_based.setChecked(True)
    settle()  # type: ignore[operator]
    window.next()
    page = window.credentials
    page.method_choice.set_method(ConnectionMethod.REST)
    page.sign_in_choice.grants[RestGrant.SIGN_IN].setChecked(True)
    for name, value in (("company_id", "ACME-CORP"), ("client_id", "4f1e9c.app.sage.com")):
        page.fields[name].setText(value)
    page.fields["client_secret"].setText("an example secret")
    page.sign_in_choice.redirect.setText("https://app.example.com/intacct/callback")
    settle()  # type: ignore[operator]
    page.scroll.ensureWidgetVisible(page.sign_in_choice.paste, 0, 0)
    settle()  # type: ignore[operator]
    shots["16-rest-credentials"] = window.grab()
    close_window(window)

    window = SetupWizard()
    window.resize(800, 600)
    window.show()
    window.welcome.demo_choice.setChecked(True)
    window.welcome.demo_over_rest.setChecked(True)
    wait_for(window.test.tested, window.next)
    test = window.test
    test.set_fault("rest-app-not-authorized", True)
    wait_for(test.tested, test.start)
    shots["17-rest-test"] = window.grab()
    close_window(window)
    return shots


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=CHECKOUT / "resources" / "screenshots")
    parser.add_argument("--scale", default="1")
    parser.add_argument(
        "--only",
        choices=("integrations", "other", "rest", "explain"),
        help="render only these pages (integrations: the Expensify pages, 11 to 14; other: "
        "Welcome with Other / not listed, 15; rest: the REST pages, 16 and 17; explain: the "
        "Explain an error message window, 18)",
    )
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
        if args.only is not None:
            only = {
                "integrations": integration_shots,
                "other": other_shots,
                "rest": rest_shots,
                "explain": explain_shots,
            }
            shots = only[args.only](settle)
            for name, image in shots.items():
                path = args.out / f"{name}-{scheme.value}{suffix}.png"
                image.save(str(path), "PNG", 0)  # type: ignore[attr-defined]
                written.append(path)
            continue
        window = SetupWizard()
        window.resize(800, 600)
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
        close_window(window)
        shots.update(demo_shots(app, settle))
        shots.update(diagnose_shots(settle))
        shots.update(integration_shots(settle))
        shots.update(other_shots(settle))
        shots.update(rest_shots(settle))
        shots.update(explain_shots(settle))
        for name, image in shots.items():
            path = args.out / f"{name}-{scheme.value}{suffix}.png"
            image.save(str(path), "PNG", 0)  # 0: the strongest PNG compression
            written.append(path)
    for path in written:
        print(path.relative_to(CHECKOUT) if path.is_relative_to(CHECKOUT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
