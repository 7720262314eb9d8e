""" "Sign in with Sage Intacct" for a REST connection: the page to open, and the code pasted
back traded for the refresh token the connection keeps (in the keyring, with its secret).

Sage refuses http:// redirect addresses (reference §2.3), so a desktop program cannot catch
the answer on a loopback port: the admin signs in in the browser, and pastes back the address
the browser went to (or the code alone). Off the GUI thread: both touch the disk or network.
"""

from __future__ import annotations

from wizard.connection import ProfileError, ProfileStore
from wizard.connection.profile import DEFAULT_REST_BASE_URL
from wizard.redaction import redact
from wizard.rest import App, AuthorizationRequest, RestClient, RestError, code_from_paste
from wizard.rest.oauth import authorization_request


class SignInFailed(Exception):
    """The sign-in did not give a usable refresh token (the message says what to do)."""


def rest_base_url(profile_name: str) -> str:
    """The REST address of the connection saved under that name (else Sage's own)."""
    store = ProfileStore()
    if profile_name and store.exists(profile_name):
        try:
            return store.load(profile_name).rest.base_url
        except ProfileError:
            pass
    return DEFAULT_REST_BASE_URL


def start_sign_in(app: App, base_url: str) -> AuthorizationRequest:
    """The sign-in page to open (a fresh state and PKCE verifier each time). Raises
    ValueError with a plain message for a redirect address Sage would refuse."""
    return authorization_request(app, base_url)


def finish_sign_in(app: App, base_url: str, request: AuthorizationRequest, pasted: str) -> str:
    """The refresh token for what the admin pasted. Raises PastedCodeError (the paste is not
    a sign-in answer) or SignInFailed (Intacct refused the code)."""
    code = code_from_paste(pasted, request)
    client = RestClient(app, base_url=base_url)
    try:
        token = client.exchange_code(code, request)
    except RestError as error:
        raise SignInFailed(
            f"Sage Intacct did not accept the sign-in ({redact(str(error))}). Codes work once "
            "and for a short time: click Open the sign-in page again, sign in, and paste the "
            "new address."
        ) from None
    finally:
        client.close()
    if not token.refresh_token:
        raise SignInFailed(
            "Sage Intacct signed you in but gave no lasting sign-in (no refresh token), so the "
            "connection could not be kept. Ask the app's vendor whether the app may keep a "
            "sign-in (offline access)."
        )
    return token.refresh_token
