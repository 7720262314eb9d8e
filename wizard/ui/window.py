"""The QWizard: it holds the pages and asks wizard.flow where Next and Back lead."""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from wizard import APP_ID
from wizard.flow import PageId, WizardData, next_page
from wizard.ui.context import WizardContext
from wizard.ui.pages.base import FlowPage
from wizard.ui.pages.credentials import CredentialsPage
from wizard.ui.pages.done import DonePage
from wizard.ui.pages.entity import EntityPage
from wizard.ui.pages.findings import FindingsPage, RetryPage
from wizard.ui.pages.first_sync import FirstSyncPage
from wizard.ui.pages.mappings import MappingsPage
from wizard.ui.pages.passwords import PasswordsPage
from wizard.ui.pages.prepare import PreparePage
from wizard.ui.pages.test_connection import TestPage
from wizard.ui.pages.trial import TrialPage
from wizard.ui.pages.welcome import WelcomePage
from wizard.ui.qt_compat import emit
from wizard.ui.style import app_icon
from wizard.ui.worker import Workers

log = logging.getLogger(__name__)

WINDOW_TITLE = "Connect Sage Intacct"
DEFAULT_SIZE = (860, 680)


def settings() -> QSettings:
    return QSettings(APP_ID, APP_ID)


class SetupWizard(QWizard):
    def __init__(self, parent: QWidget | None = None, workers: Workers | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setupWizard")
        self.setWindowTitle(WINDOW_TITLE)
        self.setWindowIcon(app_icon())
        self.workers = workers or Workers(self)
        self.context = WizardContext.create(self.workers)
        # Back keeps what was typed (QWizard would otherwise clear a page's fields).
        self.setOption(QWizard.WizardOption.IndependentPages, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, app_icon().pixmap(48, 48))
        self.setButtonText(QWizard.WizardButton.CancelButton, "Cancel")
        # Page titles read as headings (rich text from the palette, no fixed colour).
        self.setTitleFormat(Qt.TextFormat.RichText)
        self.setSubTitleFormat(Qt.TextFormat.PlainText)

        self.pages: dict[PageId, FlowPage] = {}
        self.welcome = WelcomePage(self.context)
        self.prepare = PreparePage(self.context)
        self.credentials = CredentialsPage(self.context)
        self.passwords = PasswordsPage(self.context)
        self.test = TestPage(self.context)
        self.entity = EntityPage(self.context)
        self.mappings = MappingsPage(self.context)
        self.first_sync = FirstSyncPage(self.context)
        self.done_page = DonePage(self.context)
        self.findings = FindingsPage(self.context)
        self.retry = RetryPage(self.context)
        self.trial = TrialPage(self.context)
        for page in (
            self.welcome,
            self.prepare,
            self.credentials,
            self.passwords,
            self.test,
            self.entity,
            self.mappings,
            self.first_sync,
            self.done_page,
            self.findings,
            self.retry,
            self.trial,
        ):
            self._add(page)
        # Asked before closing while a sync runs; tests replace it to answer without a dialog.
        self.confirm_stop = self._ask_stop
        self.context.ask = self._ask
        self._work_done = False
        # Back asks first while a sync runs, as Close does (QWizard's own Back would not).
        back = self.button(QWizard.WizardButton.BackButton)
        back.clicked.disconnect()
        back.clicked.connect(self._back_clicked)
        self._stop_confirmed = False
        self.setStartId(int(PageId.WELCOME))

        self._leaving: WizardData | None = None
        self._shown_id = int(PageId.WELCOME)
        self.currentIdChanged.connect(self._page_changed)
        self.resize(*DEFAULT_SIZE)
        self.setMinimumSize(720, 560)
        self._restore_geometry()

    def _add(self, page: FlowPage) -> None:
        self.pages[page.page_id] = page
        self.setPage(int(page.page_id), page)

    # -- navigation: the flow decides ------------------------------------------------------

    def nextId(self) -> int:
        current = self.currentId()
        if current < 0:
            return int(PageId.WELCOME)
        page = self.pages[PageId(current)]
        following = next_page(page.page_id, page.apply(self.context.flow.data))
        return -1 if following is None else int(following)

    def validateCurrentPage(self) -> bool:
        if not super().validateCurrentPage():
            return False
        page = self.currentPage()
        if isinstance(page, FlowPage):
            data = page.apply(self.context.flow.data)
            blockers = self.context.flow.blockers(data)
            if blockers and not self.context.flow.is_last(data):
                log.info("wizard: Next refused on %s, missing %s", page.page_id.name, blockers)
                return False
            self._leaving = data
        return True

    def _page_changed(self, new_id: int) -> None:
        flow = self.context.flow
        if new_id < 0:
            return
        target = PageId(new_id)
        if self._leaving is not None and flow.peek(self._leaving) is target:
            flow.advance(self._leaving)
        elif flow.history and flow.history[-1].page is target:
            flow.back()
        self._leaving = None
        previous = self.pages.get(PageId(self._shown_id)) if self._shown_id >= 0 else None
        if previous is not None and previous.page_id is not target:
            previous.left()
        self._shown_id = new_id
        page = self.pages[target]
        page.show_step()
        page.entered()
        emit(page.completeChanged)

    def mark_work_done(self) -> None:
        """After the real work (the first sync) Cancel would undo nothing: call it Close."""
        self._work_done = True
        self.setButtonText(QWizard.WizardButton.CancelButton, "&Close")

    def _back_clicked(self) -> None:
        if self.work_under_way() and not self.context.ask(
            "Stop the sync?",
            "A sync is running. Stop it and go back?\n\nIt stops at a safe point: nothing is "
            "left half-written, and the next sync carries on from there.",
            "&Stop and go back",
        ):
            return
        self.back()

    def input_at_risk(self) -> bool:
        """Whether closing now loses what the admin typed or chose on the way."""
        if self._work_done or self.context.flow.data.route is None:
            return False
        return self.currentId() in {
            int(PageId.PREPARE),
            int(PageId.CREDENTIALS),
            int(PageId.PASSWORDS),
            int(PageId.TEST),
            int(PageId.ENTITY),
            int(PageId.MAPPINGS),
            int(PageId.FIRST_SYNC),
        }

    # -- settings and shutdown ------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = settings().value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)

    def save_settings(self) -> None:
        store = settings()
        store.setValue("window/geometry", self.saveGeometry())
        profile = self.context.flow.data.profile
        if profile:
            store.setValue("profile/last", profile)
        store.sync()

    def shutdown(self) -> None:
        """Stop every background task and the demo company; safe to call twice. Closing
        afterwards asks nothing: the caller has decided."""
        self._stop_confirmed = True
        self.save_settings()
        if not self.workers.join():
            log.warning("some background work did not stop within 10 s")
        self.context.stop_demo()
        self.context.typed_passwords.clear()  # this session is over

    def work_under_way(self) -> bool:
        if self._stop_confirmed:
            return False
        page = self.currentPage()
        return isinstance(page, FlowPage) and not page.leaving()

    def _may_close(self) -> bool:
        """Ask once when a sync runs, or when typed details and choices would be lost (Cancel,
        Escape and the window's close button alike); after a yes, closing goes on."""
        if self._stop_confirmed:
            return True
        if self.work_under_way():
            self._stop_confirmed = self.confirm_stop()
            return self._stop_confirmed
        if self.input_at_risk():
            self._stop_confirmed = self.context.ask(
                "Close the wizard?",
                "What you typed and chose on these pages is lost if you close now. A "
                "connection you already saved stays saved.",
                "&Close without finishing",
            )
            return self._stop_confirmed
        return True

    def _ask_stop(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Stop the sync?",
            "A sync is running. Stop it and close the wizard?\n\nIt stops at a safe point: "
            "nothing is left half-written, and the next sync carries on from there.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _ask(self, title: str, question: str, go_ahead: str) -> bool:
        """A question whose default answer is the safe one (nothing is lost or changed)."""
        box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=self)
        yes = box.addButton(go_ahead, QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is yes

    def done(self, result: int) -> None:
        if not self._may_close():
            return
        self.shutdown()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_close():
            event.ignore()
            return
        self.shutdown()
        super().closeEvent(event)

    def raise_to_front(self) -> None:
        self.setWindowState(
            (self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive
        )
        self.show()
        self.raise_()
        self.activateWindow()
