"""The XML gateway: one request body in, one response body out (no HTTP here).

Order of checks, as the real service answers them: XML parse and shape (XL03000003), the
company and gateway state (PL04000055, too many operations), the sender (control level), then
per operation the authentication (login or session), then each function.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from wizard.sandbox import card_charges, messages, metadata, postings, readers, writers
from wizard.sandbox.company import Company
from wizard.sandbox.context import Context, ResultSets
from wizard.sandbox.data import load_toml
from wizard.sandbox.errors import AuthFailure, ControlFailure, GatewayError, ResultFailure
from wizard.sandbox.render import (
    XML_DECLARATION,
    control,
    control_failure,
    element,
    errormessage,
    result,
)
from wizard.sandbox.scenarios import SCENARIOS

LOGIN_PATH = "/ia/xml/xmlgw.phtml"

Handler = Callable[[Context, etree._Element], str]

HANDLERS: dict[str, Handler] = {
    "readByQuery": readers.read_by_query,
    "readMore": readers.read_more,
    "query": readers.query,
    "read": readers.read,
    "readByName": readers.read_by_name,
    "lookup": metadata.lookup,
    "inspect": metadata.inspect,
    "create": writers.create,
    "update": writers.update,
    "delete": writers.delete,
    **dict.fromkeys(writers.LEGACY_DELETES, writers.legacy_delete),
    "create_invoice": postings.create_invoice,
    "create_arpayment": postings.create_arpayment,
    "create_aradjustment": postings.create_aradjustment,
    "record_cctransaction": card_charges.record_cctransaction,
    "getDimensions": metadata.get_dimensions,
    "getUserPermissions": metadata.get_user_permissions,
    "get_companyprefs": metadata.get_companyprefs,
    "getFinancialSetup": metadata.get_financial_setup,
    "get_applications": metadata.get_applications,
    "readEntityDetails": metadata.read_entity_details,
}

KNOWN_FUNCTIONS = (
    frozenset(load_toml("functions.toml")["names"]) | HANDLERS.keys() | {"getAPISession"}
)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def session_path(node: str) -> str:
    return f"/{node}{LOGIN_PATH}"


@dataclass
class Session:
    id: str
    entity: str
    path: str
    expires: float  # moves on with every call: Intacct ends a session after a time unused


@dataclass(frozen=True)
class Signed:
    """A successful authentication: who, where, and the session (if any) it used."""

    entity: str
    session_key: str
    expires: float


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).astimezone().isoformat(timespec="seconds")


def _text(node: etree._Element | None, tag: str) -> str:
    if node is None:
        return ""
    return (node.findtext(tag) or "").strip()


class Gateway:
    def __init__(
        self,
        company: Company,
        scenarios: Callable[[], frozenset[str]],
        base_url: Callable[[], str],
        session_timeout_s: float | None = None,
        strict: bool = False,
        take: Callable[[str], bool] | None = None,
        limited: Callable[[str], bool] | None = None,
    ) -> None:
        """`limited(name)`: the scenario is on for a number of hits only; `take(name)` counts
        one of them down (True: this hit is one of them). Default: no scenario is limited."""
        self.company = company
        self.strict = strict
        self.take = take or (lambda _name: False)
        self.limited = limited or (lambda _name: False)
        self.scenarios = scenarios
        self.base_url = base_url
        self.session_timeout_s = (
            session_timeout_s if session_timeout_s is not None else company.session_timeout_s
        )
        self.sessions: dict[str, Session] = {}
        self.results = ResultSets()
        self._lock = threading.Lock()
        self.session_path = session_path(company.session_node)

    # -- request ---------------------------------------------------------------------------

    def shown(self, errors: Sequence[GatewayError]) -> tuple[GatewayError, ...]:
        """The errors as sent: in strict mode only what public sources document."""
        if not self.strict:
            return tuple(errors)
        return tuple(e.documented() for e in errors)

    def handle(self, body: bytes, path: str, active: frozenset[str] | None = None) -> bytes:
        """The answer to one request; `active`: the scenarios on for it (default: all on)."""
        if active is None:
            active = self.scenarios()
        try:
            root = etree.fromstring(body, _parser())
        except etree.XMLSyntaxError as error:
            detail = f"{error.msg}. Line: {error.lineno}, column: {error.offset}."
            return control_failure(self.shown([messages.error("parse", detail=detail)]))
        head = root.find("control") if root.tag == "request" else None
        if head is None:
            return control_failure(
                self.shown(
                    [_schema("request", "Missing child element(s). Expected is ( control ).")]
                )
            )
        senderid, controlid = _text(head, "senderid"), _text(head, "controlid")
        uniqueid = _text(head, "uniqueid") or "false"
        dtdversion = _text(head, "dtdversion") or "3.0"
        try:
            if "company-expired" in active:
                raise ControlFailure(SCENARIOS["company-expired"].error(), echo_control=False)
            operations = self._check_shape(root, head, dtdversion)
            if "too-many-operations" in active:
                raise ControlFailure(SCENARIOS["too-many-operations"].error())
            if (
                senderid != self.company.sender_id
                or _text(head, "password") != self.company.sender_password
                or "wrong-sender-password" in active
            ):
                raise ControlFailure(messages.error("sender"))
        except ControlFailure as failure:
            errors = self.shown(failure.errors)
            if not failure.echo_control:
                return control_failure(errors, uniqueid=None, dtdversion=None)
            return control_failure(errors, senderid, controlid, uniqueid, dtdversion)
        parts = [XML_DECLARATION, "<response>"]
        parts.append(control("success", senderid, controlid, uniqueid, dtdversion))
        for operation in operations:
            parts.append(self._operation(operation, path, active, uniqueid == "true"))
        parts.append("</response>")
        return "".join(parts).encode()

    def _check_shape(
        self, root: etree._Element, head: etree._Element, dtdversion: str
    ) -> list[etree._Element]:
        for required in ("senderid", "controlid"):
            if head.find(required) is None:
                raise ControlFailure(
                    _schema("control", f"Missing child element(s). Expected is ( {required} ).")
                )
        if dtdversion not in ("3.0", "2.1"):
            raise ControlFailure(_schema("dtdversion", f"'{dtdversion}' is not a valid value."))
        operations = root.findall("operation")
        if not operations:
            raise ControlFailure(
                _schema("request", "Missing child element(s). Expected is ( operation ).")
            )
        for operation in operations:
            if operation.find("authentication") is None:
                raise ControlFailure(
                    _schema(
                        "operation", "Missing child element(s). Expected is ( authentication )."
                    )
                )
            for function in operation.iterfind("content/function"):
                if not function.get("controlid"):
                    raise ControlFailure(
                        _schema("function", "The attribute 'controlid' is required but missing.")
                    )
                bodies = [c for c in function if isinstance(c.tag, str)]
                if len(bodies) != 1:
                    raise ControlFailure(
                        _schema("function", "Expected is exactly one function element.")
                    )
                if bodies[0].tag not in KNOWN_FUNCTIONS:
                    raise ControlFailure(
                        _schema(str(bodies[0].tag), "This element is not expected.")
                    )
        return operations

    # -- authentication --------------------------------------------------------------------

    def _authenticate(
        self, auth: etree._Element, path: str, active: frozenset[str]
    ) -> tuple[Signed, str, str]:
        company = self.company
        login = auth.find("login")
        if login is not None:
            shown_user, shown_company = _text(login, "userid"), login.findtext("companyid") or ""
        else:
            shown_user, shown_company = "", ""
        echo = (shown_user, shown_company)
        try:
            if "web-services-off" in active:
                raise AuthFailure(SCENARIOS["web-services-off"].error())
            if "sender-not-authorized" in active:
                raise AuthFailure(
                    SCENARIOS["sender-not-authorized"].error(
                        sender_id=company.sender_id, company_id=shown_company or company.id
                    )
                )
            if login is not None:
                return self._login(login, active), *echo
            session_id = _text(auth, "sessionid")
            return self._session(session_id, path, active), company.user_id, company.id
        except AuthFailure as failure:
            failure.echo = echo
            raise

    def _login(self, login: etree._Element, active: frozenset[str]) -> Signed:
        company = self.company
        user, password = _text(login, "userid"), login.findtext("password") or ""
        company_id = login.findtext("companyid") or ""
        if (
            company_id.upper() != company.id.upper()
            or user.lower() != company.user_id.lower()
            or password != company.user_password
            or "wrong-user-password" in active
        ):
            raise AuthFailure(messages.error("sign_in"))
        for name in ("user-locked", "user-not-web-services-only"):
            if name in active:
                raise AuthFailure(SCENARIOS[name].error(user_id=company.user_id))
        entity = _text(login, "locationid")
        self._check_entity(entity, active, AuthFailure)
        return Signed(entity, f"login:{entity}", time.time() + self.idle_timeout_s(active))

    def _check_entity(
        self, entity: str, active: frozenset[str], kind: type[AuthFailure] | type[ResultFailure]
    ) -> None:
        if not entity:
            return
        if entity not in self.company.entity_by_id:
            raise kind(messages.error("unknown_entity", entity=entity))
        if "entity-access-denied" in active:
            if kind is AuthFailure:
                raise kind(
                    SCENARIOS["entity-access-denied"].error(
                        user_id=self.company.user_id, entity=entity
                    )
                )
            raise kind(
                messages.error("entity_session", user_id=self.company.user_id, entity=entity)
            )

    def idle_timeout_s(self, active: frozenset[str]) -> float:
        """How long a session lives without calls (Intacct ends it after a time unused, spec
        §3.1); the session-expiry scenario shortens it, unless it is on for a number of hits."""
        if "session-expiry" in active and not self.limited("session-expiry"):
            short = float(SCENARIOS["session-expiry"].params.get("idle_timeout_s", 2.0))
            return min(self.session_timeout_s, short)
        return self.session_timeout_s

    def _session(self, session_id: str, path: str, active: frozenset[str]) -> Signed:
        now = time.time()
        with self._lock:
            session = self.sessions.get(session_id)
            if session is None or session.expires <= now or session.path != path:
                raise AuthFailure(messages.error("invalid_session"))
            if "session-expiry" in active and self.take("session-expiry"):
                # On for a number of hits: this session ends now, as if left unused too long.
                del self.sessions[session_id]
                raise AuthFailure(SCENARIOS["session-expiry"].error())
            session.expires = now + self.idle_timeout_s(active)
            return Signed(session.entity, f"session:{session.id}", session.expires)

    def new_session(self, entity: str, active: frozenset[str] = frozenset()) -> tuple[str, str]:
        session_id = secrets.token_urlsafe(24) + ".."
        with self._lock:
            now = time.time()
            for key in [k for k, s in self.sessions.items() if s.expires <= now]:
                del self.sessions[key]
            self.sessions[session_id] = Session(
                session_id, entity, self.session_path, now + self.idle_timeout_s(active)
            )
        return session_id, self.base_url() + self.session_path

    def expire_sessions(self) -> None:
        """End every open session now (the next call on one gets "Invalid session")."""
        with self._lock:
            self.sessions.clear()

    # -- operation and functions -------------------------------------------------------------

    def _operation(
        self, operation: etree._Element, path: str, active: frozenset[str], unique: bool
    ) -> str:
        auth = operation.find("authentication")
        assert auth is not None
        try:
            signed, user, company_id = self._authenticate(auth, path, active)
        except AuthFailure as failure:
            shown_user, shown_company = failure.echo
            return (
                "<operation><authentication>"
                + element("status", "failure")
                + element("userid", shown_user)
                + element("companyid", shown_company)
                + "</authentication>"
                + errormessage(self.shown(failure.errors))
                + "</operation>"
            )
        ctx = Context(
            company=self.company,
            scenarios=active,
            entity=signed.entity,
            user_id=self.company.user_id,
            session_key=signed.session_key,
            results=self.results,
            base_url=self.base_url(),
            strict=self.strict,
        )
        head = (
            "<operation><authentication>"
            + element("status", "success")
            + element("userid", user or self.company.user_id)
            + element("companyid", company_id.strip() or self.company.id)
            + element("locationid", signed.entity)
            + element("sessiontimestamp", _iso(time.time()))
            + element("sessiontimeout", _iso(signed.expires))
            + "</authentication>"
        )
        functions = operation.findall("content/function")
        transaction = operation.get("transaction") == "true"
        outcomes = self._run_all(ctx, functions, transaction, unique)
        return "".join([head, *outcomes, "</operation>"])

    def _run_all(
        self, ctx: Context, functions: list[etree._Element], transaction: bool, unique: bool
    ) -> list[str]:
        rollback = messages.error("rollback")
        done: list[tuple[str, str, str, str, tuple[GatewayError, ...]]] = []
        failed = False
        company = self.company
        with company.lock:
            company.begin()
            try:
                for function in functions:
                    body = next(c for c in function if isinstance(c.tag, str))
                    name, controlid = str(body.tag), function.get("controlid", "")
                    if transaction and failed:
                        done.append(("aborted", name, controlid, "", (rollback,)))
                        continue
                    mark = company.mark()
                    try:
                        if unique and controlid in company.unique_controlids:
                            raise messages.fail("already_processed", controlid=controlid)
                        payload = self._call(ctx, name, body)
                        if unique:
                            company.mark_unique(controlid)
                        done.append(("success", name, controlid, payload, ()))
                    except ResultFailure as failure:
                        company.rollback_to(mark)
                        failed = True
                        errors = failure.errors + ((rollback,) if transaction else ())
                        done.append(("failure", name, controlid, "", errors))
                if transaction and failed:
                    company.rollback()
                    done = [
                        ("aborted", n, c, "", (rollback,)) if s == "success" else (s, n, c, p, e)
                        for s, n, c, p, e in done
                    ]
            finally:
                company.commit()
        return [result(s, n, c, p, self.shown(e)) for s, n, c, p, e in done]

    def _call(self, ctx: Context, name: str, body: etree._Element) -> str:
        if name == "getAPISession":
            return self._get_api_session(ctx, body)
        handler = HANDLERS.get(name)
        if handler is None:
            raise messages.fail("not_simulated", function=name)
        return handler(ctx, body)

    def _get_api_session(self, ctx: Context, body: etree._Element) -> str:
        location = body.find("locationid")
        entity = ctx.entity if location is None else (location.text or "").strip()
        self._check_entity(entity, ctx.scenarios, ResultFailure)
        session_id, endpoint = self.new_session(entity, ctx.scenarios)
        return (
            "<data><api>"
            + element("sessionid", session_id)
            + element("endpoint", endpoint)
            + element("locationid", entity)
            + "</api></data>"
        )


def _schema(element_name: str, detail: str) -> GatewayError:
    return messages.error("schema", element=element_name, detail=detail)
