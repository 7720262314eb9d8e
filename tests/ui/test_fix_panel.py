"""The fix panel shows the runner-up cause when the error fits two almost equally."""

from __future__ import annotations

import dataclasses

from pytestqt.qtbot import QtBot

from wizard.fixes import load_catalogue, match
from wizard.fixes.surfaces import Surface
from wizard.ui.fix_panel import FixPanel


def test_a_clear_answer_shows_no_alternative(qtbot: QtBot) -> None:
    panel = FixPanel(match("getaddrinfo ENOTFOUND api.intacct.com"), check_id="endpoint-reachable")
    qtbot.addWidget(panel)
    assert panel.fix.id == "host-not-found"
    assert panel.alternatives == []


def test_the_runner_up_follows_with_its_own_steps(qtbot: QtBot) -> None:
    catalogue = load_catalogue()
    runner_up = catalogue.get("network-timeout")
    fix = dataclasses.replace(
        catalogue.get("connection-dropped"), confident=False, alternatives=(runner_up,)
    )
    panel = FixPanel(fix)
    qtbot.addWidget(panel)
    [other] = panel.alternatives
    assert other.objectName() == "fixAlternative_network-timeout"
    assert "Or, if that does not fit" in other.text()
    assert runner_up.steps[0].split(":")[0] in other.text()
    assert runner_up.title in other.accessibleName()


def test_the_runner_ups_steps_are_worded_for_this_page_not_shown_as_tokens(qtbot: QtBot) -> None:
    """A catalogue step that points into the product is a {token}; the runner-up's too."""
    fix = match("The GL account is restricted or the period is closed")
    assert [alternative.id for alternative in fix.alternatives] == ["period-closed"]
    panel = FixPanel(fix, surface=Surface.SYNC_PAGE)
    qtbot.addWidget(panel)
    [other] = panel.alternatives
    assert "{" not in other.text() and "{" not in other.accessibleName()
    assert "Click Retry these" in other.text()
