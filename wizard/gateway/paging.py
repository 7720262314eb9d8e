"""`PagedReader`: every record of a read, one page at a time, one record at a time.

Records are yielded as the page is parsed and are not kept, so memory holds at most one
page's body however many records the read returns. `fetched` and `total` let a caller show
"N of M"; when the gateway stops before delivering `total` records, `ShortReadError` is
raised instead of ending quietly.

Iterate the reader for every record, or `by_page()` for one iterator per gateway answer: a
page's records end only once the page has been checked, so a caller that writes each page as
it iterates it (in one transaction) keeps only whole pages.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence
from itertools import chain
from typing import Literal

from wizard.gateway.errors import ErrorLevel, ShortReadError
from wizard.gateway.function_xml import Function
from wizard.gateway.functions import read_more
from wizard.gateway.records import Record
from wizard.gateway.response import DataInfo, Response

Stream = Callable[
    [Sequence[Function], bool, bool], Generator[tuple[int, Record | DataInfo], None, Response]
]


class PagedReader(Iterator[Record]):
    def __init__(
        self,
        stream: Stream,
        first: Function,
        mode: Literal["readMore", "offset"],
        next_page: Callable[[int], Function] | None = None,
    ) -> None:
        self._stream = stream
        self._mode = mode
        self._next_page = next_page
        self._function: Function | None = first  # what reads the next page, None at the end
        self._in_page = False
        self.fetched = 0
        self.total: int | None = None
        self.pages = 0
        self._records = self._read()

    def __iter__(self) -> Iterator[Record]:
        # A for loop takes the records straight from the generator (`fetched`, `total` and
        # `pages` are kept up to date either way); next(reader) still works too.
        return self._records

    def __next__(self) -> Record:
        return next(self._records)

    @property
    def progress(self) -> str:
        return f"{self.fetched} of {self.total if self.total is not None else '?'}"

    @property
    def more(self) -> bool:
        """Whether another page follows the ones read so far."""
        return self._function is not None

    def by_page(self) -> Iterator[Iterator[Record]]:
        """The read one page (gateway answer) at a time, each an iterator of its records.

        A page is handed out once its answer has arrived, so iterating it does no network
        I/O. Its iterator ends only after the page is checked (its status, its count, and
        after the last page that nothing is missing), else it raises. Finish each page before
        asking for the next; `more` then says whether one follows. Do not mix with iterating
        the reader itself."""
        while self._function is not None:
            if self._in_page:
                raise RuntimeError("finish reading a page before asking for the next one")
            page = self._page(self._function)
            first = next(page, None)  # the answer is fetched and its first record parsed
            if first is None:
                yield iter(())
            else:
                yield chain((first,), page)

    def _read(self) -> Iterator[Record]:
        while self._function is not None:
            yield from self._page(self._function)

    def _page(self, function: Function) -> Iterator[Record]:
        """One page's records; at its end `_function` reads the next page (or is None)."""
        self._in_page = True
        generator = self._stream([function], False, False)
        in_page = 0
        while True:
            try:
                _, record = next(generator)
            except StopIteration as done:
                response: Response = done.value
                break
            if isinstance(record, DataInfo):
                if record.totalcount is not None and self.total is None:
                    self.total = record.totalcount
                continue
            in_page += 1
            self.fetched += 1
            yield record
        self.pages += 1
        self._function = None
        self._in_page = False
        result = response.results[0].raise_for_status()
        data = result.data
        if data is None:
            self._check_complete()
            return
        if data.totalcount is not None and self.total is None:
            self.total = data.totalcount
        if data.count is not None and data.count != in_page:
            raise self._short(f"a page said it held {data.count} records but held {in_page}")
        remaining = data.numremaining or 0
        if remaining > 0:
            if in_page == 0:
                raise self._short("a page came back empty with records still to come")
            if self._mode == "readMore":
                if not data.result_id:
                    raise self._short("Intacct gave no result id to read the next page")
                self._function = read_more(data.result_id)
            elif self._next_page is not None:
                self._function = self._next_page(self.fetched)  # the next offset
        if self._function is None:
            self._check_complete()

    def _check_complete(self) -> None:
        if self.total is not None and self.fetched != self.total:
            raise self._short("the read ended early")

    def _short(self, why: str) -> ShortReadError:
        return ShortReadError(
            ErrorLevel.RESULT,
            f"Intacct delivered {self.progress} records: {why}. Run the read again; if it "
            "keeps happening, the records changed while they were read",
            reason="short-read",
        )
