"""Intacct Setup Wizard: connect Sage Intacct to an integration and keep it healthy."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("intacct-setup-wizard")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+checkout"

APP_NAME = "Intacct Setup Wizard"
APP_ID = "IntacctSetupWizard"
