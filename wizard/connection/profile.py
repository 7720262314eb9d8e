"""A saved connection's non-secret settings, as immutable values.

Edit with `dataclasses.replace`. Passwords are never part of a profile: they live in the OS
keyring (see `secrets.py`). `to_dict`/`from_dict` give the current on-disk layout; older
layouts are brought up to date by `migrations.py` before `from_dict` sees them.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from wizard.connection.validation import DEFAULT_ENDPOINT
from wizard.gateway import NetworkSettingsError, ProxyMode
from wizard.gateway.network import check_proxy_url

DEFAULT_BATCH_SIZE = 100
MAX_BATCH_SIZE = 1000  # readByQuery pages hold at most 1000 records
DEFAULT_CONCURRENCY = 2  # Intacct's usual per-company limit on requests in flight
# The wizard's own sync (resources/integrations/this-program.toml): what v3 files were made for.
DEFAULT_INTEGRATION = "this-program"
_INTEGRATION_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ProfileDataError(ValueError):
    """The stored settings have the wrong shape; the message names the setting."""


class ConnectionMethod(enum.StrEnum):
    """How the connection talks to Intacct: the XML gateway or the REST API (OAuth 2.0)."""

    XML = "xml"
    REST = "rest"


class RestGrant(enum.StrEnum):
    """How a REST connection signs in."""

    CLIENT_CREDENTIALS = "client-credentials"  # the app's client ID and secret + a WS user
    SIGN_IN = "sign-in"  # "Sign in with Sage Intacct" (authorization code), refresh token kept


# Sage's REST API (the wizard.rest default; here too so a profile needs no REST import).
DEFAULT_REST_BASE_URL = "https://api.intacct.com/ia/api/v1"


@dataclass(frozen=True)
class RestChoices:
    """A REST connection's app registration (its secret and refresh token are in the keyring)."""

    client_id: str = ""
    grant: RestGrant = RestGrant.CLIENT_CREDENTIALS
    base_url: str = DEFAULT_REST_BASE_URL
    redirect_uri: str = ""  # for RestGrant.SIGN_IN: the https:// address registered for the app


@dataclass(frozen=True)
class Mappings:
    """How the integration's data lands in Intacct."""

    default_location: str = ""
    default_department: str = ""
    # (integration dimension, Intacct dimension) pairs, e.g. ("class", "CLASSID").
    dimensions: tuple[tuple[str, str], ...] = ()
    # (integration field, Intacct custom field) pairs.
    custom_fields: tuple[tuple[str, str], ...] = ()
    flows: tuple[str, ...] = ()  # the chosen data flows (ids from resources/sync/flows.toml)

    def dimension_map(self) -> dict[str, str]:
        return dict(self.dimensions)

    def custom_field_map(self) -> dict[str, str]:
        return dict(self.custom_fields)


PAYMENT_POSTING = ("summary", "batch", "bank", "undeposited")


@dataclass(frozen=True)
class PostingChoices:
    """Where the sync posts: what the account checks and the test posting look at."""

    gl_accounts: tuple[str, ...] = ()  # revenue, fee and discount accounts on document lines
    deposit_accounts: tuple[str, ...] = ()  # checking accounts payments are deposited to
    # How payments are recorded: "summary" (Intacct's automatic payment summaries), "batch"
    # (the integration names a summary), "bank" or "undeposited".
    payment_posting: str = "summary"
    document_number_prefix: str = ""  # "" = Intacct numbers the invoices
    # The GL account payments go to as undeposited funds ("" = payments always go to a bank).
    undeposited_account: str = ""

    def __post_init__(self) -> None:
        if self.payment_posting not in PAYMENT_POSTING:
            raise ProfileDataError(
                f"The setting 'posting.payment_posting' should be one of "
                f"{', '.join(PAYMENT_POSTING)}, not {self.payment_posting!r}."
            )


@dataclass(frozen=True)
class NetworkChoices:
    """How to reach Intacct: the system's proxy (default), no proxy, or this proxy; a proxy
    user (its password is in the keyring) and an extra CA file. Certificates are always
    verified against the operating system's store."""

    proxy_mode: ProxyMode = ProxyMode.SYSTEM
    proxy_url: str = ""  # for ProxyMode.MANUAL: http://proxy.example.com:8080
    proxy_user: str = ""  # "" = the proxy needs no sign-in
    extra_ca_file: str = ""  # a PEM file trusted on top of the system's store

    def __post_init__(self) -> None:
        if self.proxy_mode is ProxyMode.MANUAL:
            try:
                check_proxy_url(self.proxy_url)
            except NetworkSettingsError as error:
                raise ProfileDataError(f"The setting 'network.proxy_url': {error}") from None


@dataclass(frozen=True)
class SyncOptions:
    start_date: date | None = None  # sync records from this day on; None = everything
    batch_size: int = DEFAULT_BATCH_SIZE
    concurrency: int = DEFAULT_CONCURRENCY


