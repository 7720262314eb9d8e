"""Deletions noticed: records deleted in Intacct are flagged in the mirror, never erased.

An incremental pull reads what changed since the cursor (WHENMODIFIED), and a deleted record
has no WHENMODIFIED left to read, so the pull alone never learns of it. Intacct notes every
deletion in its audit trail, the AUDITHISTORY object, and public connectors read it for
exactly this ("The incremental strategy ... captures deletions by querying the AUDITHISTORY
object. If the credentials ... do not have permission to query the AUDITHISTORY object,
deletions will not be captured": https://docs.estuary.dev/reference/Connectors/capture-
connectors/sage-intacct/; an entry's OBJECTTYPE, OBJECTKEY, ACCESSMODE and ACCESSTIME, with
ACCESSMODE "Deleted", "Delete Event" or "D" for a deletion, as read by
https://gist.github.com/bennett39/38f9a877ec51fc2d02bb073e9fca9a48).

After each pull this step reads the audit entries of deletions since its own cursor, for the
objects the sync keeps, and flags each deleted record it holds (`deleted_at`, when Intacct
deleted it). The first time, it starts from now: every record in the mirror was just read
alive. Chosen (no public source gives it): OBJECTTYPE is the object name in lower case and
OBJECTKEY its RECORDNO; ACCESSTIME is on the same clock as WHENMODIFIED (the cursor's overlap
absorbs drift). If the audit trail cannot be read, the run goes on and says that deletions
could not be verified, and why that may be.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from wizard.gateway import Client, GatewayError
from wizard.sync.schema import PULLED_OBJECTS
from wizard.sync.store import Store, normalize_modified

AUDIT_OBJECT = "AUDITHISTORY"
DELETED_MODES = ("Deleted", "Delete Event", "D")
_FIELDS = "OBJECTTYPE,OBJECTKEY,ACCESSMODE,ACCESSTIME"
# Objects whose mirror key is not RECORDNO cannot be matched to an audit entry's OBJECTKEY.
_NOT_BY_RECORDNO = {"DIMENSIONS"}

COULD_NOT_VERIFY = (
    "Records deleted in Intacct could not be checked this time: Intacct refused to show its "
    "audit trail ({error}). Deleted records stay in the local copy unflagged. Likely causes: "
    "the Web Services user has no permission to view the audit trail (Company > Roles or the "
    "user's permissions: Audit Trail, list and view), or the Company application is not "
    "subscribed for that user. The message above names which: a permission message means "
    "the first; then grant it and sync again."
)


@dataclass(frozen=True)
class DeletionsResult:
    marked: Mapping[str, int] = field(default_factory=dict)  # object -> records newly flagged
    entries: int = 0  # deletion entries Intacct listed
    could_not_verify: str | None = None  # why deletions were not checked, if they were not

    @property
    def total(self) -> int:
        return sum(self.marked.values())


def _intacct_time(moment: dt.datetime) -> str:
    return moment.strftime("%m/%d/%Y %H:%M:%S")


def notice_deletions(
    store: Store,
    client: Client,
    objects: Iterable[str],
    *,
    now: dt.datetime,
    overlap_s: int,
    page_size: int,
) -> DeletionsResult:
    """Flag the records of `objects` that Intacct deleted since the last check."""
    by_type = {
        name.lower(): name
        for name in objects
        if name in PULLED_OBJECTS and name not in _NOT_BY_RECORDNO
    }
    if not by_type:
        return DeletionsResult()
    cursor = store.get_cursor(AUDIT_OBJECT)
    now_iso = now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    if cursor is None:
        # Nothing to look back for: the mirror was just read, every record in it alive.
        store.set_cursor(AUDIT_OBJECT, now_iso, overlap_s)
        return DeletionsResult()
    types = ", ".join(f"'{name}'" for name in sorted(by_type))
    modes = ", ".join(f"'{mode}'" for mode in DELETED_MODES)
    query = (
        f"ACCESSTIME >= '{_intacct_time(cursor.query_from)}' AND OBJECTTYPE IN ({types}) "
        f"AND ACCESSMODE IN ({modes})"
    )
    marked: dict[str, int] = {}
    entries = 0
    newest = cursor.last_modified
    try:
        reader = client.read_by_query(AUDIT_OBJECT, query, _FIELDS, page_size)
        for page in reader.by_page():
            last = not reader.more
            with store.transaction():
                for entry in page:
                    entries += 1
                    name = by_type.get(str(entry.get("OBJECTTYPE", "")).lower())
                    key = str(entry.get("OBJECTKEY", "")).strip()
                    when = normalize_modified(str(entry.get("ACCESSTIME", ""))) or now_iso
                    if when > newest:
                        newest = when
                    if name and key and store.mark_deleted(name, key, when):
                        marked[name] = marked.get(name, 0) + 1
                if last:
                    store.set_cursor(AUDIT_OBJECT, newest, overlap_s)
            if last:
                break
    except GatewayError as error:
        return DeletionsResult(marked, entries, COULD_NOT_VERIFY.format(error=error))
    return DeletionsResult(marked, entries)
