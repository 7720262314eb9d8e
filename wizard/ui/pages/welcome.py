"""Page 1: what the wizard does, what the admin needs, and which way to go."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from wizard import APP_NAME, __version__
from wizard.connection import ConnectionMethod, CustomNeeds
from wizard.flow import PageId, Route, WizardData
from wizard.integrations import CUSTOM_INTEGRATION_ID, load_integrations
from wizard.redaction import redact
from wizard.sandbox import Sandbox
from wizard.ui import connection_adapter, session_adapter
from wizard.ui.connection_adapter import SavedSummary
from wizard.ui.context import WizardContext, start_demo_sandbox
from wizard.ui.custom_needs import CustomNeedsPanel
from wizard.ui.explain_dialog import ExplainDialog
from wizard.ui.fit_scroll import UNLIMITED, FitScroll
from wizard.ui.integration_picker import OTHER_TEXT as OTHER_TEXT  # re-exported
from wizard.ui.integration_picker import IntegrationPicker
from wizard.ui.pages.base import FlowPage, show_message, wrapped_label
from wizard.ui.qt_compat import emit

NEEDS = (
    "Admin access to your Sage Intacct company",
    "About 15 minutes",
    "The sender ID and sender password from your integration provider",
)

LIST_BESIDE_TICKS = 110  # pixels: the integration list's height while the ticks are shown


DIAGNOSE_CAPTION = "Checks a saved connection and shows what changed and how to fix it."


class WelcomePage(FlowPage):
    page_id = PageId.WELCOME
    instruction = "Connect your Sage Intacct company, or check a connection that stopped working."

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.prefer_demo = False
        self.saved: dict[str, SavedSummary] = {}
        self._passwords_looked_up_for: str | None = None  # Diagnose: this Next's lookup
        # The page scrolls once Other / not listed shows its table of ticks.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll = FitScroll()
        self.scroll.setObjectName("welcomeScroll")
        outer.addWidget(self.scroll)
        content = QWidget()
        self.scroll.setWidget(content)
        layout = QVBoxLayout(content)
        layout.setSpacing(12)
        layout.addWidget(
            wrapped_label(
                "You will prepare Intacct with a short checklist, enter the sign-in details "
                "(the passwords go into this computer's password store), test the connection, "
                "choose the entity and the data to sync, and run the first sync. Every problem "
                "found on the way comes with the exact steps to fix it.",
                "pageLead",
            )
        )

        needs = QFrame()
        needs.setProperty("role", "card")
        needs_layout = QVBoxLayout(needs)
        needs_layout.setContentsMargins(16, 12, 16, 12)
        heading = QLabel("<b>What you need</b>")
        needs_layout.addWidget(heading)
        for item in NEEDS:
            needs_layout.addWidget(wrapped_label(f"•  {item}"))
        needs_layout.addStretch(1)
        needs.setAccessibleName("What you need: " + "; ".join(NEEDS))
        # What is needed beside which integration: two cards on one row keep the page short.
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(needs, 1)
        # Diagnose checks the integration the admin picks here; until they pick, the list
        # follows the saved connection's (`_follow_saved`).
        self.picker = IntegrationPicker()
        self.picker.changed.connect(self._changed)
        self.integration_search = self.picker.search
        self.integration_list = self.picker.list
        top.addWidget(self.picker, 1)
        layout.addLayout(top)
        self.custom_needs = CustomNeedsPanel(load_integrations().permissions)
        self.custom_needs.hide()
        self.custom_needs.changed.connect(self._changed)
        layout.addWidget(self.custom_needs)

        choices = QFrame()
        choices.setProperty("role", "card")
        grid = QGridLayout(choices)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setVerticalSpacing(2)
        grid.setColumnMinimumWidth(0, 24)
        self.group = QButtonGroup(self)

        def choice(row: int, name: str, text: str, caption: str) -> tuple[QRadioButton, QLabel]:
            button = QRadioButton(text)
            button.setObjectName(name)
            button.setProperty("role", "choice")
            button.setAccessibleName(text.replace("&", ""))
            button.setAccessibleDescription(caption)
            hint = wrapped_label(caption, f"{name}Hint", "hint")
            self.group.addButton(button)
            grid.addWidget(button, row, 0, 1, 2)
            grid.addWidget(hint, row + 1, 1)
            grid.setRowMinimumHeight(row + 2, 10)
            return button, hint

        self.new_choice, _ = choice(
            0,
            "choiceNew",
            "&Set up a new connection",
            "Walks you through what Intacct needs, then saves and tests the connection.",
        )
        self.diagnose_choice, self.diagnose_hint = choice(
            3,
            "choiceDiagnose",
            "&Diagnose an existing connection",
            DIAGNOSE_CAPTION,
        )
        self.profile_label = QLabel("Saved &connection:")
        self.profiles = QComboBox()
        self.profiles.setObjectName("savedProfiles")
        self.profiles.setAccessibleName("Saved connection")
        self.profile_label.setBuddy(self.profiles)
        profile_row = QGridLayout()
        profile_row.addWidget(self.profile_label, 0, 0)
        profile_row.addWidget(self.profiles, 0, 1)
        profile_row.setColumnStretch(1, 1)
        # Under the saved connection: which integration's needs Diagnose checks.
        self.integration_note = wrapped_label("", "diagnoseIntegration", "hint")
        self.integration_note.hide()
        diagnose_box = QVBoxLayout()
        diagnose_box.setSpacing(2)
        diagnose_box.addLayout(profile_row)
        diagnose_box.addWidget(self.integration_note)
        grid.addLayout(diagnose_box, 6, 1)
        grid.setRowMinimumHeight(7, 10)
        self.demo_choice, _ = choice(
            8,
            "choiceDemo",
            "Try the de&mo company",
            "A simulated Intacct company on this computer: no account needed, nothing leaves "
            "this machine.",
        )
        self.demo_over_rest = QCheckBox("over the &REST API (OAuth 2.0)")
        self.demo_over_rest.setObjectName("demoOverRest")
        self.demo_over_rest.setAccessibleName("Connect the demo over the REST API")
        self.demo_over_rest.setAccessibleDescription(
            "The demo company over Sage Intacct's REST API instead of the XML gateway: the "
            "connection test signs in with an app, as integrations that moved to REST do."
        )
        self.demo_over_rest.setEnabled(False)
        # On the demo choice's own line, so the page keeps its height.
        demo_line = QHBoxLayout()
        grid.removeWidget(self.demo_choice)
        demo_line.addWidget(self.demo_choice)
        demo_line.addStretch(1)
        demo_line.addWidget(self.demo_over_rest)
        grid.addLayout(demo_line, 8, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        layout.addWidget(choices)

        # An error copied from an integration's screen gets its fix without a connection; on
        # the footer's line, so the page keeps its height.
        self.explain_button = QPushButton("E&xplain an error message…")
        self.explain_button.setObjectName("openExplain")
        self.explain_button.setAccessibleName("Explain an error message")
        self.explain_button.setAccessibleDescription(
            "Opens a window to paste an error from any integration and see how to fix it"
        )
        self.explain_button.setToolTip(
            "Paste an error message from any integration to see its cause and how to fix it"
        )
        self.explain_button.setAutoDefault(False)
        self.explain_button.clicked.connect(self.open_explain)
        self.explain_dialog: ExplainDialog | None = None

        self.status = wrapped_label("", "welcomeStatus")
        self.status.hide()
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.footer = wrapped_label(
            "Passwords stay in this computer's password store; the wizard talks only to Sage "
            f"Intacct. On a server, run “intacct-wizard diagnose”. {APP_NAME} {__version__}.",
            "welcomeFooter",
            "hint",
        )
        footer_row = QHBoxLayout()
        footer_row.addWidget(self.footer, 1)
        footer_row.addWidget(self.explain_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(footer_row)

        self._set_profiles([])
        self.group.buttonToggled.connect(self._changed)
        self.profiles.currentIndexChanged.connect(self._changed)

    def integration_id(self) -> str:
        return self.picker.integration_id()

    def open_explain(self) -> ExplainDialog:
        """The "Explain an error message" window, for the integration picked on this page."""
        self.explain_dialog = ExplainDialog(self.integration_id(), self.window())
        self.explain_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.explain_dialog.destroyed.connect(lambda: setattr(self, "explain_dialog", None))
        self.explain_dialog.open()
        return self.explain_dialog

    def choose_integration(self, integration_id: str) -> None:
        self.picker.choose(integration_id)

    def _follow_saved(self) -> None:
        """Diagnose: until the admin picks an integration, show (and check) the one the saved
        connection was saved for."""
        saved = self.saved.get(self.profiles.currentText())
        if self.picker.picked or saved is None or saved.integration is None:
            return
        self.picker.choose(saved.integration)
        if saved.integration == CUSTOM_INTEGRATION_ID:
            self.custom_needs.show_custom(saved.custom)

    def _describe_integration(self) -> None:
        """Diagnose: say which integration's needs are checked, and when that is not the one
        the connection was saved for."""
        saved = self.saved.get(self.profiles.currentText())
        if not self.diagnose_choice.isChecked() or saved is None or saved.integration is None:
            self.integration_note.hide()
            return
        picked = session_adapter.integration_name(self.integration_id(), self.custom_needs.custom())
        if saved.integration == self.integration_id():
            text = f"Checks what {picked} needs, as saved with this connection."
        else:
            was = session_adapter.integration_name(saved.integration, saved.custom)
            text = (
                f"“{saved.name}” was saved for {was}. The diagnosis checks what {picked} needs, "
                f"as picked above (the saved connection is not changed); pick {was} above to "
                "check what it was saved for."
            )
        self.integration_note.setText(text)
        self.integration_note.show()
        QTimer.singleShot(0, self._fit_note)

    def _fit_note(self) -> None:
        """Keep room for every line of the note: the page fits the window, and a wrapped
        label squeezed by its layout would lose lines."""
        note = self.integration_note
        note.setMinimumHeight(note.heightForWidth(max(1, note.width())) if note.isVisible() else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_note()

    # -- flow -----------------------------------------------------------------------------

    def route(self) -> Route | None:
        if self.new_choice.isChecked():
            return Route.NEW
        if self.diagnose_choice.isChecked():
            return Route.DIAGNOSE
        if self.demo_choice.isChecked():
            return Route.DEMO
        return None

    def apply(self, data: WizardData) -> WizardData:
        route = self.route()
        profile = self.profiles.currentText() or None if route is Route.DIAGNOSE else None
        integration = self.integration_id()
        custom = self.custom_needs.custom() if integration == CUSTOM_INTEGRATION_ID else None
        request = self.context.passwords_request
        needed = (
            route is Route.DIAGNOSE
            and request is not None
            and request.profile == profile == self._passwords_looked_up_for
        )
        over_rest = route is Route.DEMO and self.demo_over_rest.isChecked()
        return data.replace(
            route=route,
            profile=profile,
            integration=integration,
            custom=custom or CustomNeeds(),
            method=ConnectionMethod.REST if over_rest else ConnectionMethod.XML,
            passwords_needed=needed,
        )

    def isComplete(self) -> bool:
        # Other / not listed needs at least one tick before the wizard can check anything.
        if self.integration_id() == CUSTOM_INTEGRATION_ID and not self.custom_needs.custom().needs:
            return False
        return super().isComplete()

    def initializePage(self) -> None:
        if self.prefer_demo:
            self.demo_choice.setChecked(True)
        self._list_saved()

    def entered(self) -> None:
        self._passwords_looked_up_for = None  # Next looks again: the keyring may have changed
        if self.context.flow.history:  # back on Welcome: a connection may have been saved since
            self._list_saved()

    def _list_saved(self) -> None:
        task = self.context.workers.run(
            "list saved connections", lambda _c: connection_adapter.saved_summaries()
        )
        task.succeeded.connect(self._set_profiles)

    def validatePage(self) -> bool:
        if self.route() is Route.DIAGNOSE:
            return self._passwords_known()
        if self.route() is not Route.DEMO or self.context.demo_sandbox is not None:
            return True
        # Starting the demo company opens a local port: do it off the GUI thread, then go on.
        self.set_busy(True)
        self._say("Starting the demo company…", "")
        task = self.context.workers.run("start demo company", start_demo_sandbox)
        task.succeeded.connect(self._demo_started)
        task.failed.connect(self._demo_failed)
        return False

    def _passwords_known(self) -> bool:
        """Diagnose: whether the saved connection's passwords are on this computer decides
        whether the Passwords page comes next. Looked up off the GUI thread, then on."""
        name = self.profiles.currentText()
        if name and name == self._passwords_looked_up_for:
            return True
        self.set_busy(True)
        self._say("Looking for the connection's saved passwords…", "")
        task = self.context.workers.run(
            "look for the saved passwords", lambda _c: session_adapter.passwords_needed(name)
        )
        task.succeeded.connect(partial(self._passwords_found, name))
        task.failed.connect(self._lookup_failed)
        return False

    def _passwords_found(self, name: str, needed: session_adapter.PasswordsNeeded | None) -> None:
        self.set_busy(False)
        self.status.hide()
        if name != self.profiles.currentText():
            return  # the admin chose another connection meanwhile: Next looks again
        self._passwords_looked_up_for = name
        self.context.passwords_request = needed
        wizard = self.wizard()
        if wizard is not None and wizard.currentPage() is self:
            wizard.next()

    def _lookup_failed(self, error: BaseException) -> None:
        self.set_busy(False)
        self._say(f"The saved connection could not be read: {redact(str(error))}.", "error")

    # -- helpers --------------------------------------------------------------------------

    def _set_profiles(self, summaries: list[SavedSummary]) -> None:
        self.saved = {summary.name: summary for summary in summaries}
        names = [summary.name for summary in summaries]
        self.profiles.clear()
        self.profiles.addItems(names)
        has_profiles = bool(names)
        self.diagnose_choice.setEnabled(has_profiles)
        self.profiles.setEnabled(has_profiles and self.diagnose_choice.isChecked())
        self.profile_label.setEnabled(self.profiles.isEnabled())
        self.diagnose_hint.setText(
            DIAGNOSE_CAPTION
            if has_profiles
            else "No saved connections on this computer yet. Set up a new one first."
        )
        emit(self.completeChanged)

    def _changed(self, *_args: object) -> None:
        custom = self.integration_id() == CUSTOM_INTEGRATION_ID
        if custom != self.custom_needs.isVisible():
            self.custom_needs.setVisible(custom)
            self.scroll.set_fit(not custom)
            # The list gives up room to the ticks (it only needs to show the choice made).
            self.integration_list.setMaximumHeight(LIST_BESIDE_TICKS if custom else UNLIMITED)
            if custom:
                QTimer.singleShot(0, self.show_custom_needs)
        self.demo_over_rest.setEnabled(self.demo_choice.isChecked())
        diagnosing = self.diagnose_choice.isChecked()
        self.profiles.setEnabled(diagnosing and self.profiles.count() > 0)
        self.profile_label.setEnabled(self.profiles.isEnabled())
        if diagnosing:
            self._follow_saved()
        self._describe_integration()
        if not self.busy:
            self.status.hide()
        emit(self.completeChanged)

    def show_custom_needs(self) -> None:
        """Scroll the page so the table of ticks is in view."""
        self.scroll.ensureWidgetVisible(self.custom_needs, 0, 0)

    def _say(self, text: str, severity: str) -> None:
        show_message(self.status, text, severity)

    def _demo_started(self, sandbox: Sandbox) -> None:
        self.context.demo_sandbox = sandbox
        self.set_busy(False)
        self._say("The demo company is running on this computer.", "ok")
        wizard = self.wizard()
        if wizard is not None and wizard.currentPage() is self:
            wizard.next()

    def _demo_failed(self, error: BaseException) -> None:
        self.set_busy(False)
        self._say(
            "The demo company could not start: "
            + redact(str(error))
            + ". Close other copies of the wizard and try again.",
            "error",
        )
