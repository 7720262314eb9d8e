"""How this computer reaches Intacct: which proxy (if any) and which certificates to trust.

By default the wizard does what the operating system does:
- the proxy comes from the environment (HTTPS_PROXY, ALL_PROXY, NO_PROXY) and else from the
  system's own settings, which the standard library reads (`urllib.request.getproxies`: the
  Windows registry, macOS System Configuration); the decision is made per host, so NO_PROXY
  and the system's bypass list are honoured (this computer's own addresses, where the demo
  company runs, are always reached directly);
- certificates are verified against the operating system's trust store through `truststore`
  (Windows certificate store, macOS Keychain, OpenSSL's configured paths on Linux, which
  SSL_CERT_FILE / SSL_CERT_DIR change), so a corporate root installed by IT is trusted.
Verification is never turned off.

The connection's own settings (`NetworkSettings`) may say "no proxy" or "this proxy", add a
proxy sign-in (the password comes from the keyring), and add one extra CA file.

`client_options(settings)` is the one way to build an httpx client that follows these rules
(the XML gateway transport uses it; other HTTP clients of the wizard should too).
"""

from __future__ import annotations

import enum
import ipaddress
import re
import ssl
import sys
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import truststore

from wizard.redaction import remember_secret


class ProxyMode(enum.StrEnum):
    SYSTEM = "system"  # what the environment / operating system says
    NONE = "none"  # always connect directly
    MANUAL = "manual"  # the proxy in `NetworkSettings.proxy_url`


class NetworkSettingsError(ValueError):
    """A network setting cannot be used; the message says which and what to do."""


@dataclass(frozen=True)
class NetworkSettings:
    """The connection's network choices. The proxy password is never written to a file."""

    proxy_mode: ProxyMode = ProxyMode.SYSTEM
    proxy_url: str = ""  # MANUAL only: http://proxy.example.com:8080 (no user or password)
    proxy_user: str = ""  # sign-in for whichever proxy is used
    proxy_password: str = field(default="", repr=False)
    extra_ca_file: str = ""  # PEM file trusted on top of the system's store

    def __post_init__(self) -> None:
        remember_secret(self.proxy_password)


@dataclass(frozen=True)
class ProxyChoice:
    """The proxy for one address, and where that choice came from (in words)."""

    url: str | None  # the proxy, without any user or password; None: connect directly
    source: str  # e.g. "the HTTPS_PROXY environment variable", "Windows proxy settings"
    user: str = ""
    password: str = field(default="", repr=False)

    @property
    def direct(self) -> bool:
        return self.url is None

    def describe(self) -> str:
        if self.url is None:
            return f"no proxy ({self.source})"
        signed = f", signing in as {self.user}" if self.user else ""
        return f"the proxy {self.url} (from {self.source}{signed})"


def _system_source() -> str:
    if sys.platform.startswith("win"):
        return "the Windows proxy settings"
    if sys.platform == "darwin":
        return "the macOS network settings"
    return "the system settings"


_HOST = re.compile(r"[A-Za-z0-9._:\-]+")


def check_proxy_url(url: str) -> str:
    """The proxy address as typed, or why it cannot be used (a NetworkSettingsError)."""
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    parts = urllib.parse.urlsplit(text)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or not _HOST.fullmatch(parts.hostname)
    ):
        raise NetworkSettingsError(
            f"The proxy address {url.strip()!r} is not valid: write it as "
            "http://proxy.example.com:8080 (your IT team or the browser's settings give it)."
        )
    if parts.username or parts.password:
        raise NetworkSettingsError(
            "Do not put the proxy user name or password in the proxy address: type them in "
            "the proxy sign-in fields (the password is kept in the system keyring)."
        )
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise NetworkSettingsError(
            f"The port in the proxy address {url.strip()!r} is not a number between 1 and 65535."
        ) from None
    return text


def _without_userinfo(url: str) -> tuple[str, str, str]:
    """(url without user:password, user, password), the password remembered as a secret."""
    parts = urllib.parse.urlsplit(url if "://" in url else "http://" + url)
    user = urllib.parse.unquote(parts.username or "")
    password = urllib.parse.unquote(parts.password or "")
    remember_secret(password)
    if parts.password:
        remember_secret(parts.password)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", "")), user, password


