"""A writer the crash test kills at random moments: `python crash_writer.py DB PAGE_SIZE`.

It does what the sync engine will do: first resolve what was in flight when it was last
killed, then page after page, forever:
  1. queue an invoice for Intacct and commit "in flight" before "sending" it,
  2. print `sent N`,
  3. in ONE transaction: store pulled page N (PAGE_SIZE invoices), land the pushed invoice with
     key N, move the ARINVOICE cursor, and record an error for the page,
  4. print `page N`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from wizard.sync.store import Store


def modified(page: int) -> str:
    day, minute = divmod(page, 1440)
    return f"01/{day + 1:02d}/2026 {minute // 60:02d}:{minute % 60:02d}:00"


def main() -> None:
    path, page_size = Path(sys.argv[1]), int(sys.argv[2])
    store = Store.open(path)
    # After a crash: was the in-flight invoice landed? Here "Intacct" is the pulled page.
    for record in store.in_flight():
        landed = store.get_pulled("ARINVOICE", str(record.payload["page"] * page_size))
        store.resolve_in_flight(record, str(record.payload["page"]) if landed else None)
    page = store.count("ARINVOICE") // page_size
    while True:
        record = store.outbox_add("invoice", f"page-{page}", {"page": page})
        store.mark_in_flight([record])
        print(f"sent {page}", flush=True)
        first = page * page_size
        rows = (
            {
                "RECORDNO": str(n),
                "RECORDID": f"INV-{n}",
                "DESCRIPTION": f"page {page} " + "x" * 200,
                "WHENMODIFIED": modified(page),
            }
            for n in range(first, first + page_size)
        )
        with store.transaction():
            store.upsert_pulled("ARINVOICE", rows)
            store.mark_landed(record, str(page))
            store.set_cursor("ARINVOICE", modified(page))
            store.record_error("ARINVOICE", str(first), "readByQuery", f"page {page} seen")
        print(f"page {page}", flush=True)
        page += 1


if __name__ == "__main__":
    main()
