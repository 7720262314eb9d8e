"""Which proxy the wizard picks for an address, and why (the stdlib's lookups, fed by hand).

`choose_proxy` takes the standard library's readers of the system settings as arguments; here
they are given the settings a Windows registry, a macOS configuration or the environment
would hold, so the decision is shown on every operating system. The real-socket behaviour
(environment variables, NO_PROXY, a real proxy) is in test_corporate_network.py.
"""

from __future__ import annotations

import urllib.request

import pytest

from wizard.gateway import NetworkSettings, NetworkSettingsError, ProxyMode
from wizard.gateway.network import check_proxy_url, choose_proxy
from wizard.redaction import MASK, redact

INTACCT = "https://api.intacct.com/ia/xml/xmlgw.phtml"


def _no_bypass(host: str) -> bool:
    return False


def test_a_proxy_from_the_operating_system_is_used_and_named() -> None:
    choice = choose_proxy(
        INTACCT,
        NetworkSettings(),
        system_proxies=lambda: {"https": "http://proxy.corp.example:8080"},
        environment_proxies=dict,
        bypass=_no_bypass,
    )
    assert choice.url == "http://proxy.corp.example:8080"
    assert "settings" in choice.source  # Windows / macOS / system settings, not a variable


def test_the_environment_is_named_and_all_proxy_counts() -> None:
    env = {"all": "http://proxy.corp.example:3128"}
    choice = choose_proxy(
        INTACCT,
        NetworkSettings(),
        system_proxies=lambda: env,
        environment_proxies=lambda: env,
        bypass=_no_bypass,
    )
    assert choice.url == "http://proxy.corp.example:3128"
    assert choice.source == "the ALL_PROXY environment variable"


def test_the_bypass_list_sends_the_host_directly() -> None:
    choice = choose_proxy(
        INTACCT,
        NetworkSettings(),
        system_proxies=lambda: {"https": "http://proxy.corp.example:8080"},
        environment_proxies=dict,
        bypass=lambda host: host == "api.intacct.com",
    )
    assert choice.direct
    assert "api.intacct.com is listed" in choice.source


def test_no_proxy_environment_is_honoured_with_the_stdlib_rules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.corp.example:8080")
    monkeypatch.setenv("NO_PROXY", ".intacct.com")
    choice = choose_proxy(
        INTACCT,
        NetworkSettings(),
        system_proxies=urllib.request.getproxies_environment,
        bypass=urllib.request.proxy_bypass_environment,
    )
    assert choice.direct
    other = choose_proxy("https://example.org/", NetworkSettings())
    assert other.url == "http://proxy.corp.example:8080"


def test_this_computer_is_always_reached_directly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.corp.example:8080")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    for url in ("http://127.0.0.1:8123/ia/xml/xmlgw.phtml", "http://localhost:1/", "http://[::1]/"):
        assert choose_proxy(url, NetworkSettings()).direct, url


def test_the_connection_can_say_no_proxy_or_name_one() -> None:
    busy = {"https": "http://proxy.corp.example:8080"}
    none = choose_proxy(
        INTACCT, NetworkSettings(proxy_mode=ProxyMode.NONE), system_proxies=lambda: busy
    )
    assert none.direct
    manual = choose_proxy(
        INTACCT,
        NetworkSettings(
            proxy_mode=ProxyMode.MANUAL,
            proxy_url="other-proxy.corp.example:9090",
            proxy_user="svc",
            proxy_password="pw-from-keyring",
        ),
        system_proxies=lambda: busy,
    )
    assert manual.url == "http://other-proxy.corp.example:9090"
    assert (manual.user, manual.password) == ("svc", "pw-from-keyring")
    assert "pw-from-keyring" not in repr(manual) + manual.describe()


def test_credentials_in_a_proxy_variable_are_used_but_never_shown() -> None:
    password = "Sekr3t-in-the-url"
    env = {"https": f"http://jo%40corp:{password}@proxy.corp.example:8080"}
    choice = choose_proxy(
        INTACCT,
        NetworkSettings(proxy_user="ignored", proxy_password="ignored-too"),
        system_proxies=lambda: env,
        environment_proxies=lambda: env,
        bypass=_no_bypass,
    )
    assert choice.url == "http://proxy.corp.example:8080"
    assert (choice.user, choice.password) == ("jo@corp", password)
    assert password not in choice.describe()
    assert redact(f"failed: {password}") == f"failed: {MASK}"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("proxy corp", "not valid"),
        ("ftp://proxy.corp.example:21", "not valid"),
        ("http://jo:pw@proxy.corp.example:8080", "password"),
        ("http://proxy.corp.example:99999", "port"),
    ],
)
def test_a_bad_proxy_address_gets_a_clear_message(typed: str, says: str) -> None:
    with pytest.raises(NetworkSettingsError, match=says):
        check_proxy_url(typed)
    assert check_proxy_url(" proxy.corp.example:8080 ") == "http://proxy.corp.example:8080"
