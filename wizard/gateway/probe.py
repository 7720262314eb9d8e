"""Can this computer reach the gateway, and if not, where does the path break?

`probe(url, settings)` walks the path a request takes, one step at a time, and says which
step failed: looking up the name, connecting (directly or to the proxy), the proxy's answer
to CONNECT (a sign-in asked for with 407, a refusal, Intacct unreachable from the proxy), and
the TLS handshake verified against the operating system's trust store. It sends no request
to Intacct: nothing but a CONNECT line and a TLS handshake leave this computer.

When the certificate is not trusted, a second handshake (its certificate is only read, never
trusted; nothing is sent over it) learns who issued the certificate, so the finding can name
the authority IT has to install, or the impostor it must not.
"""

from __future__ import annotations

import base64
import enum
import socket
import ssl
import urllib.parse
from dataclasses import dataclass

from wizard.gateway.certificates import CertificateFormatError, CertificateNames, certificate_names
from wizard.gateway.network import (
    NetworkSettings,
    NetworkSettingsError,
    ProxyChoice,
    choose_proxy,
    describe_trust,
    ssl_context,
)

_MAX_PROXY_ANSWER = 64 * 1024


class ProbeOutcome(enum.StrEnum):
    OK = "ok"
    SETTINGS = "network-settings"  # the connection's network settings cannot be used
    NAME_NOT_FOUND = "name-not-found"  # direct: the gateway's name does not resolve
    NO_ROUTE = "no-route"  # direct: no connection to the gateway
    PROXY_UNREACHABLE = "proxy-unreachable"  # no connection to the proxy
    PROXY_SIGN_IN = "proxy-sign-in"  # the proxy answered 407
    PROXY_REFUSED = "proxy-refused"  # the proxy answered CONNECT with a refusal (403, …)
    UNREACHABLE_THROUGH_PROXY = "unreachable-through-proxy"  # 502/503/504 from the proxy
    CERTIFICATE_UNTRUSTED = "certificate-untrusted"
    TLS_FAILED = "tls-failed"  # the handshake failed for another reason


@dataclass(frozen=True)
class Probe:
    outcome: ProbeOutcome
    host: str
    port: int
    proxy: ProxyChoice
    trust: str  # the trust store used, in words
    detail: str = ""  # what was seen: an OS error, the proxy's status line, a verify message
    proxy_status: int | None = None
    sign_in_schemes: tuple[str, ...] = ()  # Proxy-Authenticate: Basic, NTLM, Negotiate, …
    certificate: CertificateNames | None = None  # the untrusted certificate's names

    @property
    def ok(self) -> bool:
        return self.outcome is ProbeOutcome.OK


class _Stop(Exception):
    """A step failed: how, and what was seen."""

    def __init__(
        self,
        outcome: ProbeOutcome,
        detail: str = "",
        status: int | None = None,
        schemes: tuple[str, ...] = (),
    ) -> None:
        super().__init__(detail)
        self.outcome = outcome
        self.detail = detail
        self.status = status
        self.schemes = schemes


def _target(url: str) -> tuple[str, str, int]:
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme or "https"
    return scheme, parts.hostname or "", parts.port or (443 if scheme == "https" else 80)


def _read_proxy_answer(sock: socket.socket) -> tuple[int, str, list[tuple[str, str]]]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
        if len(data) > _MAX_PROXY_ANSWER:
            break
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise _Stop(ProbeOutcome.PROXY_REFUSED, "the proxy's answer to CONNECT was not HTTP")
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip().lower(), value.strip()))
    return int(parts[1]), lines[0], headers


