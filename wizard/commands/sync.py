"""`intacct-wizard sync`: pull from Intacct and push the outbox, headless.

With --demo it runs against an in-process sandbox company with a demo outbox. With --profile
it uses a saved connection (passwords from the OS keyring) and the profile's sync database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from wizard.sync.engine import SyncSummary
    from wizard.sync.progress import Progress

NAME = "sync"
HELP = "pull records from Intacct and push the outbox (a progress bar, then a summary)"
DEMO_INVOICES = 40


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--profile", metavar="NAME", help="the saved connection to sync")
    source.add_argument(
        "--demo",
        action="store_true",
        help="sync a demo outbox with the built-in sandbox company (no Intacct account needed)",
    )
    parser.add_argument(
        "--since",
        metavar="YYYY-MM-DD",
        help="first sync: read transactions from this day on (one year per run; run again "
        "with a later date for more). Default: the last year",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="check the outbox against what was pulled and list predicted failures; writes nothing",
    )
    parser.add_argument(
        "--open-from",
        metavar="YYYY-MM-DD",
        help="dry run: the first day of the open accounting period, to flag documents dated "
        "in a closed one",
    )
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON line")
    parser.add_argument(
        "--retry-failed", action="store_true", help="send records that failed again (after fixing)"
    )
    parser.add_argument(
        "--ignore",
        type=int,
        action="append",
        default=[],
        metavar="ID",
        help="stop sending this outbox record (its id is in the summary)",
    )
    parser.add_argument(
        "--unignore",
        type=int,
        action="append",
        default=[],
        metavar="ID",
        help="send an ignored outbox record again",
    )


def _since(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise SystemExit(
            f"{text!r} is not a date. Write it as YYYY-MM-DD, e.g. 2025-01-01."
        ) from None


def run(args: argparse.Namespace) -> int:
    if not args.profile and not args.demo:
        print(
            "Say what to sync: --profile NAME for a saved connection, or --demo for the "
            "built-in sandbox company.",
            file=sys.stderr,
        )
        return 2
    try:
        since = _since(args.since)
        args.open_from = _since(args.open_from)
    except SystemExit as error:
        print(str(error), file=sys.stderr)
        return 2
    if since is not None and since > dt.datetime.now(dt.UTC).date():
        print("--since cannot be in the future.", file=sys.stderr)
        return 2
    if args.demo:
        return _run_demo(args, since)
    return _run_profile(args, since)


def _run_demo(args: argparse.Namespace, since: dt.date | None) -> int:
    from wizard.gateway import Client, Credentials
    from wizard.sandbox import Sandbox
    from wizard.sync.demo import DEMO_CUSTOM_FIELDS, add_demo_outbox
    from wizard.sync.flows import load_flows
    from wizard.sync.settings import SyncSettings
    from wizard.sync.store import Store

    with Sandbox() as sandbox, tempfile.TemporaryDirectory(prefix="intacct-demo-") as folder:
        creds = sandbox.credentials

        def client() -> Client:
            return Client(
                Credentials(
                    creds.sender_id,
                    creds.sender_password,
                    creds.company_id,
                    creds.user_id,
                    creds.user_password,
                ),
                endpoint=sandbox.endpoint,
            )

        flows = (*load_flows().default, "entities-from-intacct", "dimensions-from-intacct")
        settings = SyncSettings(flows=flows, custom_fields=DEMO_CUSTOM_FIELDS)
        with Store.open(Path(folder) / "demo.sqlite3") as store:
            add_demo_outbox(store, DEMO_INVOICES)
            if not args.json:
                print(
                    f"Demo: sandbox company at {sandbox.endpoint}; {DEMO_INVOICES} web orders "
                    "waiting in the outbox.",
                    flush=True,
                )
            return _sync(args, store, client, settings, since)


def _run_profile(args: argparse.Namespace, since: dt.date | None) -> int:
    from wizard.connection import ProfileError, SecretStore
    from wizard.connection.credentials import gateway_credentials, network_settings
    from wizard.connection.profile_store import ProfileStore
    from wizard.connection.secrets import KeyringUnavailable, SecretsUnreadable
    from wizard.gateway import Client
    from wizard.sync.flows import load_flows
    from wizard.sync.settings import SyncSettings
    from wizard.sync.store import Store, StoreError

    try:
        profile = ProfileStore().load(args.profile)
    except ProfileError as error:
        print(str(error), file=sys.stderr)
        return 1
    try:
        secrets = SecretStore().load(profile.name)
    except (KeyringUnavailable, SecretsUnreadable) as error:
        print(str(error), file=sys.stderr)
        return 1
    if secrets is None:
        print(
            f"The passwords of {profile.name!r} are not in this computer's keyring. Open the "
            "wizard and enter them on the Credentials page.",
            file=sys.stderr,
        )
        return 1

    def client() -> Client:
        return Client(
            gateway_credentials(profile, secrets),
            endpoint=profile.endpoint,
            network=network_settings(profile, secrets),
        )

    try:
        settings = SyncSettings.from_profile(profile, load_flows().default)
        with Store.for_profile(profile.name) as store:
            return _sync(args, store, client, settings, since)
    except StoreError as error:
        print(str(error), file=sys.stderr)
        return 1


def _sync(args: argparse.Namespace, store: Any, client: Any, settings: Any, since: Any) -> int:
    from wizard.gateway import GatewayError
    from wizard.sync.engine import SyncEngine
    from wizard.sync.progress import Cancel
    from wizard.sync.store import RunStatus, StoreError

    out: TextIO = sys.stdout
    bar = _ProgressPrinter(sys.stderr if args.json else out, quiet=args.json)
    cancel = Cancel()
    try:
        engine = SyncEngine(store, client, settings, on_progress=bar, cancel=cancel)
        for record_id in args.ignore:
            engine.ignore(record_id)
        for record_id in args.unignore:
            engine.unignore(record_id)
        if args.retry_failed:
            engine.retry_failed()
        if args.dry_run:
            if args.demo:  # the demo's fresh store: read the company first, then check
                engine.run(since=since, push=False)
            summary = engine.dry_run(open_from=args.open_from)
        else:
            summary = engine.run(since=since)
    except KeyboardInterrupt:
        cancel.request()
        print("\nStopped. The next sync carries on from here.", file=sys.stderr)
        return 1
    except (StoreError, GatewayError, KeyError, ValueError) as error:
        bar.finish()
        print(f"The sync could not run: {error}", file=sys.stderr)
        return 1
    bar.finish()
    if args.json:
        print(json.dumps(summary_json(summary)), file=out, flush=True)
    else:
        print(summary_table(summary), file=out, flush=True)
    return 0 if summary.status in (RunStatus.SUCCEEDED,) else 1


class _ProgressPrinter:
    """A progress bar on a terminal; plain lines otherwise."""

    def __init__(self, stream: TextIO, quiet: bool = False) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.quiet = quiet and not self.tty
        self._last = ""
        self._width = 0

    def __call__(self, progress: Progress) -> None:
        if self.quiet:
            return
        if not self.tty:
            if (progress.total is not None and progress.done in (0, progress.total)) or (
                progress.phase.value == "push"
            ):
                line = progress.text
                if line != self._last:
                    print(line, file=self.stream, flush=True)
                    self._last = line
            return
        total = progress.total or 0
        filled = int(30 * progress.done / total) if total else 0
        bar = "#" * filled + "-" * (30 - filled)
        line = f"\r[{bar}] {progress.text}"
        self._width = max(self._width, len(line))
        print(line.ljust(self._width), end="", file=self.stream, flush=True)

    def finish(self) -> None:
        if self.tty and self._width:
            print(file=self.stream, flush=True)
            self._width = 0


def summary_table(summary: SyncSummary) -> str:
    lines: list[str] = []
    if summary.dry_run is not None:
        report = summary.dry_run
        lines.append(f"Dry run: {report.checked} outbox records checked, nothing was written.")
        if report.missing_reference:
            lines.append(
                "Not checked (never pulled): "
                + ", ".join(report.missing_reference)
                + ". Run a sync first."
            )
        if report.clean:
            lines.append("No failures predicted.")
        else:
            lines.append(f"{'Record':28} {'Predicted problem':58} Fix")
            for guess in report.predictions:
                lines.append(
                    f"{guess.kind.value + ' ' + guess.document_no:28} {guess.problem[:58]:58} "
                    f"{guess.fix.id}"
                )
        return "\n".join(lines)
    if summary.pulled:
        lines.append(f"{'Object':16} {'Fetched':>9} {'Of':>9} {'Changed':>9}  Read")
        for p in summary.pulled:
            lines.append(f"{p.object:16} {p.fetched:9} {p.total:9} {p.changed:9}  {p.mode}")
    for obj, fix in summary.pull_failures:
        lines.append(f"{obj:16} could not be read: {fix.title} (fix: {fix.id})")
    deletions = summary.deletions
    if deletions is not None and deletions.total:
        flagged = ", ".join(f"{n} {obj}" for obj, n in sorted(deletions.marked.items()))
        lines.append(f"Deleted in Intacct since the last sync (kept here, flagged): {flagged}.")
    if deletions is not None and deletions.could_not_verify:
        lines.append(deletions.could_not_verify)
    if summary.push is not None:
        lines.append("")
        lines.append(f"{'Pushed':24} {'Landed':>8} {'Failed':>8}")
        for kind, counts in summary.push.by_kind.items():
            lines.append(f"{kind:24} {counts.get('landed', 0):8} {counts.get('failed', 0):8}")
        if summary.push.found_after_interruption:
            lines.append(
                f"{summary.push.found_after_interruption} records of an interrupted sync were "
                "already in Intacct and were not sent again."
            )
    lines.append("")
    lines.append(
        "Outbox: "
        + ", ".join(f"{n} {state.replace('_', ' ')}" for state, n in summary.outbox.items() if n)
        + (f"; {summary.blocked} waiting on a failed record" if summary.blocked else "")
    )
    failed = [e for e in summary.open_errors if e.outbox_id is not None]
    if failed:
        lines.append("")
        lines.append(f"{'Outbox id':>9}  {'Record':24} Fix")
        for error in failed[:50]:
            lines.append(f"{error.outbox_id:9}  {error.record_ref:24} {error.fix_id}")
        if len(failed) > 50:
            lines.append(f"... and {len(failed) - 50} more")
        lines.append(
            "Fix the cause (`intacct-wizard explain FIX-ID` says how), then run "
            "`intacct-wizard sync --retry-failed`, or --ignore ID to stop sending a record."
        )
    if summary.message:
        lines.append(summary.message)
    if summary.slowdown_note:
        lines.append(summary.slowdown_note)
    if summary.fix is not None:
        lines.append(f"What to do: {summary.fix.title} (fix: {summary.fix.id})")
    lines.append(f"Result: {summary.status.value}; {summary.requests} requests to Intacct.")
    return "\n".join(lines)


def summary_json(summary: SyncSummary) -> dict[str, Any]:
    data: dict[str, Any] = {
        "status": summary.status.value,
        "run_id": summary.run_id,
        "pulled": {
            p.object: {"fetched": p.fetched, "total": p.total, "changed": p.changed, "mode": p.mode}
            for p in summary.pulled
        },
        "pull_failures": {obj: fix.id for obj, fix in summary.pull_failures},
        "outbox": summary.outbox,
        "blocked": summary.blocked,
        "errors": [
            {
                "outbox_id": e.outbox_id,
                "record": e.record_ref,
                "kind": e.record_kind,
                "fix_id": e.fix_id,
                "message": e.message,
            }
            for e in summary.open_errors
        ],
        "message": summary.message,
        "fix_id": summary.fix.id if summary.fix else None,
        "requests": summary.requests,
        "deleted_in_intacct": dict(summary.deletions.marked) if summary.deletions else {},
        "deletions_not_checked": summary.deletions.could_not_verify if summary.deletions else None,
        "requests_at_once": {"asked": summary.slots_asked, "used": summary.slots_used},
    }
    if summary.push is not None:
        data["push"] = {
            "landed": summary.push.landed,
            "failed": summary.push.failed,
            "found_after_interruption": summary.push.found_after_interruption,
            "requests": summary.push.requests,
            "records_per_request": round(summary.push.records_per_request, 1),
            "by_kind": summary.push.by_kind,
        }
    if summary.dry_run is not None:
        data["dry_run"] = {
            "checked": summary.dry_run.checked,
            "predictions": [
                {
                    "outbox_id": p.outbox_id,
                    "kind": p.kind.value,
                    "document_no": p.document_no,
                    "problem": p.problem,
                    "fix_id": p.fix.id,
                }
                for p in summary.dry_run.predictions
            ],
        }
    return data
