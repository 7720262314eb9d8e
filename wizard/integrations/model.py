"""What an integration profile says: who connects, with which sender and user, and what it needs.

Loaded from resources/integrations/*.toml by `catalogue.py`. Everything is immutable; the
checks (wizard/checks) and the wizard's pages read it, never change it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from wizard.connection import ConnectionMethod

# Intacct's rights on a permission, in the order its Permissions page shows them.
OPERATIONS = ("list", "view", "add", "edit", "delete")
READ_OPERATIONS = frozenset({"list", "view"})
WRITE_OPERATIONS = frozenset({"add", "edit", "delete"})

# The integration the wizard's own sync is (today's behaviour, the default).
OWN_INTEGRATION_ID = "this-program"


class Level(enum.StrEnum):
    """Where an integration's rule says the connection (or a record) must live."""

    TOP = "top"
    ENTITY = "entity"
    EITHER = "either"


@dataclass(frozen=True, slots=True)
class Permission:
    """One permission as Intacct's Permissions page shows it: module › permission, for an object.

    `module` is the application code (AR, GL, ...), `module_name` Intacct's name for it
    ("Accounts Receivable"), `name` the permission's name on that page ("Invoices").
    """

    object: str
    module: str
    module_name: str
    name: str
    source: str  # where the module › permission name for this object comes from

    @property
    def shown(self) -> str:
        return f"{self.module_name} › {self.name}"


@dataclass(frozen=True, slots=True)
class Need:
    """What the integration needs on one object: the operations, and who says so."""

    permission: Permission
    operations: tuple[str, ...]  # a subset of OPERATIONS, in that order
    source: str  # the vendor's page that asks for it
    note: str = ""

    @property
    def object(self) -> str:
        return self.permission.object

    @property
    def module(self) -> str:
        return self.permission.module


@dataclass(frozen=True, slots=True)
class Sender:
    """The Web Services sender ID the vendor uses. `ids` empty: the vendor does not publish it."""

    ids: tuple[str, ...]
    case_rule: str  # e.g. "lower case only", "exactly as shown"
    source: str = ""

    @property
    def published(self) -> bool:
        return bool(self.ids)


@dataclass(frozen=True, slots=True)
class SuggestedUser:
    """The Web Services user the vendor suggests creating."""

    name: str
    user_type: str  # "Business"
    admin: str  # "Full"
    source: str


@dataclass(frozen=True, slots=True)
class EntityRule:
    """Where the connection must sign in (top level or an entity), and why."""

    level: Level
    text: str  # in the admin's words
    source: str


@dataclass(frozen=True, slots=True)
class Setting:
    """A module setting the integration depends on, and how the wizard checks it.

    `check` is the id of the wizard check that reads it; empty when Intacct does not tell
    (then `how` says what the admin looks at and the wizard reports "could not verify").
    """

    module: str
    name: str
    value: str
    how: str
    check: str
    source: str


@dataclass(frozen=True, slots=True)
class DocumentKind:
    """A kind of document the integration writes (e.g. expense reports)."""

    name: str
    object: str
    source: str


@dataclass(frozen=True, slots=True)
class Package:
    """The vendor's customization package the admin installs in Intacct."""

    name: str
    text: str
    source: str


@dataclass(frozen=True, slots=True)
class Methods:
    """How the integration signs in to Intacct, the usual way first: the XML gateway (a sender
    ID and a Web Services user) and/or the REST API (an app's client ID and secret)."""

    offered: tuple[ConnectionMethod, ...]
    source: str

    @property
    def default(self) -> ConnectionMethod:
        return self.offered[0]


XML_ONLY = Methods(
    (ConnectionMethod.XML,),
    "chosen: the XML gateway, the way every integration could sign in before the REST API",
)


@dataclass(frozen=True, slots=True)
class Integration:
    id: str
    name: str
    vendor: str
    sender: Sender
    user: SuggestedUser
    needs: tuple[Need, ...]
    entity_rules: tuple[EntityRule, ...] = ()
    settings: tuple[Setting, ...] = ()
    reads: tuple[str, ...] = ()  # objects
    writes: tuple[DocumentKind, ...] = ()
    package: Package | None = None
    steps: tuple[str, ...] = ()  # vendor-specific steps for the Prepare page
    links: tuple[str, ...] = ()
    origin: str = ""  # the file it came from
    methods: Methods = XML_ONLY

    @property
    def is_own(self) -> bool:
        """True for the wizard's own sync (`this-program`)."""
        return self.id == OWN_INTEGRATION_ID

    @property
    def sender_text(self) -> str:
        """The sender ID to authorise, or what to do when the vendor does not publish it."""
        if self.sender.published:
            return " or ".join(self.sender.ids)
        if self.is_own:
            return "the sender ID of your Web Services developer licence"
        return f"ask {self.vendor} for it"

    def need_for(self, object_name: str) -> Need:
        for need in self.needs:
            if need.object == object_name:
                return need
        raise KeyError(f"{self.name} has no need on {object_name}.")

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of `intacct-wizard integrations --json`."""
        return {
            "id": self.id,
            "name": self.name,
            "vendor": self.vendor,
            "sender_ids": list(self.sender.ids),
            "sender_case": self.sender.case_rule,
            "user": {
                "name": self.user.name,
                "type": self.user.user_type,
                "admin": self.user.admin,
            },
            "needs": [
                {
                    "module": n.module,
                    "module_name": n.permission.module_name,
                    "permission": n.permission.name,
                    "object": n.object,
                    "operations": list(n.operations),
                    "source": n.source,
                }
                for n in self.needs
            ],
            "entity_rules": [{"level": r.level.value, "text": r.text} for r in self.entity_rules],
            "settings": [
                {"module": s.module, "name": s.name, "value": s.value, "check": s.check or None}
                for s in self.settings
            ],
            "methods": [m.value for m in self.methods.offered],
            "reads": list(self.reads),
            "writes": [{"name": w.name, "object": w.object} for w in self.writes],
            "package": None if self.package is None else self.package.name,
            "links": list(self.links),
        }
