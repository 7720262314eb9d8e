"""HTTP for the gateway: one httpx connection pool, timeouts, retries with backoff.

`Transport.post()` sends one request body and returns the answer's status and body. It
retries, with exponential backoff and jitter bounded in tries and in total time:
HTTP 429 (honouring Retry-After), HTTP 5xx (but never 524 for a request that writes: the
CDN cut the line while Intacct may still be doing the work), and connection failures.
Everything else (including 4xx) is returned to the caller to parse.

Failures that retrying cannot mend are raised at once, each with its own `reason`: the proxy
asked for a sign-in (`proxy-sign-in`, HTTP 407) or refused to connect to Intacct
(`proxy-refused`), and a certificate that this computer does not trust
(`certificate-untrusted`). The proxy and the certificates follow `network.NetworkSettings`.
"""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import random
import re
import ssl
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from wizard.gateway.errors import ErrorLevel, GatewayError, TransportError
from wizard.gateway.network import (
    NetworkSettings,
    NetworkSettingsError,
    ProxyChoice,
    ProxyRouter,
    client_options,
)
from wizard.gateway.xmlparse import MAX_BODY_BYTES
from wizard.redaction import redact

log = logging.getLogger("wizard.gateway")

USER_AGENT = "intacct-setup-wizard/0.1"
CDN_TIMEOUT = 524


@dataclass(frozen=True, slots=True)
class Retried:
    """One refusal that was waited out and tried again (what `RetryPolicy.on_retry` gets)."""

    reason: str  # "rate-limited", "server-error", "connection", "timeout", "too-many-operations"
    summary: str  # what Intacct answered, in words ("Intacct's rate limit was hit (HTTP 429…)")
    http_status: int | None
    delay_s: float  # the wait before the next try


