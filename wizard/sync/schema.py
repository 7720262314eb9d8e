"""The local store's tables and the migrations that build them.

The schema version lives in SQLite's `PRAGMA user_version`. `MIGRATIONS[n]` takes a database
from version n to n + 1; each step runs in one transaction together with the version bump, so
an interrupted upgrade leaves the old version intact and is simply run again next time.
Never edit a released step: append a new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PulledTable:
    """Where records of one Intacct object are kept, and the field that names them."""

    table: str
    id_field: str  # the document number / ID users recognise (RECORDID, CUSTOMERID, ...)


# Intacct object -> table. Dimension values of user-defined dimensions also land in
# `dimension_values`, once `getDimensions` has listed their object (table `dimensions`).
PULLED_OBJECTS: dict[str, PulledTable] = {
    "LOCATIONENTITY": PulledTable("entities", "LOCATIONID"),
    "GLACCOUNT": PulledTable("gl_accounts", "ACCOUNTNO"),
    "CHECKINGACCOUNT": PulledTable("checking_accounts", "BANKACCOUNTID"),
    "CREDITCARD": PulledTable("credit_card_accounts", "CARDID"),
    "DIMENSIONS": PulledTable("dimensions", "objectName"),
    "LOCATION": PulledTable("dimension_values", "LOCATIONID"),
    "DEPARTMENT": PulledTable("dimension_values", "DEPARTMENTID"),
    "CLASS": PulledTable("dimension_values", "CLASSID"),
    "PROJECT": PulledTable("dimension_values", "PROJECTID"),
    "CUSTOMER": PulledTable("customers", "CUSTOMERID"),
    "ARINVOICE": PulledTable("ar_invoices", "RECORDID"),
    "ARADJUSTMENT": PulledTable("ar_adjustments", "RECORDID"),
    "ARPYMT": PulledTable("ar_payments", "DOCNUMBER"),
    "SODOCUMENT": PulledTable("order_entry_documents", "DOCID"),
}
UDD_ID_FIELD = "name"  # platform objects (user-defined dimensions) use lowercase fields

PULLED_TABLES: tuple[str, ...] = tuple(dict.fromkeys(t.table for t in PULLED_OBJECTS.values()))


def _pulled_table(name: str) -> str:
    # `object` is the Intacct object name (several share dimension_values); `fields` is the
    # record exactly as pulled, as JSON; the other columns are copies for lookups and cursors.
    return f"""
    CREATE TABLE {name} (
        object        TEXT NOT NULL,
        record_no     TEXT NOT NULL,      -- Intacct key (RECORDNO unless told otherwise)
        doc_id        TEXT,               -- document number / ID
        when_modified TEXT,               -- WHENMODIFIED as yyyy-mm-ddTHH:MM:SS (sortable)
        entity        TEXT,               -- MEGAENTITYID, empty at the top level
        fields        TEXT NOT NULL,
        pulled_at     TEXT NOT NULL,
        PRIMARY KEY (object, record_no)
    );
    CREATE INDEX {name}_doc_id ON {name} (object, doc_id);
    CREATE INDEX {name}_modified ON {name} (object, when_modified);
    CREATE INDEX {name}_entity ON {name} (entity);
    """


_V1 = (
    "".join(_pulled_table(name) for name in PULLED_TABLES)
    + """
    CREATE TABLE outbox (
        id           INTEGER PRIMARY KEY,
        kind         TEXT NOT NULL,
        local_id     TEXT NOT NULL,       -- the record's id in the integration
        document_no  TEXT,                -- external id / document number sent to Intacct
        payload      TEXT NOT NULL,       -- JSON
        depends_on   INTEGER REFERENCES outbox (id),
        state        TEXT NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'in_flight', 'landed', 'failed', 'ignored')),
        intacct_key  TEXT,                -- RECORDNO once landed
        attempts     INTEGER NOT NULL DEFAULT 0,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        UNIQUE (kind, local_id)
    );
    CREATE INDEX outbox_state ON outbox (state, kind);
    CREATE INDEX outbox_depends_on ON outbox (depends_on);

    CREATE TABLE cursors (
        object        TEXT PRIMARY KEY,
        last_modified TEXT NOT NULL,      -- newest WHENMODIFIED seen, yyyy-mm-ddTHH:MM:SS
        overlap_s     INTEGER NOT NULL,   -- how far back the next pull starts, for clock skew
        updated_at    TEXT NOT NULL
    );

    CREATE TABLE sync_runs (
        id          INTEGER PRIMARY KEY,
        flows       TEXT NOT NULL,        -- JSON list of flow ids
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        status      TEXT NOT NULL,
        counts      TEXT NOT NULL DEFAULT '{}'
    );
    """
)

# v2: per-record sync errors (what failed, with its fix), and the last error on the record.
_V2 = """
    ALTER TABLE outbox ADD COLUMN last_error TEXT;
    ALTER TABLE sync_runs ADD COLUMN message TEXT;

    CREATE TABLE sync_errors (
        id          INTEGER PRIMARY KEY,
        record_kind TEXT NOT NULL,        -- outbox kind or Intacct object
        record_ref  TEXT NOT NULL,        -- local id or Intacct key
        outbox_id   INTEGER REFERENCES outbox (id),
        operation   TEXT NOT NULL,        -- create_invoice, readByQuery, ...
        error_no    TEXT NOT NULL,        -- Intacct errorno, '' if none
        message     TEXT NOT NULL,        -- redacted
        support_id  TEXT,
        fix_id      TEXT,
        state       TEXT NOT NULL DEFAULT 'open'
                    CHECK (state IN ('open', 'retrying', 'ignored', 'resolved')),
        first_seen  TEXT NOT NULL,
        last_seen   TEXT NOT NULL,
        count       INTEGER NOT NULL DEFAULT 1,
        UNIQUE (record_kind, record_ref, operation, error_no)
    );
    CREATE INDEX sync_errors_state ON sync_errors (state);
    CREATE INDEX sync_errors_outbox ON sync_errors (outbox_id);
