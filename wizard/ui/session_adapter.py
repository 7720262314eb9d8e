"""The seam between the pages and the layers that talk to Intacct: checks, sync, fixes, sandbox.

Pages call these functions through `Workers.run` (everything here may wait on the network or
the disk) and only show what comes back. Nothing in this module imports Qt.

    target = demo_target(sandbox) | profile_target(name)
    session = CheckSession(target)                       # the connection test
    findings = session.run_all(on_finding, cancel)       # each finding as it completes
    session.run_one("permissions")                       # "Check again"
    findings = check_posting(target, since, cancel)      # before the first sync starts
    discovery = session.discover()                       # entities, dimensions, accounts
    job = SyncJob.for_target(target, choices)            # the first sync / retry
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import tempfile
import threading
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.checks import CheckContext, CheckStatus, Finding, PermissionGrid, PostingChoices, Runner
from wizard.checks.accounts import GL_ACCOUNT_FIELDS
from wizard.checks.connect import (
    FoundSecrets,
    context_for_profile,
    demo_profile,
    secrets_for_profile,
)
from wizard.checks.context import CHECKING_ACCOUNT_FIELDS
from wizard.connection import Mappings, Profile, ProfileStore, Secrets, storage_locations
from wizard.fixes import Fix, load_catalogue
from wizard.redaction import redact, remember_secret
from wizard.sync.flows import FlowCatalogue, load_flows

if TYPE_CHECKING:
    from wizard.sandbox import Sandbox
    from wizard.sync.engine import SyncEngine, SyncSummary
    from wizard.sync.progress import Progress
    from wizard.sync.store import Store, SyncError, SyncRun

log = logging.getLogger(__name__)

DEMO_OUTBOX_INVOICES = 40


# -- what is being connected ---------------------------------------------------------------


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


def demo_target(sandbox: Sandbox) -> Target:
    creds = sandbox.credentials
    # The demo's choices (resources/checks/demo.toml) come in the profile, posting included.
    profile = demo_profile(sandbox.endpoint, creds.sender_id, creds.company_id, creds.user_id)
    remember_secret(creds.sender_password)
    remember_secret(creds.user_password)
    secrets = Secrets(creds.sender_password, creds.user_password)
    return Target(profile, FoundSecrets(secrets, "the demo company"), demo=True)


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


# -- the connection test -------------------------------------------------------------------


def check_titles() -> tuple[tuple[str, str], ...]:
    """(id, title) of every check, in the order the admin sees them (fast, no network)."""
    from wizard.checks import default_registry

    return tuple((check.id, check.title) for check in default_registry())


class CheckSession:
    """The checks of one connection, run once and then check by check ("Check again")."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.context: CheckContext = context_for_profile(target.profile, target.found)
        self.runner = Runner(self.context)
        self._lock = threading.Lock()

    def run_all(
        self, on_finding: Callable[[Finding], None], cancel: Callable[[], bool]
    ) -> tuple[Finding, ...]:
        with self._lock:
            self.runner.on_finding = on_finding
            self.runner.cancelled.clear()
            watcher = _CancelWatcher(cancel, self.runner.cancel)
            try:
                return self.runner.run_all()
            finally:
                watcher.stop()

    def run_one(self, check_id: str, on_finding: Callable[[Finding], None]) -> Finding:
        with self._lock:
            self.runner.on_finding = on_finding
            self.runner.cancelled.clear()
            return self.runner.run_one(check_id)

    def findings(self) -> tuple[Finding, ...]:
        return tuple(self.runner.findings.values())

    def close(self) -> None:
        self.context.close()

    def discover(self) -> Discovery:
        return discover(self.context)


