"""Bringing an older profile file up to the current layout, one version at a time.

Every profile file carries its layout version. Loading runs the chain of steps from the
file's version to `SCHEMA_VERSION`; an older file is migrated, never rejected. A file from a
newer wizard is refused with a message (it is never overwritten).

Layouts:
- v1: the first previews' flat layout: `version`, `company`, `user`, `sender`,
  `location_id` (the entity), mapping and sync settings at the top level, and `last_sync`
  (a timestamp) for the last clean run.
- v2: `schema_version`, the IDs under their own names, `mappings`, `sync` and
  `last_good_run` tables.
- v3: v2 plus a `posting` table: the accounts the sync posts to, how payments are
  recorded and the invoice number prefix (see `Profile.to_dict`).
- v4 (current): v3 plus a `network` table: `proxy_mode` ("system", "none" or "manual"),
  `proxy_url`, `proxy_user` and `extra_ca_file`; a v3 file gets the system's proxy and
  certificates, as before (the proxy password is in the keyring, never here).
  v4 also has `integration`, the id of the integration the connection is for
  (resources/integrations); a v3 file was made for the wizard's own sync: "this-program".
  v4 also has a `custom_integration` table for "custom" ("Other / not listed"): `name`,
  `sender_id` and `needs`, a table of object -> operations the admin ticked, e.g.
  {"GLACCOUNT": ["list", "view"]}; a v3 file has none (empty name, sender and needs).
  v4 also has `method` ("xml" or "rest": how the connection talks to Intacct) and a `rest`
  table (`client_id`, `grant` "client-credentials" or "sign-in", `base_url`,
  `redirect_uri`); a v3 file used the XML gateway. The REST client secret and refresh token
  are in the keyring, never here.

To change the layout: bump SCHEMA_VERSION, add a `_vN_to_vN+1` step to STEPS and a test that
loads a vN file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SCHEMA_VERSION = 4
VERSION_KEY = "schema_version"

Step = Callable[[dict[str, Any]], dict[str, Any]]


class MigrationError(ValueError):
    """The file's version is unknown or a step could not apply; the message says which."""


def _v1_to_v2(old: dict[str, Any]) -> dict[str, Any]:
    last_sync = old.get("last_sync")
    return {
        VERSION_KEY: 2,
        "name": old.get("name", ""),
        "company_id": old.get("company", ""),
        "user_id": old.get("user", ""),
        "sender_id": old.get("sender", ""),
        "entity_id": old.get("location_id") or "",
        "endpoint": old.get("endpoint", ""),
        "mappings": {
            "default_location": old.get("default_location", ""),
            "default_department": old.get("default_department", ""),
            "dimensions": old.get("dimension_map") or {},
            "custom_fields": old.get("custom_field_map") or {},
            "flows": old.get("flows") or [],
        },
        "sync": {
            "start_date": old.get("start_date"),
            "batch_size": old.get("batch_size"),
        },
        "last_good_run": None
        if not last_sync
        else {"finished_at": last_sync, "records": old.get("last_sync_records", 0)},
    }


def _v2_to_v3(old: dict[str, Any]) -> dict[str, Any]:
    # Nothing was chosen yet: the account checks and the test posting ask for it.
    return {**old, VERSION_KEY: 3, "posting": {}}


def _v3_to_v4(old: dict[str, Any]) -> dict[str, Any]:
    network = {"proxy_mode": "system", "proxy_url": "", "proxy_user": "", "extra_ca_file": ""}
    # Every v3 file was made for the wizard's own sync, the only integration v3 knew.
    rest = {"client_id": "", "grant": "client-credentials", "base_url": "", "redirect_uri": ""}
    return {
        **old,
        VERSION_KEY: 4,
        "network": network,
        "integration": "this-program",
        "custom_integration": {"name": "", "sender_id": "", "needs": {}},
        "method": "xml",
        "rest": rest,
    }


# from-version -> step that returns the next version's layout
STEPS: dict[int, Step] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


def file_version(data: dict[str, Any]) -> int:
    """The layout version a loaded file declares (v1 files say `version`)."""
    raw = data.get(VERSION_KEY, data.get("version"))
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise MigrationError(
            f"The file does not say which layout version it uses (expected '{VERSION_KEY}' "
            "to be a whole number)."
        )
    return raw


def migrate(data: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Return (data in the current layout, the version the file had)."""
    original = version = file_version(data)
    if version > SCHEMA_VERSION:
        raise MigrationError(
            f"The file was written by a newer version of the wizard (layout {version}; this "
            f"version reads up to {SCHEMA_VERSION}). Update the wizard to open it."
        )
    while version < SCHEMA_VERSION:
        step = STEPS.get(version)
        if step is None:
            raise MigrationError(f"There is no way to update a layout {version} file.")
        data = step(data)
        version = file_version(data)
    return data, original
