"""How a REST connection signs in (on Sign-in details): with the Web Services user through the
app's client ID and secret, or "Sign in with Sage Intacct" in the browser, the address the
browser went to pasted back (Sage refuses http:// redirect addresses, so there is no loopback
callback for a desktop program to catch)."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from wizard.connection import RestGrant
from wizard.redaction import redact
from wizard.rest import App, AuthorizationRequest
from wizard.ui.pages.base import radio_with_hint, set_severity, wrapped_label
from wizard.ui.qt_compat import emit
from wizard.ui.session_adapter import sign_in
from wizard.ui.worker import Workers

_GRANTS = (
    (
        RestGrant.CLIENT_CREDENTIALS,
        "With the Web Ser&vices user (client ID and secret only)",
        "The app signs in as the Web Services user named on its Authorized client applications "
        "row. Nothing to do in a browser.",
    ),
    (
        RestGrant.SIGN_IN,
        "Sign in with Sage Intacct in the bro&wser",
        "You sign in to Sage Intacct and click Accept; the browser then shows an address that "
        "you paste here. Needs the redirect address registered for the app.",
    ),
)


class RestSignInChoice(QFrame):
    """The grant, and for "Sign in with Sage Intacct" the redirect address, the button that
    opens Sage's page and the box the answer is pasted into. `changed` on every edit;
    `open_requested` when the admin asks for the sign-in page."""

    changed = Signal()
    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restSignIn")
        self.setProperty("role", "card")
        grid = QGridLayout(self)
        grid.setContentsMargins(16, 10, 16, 10)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        grid.addWidget(QLabel("<b>How the app signs in</b>"), 0, 0, 1, 3)
        self.group = QButtonGroup(self)
        self.grants: dict[RestGrant, QRadioButton] = {}
        row = 1
        for grant, text, caption in _GRANTS:
            button, hint = radio_with_hint(self.group, text, caption, f"grant_{grant.value}")
            self.grants[grant] = button
            grid.addWidget(button, row, 0, 1, 3)
            grid.addWidget(hint, row + 1, 0, 1, 3)
            row += 2
        self.grants[RestGrant.CLIENT_CREDENTIALS].setChecked(True)

        self.redirect_label = QLabel("Redirect address of the a&pp")
        self.redirect = QLineEdit()
        self.redirect.setObjectName("redirect_uri")
        self.redirect.setAccessibleName("Redirect address registered for the app")
        self.redirect.setPlaceholderText("https://… as registered for the app")
        self.redirect_label.setBuddy(self.redirect)
        grid.addWidget(self.redirect_label, row, 0)
        grid.addWidget(self.redirect, row, 1)
        self.open_button = QPushButton("&Open the sign-in page")
        self.open_button.setObjectName("openSignIn")
        self.open_button.setAccessibleName("Open Sage Intacct's sign-in page in the browser")
        self.open_button.setAutoDefault(False)
        grid.addWidget(self.open_button, row, 2)
        self.paste_label = QLabel("Pasted a&ddress")
        self.paste = QLineEdit()
        self.paste.setObjectName("pasted_answer")
        self.paste.setAccessibleName("The address the browser showed after you signed in")
        self.paste.setPlaceholderText("paste the whole address from the browser's address bar")
        self.paste_label.setBuddy(self.paste)
        grid.addWidget(self.paste_label, row + 1, 0)
        grid.addWidget(self.paste, row + 1, 1, 1, 2)
        self.message = wrapped_label("", "signInMessage")
        self.message.hide()
        grid.addWidget(self.message, row + 2, 0, 1, 3)
        self.browser_parts = (
            self.redirect_label,
            self.redirect,
            self.open_button,
            self.paste_label,
            self.paste,
        )
        self.group.buttonToggled.connect(self._grant_toggled)
        self.redirect.textEdited.connect(lambda _t: emit(self.changed))
        self.paste.textEdited.connect(lambda _t: emit(self.changed))
        self.open_button.clicked.connect(lambda: emit(self.open_requested))
        self._show_browser_parts()

    def grant(self) -> RestGrant:
        if self.grants[RestGrant.SIGN_IN].isChecked():
            return RestGrant.SIGN_IN
        return RestGrant.CLIENT_CREDENTIALS

    def say(self, text: str, severity: str) -> None:
        self.message.setText(text)
        set_severity(self.message, severity)
        self.message.setVisible(bool(text))

    def _grant_toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            self._show_browser_parts()
            emit(self.changed)

    def _show_browser_parts(self) -> None:
        browser = self.grant() is RestGrant.SIGN_IN
        for widget in self.browser_parts:
            widget.setVisible(browser)
        if not browser:
            self.message.hide()


class BrowserSignIn:
    """One "Sign in with Sage Intacct": the request made when the page was opened (its state
    and PKCE verifier stay in memory only) and the code pasted back, traded on Save."""

    def __init__(self, choice: RestSignInChoice, workers: Workers) -> None:
        self.choice = choice
        self.workers = workers
        self.request: AuthorizationRequest | None = None
        self.base_url = ""

    def open_page(self, app: App, profile_name: str) -> None:
        """Make a fresh request off the GUI thread, then open it in the browser."""

        def start(_cancel: object) -> tuple[AuthorizationRequest, str]:
            base_url = sign_in.rest_base_url(profile_name)
            return sign_in.start_sign_in(app, base_url), base_url

        task = self.workers.run("open the sign-in page", start)
        task.succeeded.connect(self._opened)
        task.failed.connect(lambda error: self.choice.say(redact(str(error)), "error"))

    def _opened(self, started: tuple[AuthorizationRequest, str]) -> None:
        self.request, self.base_url = started
        opened = QDesktopServices.openUrl(QUrl(self.request.url))
        where = "your browser" if opened else "a browser (copy the address below into it)"
        self.choice.say(
            f"Sign in to Sage Intacct in {where} and click Accept. The browser then goes to "
            "the app's redirect address: copy the whole address from its address bar, paste "
            "it below, and press Save connection.",
            "",
        )
        if not opened:
            self.choice.paste.setPlaceholderText(self.request.url)
        self.choice.paste.setFocus()

    def refresh_token(self, app: App) -> str:
        """The refresh token for what was pasted (off the GUI thread, on Save). Raises
        ValueError with what to do."""
        if self.request is None:
            raise sign_in.SignInFailed(
                "Click Open the sign-in page first, sign in, then paste the address."
            )
        return sign_in.finish_sign_in(app, self.base_url, self.request, self.choice.paste.text())
