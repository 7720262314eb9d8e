"""A saved connection and its passwords, as the gateway client signs in and connects with them."""

from __future__ import annotations

from wizard.connection.profile import Profile
from wizard.connection.secrets import Secrets
from wizard.gateway import Credentials, NetworkSettings


def gateway_credentials(
    profile: Profile, secrets: Secrets, entity_id: str | None = None
) -> Credentials:
    """Sign-in details for `profile`; `entity_id` overrides its entity ("" = top level)."""
    entity = profile.entity_id if entity_id is None else entity_id
    return Credentials(
        sender_id=profile.sender_id,
        sender_password=secrets.sender_password,
        company_id=profile.company_id,
        user_id=profile.user_id,
        user_password=secrets.user_password,
        entity_id=entity or None,
    )


def network_settings(profile: Profile, secrets: Secrets | None = None) -> NetworkSettings:
    """The proxy and certificate settings of `profile`, with the proxy password if known."""
    network = profile.network
    return NetworkSettings(
        proxy_mode=network.proxy_mode,
        proxy_url=network.proxy_url,
        proxy_user=network.proxy_user,
        proxy_password=secrets.proxy_password if secrets is not None else "",
        extra_ca_file=network.extra_ca_file,
    )
