"""`intacct-wizard export OBJECT`: the records the sync keeps of one Intacct object, from the
local store, as CSV or JSON Lines (columns as Intacct names the fields, plus DELETED_AT)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from wizard.commands.outbox import add_store_arguments, open_store

NAME = "export"
HELP = "write the records the sync keeps of one Intacct object (CUSTOMER, ARINVOICE, ...)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("object", metavar="OBJECT", help="e.g. CUSTOMER, ARINVOICE, ARPYMT")
    parser.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    parser.add_argument(
        "--since", metavar="YYYY-MM-DD", help="only records changed in Intacct on or after this day"
    )
    parser.add_argument(
        "--output", type=Path, metavar="FILE", help="write here (default: the screen)"
    )
    add_store_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from wizard.connection import ProfileError
    from wizard.sync.export import ExportFormat, export_object
    from wizard.sync.store import StoreError

    since = None
    if args.since:
        try:
            since = dt.date.fromisoformat(args.since)
        except ValueError:
            print(f"{args.since!r} is not a date; write it as YYYY-MM-DD.", file=sys.stderr)
            return 2
    try:
        store = open_store(args)
    except (StoreError, ProfileError) as error:
        print(str(error), file=sys.stderr)
        return 1
    with store:
        try:
            store.view(args.object)
            if args.output is None:
                count = export_object(
                    store, args.object, sys.stdout, format=ExportFormat(args.format), since=since
                )
            else:
                # utf-8-sig: Excel opens a CSV with a byte order mark as UTF-8.
                encoding = "utf-8-sig" if args.format == "csv" else "utf-8"
                with args.output.open("w", encoding=encoding, newline="") as out:
                    count = export_object(
                        store, args.object, out, format=ExportFormat(args.format), since=since
                    )
        except StoreError as error:
            print(str(error), file=sys.stderr)
            return 1
        except OSError as error:
            print(f"Cannot write {args.output}: {error.strerror}.", file=sys.stderr)
            return 1
    if args.output is not None:
        print(f"{count} {args.object.upper()} records written to {args.output}.", file=sys.stderr)
    return 0
