"""Helpers for talking to the sandbox the way any client would: XML over real HTTP.

Answers are read with plain lxml XPath here, never with wizard.gateway, so a bug in the
client cannot hide the same bug in the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

import httpx
from lxml import etree

from wizard.sandbox import Credentials, Sandbox


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes

    @property
    def xml(self) -> etree._Element:
        return etree.fromstring(self.body, etree.XMLParser(resolve_entities=False))

    def first(self, path: str) -> str:
        found = self.xml.xpath(path)
        assert found, f"{path} not in answer: {self.body[:600]!r}"
        value = found[0]
        return value if isinstance(value, str) else (value.text or "")

    def all(self, path: str) -> list[str]:
        return [v if isinstance(v, str) else (v.text or "") for v in self.xml.xpath(path)]


def _tags(element: etree._Element) -> list[str]:
    return [str(child.tag) for child in element if isinstance(child.tag, str)]


def check_shape(root: etree._Element) -> None:
    """Fail unless `root` has the documented response shape (response DTD, spec §2.1)."""
    assert root.tag == "response", root.tag
    children = _tags(root)
    assert children[0] == "control", children
    control = root[0]
    control_tags = _tags(control)
    assert control_tags[0] == "status", control_tags
    status = control.findtext("status")
    if control_tags != ["status"]:  # a gateway error may carry the status alone
        assert control_tags[:3] == ["status", "senderid", "controlid"], control_tags
        assert set(control_tags[3:]) <= {"uniqueid", "dtdversion"}, control_tags
    if status == "failure":
        assert children == ["control", "errormessage"], children
        _check_errors(root.find("errormessage"))
        return
    assert status == "success"
    assert children[1:] and set(children[1:]) == {"operation"}, children
    for operation in root.iterfind("operation"):
        ops = _tags(operation)
        assert ops[0] == "authentication", ops
        auth = _tags(operation[0])
        assert auth[:3] == ["status", "userid", "companyid"], auth
        if operation[0].findtext("status") == "failure":
            assert ops == ["authentication", "errormessage"], ops
            _check_errors(operation.find("errormessage"))
            continue
        assert operation[0].findtext("status") == "success"
        assert set(ops[1:]) <= {"result"}, ops
        for result in operation.iterfind("result"):
            tags = _tags(result)
            assert tags[:3] == ["status", "function", "controlid"], tags
            assert result.findtext("status") in ("success", "failure", "aborted")
            rest = tags[3:]
            assert rest in ([], ["data"], ["key"], ["errormessage"], ["data", "errormessage"]), tags
            if result.findtext("status") != "success":
                assert rest and rest[-1] == "errormessage", tags
                _check_errors(result.find("errormessage"))


def _check_errors(errormessage: etree._Element | None) -> None:
    assert errormessage is not None
    errors = list(errormessage)
    assert errors, "an errormessage must hold at least one error"
    for error in errors:
        assert _tags(error) == ["errorno", "description", "description2", "correction"]
        assert error.findtext("errorno")


def request_xml(
    creds: Credentials,
    functions: str,
    *,
    session: str | None = None,
    entity: str | None = None,
    transaction: bool = False,
    uniqueid: bool = False,
    company_id: str | None = None,
    user_password: str | None = None,
) -> bytes:
    if session is not None:
        auth = f"<sessionid>{escape(session)}</sessionid>"
    else:
        location = f"<locationid>{entity}</locationid>" if entity else ""
        company = company_id if company_id is not None else creds.company_id
        auth = (
            f"<login><userid>{creds.user_id}</userid>"
            f"<companyid>{escape(company)}</companyid>"
            f"<password>{escape(user_password or creds.user_password)}</password>{location}</login>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><request><control>'
        f"<senderid>{creds.sender_id}</senderid><password>{escape(creds.sender_password)}</password>"
        f"<controlid>test-control</controlid><uniqueid>{'true' if uniqueid else 'false'}</uniqueid>"
        "<dtdversion>3.0</dtdversion><includewhitespace>false</includewhitespace></control>"
        f'<operation transaction="{"true" if transaction else "false"}">'
        f"<authentication>{auth}</authentication><content>{functions}</content></operation>"
        "</request>"
    ).encode()


def fn(body: str, controlid: str = "f1") -> str:
    return f'<function controlid="{controlid}">{body}</function>'


class Client:
    """A plain HTTP client for the sandbox (httpx, no product code)."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.http = httpx.Client(timeout=10)

    def post(self, body: bytes, url: str | None = None) -> Answer:
        """POST `body`; every XML answer is checked against the documented shape."""
        response = self.http.post(
            url or self.sandbox.endpoint,
            content=body,
            headers={"Content-Type": "application/xml"},
        )
        answer = Answer(response.status_code, response.content)
        if response.headers.get("content-type", "").startswith("text/xml"):
            try:
                root = answer.xml
            except etree.XMLSyntaxError:
                # Only truncated-responses may cut answers (its own test checks that).
                assert "truncated-responses" in self.sandbox.scenarios, response.content[:300]
                root = None
            if root is not None:
                check_shape(root)
        return answer

    def call(self, *functions: str, **options: object) -> Answer:
        url = options.pop("url", None)
        creds = options.pop("creds", None) or self.sandbox.credentials
        body = request_xml(creds, "".join(functions), **options)  # type: ignore[arg-type]
        return self.post(body, url)  # type: ignore[arg-type]

    def session(self, entity: str | None = None) -> tuple[str, str]:
        answer = self.call(fn("<getAPISession/>"), entity=entity)
        return answer.first("//api/sessionid"), answer.first("//api/endpoint")

    def close(self) -> None:
        self.http.close()
