"""Integration profiles: which product the admin is connecting and what it needs in Intacct.

from wizard.integrations import load_integrations
expensify = load_integrations().get("expensify")
"""

from wizard.integrations.catalogue import (
    IntegrationCatalogue,
    IntegrationCatalogueError,
    load_integrations,
)
from wizard.integrations.custom import (
    CUSTOM_INTEGRATION_ID,
    CustomNeedsError,
    custom_integration,
    parse_needs,
)
from wizard.integrations.model import (
    OPERATIONS,
    OWN_INTEGRATION_ID,
    DocumentKind,
    EntityRule,
    Integration,
    Level,
    Methods,
    Need,
    Permission,
    Setting,
)

__all__ = [
    "CUSTOM_INTEGRATION_ID",
    "OPERATIONS",
    "OWN_INTEGRATION_ID",
    "CustomNeedsError",
    "DocumentKind",
    "EntityRule",
    "Integration",
    "IntegrationCatalogue",
    "IntegrationCatalogueError",
    "Level",
    "Methods",
    "Need",
    "Permission",
    "Setting",
    "custom_integration",
    "load_integrations",
    "parse_needs",
]
