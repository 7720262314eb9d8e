"""The sync engine and its local SQLite store.

- `flows`: the data-flow catalogue (resources/sync/flows.toml): what can move, in which
  direction, and the Intacct permissions each flow needs.
- `outbox`: kinds and states of local records pushed to Intacct, and the legal moves.
- `schema`: the store's tables and versioned migrations (PRAGMA user_version).
- `store`: the per-profile SQLite store (pulled records, outbox, cursors, runs, errors).
"""
