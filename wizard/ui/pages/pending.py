"""A stand-in for the pages that arrive in the next version (Test, Entity, Mappings, ...).

It keeps every route of the flow walkable: it explains what the step will do, and Next stays
off until the flow's needs for the following page are met, exactly as for a real page.
"""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from wizard.flow import PageId
from wizard.ui.context import WizardContext
from wizard.ui.pages.base import FlowPage, wrapped_label

_WHAT_IT_WILL_DO = {
    PageId.TEST: "Test the connection: every check runs against your company and shows its fix.",
    PageId.ENTITY: "Choose the top level or one entity for the sync.",
    PageId.MAPPINGS: "Choose what to sync and map dimensions and fields.",
    PageId.FIRST_SYNC: "Run the first sync with a progress bar and inline fixes.",
    PageId.DONE: "See what was set up and where it is kept.",
    PageId.FINDINGS: "See what changed in the saved connection and how to fix it.",
    PageId.RETRY: "Retry the records that failed, now that the cause is fixed.",
}


class PendingPage(FlowPage):
    def __init__(self, page_id: PageId, context: WizardContext, parent: QWidget | None = None):
        self.page_id = page_id
        self.instruction = _WHAT_IT_WILL_DO[page_id]
        super().__init__(context, parent)
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped_label(
                "This step is not part of this preview build yet. Your connection has been "
                "saved; you can close the wizard now and open it again later.",
                "pendingNote",
            )
        )
        layout.addStretch(1)
