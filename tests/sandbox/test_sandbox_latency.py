"""The latency model: an answer holding n records takes BASE + n x PER_RECORD, while the
request holds one of the company's slots; requests within the limit are served side by side."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

from sandbox_client import Answer, Client, fn

from wizard.sandbox import Sandbox

BASE_MS = 80
PER_RECORD_US = 1000  # 1 ms a record: a page of 300 takes 80 + 300 ms


def _page(size: int) -> str:
    return fn(
        "<query><object>ARINVOICE</object><select><field>RECORDNO</field></select>"
        f"<orderby><order><field>RECORDNO</field><ascending/></order></orderby>"
        f"<pagesize>{size}</pagesize></query>"
    )


def _timed(client: Client, function: str) -> tuple[Answer, float]:
    started = time.perf_counter()
    answer = client.call(function)
    return answer, time.perf_counter() - started


def test_an_answer_takes_base_plus_its_records_times_the_per_record_time() -> None:
    with Sandbox(records=500, latency_ms=BASE_MS, latency_per_record_us=PER_RECORD_US) as sandbox:
        client = Client(sandbox)
        small, small_s = _timed(client, _page(1))
        large, large_s = _timed(client, _page(300))
        client.close()
    assert small.first("//data/@count") == "1"
    assert large.first("//data/@count") == "300"
    assert 0.080 <= small_s < 0.080 + 0.25  # BASE + 1 ms (and a loaded machine's slack)
    assert 0.380 <= large_s < 0.380 + 0.25  # BASE + 300 ms


def test_requests_within_the_limit_are_answered_side_by_side() -> None:
    with Sandbox(records=50, latency_ms=400, max_in_flight=2) as sandbox:
        barrier = threading.Barrier(2)
        answers: list[Answer] = []

        def ask() -> None:
            c = Client(sandbox)
            barrier.wait()
            answers.append(c.call(fn("<getFinancialSetup/>")))
            c.close()

        started = time.perf_counter()
        workers = [threading.Thread(target=ask) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        took = time.perf_counter() - started
    assert [a.first("/response/control/status") for a in answers] == ["success", "success"]
    assert took < 0.75, f"two 0.4 s answers took {took:.2f} s: they were served one by one"


def test_the_sandbox_command_refuses_a_negative_latency() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "wizard", "sandbox", "--latency-per-record-us", "-5"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--latency-per-record-us must be 0 or more." in done.stderr
    assert "Traceback" not in done.stderr
