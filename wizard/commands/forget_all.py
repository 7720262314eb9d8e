"""`intacct-wizard forget-all --yes`: delete every saved connection, its passwords in the
system keyring, the sync data and the logs (the Windows uninstaller's "remove my data" box).

Without --yes it only lists what it would delete and exits 2. Exit 0: all deleted; 1: some
of it could not be deleted (the message says what, and why).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

NAME = "forget-all"
HELP = (
    "delete every saved connection, its passwords in the system keyring, the sync data "
    "and the logs; lists what it would delete unless --yes is given"
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--yes", action="store_true", help="really delete (no question asked)")


def _folders() -> list[Path]:
    from wizard import paths

    found = paths.all_dirs()  # each folder once
    # A folder inside another (Linux keeps logs in the state folder) goes with its parent.
    return [
        folder
        for folder in found
        if not any(folder != other and folder.is_relative_to(other) for other in found)
    ]


def run(args: argparse.Namespace) -> int:
    from wizard.connection import KeyringUnavailable, ProfileError, ProfileStore, service_name
    from wizard.logs import close_logging

    store = ProfileStore()
    names = store.names()
    folders = [f for f in _folders() if f.exists()]
    if not args.yes:
        print("forget-all would delete:")
        for name in names:
            print(f"  connection “{name}” and its passwords (keyring item “{service_name(name)}”)")
        for folder in folders:
            print(f"  the folder {folder}")
        if not names and not folders:
            print("  nothing: no connections or data are saved.")
        print("Run `intacct-wizard forget-all --yes` to delete them.")
        return EXIT_USAGE
    problems: list[str] = []
    for name in names:
        try:
            store.delete(name)
            print(f"Deleted connection “{name}” and its passwords.")
        except KeyringUnavailable as error:
            problems.append(f"the passwords of “{name}” ({error.reason})")
        except ProfileError as error:
            problems.append(f"connection “{name}” ({error})")
    close_logging()  # the log file must be closed before its folder goes (Windows)
    for folder in folders:
        if problems and folder == store.config_dir:
            continue  # keep profiles whose passwords could not be deleted: try again later
        try:
            shutil.rmtree(folder)
            print(f"Deleted {folder}")
        except OSError as error:
            problems.append(f"{folder} ({error.strerror})")
    if problems:
        print("Could not delete: " + "; ".join(problems), file=sys.stderr)
        return EXIT_FAILED
    print("Everything the wizard saved on this computer is gone.")
    return EXIT_OK