def _ignore(_: Retried) -> None:
    pass


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard to try. Delays: base * 2**(attempt-1), capped, plus up to `jitter` of it.

    `on_retry` hears of every refusal that is waited out, so a caller (diagnose) can tell
    a fault that went away after retries from one that did not."""

    max_attempts: int = 5
    base_delay_s: float = 1.0
    max_delay_s: float = 30.0
    max_total_s: float = 120.0
    jitter: float = 0.25
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)
    on_retry: Callable[[Retried], None] = field(default=_ignore, compare=False)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_delay_s)
        delay = min(self.base_delay_s * 2 ** (attempt - 1), self.max_delay_s)
        return float(min(delay + random.uniform(0, delay * self.jitter), self.max_delay_s))


class Attempts:
    """The tries of one request under a `RetryPolicy`. After each failure that may be tried
    again, `wait_or_give_up` either waits out the policy's delay (telling `on_retry`) or, when
    the tries or the total wait are used up, raises the failure, saying how many tries it had.
    """

    def __init__(self, policy: RetryPolicy) -> None:
        self.policy = policy
        self.number = 0
        self._started = time.monotonic()
        self._slept = 0.0  # counted apart: an injected sleep may not pass real time

    def next(self) -> int:
        self.number += 1
        return self.number

    def wait_or_give_up(self, failure: GatewayError, retry_after: float | None = None) -> None:
        policy = self.policy
        delay = policy.delay(self.number, retry_after)
        elapsed = max(time.monotonic() - self._started, self._slept)
        if self.number >= policy.max_attempts or elapsed + delay > policy.max_total_s:
            raise type(failure)(
                failure.level,
                f"{failure.summary} (gave up after {self.number} attempts)",
                failure.errors,
                failure.http_status,
                failure.reason,
            )
        log.info("Retrying in %.1f s: %s", delay, failure.summary)
        policy.on_retry(
            Retried(failure.reason or "server-error", failure.summary, failure.http_status, delay)
        )
        policy.sleep(delay)
        self._slept += delay


def check_endpoint(url: str) -> str:
    """Refuse anything but https://, except plain http:// to a loopback address."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme == "https" and parsed.hostname:
        return url
    if parsed.scheme == "http" and parsed.hostname:
        host = parsed.hostname
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if loopback:
            return url
    raise TransportError(
        ErrorLevel.TRANSPORT,
        f"Refusing to send credentials to {redact(url)!r}: the gateway address must start "
        "with https:// (plain http:// is only allowed to this computer, 127.0.0.1)",
        reason="insecure-endpoint",
    )


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes
    attempts: int


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:  # an HTTP date
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Transport:
    def __init__(
        self,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        max_body: int = MAX_BODY_BYTES,
        total_timeout: float | None = None,
        network: NetworkSettings | None = None,
    ) -> None:
        """`timeout` bounds each connect/read/write; `total_timeout` (default 5 x timeout)
        bounds one whole attempt, so a server that drips bytes cannot hold a call forever.
        `network`: the proxy and certificates (default: the operating system's)."""
        self.retry = retry or RetryPolicy()
        self.max_body = max_body
        self.total_timeout = total_timeout if total_timeout is not None else 5 * timeout
        options = client_options(network)
        self._router: ProxyRouter = options["transport"]
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout),
            headers={"Content-Type": "application/xml", "User-Agent": USER_AGENT},
            follow_redirects=False,
            **options,
        )

    def proxy_for(self, url: str) -> ProxyChoice:
        """The proxy (or none) this transport uses for `url`, and why."""
        return self._router.choice(url)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def post(self, url: str, body: bytes, writes: bool = False) -> Answer:
        check_endpoint(url)
        attempts = Attempts(self.retry)
        while True:
            attempt = attempts.next()
            if log.isEnabledFor(logging.DEBUG):
                log.debug("POST %s (attempt %d)\n%s", url, attempt, _for_log(body))
            retry_after: float | None = None
            try:
                status, content, headers_retry = self._send(url, body)
            except NetworkSettingsError as exc:
                raise TransportError(
                    ErrorLevel.TRANSPORT, str(exc), reason="network-settings"
                ) from None
            except httpx.ProxyError as exc:  # the proxy answered CONNECT with a refusal
                raise _proxy_failure(exc, self.proxy_for(url)) from None
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                untrusted = _certificate_failure(exc, url)
                if untrusted is not None:
                    raise untrusted from None
                failure = _connection_failure(exc, url, self.proxy_for(url))
            except httpx.TimeoutException:
                failure = TransportError(
                    ErrorLevel.TRANSPORT,
                    f"Intacct did not answer within {self._http.timeout.read} seconds"
                    f" (or finish within {self.total_timeout:g})",
                    reason="timeout",
                )
                if writes:  # the work may have been done: never send it twice blindly
                    raise failure from None
            except httpx.TransportError as exc:
                failure = TransportError(
                    ErrorLevel.TRANSPORT,
                    f"The connection to Intacct broke off ({underlying_message(exc)}); check the "
                    "internet connection and the gateway address",
                    reason="connection",
                )
                if writes:
                    raise failure from None
            else:
                if log.isEnabledFor(logging.DEBUG):
                    log.debug("HTTP %d from %s\n%s", status, url, _for_log(content))
                if status == 429 or (
                    500 <= status < 600 and not (writes and status == CDN_TIMEOUT)
                ):
                    retry_after = headers_retry
                    failure = TransportError(
                        ErrorLevel.TRANSPORT,
                        _status_summary(status),
                        http_status=status,
                        reason="rate-limited" if status == 429 else "server-error",
                    )
                elif status == CDN_TIMEOUT:
                    raise TransportError(
                        ErrorLevel.TRANSPORT,
                        "Intacct's network timed out (HTTP 524) while the request was being "
                        "processed; it may have been saved. Check Intacct before sending it again",
                        http_status=status,
                        reason="cdn-timeout",
                    )
                else:
                    return Answer(status, content, attempt)
            attempts.wait_or_give_up(failure, retry_after)

    def _send(self, url: str, body: bytes) -> tuple[int, bytes, float | None]:
        deadline = time.monotonic() + self.total_timeout
        with self._http.stream("POST", url, content=body) as response:
            chunks = []
            size = 0
            for chunk in response.iter_bytes():
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("the answer took longer than the total time limit")
                size += len(chunk)
                if size > self.max_body:
                    raise TransportError(
                        ErrorLevel.TRANSPORT,
                        f"The gateway's answer is larger than {self.max_body} bytes",
                        http_status=response.status_code,
                        reason="too-large",
                    )
                chunks.append(chunk)
            return response.status_code, b"".join(chunks), _retry_after(response)


