"""Connection profiles (non-secret settings) and their secrets (OS keyring)."""
