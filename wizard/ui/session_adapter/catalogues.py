"""The flow catalogue (what can sync), the fix catalogue and the integrations, loaded once."""

from __future__ import annotations

from wizard.connection import CustomNeeds
from wizard.fixes import Fix, MatchContext, load_catalogue
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


# A pasted text longer than this is read only up to it: a whole log would take seconds to read
# (about 0.7 s per 100 000 characters) and says no more than the lines around the error.
EXPLAIN_MAX_CHARS = 100_000


def explain_error(text: str, integration_id: str | None = None) -> Fix:
    """The fix for an error pasted from an integration's screen, as `intacct-wizard explain`
    names it: `integration_id` makes that vendor's own codes count ("expensify": INT068)."""
    context = MatchContext(integration=integration_id or None)
    return load_catalogue().match(text[:EXPLAIN_MAX_CHARS], context)


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
