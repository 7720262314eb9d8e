"""The Sage Intacct XML gateway protocol: requests, responses, errors, sessions, paging."""

from wizard.gateway.errors import (
    AuthenticationError,
    ControlError,
    ErrorDetail,
    ErrorLevel,
    GatewayError,
    ResultError,
    TransportError,
)

__all__ = [
    "AuthenticationError",
    "ControlError",
    "ErrorDetail",
    "ErrorLevel",
    "GatewayError",
    "ResultError",
    "TransportError",
]
