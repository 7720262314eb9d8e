"""`intacct-wizard explain`: the fix for an error an admin copied from any integration's screen.

Exit status: 0 when a specific fix matched; 1 when only the generic "unrecognised error"
entry did (or the catalogue could not be loaded); 2 on bad usage (nothing to explain).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from wizard.fixes.surfaces import Surface, render_steps

if TYPE_CHECKING:
    from wizard.fixes import Fix

NAME = "explain"
HELP = (
    "explain an Intacct or connector error (e.g. XL03000006, BL01001973, INT068) and say how "
    "to fix it; reads the message from stdin when neither --code nor --message is given. "
    "Exit 0: a specific fix; 1: not recognised (generic advice); 2: nothing to explain"
)

EXIT_SPECIFIC, EXIT_GENERIC, EXIT_USAGE = 0, 1, 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--code", metavar="CODE", help="the error number, e.g. BL02000051")
    parser.add_argument(
        "--message", metavar="TEXT", help="the error text, as shown by the integration"
    )
    parser.add_argument(
        "--integration",
        metavar="ID",
        help="the integration that showed the error (e.g. expensify): its own codes then count, "
        "and other vendors' codes do not (`intacct-wizard integrations` lists the ids)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help='print one JSON object: {"fix_id", "confidence", "alternatives", "title", ...}',
    )


def run(args: argparse.Namespace) -> int:
    from wizard.fixes import CatalogueError, MatchContext, match

    try:
        integration = _integration_id(args.integration)
    except ValueError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    code = (args.code or "").strip()
    text = args.message
    if text is None and not code:
        if sys.stdin is None:
            text = ""
        else:
            if sys.stdin.isatty():
                print(
                    "Paste the error message, then press Ctrl+D (on Windows: Ctrl+Z, Enter).",
                    file=sys.stderr,
                )
            text = sys.stdin.read()
    text = (text or "").strip()
    if not text and not code:
        print(
            "Nothing to explain: give the error with --code CODE and/or --message TEXT, "
            "or paste the message on standard input.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        fix = match(text, MatchContext(integration=integration or None), code=code or None)
    except CatalogueError as error:
        print(f"The fix catalogue could not be loaded: {error}", file=sys.stderr)
        return EXIT_GENERIC
    if args.json:
        print(json.dumps(_as_json(fix), ensure_ascii=False))
    else:
        print(_as_text(fix))
    return EXIT_GENERIC if fix.is_generic else EXIT_SPECIFIC


def _integration_id(given: str | None) -> str | None:
    """The --integration id (None when not given); ValueError says why an id is unknown."""
    if given is None:
        return None
    from wizard.integrations import IntegrationCatalogueError, load_integrations

    wanted = given.strip().lower()
    try:
        catalogue = load_integrations()
    except IntegrationCatalogueError as error:
        raise ValueError(f"The integration files could not be loaded: {error}") from None
    if wanted not in catalogue:
        raise ValueError(
            f"There is no integration {given!r}. Known integrations: {', '.join(catalogue.ids)}."
        )
    return wanted


def _as_json(fix: Fix) -> dict[str, object]:
    return {
        "fix_id": fix.id,
        "confidence": fix.confidence,
        "confident": fix.confident,
        "alternatives": [_alternative(alt) for alt in fix.alternatives],
        "title": fix.title,
        "cause": fix.cause,
        "steps": list(render_steps(fix.steps, Surface.CLI)),
        "who": fix.who,
        "verified_by": fix.verified_by,
        "links": list(fix.links),
        "error_text": fix.error_text,
        "support_id": fix.support_id,
    }


def _alternative(fix: Fix) -> dict[str, object]:
    return {
        "fix_id": fix.id,
        "title": fix.title,
        "cause": fix.cause,
        "steps": list(render_steps(fix.steps, Surface.CLI)),
        "who": fix.who,
        "verified_by": fix.verified_by,
    }


def _as_text(fix: Fix) -> str:
    lines = [fix.title, f"(fix: {fix.id})", "", f"Why: {fix.cause}", ""]
    if fix.alternatives:
        lines.insert(2, "This is the likeliest cause; the text also fits another one (below).")
    if fix.is_generic:
        lines += [f"What Intacct said: {fix.error_text or '(no text)'}"]
        lines += [f"Support ID: {fix.support_id or 'none given'}", ""]
        lines += [
            "What to send to support: the text above, the Support ID, and the wizard's report "
            "(intacct-wizard report; it holds no passwords).",
            "",
        ]
    lines.append("What to do:")
    steps = render_steps(fix.steps, Surface.CLI)
    lines += [f"  {number}. {step}" for number, step in enumerate(steps, 1)]
    lines += ["", f"Who can do it: {fix.who}"]
    if fix.verified_by:
        lines.append(f"Check again: the wizard's {fix.verified_by!r} check confirms the fix.")
    for link in fix.links:
        lines.append(f"More: {link}")
    for alternative in fix.alternatives:
        lines += [
            "",
            f"Or, if that does not fit: {alternative.title}",
            f"  Why: {alternative.cause}",
        ]
        steps = render_steps(alternative.steps, Surface.CLI)
        lines += [f"  {number}. {step}" for number, step in enumerate(steps, 1)]
    return "\n".join(lines)
