"""Every built-in check, listed once, in the order the admin sees them.

The one module that imports the check modules; they import only `registry` (plain data), so
the import graph has no circle.
"""

from __future__ import annotations

from wizard.checks.accounts import CHECKS as ACCOUNTS
from wizard.checks.ar_settings import CHECKS as AR_SETTINGS
from wizard.checks.concurrency import CHECKS as CONCURRENCY
from wizard.checks.context import CheckContext
from wizard.checks.custom_fields import CHECKS as CUSTOM_FIELDS
from wizard.checks.dimensions import CHECKS as DIMENSIONS
from wizard.checks.entity_level import CHECKS as ENTITY_LEVEL
from wizard.checks.module_settings import CHECKS as MODULE_SETTINGS
from wizard.checks.permissions import CHECKS as PERMISSIONS
from wizard.checks.posting_trial import CHECKS as POSTING_TRIAL
from wizard.checks.registry import Registry
from wizard.checks.rest_access import CHECKS as REST_ACCESS
from wizard.checks.rest_context import RestCheckContext
from wizard.checks.rest_posting import CHECKS as REST_POSTING
from wizard.checks.rest_sign_in import CHECKS as REST_SIGN_IN
from wizard.checks.sign_in import CHECKS as SIGN_IN

BUILTIN_CHECKS = (
    *SIGN_IN,
    *PERMISSIONS,
    *ENTITY_LEVEL,
    *DIMENSIONS,
    *ACCOUNTS,
    *AR_SETTINGS,
    *CUSTOM_FIELDS,
    *MODULE_SETTINGS,
    *CONCURRENCY,
    *POSTING_TRIAL,
)


def default_registry() -> Registry:
    """Every built-in check, in the order the admin sees them."""
    return Registry(BUILTIN_CHECKS)


# Over the REST API: the checks that make sense there (wizard/checks/rest_*.py).
REST_CHECKS = (*REST_SIGN_IN, *REST_ACCESS, *REST_POSTING)


def rest_registry() -> Registry:
    """The checks of a connection over the REST API, in the order the admin sees them."""
    return Registry(REST_CHECKS)


def registry_for(context: CheckContext) -> Registry:
    """The checks for the connection's method (XML gateway or REST API)."""
    return rest_registry() if isinstance(context, RestCheckContext) else default_registry()