@dataclass(frozen=True)
class CustomNeeds:
    """An integration not in resources/integrations ("Other / not listed"): what the admin
    ticked, as (object, operations) pairs, and optionally its name and sender ID. Only read
    when `Profile.integration` is "custom"; wizard.integrations turns it into an Integration."""

    name: str = ""
    sender_id: str = ""
    needs: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sender_id": self.sender_id,
            "needs": {obj: list(operations) for obj, operations in self.needs},
        }


@dataclass(frozen=True)
class LastGoodRun:
    """The last sync that finished without errors, for "what changed since" in Diagnose."""

    finished_at: datetime
    records: int = 0
    run_id: str = ""


@dataclass(frozen=True)
class Profile:
    """One saved connection. `entity_id` "" means the top level of the company."""

    name: str
    company_id: str = ""
    user_id: str = ""
    sender_id: str = ""
    entity_id: str = ""
    endpoint: str = DEFAULT_ENDPOINT
    mappings: Mappings = field(default_factory=Mappings)
    sync: SyncOptions = field(default_factory=SyncOptions)
    last_good_run: LastGoodRun | None = None
    posting: PostingChoices = field(default_factory=PostingChoices)
    network: NetworkChoices = field(default_factory=NetworkChoices)
    # The integration the connection is for (an id of resources/integrations/<id>.toml).
    integration: str = DEFAULT_INTEGRATION
    custom: CustomNeeds = field(default_factory=CustomNeeds)  # when integration is "custom"
    method: ConnectionMethod = ConnectionMethod.XML
    rest: RestChoices = field(default_factory=RestChoices)

    @property
    def top_level(self) -> bool:
        return not self.entity_id

    def to_dict(self) -> dict[str, Any]:
        """The settings as JSON-ready data (current layout, without the schema version)."""
        run = self.last_good_run
        return {
            "name": self.name,
            "company_id": self.company_id,
            "user_id": self.user_id,
            "sender_id": self.sender_id,
            "entity_id": self.entity_id,
            "endpoint": self.endpoint,
            "integration": self.integration,
            "custom_integration": self.custom.to_dict(),
            "method": self.method.value,
            "rest": {
                "client_id": self.rest.client_id,
                "grant": self.rest.grant.value,
                "base_url": self.rest.base_url,
                "redirect_uri": self.rest.redirect_uri,
            },
            "mappings": {
                "default_location": self.mappings.default_location,
                "default_department": self.mappings.default_department,
                "dimensions": dict(self.mappings.dimensions),
                "custom_fields": dict(self.mappings.custom_fields),
                "flows": list(self.mappings.flows),
            },
            "posting": {
                "gl_accounts": list(self.posting.gl_accounts),
                "deposit_accounts": list(self.posting.deposit_accounts),
                "payment_posting": self.posting.payment_posting,
                "document_number_prefix": self.posting.document_number_prefix,
                "undeposited_account": self.posting.undeposited_account,
            },
            "network": {
                "proxy_mode": self.network.proxy_mode.value,
                "proxy_url": self.network.proxy_url,
                "proxy_user": self.network.proxy_user,
                "extra_ca_file": self.network.extra_ca_file,
            },
            "sync": {
                "start_date": self.sync.start_date.isoformat() if self.sync.start_date else None,
                "batch_size": self.sync.batch_size,
                "concurrency": self.sync.concurrency,
            },
            "last_good_run": None
            if run is None
            else {
                "finished_at": run.finished_at.isoformat(),
                "records": run.records,
                "run_id": run.run_id,
            },
        }

    @classmethod
    def from_dict(cls, data: MappingABC[str, Any]) -> Profile:
        """Build from the current layout; raises ProfileDataError naming a bad setting."""
        reader = _Reader(data, "")
        mappings = _Reader(reader.table("mappings"), "mappings.")
        sync = _Reader(reader.table("sync"), "sync.")
        posting = _Reader(reader.table("posting"), "posting.")
        network = _Reader(reader.table("network"), "network.")
        rest = _Reader(reader.table("rest"), "rest.")
        custom = _Reader(reader.table("custom_integration"), "custom_integration.")
        run_data = data.get("last_good_run")
        run = None
        if run_data is not None:
            run_reader = _Reader(reader.table("last_good_run"), "last_good_run.")
            run = LastGoodRun(
                finished_at=run_reader.timestamp("finished_at"),
                records=run_reader.integer("records", 0, minimum=0),
                run_id=run_reader.text("run_id"),
            )
        name = reader.text("name")
        if not name:
            raise ProfileDataError("The setting 'name' is missing or empty.")
        return cls(
            name=name,
            company_id=reader.text("company_id"),
            user_id=reader.text("user_id"),
            sender_id=reader.text("sender_id"),
            entity_id=reader.text("entity_id"),
            endpoint=reader.text("endpoint") or DEFAULT_ENDPOINT,
            integration=_integration_id(reader.text("integration")),
            custom=CustomNeeds(
                name=custom.text("name"),
                sender_id=custom.text("sender_id"),
                needs=custom.operations("needs"),
            ),
            method=_choice(ConnectionMethod, reader.text("method"), "method"),
            rest=RestChoices(
                client_id=rest.text("client_id"),
                grant=_choice(RestGrant, rest.text("grant"), "rest.grant"),
                base_url=rest.text("base_url") or DEFAULT_REST_BASE_URL,
                redirect_uri=rest.text("redirect_uri"),
            ),
            mappings=Mappings(
                default_location=mappings.text("default_location"),
                default_department=mappings.text("default_department"),
                dimensions=mappings.pairs("dimensions"),
                custom_fields=mappings.pairs("custom_fields"),
                flows=mappings.texts("flows"),
            ),
            sync=SyncOptions(
                start_date=sync.day("start_date"),
                batch_size=sync.integer(
                    "batch_size", DEFAULT_BATCH_SIZE, minimum=1, maximum=MAX_BATCH_SIZE
                ),
                concurrency=sync.integer("concurrency", DEFAULT_CONCURRENCY, minimum=1),
            ),
            last_good_run=run,
            posting=PostingChoices(
                gl_accounts=posting.texts("gl_accounts"),
                deposit_accounts=posting.texts("deposit_accounts"),
                payment_posting=posting.text("payment_posting") or "summary",
                document_number_prefix=posting.text("document_number_prefix"),
                undeposited_account=posting.text("undeposited_account"),
            ),
            network=NetworkChoices(
                proxy_mode=_proxy_mode(network.text("proxy_mode")),
                proxy_url=network.text("proxy_url"),
                proxy_user=network.text("proxy_user"),
                extra_ca_file=network.text("extra_ca_file"),
            ),
        )

    def replace(self, **changes: Any) -> Profile:
        return dataclasses.replace(self, **changes)


