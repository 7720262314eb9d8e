"""What the company has: entities, dimensions, GL and checking accounts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from wizard.checks import CheckContext
from wizard.checks.accounts import GL_ACCOUNT_FIELDS
from wizard.checks.context import CHECKING_ACCOUNT_FIELDS
from wizard.redaction import redact


@dataclass(frozen=True)
class EntityInfo:
    id: str
    name: str
    currency: str


@dataclass(frozen=True)
class DimensionInfo:
    name: str  # the Intacct object, e.g. "LOCATION" or "channel"
    label: str
    user_defined: bool
    values: int | None  # None: could not be read
    ids: tuple[str, ...] = ()  # the first values, for default location/department


@dataclass(frozen=True)
class AccountInfo:
    """A GL account the sync may post document lines to."""

    number: str  # ACCOUNTNO, e.g. "4000"
    title: str
    active: bool


@dataclass(frozen=True)
class BankAccountInfo:
    """A checking account payments may be deposited to."""

    id: str  # BANKACCOUNTID, e.g. "BOA-EAST"
    name: str
    location: str  # "" = none (payments at the top level are refused)
    active: bool


@dataclass(frozen=True)
class Discovery:
    entities: tuple[EntityInfo, ...] = ()
    dimensions: tuple[DimensionInfo, ...] = ()
    problem: str = ""  # what could not be read, in words
    accounts: tuple[AccountInfo, ...] = ()  # the chart of accounts, in Intacct's order
    bank_accounts: tuple[BankAccountInfo, ...] = ()

    def dimension(self, name: str) -> DimensionInfo | None:
        return next((d for d in self.dimensions if d.name.upper() == name.upper()), None)


_STANDARD_ID = {"LOCATION": "LOCATIONID", "DEPARTMENT": "DEPARTMENTID", "CLASS": "CLASSID"}


def discover(context: CheckContext) -> Discovery:
    """Entities with their currency, and each dimension with its number of values."""
    from wizard.checks.dimensions import STANDARD, company_dimensions
    from wizard.gateway import GatewayError

    problems: list[str] = []
    entities: list[EntityInfo] = []
    try:
        for record in context.records("LOCATIONENTITY", ["LOCATIONID", "NAME", "CURRENCY"]):
            entity_id = str(record.get("LOCATIONID") or "")
            if entity_id:
                entities.append(
                    EntityInfo(
                        entity_id,
                        str(record.get("NAME") or entity_id),
                        str(record.get("CURRENCY") or ""),
                    )
                )
    except GatewayError as error:
        problems.append(f"the entities could not be read ({redact(str(error))})")
    dimensions: list[DimensionInfo] = []
    try:
        known = company_dimensions(context)
    except GatewayError as error:
        known = []
        problems.append(f"the dimensions could not be listed ({redact(str(error))})")
    for item in known:
        name = str(item.get("objectName") or "")
        if not name:
            continue
        user_defined = item.get("userDefinedDimension") == "true"
        id_field = STANDARD.get(name.upper(), "id" if user_defined else "RECORDNO")
        try:
            rows = context.records(name, [id_field])
            ids = tuple(str(r.get(id_field) or "") for r in rows)
            count: int | None = len(rows)
        except GatewayError:
            ids, count = (), None
        dimensions.append(
            DimensionInfo(
                name, str(item.get("termLabel") or name.title()), user_defined, count, ids[:200]
            )
        )
    accounts: tuple[AccountInfo, ...] = ()
    try:
        accounts = gl_accounts(context)
    except GatewayError as error:
        problems.append(f"the GL accounts could not be read ({redact(str(error))})")
    bank_accounts: tuple[BankAccountInfo, ...] = ()
    try:
        bank_accounts = checking_accounts(context)
    except GatewayError as error:
        problems.append(f"the checking accounts could not be read ({redact(str(error))})")
    return Discovery(
        tuple(entities), tuple(dimensions), "; ".join(problems), accounts, bank_accounts
    )


def _active(record: Mapping[str, object]) -> bool:
    return str(record.get("STATUS") or "active").lower() == "active"


def gl_accounts(context: CheckContext) -> tuple[AccountInfo, ...]:
    """The company's GL accounts (number, title, active or not). Raises GatewayError."""
    found = []
    for record in context.records("GLACCOUNT", GL_ACCOUNT_FIELDS):
        number = str(record.get("ACCOUNTNO") or "")
        if number:
            found.append(AccountInfo(number, str(record.get("TITLE") or ""), _active(record)))
    return tuple(found)


def checking_accounts(context: CheckContext) -> tuple[BankAccountInfo, ...]:
    """The company's checking accounts with their bank and location. Raises GatewayError."""
    found = []
    for record in context.records("CHECKINGACCOUNT", CHECKING_ACCOUNT_FIELDS):
        account_id = str(record.get("BANKACCOUNTID") or "")
        if account_id:
            found.append(
                BankAccountInfo(
                    account_id,
                    str(record.get("BANKNAME") or ""),
                    str(record.get("LOCATIONID") or ""),
                    _active(record),
                )
            )
    return tuple(found)
