"""`intacct-wizard outbox import FILE...`: records to send to Intacct, from CSV or JSON Lines
files with the columns of Intacct's import templates (resources/templates).

Each file is added whole or not at all: any problem and the file adds nothing, and every
problem is listed with its row, its column and what to change (exit status 1).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wizard.sync.intake.importer import Importer
    from wizard.sync.store import Store

NAME = "outbox"
HELP = "add records to send to Intacct from CSV or JSON Lines files (outbox import FILE...)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="outbox_action", metavar="ACTION", required=True)
    imports = actions.add_parser(
        "import",
        help="add the records of these files (customers, AR invoices, adjustments, payments)",
        description="Add the records of CSV files (the columns of Intacct's import templates, "
        "see Save a template in the wizard) or JSON Lines files to the records the next sync "
        "sends. A file with any problem adds nothing; each problem names its row and column.",
    )
    imports.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imports.add_argument(
        "--kind",
        choices=("customers", "invoices", "adjustments", "payments"),
        help="what the files hold (default: told from their column names)",
    )
    imports.add_argument(
        "--dry-run", action="store_true", help="check the files and say what would be added"
    )
    imports.add_argument("--json", action="store_true", help="print the outcome as one JSON line")
    add_store_arguments(imports)


def add_store_arguments(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--profile", metavar="NAME", help="the saved connection whose data to use")
    where.add_argument(
        "--database", type=Path, metavar="PATH", help="a sync database file (instead of --profile)"
    )


def open_store(args: argparse.Namespace) -> Store:
    """The store named by --profile or --database; StoreError or ProfileError says why not."""
    from wizard.sync.store import Store

    if args.database is not None:
        return Store.open(args.database)
    from wizard.connection.profile_store import ProfileStore

    profile = ProfileStore().load(args.profile)
    return Store.for_profile(profile.name)


def run(args: argparse.Namespace) -> int:
    from wizard.connection import ProfileError
    from wizard.sync.intake.importer import Importer
    from wizard.sync.intake.templates import TemplateDataError
    from wizard.sync.store import StoreError

    try:
        store = open_store(args)
    except (StoreError, ProfileError) as error:
        print(str(error), file=sys.stderr)
        return 1
    try:
        importer = Importer(store)
    except TemplateDataError as error:
        store.close()
        print(str(error), file=sys.stderr)
        return 1
    ok = True
    results = []
    with store:
        for path in _in_push_order(args.files, args.kind, importer):
            result = importer.import_file(path, args.kind, dry_run=args.dry_run)
            ok = ok and result.ok
            results.append(result)
            if not args.json:
                print(result.summary())
                for problem in result.problems:
                    print(f"  {problem}")
                if result.more_problems:
                    print(f"  ... and {result.more_problems} more problems.")
                for warning in result.warnings:
                    print(f"  Note: {warning}")
    if args.json:
        print(json.dumps({"ok": ok, "files": [r.as_json() for r in results]}))
    elif not ok:
        print("Fix the problems above and import the files again.", file=sys.stderr)
    return 0 if ok else 1


def _in_push_order(files: list[Path], kind: str | None, importer: Importer) -> list[Path]:
    """Customers before invoices before adjustments and payments, whatever order the files
    were named in (an invoice's customer may be in another file of the same import)."""
    from wizard.sync.intake.files import UnreadableFile, open_records

    if kind is not None:
        return list(files)

    def rank(path: Path) -> int:
        try:
            opened, rows = open_records(path)
        except UnreadableFile:
            return -1  # reported when imported
        close = getattr(rows, "close", None)
        if close:
            close()
        try:
            return importer.template_for(opened.header).kind.rank
        except ValueError:
            return -1

    return sorted(files, key=rank)
