"""The sync engine and its local SQLite store.

- `flows`: the data-flow catalogue (resources/sync/flows.toml): what can move, in which
  direction, and the Intacct permissions each flow needs.
- `outbox`: kinds and states of local records pushed to Intacct, and the legal moves.
- `schema`: the store's tables and versioned migrations (PRAGMA user_version).
- `store`: the per-profile SQLite store (pulled records, outbox, cursors, runs, errors).
- `settings`: what a run needs from the connection profile (flows, level, mappings, limits).
- `progress`: `Progress` reports and `Cancel`, shared by the GUI and the CLI.
- `pull`: objects read page by page into the store (resources/sync/pull.toml), cursors.
- `documents`: outbox records -> gateway functions, mapping applied per line
  (resources/sync/push.toml says how each kind is found again by its number).
- `push`: exactly-once push in dependency order, batched, within the concurrency limit.
- `dryrun`: predicted failures, with fixes, from what was pulled; writes nothing.
- `engine`: `SyncEngine.run()` / `.dry_run()` / `.retry()` / `.ignore()`; `SyncSummary`.
- `demo`: the demo outbox (resources/sync/demo_outbox.toml).
"""
