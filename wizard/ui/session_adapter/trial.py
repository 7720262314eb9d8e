"""The trial run of a third-party integration (checks/trial_run.py), for the Trial page."""

from __future__ import annotations

from wizard.checks.connect import context_for_profile
from wizard.checks.trial_run import TrialReport, trial_run
from wizard.ui.session_adapter.target import Target


def run_trial(target: Target) -> TrialReport:
    """Read every object the integration reads, try each document kind it writes (undone)."""
    with context_for_profile(target.profile, target.found) as context:
        return trial_run(context)
