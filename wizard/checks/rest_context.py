"""`RestCheckContext`: the checks' context for a connection over the REST API (OAuth 2.0).

Shares `CheckContext`'s fix matching, cache and request slots; adds one `RestClient` signed
in the way the profile says (client ID and secret with the Web Services user, or the refresh
token a "Sign in with Sage Intacct" left) and hands every token Intacct issues to
`on_token`, so a rotated refresh token is kept (in the keyring) and nothing is lost.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wizard.checks.context import CheckContext, MissingSecrets
from wizard.connection import Profile, RestGrant, Secrets
from wizard.fixes import Fix
from wizard.rest import App, ClientCredentialsUser, RestClient, RestError, SignInRequired, Token
from wizard.rest.client import ENTITY_HEADER, TRANSACTION_HEADER

log = logging.getLogger("wizard.checks")

TokenSaver = Callable[[Token], None]


@dataclass(frozen=True)
class RestSignIn:
    """The outcome of the one REST sign-in all checks share."""

    token: Token | None
    error: RestError | None = None
    fix: Fix | None = None

    @property
    def ok(self) -> bool:
        return self.token is not None


class RestCheckContext(CheckContext):
    method = "rest"

    def __init__(
        self,
        profile: Profile,
        secrets: Secrets | None,
        *,
        on_token: TokenSaver | None = None,
        **settings: Any,
    ) -> None:
        super().__init__(profile, secrets, **settings)
        self.on_token = on_token
        # The entity header's name; only a test changes it (to show a misspelt one is caught).
        self.entity_header = ENTITY_HEADER
        # The atomic-batch header's name; only a test changes it (to show an ignored one is
        # caught by the test posting, which then deletes what Intacct kept).
        self.transaction_header = TRANSACTION_HEADER
        self._rest: RestClient | None = None
        self._rest_lock = threading.Lock()

    @property
    def app(self) -> App:
        if self.secrets is None:
            raise MissingSecrets(self.secrets_problem or "The client secret is not available.")
        rest = self.profile.rest
        return App(rest.client_id, self.secrets.client_secret, rest.redirect_uri)

    def new_rest_client(
        self, entity_id: str | None = None, entity_header: str | None = None
    ) -> RestClient:
        """A client of its own (the caller closes it), e.g. to try the entity header."""
        profile = self.profile
        secrets = self.secrets
        if secrets is None:
            raise MissingSecrets(self.secrets_problem or "The client secret is not available.")
        token = None
        user = None
        if profile.rest.grant is RestGrant.SIGN_IN:
            if secrets.refresh_token:
                token = Token("", 0.0, secrets.refresh_token)  # renewed on first use
        else:
            user = ClientCredentialsUser(profile.user_id, profile.company_id)
        return RestClient(
            self.app,
            base_url=profile.rest.base_url,
            user=user,
            token=token,
            entity_id=entity_id,
            on_token=self._token_issued,
            timeout=self.timeout,
            retry=self.retry,
            entity_header=entity_header or self.entity_header,
            network=self.network,
            transaction_header=self.transaction_header,
        )

    def _token_issued(self, token: Token) -> None:
        if self.on_token is not None:
            try:
                self.on_token(token)
            except Exception:  # keeping the new refresh token failed: say so, keep going
                log.exception("The new sign-in could not be saved")

    @property
    def rest(self) -> RestClient:
        """The shared client, at the top level (the entity check adds the entity header)."""
        with self._rest_lock:
            if self._rest is None:
                self._rest = self.new_rest_client()
            return self._rest

    def rest_sign_in(self) -> RestSignIn:
        return self.cached("rest-sign-in", self._rest_sign_in)

    def _rest_sign_in(self) -> RestSignIn:
        try:
            with self.slot():
                token = self.rest.sign_in()
        except SignInRequired as error:
            return RestSignIn(None, error, self.fix("rest-sign-in-again"))
        except RestError as error:
            return RestSignIn(None, error, self.match(error))
        return RestSignIn(token)

    def share_token(self, client: RestClient) -> None:
        """Give a client of its own the shared token, so it does not sign in again."""
        client.use_token(self.rest.token)

    def close(self) -> None:
        with self._rest_lock:
            if self._rest is not None:
                self._rest.close()
                self._rest = None
        super().close()


def rest_context(ctx: object) -> RestCheckContext:
    """The context as a REST one (the REST checks run only on REST connections)."""
    if not isinstance(ctx, RestCheckContext):
        raise TypeError("The REST checks need a connection over the REST API.")
    return ctx
