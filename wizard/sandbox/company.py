"""The live demo company: reference data from company.toml, generated AR history, and writes.

`Company` is what `Sandbox.company` hands to tests: `count(obj)`, `records(obj)`,
`find(obj, field, value)` read it; `undo` journals make `transaction="true"` roll back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wizard.sandbox.data import load_toml, require
from wizard.sandbox.errors import SandboxDataError
from wizard.sandbox.generator import CustomerRef, Generator, GeneratorSettings, prefixed_locator
from wizard.sandbox.objects import ObjectSpec, Table, esc, make_spec
from wizard.sandbox.render import record_template

REFERENCE_MODIFIED = "01/02/2024 09:00:00"
# The audit trail object and the ACCESSMODE of a deletion (sources in objects.toml).
AUDIT_OBJECT = "AUDITHISTORY"
AUDIT_DELETED = "Deleted"
RIGHTS = {"all": "List|View|Add|Edit|Delete", "read": "List|View"}
# A right on one permission, as Intacct's Permissions page names it (lower case here).
OBJECT_RIGHTS = ("list", "view", "add", "edit", "delete")
# The right each gateway operation needs on its object's permission (chosen: Intacct's docs name
# the rights, not which API operation each one allows; List lists, View opens one record).
RIGHT_FOR_OPERATION = {
    "READ_BY_QUERY": "list",
    "READ": "view",
    "READ_BY_NAME": "view",
    "CREATE": "add",
    "UPDATE": "edit",
    "DELETE": "delete",
}
# The GLACCOUNT field that says an account requires a dimension on every line.
REQUIRE_FLAGS = {
    "DEPARTMENT": "REQUIREDEPT",
    "LOCATION": "REQUIRELOC",
    "PROJECT": "REQUIREPROJECT",
    "CUSTOMER": "REQUIRECUSTOMER",
}


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    recordno: int
    currency: str


@dataclass(frozen=True)
class GLAccount:
    no: str
    title: str
    status: str
    restricted: bool
    requires_dimension: str


@dataclass(frozen=True)
class Udd:
    object: str
    label: str
    restricted: bool


def _first_of_month(now: datetime) -> datetime:
    return datetime(now.year, now.month, 1)


class Company:
    """One simulated Intacct company (the sandbox serves exactly one)."""

    def __init__(self, records: int | None = None, folder: Path | None = None) -> None:
        data = load_toml("company.toml", folder)
        objects = load_toml("objects.toml", folder)
        where = "company.toml"
        info = require(data, "company", dict, where)
        self.id: str = require(info, "id", str, where + " [company]")
        self.name: str = require(info, "name", str, where + " [company]")
        self.base_currency: str = require(info, "base_currency", str, where + " [company]")
        self.session_node: str = str(info.get("session_node", "na1"))
        self.session_timeout_s: int = int(info.get("session_timeout_s", 21600))
        self.max_in_flight: int = int(info.get("max_in_flight", 2))
        as_of = str(info.get("as_of", ""))
        try:
            self.as_of = (
                datetime.strptime(as_of, "%Y-%m-%d")
                if as_of
                else _first_of_month(datetime.now(UTC).replace(tzinfo=None))
            )
        except ValueError:
            raise SandboxDataError(f"{where}: as_of must be YYYY-MM-DD or empty.") from None
        sender = require(data, "sender", dict, where)
        self.sender_id: str = require(sender, "id", str, where + " [sender]")
        self.sender_password: str = require(sender, "password", str, where + " [sender]")
        user = require(data, "user", dict, where)
        self.user_id: str = require(user, "id", str, where + " [user]")
        self.user_password: str = require(user, "password", str, where + " [user]")
        self.subscriptions: dict[str, str] = dict(
            require(user, "subscriptions", dict, where + " [user]")
        )
        for module, right in self.subscriptions.items():
            if right not in RIGHTS:
                raise SandboxDataError(
                    f"{where} [user] subscriptions: {module} must be 'all' or 'read'."
                )
        self.financial_setup: dict[str, Any] = dict(data.get("financial_setup", {}))
        self.ar_config: dict[str, Any] = dict(require(data, "ar_config", dict, where))
        self.invoice_prefix = str(self.ar_config.get("invoice_sequence_prefix", "INV-"))

        self.entities = tuple(
            Entity(e["id"], e["name"], int(e["recordno"]), e["currency"])
            for e in require(data, "entities", list, where)
        )
        if len(self.entities) < 3:
            raise SandboxDataError(f"{where}: the demo company needs at least three entities.")
        self.entity_by_id = {e.id: e for e in self.entities}
        self.gl_accounts = {
            a["no"]: GLAccount(
                a["no"],
                a["title"],
                a.get("status", "active"),
                bool(a.get("restricted", False)),
                str(a.get("requires_dimension", "")),
            )
            for a in require(data, "gl_accounts", list, where)
        }
        self.udds = tuple(
            Udd(u["object"], u["label"], bool(u.get("restricted", False)))
            for u in data.get("udds", [])
        )
        self.customer_entity = {c["id"]: c.get("entity", "") for c in data.get("customers", [])}
        self.location_entity = {
            loc["id"]: loc.get("entity", "") for loc in require(data, "locations", list, where)
        }

        self.specs: dict[str, ObjectSpec] = {}
        for name, entry in require(objects, "objects", dict, "objects.toml").items():
            self.specs[name] = make_spec(name, entry, f"objects.toml [objects.{name}]")
        for udd in self.udds:
            self.specs[udd.object.upper()] = make_spec(
                udd.object.upper(),
                {
                    "label": udd.label,
                    "module": "PLATFORM",
                    "id_field": "id",
                    "fields": ["RECORDNO", "id", "name", "WHENMODIFIED"],
                    "datetimes": ["WHENMODIFIED"],
                    "numbers": ["RECORDNO"],
                },
                f"company.toml [[udds]] {udd.object}",
            )
        self.legacy: dict[str, dict[str, str]] = dict(objects.get("legacy", {}))

        generator_data = require(data, "generator", dict, where)
        invoices = int(records if records is not None else generator_data["default_invoices"])
        if invoices < 0:
            raise SandboxDataError("The number of records must be 0 or more.")
        self.tables: dict[str, Table] = {}
        self._load_reference(data)
        self._generate(generator_data, invoices, data)
        for name in self.specs:
            if name not in self.tables:
                self._fill(name, [])
        # None: the user's rights come from `subscriptions` (module -> all/read). Otherwise
        # exactly these rights per object (Sandbox(user_permissions=...), changeable at run time).
        self.user_permissions: dict[str, frozenset[str]] | None = None
        self.lock = threading.RLock()
        self._journal: list[Callable[[], None]] | None = None
        # Function control IDs already run with uniqueid=true.
        self.unique_controlids: set[str] = set()

    def set_user_permissions(self, permissions: object) -> None:
        """Give the Web Services user exactly these rights per object ({"ARINVOICE": ["list",
        "view"], ...}); None goes back to the module subscriptions of company.toml."""
        if permissions is None:
            self.user_permissions = None
            return
        if not isinstance(permissions, dict):
            raise ValueError("user_permissions must map object names to lists of rights.")
        checked: dict[str, frozenset[str]] = {}
        for name, rights in permissions.items():
            obj = str(name).strip().upper()
            if obj not in self.specs:
                raise ValueError(
                    f"user_permissions: {name!r} is not an object of the sandbox "
                    f"({', '.join(sorted(self.specs))})."
                )
            if isinstance(rights, str) or not isinstance(rights, list | tuple | set | frozenset):
                raise ValueError(f"user_permissions: the rights on {obj} must be a list.")
            wanted = frozenset(str(r).strip().lower() for r in rights)
            unknown = sorted(wanted - set(OBJECT_RIGHTS))
            if unknown:
                raise ValueError(
                    f"user_permissions: {', '.join(unknown)} on {obj} is not a right; "
                    f"use {', '.join(OBJECT_RIGHTS)}."
                )
            checked[obj] = wanted
        self.user_permissions = checked

    # -- building -------------------------------------------------------------------------

    def _fill(self, name: str, rows: list[dict[str, Any]]) -> None:
        table = Table(self.specs[name])
        for row in rows:
            values = {k: str(v) for k, v in row.items()}
            values.setdefault("WHENMODIFIED", REFERENCE_MODIFIED)
            table.append(values)
        table.first_created = len(table)
        self.tables[name] = table

    def _load_reference(self, data: dict[str, Any]) -> None:
        customers = data.get("customers", [])
        self._fill(
            "CUSTOMER",
            [
                {
                    "CUSTOMERID": c["id"],
                    "NAME": c["name"],
                    "STATUS": c.get("status", "active"),
                    "CURRENCY": c.get("currency", self.base_currency),
                    "TERMNAME": c.get("terms", "N30"),
                    "MEGAENTITYID": "",
                    "OBJECTRESTRICTION": "Unrestricted",
                }
                for c in customers
            ],
        )
        self._fill(
            "GLACCOUNT",
            [
                {
                    "ACCOUNTNO": a["no"],
                    "TITLE": a["title"],
                    "ACCOUNTTYPE": a.get("type", "incomestatement"),
                    "NORMALBALANCE": a.get("normal_balance", "debit"),
                    "CLOSINGTYPE": "non-closing account"
                    if a.get("type") == "balancesheet"
                    else "closing account",
                    "STATUS": a.get("status", "active"),
                    "CATEGORY": a.get("category", ""),
                    "REQUIREDEPT": "false",
                    "REQUIRELOC": "false",
                    "REQUIREPROJECT": "false",
                    "REQUIRECUSTOMER": "false",
                }
                for a in data["gl_accounts"]
            ],
        )
        self._fill(
            "CHECKINGACCOUNT",
            [
                {
                    "BANKACCOUNTID": b["id"],
                    "BANKNAME": b["name"],
                    "BANKACCOUNTNO": b.get("bank_account_no", ""),
                    "GLACCOUNTNO": b.get("gl_account", ""),
                    "CURRENCY": b.get("currency", self.base_currency),
                    "LOCATIONID": b.get("location", ""),
                    "DEPARTMENTID": "",
                    "STATUS": "active",
                }
                for b in data.get("checking_accounts", [])
            ],
        )
        self.checking_location = {
            b["id"]: b.get("location", "") for b in data.get("checking_accounts", [])
        }
        self._own_checking_location = dict(self.checking_location)
        self._losing_location = tuple(
            b["id"] for b in data.get("checking_accounts", []) if b.get("loses_location")
        )
        self._fill(
            "CREDITCARD",
            [
                {
                    "CARDID": c["id"],
                    "DESCRIPTION": c["name"],
                    "LIABILITYTYPE": c.get("liability_type", "Liability"),
                    "LIABACCTKEY": c.get("gl_account", ""),
                    "LOCATIONID": c.get("location", ""),
                    "STATUS": "active",
                }
                for c in data.get("credit_cards", [])
            ],
        )
        self._fill(
            "DEPARTMENT",
            [
                {"DEPARTMENTID": d["id"], "TITLE": d["title"], "STATUS": "active"}
                for d in data.get("departments", [])
            ],
        )
        self._fill(
            "LOCATION",
            [
                {
                    "LOCATIONID": loc["id"],
                    "NAME": loc["name"],
                    "PARENTID": loc.get("parent", ""),
                    "STATUS": "active",
                    "CURRENCY": self.entity_by_id[loc["entity"]].currency
                    if loc.get("entity") in self.entity_by_id
                    else self.base_currency,
                }
                for loc in data["locations"]
            ],
        )
        self._fill(
            "LOCATIONENTITY",
            [
                {"LOCATIONID": e.id, "NAME": e.name, "STATUS": "active", "CURRENCY": e.currency}
                for e in self.entities
            ],
        )
        self._fill(
            "CLASS",
            [
                {"CLASSID": c["id"], "NAME": c["name"], "STATUS": "active"}
                for c in data.get("classes", [])
            ],
        )
        names = {c["id"]: c["name"] for c in customers}
        self._fill(
            "PROJECT",
            [
                {
                    "PROJECTID": p["id"],
                    "NAME": p["name"],
                    "CUSTOMERID": p.get("customer", ""),
                    "CUSTOMERNAME": names.get(p.get("customer", ""), ""),
                    "STATUS": "active",
                    "MEGAENTITYID": p.get("entity", ""),
                }
                for p in data.get("projects", [])
            ],
        )
        self._fill("SODOCUMENT", [])
        for udd in data.get("udds", []):
            self._fill(
                udd["object"].upper(), [{"id": v[0], "name": v[1]} for v in udd.get("values", [])]
            )

    def _generate(self, g: dict[str, Any], invoices: int, data: dict[str, Any]) -> None:
        customers = tuple(
            CustomerRef(
                c["id"],
                c["name"],
                c["entity"],
                self.entity_by_id[c["entity"]].name,
                c.get("currency", self.base_currency),
                c.get("terms", "N30"),
            )
            for c in data.get("customers", [])
            if c.get("status", "active") == "active"
        )
        if not customers:
            raise SandboxDataError("company.toml: at least one active customer is needed.")
        banks: dict[str, str] = {}
        for bank in data.get("checking_accounts", []):
            if bank.get("location") in self.entity_by_id:
                banks.setdefault(bank["location"], bank["id"])
        undeposited = next(
            (a.no for a in self.gl_accounts.values() if "Undeposited" in a.title), ""
        )
        settings = GeneratorSettings(
            seed=int(g.get("seed", 1)),
            invoices=invoices,
            history_days=int(g.get("history_days", 548)),
            payment_percent=round(float(g.get("payment_ratio", 0.6)) * 100),
            adjustment_percent=round(float(g.get("adjustment_ratio", 0.08)) * 100),
            as_of=self.as_of,
            invoice_prefix=self.invoice_prefix,
            descriptions=tuple(esc(d) for d in g.get("line_descriptions", ["Goods"])),
            customers=customers,
            undeposited_account=undeposited,
            bank_by_entity=banks,
        )
        self.generator = gen = Generator(settings)
        self.tables["ARINVOICE"] = Table(
            self.specs["ARINVOICE"], invoices, gen.invoice, gen.locate_invoice
        )
        self.tables["ARINVOICE"].base_xml = gen.invoice_renderer(
            record_template("arinvoice", self.specs["ARINVOICE"].fields)
        )
        self.tables["ARINVOICE"].base_columns = gen.invoice_columns()
        self.tables["ARPYMT"] = Table(self.specs["ARPYMT"], gen.payments, gen.payment)
        self.tables["ARADJUSTMENT"] = Table(
            self.specs["ARADJUSTMENT"],
            gen.adjustments,
            gen.adjustment,
            prefixed_locator("CN-", gen.adjustments),
        )

    # -- settings that scenarios switch on --------------------------------------------------

    def show_required_dimensions(self, enforced: bool) -> None:
        """Set GLACCOUNT's REQUIRE* flag of each account with `requires_dimension` while that
        requirement is enforced (scenario account-requires-dimension), so a read of the chart
        of accounts shows the same setting a posting is held to."""
        table = self.tables["GLACCOUNT"]
        with self.lock:
            for account in self.gl_accounts.values():
                flag = REQUIRE_FLAGS.get(account.requires_dimension.upper())
                index = table.find("ACCOUNTNO", account.no) if flag else None
                if flag and index is not None:
                    table.update(index, {flag: "true" if enforced else "false"})

    def show_checking_locations(self, removed: bool) -> None:
        """Empty the location of each checking account with `loses_location` while it is
        removed (scenario checking-account-no-location), in reads and for postings alike."""
        table = self.tables["CHECKINGACCOUNT"]
        with self.lock:
            for account in self._losing_location:
                location = "" if removed else self._own_checking_location[account]
                self.checking_location[account] = location
                index = table.find("BANKACCOUNTID", account)
                if index is not None:
                    table.update(index, {"LOCATIONID": location})

    # -- journal: undo for failed functions and transaction="true" ---------------------------

    def begin(self) -> None:
        self._journal = []

    def commit(self) -> None:
        self._journal = None

    def mark(self) -> int:
        return len(self._journal) if self._journal is not None else 0

    def rollback_to(self, mark: int = 0) -> None:
        journal = self._journal or []
        while len(journal) > mark:
            journal.pop()()

    def rollback(self) -> None:
        self.rollback_to(0)
        self._journal = None

    def _remember(self, undo: Callable[[], None]) -> None:
        if self._journal is not None:
            self._journal.append(undo)

    # -- writes ----------------------------------------------------------------------------

    def insert(self, obj: str, values: dict[str, str]) -> int:
        """Add a record; returns its RECORDNO."""
        table = self.tables[obj]
        values.setdefault("WHENMODIFIED", self.now_text())
        index = table.append(values)
        self._remember(table.pop_extra)
        return index + 1

    def change(self, obj: str, index: int, changes: dict[str, str]) -> None:
        table = self.tables[obj]
        before = table.overrides.get(index, "absent")
        changes.setdefault("WHENMODIFIED", self.now_text())
        table.update(index, changes)
        self._remember(lambda: self._restore(table, index, before))

    def remove(self, obj: str, index: int) -> None:
        """Delete a record, and note it in the audit trail (AUDITHISTORY) as Intacct does."""
        table = self.tables[obj]
        row = table.row(index)
        before = table.overrides.get(index, "absent")
        table.replace(index, None)
        self._remember(lambda: self._restore(table, index, before))
        if row is None or obj == AUDIT_OBJECT or AUDIT_OBJECT not in self.tables:
            return
        spec = self.specs.get(obj)
        record = table.as_dict(row)
        now = self.now_text()
        self.insert(
            AUDIT_OBJECT,
            {
                "OBJECTTYPE": obj.lower(),
                "OBJECTKEY": str(index + 1),
                "OBJECTDESC": record.get(spec.id_field, "") if spec else "",
                "USERID": self.user_id,
                "ACCESSMODE": AUDIT_DELETED,
                "ACCESSTIME": now,
                "WHENMODIFIED": now,
            },
        )

    def mark_unique(self, controlid: str) -> None:
        self.unique_controlids.add(controlid)

        def undo() -> None:
            self.unique_controlids.discard(controlid)

        self._remember(undo)

    @staticmethod
    def _restore(table: Table, index: int, before: object) -> None:
        table.restore(index, before)  # type: ignore[arg-type]

    @staticmethod
    def now_text() -> str:
        return datetime.now(UTC).strftime("%m/%d/%Y %H:%M:%S")

    # -- accessors for tests and tools ------------------------------------------------------

    def count(self, obj: str) -> int:
        """How many live records `obj` (e.g. "ARINVOICE") has, generated and created."""
        table = self.tables[obj.upper()]
        deleted = sum(1 for row in table.overrides.values() if row is None)
        return len(table) - deleted

    def records(self, obj: str, created_only: bool = False) -> Iterator[dict[str, str]]:
        """The live records of `obj` as plain dicts (field -> text), in RECORDNO order."""
        table = self.tables[obj.upper()]
        start = table.first_created if created_only else 0
        for index in range(start, len(table)):
            row = table.row(index)
            if row is not None:
                yield table.as_dict(row)

    def created(self, obj: str) -> list[dict[str, str]]:
        """Records of `obj` created through the gateway since the sandbox started."""
        return list(self.records(obj, created_only=True))

    def find(self, obj: str, field: str, value: str) -> dict[str, str] | None:
        """The first record of `obj` whose `field` equals `value`, as a dict, or None."""
        table = self.tables[obj.upper()]
        index = table.find(field, value)
        row = table.row(index) if index is not None else None
        return table.as_dict(row) if row is not None else None
