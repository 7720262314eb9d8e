"""What every page shares: the flow, the background workers, the checklist, the demo company."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wizard.flow import Flow
from wizard.flow.checklist import Checklist, load_checklist
from wizard.integrations import Integration, load_integrations
from wizard.ui.worker import CancelFlag, Workers

if TYPE_CHECKING:
    from wizard.checks import Finding
    from wizard.connection import Secrets
    from wizard.sandbox import Sandbox
    from wizard.ui.session_adapter import (
        CheckSession,
        Discovery,
        ErrorGroup,
        OutboxFigures,
        PasswordsNeeded,
        SyncJob,
        SyncOutcome,
        Target,
    )

log = logging.getLogger(__name__)


@dataclass
class WizardContext:
    flow: Flow
    workers: Workers
    checklist: Checklist
    demo_sandbox: Sandbox | None = field(default=None)
    # What the Test page found, for the pages after it (set on the GUI thread only).
    target: Target | None = field(default=None)
    checks: CheckSession | None = field(default=None)
    findings: tuple[Finding, ...] = field(default=())
    discovery: Discovery | None = field(default=None)
    sync_job: SyncJob | None = field(default=None)
    sync_summaries: list[object] = field(default_factory=list)
    sync_outcomes: list[SyncOutcome] = field(default_factory=list)  # each run, in order
    outbox: OutboxFigures | None = field(default=None)  # the outbox now (after Ignore too)
    open_groups: tuple[ErrorGroup, ...] = field(default=())  # refused records now, by fix
    # The checks of the choices that had failed when the admin pressed "Sync anyway".
    synced_despite: tuple[str, ...] = field(default=())
    # Asks the admin (title, question, the button that goes ahead): True = go ahead. The
    # window shows a dialog; tests answer without one.
    ask: Callable[[str, str, str], bool] = field(default=lambda _t, _q, _y: True)
    # Bumped each time the passwords are saved: the connection test's results then no longer
    # hold (the passwords never enter the flow's data, so the flow cannot see the change).
    credentials_version: int = field(default=0)
    # Diagnose: passwords typed on the Passwords page, by saved connection, for this session
    # only (memory; never written anywhere, forgotten when the wizard closes).
    typed_passwords: dict[str, Secrets] = field(default_factory=dict)
    # Diagnose: the saved connection Welcome found without its passwords (None: they are there).
    passwords_request: PasswordsNeeded | None = field(default=None)

    def integration(self) -> Integration:
        """The integration chosen on the Welcome page (the wizard's own sync by default)."""
        data = self.flow.data
        return load_integrations().resolve(data.integration, data.custom)

    def current_checklist(self) -> Checklist:
        """The Prepare checklist for the chosen integration."""
        return self.checklist.for_integration(self.integration())

    @classmethod
    def create(cls, workers: Workers, flow: Flow | None = None) -> WizardContext:
        return cls(flow=flow or Flow(), workers=workers, checklist=load_checklist())

    def close_checks(self) -> None:
        if self.checks is not None:
            self.checks.close()
            self.checks = None

    def stop_demo(self) -> None:
        self.close_checks()
        if self.demo_sandbox is not None:
            self.demo_sandbox.stop()
            self.demo_sandbox = None


def start_demo_sandbox(cancel: CancelFlag) -> Sandbox:
    """Start the built-in demo company on 127.0.0.1 (runs on a worker thread)."""
    from wizard.sandbox import Sandbox

    sandbox = Sandbox().start()
    if cancel.is_set:
        sandbox.stop()
    log.info("demo company started at %s", sandbox.base_url)
    return sandbox
