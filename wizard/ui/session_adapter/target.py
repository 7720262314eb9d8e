"""What is being connected: the demo company or a saved connection, with its passwords."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wizard.checks import PostingChoices
from wizard.checks.connect import (
    FoundSecrets,
    demo_profile,
    demo_rest_profile,
    secrets_for_profile,
)
from wizard.checks.context import SecretsKept
from wizard.connection import (
    ConnectionMethod,
    CustomNeeds,
    Mappings,
    Profile,
    ProfileStore,
    Secrets,
)
from wizard.redaction import remember_secret

if TYPE_CHECKING:
    from wizard.sandbox import Sandbox


@dataclass(frozen=True)
class Target:
    """One connection to test and sync: its settings, where the passwords came from."""

    profile: Profile
    found: FoundSecrets
    demo: bool = False

    @property
    def posting(self) -> PostingChoices:
        """Where the sync posts (accounts, payments, numbering): kept in the profile."""
        return self.profile.posting

    def with_choices(
        self,
        entity_id: str,
        mappings: Mappings | None = None,
        posting: PostingChoices | None = None,
    ) -> Target:
        profile = self.profile.replace(entity_id=entity_id)
        if mappings is not None:
            profile = profile.replace(mappings=mappings)
        if posting is not None:
            profile = profile.replace(posting=posting)
        return dataclasses.replace(self, profile=profile)

    def with_start_date(self, since: dt.date) -> Target:
        """The same connection, syncing (and test-posting) from `since`."""
        sync = dataclasses.replace(self.profile.sync, start_date=since)
        return dataclasses.replace(self, profile=self.profile.replace(sync=sync))


def demo_target(
    sandbox: Sandbox,
    integration: str = "this-program",
    custom: CustomNeeds | None = None,
    method: ConnectionMethod = ConnectionMethod.XML,
) -> Target:
    """The demo company, over the XML gateway with the demo sender, or over the REST API
    signed in as the demo admin would be ("Sign in with Sage Intacct", then Accept)."""
    creds = sandbox.credentials
    # The demo's choices (resources/checks/demo.toml) come in the profile, posting included.
    if method is ConnectionMethod.REST:
        app = sandbox.rest_app
        profile = demo_rest_profile(
            sandbox.rest_base_url, app.client_id, app.redirect_uri, creds.company_id, creds.user_id
        )
        secrets = Secrets(
            "", "", client_secret=app.client_secret, refresh_token=sandbox.rest.oauth.demo_sign_in()
        )
    else:
        profile = demo_profile(sandbox.endpoint, creds.sender_id, creds.company_id, creds.user_id)
        remember_secret(creds.sender_password)
        remember_secret(creds.user_password)
        secrets = Secrets(creds.sender_password, creds.user_password)
    profile = profile.replace(integration=integration, custom=custom or CustomNeeds())
    return Target(
        profile, FoundSecrets(secrets, "the demo company", kept=SecretsKept.BUILT_IN), demo=True
    )


def demo_faults(sandbox: Sandbox, method: ConnectionMethod) -> tuple[tuple[str, str], ...]:
    """(name, description) of the demo faults that show over `method`: a fault the other
    method alone has would change nothing the admin sees."""
    from wizard.sandbox import SCENARIOS

    if method is ConnectionMethod.REST:
        answers = sandbox.rest.data.answers
        shown = [n for n in SCENARIOS if n in answers and answers[n].at != "none"]
    else:
        shown = [n for n, scenario in SCENARIOS.items() if scenario.level != "rest"]
    return tuple((name, SCENARIOS[name].description) for name in shown)


def profile_target(name: str) -> Target:
    """A saved connection with its passwords from the keyring (or why there are none)."""
    store = ProfileStore()
    profile = store.load(name)
    return Target(profile, secrets_for_profile(store, name))


def save_choices(target: Target) -> None:
    """Keep the entity, mappings and posting choices made in the wizard with the saved
    connection."""
    if target.demo:
        return
    store = ProfileStore()
    saved = store.load(target.profile.name)
    store.save(
        saved.replace(
            entity_id=target.profile.entity_id,
            mappings=target.profile.mappings,
            posting=target.profile.posting,
        )
    )
    store.set_last_used(saved.name)
