"""The flow catalogue (what can sync), the fix catalogue and the integrations, loaded once."""

from __future__ import annotations

from wizard.connection import CustomNeeds
from wizard.fixes import Fix, load_catalogue
from wizard.integrations import CustomNeedsError, load_integrations
from wizard.sync.flows import FlowCatalogue, load_flows

_flows: FlowCatalogue | None = None


def flow_catalogue() -> FlowCatalogue:
    global _flows
    if _flows is None:
        _flows = load_flows()
    return _flows


def fix_for(fix_id: str | None) -> Fix:
    return load_catalogue().get(fix_id or "unrecognised-error")


def integration_name(integration_id: str, custom: CustomNeeds | None = None) -> str:
    """The integration's name as it reads inside a sentence ("this wizard's own sync",
    "Expensify", the name given to an integration the wizard does not list)."""
    try:
        integration = load_integrations().resolve(integration_id, custom)
    except (KeyError, CustomNeedsError):
        return "the integration described on the first page"
    if integration.is_own:
        return integration.name[0].lower() + integration.name[1:]
    return integration.name
