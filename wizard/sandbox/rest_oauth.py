"""The sandbox's OAuth 2.0 server: sign-in page, authorization codes, tokens, bearer checks.

Grants (reference intacct-rest-api.md §2.4): `client_credentials` (`username` user@company;
the app must be an authorized client application with that Web Services user),
`authorization_code` (exact redirect URI, PKCE S256), `refresh_token` (rotated). Form and
JSON bodies are both accepted (§2.4). Token lifetimes, rotation and JWT claim names are the
sandbox's choices (rest.toml [tokens] says so).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import secrets
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from wizard.sandbox.company import Company
from wizard.sandbox.rest_data import RestData
from wizard.sandbox.rest_reply import Reply, error_reply, fill

_PAGE = """<!DOCTYPE html>
<html lang="en-US"><head><meta charset="utf-8">
<title>Sign in to Sage Intacct (sandbox)</title></head>
<body><h1>Sage Intacct (sandbox)</h1>
<p>{app} asks for access to your company's data.</p>
<form method="post" action="{action}">
{hidden}
<label>Company ID <input name="company_id" value="{company}"></label>
<label>User ID <input name="user_id" value="{user}"></label>
<label>Password <input name="password" type="password"></label>
<button name="decision" value="accept">Accept</button>
<button name="decision" value="decline">Decline</button>
</form></body></html>
"""


@dataclass
class Issued:
    """One access token and what it stands for."""

    access_token: str
    refresh_token: str
    user_id: str
    company_id: str
    client_id: str
    expires_at: float
    revoked: bool = False


@dataclass
class PendingCode:
    client_id: str
    redirect_uri: str
    challenge: str
    user_id: str
    company_id: str
    expires_at: float
    used: bool = False


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class OAuthServer:
    def __init__(
        self,
        company: Company,
        data: RestData,
        active: Callable[[], frozenset[str]],
        access_lifetime_s: float | None = None,
    ) -> None:
        self.company = company
        self.data = data
        self.active = active
        self.access_lifetime_s = access_lifetime_s or data.access_lifetime_s
        self.tokens: dict[str, Issued] = {}
        self.refresh_tokens: dict[str, Issued] = {}
        self.codes: dict[str, PendingCode] = {}
        self._key = secrets.token_bytes(32)
        self._lock = threading.Lock()
        self.token_requests = 0

    # -- fault scenarios -------------------------------------------------------------------

    def _fault(self, *places: str) -> Reply | None:
        for name in sorted(self.active()):
            answer = self.data.answers.get(name)
            if answer is not None and answer.at in places:
                return error_reply(self.data.errors[answer.error])
        return None

    def _error(self, name: str, **values: object) -> Reply:
        return error_reply(self.data.errors[name], dict(values))

    # -- authorization page ----------------------------------------------------------------

    def authorize(self, method: str, query: Mapping[str, str], form: Mapping[str, str]) -> Reply:
        params = dict(query) if method == "GET" else dict(form)
        client_id = params.get("client_id", "")
        redirect_uri = params.get("redirect_uri", "")
        if client_id != self.data.client_id:
            return self._error("invalid-request")
        fault = self._fault("authorize")
        if (
            fault is not None
            or redirect_uri not in self.data.redirect_uris
            or redirect_uri.lower().startswith("http:")
        ):
            return fault or self._error("redirect-mismatch")
        if params.get("response_type") != "code":
            return self._error("bad-grant")
        challenge = params.get("code_challenge", "")
        if challenge and params.get("code_challenge_method", "plain") != "S256":
            return self._error("bad-grant")  # only S256 is simulated (plain: NOT FOUND, §8.4)
        state = params.get("state", "")
        if method == "GET":
            keep = {
                k: params.get(k, "")
                for k in ("client_id", "redirect_uri", "state", "response_type", "scope")
            } | {"code_challenge": challenge, "code_challenge_method": "S256"}
            hidden = "\n".join(
                f'<input type="hidden" name="{k}" value="{html.escape(v)}">'
                for k, v in keep.items()
            )
            page = _PAGE.format(
                app=html.escape(client_id),
                action="authorize",
                hidden=hidden,
                company=html.escape(self.company.id),
                user=html.escape(self.company.user_id),
            )
            return Reply(200, page.encode(), "text/html; charset=UTF-8")
        if params.get("decision") != "accept":
            # The error redirect is NOT FOUND (§2.3); RFC 6749's access_denied is chosen.
            return self._redirect(redirect_uri, {"error": "access_denied", "state": state})
        user, company = params.get("user_id", ""), params.get("company_id", "")
        if (
            user.lower() != self.company.user_id.lower()
            or company != self.company.id
            or params.get("password", "") != self.company.user_password
        ):
            return Reply(401, b"Sign-in information is incorrect.\n", "text/plain; charset=UTF-8")
        code = self._jwt({"clientId": client_id, "type": "code"})  # Sage's codes are JWTs (§2.3)
        with self._lock:
            self.codes[code] = PendingCode(
                client_id,
                redirect_uri,
                challenge,
                self.company.user_id,
                self.company.id,
                time.time() + self.data.code_lifetime_s,
            )
        return self._redirect(redirect_uri, {"code": code, "state": state})

    @staticmethod
    def _redirect(uri: str, values: dict[str, str]) -> Reply:
        location = f"{uri}{'&' if '?' in uri else '?'}{urllib.parse.urlencode(values)}"
        return Reply(302, b"", "text/plain", {"Location": location})

    # -- token endpoint --------------------------------------------------------------------

    def token(self, body: bytes, content_type: str) -> Reply:
        self.token_requests += 1
        params = _params(body, content_type)
        if params is None:
            return self._error("bad-grant")
        grant = params.get("grant_type", "")
        if not params.get("client_id"):
            return self._error("missing-client")
        if grant not in ("client_credentials", "authorization_code", "refresh_token"):
            return self._error("bad-grant")
        if params["client_id"] != self.data.client_id:
            return self._error("invalid-request")
        secret = params.get("client_secret", "")
        public = grant == "authorization_code" and not secret and bool(params.get("code_verifier"))
        if not public and not hmac.compare_digest(secret, self.data.client_secret):
            return self._error("invalid-request")
        fault = self._fault("token") or (
            self._fault("refresh") if grant == "refresh_token" else None
        )
        if fault is not None:
            return fault
        if grant == "client_credentials":
            return self._client_credentials(params)
        if grant == "authorization_code":
            return self._authorization_code(params)
        return self._refresh(params)

    def _client_credentials(self, params: Mapping[str, str]) -> Reply:
        username = params.get("username", "")
        if not username:
            return self._error("missing-user")
        if "@" not in username:
            return self._error("username-format")
        user, _, company = username.partition("@")
        company = company.split("|", 1)[0]
        if not company:
            return self._error("missing-tenant")
        # The app's "Authorized client applications" row names this Web Services user (§2.2).
        if user.lower() != self.company.user_id.lower() or company != self.company.id:
            return self._error("invalid-request")
        return self._issue(self.company.user_id, self.company.id, params["client_id"], "")

    def _authorization_code(self, params: Mapping[str, str]) -> Reply:
        with self._lock:
            pending = self.codes.get(params.get("code", ""))
            if pending is None or pending.used or pending.expires_at < time.time():
                return self._error("refresh-refused")
            if params.get("redirect_uri", "") != pending.redirect_uri:
                return self._error("redirect-mismatch")
            verifier = params.get("code_verifier", "")
            if pending.challenge:
                digest = _b64(hashlib.sha256(verifier.encode()).digest())
                if not hmac.compare_digest(digest, pending.challenge):
                    return self._error("refresh-refused")
            pending.used = True
            if self.data.second_authorization_invalidates:
                for issued in self.refresh_tokens.values():
                    if (issued.user_id, issued.company_id) == (
                        pending.user_id,
                        pending.company_id,
                    ):
                        issued.revoked = True
        refresh = secrets.token_urlsafe(32)
        return self._issue(pending.user_id, pending.company_id, pending.client_id, refresh)

    def demo_sign_in(self) -> str:
        """A refresh token as if the demo user had signed in and clicked Accept (for --demo)."""
        refresh = secrets.token_urlsafe(32)
        self._issue(self.company.user_id, self.company.id, self.data.client_id, refresh)
        return refresh

    def _refresh(self, params: Mapping[str, str]) -> Reply:
        with self._lock:
            issued = self.refresh_tokens.get(params.get("refresh_token", ""))
            if issued is None or issued.revoked:
                return self._error("refresh-refused")
            new_refresh = issued.refresh_token
            if self.data.rotate_refresh_tokens:
                issued.revoked = True
                new_refresh = secrets.token_urlsafe(32)
        return self._issue(issued.user_id, issued.company_id, issued.client_id, new_refresh)

    def _issue(self, user: str, company: str, client: str, refresh: str) -> Reply:
        lifetime = self.access_lifetime_s
        expires = time.time() + lifetime
        access = self._jwt(
            {"userId": user, "cnyId": company, "clientId": client, "exp": int(expires)}
        )
        if not refresh:  # client credentials also return a refresh token (§2.4, inferred)
            refresh = secrets.token_urlsafe(32)
        issued = Issued(access, refresh, user, company, client, expires)
        with self._lock:
            self.tokens[access] = issued
            self.refresh_tokens[refresh] = issued
        body = {
            "token_type": "Bearer",
            "access_token": access,
            "expires_in": int(lifetime),
            "refresh_token": refresh,
        }
        return Reply(
            200, json.dumps(body).encode(), "application/json", {"Cache-Control": "no-store"}
        )

    def _jwt(self, claims: dict[str, object]) -> str:
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        payload = _b64(json.dumps({**claims, "jti": secrets.token_hex(8)}).encode())
        signature = _b64(hmac.new(self._key, f"{header}.{payload}".encode(), "sha256").digest())
        return f"{header}.{payload}.{signature}"

    # -- every API call --------------------------------------------------------------------

    def check_bearer(self, authorization: str) -> Issued | Reply:
        scheme, _, value = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return self._error("missing-bearer")
        issued = self.tokens.get(value.strip())
        if issued is None:
            return self._error("bad-token")
        if issued.revoked or issued.expires_at < time.time():
            return self._error("token-expired")
        if "rest-token-expired" in self.active():
            return self._error("token-expired")
        return issued

    def expire_tokens(self) -> None:
        """End every access token now (refresh tokens keep working)."""
        with self._lock:
            for issued in self.tokens.values():
                issued.expires_at = 0.0

    def revoke(self, refresh_token: str = "") -> None:
        """Revoke one refresh token (or all), as a second authorization would."""
        with self._lock:
            for token, issued in self.refresh_tokens.items():
                if not refresh_token or token == refresh_token:
                    issued.revoked = True


def _params(body: bytes, content_type: str) -> dict[str, str] | None:
    text = body.decode("utf-8", "replace")
    if "json" in content_type.lower() or text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        return {str(k): str(v) for k, v in data.items() if isinstance(v, str | int)}
    pairs = urllib.parse.parse_qsl(text, keep_blank_values=True)
    names = [k for k, _ in pairs]
    if len(names) != len(set(names)):
        return None  # GW-0038 / GW-0039 multiple client IDs / usernames: one payload error here
    return dict(pairs)


__all__ = ["Issued", "OAuthServer", "fill"]
