"""The macOS build signs and notarises only when the environment provides the identity."""

from __future__ import annotations

import build_macos
import buildlib
import pytest

IDENTITY = "Developer ID Application: Example Ltd (TEAMID1234)"


def test_without_settings_nothing_is_signed_or_notarised() -> None:
    plan = build_macos.signing_plan({})
    assert plan.identity is None and not plan.notarize


def test_identity_alone_signs_but_does_not_notarise() -> None:
    plan = build_macos.signing_plan({"MACOS_SIGNING_IDENTITY": IDENTITY})
    assert plan.identity == IDENTITY and not plan.notarize


def test_a_stored_notary_profile_is_preferred() -> None:
    env = {"MACOS_SIGNING_IDENTITY": IDENTITY, "APPLE_NOTARY_PROFILE": "wizard-notary",
           "APPLE_ID": "a@example.com", "APPLE_TEAM_ID": "TEAMID1234",
           "APPLE_APP_PASSWORD": "abcd-efgh"}  # fmt: skip
    plan = build_macos.signing_plan(env)
    assert plan.notary_args == ("--keychain-profile", "wizard-notary")


def test_apple_id_credentials_notarise_when_all_three_are_set() -> None:
    env = {"MACOS_SIGNING_IDENTITY": IDENTITY, "APPLE_ID": "a@example.com",
           "APPLE_TEAM_ID": "TEAMID1234"}  # fmt: skip
    assert not build_macos.signing_plan(env).notarize  # password missing: skip, don't half-try
    plan = build_macos.signing_plan({**env, "APPLE_APP_PASSWORD": "abcd-efgh"})
    assert plan.notarize and "--team-id" in plan.notary_args


def test_notarising_without_an_identity_is_refused_with_the_fix() -> None:
    with pytest.raises(buildlib.BuildError, match="Set MACOS_SIGNING_IDENTITY"):
        build_macos.signing_plan({"APPLE_NOTARY_PROFILE": "wizard-notary"})


def test_disk_image_is_named_for_version_and_architecture() -> None:
    assert build_macos.dmg_name("0.1.0", "arm64") == "IntacctSetupWizard-0.1.0-macos-arm64.dmg"
    assert build_macos.dmg_name("0.1.0", "x86_64") == "IntacctSetupWizard-0.1.0-macos-x86_64.dmg"
