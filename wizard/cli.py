"""The one entry point: no arguments opens the wizard; subcommands run headless."""

from __future__ import annotations

import argparse
import importlib
import sys
from types import ModuleType

from wizard import APP_NAME, __version__

# Subcommand modules under wizard/commands/, in the order `--help` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "sandbox",
    "explain",
    "sync",
    "outbox",
    "export",
    "diagnose",
    "integrations",
    "report",
    "forget_all",
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _command_modules() -> list[ModuleType]:
    return [importlib.import_module(f"wizard.commands.{name}") for name in COMMAND_MODULES]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="intacct-wizard",
        description=f"{APP_NAME}: connect Sage Intacct to an integration, test the "
        "connection and fix what is wrong. With no command, opens the wizard.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the wizard on the built-in sandbox company (no Intacct account needed)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check that this installation works (starts the sandbox, runs the demo "
        "connection test offscreen) and exit",
    )
    parser.add_argument(
        "--expect-keyring",
        metavar="CLASS",
        help="with --self-test: fail unless the active keyring backend is this class "
        "(e.g. keyring.backends.Windows.WinVaultKeyring)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        sub = commands.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command:
        return int(args.run(args))
    if args.expect_keyring and not args.self_test:
        print("--expect-keyring only works with --self-test.", file=sys.stderr)
        return EXIT_USAGE
    from wizard import qt_system

    try:
        from wizard.ui.app import run_gui  # type: ignore[import-not-found]
    except ImportError as error:
        if isinstance(error, ModuleNotFoundError) and (error.name or "").startswith("wizard.ui"):
            print(
                f"{APP_NAME} {__version__}: the wizard window is not part of this build.\n"
                "Run `intacct-wizard --help` to see the commands that are.",
                file=sys.stderr,
            )
        else:  # Qt or a system library it needs is missing: say which, and how to get it
            print(
                f"{APP_NAME} {__version__}: {qt_system.explain_import_error(error)}",
                file=sys.stderr,
            )
        return EXIT_FAILED
    missing = qt_system.missing_window_libraries()
    if missing:  # Qt would abort the whole process with its own cryptic message
        print(f"{APP_NAME} {__version__}: {qt_system.explain_missing(missing)}", file=sys.stderr)
        return EXIT_FAILED
    if args.self_test:
        return int(run_gui(self_test=True, expect_keyring=args.expect_keyring))
    return int(run_gui(demo=args.demo))
