"""Page 3: the sign-in details, checked as they are typed, saved to the OS keyring on Next.

The passwords never enter the flow's data: they go from the fields straight to the keyring on
a worker thread when the admin presses "Save connection", and the page says where they are.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from wizard.connection import ConnectionMethod, RestGrant
from wizard.flow import PageId, WizardData
from wizard.redaction import redact, remember_secret
from wizard.rest import App
from wizard.ui import connection_adapter
from wizard.ui.connection_adapter import (
    FIELDS,
    METHOD_FIELDS,
    SECRET_FIELDS,
    FieldCheck,
    NetworkInput,
    SavedConnection,
    SavedNetwork,
    Severity,
)
from wizard.ui.context import WizardContext
from wizard.ui.credential_form import CredentialForm
from wizard.ui.method_choice import MethodChoice
from wizard.ui.network_section import NetworkSection
from wizard.ui.pages.base import FlowPage, set_severity, wrapped_label
from wizard.ui.password_field import show_check
from wizard.ui.qt_compat import emit
from wizard.ui.rest_sign_in import BrowserSignIn, RestSignInChoice
from wizard.ui.secrets_storage import SecretsStorage


class CredentialsPage(FlowPage):
    page_id = PageId.CREDENTIALS
    instruction = "Enter the details Intacct gave you. They are checked as you type."

    def __init__(self, context: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._touched: set[str] = set()
        self.saved: SavedConnection | None = None
        self._dirty = True
        self._offered: tuple[ConnectionMethod, ...] = ()  # the methods the choice was set for
        # The connection whose saved network settings the section shows ("" = none), and
        # whether the admin changed the section since (then a lookup never overwrites it).
        self._network_from = ""
        self._network_touched = False
        self.setButtonText(QWizard.WizardButton.NextButton, "&Save connection")

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # The page scrolls when the Network settings are open on a small window.
        self.scroll = QScrollArea()
        self.scroll.setObjectName("credentialsScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # focus goes to the fields
        body = QWidget()
        body.setObjectName("credentialsBody")
        self.scroll.setWidget(body)
        outer.addWidget(self.scroll)
        layout = QVBoxLayout(body)  # the default margins, as before the page scrolled
        layout.setSpacing(10)
        self.method_choice = MethodChoice()
        self.method_choice.changed.connect(self._method_changed)
        self.method_choice.hide()  # shown for an integration other than the wizard's own
        layout.addWidget(self.method_choice)
        self.sign_in_choice = RestSignInChoice()
        self.sign_in_choice.changed.connect(self._sign_in_edited)
        self.sign_in_choice.open_requested.connect(self._open_sign_in)
        self.browser = BrowserSignIn(self.sign_in_choice, context.workers)
        self.form = CredentialForm()
        self.fields, self.messages = self.form.fields, self.form.messages
        self.labels, self.toggles = self.form.labels, self.form.toggles
        for name, edit in self.fields.items():
            edit.textEdited.connect(partial(self._edited, name))
            edit.editingFinished.connect(partial(self._finished, name))
        layout.addWidget(self.form)
        layout.addWidget(self.sign_in_choice)
        self._show_fields_of(ConnectionMethod.XML)
        self.network = NetworkSection()
        self.network.changed.connect(self._network_edited)
        self.network.toggle.toggled.connect(self._network_shown)
        layout.addWidget(self.network)

        self.storage = SecretsStorage()
        self.storage.session_only_changed.connect(self._session_only_toggled)
        self.where = self.storage.where
        self.session_only = self.storage.session_only
        layout.addWidget(self.storage)
        self.status = wrapped_label("", "saveStatus")
        self.status.hide()
        layout.addWidget(self.status)
        layout.addStretch(1)

    # -- widgets --------------------------------------------------------------------------

    def _describe_storage(self) -> None:
        over_rest = self._method is ConnectionMethod.REST
        self.storage.describe(over_rest, self.network.has_proxy_password())

    # -- XML gateway or REST API ----------------------------------------------------------

    @property
    def _method(self) -> ConnectionMethod:
        methods = self._methods()
        return self.method_choice.method() if len(methods) > 1 else methods[0]

    def _methods(self) -> tuple[ConnectionMethod, ...]:
        """How the chosen integration can sign in, the usual way first (its catalogue file's
        [connection] methods): the page asks only when there is a choice."""
        return self.context.integration().methods.offered

    def _signs_in_with_browser(self) -> bool:
        return self._method is ConnectionMethod.REST and (
            self.sign_in_choice.grant() is RestGrant.SIGN_IN
        )

    def active_fields(self) -> tuple[str, ...]:
        fields = METHOD_FIELDS[self._method]
        if self._signs_in_with_browser():  # the admin signs in as themselves
            return tuple(name for name in fields if name != "user_id")
        return fields

    def _app(self) -> App:
        fields = self.fields
        redirect = self.sign_in_choice.redirect.text().strip()
        return App(fields["client_id"].text().strip(), fields["client_secret"].text(), redirect)

    def _open_sign_in(self) -> None:
        missing = [n for n in ("client_id", "client_secret") if not self.fields[n].text().strip()]
        if missing or not self.sign_in_choice.redirect.text().strip():
            self.sign_in_choice.say(
                "Type the client ID, the client secret and the app's redirect address first.",
                "error",
            )
            return
        self.browser.open_page(self._app(), self._connection_name())

    def _sign_in_edited(self) -> None:
        self._show_fields_of(self._method)
        self._dirty = True
        self.saved = None
        emit(self.completeChanged)

    def _show_fields_of(self, method: ConnectionMethod) -> None:
        self.sign_in_choice.setVisible(method is ConnectionMethod.REST)
        self.form.show_only(
            self.active_fields() if method is self._method else METHOD_FIELDS[method]
        )

    def _method_changed(self, method: ConnectionMethod) -> None:
        self._show_fields_of(method)
        # Over REST the route ends at the test: "Step 3 of 4", not "of 8".
        self.context.flow.update(self.apply(self.context.flow.data))
        self.show_step()
        self._dirty = True
        self.saved = None
        self.status.hide()
        self._describe_storage()
        emit(self.completeChanged)

    def _session_only_toggled(self, _on: bool) -> None:
        self._dirty = True
        self.saved = None
        emit(self.completeChanged)
        self._default_to_next()

    def _default_to_next(self) -> None:
        """Enter goes forward: ticking a box must not leave "< Back" as the default."""
        wizard = self.wizard()
        if wizard is not None:
            wizard.button(QWizard.WizardButton.NextButton).setDefault(True)

    # -- checking as the admin types ------------------------------------------------------

    def check(self, name: str, typing: bool = False) -> FieldCheck:
        return connection_adapter.validate(name, self.fields[name].text(), typing=typing)

    def _edited(self, name: str, _text: str = "") -> None:
        self._touched.add(name)
        self._dirty = True
        self.saved = None
        self._show(name, self.check(name, typing=True))
        self.status.hide()
        emit(self.completeChanged)

    def _network_shown(self, shown: bool) -> None:
        if shown:
            self.scroll.ensureWidgetVisible(self.network.details, 0, 0)

    def _network_edited(self) -> None:
        self._network_touched = True
        self._describe_storage()
        self._dirty = True
        self.saved = None
        self.status.hide()
        emit(self.completeChanged)

    def _finished(self, name: str) -> None:
        if name not in self._touched:
            return
        result = self.check(name, typing=True)
        edit = self.fields[name]
        if result.severity is not Severity.ERROR and result.cleaned != edit.text():
            edit.setText(result.cleaned)
        self._show(name, result)
        if name in ("company_id", "entity_id"):
            self._load_saved_network()

    # -- an existing connection of the same name: show its network settings ---------------

    def _connection_name(self) -> str:
        return connection_adapter.profile_name(
            self.fields["company_id"].text().strip(), self.fields["entity_id"].text().strip()
        )

    def _load_saved_network(self) -> None:
        """Saving over an existing connection keeps its proxy and certificate file: show them
        (unless the admin already changed the section)."""
        name = self._connection_name()
        if self._network_touched or not name or name == self._network_from:
            return
        task = self.context.workers.run(
            "read the saved network settings", lambda _c: connection_adapter.saved_network(name)
        )
        task.succeeded.connect(partial(self._show_saved_network, name))

    def _show_saved_network(self, name: str, saved: SavedNetwork | None) -> None:
        if self._network_touched or name != self._connection_name():
            return  # the admin moved on
        if saved is None and not self._network_from:
            return  # a new connection: the defaults stay
        if saved is None:  # another name than the one shown: back to the defaults
            self.network.set_values(NetworkInput())
            self._network_from = ""
        else:
            self.network.set_values(saved.settings, saved.proxy_password_saved)
            self._network_from = name
        self._describe_storage()

    def _show(self, name: str, result: FieldCheck) -> None:
        show_check(self.fields[name], self.messages[name], result)

    # -- flow -----------------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        return {name: self.check(name).cleaned for name in self.fields}

    def apply(self, data: WizardData) -> WizardData:
        method = self._method
        values = {
            name: self.fields[name].text().strip() if name in METHOD_FIELDS[method] else ""
            for name in ("company_id", "user_id", "sender_id", "entity_id")
        }
        profile = connection_adapter.profile_name(values["company_id"], values["entity_id"])
        return data.replace(
            **values,
            method=method,
            profile=profile or None,
            credentials_saved=self.saved is not None and not self._dirty,
        )

    def initializePage(self) -> None:
        self.show_step()
        self._describe_storage()
        data = self.context.flow.data
        for name in ("company_id", "user_id", "sender_id", "entity_id"):
            if not self.fields[name].text():
                self.fields[name].setText(getattr(data, name))
        if not self.fields["user_id"].text():
            values = self.context.current_checklist().values
            self.fields["user_id"].setText(values.get("user_id", ""))
        self.network.describe_system()
        self._load_saved_network()

    def entered(self) -> None:
        methods = self._methods()
        offered = len(methods) > 1
        if offered and self._offered != methods:  # another integration: its usual way first
            self.method_choice.set_method(methods[0])
        self._offered = methods
        self.method_choice.setVisible(offered)
        self._show_fields_of(self._method)
        if offered:  # the first question on the page: how the integration connects
            self.method_choice.buttons[self.method_choice.method()].setFocus()
        else:
            self.fields["company_id"].setFocus()

    def isComplete(self) -> bool:
        # Next stays on while anything is typed; what is wrong is said inline (and on Next).
        active = self.active_fields()
        required = [name for name, _l, required, _s in FIELDS if required and name in active]
        pasted = self.sign_in_choice.paste.text().strip() or not self._signs_in_with_browser()
        typed = all(self.fields[name].text().strip() for name in required)
        return not self.busy and typed and bool(pasted)

    def validatePage(self) -> bool:
        if self.saved is not None and not self._dirty:
            return True
        method = self._method
        results = {name: self.check(name) for name in self.active_fields()}
        errors = [name for name, result in results.items() if result.severity is Severity.ERROR]
        for name, result in results.items():
            self._show(name, result)
        network_ok = self.network.show_checks()
        if errors or not network_ok:
            if not network_ok:
                self.network.expand()
            first = self.fields[errors[0]] if errors else self.network.first_error()
            if first is not None:
                first.setFocus()
            self._say("Please correct the field marked above, then save again.", "error")
            return False
        values = {name: result.cleaned for name, result in results.items()}
        secrets = {name: values.pop(name) for name in list(values) if name in SECRET_FIELDS}
        for secret in secrets.values():
            remember_secret(secret)
        settings = {
            **values,
            "profile": self.apply(self.context.flow.data).profile or "",
            "integration": self.context.flow.data.integration,
        }
        app = self._app()
        browser = self.browser if self._signs_in_with_browser() else None
        if browser is not None:
            settings |= {"grant": RestGrant.SIGN_IN, "redirect_uri": app.redirect_uri}
        self.set_busy(True)
        self._say("Saving the connection…", "")
        network = self.network.values()
        custom = self.context.flow.data.custom
        task = self.context.workers.run(
            "save connection",
            lambda _c: connection_adapter.save_connection(
                settings,
                secrets | ({"refresh_token": browser.refresh_token(app)} if browser else {}),
                network,
                custom=custom,
                method=method,
            ),
        )
        task.succeeded.connect(self._saved)
        task.failed.connect(self._save_failed)
        return False

    def _saved(self, saved: SavedConnection) -> None:
        self.saved = saved
        self.context.credentials_version += 1
        self._dirty = False
        self.set_busy(False)
        self._say(
            f"Saved, not yet tested: the passwords are kept {saved.secrets_in}. The "
            "connection test runs next.",
            "ok",
        )
        wizard = self.wizard()
        if wizard is not None and wizard.currentPage() is self:
            wizard.next()

    def _save_failed(self, error: BaseException) -> None:
        self.set_busy(False)
        self._say(redact(str(error)), "error")

    def _say(self, text: str, severity: str) -> None:
        self.status.setText(text)
        set_severity(self.status, severity)
        self.status.show()
