"""Page 4: the connection test. Every check runs in the background and lands in a live list;
a failed check shows its fix panel with "Check again"; the permission grid appears once the
permission check has run. On the demo company a "Demo faults" menu switches sandbox faults on.
"""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wizard.checks import CheckStatus, Finding
from wizard.connection import ConnectionMethod
from wizard.flow import PageId, Route, WizardData
from wizard.redaction import redact
from wizard.ui import session_adapter
from wizard.ui.check_row import CheckRow, FindingBridge
from wizard.ui.context import WizardContext
from wizard.ui.pages.base import FlowPage, repolish, set_severity, wrapped_label
from wizard.ui.permission_grid import PermissionGridView
from wizard.ui.qt_compat import emit
from wizard.ui.session_adapter import CheckSession, Discovery, Target
from wizard.ui.worker import CancelFlag

log = logging.getLogger(__name__)

AFTER_CHOICES = (
    "Your GL accounts, deposit accounts, custom fields and posting settings are checked once "
    "you have chosen them, before the first sync starts."
)


class TestPage(FlowPage):
    tested = Signal(bool)  # after every run and every "Check again": whether all passed

    page_id = PageId.TEST
    instruction = "Every setting Intacct needs is checked now, with the fix for anything missing."

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.rows: dict[str, CheckRow] = {}
        self.ok = False
        self.running = False
        self.stale = False  # a setting changed after the last run: its results no longer hold
        self._changed_while_running = False
        self._tested_for: tuple[object, ...] | None = None
        self.bridge = FindingBridge(self)
        self.bridge.found.connect(self._show_finding)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        # Diagnose: which saved connection is checked, and for which integration's needs.
        self.subject = wrapped_label("", "testSubject", "hint")
        self.subject.hide()
        layout.addWidget(self.subject)
        header = QHBoxLayout()
        self.status = wrapped_label("", "testStatus")
        self.status.setAccessibleName("Connection test status")
        header.addWidget(self.status, 1)
        self.faults = QToolButton()
        self.faults.setObjectName("demoFaults")
        self.faults.setText("Demo &faults")
        self.faults.setProperty("role", "inline")
        self.faults.setAccessibleName("Demo faults: switch a problem on in the demo company")
        self.faults.setToolTip("Switch a problem on in the demo company, then see how to fix it")
        self.faults.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.faults.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.fault_menu = QMenu(self.faults)
        self.fault_actions: dict[str, QAction] = {}
        self.faults.setMenu(self.fault_menu)
        self.faults.hide()
        header.addWidget(self.faults)
        self.fault_method: ConnectionMethod | None = None
        self.again = QPushButton("&Test again")
        self.again.setObjectName("testAgain")
        self.again.setAccessibleName("Test the whole connection again")
        self.again.clicked.connect(self.start)
        header.addWidget(self.again)
        layout.addLayout(header)

        scroll = QScrollArea()
        scroll.setObjectName("checkScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("checkBody")
        self.list_layout = QVBoxLayout(body)
        self.list_layout.setContentsMargins(0, 0, 6, 0)
        self.list_layout.setSpacing(2)
        card = QFrame()
        card.setObjectName("checkCard")
        card.setProperty("role", "card")
        self.card = card
        self.card_layout = QVBoxLayout(card)
        self.card_layout.setContentsMargins(6, 6, 6, 6)
        self.card_layout.setSpacing(0)
        self.rows_method = ConnectionMethod.XML
        self._add_rows()
        self.list_layout.addWidget(card)
        self.after_choices = wrapped_label(AFTER_CHOICES, "checksAfterChoices", "hint")
        self.after_choices.hide()
        self.list_layout.addWidget(self.after_choices)
        self.grid_heading = QLabel("<b>Permissions of the Web Services user</b>")
        self.grid_heading.setObjectName("gridHeading")
        self.grid_heading.hide()
        self.list_layout.addWidget(self.grid_heading)
        self.grid = PermissionGridView()
        self.grid.hide()
        self.list_layout.addWidget(self.grid)
        self.list_layout.addStretch(1)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)

    def _add_rows(self) -> None:
        """One row a check of the connection's method (the REST API has checks of its own)."""
        for check_id, title in session_adapter.check_titles(self.rows_method):
            row = CheckRow(check_id, title)
            row.check_again.connect(self.check_again)
            self.rows[check_id] = row
            self.card_layout.addWidget(row)

    def _rows_for(self, method: ConnectionMethod) -> None:
        if method is self.rows_method:
            return
        for row in self.rows.values():
            self.card_layout.removeWidget(row)
            row.deleteLater()
        self.rows = {}
        self.rows_method = method
        self._add_rows()

    def shown_rows(self) -> list[CheckRow]:
        """The checks this test runs (those that wait for the sync's choices are hidden)."""
        return [row for row in self.rows.values() if not row.isHidden()]

    # -- flow -----------------------------------------------------------------------------

    def apply(self, data: WizardData) -> WizardData:
        if self.running or self.stale or self._tested_for is None:
            return data.replace(connection_ok=None)
        discovery = self.context.discovery
        entities = tuple(e.id for e in discovery.entities) if discovery else ()
        return data.replace(connection_ok=self.ok, entities=entities if self.ok else ())

    def isComplete(self) -> bool:
        if self.running or self.busy:
            return False
        if self.context.flow.is_last() and not (self.ok and not self.stale):
            return False  # Finish (the REST route's end) waits for a connection that works
        return super().isComplete()

    def _key(self) -> tuple[object, ...]:
        data = self.context.flow.data
        return (
            data.route,
            data.method,
            data.profile,
            data.integration,
            data.custom,
            data.company_id,
            data.user_id,
            data.sender_id,
            data.entity_id,
            data.entity_choice,
            data.flows,
            data.default_location,
            data.default_department,
            data.dimension_map,
            data.custom_field_map,
            self.context.credentials_version,
            id(self.context.demo_sandbox),
        )

    def entered(self) -> None:
        data = self.context.flow.data
        self._rows_for(data.method)
        # Over the REST API this is the last page: QWizard lays out Finish once asked again.
        self.setFinalPage(False)
        demo = data.route is Route.DEMO and self.context.demo_sandbox
        self.faults.setVisible(bool(demo))
        if demo and self.fault_method is not data.method:
            self._fill_fault_menu(data.method)
        if self._tested_for != self._key():
            self.start()

    def leaving(self) -> bool:
        return True

    # -- running the checks ---------------------------------------------------------------

    def start(self) -> None:
        if self.running:
            return
        self.running = True
        self.stale = self._changed_while_running = False
        self._grey_results(False)
        self._tested_for = self._key()
        self.context.close_checks()
        self.context.discovery = None
        self.again.setEnabled(False)
        data = self.context.flow.data
        pending = data.choices_pending
        waiting = set(session_adapter.checks_waiting_for_choices()) if pending else set()
        waiting &= set(self.rows)
        for check_id, row in self.rows.items():
            row.set_running()
            row.setVisible(check_id not in waiting)
        self.after_choices.setVisible(bool(waiting))
        self.grid.hide()
        self.grid_heading.hide()
        self._say(f"Checking {len(self.rows) - len(waiting)} things in your company…", "")
        emit(self.completeChanged)
        self._describe_subject(None)
        sandbox = self.context.demo_sandbox
        typed = self.context.typed_passwords.get(data.profile or "")
        asked = self.context.passwords_request
        store_usable = asked.store_usable if asked and asked.profile == data.profile else None

        def run(cancel: CancelFlag) -> tuple[CheckSession, tuple[Finding, ...], Discovery | None]:
            if data.route is Route.DEMO:
                if sandbox is None:
                    raise RuntimeError("The demo company is not running; go back and start it.")
                target: Target = session_adapter.demo_target(
                    sandbox, data.integration, data.custom, data.method
                )
            else:
                # Welcome's integration: the saved one unless the admin picked another there.
                target = session_adapter.profile_target(
                    data.profile or "", typed, data.integration, data.custom, store_usable
                )
            session = CheckSession(target, before_choices=pending)
            findings = session.run_all(self.bridge, lambda: cancel.is_set)
            discovery = None
            if session_adapter.connection_ok(findings) and not cancel.is_set:
                discovery = session.discover()
            return session, findings, discovery

        task = self.context.workers.run("connection test", run)
        task.succeeded.connect(self._finished)
        task.failed.connect(self._failed)

    def check_again(self, check_id: str) -> None:
        session = self.context.checks
        if session is None or self.running:
            return
        if self.stale:  # the settings changed: one check alone would prove nothing
            self.start()
            return
        self.running = True
        self.again.setEnabled(False)
        row = self.rows[check_id]
        affected = session.affected_by(check_id)
        for other in affected:
            if other != check_id and other in self.rows:
                self.rows[other].set_running("Checking again, with the check it is linked to…")
        row.set_running("Checking again…")
        others = len(affected) - 1
        extra = f" (and {others} related check{'s' if others != 1 else ''})" if others else ""
        self._say(f"Checking “{row.title_text}”{extra} again…", "")
        emit(self.completeChanged)
        discovered = self.context.discovery

        def run(cancel: CancelFlag) -> tuple[CheckSession, tuple[Finding, ...], Discovery | None]:
            session.check_again(check_id, self.bridge)
            findings = session.findings()
            discovery = discovered
            if discovery is None and session_adapter.connection_ok(findings):
                discovery = session.discover()
            return session, findings, discovery

        task = self.context.workers.run(f"check again: {check_id}", run)
        task.succeeded.connect(self._finished)
        task.failed.connect(self._failed)

    def _show_finding(self, finding: Finding) -> None:
        row = self.rows.get(finding.check)
        if row is not None:
            row.show_finding(finding)
        if finding.grid is not None:
            self.grid.show_grid(finding.grid)
            self.grid_heading.show()
            self.grid.show()

    def _finished(self, result: tuple[CheckSession, tuple[Finding, ...], Discovery | None]) -> None:
        session, findings, discovery = result
        self.running = False
        self.again.setEnabled(True)
        self.context.checks = session
        self.context.target = session.target
        self._describe_subject(session.target)
        self.context.discovery = discovery
        method = session.target.profile.method
        if method is not self.context.flow.data.method:  # a saved connection over REST, say
            self.context.flow.update(self.context.flow.data.replace(method=method))
            self._tested_for = self._key()
        self._rows_for(method)
        latest = {f.check: f for f in (*findings, *session.findings())}
        for check_id, row in self.rows.items():
            if check_id in latest:
                row.show_finding(latest[check_id])
        all_findings = tuple(latest.values())
        self.context.findings = all_findings
        counts = session_adapter.tally(all_findings)
        self.ok = counts.proven
        failed = [f for f in all_findings if f.status is CheckStatus.FAIL]
        last = self.context.flow.is_last()
        if self.ok:
            button = "Finish" if last else "Next"
            read = (
                f" Read the warning{'s' if counts.warnings != 1 else ''}, then press {button}."
                if counts.warnings
                else f" Press {button} to go on."
            )
            if last and self.context.flow.data.over_rest:
                read += (
                    " The wizard's own mappings and first sync work over the XML gateway; over "
                    "the REST API your integration takes it from here."
                )
            self._say(f"{counts.counts()}: the connection works.{read}", "ok")
        elif not failed:
            self._say(
                f"{counts.counts()}. Some checks could not run, so the connection is not proven "
                "yet: read why under each one, then press Test again.",
                "warning",
            )
        elif self.context.flow.data.route is Route.DIAGNOSE:
            self._say(
                f"{counts.counts()}. Press Next for the findings, or fix them here and press "
                "Check again.",
                "error",
            )
        else:
            self._say(
                f"{counts.counts()}. Follow the steps under each failed check, then press "
                "Check again.",
                "error",
            )
            first = self.rows[failed[0].check] if failed else None
            if first is not None and first.fix_panel is not None:
                button = first.fix_panel.buttons.get("check_again")
                if button is not None:
                    button.setFocus()
        self.context.flow.update(self.apply(self.context.flow.data))
        emit(self.completeChanged)
        emit(self.tested, self.ok)
        if self._changed_while_running:
            self._changed_while_running = False
            self.mark_stale()

    def _failed(self, error: BaseException) -> None:
        self.running = False
        self.again.setEnabled(True)
        self.ok = False
        for row in self.rows.values():
            if row.finding is None:
                row.set_running("Not checked.")
        self._say(
            f"The test could not run: {redact(str(error))}. Go back to check the details, or "
            "press Test again.",
            "error",
        )
        emit(self.completeChanged)
        emit(self.tested, False)

    def _say(self, text: str, severity: str) -> None:
        self.status.setText(text)
        set_severity(self.status, severity)

    def _describe_subject(self, target: Target | None) -> None:
        """Diagnose: name the connection and the integration whose needs are checked, and
        say so when that is not the integration the connection was saved for."""
        data = self.context.flow.data
        if data.route is not Route.DIAGNOSE:
            self.subject.hide()
            return
        name = session_adapter.integration_name(data.integration, data.custom)
        text = f"Diagnosing the saved connection “{data.profile}” for what {name} needs."
        if target is not None and target.saved_for is not None:
            was = session_adapter.integration_name(*target.saved_for)
            text += (
                f" It was saved for {was}; {name} was picked on the first page (the saved "
                "connection is not changed)."
            )
        self.subject.setText(text)
        self.subject.show()

    # -- demo faults ----------------------------------------------------------------------

    def _fill_fault_menu(self, method: ConnectionMethod) -> None:
        """The faults that show over `method` (a REST-only fault changes nothing over XML)."""
        sandbox = self.context.demo_sandbox
        if sandbox is None:
            return
        self.fault_menu.clear()
        self.fault_actions = {}
        self.fault_method = method
        for name, description in session_adapter.demo_faults(sandbox, method):
            action = QAction(fault_title(description), self.fault_menu)
            action.setObjectName(f"fault_{name}")
            action.setCheckable(True)
            action.setChecked(name in sandbox.scenarios)
            action.setToolTip(description)
            action.setStatusTip(description)
            action.toggled.connect(lambda on, n=name: self.set_fault(n, on))
            self.fault_menu.addAction(action)
            self.fault_actions[name] = action
        self.fault_menu.setToolTipsVisible(True)

    def set_fault(self, name: str, on: bool) -> None:
        """Switch a demo fault on or off (the sandbox's in-memory switch: instant)."""
        sandbox = self.context.demo_sandbox
        if sandbox is None:
            return
        if on:
            sandbox.enable(name)
        else:
            sandbox.disable(name)
        action = self.fault_actions.get(name)
        if action is not None and action.isChecked() != on:
            action.setChecked(on)
        active = sorted(sandbox.scenarios)
        self.faults.setText(f"Demo &faults ({len(active)})" if active else "Demo &faults")
        log.info("demo faults now: %s", ", ".join(active) or "none")
        self.mark_stale()

    def _grey_results(self, grey: bool) -> None:
        self.card.setProperty("stale", "true" if grey else "false")
        for widget in (self.card, *self.card.findChildren(QLabel)):
            repolish(widget)

    def mark_stale(self) -> None:
        """A setting the results depend on changed: they no longer hold until tested again."""
        if self._tested_for is None:
            return
        if self.running:  # the run under way started with the old settings
            self._changed_while_running = True
            return
        self.stale = True
        self.ok = False
        self._grey_results(True)  # these results belong to the old settings
        self._say(
            "Settings changed: test again. The results below were found before the change.",
            "warning",
        )
        self.again.setFocus()
        self.context.flow.update(self.apply(self.context.flow.data))
        emit(self.completeChanged)


def fault_title(description: str) -> str:
    """A menu title from a fault's description: its first clause, in the admin's words
    ("The Web Services user's password was changed in Intacct"), never the fault's id."""
    plain = re.sub(r"\s*\([^)]*\)", "", description.strip())
    first = re.split(r"(?<=[a-z])[.;:](?:\s|$)", plain, maxsplit=1)[0]
    return first.rstrip(" .,;")
