"""The error catalogue: fixes loaded from resources/fixes/*.toml and matched to errors.

from wizard.fixes import match, MatchContext
fix = match(gateway_error)                      # or an ErrorDetail, a stack, pasted text
fix = match("Invalid session", MatchContext(level=ErrorLevel.AUTHENTICATION))
"""

from wizard.fixes.catalogue import Catalogue, CatalogueError, ErrorInput, load_catalogue, match
from wizard.fixes.check_ids import CHECK_IDS
from wizard.fixes.model import GENERIC_FIX_ID, SITUATIONS, Fix, MatchContext

__all__ = [
    "CHECK_IDS",
    "GENERIC_FIX_ID",
    "SITUATIONS",
    "Catalogue",
    "CatalogueError",
    "ErrorInput",
    "Fix",
    "MatchContext",
    "load_catalogue",
    "match",
]
