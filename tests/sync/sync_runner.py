"""A sync in its own process, for the crash test: killed with SIGKILL at random points.

    python sync_runner.py '{"endpoint": ..., "credentials": {...}, "store": PATH, "tag": "T1",
                            "invoices": 20, "since": "YYYY-MM-DD", "page_size": 50}'

Queues the demo outbox (same records every time for the same tag), runs one sync and prints a
line per progress report ("progress ...") and one at the end ("done <status>"), flushed, so
the parent can pick a kill point by counting lines. `page_size` makes the pull's pages small,
so that a few hundred records take several pages, read side by side (two at a time).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path

from wizard.gateway import Client, Credentials, RetryPolicy
from wizard.sync.demo import DEMO_CUSTOM_FIELDS, add_demo_outbox
from wizard.sync.engine import SyncEngine
from wizard.sync.flows import load_flows
from wizard.sync.progress import Progress
from wizard.sync.pull import default_pull_plan
from wizard.sync.settings import SyncSettings
from wizard.sync.store import Store


def main() -> int:
    job = json.loads(sys.argv[1])
    creds = job["credentials"]
    retry = RetryPolicy(max_attempts=3, base_delay_s=0.001, max_delay_s=0.005)

    def client() -> Client:
        return Client(Credentials(**creds), endpoint=job["endpoint"], timeout=10, retry=retry)

    def report(progress: Progress) -> None:
        print(f"progress {progress.phase.value} {progress.object} {progress.done}", flush=True)

    settings = SyncSettings(
        flows=load_flows().default, custom_fields=DEMO_CUSTOM_FIELDS, batch_size=50
    )
    with Store.open(Path(job["store"])) as store:
        add_demo_outbox(
            store, job["invoices"], tag=job["tag"], today=dt.date.fromisoformat(job["today"])
        )
        size = int(job.get("page_size", 0))
        plan = default_pull_plan()
        if size:
            plan = dataclasses.replace(plan, page_size=size, query_page_size=size)
        engine = SyncEngine(store, client, settings, on_progress=report, pull_plan=plan)
        summary = engine.run(since=dt.date.fromisoformat(job["since"]))
    print(f"done {summary.status.value}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