def is_loopback(host: str) -> bool:
    """127.x.x.x, ::1 and "localhost": this computer (the demo company is served there)."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


ProxyLookup = Callable[[], Mapping[str, str]]
BypassLookup = Callable[[str], bool]


def choose_proxy(
    target_url: str,
    settings: NetworkSettings,
    *,
    system_proxies: ProxyLookup = urllib.request.getproxies,
    environment_proxies: ProxyLookup = urllib.request.getproxies_environment,
    bypass: BypassLookup = urllib.request.proxy_bypass,
) -> ProxyChoice:
    """The proxy to use for `target_url` under `settings` (the lookups are the stdlib's)."""
    if settings.proxy_mode is ProxyMode.NONE:
        return ProxyChoice(None, "the connection's settings say no proxy")
    if settings.proxy_mode is ProxyMode.MANUAL:
        url = check_proxy_url(settings.proxy_url)
        return ProxyChoice(
            url, "the connection's settings", settings.proxy_user, settings.proxy_password
        )
    parts = urllib.parse.urlsplit(target_url)
    scheme, host = parts.scheme or "https", parts.hostname or ""
    if is_loopback(host):  # a proxy elsewhere can never reach this computer's own addresses
        return ProxyChoice(None, f"{host} is this computer")
    proxies = {k.lower(): v for k, v in system_proxies().items() if v}
    proxy = proxies.get(scheme) or proxies.get("all")
    if not proxy:
        return ProxyChoice(None, f"no proxy is set in the environment or {_system_source()}")
    environment = {k.lower() for k, v in environment_proxies().items() if v and k != "no"}
    if environment:
        name = f"{scheme}_proxy" if scheme in environment else "all_proxy"
        source = f"the {name.upper()} environment variable"
    else:
        source = _system_source()
    if host and bypass(parts.netloc if parts.port else host):
        listed = "NO_PROXY" if environment else "the proxy exceptions"
        return ProxyChoice(None, f"{host} is listed in {listed}")
    url, user, password = _without_userinfo(proxy)
    if not user:  # the connection's proxy sign-in applies to the system's proxy too
        user, password = settings.proxy_user, settings.proxy_password
    return ProxyChoice(url, source, user, password)


# -- certificates ---------------------------------------------------------------------------


def trust_store_name() -> str:
    """Which certificate store verifies Intacct's certificate, in words."""
    if sys.platform.startswith("win"):
        return "the Windows certificate store"
    if sys.platform == "darwin":
        return "the macOS Keychain (System Roots and the System keychain)"
    paths = ssl.get_default_verify_paths()
    where = ", ".join(p for p in (paths.cafile, paths.capath) if p) or "none found"
    return f"the system's certificates ({where})"


def ssl_context(settings: NetworkSettings) -> ssl.SSLContext:
    """A verifying TLS context: the OS trust store, plus the connection's extra CA file."""
    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if settings.extra_ca_file:
        path = Path(settings.extra_ca_file).expanduser()
        try:
            context.load_verify_locations(cafile=str(path))
        except FileNotFoundError:
            raise NetworkSettingsError(
                f"The extra certificate file {path} does not exist. Choose the file your IT "
                "team gave you (a .pem or .crt file), or clear the setting."
            ) from None
        except (ssl.SSLError, ValueError, OSError):
            raise NetworkSettingsError(
                f"The extra certificate file {path} could not be read as certificates. It "
                "must be in PEM form (text starting with -----BEGIN CERTIFICATE-----)."
            ) from None
    return context


def describe_trust(settings: NetworkSettings) -> str:
    store = trust_store_name()
    if settings.extra_ca_file:
        return f"{store}, plus the certificate file {settings.extra_ca_file}"
    return store


# -- the httpx client -----------------------------------------------------------------------


class ProxyRouter(httpx.BaseTransport):
    """Sends each request directly or through its proxy, decided per host (NO_PROXY)."""

    def __init__(self, settings: NetworkSettings, limits: httpx.Limits) -> None:
        self._settings = settings
        self._limits = limits
        # A bad extra CA file is reported at the first request (as the connection's problem),
        # not while building: nothing is sent, and without it nothing is trusted less.
        self.problem: NetworkSettingsError | None = None
        try:
            self._context = ssl_context(settings)
        except NetworkSettingsError as error:
            self.problem = error
            self._context = ssl_context(NetworkSettings())
        self._direct = httpx.HTTPTransport(verify=self._context, limits=limits)
        self._proxied: dict[tuple[str, str, str], httpx.HTTPTransport] = {}
        self._choices: dict[str, ProxyChoice] = {}
        self._lock = threading.Lock()

    def choice(self, url: str) -> ProxyChoice:
        parts = urllib.parse.urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            found = self._choices.get(key)
            if found is None:
                found = self._choices[key] = choose_proxy(url, self._settings)
            return found

    def _transport_for(self, url: str) -> httpx.HTTPTransport:
        choice = self.choice(url)
        if choice.url is None:
            return self._direct
        key = (choice.url, choice.user, choice.password)
        with self._lock:
            transport = self._proxied.get(key)
            if transport is None:
                auth = (choice.user, choice.password) if choice.user else None
                proxy = httpx.Proxy(choice.url, auth=auth)
                transport = httpx.HTTPTransport(
                    verify=self._context, limits=self._limits, proxy=proxy
                )
                self._proxied[key] = transport
            return transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.problem is not None:
            raise self.problem
        return self._transport_for(str(request.url)).handle_request(request)

    def close(self) -> None:
        with self._lock:
            transports = [self._direct, *self._proxied.values()]
            self._proxied.clear()
        for transport in transports:
            transport.close()


def client_options(
    settings: NetworkSettings | None = None, limits: httpx.Limits | None = None
) -> dict[str, Any]:
    """Keyword arguments for `httpx.Client` that follow the connection's network settings.

    `trust_env` is off because the router (`options["transport"]`, a `ProxyRouter`) makes
    the proxy decision itself, per host, with the operating system's settings, which httpx
    alone does not read."""
    router = ProxyRouter(settings or NetworkSettings(), limits or httpx.Limits())
    return {"transport": router, "trust_env": False}
