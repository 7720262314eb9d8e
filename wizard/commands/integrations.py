"""`intacct-wizard integrations`: the integrations the wizard knows, and what each needs.

Exit status: 0; 1 when the integration files could not be loaded (the message says which file
and entry is wrong).
"""

from __future__ import annotations

import argparse
import json
import sys

NAME = "integrations"
HELP = (
    "list the integrations the wizard can set up and diagnose (Expensify, BILL, Invoiced, ...) "
    "with their ids for --integration; --json adds what each needs"
)

EXIT_OK, EXIT_FAILED = 0, 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json",
        action="store_true",
        help='print a JSON list: [{"id", "name", "vendor", "sender_ids", "needs", ...}, ...]',
    )


def run(args: argparse.Namespace) -> int:
    from wizard.fixes import CatalogueError
    from wizard.integrations import IntegrationCatalogueError, load_integrations

    try:
        catalogue = load_integrations()
    except (IntegrationCatalogueError, CatalogueError) as error:
        print(f"The integration files could not be loaded: {error}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        print(json.dumps([i.as_dict() for i in catalogue], ensure_ascii=False))
        return EXIT_OK
    width = max(len(i.id) for i in catalogue)
    for integration in catalogue:
        default = " (the default)" if integration.is_own else ""
        print(f"{integration.id:<{width}}  {integration.name}{default}")
    print("\nUse an id with: intacct-wizard diagnose --integration ID, explain --integration ID")
    return EXIT_OK
