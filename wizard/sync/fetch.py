"""Gateway answers fetched side by side: the slots a sync may use, and one page's records.

`Fetcher.submit(function)` sends a read on a worker thread; the worker waits for Intacct's
answer, reads its envelope (for a page held in memory that is lxml's one-call parse of the
whole answer, which needs no Python), lets the client deal with session renewal and "too many
operations" retries, and hands back a `FetchedPage` whose records are taken, later, by whoever
iterates it (the thread that writes the store). Records become dicts and rows on that one
thread only. `Fetcher.close()` cancels what is not sent and waits for the workers to end.

`Slots` is how many requests are in flight at once: the sync's setting at first, one fewer
for the rest of the run each time the company answers "too many operations".
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Generator, Iterator
from concurrent.futures import Future
from itertools import chain, pairwise
from queue import Empty, SimpleQueue

from wizard.gateway import Client, Record
from wizard.gateway import functions as fn
from wizard.gateway.errors import ErrorLevel, ShortReadError
from wizard.gateway.response import DataInfo, Response
from wizard.sync.paged_read import HEAD_KEYS, PageFacts, key_order

log = logging.getLogger("wizard.sync")

Stream = Generator[tuple[int, Record | DataInfo], None, Response]

# How long `Fetcher.close()` waits for its workers: a read already sent ends when its answer
# arrives (an Intacct page takes a second or more; chosen with a wide margin).
JOIN_TIMEOUT_S = 30.0


class Slots:
    """Requests in flight at once; shrinks (never below one) when the company is busy."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("a sync needs at least one request in flight")
        self.asked = limit
        self.limit = limit
        self._refusals_seen = 0

    @property
    def slowed(self) -> bool:
        return self.limit < self.asked

    def note_refusals(self, refusals: int) -> None:
        """`refusals`: "too many operations" answers the client has had so far."""
        if refusals > self._refusals_seen:
            self._refusals_seen = refusals
            if self.limit > 1:
                self.limit -= 1
                log.info(
                    "Intacct answered 'too many operations'; reading with %d request(s) at "
                    "once for the rest of this sync",
                    self.limit,
                )


def short_read(done: int, total: int | None, why: str) -> ShortReadError:
    shown = total if total is not None else "?"
    return ShortReadError(
        ErrorLevel.RESULT,
        f"Intacct delivered {done} of {shown} records: {why}. Run the read again; if it "
        "keeps happening, the records changed while they were read",
        reason="short-read",
    )


class FetchedPage:
    """One answer that has arrived; `records()` parses it (once)."""

    def __init__(
        self,
        stream: Stream | None,
        first: tuple[int, Record | DataInfo] | None,
        response: Response | None,
    ) -> None:
        self._stream = stream
        self._first = first
        self._response = response
        self.facts: PageFacts | None = None

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()

    def records(
        self, key_field: str, asked: int, ordered: bool, every_field: bool = False
    ) -> Iterator[Record]:
        """The page's records. Ends only once the page is checked (its status, that it holds
        what it says, in key order if `ordered`); `facts` then says what it held, and with
        `every_field` the names of every field any of its records had."""
        info: DataInfo | None = None
        keys: list[str] = []  # checked once the page has ended: one append a record here
        keep = keys.append
        seen: Record = {}  # every_field: each field name any record had, in order
        ended: list[Response] = []
        items: Iterator[tuple[int, Record | DataInfo]] = iter(())
        if self._first is not None:
            items = chain((self._first,), _drain(self._stream, ended))
        for _, record in items:
            if isinstance(record, DataInfo):
                info = info or record
                continue
            keep(record.get(key_field, ""))
            if every_field:
                seen.update(record)
            yield record
        fields = tuple(k for k in seen if "." not in k and "[" not in k)
        count = len(keys)
        if ordered and not _ascending(keys):
            raise short_read(count, None, "Intacct sent the records out of order")
        response = ended[0] if ended else self._response
        assert response is not None
        data = response.results[0].raise_for_status().data or info
        total = data.totalcount if data else None
        remaining = (data.numremaining or 0) if data else 0
        if data is not None and data.count is not None and data.count != count:
            raise short_read(count, total, f"a page said it held {data.count} but held {count}")
        if remaining > 0 and count < asked:
            raise short_read(count, total, "a page came back short with records still to come")
        first, last = (keys[0], keys[-1]) if keys else (None, None)
        self.facts = PageFacts(
            count, total, remaining, first, last, tuple(keys[:HEAD_KEYS]), fields
        )


def _ascending(keys: list[str]) -> bool:
    """Each key after the one before (numbers as numbers: RECORDNO), checked in C loops."""
    if all(map(str.isdigit, keys)):
        numbers = list(map(int, keys))
        return all(map(int.__lt__, numbers, numbers[1:]))
    orders = [key_order(k) for k in keys]
    return all(a < b for a, b in pairwise(orders))


def _drain(stream: Stream | None, ended: list[Response]) -> Iterator[tuple[int, Record | DataInfo]]:
    """The rest of `stream`; its return value (the response) goes to `ended`."""
    if stream is not None:
        ended.append((yield from stream))


def _fetch(client: Client, function: fn.Function) -> FetchedPage:
    stream = client.stream([function], False, False)
    try:
        first = next(stream)
    except StopIteration as done:
        return FetchedPage(None, None, done.value)
    return FetchedPage(stream, first, None)


class Fetcher:
    """Sends reads on worker threads over one shared client (its session and its pool).

    The workers are this object's own threads, so `close()` can stop them and wait for them:
    a sync that has ended leaves no thread behind talking to Intacct."""

    def __init__(
        self, client: Client, workers: int, join_timeout_s: float = JOIN_TIMEOUT_S
    ) -> None:
        if workers < 1:
            raise ValueError("a fetcher needs at least one worker")
        self.client = client
        self.join_timeout_s = join_timeout_s
        self._queue: SimpleQueue[tuple[Future[FetchedPage], fn.Function] | None] = SimpleQueue()
        self._closed = False
        self._threads = [
            threading.Thread(target=self._work, name=f"pull-{n}", daemon=True)
            for n in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, function: fn.Function) -> Future[FetchedPage]:
        if self._closed:
            raise RuntimeError("the fetcher is closed")
        future: Future[FetchedPage] = Future()
        self._queue.put((future, function))
        return future

    def _work(self) -> None:
        while (job := self._queue.get()) is not None:
            future, function = job
            if not future.set_running_or_notify_cancel():
                continue  # cancelled by close() before it was sent
            try:
                future.set_result(_fetch(self.client, function))
            except BaseException as error:  # handed to the thread that waits on the future
                future.set_exception(error)

    def close(self) -> list[threading.Thread]:
        """Stop: reads not sent yet are cancelled, answers still on their way are dropped
        (nothing was written from them). Waits up to `join_timeout_s` in all for the workers
        to end (a worker waiting on Intacct ends when its answer arrives) and returns those
        still running after that (none, unless Intacct is slower than the wait)."""
        if not self._closed:
            self._closed = True
            while True:  # cancel what no worker has taken yet
                try:
                    job = self._queue.get_nowait()
                except Empty:
                    break
                if job is not None:
                    job[0].cancel()
            for _ in self._threads:
                self._queue.put(None)
        deadline = time.monotonic() + self.join_timeout_s
        for thread in self._threads:
            thread.join(max(deadline - time.monotonic(), 0))
        running = [t for t in self._threads if t.is_alive()]
        if running:
            log.warning(
                "%d read(s) still waiting for Intacct's answer after the sync stopped; "
                "their answers will be dropped",
                len(running),
            )
        return running
