"""Build the macOS app and disk image: "Intacct Setup Wizard.app" in a drag-to-Applications .dmg.

    python3 installers/build_macos.py --out ~/build/wizard

Needs macOS (hdiutil, codesign, xcrun) and Python with the project installed
(`pip install -e '.[test]'`, which brings PyInstaller). Signing and notarisation run only when
their settings are in the environment; without them the app is ad-hoc signed and the .dmg
opens on the build machine, but Gatekeeper will warn other Macs:

    MACOS_SIGNING_IDENTITY   "Developer ID Application: Example Ltd (TEAMID1234)"
    APPLE_NOTARY_PROFILE     a `xcrun notarytool store-credentials` profile name, or all of
    APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD   (an app-specific password)
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import buildlib


@dataclass(frozen=True)
class SigningPlan:
    """What the environment asks for: a signing identity and, optionally, notarisation."""

    identity: str | None
    notary_args: tuple[str, ...]  # credentials for `xcrun notarytool submit`; empty = skip

    @property
    def notarize(self) -> bool:
        return bool(self.notary_args)


def signing_plan(env: Mapping[str, str]) -> SigningPlan:
    identity = env.get("MACOS_SIGNING_IDENTITY") or None
    notary: tuple[str, ...] = ()
    if env.get("APPLE_NOTARY_PROFILE"):
        notary = ("--keychain-profile", env["APPLE_NOTARY_PROFILE"])
    elif all(env.get(key) for key in ("APPLE_ID", "APPLE_TEAM_ID", "APPLE_APP_PASSWORD")):
        notary = ("--apple-id", env["APPLE_ID"], "--team-id", env["APPLE_TEAM_ID"],
                  "--password", env["APPLE_APP_PASSWORD"])  # fmt: skip
    if notary and identity is None:
        raise buildlib.BuildError(
            "Notarisation settings are set but MACOS_SIGNING_IDENTITY is not: Apple only "
            "notarises apps signed with a Developer ID. Set MACOS_SIGNING_IDENTITY too."
        )
    return SigningPlan(identity=identity, notary_args=notary)


def dmg_name(version: str, machine: str) -> str:
    arch = {"x86_64": "x86_64", "arm64": "arm64", "aarch64": "arm64"}.get(machine, machine)
    return f"{buildlib.GUI_EXE}-{version}-macos-{arch}.dmg"


def _run(*command: str, secret: str | None = None) -> None:
    shown = " ".join("***" if part == secret else part for part in command)
    print(f"+ {shown}", flush=True)
    if subprocess.run(command, check=False).returncode != 0:
        raise buildlib.BuildError(f"this step failed: {shown}")


def make_dmg(app: Path, dmg: Path) -> Path:
    """A compressed disk image holding the app beside a link to /Applications."""
    with tempfile.TemporaryDirectory(prefix="wizard-dmg-") as staging_name:
        staging = Path(staging_name)
        _run("ditto", str(app), str(staging / app.name))  # keeps symlinks and signatures
        (staging / "Applications").symlink_to("/Applications")
        dmg.unlink(missing_ok=True)
        _run("hdiutil", "create", "-volname", buildlib.APP_NAME, "-srcfolder", str(staging),
             "-fs", "HFS+", "-format", "UDZO", "-ov", str(dmg))  # fmt: skip
    return dmg


def sign_and_notarize(app: Path, dmg: Path, plan: SigningPlan) -> None:
    if plan.identity is None:
        print("MACOS_SIGNING_IDENTITY not set: the app is ad-hoc signed only (not for release).")
        return
    # PyInstaller signed the app with the identity and the hardened runtime; check it holds.
    _run("codesign", "--verify", "--deep", "--strict", "--verbose=2", str(app))
    _run("codesign", "--sign", plan.identity, "--timestamp", str(dmg))
    if not plan.notarize:
        print("No notarisation settings: skipping notarytool (Gatekeeper will warn users).")
        return
    password = plan.notary_args[-1] if "--password" in plan.notary_args else None
    _run("xcrun", "notarytool", "submit", str(dmg), *plan.notary_args, "--wait", secret=password)
    _run("xcrun", "stapler", "staple", str(dmg))
    _run("spctl", "--assess", "--type", "open", "--context", "context:primary-signature",
         "--verbose", str(dmg))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="build folder (not the checkout)")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    if platform.system() != "Darwin" or shutil.which("hdiutil") is None:
        print("build_macos.py runs on macOS only (it needs hdiutil and codesign).", file=sys.stderr)
        return 2
    try:
        plan = signing_plan(os.environ)
        bundle = buildlib.run_pyinstaller(out / "dist", out / "work")
        assert bundle.app is not None
        print(f"app: {bundle.app} ({buildlib.megabytes(bundle.size_bytes)})")
        dmg = make_dmg(bundle.app, out / dmg_name(buildlib.project_version(), platform.machine()))
        sign_and_notarize(bundle.app, dmg, plan)
    except buildlib.BuildError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    print(f"disk image: {dmg} ({buildlib.megabytes(dmg.stat().st_size)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
