"""How fast the sandbox serves a 200k-record ARINVOICE pull.

The sandbox runs in its own process (`intacct-wizard sandbox --records N --json`); this
process pulls every invoice with readByQuery (pagesize 1000) + readMore over plain httpx and
only counts records (no XML tree), so the figure is what the server can serve, not what a
client can parse.

    .venv/bin/python tests/benchmarks/bench_sandbox.py [--records 200000]

Prints a table, then one JSON line: {"records", "served_records_per_s", "seconds", ...}.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time

import httpx

_NUMREMAINING = re.compile(rb'numremaining="(\d+)"')
_RESULT_ID = re.compile(rb'resultId="([^"]*)"')
_SESSION = re.compile(rb"<sessionid>([^<]+)</sessionid>")
_ENDPOINT = re.compile(rb"<endpoint>([^<]+)</endpoint>")


def _request(creds: dict[str, str], auth: str, function: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><request><control>'
        f"<senderid>{creds['sender_id']}</senderid><password>{creds['sender_password']}</password>"
        "<controlid>bench</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion>"
        "<includewhitespace>false</includewhitespace></control><operation>"
        f"<authentication>{auth}</authentication><content>"
        f'<function controlid="f">{function}</function></content></operation></request>'
    ).encode()


def pull(creds: dict[str, str], page_size: int) -> tuple[int, int, float, float]:
    """(records, pages, seconds, first-page seconds) for a full ARINVOICE pull."""
    login = (
        f"<login><userid>{creds['user_id']}</userid><companyid>{creds['company_id']}</companyid>"
        f"<password>{creds['user_password']}</password></login>"
    )
    with httpx.Client(timeout=120) as http:
        answer = http.post(creds["endpoint"], content=_request(creds, login, "<getAPISession/>"))
        session = _SESSION.search(answer.content)
        endpoint = _ENDPOINT.search(answer.content)
        assert session and endpoint, answer.content[:500]
        auth = f"<sessionid>{session.group(1).decode()}</sessionid>"
        url = endpoint.group(1).decode()
        started = time.perf_counter()
        body = _request(
            creds,
            auth,
            "<readByQuery><object>ARINVOICE</object><query></query><fields>*</fields>"
            f"<pagesize>{page_size}</pagesize><returnFormat>xml</returnFormat></readByQuery>",
        )
        records = pages = 0
        first_page = 0.0
        while True:
            content = http.post(url, content=body).content
            pages += 1
            if pages == 1:
                first_page = time.perf_counter() - started
            records += content.count(b"<arinvoice>")
            remaining = _NUMREMAINING.search(content)
            result_id = _RESULT_ID.search(content)
            if remaining is None or remaining.group(1) == b"0" or result_id is None:
                assert remaining is not None, content[:500]
                break
            body = _request(
                creds,
                auth,
                f"<readMore><resultId>{result_id.group(1).decode()}</resultId></readMore>",
            )
        return records, pages, time.perf_counter() - started, first_page


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--page-size", type=int, default=1000)
    args = parser.parse_args()
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "wizard", "sandbox", "--records", str(args.records), "--json"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        creds = json.loads(server.stdout.readline())
        ready = time.perf_counter() - started
        records, pages, seconds, first_page = pull(creds, args.page_size)
    finally:
        server.terminate()
        server.wait(timeout=10)
    if records != args.records:
        print(f"expected {args.records} records, got {records}", file=sys.stderr)
        return 1
    rate = records / seconds
    rows = [
        ("sandbox start-up (process, --records)", f"{ready:.2f} s"),
        ("records pulled", f"{records:,}"),
        ("pages (readByQuery + readMore)", f"{pages:,}"),
        ("first page", f"{first_page * 1000:.0f} ms"),
        ("total pull time", f"{seconds:.2f} s"),
        ("served records / s", f"{rate:,.0f}"),
    ]
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value:>12}")
    print(
        json.dumps(
            {
                "records": records,
                "served_records_per_s": round(rate),
                "seconds": round(seconds, 3),
                "pages": pages,
                "startup_s": round(ready, 3),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
