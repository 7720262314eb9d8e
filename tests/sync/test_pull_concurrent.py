"""The pull reads pages side by side at the company's limit, and still misses and repeats
nothing: not when Intacct's data changes mid-read, not when the company runs fewer requests at
once than the sync is set to, and a page that comes back short is still an error."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import pytest

from tests.gateway.gateway_loopback import Received, Step, loopback
from tests.sync.sync_helpers import FAST_RETRY, client_factory, demo_settings, first_pull
from wizard.commands.sync import summary_json, summary_table
from wizard.gateway import Client, Credentials, ShortReadError
from wizard.sandbox import Sandbox
from wizard.sync.engine import SyncEngine
from wizard.sync.progress import Progress
from wizard.sync.store import RunStatus, Store

FIELDS = "RECORDNO,RECORDID,CUSTOMERID,TOTALDUE,WHENCREATED,WHENMODIFIED"


def _keys(sandbox: Sandbox) -> set[str]:
    return {r["RECORDNO"] for r in sandbox.company.records("ARINVOICE")}


@pytest.mark.parametrize("fields", ["*", FIELDS], ids=["every-field", "listed-fields"])
def test_records_changed_during_the_read_are_each_stored_once(
    fields: str, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="wizard.sync")
    with Sandbox(records=9000, latency_ms=20) as sandbox:
        company = sandbox.company
        before = _keys(sandbox)
        pages_seen = 0

        def change_the_company(progress: Progress) -> None:
            # Someone works in Intacct while the pages are on their way: after each page,
            # invoices already read and invoices not read yet are deleted, new ones are added
            # and some are changed.
            nonlocal pages_seen
            if progress.object != "ARINVOICE" or not progress.done:
                return
            pages_seen += 1
            with company.lock:
                for index in range(pages_seen * 700, pages_seen * 700 + 12):
                    company.remove("ARINVOICE", index)  # read already, or about to be
                for index in range(7000 + pages_seen * 5, 7000 + pages_seen * 5 + 5):
                    company.remove("ARINVOICE", index)  # on a page not read yet
                for n in range(3):
                    company.insert(
                        "ARINVOICE",
                        {"RECORDID": f"NEW-{pages_seen}-{n}", "CUSTOMERID": "C-1001"},
                    )
                company.change("ARINVOICE", 8500 + pages_seen, {"TOTALDUE": "1.00"})

        result = first_pull(store, client_factory(sandbox)(), fields, listener=change_the_company)
        after = _keys(sandbox)
    stored = [r.record_no for r in store.iter_pulled("ARINVOICE")]
    assert pages_seen >= 4, "the company changed between pages"
    assert len(stored) == len(set(stored)), "a record is stored twice"
    missing = (before & after) - set(stored)
    assert not missing, f"{len(missing)} records that never left Intacct were not read"
    assert "changed while it was read" in caplog.text  # the gaps were found and read
    assert result.fetched >= len(before & after)
    assert store.get_cursor("ARINVOICE") is not None


def test_a_company_that_runs_one_request_at_a_time_slows_the_sync_down(store: Store) -> None:
    with Sandbox(records=6000, latency_ms=40, max_in_flight=1) as sandbox:
        settings = demo_settings(concurrency=2)
        engine = SyncEngine(store, client_factory(sandbox), settings)
        summary = engine.run(push=False)
        expected = {
            r["RECORDNO"]
            for r in sandbox.company.records("ARINVOICE")
            if dt.datetime.strptime(r["WHENCREATED"], "%m/%d/%Y").date()
            >= dt.datetime.now(dt.UTC).date() - dt.timedelta(days=365)
        }
    assert summary.pull_failures == ()
    assert summary.status is RunStatus.SUCCEEDED
    assert (summary.slots_asked, summary.slots_used) == (2, 1)
    assert "1 page at a time instead of 2" in summary.slowdown_note
    assert summary.slowdown_note in summary_table(summary)  # the CLI's summary says so too
    assert summary_json(summary)["requests_at_once"] == {"asked": 2, "used": 1}
    stored = {r.record_no for r in store.iter_pulled("ARINVOICE")}
    assert expected and expected <= stored, "a page was lost"


def _scripted_peer(
    claimed: int, delivered: int, reverse: bool = False
) -> Callable[[Received], Step]:
    """A gateway that says `claimed` invoices match but has only `delivered` to give, in key
    order (or reversed within each page): the sandbox never does either, so a scripted peer
    stands in for these faults."""

    def answer(request: Received) -> Step:
        body = request.body.decode()
        if "getAPISession" in body:
            api = (
                "<data><api><sessionid>s-1</sessionid><endpoint></endpoint>"
                "<locationid></locationid></api></data>"
            )
            return Step(200, _response("getAPISession", api).encode())
        offset = int(body.split("<offset>")[1].split("<")[0]) if "<offset>" in body else 0
        end = min(offset + 2000, delivered)
        numbers = list(range(offset + 1, end + 1))
        rows = "".join(
            f"<ARINVOICE><RECORDNO>{i}</RECORDNO><WHENMODIFIED>01/02/2026 10:00:00"
            "</WHENMODIFIED></ARINVOICE>"
            for i in (reversed(numbers) if reverse else numbers)
        )
        data = (
            f'<data listtype="ARINVOICE" totalcount="{claimed}" offset="{offset}" '
            f'count="{len(numbers)}" numremaining="{max(claimed - end, 0)}">{rows}</data>'
        )
        return Step(200, _response("query", data).encode())

    return answer


def _pull_from(peer_answer: Callable[[Received], Step], store: Store) -> None:
    with loopback(responder=peer_answer) as peer:
        client = Client(
            Credentials("s", "sp", "C", "u", "up"), endpoint=peer.base + "/gw", retry=FAST_RETRY
        )
        try:
            first_pull(store, client)
        finally:
            client.close()


def test_a_page_that_comes_back_short_is_an_error_and_sets_no_cursor(store: Store) -> None:
    with pytest.raises(ShortReadError) as caught:
        _pull_from(_scripted_peer(claimed=5000, delivered=3000), store)
    assert "of 5000 records" in str(caught.value)
    assert "Run the read again" in str(caught.value)
    assert store.get_cursor("ARINVOICE") is None  # the next sync reads it again
    assert store.count("ARINVOICE") <= 2000  # whole pages only; not the short one


def test_a_page_out_of_key_order_is_an_error_not_a_silent_gap(store: Store) -> None:
    # The pages' overlap proves nothing is missed only if each page is in key order.
    with pytest.raises(ShortReadError, match="out of order"):
        _pull_from(_scripted_peer(claimed=3000, delivered=3000, reverse=True), store)
    assert store.get_cursor("ARINVOICE") is None
    assert store.count("ARINVOICE") == 0


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