_E = TypeVar("_E", bound=enum.StrEnum)


def _choice(kind: type[_E], value: str, setting: str) -> _E:
    """`value` as one of `kind`'s values; empty means the first (the default)."""
    try:
        return kind(value) if value else next(iter(kind))
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise ProfileDataError(
            f"The setting '{setting}' should be one of {allowed}, not {value!r}."
        ) from None


def _proxy_mode(value: str) -> ProxyMode:
    try:
        return ProxyMode(value or ProxyMode.SYSTEM)
    except ValueError:
        modes = ", ".join(mode.value for mode in ProxyMode)
        raise ProfileDataError(
            f"The setting 'network.proxy_mode' should be one of {modes}, not {value!r}."
        ) from None


def _integration_id(text: str) -> str:
    if not text:
        return DEFAULT_INTEGRATION
    if not _INTEGRATION_ID.match(text):
        raise ProfileDataError(
            f"The setting 'integration' should be an integration id such as 'expensify', "
            f"not {text!r}."
        )
    return text


class _Reader:
    """Typed access to one table of stored settings, with errors that name the setting."""

    def __init__(self, data: MappingABC[str, Any], prefix: str) -> None:
        self._data = data
        self._prefix = prefix

    def _fail(self, key: str, expected: str) -> ProfileDataError:
        found = type(self._data.get(key)).__name__
        return ProfileDataError(
            f"The setting '{self._prefix}{key}' should be {expected}, not {found}."
        )

    def table(self, key: str) -> MappingABC[str, Any]:
        value = self._data.get(key)
        if value is None:
            return {}
        if not isinstance(value, MappingABC):
            raise self._fail(key, "a table")
        return value

    def text(self, key: str) -> str:
        value = self._data.get(key, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self._fail(key, "text")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._fail(key, "a list of text")
        return tuple(value)

    def pairs(self, key: str) -> tuple[tuple[str, str], ...]:
        value = self._data.get(key) or {}
        if not isinstance(value, MappingABC) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise self._fail(key, "a table of text")
        return tuple(sorted(value.items()))

    def operations(self, key: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """A table of object -> list of operations, e.g. {"GLACCOUNT": ["list", "view"]}."""
        value = self._data.get(key) or {}
        if not isinstance(value, MappingABC) or not all(
            isinstance(k, str) and isinstance(v, list) and all(isinstance(o, str) for o in v)
            for k, v in value.items()
        ):
            raise self._fail(key, "a table of object names, each with a list of operations")
        return tuple((k, tuple(v)) for k, v in value.items())

    def integer(self, key: str, default: int, *, minimum: int, maximum: int | None = None) -> int:
        value = self._data.get(key, default)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._fail(key, "a whole number")
        if value < minimum or (maximum is not None and value > maximum):
            upper = f" and {maximum}" if maximum is not None else " or more"
            between = f"between {minimum}{upper}" if maximum is not None else f"{minimum}{upper}"
            raise ProfileDataError(
                f"The setting '{self._prefix}{key}' is {value}; it should be {between}."
            )
        return value

    def day(self, key: str) -> date | None:
        value = self._data.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise self._fail(key, "a date (YYYY-MM-DD)")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ProfileDataError(
                f"The setting '{self._prefix}{key}' is '{value}', which is not a date (YYYY-MM-DD)."
            ) from None

    def timestamp(self, key: str) -> datetime:
        value = self._data.get(key)
        if not isinstance(value, str):
            raise self._fail(key, "a date and time")
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise ProfileDataError(
                f"The setting '{self._prefix}{key}' is '{value}', which is not a date and time."
            ) from None
