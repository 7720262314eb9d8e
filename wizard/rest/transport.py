"""HTTP for the REST API: one httpx connection pool, size limit, retries with backoff.

`RestTransport.send()` sends one request and returns status, body and headers. It retries
HTTP 429 (Intacct sends it before doing any work) and, unless the request writes without an
`Idempotency-Key`, HTTP 5xx and broken connections, waiting per `Retry-After` or Intacct's
`X-IA-…-Retry-After` headers, else with the gateway's `RetryPolicy` backoff.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import httpx

from wizard.gateway.errors import ErrorLevel
from wizard.gateway.network import NetworkSettings, NetworkSettingsError, client_options
from wizard.gateway.transport import USER_AGENT, Attempts, RetryPolicy, underlying_message
from wizard.redaction import redact
from wizard.rest.envelope import MAX_BODY_BYTES, parse_envelope
from wizard.rest.errors import RestError

log = logging.getLogger("wizard.rest")


def _retry_after(headers: httpx.Headers) -> float | None:
    candidates = [headers.get("Retry-After")]
    candidates += [
        v
        for k, v in headers.items()
        if k.lower().startswith("x-ia-") and k.lower().replace("-", "").endswith("retryafter")
    ]
    for value in candidates:
        if value:
            try:
                return max(0.0, float(value))
            except ValueError:
                continue
    return None


class RestTransport:
    def __init__(
        self,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        network: NetworkSettings | None = None,
    ) -> None:
        """`network`: the proxy and certificates, the same settings the XML gateway uses."""
        self.retry = retry or RetryPolicy()
        self.requests_sent = 0
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout),
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
            follow_redirects=False,
            **client_options(network),
        )

    def close(self) -> None:
        self._http.close()

    def send(
        self,
        method: str,
        url: str,
        *,
        content: bytes | None = None,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        writes: bool,
    ) -> tuple[int, bytes, httpx.Headers]:
        attempts = Attempts(self.retry)
        while True:
            attempt = attempts.next()
            self.requests_sent += 1
            log.debug("%s %s (attempt %d)", method, redact(url), attempt)
            retry_after: float | None = None
            try:
                status, body, answer_headers = self._once(
                    method, url, content, form, headers, params
                )
            except NetworkSettingsError as exc:
                raise RestError(ErrorLevel.TRANSPORT, str(exc), reason="network-settings") from None
            except httpx.TimeoutException:
                failure = RestError(
                    ErrorLevel.TRANSPORT,
                    "Intacct did not answer in time",
                    reason="timeout",
                )
                if writes:
                    raise failure from None
            except httpx.TransportError as exc:
                failure = RestError(
                    ErrorLevel.TRANSPORT,
                    f"Could not reach Intacct ({underlying_message(exc)}); check the internet "
                    "connection",
                    reason="connection",
                )
                if writes and not isinstance(exc, httpx.ConnectError):
                    raise failure from None
            else:
                log.debug("HTTP %d from %s\n%s", status, redact(url), _for_log(body))
                retryable = status == 429 or (status >= 500 and not writes)
                if not retryable:
                    return status, body, answer_headers
                retry_after = _retry_after(answer_headers)
                failure = RestError(
                    ErrorLevel.TRANSPORT,
                    "Intacct's rate limit was hit (HTTP 429)"
                    if status == 429
                    else f"Intacct is not available right now (HTTP {status})",
                    parse_envelope(status, body).errors,
                    status,
                    "rate-limited" if status == 429 else "server-error",
                )
            attempts.wait_or_give_up(failure, retry_after)

    def _once(
        self,
        method: str,
        url: str,
        content: bytes | None,
        form: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        params: Mapping[str, str] | None,
    ) -> tuple[int, bytes, httpx.Headers]:
        with self._http.stream(
            method, url, content=content, data=form, headers=headers, params=params
        ) as response:
            chunks = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise RestError(
                        ErrorLevel.TRANSPORT,
                        "Intacct's answer is too large to read",
                        http_status=response.status_code,
                        reason="too-large",
                    )
                chunks.append(chunk)
            return response.status_code, b"".join(chunks), response.headers


def _for_log(body: bytes) -> str:
    return redact(body[:20000].decode("utf-8", "replace"))
