"""The pull's worker threads end with the pull, and a read of every field ("*") keeps the
fields that its first record happens to lack."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable

from tests.gateway.gateway_loopback import Received, Step, loopback
from tests.sync.sync_helpers import FAST_RETRY, client_factory, first_pull
from wizard.gateway import Client, Credentials
from wizard.gateway import functions as fn
from wizard.sandbox import Sandbox
from wizard.sync.fetch import Fetcher
from wizard.sync.store import Store


def _pull_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("pull")]


def _read(offset: int) -> fn.Function:
    return fn.query("ARINVOICE", ["RECORDNO"], None, [("RECORDNO", True)], None, None, 5, offset)


def _wait_until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_close_waits_for_the_read_under_way_and_cancels_the_ones_not_sent() -> None:
    with Sandbox(records=20, latency_ms=300) as sandbox:
        client = client_factory(sandbox)()
        client.login()  # so the read below is the only slow part
        fetcher = Fetcher(client, 1)
        sent, queued = fetcher.submit(_read(0)), [fetcher.submit(_read(n)) for n in (5, 10)]
        _wait_until(sent.running)
        assert sent.running()
        still_running = fetcher.close()
        assert not _pull_threads(), "close() left a worker thread running"
        client.close()
    assert still_running == []
    assert sent.done() and not sent.cancelled()  # its answer came and was dropped
    assert all(future.cancelled() for future in queued), "reads not sent yet were sent"


def test_close_waits_no_longer_than_its_bound() -> None:
    with Sandbox(records=20, latency_ms=1500) as sandbox:
        client = client_factory(sandbox)()
        client.login()
        fetcher = Fetcher(client, 1, join_timeout_s=0.1)
        sent = fetcher.submit(_read(0))
        _wait_until(sent.running)
        started = time.monotonic()
        still_running = fetcher.close()
        waited = time.monotonic() - started
        assert len(still_running) == 1  # Intacct is slower than the wait
        assert waited < 1.0
        still_running[0].join(10)  # the worker ends once its answer arrives
        assert not still_running[0].is_alive()
        client.close()


def test_a_pull_leaves_no_worker_thread_behind(store: Store) -> None:
    with Sandbox(records=5000) as sandbox:
        first_pull(store, client_factory(sandbox)())
    assert store.count("ARINVOICE") == 5000
    assert not _pull_threads()


# -- fields "*": the query asks for every field any probe record had ------------------------

TOTAL = 5


def _gateway_omitting_empty_fields(selects: list[list[str]]) -> Callable[[Received], Step]:
    """A gateway that leaves an empty field out of a record, as some answers may (no public
    source says Intacct always sends empty fields): the first invoice has no EXTERNALID."""

    def record(number: int, fields: list[str]) -> str:
        values = {"RECORDNO": str(number), "WHENMODIFIED": "01/02/2026 10:00:00"}
        if number > 1:
            values["EXTERNALID"] = f"EXT-{number}"
        return (
            "<ARINVOICE>"
            + "".join(f"<{f}>{values[f]}</{f}>" for f in fields if f in values)
            + "</ARINVOICE>"
        )

    def answer(request: Received) -> Step:
        body = request.body.decode()
        if "getAPISession" in body:
            api = (
                "<data><api><sessionid>s-1</sessionid><endpoint></endpoint>"
                "<locationid></locationid></api></data>"
            )
            return Step(200, _response("getAPISession", api).encode())
        if "<readByQuery>" in body:  # the probe: 3 records of every field, 2 more to come
            rows = "".join(record(n, ["RECORDNO", "EXTERNALID", "WHENMODIFIED"]) for n in (1, 2, 3))
            data = (
                f'<data listtype="ARINVOICE" totalcount="{TOTAL}" count="3" '
                f'numremaining="{TOTAL - 3}" resultId="r1">{rows}</data>'
            )
            return Step(200, _response("readByQuery", data).encode())
        select = re.search(r"<select>(.*?)</select>", body)
        assert select is not None
        fields = re.findall(r"<field>([^<]+)</field>", select.group(1))
        selects.append(fields)
        offset = int(body.split("<offset>")[1].split("<")[0]) if "<offset>" in body else 0
        numbers = list(range(offset + 1, TOTAL + 1))
        rows = "".join(record(n, fields) for n in numbers)
        data = (
            f'<data listtype="ARINVOICE" totalcount="{TOTAL}" offset="{offset}" '
            f'count="{len(numbers)}" numremaining="0">{rows}</data>'
        )
        return Step(200, _response("query", data).encode())

    return answer


def test_every_field_read_keeps_a_field_the_first_record_lacks(store: Store) -> None:
    selects: list[list[str]] = []
    with loopback(responder=_gateway_omitting_empty_fields(selects)) as peer:
        client = Client(
            Credentials("s", "sp", "C", "u", "up"), endpoint=peer.base + "/gw", retry=FAST_RETRY
        )
        try:
            first_pull(store, client, "*", page_size=3)
        finally:
            client.close()
    assert selects, "the rest was read by query"
    assert all("EXTERNALID" in fields for fields in selects), selects
    last = store.get_pulled("ARINVOICE", str(TOTAL))
    assert last is not None and last.fields["EXTERNALID"] == f"EXT-{TOTAL}"


def _response(function: str, data: str) -> str:
    return (
        "<response><control><status>success</status><senderid>s</senderid>"
        "<controlid>c</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion>"
        "</control><operation><authentication><status>success</status><userid>u</userid>"
        "<companyid>C</companyid><locationid></locationid><sessiontimestamp>"
        "2026-01-02T10:00:00+00:00</sessiontimestamp></authentication><result>"
        f"<status>success</status><function>{function}</function><controlid>f</controlid>"
        f"{data}</result></operation></response>"
    )
