"""The error catalogue: fixes loaded from resources/fixes/*.toml and matched to errors."""
