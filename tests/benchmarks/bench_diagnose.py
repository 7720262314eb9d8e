"""How long a full diagnosis of the clean demo company takes (target: under 5 s).

1. The sandbox in its own process (`intacct-wizard sandbox --json`, default latency): every
   check run through `Runner.run_all()` several times; the median wall time is the figure.
2. The sandbox in this process with 100 ms per answer, at a request limit of 1 and 2: shows
   what running independent checks side by side within the limit gains on a slow link.
3. The same over the REST API (OAuth sign-in with a saved refresh token, in an entity), with
   100 ms per answer (target: under 5 s too). REST's test posting is skipped (no rollback).

    .venv/bin/python tests/benchmarks/bench_diagnose.py [--runs 5]

Prints a table, then one JSON line: {"diagnose_wall_s", "requests", ...}.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from dataclasses import replace

from wizard.checks import CheckContext, CheckStatus, Runner
from wizard.checks.connect import (
    FoundSecrets,
    context_for_profile,
    demo_profile,
    demo_rest_profile,
)
from wizard.connection import Secrets
from wizard.sandbox import Sandbox


def _context(creds: dict[str, str], endpoint: str, limit: int | None = None) -> CheckContext:
    profile = demo_profile(endpoint, creds["sender_id"], creds["company_id"], creds["user_id"])
    if limit is not None:
        profile = replace(profile, sync=replace(profile.sync, concurrency=limit))
    secrets = Secrets(creds["sender_password"], creds["user_password"])
    return context_for_profile(profile, FoundSecrets(secrets, "the demo company"))


def _rest_context(sandbox: Sandbox, limit: int) -> CheckContext:
    app, creds = sandbox.rest_app, sandbox.credentials
    profile = demo_rest_profile(
        sandbox.rest_base_url, app.client_id, app.redirect_uri, creds.company_id, creds.user_id
    )
    profile = replace(
        profile, entity_id=creds.entities[0], sync=replace(profile.sync, concurrency=limit)
    )
    refresh = sandbox.rest.oauth.demo_sign_in()
    secrets = Secrets("", "", client_secret=app.client_secret, refresh_token=refresh)
    return context_for_profile(profile, FoundSecrets(secrets, "the demo company"))


def _diagnose(context: CheckContext) -> tuple[float, int, int]:
    started = time.perf_counter()
    with context:
        findings = Runner(context).run_all()
    wall = time.perf_counter() - started
    # Which userType marks a Web Services user is not published, so a sign-in connection's
    # user type is "could not verify".
    not_provable = {"rest-web-services-user"}
    bad = [
        f.check
        for f in findings
        if f.status is not CheckStatus.PASS
        and not (f.check in not_provable and f.status is not CheckStatus.FAIL)
    ]
    if bad:
        raise SystemExit(f"the clean demo company did not pass: {bad}")
    return wall, context.requests, context.peak_in_flight


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    server = subprocess.Popen(
        [sys.executable, "-m", "wizard", "sandbox", "--json"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        creds = json.loads(server.stdout.readline())
        runs = [_diagnose(_context(creds, creds["endpoint"])) for _ in range(args.runs)]
    finally:
        server.terminate()
        server.wait(timeout=10)
    walls = [w for w, _, _ in runs]
    requests, peak = runs[0][1], runs[0][2]

    slow: dict[int, float] = {}
    with Sandbox(latency_ms=100) as sandbox:
        c = sandbox.credentials
        local = {
            "sender_id": c.sender_id,
            "sender_password": c.sender_password,
            "company_id": c.company_id,
            "user_id": c.user_id,
            "user_password": c.user_password,
        }
        for limit in (1, 2):
            slow[limit] = _diagnose(_context(local, sandbox.endpoint, limit))[0]
        rest = {limit: _diagnose(_rest_context(sandbox, limit)) for limit in (1, 2)}

    print(f"{'case':48} {'wall s':>8} {'requests':>9} {'peak':>5}")
    print(
        f"{'clean demo, default latency (median of ' + str(args.runs) + ')':48} "
        f"{statistics.median(walls):8.3f} {requests:9d} {peak:5d}"
    )
    print(f"{'  fastest / slowest':48} {min(walls):8.3f} / {max(walls):.3f}")
    for limit, wall in slow.items():
        print(f"{'100 ms per answer, limit ' + str(limit):48} {wall:8.3f}")
    for limit, (wall, count, top) in rest.items():
        label = f"REST API, 100 ms per answer, limit {limit}"
        print(f"{label:48} {wall:8.3f} {count:9d} {top:5d}")
    print(
        json.dumps(
            {
                "diagnose_wall_s": round(statistics.median(walls), 3),
                "requests": requests,
                "peak_in_flight": peak,
                "runs": args.runs,
                "latency_100ms_limit_1_s": round(slow[1], 3),
                "latency_100ms_limit_2_s": round(slow[2], 3),
                "rest_latency_100ms_limit_1_s": round(rest[1][0], 3),
                "rest_latency_100ms_limit_2_s": round(rest[2][0], 3),
                "rest_requests": rest[2][1],
            }
        )
    )


if __name__ == "__main__":
    main()
