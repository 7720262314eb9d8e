"""Records to send, from files (CSV with the columns of Intacct's import templates, or JSON
Lines): `templates` (resources/templates), `files` (encodings, formats, rows),
`values` (dates and amounts), `importer` (checks and the outbox, whole file or nothing)."""
