"""The fix panel shows the runner-up cause when the error fits two almost equally."""

from __future__ import annotations

import dataclasses

from pytestqt.qtbot import QtBot

from wizard.fixes import load_catalogue, match
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
