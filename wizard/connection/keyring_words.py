"""What the wizard tells an admin about the system keyring: its name on this computer, where
the passwords are kept in it, why it cannot be used (`Problem`) and how to get one that works.
"""

from __future__ import annotations

import enum

import keyring.backend


class Problem(enum.StrEnum):
    """Why the keyring cannot be used."""

    NO_BACKEND = "no-backend"  # no keyring found on this computer
    DISABLED = "disabled"  # the "null" keyring was chosen: everything is silently dropped
    LOCKED = "locked"  # locked, or the unlock / access prompt was dismissed
    FAILED = "failed"  # the keyring refused the call for another reason


def display_name(backend: keyring.backend.KeyringBackend) -> str:
    module = type(backend).__module__
    lowered = module.lower()
    if "windows" in lowered:
        return "Windows Credential Manager"
    if "macos" in lowered or "os_x" in lowered:
        return "macOS Keychain"
    if "kwallet" in lowered:
        return "KWallet"
    if "secretservice" in lowered or "libsecret" in lowered:
        return "Secret Service (GNOME Keyring or KWallet)"
    name = getattr(backend, "name", "") or type(backend).__name__
    return f"keyring backend “{name}”"


def where_kept(display: str, service: str) -> str:
    if display == "Windows Credential Manager":
        return (
            "in Windows Credential Manager (Control Panel > Credential Manager > Windows "
            f"Credentials), in the item named “{service}”"
        )
    if display == "macOS Keychain":
        return f"in your login keychain (open Keychain Access), in the item named “{service}”"
    if display.startswith(("Secret Service", "KWallet")):
        return f"in your desktop keyring ({display}), in the item for “{service}”"
    return f"in the {display}, under the service name “{service}”"


def help_text(problem: Problem, platform: str) -> str:
    if problem is Problem.DISABLED:
        return (
            "The system keyring has been turned off for this program (the "
            "PYTHON_KEYRING_BACKEND setting or “keyring --disable” chose the “null” keyring, "
            "which keeps nothing). Remove that setting and start the wizard again."
        )
    if problem is Problem.LOCKED:
        first = "Unlock the keyring, or choose Allow when you are asked, then try again."
    else:
        first = ""
    if platform == "darwin":
        os_help = (
            "The macOS Keychain is part of macOS: open Keychain Access, make sure your login "
            "keychain is unlocked (File > Unlock Keychain), and when macOS asks whether the "
            "wizard may use it, choose Allow."
        )
    elif platform.startswith("win"):
        os_help = (
            "Windows Credential Manager is part of Windows: sign in with your own user "
            "account (not a temporary or guest profile) and check that Control Panel > "
            "Credential Manager opens."
        )
    else:
        os_help = (
            "On Linux, install and start a Secret Service keyring such as GNOME Keyring "
            "(package gnome-keyring) or KWallet, unlock it, and start the wizard from your "
            "desktop session. “python -m keyring diagnose” shows which keyring was found."
        )
    return f"{first} {os_help}".strip()


def problem_message(problem: Problem, display: str) -> str:
    return {
        Problem.NO_BACKEND: "No system keyring was found on this computer, so the passwords "
        "cannot be saved safely.",
        Problem.DISABLED: "The system keyring is turned off, so the passwords cannot be "
        "saved safely.",
        Problem.LOCKED: f"The {display} is locked or access to it was refused, so the "
        "passwords could not be read or saved.",
        Problem.FAILED: f"The {display} refused to store or read the passwords.",
    }[problem]
