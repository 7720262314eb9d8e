"""How the sync engine pulls and pushes against the sandbox, and how it compares to a peer.

The sandbox runs in its own process (`intacct-wizard sandbox --records N --json`). Each
measured job runs in a fresh child process of its own, so its CPU time and peak memory are
its alone:

- ours-pull: every AR invoice into a real SQLite store (query pages of 2000 in RECORDNO order,
  two at a time, each page committed), as the engine's pull does it;
- ours-read: the same pages without the store (HTTP + parse only, the peer's share of work);
- peer-pull: the same invoices with sageintacctsdk (`ARInvoices.get_all`: `query` pages of
  2000, parsed with xmltodict), pointed at the sandbox instead of api.intacct.com;
- ours-push: a demo outbox of 10,000 invoices (with their new customers, credit notes,
  payments and fees) pushed by the engine's pusher.

    .venv/bin/python tests/benchmarks/bench_sync.py [--records 200000] [--push 10000] [--rounds 3]

The two pulls run `--rounds` times each, alternating (ours, peer, ours, peer, ...), each run
in a fresh process with a fresh store; for each client the run with the least CPU per record
counts, as the least disturbed by whatever else the machine is doing (the same rule for both,
as in bench_parse.py). Every run's figure is in the JSON too.

Needs the bench extra (`pip install -e '.[bench]'`). Prints a table, then one JSON line with
ratio (peer client CPU per record / ours, our pull including the store writes),
ratio_read_only (the same against our read path alone, the work the peer does), peak_mb
(our largest child), pull_records_per_s, push_records_per_request and the other figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pull_jobs import FIELDS, our_client, peer_at_the_sandbox, run_child, sandbox_process
from pull_jobs import usage as _usage


def ours_pull(job: dict[str, Any]) -> dict[str, Any]:
    from wizard.sync.fetch import Slots
    from wizard.sync.progress import Cancel, Meter
    from wizard.sync.pull import ObjectPlan, pull_object
    from wizard.sync.store import Store

    started_cpu = _usage()["cpu_s"]
    started = time.perf_counter()
    with (
        Store.open(Path(job["folder"]) / "pull.sqlite3") as store,
        our_client(job["creds"]) as client,
    ):
        plan = ObjectPlan("ARINVOICE", "reference", ",".join(FIELDS), None)  # everything
        result = pull_object(
            store,
            client,
            plan,
            since=None,
            today=time.gmtime() and __import__("datetime").date.today(),
            max_days=366,
            page_size=1000,
            overlap_s=300,
            meter=Meter(None),
            cancel=Cancel(),
            slots=Slots(2),
        )
        stored = store.count("ARINVOICE")
        requests = client.requests_sent
    seconds = time.perf_counter() - started
    usage = _usage()
    return {
        "records": result.fetched,
        "stored": stored,
        "seconds": seconds,
        "cpu_s": usage["cpu_s"] - started_cpu,
        "peak_mb": usage["peak_mb"],
        "requests": requests,
    }


def ours_read(job: dict[str, Any]) -> dict[str, Any]:
    """Our read path alone (HTTP + parse, records dropped): the same work the peer does."""
    started_cpu = _usage()["cpu_s"]
    started = time.perf_counter()
    with our_client(job["creds"]) as client:
        records = sum(1 for _ in client.query("ARINVOICE", FIELDS, orderby=[("RECORDNO", True)]))
    seconds = time.perf_counter() - started
    usage = _usage()
    return {
        "records": records,
        "seconds": seconds,
        "cpu_s": usage["cpu_s"] - started_cpu,
        "peak_mb": usage["peak_mb"],
    }


def peer_pull(job: dict[str, Any]) -> dict[str, Any]:
    started_cpu = _usage()["cpu_s"]
    started = time.perf_counter()
    sdk = peer_at_the_sandbox(job["creds"])
    # get_all keeps every record in a list; count as we go with the generator's pages
    # instead would send each page twice (the SDK's get_all_generator does).
    data = sdk.ar_invoices.get_all(fields=FIELDS)
    records = len(data)
    del data
    seconds = time.perf_counter() - started
    usage = _usage()
    return {
        "records": records,
        "seconds": seconds,
        "cpu_s": usage["cpu_s"] - started_cpu,
        "peak_mb": usage["peak_mb"],
    }


def ours_push(job: dict[str, Any]) -> dict[str, Any]:
    from wizard.gateway import Client
    from wizard.sync.demo import DEMO_CUSTOM_FIELDS, add_demo_outbox
    from wizard.sync.documents import Builder
    from wizard.sync.flows import load_flows
    from wizard.sync.progress import Cancel, Meter
    from wizard.sync.push import Pusher
    from wizard.sync.settings import SyncSettings
    from wizard.sync.store import Store

    def client() -> Client:
        return our_client(job["creds"])

    catalogue = load_flows()
    settings = SyncSettings(flows=catalogue.default, custom_fields=DEMO_CUSTOM_FIELDS)
    with Store.open(Path(job["folder"]) / "push.sqlite3") as store:
        queued = add_demo_outbox(store, job["invoices"], tag="BENCH")
        started_cpu = _usage()["cpu_s"]
        started = time.perf_counter()
        pusher = Pusher(
            store,
            client,
            Builder(catalogue, settings, lambda rid: store.outbox_get(rid).intacct_key),
            settings,
            Meter(None),
            Cancel(),
        )
        pusher.push(catalogue.push_kinds(settings.flows))
        pusher.close()
        seconds = time.perf_counter() - started
        counts = store.outbox_counts()
    usage = _usage()
    return {
        "queued": queued,
        "landed": counts["landed"],  # type: ignore[index]
        "failed": counts["failed"],  # type: ignore[index]
        "requests": pusher.counts.requests,
        "records_per_request": pusher.counts.records_sent / max(pusher.counts.requests, 1),
        "seconds": seconds,
        "cpu_s": usage["cpu_s"] - started_cpu,
        "peak_mb": usage["peak_mb"],
    }


JOBS = {
    "ours-pull": ours_pull,
    "ours-read": ours_read,
    "peer-pull": peer_pull,
    "ours-push": ours_push,
}


def _child(name: str, job: dict[str, Any]) -> dict[str, Any]:
    return run_child(__file__, name, job)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--push", type=int, default=10_000, help="invoices in the push outbox")
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs of each pull, alternating; the best counts"
    )
    parser.add_argument("--child", nargs=2, metavar=("JOB", "JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, job = args.child
        print(json.dumps(JOBS[name](json.loads(job))), flush=True)
        return 0

    with (
        sandbox_process("--records", str(args.records)) as creds,
        tempfile.TemporaryDirectory(prefix="bench-sync-") as folder,
    ):
        job = {"creds": creds, "folder": folder, "invoices": args.push}
        ours_runs: list[dict[str, Any]] = []
        peer_runs: list[dict[str, Any]] = []
        for round_no in range(max(args.rounds, 1)):
            fresh = {**job, "folder": str(Path(folder) / f"pull-{round_no}")}
            ours_runs.append(_child("ours-pull", fresh))
            peer_runs.append(_child("peer-pull", fresh))
        read = _child("ours-read", job)
        push = _child("ours-push", job)

    for run in ours_runs:
        assert run["records"] == run["stored"] == args.records, run
    for run in peer_runs:
        assert run["records"] == args.records, run
    ours = min(ours_runs, key=lambda run: run["cpu_s"])
    peer = min(peer_runs, key=lambda run: run["cpu_s"])
    ours_per = ours["cpu_s"] / ours["records"]
    peer_per = peer["cpu_s"] / peer["records"]
    read_per = read["cpu_s"] / read["records"]
    rows = [
        ("ours: pull into SQLite", ours["records"], ours["seconds"], ours["cpu_s"],
         ours["peak_mb"], ours["requests"]),
        ("ours: read only, no store", read["records"], read["seconds"], read["cpu_s"],
         read["peak_mb"], None),
        ("sageintacctsdk: pull", peer["records"], peer["seconds"], peer["cpu_s"],
         peer["peak_mb"], None),
        ("ours: push outbox", push["landed"], push["seconds"], push["cpu_s"], push["peak_mb"],
         push["requests"]),
    ]  # fmt: skip
    print(f"{'job':26} {'records':>9} {'wall s':>8} {'CPU s':>8} {'peak MB':>8} {'requests':>9}")
    for label, records, wall, cpu, peak, requests in rows:
        shown = "" if requests is None else str(requests)
        print(f"{label:26} {records:9} {wall:8.2f} {cpu:8.2f} {peak:8.1f} {shown:>9}")
    print(
        f"client CPU per record: ours {ours_per * 1e6:.1f} us, sageintacctsdk "
        f"{peer_per * 1e6:.1f} us (ratio {peer_per / ours_per:.1f}; our read path alone "
        f"{read_per * 1e6:.1f} us, ratio {peer_per / read_per:.1f}); push "
        f"{push['records_per_request']:.1f} records per request, {push['failed']} failed"
    )
    figures = {
        "records": ours["records"],
        "ratio": round(peer_per / ours_per, 2),
        "ratio_read_only": round(peer_per / read_per, 2),
        "rounds": len(ours_runs),
        "pull_us_per_record_runs": [round(r["cpu_s"] / r["records"] * 1e6, 1) for r in ours_runs],
        "peer_us_per_record_runs": [round(r["cpu_s"] / r["records"] * 1e6, 1) for r in peer_runs],
        "peak_mb": round(max(*(r["peak_mb"] for r in ours_runs), push["peak_mb"]), 1),
        "pull_peak_mb": round(max(r["peak_mb"] for r in ours_runs), 1),
        "pull_records_per_s": round(ours["records"] / ours["seconds"]),
        "pull_cpu_s": round(ours["cpu_s"], 2),
        "pull_requests": ours["requests"],
        "peer_cpu_s": round(peer["cpu_s"], 2),
        "peer_peak_mb": round(max(r["peak_mb"] for r in peer_runs), 1),
        "push_records": push["landed"],
        "push_failed": push["failed"],
        "push_records_per_request": round(push["records_per_request"], 1),
        "push_records_per_s": round(push["landed"] / push["seconds"]),
        "push_peak_mb": round(push["peak_mb"], 1),
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
