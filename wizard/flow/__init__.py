"""The wizard's flow: which page follows which, what each page needs, what Back restores.

Pure Python, no Qt (DESIGN.md): the Qt wizard only asks this package where to go next, so every
path (new connection, diagnose, demo) is tested without a widget.
"""

from wizard.flow.data import PermissionModel, Route, WizardData
from wizard.flow.machine import Flow, FlowError
from wizard.flow.pages import PAGES, PageId, PageSpec, next_page, planned_pages

__all__ = [
    "PAGES",
    "Flow",
    "FlowError",
    "PageId",
    "PageSpec",
    "PermissionModel",
    "Route",
    "WizardData",
    "next_page",
    "planned_pages",
]
