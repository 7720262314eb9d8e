"""Building the request envelope: `<request>`, `<control>`, `<operation>`, `<authentication>`.

Element order follows the gateway schema (reference spec §1.2–1.3) and what the official SDKs
send. Every value is escaped by lxml; nothing is glued together as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from wizard.gateway.function_xml import Function
from wizard.redaction import remember_secret


@dataclass(frozen=True, slots=True)
class ControlBlock:
    """The `<control>` block: the Web Services sender and the request's own ids."""

    sender_id: str
    sender_password: str
    control_id: str
    unique_id: bool = False
    dtd_version: str = "3.0"
    policy_id: str | None = None
    include_whitespace: bool = False

    def __post_init__(self) -> None:
        remember_secret(self.sender_password)

    def __repr__(self) -> str:
        return f"ControlBlock(sender_id={self.sender_id!r}, control_id={self.control_id!r})"

    def element(self) -> etree._Element:
        control = etree.Element("control")
        _sub(control, "senderid", self.sender_id)
        _sub(control, "password", self.sender_password)
        _sub(control, "controlid", self.control_id)
        _sub(control, "uniqueid", _bool(self.unique_id))
        _sub(control, "dtdversion", self.dtd_version)
        if self.policy_id:
            _sub(control, "policyid", self.policy_id)
        _sub(control, "includewhitespace", _bool(self.include_whitespace))
        return control


@dataclass(frozen=True, slots=True)
class LoginAuthentication:
    """Sign in with a user; `entity_id` ("" for an explicit top level) picks an entity."""

    user_id: str
    company_id: str
    password: str
    entity_id: str | None = None

    def __post_init__(self) -> None:
        remember_secret(self.password)

    def __repr__(self) -> str:
        return (
            f"LoginAuthentication(user_id={self.user_id!r}, company_id={self.company_id!r}, "
            f"entity_id={self.entity_id!r})"
        )

    def element(self) -> etree._Element:
        authentication = etree.Element("authentication")
        login = etree.SubElement(authentication, "login")
        _sub(login, "userid", self.user_id)
        _sub(login, "companyid", self.company_id)
        _sub(login, "password", self.password)
        if self.entity_id is not None:
            _sub(login, "locationid", self.entity_id)
        return authentication


@dataclass(frozen=True, slots=True)
class SessionAuthentication:
    session_id: str

    def __post_init__(self) -> None:
        remember_secret(self.session_id)

    def __repr__(self) -> str:
        return "SessionAuthentication(session_id=[redacted])"

    def element(self) -> etree._Element:
        authentication = etree.Element("authentication")
        _sub(authentication, "sessionid", self.session_id)
        return authentication


Authentication = LoginAuthentication | SessionAuthentication


def operation_element(
    authentication: Authentication, functions: Sequence[Function], transaction: bool = False
) -> etree._Element:
    operation = etree.Element("operation", transaction=_bool(transaction))
    operation.append(authentication.element())
    content = etree.SubElement(operation, "content")
    for function in functions:
        content.append(function.element())
    return operation


def request_element(
    control: ControlBlock,
    authentication: Authentication,
    functions: Sequence[Function],
    transaction: bool = False,
) -> etree._Element:
    request = etree.Element("request")
    request.append(control.element())
    request.append(operation_element(authentication, functions, transaction))
    return request


def build_request(
    control: ControlBlock,
    authentication: Authentication,
    functions: Sequence[Function],
    transaction: bool = False,
    encoding: str = "UTF-8",
) -> bytes:
    """The request body to POST, with its XML declaration."""
    ids = [f.control_id for f in functions]
    if len(set(ids)) != len(ids):
        raise ValueError("every function in one request needs its own control id")
    return etree.tostring(  # type: ignore[return-value]
        request_element(control, authentication, functions, transaction),
        xml_declaration=True,
        encoding=encoding,
    )


def _sub(parent: etree._Element, tag: str, text: str) -> etree._Element:
    child = etree.SubElement(parent, tag)
    child.text = text
    return child


def _bool(value: bool) -> str:
    return "true" if value else "false"
