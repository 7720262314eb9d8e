"""The flow catalogue (what can sync) and the fix catalogue, loaded once."""

from __future__ import annotations

from wizard.fixes import Fix, load_catalogue
from wizard.sync.flows import FlowCatalogue, load_flows

_flows: FlowCatalogue | None = None


def flow_catalogue() -> FlowCatalogue:
    global _flows
    if _flows is None:
        _flows = load_flows()
    return _flows


def fix_for(fix_id: str | None) -> Fix:
    return load_catalogue().get(fix_id or "unrecognised-error")
