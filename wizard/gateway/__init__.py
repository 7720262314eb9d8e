"""The Sage Intacct XML gateway protocol: requests, responses, errors, sessions, paging.

Modules: `errors` (typed failures), `xmlparse` (the one hardened parser), `function_xml`
(how a function's XML is built), `functions` (request bodies), `ar_functions` (legacy AR
documents), `request` (the envelope), `response` (parsing), `records` (a record as a plain
`dict[str, str]`), `network` (proxy and certificates), `transport` (HTTP, retries), `client`
(`Client`), `paging` (`PagedReader`).
"""

from wizard.gateway import functions
from wizard.gateway.client import LOGIN_ENDPOINT, Client, Credentials, Outcome, Session
from wizard.gateway.errors import (
    AuthenticationError,
    ControlError,
    ErrorDetail,
    ErrorLevel,
    GatewayError,
    MalformedResponseError,
    ResultError,
    ShortReadError,
    TransportError,
)
from wizard.gateway.function_xml import Function
from wizard.gateway.network import (
    NetworkSettings,
    NetworkSettingsError,
    ProxyChoice,
    ProxyMode,
    client_options,
)
from wizard.gateway.paging import PagedReader
from wizard.gateway.records import Record, nested_rows
from wizard.gateway.request import (
    ControlBlock,
    LoginAuthentication,
    SessionAuthentication,
    build_request,
)
from wizard.gateway.response import (
    DataInfo,
    Expect,
    Response,
    Result,
    Status,
    iter_response,
    parse_response,
)
from wizard.gateway.transport import Retried, RetryPolicy

__all__ = [
    "LOGIN_ENDPOINT",
    "AuthenticationError",
    "Client",
    "ControlBlock",
    "ControlError",
    "Credentials",
    "DataInfo",
    "ErrorDetail",
    "ErrorLevel",
    "Expect",
    "Function",
    "GatewayError",
    "LoginAuthentication",
    "MalformedResponseError",
    "NetworkSettings",
    "NetworkSettingsError",
    "Outcome",
    "PagedReader",
    "ProxyChoice",
    "ProxyMode",
    "Record",
    "Response",
    "Result",
    "ResultError",
    "Retried",
    "RetryPolicy",
    "Session",
    "SessionAuthentication",
    "ShortReadError",
    "Status",
    "TransportError",
    "build_request",
    "client_options",
    "functions",
    "iter_response",
    "nested_rows",
    "parse_response",
]
