"""A saved connection and its passwords, as the gateway client signs in with them."""

from __future__ import annotations

from wizard.connection.profile import Profile
from wizard.connection.secrets import Secrets
from wizard.gateway import Credentials


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
