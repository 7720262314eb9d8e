"""Read repeated elements back out of the gateway's flattened records.

The parser flattens nested answers (`dimension.objectName`, `dimension[2].objectName`, …);
`repeated(record, "dimension")` gives one plain dict per `<dimension>`, in order.
"""

from __future__ import annotations

import re

from wizard.gateway import Record


def repeated(record: Record, name: str) -> list[dict[str, str]]:
    pattern = re.compile(rf"^{re.escape(name)}(\[\d+\])?\.(.+)$")
    groups: dict[str, dict[str, str]] = {}
    for key, value in record.items():
        found = pattern.match(key)
        if found:
            groups.setdefault(found.group(1) or "", {})[found.group(2)] = value
    return list(groups.values())
