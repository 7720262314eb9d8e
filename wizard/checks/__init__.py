"""Diagnostic checks: each a small function from a context to a Finding."""
