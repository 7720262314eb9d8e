"""Is this computer's proxy chosen by a script (PAC) or found automatically (WPAD)?

Such a setup names no proxy the standard library can read: the script decides per address.
The wizard does not run PAC scripts (that needs a JavaScript engine; the one Python library
that does it, pypac, brings requests and a JavaScript runtime with it), so it detects the
setup and explains how to find the proxy the script picks for Intacct.

Windows keeps the script's address in the registry (Internet Settings, AutoConfigURL) and the
"Automatically detect settings" switch in the DefaultConnectionSettings blob; macOS shows both
in `scutil --proxy`.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

_INTERNET_SETTINGS = r"Software\Microsoft\Windows\CurrentVersion\Internet Settings"
_AUTO_DETECT_FLAG = 0x08  # PROXY_TYPE_AUTO_DETECT in the connection settings' flags byte


@dataclass(frozen=True)
class AutoConfig:
    """An automatic proxy setup found in the system settings."""

    script_url: str = ""  # the PAC script's address, when one is set
    auto_detect: bool = False  # WPAD: the network tells where the script is

    @property
    def found(self) -> bool:
        return bool(self.script_url) or self.auto_detect

    def describe(self) -> str:
        if self.script_url:
            return f"an automatic configuration script ({self.script_url})"
        return "automatic proxy detection (WPAD)"


def parse_scutil(text: str) -> AutoConfig:
    """The automatic setup in the output of macOS `scutil --proxy`."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(" : ")
        if sep:
            values[key.strip()] = value.strip()
    script = values.get("ProxyAutoConfigURLString", "")
    enabled = values.get("ProxyAutoConfigEnable") == "1"
    return AutoConfig(
        script_url=script if enabled else "",
        auto_detect=values.get("ProxyAutoDiscoveryEnable") == "1",
    )


def parse_windows(auto_config_url: str, connection_settings: bytes) -> AutoConfig:
    """The automatic setup in the Windows Internet Settings values."""
    flags = connection_settings[8] if len(connection_settings) > 8 else 0
    return AutoConfig(
        script_url=auto_config_url.strip(), auto_detect=bool(flags & _AUTO_DETECT_FLAG)
    )


def _read_windows() -> AutoConfig:  # pragma: no cover - Windows only
    import winreg

    def value(path: str, name: str) -> object:
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, path) as key:  # type: ignore[attr-defined,unused-ignore]
                return winreg.QueryValueEx(key, name)[0]  # type: ignore[attr-defined,unused-ignore]
        except OSError:
            return None

    url = value(_INTERNET_SETTINGS, "AutoConfigURL")
    blob = value(_INTERNET_SETTINGS + r"\Connections", "DefaultConnectionSettings")
    return parse_windows(
        url if isinstance(url, str) else "", blob if isinstance(blob, bytes) else b""
    )


def _read_macos() -> AutoConfig:  # pragma: no cover - macOS only
    try:
        done = subprocess.run(
            ["/usr/sbin/scutil", "--proxy"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return AutoConfig()
    return parse_scutil(done.stdout)


def detect_auto_config(platform: str | None = None) -> AutoConfig:
    """The automatic proxy setup of this computer (empty when there is none, or on Linux)."""
    platform = platform or sys.platform
    readers: dict[str, Callable[[], AutoConfig]] = {"win32": _read_windows, "darwin": _read_macos}
    reader = readers.get(platform)
    return reader() if reader is not None else AutoConfig()
