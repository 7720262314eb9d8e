"""A first sync's wall time when Intacct, not the client, sets the pace.

The sandbox runs in its own process with the latency model of a real company: an answer of n
records takes BASE + n x X (150 ms + 500 us a record: a page of 2,000 takes 1.15 s), and the
company runs 2 requests at once (more are refused with "too many operations"). Each client
reads every AR invoice (100,000) in a fresh process of its own:

- ours: the sync's pull into a real SQLite store (query pages of 2,000, read side by side at
  the sync's limit of 2, each page committed);
- peer: sageintacctsdk's documented way to read everything, `ARInvoices.get_all` (a count,
  then `query` pages of 2,000 one after another), pointed at the sandbox.

limit_s is the least time the gateway allows any client: the answers of the fewest requests
that can read N records (a sign-in and ceil(N / 2,000) full pages), their BASE + n x X added
up and divided by the slots. to_limit = ours / limit_s; ratio = peer / ours (wall time).
requests counts API transactions (HTTP requests, sign-in included) on both sides.

    .venv/bin/python tests/benchmarks/bench_pull_wall.py [--records 100000] [--rounds 1]

Needs the bench extra (`pip install -e '.[bench]'`). Prints a table, then one JSON line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pull_jobs import FIELDS, our_client, peer_at_the_sandbox, run_child, sandbox_process, usage

BASE_MS = 150.0
PER_RECORD_US = 500.0
SLOTS = 2
PAGE = 2000


def _peak_mb() -> float:
    return usage()["peak_mb"]


def ours(job: dict[str, Any]) -> dict[str, Any]:
    from wizard.sync.fetch import Slots
    from wizard.sync.progress import Cancel, Meter
    from wizard.sync.pull import ObjectPlan, pull_object
    from wizard.sync.store import Store

    started = time.perf_counter()
    slots = Slots(SLOTS)
    with (
        Store.open(Path(job["folder"]) / "pull.sqlite3") as store,
        our_client(job["creds"]) as client,
    ):
        result = pull_object(
            store,
            client,
            ObjectPlan("ARINVOICE", "reference", ",".join(FIELDS), None),  # everything
            since=None,
            today=dt.date.today(),
            max_days=366,
            page_size=1000,
            query_page_size=PAGE,
            overlap_s=300,
            meter=Meter(None),
            cancel=Cancel(),
            slots=slots,
        )
        stored = store.count("ARINVOICE")
        requests = client.requests_sent
    return {
        "records": result.fetched,
        "stored": stored,
        "seconds": time.perf_counter() - started,
        "requests": requests,
        "peak_mb": _peak_mb(),
        "slots_used": slots.limit,
    }


def peer(job: dict[str, Any]) -> dict[str, Any]:
    import requests

    original_post = requests.post
    sent = 0

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal sent
        sent += 1
        return original_post(*args, **kwargs)

    requests.post = counted  # type: ignore[assignment]
    started = time.perf_counter()
    sdk = peer_at_the_sandbox(job["creds"])
    records = len(sdk.ar_invoices.get_all(fields=FIELDS))
    return {
        "records": records,
        "seconds": time.perf_counter() - started,
        "requests": sent,
        "peak_mb": _peak_mb(),
    }


JOBS = {"ours": ours, "peer": peer}


def _child(name: str, job: dict[str, Any]) -> dict[str, Any]:
    return run_child(__file__, name, job)


def limit_seconds(records: int) -> float:
    """The least time the gateway allows: a sign-in and full pages, BASE + n X each, over
    the slots."""
    answers = (1 + math.ceil(records / PAGE)) * BASE_MS / 1000 + records * PER_RECORD_US / 1e6
    return answers / SLOTS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=1, help="runs of each; the fastest counts")
    parser.add_argument("--child", nargs=2, metavar=("JOB", "JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, job = args.child
        print(json.dumps(JOBS[name](json.loads(job))), flush=True)
        return 0

    sandbox = (
        "--records", str(args.records), "--latency-ms", str(BASE_MS),
        "--latency-per-record-us", str(PER_RECORD_US), "--max-in-flight", str(SLOTS),
    )  # fmt: skip
    with (
        sandbox_process(*sandbox) as creds,
        tempfile.TemporaryDirectory(prefix="bench-pull-wall-") as folder,
    ):
        ours_runs, peer_runs = [], []
        for round_no in range(max(args.rounds, 1)):
            job = {"creds": creds, "folder": str(Path(folder) / f"r{round_no}")}
            Path(job["folder"]).mkdir()
            ours_runs.append(_child("ours", job))
            peer_runs.append(_child("peer", job))

    for run in ours_runs:
        assert run["records"] == run["stored"] == args.records, run
    for run in peer_runs:
        assert run["records"] == args.records, run
    best = min(ours_runs, key=lambda r: r["seconds"])
    best_peer = min(peer_runs, key=lambda r: r["seconds"])
    limit = limit_seconds(args.records)
    print(f"{'client':34} {'records':>9} {'wall s':>8} {'requests':>9} {'peak MB':>8}")
    for label, run in (
        ("ours: pull into SQLite, 2 at once", best),
        ("sageintacctsdk: get_all", best_peer),
    ):
        print(
            f"{label:34} {run['records']:9} {run['seconds']:8.2f} {run['requests']:9} "
            f"{run['peak_mb']:8.1f}"
        )
    print(
        f"gateway limit (BASE {BASE_MS:g} ms + {PER_RECORD_US:g} us a record, {SLOTS} at once): "
        f"{limit:.2f} s; ours is {best['seconds'] / limit:.2f}x the limit, the peer "
        f"{best_peer['seconds'] / best['seconds']:.2f}x ours"
    )
    figures = {
        "records": args.records,
        "wall_s": round(best["seconds"], 2),
        "peer_wall_s": round(best_peer["seconds"], 2),
        "ratio": round(best_peer["seconds"] / best["seconds"], 2),
        "limit_s": round(limit, 2),
        "to_limit": round(best["seconds"] / limit, 3),
        "requests": best["requests"],
        "peer_requests": best_peer["requests"],
        "peak_mb": round(max(r["peak_mb"] for r in ours_runs), 1),
        "peer_peak_mb": round(max(r["peak_mb"] for r in peer_runs), 1),
        "slots_used": best["slots_used"],
        "rounds": len(ours_runs),
        "wall_s_runs": [round(r["seconds"], 2) for r in ours_runs],
        "peer_wall_s_runs": [round(r["seconds"], 2) for r in peer_runs],
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
