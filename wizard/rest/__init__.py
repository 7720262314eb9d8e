"""The Sage Intacct REST API (v1): OAuth 2.0 tokens, the JSON envelope, objects and queries.

Modules: `oauth` (app, tokens, PKCE, token-request bodies), `envelope` (parsing every answer
shape into `ErrorDetail`s and per-item outcomes), `errors` (typed failures, subclasses of the
gateway's `GatewayError`), `client` (`RestClient`). Pure Python + httpx + orjson; shares the
XML gateway's `ErrorDetail`, `RetryPolicy` and endpoint rules, and nothing above them.
"""

from wizard.rest.client import ENTITY_HEADER, ClientCredentialsUser, RestClient
from wizard.rest.envelope import Envelope, ItemOutcome, Meta, parse_envelope
from wizard.rest.errors import RestError, SignInRequired, TokenError
from wizard.rest.oauth import (
    API_BASE,
    App,
    AuthorizationRequest,
    PastedCodeError,
    Pkce,
    Token,
    authorization_request,
    code_from_paste,
)

__all__ = [
    "API_BASE",
    "ENTITY_HEADER",
    "App",
    "AuthorizationRequest",
    "ClientCredentialsUser",
    "Envelope",
    "ItemOutcome",
    "Meta",
    "PastedCodeError",
    "Pkce",
    "RestClient",
    "RestError",
    "SignInRequired",
    "Token",
    "TokenError",
    "authorization_request",
    "code_from_paste",
    "parse_envelope",
]
