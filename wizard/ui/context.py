"""What every page shares: the flow, the background workers, the checklist, the demo company."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wizard.flow import Flow
from wizard.flow.checklist import Checklist, load_checklist
from wizard.ui.worker import CancelFlag, Workers

if TYPE_CHECKING:
    from wizard.sandbox import Sandbox

log = logging.getLogger(__name__)


@dataclass
class WizardContext:
    flow: Flow
    workers: Workers
    checklist: Checklist
    demo_sandbox: Sandbox | None = field(default=None)

    @classmethod
    def create(cls, workers: Workers, flow: Flow | None = None) -> WizardContext:
        return cls(flow=flow or Flow(), workers=workers, checklist=load_checklist())

    def stop_demo(self) -> None:
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
