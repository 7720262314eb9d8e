"""`PagedRead`: which pages to ask for to read one object completely, with pages side by side.

The read is a `query` ordered by the object's key (RECORDNO: stable, unique, never reused), in
pages of `page_size` at offsets 0, P-1, 2(P-1), ...: each page after the first starts on the
last record of the page before, so neighbouring pages overlap by one record. Every page can be
asked for at once, as soon as the first page has told the total.

Why this is safe when Intacct's data changes during the read. A page is a run of consecutive
records in key order as they were when Intacct answered it: every record then present with a
key between its first and its last key is in it. Two neighbouring pages that share a record (the
next page's first key is at or before the previous page's last key) therefore leave no key
between them unread, whenever each was answered. A record added below a boundary shifts the
later pages right: they share more than one record, which is only read twice (the store keeps
records by key, so twice is once). A record removed below a boundary shifts them left: the next
page starts after the previous page's last key, and the records in between would be missed;
that gap is then read by key (`key > last AND key < first`, in key order, page after page), one
more request only when the data moved. The last page is the first to say nothing remains; an
empty one leaves the gap above the previous page, read the same way. A record that is changed
during the read keeps its key, so it does not move: it is read once, before or after the change;
the change is then picked up by the next sync, because the cursor is set back by the read's own
duration as well as the usual overlap (any change made during the read is at or after the
newest change read, minus the read's duration).

Objects whose fields are "*" first read one `readByQuery` page (the `query` function needs field
names): a small object is then read whole in that one request; a larger one takes the field
names from it and is read by `query` as above. The names are those of every record on that page,
not only the first: no public source says that Intacct sends an empty field rather than leaving
it out, so a record without a field must not drop it from the query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from wizard.gateway import functions as fn

HEAD_KEYS = 256  # first keys kept of each page, to count the records two pages share


class Kind(StrEnum):
    PROBE = "probe"  # readByQuery, fields "*"
    PAGE = "page"  # query at an offset
    GAP = "gap"  # query by key range


@dataclass(frozen=True)
class PageFacts:
    """What a page told, kept after its records went to the store."""

    count: int
    totalcount: int | None
    numremaining: int
    first: str | None  # first and last key of the page
    last: str | None
    head: tuple[str, ...] = ()  # its first HEAD_KEYS keys
    fields: tuple[str, ...] = ()  # every field name its records had (probe only)


@dataclass(frozen=True)
class Request:
    kind: Kind
    function: fn.Function
    index: int = 0  # page number (PAGE)
    low: str | None = None  # GAP: key > low
    high: str | None = None  # GAP: key < high (None: no upper bound)


def key_order(value: str) -> tuple[int, int | str]:
    """Keys in the order Intacct sorts them: numbers as numbers, else as text."""
    return (0, int(value)) if value.isdigit() else (1, value)


@dataclass
class PagedRead:
    object: str
    key_field: str
    fields: tuple[str, ...] | None  # None: every field (probe first)
    filter: fn.Filter | None  # for query
    probe_query: str  # the same condition for readByQuery
    page_size: int = fn.QUERY_MAX_PAGE
    probe_size: int = fn.READ_BY_QUERY_MAX_PAGE
    total: int | None = None
    counted: int = 0  # records reported as done so far
    changed_meanwhile: bool = False  # the data moved while it was read
    _pages: dict[int, PageFacts] = field(default_factory=dict)
    _planned: int = 0  # pages asked for so far (0..planned-1)
    _chain: int = 0  # pages 0.._chain-1 are joined without gaps
    _ended: bool = False  # the page that says nothing remains is joined
    _outstanding: int = 0
    _gap_records: int = 0
    _overlaps: int = 0
    _extra: int = 0  # records of pages beyond the last one (removed meanwhile)

    # -- requests ----------------------------------------------------------------------------

    def start(self) -> list[Request]:
        if self.fields is None:
            function = fn.read_by_query(self.object, self.probe_query, "*", self.probe_size)
            return self._send([Request(Kind.PROBE, function)])
        return self._send([self._page(0)])

    def _send(self, requests: list[Request]) -> list[Request]:
        self._outstanding += len(requests)
        return requests

    def _query(self, condition: fn.Filter | None, offset: int | None) -> fn.Function:
        assert self.fields is not None
        return fn.query(
            self.object,
            self.fields,
            condition,
            orderby=((self.key_field, True),),
            pagesize=self.page_size,
            offset=offset,
        )

    def _page(self, index: int) -> Request:
        self._planned = max(self._planned, index + 1)
        offset = index * (self.page_size - 1)
        return Request(Kind.PAGE, self._query(self.filter, offset or None), index=index)

    def _gap(self, low: str, high: str | None) -> Request:
        tests: list[fn.Filter] = [fn.where(self.key_field, "greaterthan", low)]
        if high is not None:
            tests.append(fn.where(self.key_field, "lessthan", high))
        if self.filter is not None:
            tests.append(self.filter)
        condition = tests[0] if len(tests) == 1 else fn.all_of(*tests)
        return Request(Kind.GAP, self._query(condition, None), low=low, high=high)

    # -- answers -----------------------------------------------------------------------------

    @property
    def complete(self) -> bool:
        return self._ended and self._outstanding == 0

    def take(self, request: Request, facts: PageFacts) -> tuple[list[Request], int]:
        """Note a page written to the store. Returns the requests to send next and how many
        records it adds to "done" (a page shares its first record with the page before)."""
        self._outstanding -= 1
        new, done = self._take(request, facts)
        self.counted += done
        return new, done

    def _take(self, request: Request, facts: PageFacts) -> tuple[list[Request], int]:
        if request.kind is Kind.PROBE:
            if facts.numremaining == 0:
                self.total = facts.totalcount if facts.totalcount is not None else facts.count
                self._ended = True
                return [], facts.count
            # More than one page: read it all by query, in key order (the probe's records
            # are read again; they count once, then).
            self.fields = _with_key(facts.fields, self.key_field)
            return self._send([self._page(0)]), 0
        if request.kind is Kind.GAP:
            self.changed_meanwhile = True
            self._gap_records += facts.count
            more: list[Request] = []
            if facts.numremaining > 0 and facts.last is not None:
                more.append(self._gap(facts.last, request.high))
            return self._send(more), facts.count
        index = request.index
        self._pages[index] = facts
        if facts.totalcount is not None:
            if self.total is None:
                self.total = facts.totalcount
            elif facts.totalcount != self.total:
                self.changed_meanwhile = True
        new: list[Request] = []
        if index == 0 and facts.numremaining > 0 and self.total is not None:
            # Pages k = 1.. start at k(P-1) and hold P: enough to reach the last record.
            step = self.page_size - 1
            last = -(-(self.total - self.page_size) // step)
            new.extend(self._page(k) for k in range(1, last + 1))
        new.extend(self._join())
        done = facts.count if index == 0 else max(facts.count - 1, 0)
        if self._ended and index >= self._chain:
            self._extra += facts.count  # beyond the last page: removed meanwhile
            done = 0
        return self._send(new), done

    def _join(self) -> list[Request]:
        """Join the pages that are in, in order; ask for gaps and for pages past the plan."""
        new: list[Request] = []
        while not self._ended and self._chain in self._pages:
            index = self._chain
            page = self._pages[index]
            if index > 0:
                before = self._pages[index - 1]
                assert before.last is not None  # a page with a page after it has records
                if page.first is not None and key_order(page.first) <= key_order(before.last):
                    shared = sum(1 for k in page.head if key_order(k) <= key_order(before.last))
                    self._overlaps += shared
                    if shared != 1:
                        self.changed_meanwhile = True
                else:
                    new.append(self._gap(before.last, page.first))
            self._chain += 1
            if page.numremaining == 0 or page.count == 0:
                self._ended = True
                self._extra += sum(p.count for i, p in self._pages.items() if i >= self._chain)
            elif self._chain == self._planned:
                new.append(self._page(self._planned))  # records were added meanwhile
        return new

    @property
    def distinct(self) -> int:
        """Records read, each once (pages' shared records and removed records left out)."""
        if self.fields is None or not self._pages:
            return self.counted
        pages = sum(p.count for i, p in self._pages.items() if i < self._chain)
        return pages - self._overlaps + self._gap_records

    def unexplained_shortfall(self) -> bool:
        """The read ended with fewer records than Intacct said it held, and nothing moved."""
        if self.changed_meanwhile or self._extra or self.total is None:
            return False
        return self.distinct != self.total


def _with_key(fields: tuple[str, ...], key_field: str) -> tuple[str, ...]:
    return fields if key_field in fields else (key_field, *fields)