"""

# v3: no index on `entity`. Nothing looks records up by entity, and every pulled record paid
# for writing it.
_V3 = "".join(f"DROP INDEX IF EXISTS {name}_entity;\n" for name in PULLED_TABLES)

# v4: no index on `when_modified`. The pull keeps the newest WHENMODIFIED of what it read in
# Python and moves the cursor from that, so nothing reads by it; every pulled record paid for
# writing it.
_V4 = "".join(f"DROP INDEX IF EXISTS {name}_modified;\n" for name in PULLED_TABLES)

# v5: records deleted in Intacct stay in the mirror, flagged with when the sync noticed it
# (wizard/sync/deletions.py), so what was synced is never lost and exports can show it.
_V5 = "".join(f"ALTER TABLE {name} ADD COLUMN deleted_at TEXT;\n" for name in PULLED_TABLES)

MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4, _V5)
LATEST_VERSION = len(MIGRATIONS)


class SchemaTooNew(Exception):
    """The database was written by a newer version of the wizard."""


def schema_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(
    conn: sqlite3.Connection,
    target: int = LATEST_VERSION,
    steps: Sequence[str] = MIGRATIONS,
) -> int:
    """Bring the database up to `target`, one step per transaction. Returns the new version.

    `conn` must be in autocommit mode (isolation_level=None)."""
    current = schema_version(conn)
    if current > len(steps):
        raise SchemaTooNew(
            f"This sync database was written by a newer version of the wizard (schema "
            f"{current}, this version knows up to {len(steps)}). Update the wizard, or open "
            "the profile with the version that created it."
        )
    for version in range(current, target):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # executescript would COMMIT first; run statement by statement inside our BEGIN.
            for statement in _statements(steps[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return schema_version(conn)


def _statements(script: str) -> list[str]:
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
