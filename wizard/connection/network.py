"""The connection's network settings as the admin types them: checked field by field, and the
proxy this computer's own settings give, in words (for the Credentials page's Network section).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from wizard.connection.profile import NetworkChoices
from wizard.connection.validation import DEFAULT_ENDPOINT, Status, Validation
from wizard.gateway import NetworkSettings, NetworkSettingsError, ProxyMode
from wizard.gateway.network import check_proxy_url, choose_proxy
from wizard.redaction import remember_secret


@dataclass(frozen=True)
class NetworkInput:
    """What the Network section holds (the proxy password goes to the keyring, never a file)."""

    proxy_mode: str = ProxyMode.SYSTEM.value
    proxy_url: str = ""
    proxy_user: str = ""
    proxy_password: str = field(default="", repr=False)
    extra_ca_file: str = ""

    def __post_init__(self) -> None:
        remember_secret(self.proxy_password)


def validate_network(values: NetworkInput) -> dict[str, Validation]:
    """One verdict per field: proxy_url, proxy_user, proxy_password, extra_ca_file."""
    mode = values.proxy_mode
    found: dict[str, Validation] = {
        "proxy_url": Validation(Status.OK, values.proxy_url.strip()),
        "proxy_user": Validation(Status.OK, values.proxy_user.strip()),
        "proxy_password": Validation(Status.OK, values.proxy_password),
        "extra_ca_file": Validation(Status.OK, values.extra_ca_file.strip()),
    }
    if mode == ProxyMode.MANUAL and not values.proxy_url.strip():
        found["proxy_url"] = Validation(
            Status.ERROR,
            values.proxy_url,
            "Type the proxy address (for example http://proxy.example.com:8080), or choose "
            "another option above.",
        )
    elif mode == ProxyMode.MANUAL:
        try:
            found["proxy_url"] = Validation(Status.OK, check_proxy_url(values.proxy_url))
        except NetworkSettingsError as error:
            found["proxy_url"] = Validation(Status.ERROR, values.proxy_url, str(error))
    if mode != ProxyMode.NONE and values.proxy_password and not values.proxy_user.strip():
        found["proxy_user"] = Validation(
            Status.ERROR,
            values.proxy_user,
            "Type the proxy user name that goes with the proxy password (or clear the password).",
        )
    ca_file = values.extra_ca_file.strip()
    if ca_file and not Path(ca_file).expanduser().is_file():
        found["extra_ca_file"] = Validation(
            Status.ERROR,
            values.extra_ca_file,
            f"There is no file at {ca_file}. Choose the certificate file your IT team gave you "
            "(a .pem or .crt file), or clear the field.",
        )
    return found


def network_choices(values: NetworkInput) -> NetworkChoices:
    """The settings to save; raises ProfileDataError (naming the setting) when unusable."""
    return NetworkChoices(
        proxy_mode=ProxyMode(values.proxy_mode),
        proxy_url=check_proxy_url(values.proxy_url) if values.proxy_url.strip() else "",
        proxy_user=values.proxy_user.strip() if values.proxy_mode != ProxyMode.NONE else "",
        extra_ca_file=values.extra_ca_file.strip(),
    )


def system_proxy_sentence(endpoint: str = DEFAULT_ENDPOINT) -> str:
    """Which proxy this computer's own settings give for `endpoint`, in one short sentence."""
    try:
        choice = choose_proxy(endpoint, NetworkSettings())
    except NetworkSettingsError:
        choice = None
    if choice is None or choice.url is None:
        proxy = "Intacct is reached directly (this computer has no proxy set)"
    else:
        proxy = f"Intacct is reached through the proxy {choice.url} ({choice.source})"
    return f"Network: {proxy}, with the certificates this computer trusts."
