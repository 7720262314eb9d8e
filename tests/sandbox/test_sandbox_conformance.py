"""The official PHP SDK's request bodies are accepted by the sandbox.

Each function-level fixture (root `<function>`, e.g. readByQuery, create, create_invoice) is
wrapped in a full request with the demo credentials and sent over HTTP. The sandbox must answer
with a well-formed response whose control and authentication succeed and that holds no
XL03000003 parse/schema error; business errors (unknown customer, object not simulated...) are
fine, since the fixtures use made-up IDs.

Out of scope: fixtures that are not whole functions (`<lineitem>`, `<GLENTRY>`, query filter
and select pieces such as `<equalto>`, and the `<control>`, `<authentication>`, `<operation>`
block fragments); they are not requests on their own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from sandbox_client import Client

from wizard.sandbox import Sandbox


def _function_fixtures(corpus: Path) -> list[Path]:
    folder = corpus / "intacct-sdk-php" / "requests"
    if not folder.is_dir():
        pytest.skip(f"no SDK request fixtures at {folder}")
    out = []
    for path in sorted(folder.glob("*.xml")):
        try:
            root = etree.parse(str(path)).getroot()
        except etree.XMLSyntaxError:
            continue
        if root.tag == "function":
            out.append(path)
    return out


@pytest.fixture(scope="module")
def running() -> object:
    with Sandbox() as sandbox:
        yield sandbox


def test_sdk_function_requests_are_accepted(conformance_dir: Path, running: Sandbox) -> None:
    fixtures = _function_fixtures(conformance_dir)
    assert len(fixtures) > 150, "the corpus should hold about 200 function fixtures"
    client = Client(running)
    problems: list[str] = []
    for path in fixtures:
        function = etree.tostring(etree.parse(str(path)).getroot(), encoding="unicode")
        answer = client.call(function, uniqueid=False)
        try:
            root = etree.fromstring(answer.body)
        except etree.XMLSyntaxError as error:
            problems.append(f"{path.name}: answer is not well-formed ({error})")
            continue
        if answer.status != 200 or root.tag != "response":
            problems.append(f"{path.name}: HTTP {answer.status}, root <{root.tag}>")
            continue
        if "XL03000003" in root.xpath("//errorno/text()"):
            problems.append(f"{path.name}: {root.xpath('string(//description2)')}")
            continue
        if root.xpath("string(/response/control/status)") != "success":
            problems.append(f"{path.name}: control failed: {root.xpath('string(//description2)')}")
            continue
        if root.xpath("string(//authentication/status)") != "success":
            problems.append(f"{path.name}: sign-in failed")
            continue
        results = root.xpath("//result")
        if len(results) != 1 or not results[0].findtext("status"):
            problems.append(f"{path.name}: expected one result with a status")
    client.close()
    assert problems == []


def test_sdk_full_request_document_parses(conformance_dir: Path, running: Sandbox) -> None:
    path = (
        conformance_dir / "intacct-sdk-php" / "requests" / "Xml__RequestBlockTest__testWriteXml.xml"
    )
    if not path.is_file():
        pytest.skip("the SDK's full request fixture is not in the corpus")
    client = Client(running)
    answer = client.post(path.read_bytes())
    client.close()
    root = etree.fromstring(answer.body)
    # Its made-up sender is refused at the control level, but it is not a schema error.
    assert root.xpath("string(/response/control/status)") == "failure"
    assert root.xpath("//errorno/text()") == ["XL03000006"]
