"""The sandbox's REST writes: create and update (one or a batch), delete, idempotency.

Batches take at most 500 records; mixed outcomes answer 207 with `ia::status` per item; with
`X-IA-API-Param-Transaction: true` one failure rolls every record back (§3.7). An
`Idempotency-Key` replays the first answer for 48 h (here: for the sandbox's life) and a
reused key with another body is refused with 409 (§3.11).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from wizard.sandbox.company import Company
from wizard.sandbox.rest_data import RestData, RestObject
from wizard.sandbox.rest_reply import Reply, error_object, error_reply, result_reply

BULK_MAX = 500
TRANSACTION_HEADER = "x-ia-api-param-transaction"


def flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in record.items():
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


class RestWriter:
    def __init__(self, company: Company, data: RestData, answer_at: Callable[..., str]) -> None:
        self.company = company
        self.data = data
        self._answer_at = answer_at
        self._idempotent: dict[str, tuple[str, Reply, str]] = {}
        self._lock = threading.Lock()

    def _error(self, name: str, **values: object) -> Reply:
        return error_reply(self.data.errors[name], dict(values))

    def write(
        self,
        method: str,
        obj: RestObject,
        key: str,
        payload: Any,
        raw: bytes,
        headers: Mapping[str, str],
        entity: str,
    ) -> Reply:
        if payload is None:
            return self._error("no-payload", OPERATION=method)
        idem = headers.get("idempotency-key", "")
        digest = hashlib.sha256(raw).hexdigest()
        if idem:
            with self._lock:
                seen = self._idempotent.get(idem)
            if seen is not None:
                if seen[0] != digest:
                    return self._error("idempotency-conflict")
                reply = seen[1]
                return Reply(
                    reply.status,
                    reply.body,
                    reply.content_type,
                    reply.headers
                    | {"Idempotency-Key": idem, "x-ia-idempotency-cached-date": seen[2]},
                )
        atomic = headers.get(TRANSACTION_HEADER, "").lower() == "true"
        with self.company.lock:
            reply = self._apply(method, obj, key, payload, atomic, entity)
        if idem:
            with self._lock:
                self._idempotent[idem] = (digest, reply, datetime.now(UTC).isoformat())
        return reply

    def _apply(
        self, method: str, obj: RestObject, key: str, payload: Any, atomic: bool, entity: str
    ) -> Reply:
        many = isinstance(payload, list)
        records = payload if many else [payload]
        if not records or len(records) > BULK_MAX or not all(isinstance(r, dict) for r in records):
            return self._error("invalid-request")
        company = self.company
        company.begin()
        outcomes: list[tuple[int, dict[str, Any]]] = []
        failed = False
        for record in records:
            mark = company.mark()
            if failed and atomic:
                outcomes.append(
                    (
                        422,
                        {
                            "code": "unprocessed",
                            "message": "Operation skipped due to atomic transaction failure",
                        },
                    )
                )
                continue
            status, result = self._one(
                method, obj, key if not many else str(record.get("key", "")), record, entity
            )
            if status >= 300:
                company.rollback_to(mark)
                failed = True
            outcomes.append((status, result))
        if failed and atomic:
            company.rollback()
            # Records that had succeeded are rolled back with the rest: reported as skipped
            # (§3.7; how Intacct reports them is NOT FOUND: chosen).
            skipped = self._item_error("unprocessed")
            outcomes = [(422, skipped) if status < 300 else (status, r) for status, r in outcomes]
        else:
            company.commit()
        if not many:
            status, result = outcomes[0]
            if status >= 300:
                return error_reply(self.data.errors[result["_spec"]], result["_values"])
            return result_reply(status, result)
        items = []
        for status, result in outcomes:
            if status >= 300:
                error = {k: v for k, v in result.items() if not k.startswith("_")}
                items.append({"ia::error": error, "ia::status": status})
            else:
                items.append({**result, "ia::status": status})
        ok = sum(1 for s, _ in outcomes if s < 300)
        meta = {"totalCount": len(items), "totalSuccess": ok, "totalError": len(items) - ok}
        return result_reply(200 if ok == len(items) else 207, items, meta)

    def _one(
        self, method: str, obj: RestObject, key: str, record: dict[str, Any], entity: str
    ) -> tuple[int, dict[str, Any]]:
        table_name = obj.table
        table = self.company.tables[table_name]
        owned = obj.lines is not None and "lines" in record
        flat = flatten({n: v for n, v in record.items() if not (owned and n == "lines")})
        columns = {}
        for name, value in flat.items():
            if name in ("key", "href"):
                continue
            column = obj.fields.get(name)
            if column is None:
                return 400, self._item_error("unknown-field", field=f"/{name}", target=f"/{name}")
            columns[column] = str(value)
        lines = self._lines(obj, record.get("lines")) if owned else []
        if isinstance(lines, tuple):
            return lines
        if self._answer_at("write"):
            return 422, self._item_error("business-rule", object=obj.path.split("/")[-1])
        object_name = obj.path.split("/")[-1]
        refused = self._missing_reference(obj.references, flat, object_name)
        line_references = obj.lines.references if obj.lines is not None else {}
        for flat_line, _columns in lines:
            refused = refused or self._missing_reference(line_references, flat_line, object_name)
        if refused is not None:
            return refused
        if method == "POST":
            new_id = columns.get(table.spec.id_field, "")
            if not new_id:
                return 400, self._item_error("unknown-field", field="/id", target="/id")
            if table.find(table.spec.id_field, new_id) is not None:
                return 422, self._item_error("duplicate", value=new_id, object=obj.path)
            if "MEGAENTITYID" in table.position and entity:
                columns.setdefault("MEGAENTITYID", entity)
            if "STATUS" in table.position:
                columns.setdefault("STATUS", "active")
            recordno = self.company.insert(
                table_name, {c: v for c, v in columns.items() if c in table.position}
            )
            self._insert_lines(obj, str(recordno), lines)
            return 201, {
                "key": str(recordno),
                "id": new_id,
                "href": f"/objects/{obj.path}/{recordno}",
            }
        index = table.find("RECORDNO", key) if key else None
        if index is None:
            return 404, self._item_error("not-found")
        row = table.row(index)
        assert row is not None
        self._insert_lines(obj, key, lines, added_to=True)  # lines without a key are added
        self.company.change(
            table_name,
            index,
            {c: v for c, v in columns.items() if c in table.position and c != "RECORDNO"},
        )
        current = table.as_dict(table.row(index) or row)
        return 200, {
            "key": key,
            "id": current.get(table.spec.id_field, ""),
            "href": f"/objects/{obj.path}/{key}",
        }

    def _lines(
        self, obj: RestObject, value: object
    ) -> list[tuple[dict[str, Any], dict[str, str]]] | tuple[int, dict[str, Any]]:
        """Each owned line as (its flat REST fields, its table columns), or the 400 refusing
        a line field the sandbox does not know (a line's `key`, to change it, included)."""
        assert obj.lines is not None
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            return 400, self._item_error("unknown-field", field="/lines", target="/lines")
        lines = []
        for number, line in enumerate(value):
            flat = flatten(line)
            columns = {}
            for name, field_value in flat.items():
                column = obj.lines.fields.get(name)
                if column is None:
                    where = f"/lines/{number}/{name}"
                    return 400, self._item_error("unknown-field", field=where, target=where)
                columns[column] = str(field_value)
            lines.append((flat, columns))
        return lines

    def _missing_reference(
        self, references: Mapping[str, tuple[str, str]], flat: Mapping[str, Any], object_name: str
    ) -> tuple[int, dict[str, Any]] | None:
        """The 422 for the first reference naming a record the company does not have."""
        for name, (table_name, column) in references.items():
            value = str(flat.get(name, ""))
            if value and self.company.find(table_name, column, value) is None:
                spec = self.company.specs.get(table_name)
                what = spec.label if spec is not None else table_name.title()
                return 422, self._item_error(
                    "invalid-reference", object=object_name, what=what, value=value
                )
        return None

    def _insert_lines(
        self,
        obj: RestObject,
        owner_key: str,
        lines: list[tuple[dict[str, Any], dict[str, str]]],
        added_to: bool = False,
    ) -> None:
        if obj.lines is None or not lines:
            return
        table = self.company.tables[obj.lines.table]
        start = len(self._line_indexes(obj, owner_key)) if added_to else 0
        for number, (_flat, columns) in enumerate(lines, start + 1):
            values = columns | {obj.lines.owner: owner_key, "LINE_NO": str(number)}
            self.company.insert(
                obj.lines.table, {c: v for c, v in values.items() if c in table.position}
            )

    def _line_indexes(self, obj: RestObject, owner_key: str) -> list[int]:
        if obj.lines is None:
            return []
        table = self.company.tables[obj.lines.table]
        owner = obj.lines.owner
        return [i for i, row in table.rows() if table.value(row, owner) == owner_key]

    def _item_error(self, spec_name: str, **values: object) -> dict[str, Any]:
        """One record's error; `_spec`/`_values` let a single-record call render it whole."""
        error = error_object(self.data.errors[spec_name], values)
        return error | {"_spec": spec_name, "_values": values}

    def delete(self, obj: RestObject, key: str) -> Reply:
        table = self.company.tables[obj.table]
        index = table.find("RECORDNO", key)
        if index is None:
            return self._error("not-found")
        with self.company.lock:
            if obj.lines is not None:  # owned lines go with their owner (§3.3)
                for line in self._line_indexes(obj, key):
                    self.company.remove(obj.lines.table, line)
            self.company.remove(obj.table, index)
        return Reply(204, b"")

    # -- services --------------------------------------------------------------------------
