"""The sandbox's REST API (v1): routing, the entity header, objects, query, bulk, faults.

One request in (method, path, query, headers, body), one `Reply` out; no HTTP here (the
server hands requests over). Reads and writes use the same company tables as the XML
gateway, so both methods see the same data and the same fault scenarios (rest.toml says
how each scenario answers over REST).
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from wizard.sandbox.company import RIGHTS, Company
from wizard.sandbox.rest_data import RestData, RestObject, load_rest_data
from wizard.sandbox.rest_oauth import Issued, OAuthServer
from wizard.sandbox.rest_query import QueryError, run_query
from wizard.sandbox.rest_reply import Reply, error_reply, result_reply
from wizard.sandbox.rest_writes import RestWriter
from wizard.sandbox.rest_writes import flatten as _flatten

API_PREFIX = "/ia/api/"
VERSION = "v1"
ENTITY_HEADER = "x-ia-api-param-entity"  # the live-verified spelling (§1.3)
BULK_MAX = 500
LIST_MAX = 100
_READ = ("list", "view")
USER_OBJECT = "company-config/user"
_RIGHT_FOR_METHOD = {"GET": "view", "POST": "add", "PATCH": "edit", "DELETE": "delete"}


def _iso(value: str) -> str:
    """mm/dd/yyyy [HH:MM:SS] -> YYYY-MM-DD or ISO 8601 UTC (§1.2)."""
    for pattern, out in (("%m/%d/%Y %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ"), ("%m/%d/%Y", "%Y-%m-%d")):
        try:
            return datetime.strptime(value, pattern).strftime(out)
        except ValueError:
            continue
    return value


def _nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for name, value in flat.items():
        parts = name.split(".")
        target = nested
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return nested


class RestApi:
    def __init__(
        self,
        company: Company,
        active: Callable[[], frozenset[str]],
        access_lifetime_s: float | None = None,
        data: RestData | None = None,
    ) -> None:
        self.company = company
        self.data = data or load_rest_data()
        self.active = active
        self.oauth = OAuthServer(company, self.data, active, access_lifetime_s)
        self.writer = RestWriter(company, self.data, self._answer_at)
        self.calls = 0

    def _error(self, name: str, **values: object) -> Reply:
        return error_reply(self.data.errors[name], dict(values))

    # -- entry -----------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Reply:
        path, _, query_text = target.partition("?")
        query = dict(urllib.parse.parse_qsl(query_text))
        rest = path[len(API_PREFIX) :]
        version, _, route = rest.partition("/")
        if version != VERSION:
            return self._error("version")
        route = "/" + route
        content_type = headers.get("content-type", "")
        if route == "/oauth2/token" and method == "POST":
            return self.oauth.token(body, content_type)
        if route == "/oauth2/authorize" and method in ("GET", "POST"):
            form = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace")))
            return self.oauth.authorize(method, query, form)
        if route.startswith("/oauth2/"):
            return self._error("not-found")
        self.calls += 1
        for name in sorted(self.active()):
            answer = self.data.answers.get(name)
            if answer is not None and answer.at == "call" and name != "rest-token-expired":
                retry = answer.params.get("retry_after_s")
                headers_out = {"Retry-After": str(retry)} if retry is not None else {}
                return error_reply(self.data.errors[answer.error], None, headers_out)
        issued = self.oauth.check_bearer(headers.get("authorization", ""))
        if isinstance(issued, Reply):
            return issued
        entity = headers.get(ENTITY_HEADER, "").strip()
        if entity:
            if entity not in self.company.entity_by_id:
                return self._error("forbidden", operation="enter entity", object=entity)
            if self._answer_at("entity"):
                return self._error("forbidden", operation="enter entity", object=entity)
        try:
            payload = json.loads(body) if body.strip() else None
        except ValueError:
            return (
                self._error("invalid-request")
                if body.lstrip()[:1] == b"<"
                else self._error("no-payload", OPERATION=method)
            )
        return self._route(method, route, query, headers, payload, body, issued, entity)

    def _answer_at(self, place: str, module: str = "") -> str:
        for name in sorted(self.active()):
            answer = self.data.answers.get(name)
            if (
                answer is not None
                and answer.at == place
                and (not module or answer.module == module)
            ):
                return answer.error
        return ""

    # -- routes ----------------------------------------------------------------------------

    def _route(
        self,
        method: str,
        route: str,
        query: Mapping[str, str],
        headers: Mapping[str, str],
        payload: Any,
        raw: bytes,
        issued: Issued,
        entity: str,
    ) -> Reply:
        if route == "/services/core/query" and method == "POST":
            return self._query(payload, entity)
        if route == "/services/core/allowed-operations/list" and method == "POST":
            return self._allowed(payload)
        if route == "/services/company-config/dimensions/list" and method == "GET":
            return self._dimensions()
        if route.startswith("/objects/"):
            parts = route[len("/objects/") :].split("/")
            if len(parts) in (2, 3):
                name = "/".join(parts[:2])
                key = parts[2] if len(parts) == 3 else ""
                if name == USER_OBJECT:
                    return self._user(key, issued)
                obj = self._object(name)
                if obj is None:
                    return self._error("not-found")
                denied = self._denied(
                    obj, _RIGHT_FOR_METHOD[method] if key or method != "GET" else "list"
                )
                if denied is not None:
                    return denied
                if method == "GET":
                    return self._read(obj, key, entity)
                if method in ("POST", "PATCH"):
                    return self.writer.write(method, obj, key, payload, raw, headers, entity)
                if method == "DELETE" and key:
                    return self.writer.delete(obj, key)
        return self._error("not-found")

    def _object(self, name: str) -> RestObject | None:
        obj = self.data.objects.get(name)
        if obj is not None:
            return obj
        if name.startswith("platform-apps/nsp::"):
            udd = name.split("::", 1)[1].upper()
            if udd in self.company.tables:
                fields = {"key": "RECORDNO", "id": "id", "name": "name"}
                return RestObject(
                    name, udd, "PLATFORM", fields | {"audit.modifiedDateTime": "WHENMODIFIED"}
                )
        return None

    def _denied(self, obj: RestObject, operation: str) -> Reply | None:
        """403 when the Web Services user may not do `operation` on the object (§4.4)."""
        shown = obj.path
        if obj.module == "PLATFORM":
            udd = next((u for u in self.company.udds if u.object.upper() == obj.table), None)
            if udd is not None and udd.restricted and self._answer_at("udd"):
                return self._error("forbidden", operation=operation, object=shown)
            return None
        if self._answer_at("module", obj.module):
            return self._error("forbidden", operation=operation, object=shown)
        granted = self.company.user_permissions  # per object, when set (same as XML)
        if granted is not None:
            if operation not in granted.get(obj.table, frozenset()):
                return self._error("forbidden", operation=operation, object=shown)
            return None
        right = self.company.subscriptions.get(obj.module)
        if right is None or (operation not in _READ and right != "all"):
            return self._error("forbidden", operation=operation, object=shown)
        return None

    def _rows(self, obj: RestObject, entity: str) -> list[dict[str, Any]]:
        table = self.company.tables[obj.table]
        scoped = "MEGAENTITYID" in table.position and entity
        rows = []
        for _index, row in table.rows():
            values = table.as_dict(row)
            if scoped and values.get("MEGAENTITYID", "") not in ("", entity):
                continue
            rows.append(self._rest_record(obj, values))
        return rows

    @staticmethod
    def _rest_record(obj: RestObject, values: Mapping[str, str]) -> dict[str, Any]:
        record: dict[str, Any] = {}
        for rest_name, column in obj.fields.items():
            value = values.get(column, "")
            record[rest_name] = (
                _iso(value) if rest_name.startswith("audit.") or "Date" in rest_name else value
            )
        record["href"] = f"/objects/{obj.path}/{record['key']}"
        return record

    def _read(self, obj: RestObject, key: str, entity: str) -> Reply:
        rows = self._rows(obj, entity)
        if not key:  # list: references only, up to 100 (§3.2)
            refs = [{"key": r["key"], "id": r["id"], "href": r["href"]} for r in rows[:LIST_MAX]]
            more = len(rows) > LIST_MAX
            meta = {
                "totalCount": len(rows),
                "start": 1,
                "pageSize": LIST_MAX,
                "next": LIST_MAX + 1 if more else None,
                "previous": None,
            }
            return result_reply(200, refs, meta)
        by_key = {r["key"]: r for r in rows}
        keys = key.split(",")
        if len(keys) > BULK_MAX:
            return self._error("invalid-request")
        found = [by_key.get(k) for k in keys]
        if len(keys) == 1:
            record = found[0]
            return result_reply(200, _nest(record)) if record else self._error("not-found")
        items = [
            {"ia::result": _nest(r), "ia::status": 200}
            if r
            else {
                "ia::error": {"code": "notFound", "message": f"Record {k} was not found"},
                "ia::status": 404,
            }
            for k, r in zip(keys, found, strict=True)
        ]
        status = 200 if all(found) else 207
        return result_reply(status, items)

    # -- writes ----------------------------------------------------------------------------

    def _query(self, payload: Any, entity: str) -> Reply:
        if not isinstance(payload, dict):
            return self._error("no-payload", OPERATION="POST")
        name = str(payload.get("object", ""))
        if name == USER_OBJECT:
            user = _flatten(self._user_record())
            obj: RestObject | None = RestObject(USER_OBJECT, "", "CO", {k: k for k in user})
            rows = [user]
        else:
            obj = self._object(name)
            if obj is None:
                return self._error("not-found")
            denied = self._denied(obj, "list")
            if denied is not None:
                return denied
            rows = self._rows(obj, entity)
        assert obj is not None
        try:
            rows, meta = run_query(payload, obj, rows)
        except QueryError as error:
            return self._error(error.spec, **error.values)
        return result_reply(200, rows, meta)

    def _allowed(self, payload: Any) -> Reply:
        if not isinstance(payload, dict) or not isinstance(payload.get("keys"), list):
            return self._error("no-payload", OPERATION="POST")
        obj = self._object(str(payload.get("object", "")))
        if obj is None:
            return self._error("not-found")
        wanted = [str(o) for o in payload.get("operations") or ["canView", "canEdit", "canDelete"]]
        may = set()
        if self._denied(obj, "view") is None:
            may.add("canView")
        if self._denied(obj, "edit") is None:
            may |= {"canEdit", "canDelete"}
        rows = [
            {"key": str(k), "operations": [o for o in wanted if o in may]}
            for k in payload["keys"][:1000]
        ]
        return result_reply(200, rows)

    def _dimensions(self) -> Reply:
        standard = [
            ("DEPARTMENT", "Department", "/objects/company-config/department"),
            ("LOCATION", "Location", "/objects/company-config/location"),
            ("CLASS", "Class", "/objects/company-config/class"),
            ("PROJECT", "Project", "/objects/projects/project"),
            ("CUSTOMER", "Customer", "/objects/accounts-receivable/customer"),
        ]
        rows = [
            {
                "dimensionName": name,
                "dimensionLabel": label,
                "termName": label,
                "isUserDefinedDimension": False,
                "isEnabledInGL": True,
                "dimensionEndpoint": endpoint,
            }
            for name, label, endpoint in standard
        ] + [
            {
                "dimensionName": u.object.upper(),
                "dimensionLabel": u.label,
                "termName": u.label,
                "isUserDefinedDimension": True,
                "isEnabledInGL": True,
                "dimensionEndpoint": f"/objects/platform-apps/nsp::{u.object.lower()}",
            }
            for u in self.company.udds
        ]
        # Counts are strings in Sage's example of this service (§3.1).
        n = str(len(rows))
        return result_reply(200, rows, {"totalCount": n, "totalSuccess": n, "totalError": "0"})

    def _user_record(self) -> dict[str, Any]:
        web_services_only = "user-not-web-services-only" not in self.active()
        return {
            "key": "1",
            "id": self.company.user_id,
            "userType": "business",  # the enum is NOT FOUND (§8.11); Sage's example value
            "adminPrivileges": "off",
            "status": "active",
            "webServices": {"isEnabled": True, "isRestricted": web_services_only},
            "entityAccess": {
                "allowUnrestrictedAccess": "entity-access-denied" not in self.active(),
                "allowTopLevelAccess": True,
            },
            "permissionAssignments": [
                {"permission": {"id": module}, "accessRights": RIGHTS[right].lower().split("|")}
                for module, right in self.company.subscriptions.items()
                if not self._answer_at("module", module)
            ],
            "href": "/objects/company-config/user/1",
        }

    def _user(self, key: str, issued: Issued) -> Reply:
        """company-config/user: the signed-in Web Services user (§5); one record, key "1"."""
        record = self._user_record()
        if not key:
            return result_reply(200, [{"key": "1", "id": record["id"], "href": record["href"]}])
        if key != "1":
            return self._error("not-found")
        return result_reply(200, record)
