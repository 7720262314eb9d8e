"""The sync engine and its local SQLite store."""