class _CancelWatcher:
    """Polls the page's cancel flag and stops the runner starting new checks."""

    def __init__(self, cancelled: Callable[[], bool], stop: Callable[[], None]) -> None:
        self._done = threading.Event()

        def watch() -> None:
            while not self._done.wait(0.05):
                if cancelled():
                    stop()
                    return

        self._thread = threading.Thread(target=watch, name="check-cancel", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


# The checks that judge the posting choices (skipped at the connection test: nothing was
# chosen then). Run again on the First sync page before the sync starts.
POSTING_CHECKS = (
    "gl-accounts",
    "checking-account-locations",
    "payment-summary-frequency",
    "document-numbering",
    "test-posting",
)


def check_posting(
    target: Target,
    since: dt.date,
    cancelled: Callable[[], bool],
    on_finding: Callable[[Finding], None] | None = None,
) -> tuple[Finding, ...]:
    """The posting checks on the chosen settings, the test posting dated `since` (the oldest
    day the sync posts), each with what it depends on. Returns every finding made, in the
    registry's order: a failed sign-in shows up as itself, not only as skipped checks."""
    session = CheckSession(target.with_start_date(since))
    runner = session.runner
    runner.on_finding = on_finding
    watcher = _CancelWatcher(cancelled, runner.cancel)
    try:
        # test-posting depends on the other four, so running it runs them all.
        runner.run_one("test-posting")
    except KeyError:  # cancelled before it ran
        pass
    finally:
        watcher.stop()
        session.close()
    order = [check.id for check in runner.registry]
    return tuple(sorted(runner.findings.values(), key=lambda f: order.index(f.check)))


def connection_ok(findings: Sequence[Finding]) -> bool:
    return bool(findings) and not any(f.status is CheckStatus.FAIL for f in findings)


def latest_grid(findings: Sequence[Finding]) -> PermissionGrid | None:
    for finding in findings:
        if finding.grid is not None:
            return finding.grid
    return None


# -- what the company has (entities, dimensions) --------------------------------------------


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


# -- the flow catalogue and fixes -------------------------------------------------------------


_flows: FlowCatalogue | None = None


def flow_catalogue() -> FlowCatalogue:
    global _flows
    if _flows is None:
        _flows = load_flows()
    return _flows


def fix_for(fix_id: str | None) -> Fix:
    return load_catalogue().get(fix_id or "unrecognised-error")


# -- the sync ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyncChoices:
    flows: tuple[str, ...]
    entity_id: str = ""
    default_location: str = ""
    default_department: str = ""
    dimensions: tuple[tuple[str, str], ...] = ()
    custom_fields: tuple[tuple[str, str], ...] = ()

    def mappings(self) -> Mappings:
        return Mappings(
            default_location=self.default_location,
            default_department=self.default_department,
            dimensions=self.dimensions,
            custom_fields=self.custom_fields,
            flows=self.flows,
        )


@dataclass(frozen=True)
class ErrorGroup:
    """Failed records that share one fix."""

    fix: Fix
    errors: tuple[SyncError, ...]

    @property
    def outbox_ids(self) -> tuple[int, ...]:
        return tuple(e.outbox_id for e in self.errors if e.outbox_id is not None)


def group_errors(errors: Sequence[SyncError]) -> tuple[ErrorGroup, ...]:
    groups: dict[str, list[SyncError]] = {}
    for error in errors:
        groups.setdefault(error.fix_id or "unrecognised-error", []).append(error)
    return tuple(ErrorGroup(fix_for(fix_id), tuple(found)) for fix_id, found in groups.items())


@dataclass
class SyncJob:
    """One connection's sync store and engine settings; each call runs on a worker thread."""

    target: Target
    choices: SyncChoices
    store_path: Path
    demo_invoices: int = DEMO_OUTBOX_INVOICES
    _prepared: bool = field(default=False, repr=False)

    @classmethod
    def for_target(cls, target: Target, choices: SyncChoices) -> SyncJob:
        if target.demo:
            folder = Path(tempfile.mkdtemp(prefix="intacct-wizard-demo-"))
            return cls(target, choices, folder / "demo.sqlite3")
        from wizard.sync.store import store_path

        return cls(target, choices, store_path(target.profile.name))

    def _client_factory(self) -> Callable[[], object]:
        from wizard.connection.credentials import gateway_credentials
        from wizard.gateway import Client

        profile = self.target.profile
        secrets = self.target.found.secrets
        if secrets is None:
            raise RuntimeError(self.target.found.problem or "The passwords are not available.")

        def client() -> Client:
            credentials = gateway_credentials(profile, secrets, self.choices.entity_id)
            return Client(credentials, endpoint=profile.endpoint)

        return client

    def _open(
        self,
        on_progress: Callable[[Progress], None] | None = None,
        cancel: object | None = None,
    ) -> tuple[Store, SyncEngine]:
        from wizard.sync.demo import DEMO_CUSTOM_FIELDS, add_demo_outbox
        from wizard.sync.engine import SyncEngine
        from wizard.sync.settings import SyncSettings
        from wizard.sync.store import Store

        store = Store.open(self.store_path)
        if self.target.demo and not self._prepared:
            if not sum(store.outbox_counts().values()):
                add_demo_outbox(store, self.demo_invoices)
            self._prepared = True
        custom = dict(self.choices.custom_fields)
        if self.target.demo:  # the demo outbox's records carry these fields
            custom = {**DEMO_CUSTOM_FIELDS, **custom}
        settings = SyncSettings(
            flows=self.choices.flows,
            entity_id=self.choices.entity_id,
            default_location=self.choices.default_location,
            default_department=self.choices.default_department,
            dimensions=dict(self.choices.dimensions),
            custom_fields=custom,
            concurrency=self.target.profile.sync.concurrency,
        )
        engine = SyncEngine(
            store,
            self._client_factory(),  # type: ignore[arg-type]
            settings,
            catalogue=flow_catalogue(),
            on_progress=on_progress,
            cancel=cancel,  # type: ignore[arg-type]
        )
        return store, engine

    def run(
        self,
        since: dt.date | None,
        on_progress: Callable[[Progress], None],
        cancelled: Callable[[], bool],
        dry_run: bool = False,
    ) -> SyncSummary:
        from wizard.sync.progress import Cancel

        cancel = Cancel()
        watcher = _CancelWatcher(cancelled, cancel.request)
        store, engine = self._open(on_progress, cancel)
        try:
            if dry_run:
                # Read Intacct first (nothing is sent), so every record can be checked.
                engine.run(since=since, push=False)
                return engine.dry_run()
            return engine.run(since=since)
        finally:
            watcher.stop()
            store.close()

    def retry(
        self,
        outbox_ids: Sequence[int],
        on_progress: Callable[[Progress], None],
        cancelled: Callable[[], bool],
    ) -> SyncSummary:
        """Send these failed records again now (the admin fixed the cause)."""
        store, engine = self._open()
        try:
            for outbox_id in outbox_ids:
                engine.retry(outbox_id)
        finally:
            store.close()
        return self.run(None, on_progress, cancelled)

    def retry_all(
        self, on_progress: Callable[[Progress], None], cancelled: Callable[[], bool]
    ) -> SyncSummary:
        store, engine = self._open()
        try:
            engine.retry_failed()
        finally:
            store.close()
        return self.run(None, on_progress, cancelled)

    def open_errors(self) -> tuple[SyncError, ...]:
        """The failed records so far (read while a sync runs, from a connection of its own)."""
        from wizard.sync.store import ErrorState, Store

        if not self.store_path.exists():
            return ()
        with Store.open(self.store_path) as store:
            return tuple(store.errors(ErrorState.OPEN))

    def ignore(self, outbox_ids: Sequence[int]) -> tuple[SyncError, ...]:
        """Stop sending these records; returns the errors still open."""
        from wizard.sync.store import ErrorState

        store, engine = self._open()
        try:
            for outbox_id in outbox_ids:
                engine.ignore(outbox_id)
            return tuple(store.errors(ErrorState.OPEN))
        finally:
            store.close()


# -- diagnose: what changed since the last good run ---------------------------------------------


@dataclass(frozen=True)
class History:
    last_good: SyncRun | None
    last_good_saved: str  # from the profile, in words ("" when never)
    open_errors: tuple[SyncError, ...]
    failed_records: int


def history(target: Target) -> History:
    """The store's last good run and open errors (none when nothing was synced here)."""
    from wizard.sync.outbox import OutboxState
    from wizard.sync.store import ErrorState, Store, store_path

    saved = target.profile.last_good_run
    saved_text = f"{saved.finished_at:%d %b %Y %H:%M} ({saved.records:,} records)" if saved else ""
    path = store_path(target.profile.name)
    if not path.exists():
        return History(None, saved_text, (), 0)
    with Store.open(path) as store:
        return History(
            store.last_good_run(),
            saved_text,
            tuple(store.errors(ErrorState.OPEN)),
            len(store.outbox_records(OutboxState.FAILED)),
        )


def _when(stamp: str | None) -> str:
    """ "23 Nov 2026 10:06" from the store's ISO time stamp (UTC)."""
    if not stamp:
        return ""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return f"{moment:%d %b %Y %H:%M} UTC"


def changes(findings: Sequence[Finding], past: History) -> tuple[str, ...]:
    """What is different now from when the sync last ran clean, one sentence each."""
    lines: list[str] = []
    when = _when(past.last_good.finished_at) if past.last_good is not None else ""
    when = when or past.last_good_saved
    failing = [f for f in findings if f.status is CheckStatus.FAIL]
    if when:
        lines.append(f"The last sync without errors finished on {when}.")
    else:
        lines.append("No sync has finished without errors on this computer yet.")
    for finding in failing:
        lines.append(f"Now failing: {finding.title}.")
    if past.failed_records:
        lines.append(
            f"{past.failed_records:,} record{'s' if past.failed_records != 1 else ''} "
            "failed since then and wait to be sent again."
        )
    if not failing and not past.failed_records:
        lines.append("Nothing is failing now.")
    return tuple(lines)


# -- where things are, and the diagnostic report ------------------------------------------------


def storage_lines(profile: str | None) -> tuple[str, ...]:
    return storage_locations(profile).lines()


def write_report(path: Path, findings: Sequence[Finding], data_summary: dict[str, object]) -> Path:
    """A redacted support bundle (findings, the wizard's choices, versions, the recent log)."""
    from wizard.checks.text import findings_json, findings_text
    from wizard.commands.report import versions
    from wizard.logs import recent_log

    files = {
        "findings.json": json.dumps(findings_json(findings), ensure_ascii=False, indent=2),
        "findings.txt": findings_text(findings, "Connection test in the wizard"),
        "wizard.json": json.dumps(data_summary, ensure_ascii=False, indent=2, default=str),
        "versions.json": json.dumps(versions(), indent=2),
        "wizard.log": recent_log(),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, text in files.items():
            bundle.writestr(name, redact(text))
    return path