def _open(
    proxy: ProxyChoice, host: str, port: int, settings: NetworkSettings, timeout: float
) -> socket.socket:
    """A connected socket to host:port, through the proxy's tunnel when there is one."""
    if proxy.url is None:
        try:
            return socket.create_connection((host, port), timeout=timeout)
        except socket.gaierror as error:
            raise _Stop(ProbeOutcome.NAME_NOT_FOUND, error.strerror or str(error)) from None
        except OSError as error:
            raise _Stop(ProbeOutcome.NO_ROUTE, _os_error(error)) from None
    proxy_scheme, proxy_host, proxy_port = _target(proxy.url)
    try:
        sock = socket.create_connection((proxy_host, proxy_port), timeout=timeout)
    except OSError as error:
        raise _Stop(ProbeOutcome.PROXY_UNREACHABLE, _os_error(error)) from None
    try:
        if proxy_scheme == "https":
            sock = ssl_context(settings).wrap_socket(sock, server_hostname=proxy_host)
        lines = [f"CONNECT {host}:{port} HTTP/1.1", f"Host: {host}:{port}"]
        if proxy.user:
            token = base64.b64encode(f"{proxy.user}:{proxy.password}".encode()).decode()
            lines.append(f"Proxy-Authorization: Basic {token}")
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        status, line, headers = _read_proxy_answer(sock)
    except _Stop:
        sock.close()
        raise
    except ssl.SSLCertVerificationError as error:
        sock.close()
        raise _Stop(ProbeOutcome.CERTIFICATE_UNTRUSTED, _verify_message(error)) from None
    except OSError as error:
        sock.close()
        raise _Stop(ProbeOutcome.PROXY_UNREACHABLE, _os_error(error)) from None
    if 200 <= status < 300:
        return sock
    sock.close()
    if status == 407:
        schemes = tuple(v.split(" ", 1)[0] for k, v in headers if k == "proxy-authenticate" and v)
        raise _Stop(ProbeOutcome.PROXY_SIGN_IN, line, status=status, schemes=schemes)
    if status in (502, 503, 504):
        raise _Stop(ProbeOutcome.UNREACHABLE_THROUGH_PROXY, line, status=status)
    raise _Stop(ProbeOutcome.PROXY_REFUSED, line, status=status)


def _os_error(error: OSError) -> str:
    if isinstance(error, TimeoutError | socket.timeout):
        return "no answer in time"
    return error.strerror or type(error).__name__


def _verify_message(error: ssl.SSLCertVerificationError) -> str:
    return str(error.verify_message or error.reason or "certificate not trusted")


def _presented_certificate(
    proxy: ProxyChoice, host: str, port: int, settings: NetworkSettings, timeout: float
) -> CertificateNames | None:
    """Who the certificate presented for host names (read only: never trusted, nothing sent)."""
    reader = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    reader.check_hostname = False
    reader.verify_mode = ssl.CERT_NONE  # only to read the names for the message
    try:
        with (
            _open(proxy, host, port, settings, timeout) as raw,
            reader.wrap_socket(raw, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
    except (_Stop, OSError):
        return None
    if not der:
        return None
    try:
        return certificate_names(der)
    except CertificateFormatError:
        return None


def probe(url: str, settings: NetworkSettings, timeout: float = 5.0) -> Probe:
    """Walk the path to `url` and report the first step that fails (or OK)."""
    scheme, host, port = _target(url)
    try:
        proxy = choose_proxy(url, settings)
        context = ssl_context(settings)
    except NetworkSettingsError as error:
        return Probe(
            ProbeOutcome.SETTINGS, host, port, ProxyChoice(None, ""), "", detail=str(error)
        )
    trust = describe_trust(settings)
    try:
        with _open(proxy, host, port, settings, timeout) as sock:
            if scheme != "https":
                return Probe(ProbeOutcome.OK, host, port, proxy, trust)
            try:
                with context.wrap_socket(sock, server_hostname=host):
                    pass
            except ssl.SSLCertVerificationError as error:
                message = _verify_message(error)
            except (ssl.SSLError, OSError) as error:
                return Probe(ProbeOutcome.TLS_FAILED, host, port, proxy, trust, _os_error(error))
            else:
                return Probe(ProbeOutcome.OK, host, port, proxy, trust)
    except _Stop as stop:
        return Probe(
            stop.outcome,
            host,
            port,
            proxy,
            trust,
            stop.detail,
            proxy_status=stop.status,
            sign_in_schemes=stop.schemes,
        )
    names = _presented_certificate(proxy, host, port, settings, timeout)
    return Probe(
        ProbeOutcome.CERTIFICATE_UNTRUSTED, host, port, proxy, trust, message, certificate=names
    )
