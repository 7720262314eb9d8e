"""OAuth 2.0 for Sage Intacct: the app, tokens, PKCE, the authorization URL and token requests.

Sources (reference intacct-rest-api.md §2): token endpoint `POST /oauth2/token` with a form
body (Sage's sample) for the grants `client_credentials` (username `user@company`, since
2025 R1), `authorization_code` (+ `code_verifier` with PKCE) and `refresh_token`; the
authorization page `GET /oauth2/authorize` with `response_type=code`, `client_id`,
`redirect_uri`, `state`, `scope=offline_access` (for a refresh token) and PKCE S256.

Why no OAuth library (Authlib's httpx client was the candidate): Intacct reports token
failures as gateway errors (`{"ia::error": {"code": "GW-0011"}}`, `{"error": {"code":
"tokenInvalid"}}`), not RFC 6749 `error` strings, so a library's error handling would misread
each of them; its refresh runs inside its own httpx client, outside this client's retry,
size and redaction rules; and what is left (three form bodies, an S256 challenge, a URL) is a
few lines of the standard library.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from wizard.redaction import remember_secret

API_BASE = "https://api.intacct.com/ia/api/v1"
TOKEN_PATH = "/oauth2/token"
AUTHORIZE_PATH = "/oauth2/authorize"
# Sage documents no lifetime; FYLE-APP assumes 6 h when `expires_in` is missing (THIRD-PARTY).
DEFAULT_LIFETIME_S = 21600
# Refresh this long before the token's end, so a call never starts with a dying token.
REFRESH_MARGIN_S = 120.0
OFFLINE_SCOPE = "offline_access"


class Grant(StrEnum):
    CLIENT_CREDENTIALS = "client_credentials"
    AUTHORIZATION_CODE = "authorization_code"
    REFRESH_TOKEN = "refresh_token"


@dataclass(frozen=True, slots=True)
class App:
    """The integration's app registration: client ID and secret, and its redirect URI."""

    client_id: str
    client_secret: str = ""
    redirect_uri: str = ""

    def __post_init__(self) -> None:
        remember_secret(self.client_secret)

    def __repr__(self) -> str:
        return f"App(client_id={self.client_id!r}, redirect_uri={self.redirect_uri!r})"


@dataclass(frozen=True, slots=True)
class Token:
    """An access token, when it ends (epoch seconds) and the refresh token that renews it."""

    access_token: str
    expires_at: float
    refresh_token: str = ""
    token_type: str = "Bearer"

    def __post_init__(self) -> None:
        remember_secret(self.access_token)
        remember_secret(self.refresh_token)

    def expires_within(self, seconds: float, now: float | None = None) -> bool:
        return (now if now is not None else time.time()) + seconds >= self.expires_at

    def __repr__(self) -> str:
        return f"Token(expires_at={self.expires_at:.0f}, refreshable={bool(self.refresh_token)})"


@dataclass(frozen=True, slots=True)
class Pkce:
    """RFC 7636 proof key: a random verifier and its S256 challenge."""

    verifier: str
    challenge: str = field(init=False)

    def __post_init__(self) -> None:
        if not 43 <= len(self.verifier) <= 128:
            raise ValueError("A PKCE verifier is 43 to 128 characters long.")
        remember_secret(self.verifier)
        object.__setattr__(self, "challenge", s256_challenge(self.verifier))

    @classmethod
    def new(cls) -> Pkce:
        return cls(secrets.token_urlsafe(64))

    def __repr__(self) -> str:
        return "Pkce(…)"


def s256_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    """The page the admin opens to sign in, and what must come back with the code."""

    url: str
    state: str
    pkce: Pkce
    redirect_uri: str


def check_redirect_uri(uri: str) -> str:
    """Sage refuses http:// redirect URIs; anything else it allows (https, app schemes)."""
    parsed = urllib.parse.urlsplit(uri.strip())
    if not parsed.scheme:
        raise ValueError("The redirect address must be a full address, such as https://…")
    if parsed.scheme.lower() == "http":
        raise ValueError(
            "Sage Intacct does not accept redirect addresses that start with http://. "
            "Use the https:// address registered for the app."
        )
    return uri.strip()


