"""What the pull benchmarks (bench_sync.py, bench_pull_wall.py) share: the sandbox in a process
of its own, each measured job in a fresh child process, our client and sageintacctsdk pointed
at the sandbox, and the fields both clients ask for.

Not a benchmark itself; the scripts import it from their own folder.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wizard.gateway import Client

# The sandbox's ARINVOICE fields, asked for by both clients so they move the same data.
FIELDS = [
    "RECORDNO", "RECORDID", "DOCNUMBER", "STATE", "CUSTOMERID", "CUSTOMERNAME", "WHENCREATED",
    "WHENPOSTED", "WHENDUE", "TERMNAME", "DESCRIPTION", "CURRENCY", "BASECURR", "TOTALENTERED",
    "TOTALPAID", "TOTALDUE", "TRX_TOTALENTERED", "EXTERNALID", "MEGAENTITYID", "MEGAENTITYNAME",
    "MODULEKEY", "SYNC_REF", "WHENMODIFIED",
]  # fmt: skip


def usage() -> dict[str, float]:
    """This process's CPU seconds so far and its peak memory in MB."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return {"cpu_s": used.ru_utime + used.ru_stime, "peak_mb": used.ru_maxrss / scale}


@contextmanager
def sandbox_process(*options: str) -> Iterator[dict[str, Any]]:
    """`intacct-wizard sandbox ... --json` in its own process; yields its credentials."""
    server = subprocess.Popen(
        [sys.executable, "-m", "wizard", "sandbox", *options, "--json"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        yield json.loads(server.stdout.readline())
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_child(script: str, name: str, job: dict[str, Any]) -> dict[str, Any]:
    """Run job `name` of `script` (`script --child NAME JSON`) in a fresh process; its last
    line of output is its JSON result."""
    done = subprocess.run(
        [sys.executable, script, "--child", name, json.dumps(job)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def our_client(creds: dict[str, Any]) -> Client:
    from wizard.gateway import Client, Credentials

    return Client(
        Credentials(
            creds["sender_id"],
            creds["sender_password"],
            creds["company_id"],
            creds["user_id"],
            creds["user_password"],
        ),
        endpoint=creds["endpoint"],
        timeout=300,
    )


def peer_at_the_sandbox(creds: dict[str, Any]) -> Any:
    """sageintacctsdk signed in to the sandbox instead of api.intacct.com. Its ARInvoices API
    then sends session calls to the endpoint the sign-in returned, as the service wants."""
    from sageintacctsdk import SageIntacctSDK
    from sageintacctsdk.apis.api_base import ApiBase

    endpoint = creds["endpoint"]
    original = ApiBase.__init__

    def at_the_sandbox(self: ApiBase, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self._ApiBase__api_url = endpoint  # type: ignore[attr-defined]

    ApiBase.__init__ = at_the_sandbox  # type: ignore[method-assign]
    sdk = SageIntacctSDK(
        sender_id=creds["sender_id"],
        sender_password=creds["sender_password"],
        user_id=creds["user_id"],
        company_id=creds["company_id"],
        user_password=creds["user_password"],
    )
    sdk.ar_invoices._ApiBase__api_url = sdk.api_base._ApiBase__api_url  # type: ignore[attr-defined]
    return sdk
