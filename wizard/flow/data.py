"""What the wizard has gathered so far: one immutable value, replaced page by page.

Secrets never live here. Passwords go from the Credentials page straight to the OS keyring (or,
typed on the Passwords page to diagnose, into this session's memory), so this value can be
logged, copied onto the Back stack and shown in a report as it is.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from typing import Any

from wizard.connection import ConnectionMethod, CustomNeeds


class Route(enum.StrEnum):
    """The three ways through the wizard, chosen on the Welcome page."""

    NEW = "new"  # set up a new connection
    DIAGNOSE = "diagnose"  # check a saved connection
    DEMO = "demo"  # the built-in sandbox company


class PermissionModel(enum.StrEnum):
    """How the Intacct company grants permissions (Company > Setup > Configuration)."""

    USER_BASED = "user-based"
    ROLE_BASED = "role-based"


@dataclass(frozen=True)
class WizardData:
    """Everything the pages have decided so far. Replace it, never mutate it."""

    route: Route | None = None
    profile: str | None = None  # the saved connection being diagnosed or created
    # The integration being connected (resources/integrations/<id>.toml); the wizard's own
    # sync by default. Another integration ends with a trial run instead of the first sync.
    integration: str = "this-program"
    # For integration "custom" (Other / not listed): the objects and operations the admin ticked.
    custom: CustomNeeds = field(default_factory=CustomNeeds)
    # How the connection talks to Intacct: the XML gateway, or the REST API (OAuth 2.0). Over
    # REST the wizard checks the connection and stops there: its own mappings, trial and sync
    # use the XML gateway.
    method: ConnectionMethod = ConnectionMethod.XML
    permission_model: PermissionModel | None = None
    prepared_steps: frozenset[str] = frozenset()  # checklist step ids the admin ticked
    company_id: str = ""
    user_id: str = ""
    sender_id: str = ""
    entity_id: str = ""  # typed on Credentials; empty means the top level
    credentials_saved: bool = False
    # Diagnose: the saved connection's passwords are not in a password store on this computer,
    # so the Passwords page asks for them; `passwords_typed`: they were (never the passwords).
    passwords_needed: bool = False
    passwords_typed: bool = False
    connection_ok: bool | None = None  # None until the connection test has run
    entities: tuple[str, ...] = ()  # entities the user can reach, found by the test
    entity_choice: str | None = None  # chosen on the Entity page; "" means the top level
    flows: tuple[str, ...] = ()
    default_location: str = ""
    default_department: str = ""
    dimension_map: tuple[tuple[str, str], ...] = ()  # (integration field, Intacct dimension)
    custom_field_map: tuple[tuple[str, str], ...] = ()  # (integration field, Intacct field)
    sync_finished: bool = False
    trial_finished: bool = False
    retry_requested: bool = False
    extra: tuple[tuple[str, str], ...] = field(default=())  # room for later pages, as pairs

    def replace(self, **changes: Any) -> WizardData:
        return dataclasses.replace(self, **changes)

    # Derived facts the flow's requirements refer to by name (see pages.PageSpec.needs).

    @property
    def connection_ready(self) -> bool:
        """Whether there is something to test: demo company, saved profile, or saved secrets."""
        if self.route is Route.DEMO:
            return True
        if self.route is Route.DIAGNOSE:
            return bool(self.profile) and (self.passwords_typed or not self.passwords_needed)
        if self.over_rest:  # the app's client ID and secret stand in for the sender
            return self.credentials_saved and bool(self.company_id)
        return self.credentials_saved and bool(self.company_id and self.user_id and self.sender_id)

    @property
    def own_sync(self) -> bool:
        """True when the wizard's own sync is being set up (Mappings and First sync follow)."""
        return self.integration == "this-program"

    @property
    def over_rest(self) -> bool:
        return self.method is ConnectionMethod.REST

    @property
    def choices_pending(self) -> bool:
        """True while the sync's accounts, custom fields and posting settings are still to be
        chosen (on Mappings, after the connection test): nothing to check about them yet. A
        saved connection being diagnosed has its choices; another integration, or a
        connection over the REST API, has no Mappings."""
        own = self.own_sync and not self.over_rest
        return own and self.route in (Route.NEW, Route.DEMO) and not self.flows

    @property
    def tested(self) -> bool:
        return self.connection_ok is not None

    @property
    def entity_decided(self) -> bool:
        return not self.entities or self.entity_choice is not None

    def describe(self) -> dict[str, object]:
        """A plain summary for logs and reports (there is nothing secret in it)."""
        summary: dict[str, object] = {}
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if isinstance(value, enum.Enum):
                value = value.value
            elif isinstance(value, frozenset):
                value = sorted(value)
            elif isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, CustomNeeds):
                value = value.to_dict()
            summary[item.name] = value
        return summary