def authorization_request(
    app: App, base_url: str = API_BASE, scope: str = OFFLINE_SCOPE
) -> AuthorizationRequest:
    """The authorization-code request with PKCE (S256) and a fresh `state`."""
    redirect_uri = check_redirect_uri(app.redirect_uri)
    pkce = Pkce.new()
    state = secrets.token_urlsafe(24)
    query = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": redirect_uri,
        "state": state,
        "code_challenge": pkce.challenge,
        "code_challenge_method": "S256",
    }
    if scope:
        query["scope"] = scope
    url = f"{base_url.rstrip('/')}{AUTHORIZE_PATH}?{urllib.parse.urlencode(query)}"
    return AuthorizationRequest(url, state, pkce, redirect_uri)


class PastedCodeError(ValueError):
    """What the admin pasted back is not a usable authorization answer (the message says why)."""


def code_from_paste(pasted: str, request: AuthorizationRequest) -> str:
    """The authorization code from what the admin pasted: the whole address or the code alone.

    With a whole address the `state` must match the request's (else someone else's sign-in
    could be slipped in); a refusal (`error=…`) becomes a plain message."""
    text = pasted.strip()
    if not text:
        raise PastedCodeError("Paste the address your browser showed after you signed in.")
    if "?" in text or text.startswith(("https:", request.redirect_uri.split(":", 1)[0] + ":")):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(text).query)
        if "error" in query:
            reason = query.get("error_description", query["error"])[0]
            raise PastedCodeError(f"Sage Intacct did not grant access: {reason}.")
        states = query.get("state", [])
        if states != [request.state]:
            raise PastedCodeError(
                "That address belongs to a different sign-in. Click Sign in again and paste "
                "the address shown after that sign-in."
            )
        codes = query.get("code", [])
        if len(codes) != 1 or not codes[0].strip():
            raise PastedCodeError("The address has no sign-in code. Sign in again.")
        text = codes[0].strip()
    if any(ch.isspace() for ch in text) or len(text) > 8192:
        raise PastedCodeError("That does not look like a sign-in code. Sign in again.")
    remember_secret(text)
    return text


def username_for(user_id: str, company_id: str) -> str:
    """The client-credentials `username`: `user@company` (entity goes in the entity header)."""
    return f"{user_id.strip()}@{company_id.strip()}"


def client_credentials_form(app: App, user_id: str, company_id: str) -> dict[str, str]:
    return {
        "grant_type": Grant.CLIENT_CREDENTIALS.value,
        "client_id": app.client_id,
        "client_secret": app.client_secret,
        "username": username_for(user_id, company_id),
    }


def authorization_code_form(app: App, code: str, pkce: Pkce, redirect_uri: str) -> dict[str, str]:
    form = {
        "grant_type": Grant.AUTHORIZATION_CODE.value,
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": app.client_id,
        "code_verifier": pkce.verifier,
    }
    if app.client_secret:  # a public (PKCE-only) client may have none; see README
        form["client_secret"] = app.client_secret
    return form


def refresh_form(app: App, refresh_token: str) -> dict[str, str]:
    form = {
        "grant_type": Grant.REFRESH_TOKEN.value,
        "refresh_token": refresh_token,
        "client_id": app.client_id,
    }
    if app.client_secret:
        form["client_secret"] = app.client_secret
    return form


def token_from(data: Mapping[str, Any], now: float, previous_refresh: str = "") -> Token | None:
    """The token in a token-endpoint answer, or None if it holds no usable access token.

    A refresh answer without a new refresh token keeps the old one (rotation is not
    documented; integrators keep whichever came last)."""
    access = data.get("access_token")
    if not isinstance(access, str) or not access.strip():
        return None
    lifetime = data.get("expires_in")
    if isinstance(lifetime, str) and lifetime.strip().isdigit():
        lifetime = int(lifetime)
    if not isinstance(lifetime, int | float) or isinstance(lifetime, bool) or lifetime <= 0:
        lifetime = DEFAULT_LIFETIME_S
    refresh = data.get("refresh_token")
    token_type = data.get("token_type")
    return Token(
        access_token=access.strip(),
        expires_at=now + float(lifetime),
        refresh_token=refresh.strip() if isinstance(refresh, str) else previous_refresh,
        token_type=token_type if isinstance(token_type, str) and token_type else "Bearer",
    )
