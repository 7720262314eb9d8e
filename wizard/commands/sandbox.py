"""`intacct-wizard sandbox`: run the demo company's simulated Intacct gateway in the foreground."""

from __future__ import annotations

import argparse
import json
import sys

NAME = "sandbox"
HELP = (
    "run the built-in sandbox company (a local simulation of the Intacct XML gateway) "
    "on 127.0.0.1 until Ctrl+C"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)"
    )
    parser.add_argument(
        "--scenario",
        action="extend",
        nargs="+",
        default=[],
        metavar="NAME",
        help="switch on fault scenarios (one or more names; --list-scenarios shows them); "
        "NAME:N answers N times, then goes away",
    )
    parser.add_argument(
        "--list-scenarios", action="store_true", help="list the fault scenarios and exit"
    )
    parser.add_argument(
        "--records",
        type=int,
        default=None,
        metavar="N",
        help="number of AR invoices to generate (default: the demo company's own size)",
    )
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=None,
        metavar="BASE",
        help="answer time of every request, in milliseconds (default: none)",
    )
    parser.add_argument(
        "--latency-per-record-us",
        type=float,
        default=None,
        metavar="X",
        help="extra answer time per record an answer holds, in microseconds: a page of n "
        "records takes BASE + n x X (default: none)",
    )
    parser.add_argument(
        "--max-in-flight",
        type=int,
        default=None,
        metavar="N",
        help="requests the company runs at once; more are refused with 'too many "
        "operations' (default: the demo company's own limit)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="answer only what Intacct's public documentation gives: leave out the texts, "
        "preference names and error codes the sandbox chose itself (the tests run both ways)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the endpoint and demo credentials as one line of JSON first",
    )


def run(args: argparse.Namespace) -> int:
    from wizard.sandbox import SCENARIOS, Sandbox, SandboxDataError
    from wizard.sandbox.scenarios import parse_scenario_options

    if args.list_scenarios:
        for name in sorted(SCENARIOS):
            print(f"{name:36} {SCENARIOS[name].description}")
        return 0
    if not 0 <= args.port <= 65535:
        print("--port must be a number from 0 to 65535.", file=sys.stderr)
        return 2
    if args.records is not None and args.records < 0:
        print("--records must be 0 or more.", file=sys.stderr)
        return 2
    for flag, value in (
        ("--latency-ms", args.latency_ms),
        ("--latency-per-record-us", args.latency_per_record_us),
    ):
        if value is not None and not value >= 0:
            print(f"{flag} must be 0 or more.", file=sys.stderr)
            return 2
    if args.max_in_flight is not None and args.max_in_flight < 1:
        print("--max-in-flight must be 1 or more.", file=sys.stderr)
        return 2
    try:
        names, times = parse_scenario_options(args.scenario)
        sandbox = Sandbox(
            scenarios=names,
            times=times,
            records=args.records,
            port=args.port,
            latency_ms=args.latency_ms,
            latency_per_record_us=args.latency_per_record_us,
            max_in_flight=args.max_in_flight,
            strict=args.strict,
        )
        sandbox.bind()
    except ValueError as error:  # unknown scenario names, bad data files
        print(str(error), file=sys.stderr)
        return 2
    except SandboxDataError as error:
        print(str(error), file=sys.stderr)
        return 1
    except OSError as error:
        print(
            f"Cannot listen on 127.0.0.1:{args.port} ({error.strerror}). "
            "Choose another --port, or leave it out to use any free port.",
            file=sys.stderr,
        )
        return 1
    creds = sandbox.credentials
    if args.json:
        line = {
            "endpoint": sandbox.endpoint,
            "sender_id": creds.sender_id,
            "sender_password": creds.sender_password,
            "company_id": creds.company_id,
            "user_id": creds.user_id,
            "user_password": creds.user_password,
            "entities": list(creds.entities),
            "strict": sandbox.strict,
            "rest_base_url": sandbox.rest_base_url,
            "rest_client_id": sandbox.rest_app.client_id,
            "rest_client_secret": sandbox.rest_app.client_secret,
            "rest_redirect_uri": sandbox.rest_app.redirect_uri,
        }
        print(json.dumps(line), flush=True)
    else:
        print(f"Sandbox company running at {sandbox.endpoint}")
        print(f"  Sender ID:       {creds.sender_id}")
        print(f"  Sender password: {creds.sender_password}")
        print(f"  Company ID:      {creds.company_id!r}")
        print(f"  User ID:         {creds.user_id}")
        print(f"  User password:   {creds.user_password}")
        print(f"  Entities:        {', '.join(creds.entities)}")
        app = sandbox.rest_app
        print(f"  REST API:        {sandbox.rest_base_url} (OAuth 2.0)")
        print(f"  Client ID:       {app.client_id}")
        print(f"  Client secret:   {app.client_secret}")
        print(f"  Redirect URI:    {app.redirect_uri}")
        print(f"  Scenarios on:    {', '.join(sorted(sandbox.scenarios)) or 'none'}")
        if sandbox.strict:
            print("  Strict:          only documented answers (no chosen texts or codes)")
        print(f"  Switch scenarios: POST {sandbox.admin_url}")
        print("These are public demo credentials for this local simulation only.")
        print("Press Ctrl+C to stop.", flush=True)
    try:
        sandbox.serve_forever()
    except KeyboardInterrupt:
        print("Sandbox stopped.", file=sys.stderr)
    return 0