def _connection_failure(exc: Exception, url: str, proxy: ProxyChoice) -> TransportError:
    said = underlying_message(exc)
    if proxy.url is not None:
        return TransportError(
            ErrorLevel.TRANSPORT,
            f"Could not reach the proxy {proxy.url} ({said}), set by "
            f"{proxy.source}; check the proxy address or ask your IT team whether it has changed",
            reason="proxy-unreachable",
        )
    return TransportError(
        ErrorLevel.TRANSPORT,
        f"Could not reach the Intacct gateway ({said}); check the internet "
        "connection and the gateway address",
        reason="connection",
    )


def underlying_message(exc: BaseException) -> str:
    """What the operating system or httpx said about a failed connection, redacted.

    The fix catalogue tells the causes apart by these words: "[Errno -2] Name or service not
    known" (the name look-up failed) is not "[Errno 111] Connection refused" nor "timed out".
    A time-out is named as one even when the library's own words are only "timed out".
    """
    name = type(exc).__name__
    words = " ".join(str(exc).split())[:300]
    if isinstance(exc, httpx.TimeoutException):
        words = f"the connection timed out: {words}" if words else "the connection timed out"
    return redact(f"{name}: {words}" if words else name)


_PROXY_STATUS = re.compile(r"\b([1-5]\d\d)\b")


def _proxy_failure(exc: httpx.ProxyError, proxy: ProxyChoice) -> TransportError:
    """The proxy refused the tunnel to Intacct: a sign-in (407) or another refusal."""
    found = _PROXY_STATUS.search(str(exc))
    status = int(found.group(1)) if found else None
    where = proxy.url or "the proxy"
    if status == 407:
        summary = (
            f"The proxy {where} asked for a sign-in (HTTP 407 Proxy Authentication Required)"
            + (" and did not accept the saved proxy user and password" if proxy.user else "")
        )
        return TransportError(
            ErrorLevel.TRANSPORT, summary, http_status=407, reason="proxy-sign-in"
        )
    said = f"HTTP {status}" if status else "a refusal"
    return TransportError(
        ErrorLevel.TRANSPORT,
        f"The proxy {where} would not connect to Intacct (it answered {said})",
        http_status=status,
        reason="proxy-refused",
    )


def _certificate_failure(exc: BaseException, url: str) -> TransportError | None:
    """A TransportError naming the certificate problem, when `exc` was caused by one."""
    cause: BaseException | None = exc
    seen = 0
    while cause is not None and seen < 10:
        if isinstance(cause, ssl.SSLCertVerificationError):
            host = urllib.parse.urlsplit(url).hostname or url
            reason = cause.verify_message or cause.reason or "not trusted"
            return TransportError(
                ErrorLevel.TRANSPORT,
                f"The certificate presented for {host} could not be verified ({reason}): "
                "this computer does not trust who issued it",
                reason="certificate-untrusted",
            )
        cause = cause.__cause__ or cause.__context__
        seen += 1
    return None


def _status_summary(status: int) -> str:
    if status == 429:
        return "Intacct's rate limit was hit (HTTP 429, GW-0010)"
    return f"Intacct's gateway is not available right now (HTTP {status})"


def _for_log(body: bytes) -> str:
    text = body[:20000].decode("utf-8", "replace")
    return redact(text)
