"""Our request builder produces the same XML as the official PHP SDK for every function we
support, compared the way PHPUnit's assertXmlStringEqualsXmlString does: canonical XML (C14N)
after dropping whitespace-only text, so element order and text must match exactly.

Fixture families out of scope (the wizard never sends them; no builder exists on purpose):
- AccountsPayable, CashManagement, EmployeeExpense, GeneralLedger journal entries,
  GlobalConsolidations, InventoryControl, OrderEntry, Projects timesheets, Purchasing,
  DataDeliveryService, attachments, allocations, users, contacts: the wizard reads and
  writes AR and company setup only.
- Legacy delete_*/update_*/approve/reverse/apply functions and line-item-only fragments
  (`<GLENTRY>`, `<sotransitem>`, …) of those families.
- readReport, readView, readRelated, get_list, getDimensionRelationships: not used.
- Query filter/select fragments are covered indirectly through whole `query` functions below.
Generic create/update/delete of any object IS in scope: every `create/OBJECT` and
`update/OBJECT` fixture is rebuilt from its own fields by `test_every_generic_write_fixture`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from wizard.gateway import ar_functions as ar
from wizard.gateway import functions as fn
from wizard.gateway.request import (
    ControlBlock,
    LoginAuthentication,
    SessionAuthentication,
    build_request,
    operation_element,
)
from wizard.gateway.xmlparse import new_pull_parser

REQUESTS = "intacct-sdk-php/requests"
CID = "unittest"


def canonical(xml: bytes) -> bytes:
    parser = etree.XMLParser(
        remove_blank_text=True, resolve_entities=False, no_network=True, load_dtd=False
    )
    tree = etree.fromstring(xml, parser)
    for element in tree.iter():
        if element.text is not None and not element.text.strip() and len(element):
            element.text = None
        if element.tail is not None and not element.tail.strip():
            element.tail = None
    return etree.tostring(tree, method="c14n")


def fixture(conformance_dir: Path, name: str) -> bytes:
    return (conformance_dir / REQUESTS / f"{name}.xml").read_bytes()


def built(element: etree._Element) -> bytes:
    return canonical(etree.tostring(element))


d = dt.date
CASES: dict[str, Callable[[], etree._Element]] = {
    # -- sessions and blocks
    "Functions_Company__ApiSessionCreateTest__testWriteXml": lambda: fn.get_api_session(
        control_id=CID
    ).element(),
    "Functions_Company__ApiSessionCreateTest__testWriteXmlWithLocationId": lambda: (
        fn.get_api_session("100", CID).element()
    ),
    "Functions_Company__ApiSessionCreateTest__testWriteXmlWithEmptyLocationId": lambda: (
        fn.get_api_session("", CID).element()
    ),
    "Xml_Request__ControlBlockTest__testWriteXmlDefaults": lambda: ControlBlock(
        "testsenderid", "pass123!", CID
    ).element(),
    "Xml_Request__ControlBlockTest__testWriteXmlDefaultsOverride": lambda: ControlBlock(
        "testsenderid", "pass123!", "testcontrol", unique_id=True, policy_id="testpolicy"
    ).element(),
    "Xml_Request__LoginAuthenticationTest__testWriteXml": lambda: LoginAuthentication(
        "testuser", "testcompany", "testpass"
    ).element(),
    "Xml_Request__LoginAuthenticationTest__testWriteXmlWithEntity": lambda: LoginAuthentication(
        "testuser", "testcompany", "testpass", "testentity"
    ).element(),
    "Xml_Request__LoginAuthenticationTest__testWriteXmlWithEmptyEntity": lambda: (
        LoginAuthentication("testuser", "testcompany", "testpass", "").element()
    ),
    "Xml_Request__SessionAuthenticationTest__testWriteXml": lambda: SessionAuthentication(
        "testsessionid.."
    ).element(),
    "Xml_Request__OperationBlockTest__testWriteXmlLogin": lambda: operation_element(
        LoginAuthentication("testuser", "testcompany", "testpass"),
        [fn.get_api_session(control_id=CID)],
    ),
    "Xml_Request__OperationBlockTest__testWriteXmlSession": lambda: operation_element(
        SessionAuthentication("fakesession.."), [fn.get_api_session(control_id=CID)]
    ),
    "Xml_Request__OperationBlockTest__testWriteXmlTransaction": lambda: operation_element(
        SessionAuthentication("fakesession.."), [fn.get_api_session(control_id=CID)], True
    ),
    "Xml__RequestBlockTest__testWriteXml": lambda: etree.fromstring(
        build_request(
            ControlBlock("testsenderid", "pass123!", CID),
            SessionAuthentication("testsession.."),
            [],
            encoding="iso-8859-1",
        )
    ),
    # -- reads
    "Functions_Common__ReadByQueryTest__testDefaultParams": lambda: fn.read_by_query(
        "CLASS", "RECORDNO < 2", control_id=CID
    ).element(),
    "Functions_Common__ReadByQueryTest__testParamOverrides": lambda: fn.read_by_query(
        "CLASS", "", ["RECORDNO"], 100, docparid="255252235", control_id=CID
    ).element(),
    "Functions_Common__ReadMoreTest__testParamOverrides": lambda: fn.read_more(
        "6465763031VyprCMCoHYQAAGr@aRsAAAAU4", CID
    ).element(),
    "Functions_Common__ReadTest__testDefaultParams": lambda: fn.read(
        "CLASS", control_id=CID
    ).element(),
    "Functions_Common__ReadTest__testParamOverrides": lambda: fn.read(
        "CLASS", ["Key1", "Key2"], ["Field1", "Field2"], "Sales Invoice", CID
    ).element(),
    "Functions_Common__ReadTest__testWriteXmlKeys": lambda: fn.read(
        "CLASS", [5, 6], control_id=CID
    ).element(),
    "Functions_Common__ReadByNameTest__testDefaultParams": lambda: fn.read_by_name(
        "GLENTRY", control_id=CID
    ).element(),
    "Functions_Common__ReadByNameTest__testParamOverrides": lambda: fn.read_by_name(
        "GLENTRY", ["987"], ["TRX_AMOUNT", "RECORDNO", "BATCHNO"], "Sales Invoice", CID
    ).element(),
    "Functions_Common__LookupTest__testGenerateXml": lambda: fn.lookup("TEST", CID).element(),
    "Functions_Common__InspectTest__testDefaultParams": lambda: fn.inspect(
        "APBILL", control_id=CID
    ).element(),
    "Functions_Common__InspectTest__testParamsOverrides": lambda: fn.inspect(
        "APBILL", True, CID
    ).element(),
    # -- query
    "Functions_Common_NewQuery__QueryTest__testDefaultParams": lambda: fn.query(
        "CUSTOMER", ["CUSTOMERID"], control_id=CID
    ).element(),
    "Functions_Common_NewQuery__QueryTest__testFields": lambda: fn.query(
        "ARINVOICE",
        ["CUSTOMERID", "TOTALDUE", "WHENDUE", "TOTALENTERED", "TOTALDUE", "RECORDNO"],
        control_id=CID,
    ).element(),
    "Functions_Common_NewQuery__QueryTest__testAllParams": lambda: fn.query(
        "CUSTOMER",
        ["CUSTOMERID", "RECORDNO"],
        case_insensitive=True,
        show_private=True,
        pagesize=10,
        offset=5,
        docparid="REPORT",
        control_id=CID,
    ).element(),
    "Functions_Common_NewQuery__QueryTest__testOrderBy": lambda: fn.query(
        "ARINVOICE",
        ["CUSTOMERID", "RECORDNO"],
        orderby=[("TOTALDUE", True), ("RECORDNO", False)],
        control_id=CID,
    ).element(),
    "Functions_Common_NewQuery__QueryTest__testAggregateFunctions": lambda: fn.query(
        "ARINVOICE",
        [
            "CUSTOMERID",
            ("avg", "TOTALDUE"),
            ("min", "WHENDUE"),
            ("max", "TOTALENTERED"),
            ("sum", "TOTALDUE"),
            ("count", "RECORDNO"),
        ],
        control_id=CID,
    ).element(),
    "Functions_Common_NewQuery__QueryTest__testFilterAndCondition": lambda: fn.query(
        "ARINVOICE",
        ["CUSTOMERID", "RECORDNO"],
        fn.all_of(
            fn.where("RECORDNO", "greaterthanorequalto", "1"),
            fn.where("RECORDNO", "lessthanorequalto", "100"),
        ),
        control_id=CID,
    ).element(),
    "Functions_Common_NewQuery__QueryTest__testThreeLevelFilter": lambda: fn.query(
        "GLBATCH",
        ["BATCHNO", "RECORDNO", "STATE"],
        fn.any_of(
            fn.all_of(
                fn.where("JOURNAL", "equalto", "APJ"), fn.where("STATE", "equalto", "Posted")
            ),
            fn.all_of(
                fn.where("JOURNAL", "equalto", "RCPT"),
                fn.where("STATE", "equalto", "Posted"),
                fn.any_of(
                    fn.where("RECORDNO", "equalto", "168"),
                    fn.where("RECORDNO", "equalto", "132"),
                ),
            ),
        ),
        control_id=CID,
    ).element(),
    "Functions_Common_NewQuery__QueryTest__testFilter": lambda: fn.query(
        "ARINVOICE",
        ["CUSTOMERID", "RECORDNO"],
        fn.where("RECORDNO", "lessthanorequalto", 10),
        control_id=CID,
    ).element(),
    "Functions_Common_NewQuery__QueryTest__testFilterOrCondition": lambda: fn.query(
        "ARINVOICE",
        ["CUSTOMERID", "RECORDNO"],
        fn.any_of(
            fn.where("RECORDNO", "lessthanorequalto", 10),
            fn.where("RECORDNO", "equalto", 100),
            fn.where("RECORDNO", "equalto", 1000),
            fn.where("RECORDNO", "equalto", 10000),
        ),
        control_id=CID,
    ).element(),
    "Functions_Common_NewQuery__QueryTest__testFilterOrWithAndCondition": lambda: _or_with_and(),
    "Functions_Common_NewQuery__QueryTest__testAlternateFilterOrWithAndCondition": lambda: (
        _or_with_and()
    ),
    "Functions_Common_NewQuery_QueryFilter__FilterTest__testBetween": lambda: fn.where(
        "WHENDUE", "between", "10/01/2019", "12/31/2019"
    ).element(),
    "Functions_Common_NewQuery_QueryFilter__FilterTest__testIn": lambda: fn.where(
        "DEPARTMENTID", "in", "04", "05", "06", "07"
    ).element(),
    "Functions_Common_NewQuery_QueryFilter__FilterTest__testIsNull": lambda: fn.where(
        "DESCRIPTION", "isnull"
    ).element(),
    # -- company and configuration
    "Functions_PlatformServices__DimensionsGetTest__testGenerateXml": lambda: fn.get_dimensions(
        CID
    ).element(),
    "Functions_Company__UserPermissionsReadTest__testDefaultParams": lambda: (
        fn.get_user_permissions("helloworld", CID).element()
    ),
    "Functions_Company__CompanyPrefsGetTest__testGenerateXml": lambda: fn.get_companyprefs(
        "PA", CID
    ).element(),
    # -- legacy AR
    "Functions_AccountsReceivable__InvoiceCreateTest__testDefaultParams": lambda: ar.create_invoice(
        "CUSTOMER1",
        d(2015, 6, 30),
        [ar.LineItem(Decimal("76343.43"))],
        term_name="N30",
        control_id=CID,
    ).element(),
    "Functions_AccountsReceivable__InvoiceCreateTest__testParamOverrides": lambda: (
        ar.create_invoice(
            "CUSTOMER1",
            d(2015, 6, 30),
            [ar.LineItem(Decimal("76343.43"), tax_entries=[("TaxName", 10)])],
            date_posted=d(2015, 6, 30),
            date_due=d(2020, 9, 24),
            term_name="N30",
            action="Submit",
            batch_key="20323",
            invoice_no="234",
            po_number="234235",
            on_hold=True,
            description="Some description",
            external_id="20394",
            bill_to_contact="28952",
            ship_to_contact="289533",
            currency=ar.Currency("USD", "USD", d(2015, 6, 30), exch_rate_type="Intacct Daily Rate"),
            no_gl=False,
            supdoc_id="6942",
            tax_solution_id="taxsolution",
            custom_fields={"customfield1": "customvalue1"},
            control_id=CID,
        ).element()
    ),
    "Functions_AccountsReceivable__InvoiceLineCreateTest__testParamOverrides": lambda: (
        _invoice_line_overrides()
    ),
    "Functions_AccountsReceivable__InvoiceLineCreateTest__testDefaultParams": lambda: ar.LineItem(
        Decimal("76343.43")
    ).element(),
    "Functions_AccountsReceivable__ArAdjustmentLineCreateTest__testDefaultParams": lambda: (
        ar.LineItem(Decimal("76343.43")).element()
    ),
    "Functions_AccountsReceivable__ArAdjustmentLineCreateTest__testParamOverrides": lambda: (
        ar.LineItem(
            Decimal("76343.43"),
            account_label="TestBill Account1",
            offset_gl_account_no="93590253",
            memo="Just another memo",
            location_id="Location1",
            department_id="Department1",
            custom_fields={"customfield1": "customvalue1"},
            project_id="Project1",
            customer_id="Customer1",
            vendor_id="Vendor1",
            employee_id="Employee1",
            item_id="Item1",
            class_id="Class1",
            warehouse_id="Warehouse1",
        ).element()
    ),
    "Functions_AccountsReceivable__ArAdjustmentCreateTest__testDefaultParams": lambda: (
        ar.create_aradjustment(
            "CUSTOMER1", d(2015, 6, 30), [ar.LineItem(Decimal("76343.43"))], control_id=CID
        ).element()
    ),
    "Functions_AccountsReceivable__ArAdjustmentCreateTest__testParamOverrides": lambda: (
        ar.create_aradjustment(
            "CUSTOMER1",
            d(2015, 6, 30),
            [ar.LineItem(Decimal("76343.43"))],
            date_posted=d(2015, 6, 30),
            batch_key="20323",
            adjustment_no="234235",
            action="Submit",
            invoice_no="234",
            description="Some description",
            external_id="20394",
            currency=ar.Currency("USD", "USD", d(2015, 6, 30), exch_rate_type="Intacct Daily Rate"),
            no_gl=False,
            control_id=CID,
        ).element()
    ),
    "Functions_AccountsReceivable__ArPaymentCreateTest__testDefaultParams": lambda: (
        ar.create_arpayment(
            "C0020",
            Decimal("1922.12"),
            batch_key="123",
            date_received=d(2016, 6, 30),
            payment_method="Printed Check",
            control_id=CID,
        ).element()
    ),
    "Functions_GeneralLedger__JournalEntryDeleteTest__testConstruct": lambda: fn.delete(
        "GLBATCH", [1234], CID
    ).element(),
}


def _or_with_and() -> etree._Element:
    return fn.query(
        "GLBATCH",
        ["BATCHNO", "RECORDNO", "STATE"],
        fn.any_of(
            fn.where("JOURNAL", "equalto", "APJ"),
            fn.all_of(
                fn.where("BATCHNO", "greaterthanorequalto", 1),
                fn.where("STATE", "equalto", "Posted"),
            ),
        ),
        control_id=CID,
    ).element()


def _invoice_line_overrides() -> etree._Element:
    # The SDK line carries fields the wizard never sets (key, totalpaid, revenue recognition);
    # we compare the fields we build, in the SDK's order, by removing those from the fixture.
    return ar.LineItem(
        Decimal("76343.43"),
        account_label="TestBill Account1",
        offset_gl_account_no="93590253",
        memo="Just another memo",
        location_id="Location1",
        department_id="Department1",
        custom_fields={"customfield1": "customvalue1"},
        project_id="Project1",
        customer_id="Customer1",
        vendor_id="Vendor1",
        employee_id="Employee1",
        item_id="Item1",
        class_id="Class1",
        warehouse_id="Warehouse1",
        tax_entries=[("TaxName", 10)],
    ).element()


UNSUPPORTED_LINE_FIELDS = (
    "key",
    "totalpaid",
    "totaldue",
    "revrectemplate",
    "defrevaccount",
    "revrecstartdate",
    "revrecenddate",
)


@pytest.mark.parametrize("name", sorted(CASES))
def test_request_matches_sdk_fixture(name: str, conformance_dir: Path) -> None:
    path = conformance_dir / REQUESTS / f"{name}.xml"
    if not path.is_file():
        pytest.skip(f"{name} is not in this corpus snapshot")
    expected = path.read_bytes()
    if name.endswith("LineCreateTest__testParamOverrides"):
        tree = etree.fromstring(expected, etree.XMLParser(remove_blank_text=True))
        for tag in UNSUPPORTED_LINE_FIELDS:
            for element in tree.findall(tag):
                tree.remove(element)
        expected = etree.tostring(tree)
    assert built(CASES[name]()) == canonical(expected)


def _generic_write_fixtures() -> list[str]:
    index = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "intacct-sdk-php"
    if not (index / "index.tsv").is_file():
        return []
    names = []
    for line in (index / "index.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        columns = line.split("\t")
        if columns[1] == "request" and (
            "function=create/" in columns[3] or "function=update/" in columns[3]
        ):
            names.append(Path(columns[0]).stem)
    return names


def _fields_of(element: etree._Element) -> dict[str, object]:
    fields: dict[str, object] = {}
    for child in element:
        if len(child):
            nested = _fields_of(child)
            if child.tag in fields:  # repeated element: a list of records
                previous = fields[child.tag]
                fields[child.tag] = [
                    *(previous if isinstance(previous, list) else [previous]),
                    nested,
                ]
            else:
                fields[child.tag] = nested
        else:
            fields[child.tag] = (
                {} if child.text is None and child.tag.isupper() else (child.text or "")
            )
    return fields


@pytest.mark.parametrize("name", _generic_write_fixtures())
def test_every_generic_write_fixture(name: str, conformance_dir: Path) -> None:
    """Rebuild each SDK generic create/update from the fields it carries: same XML back."""
    expected = fixture(conformance_dir, name)
    tree = etree.fromstring(expected, etree.XMLParser(remove_blank_text=True))
    body = tree[0]
    builder = fn.create_many if body.tag == "create" else fn.update_many
    records = [(str(record.tag), _fields_of(record)) for record in body]
    function = builder(records, control_id=tree.get("controlid"))  # type: ignore[arg-type]
    assert built(function.element()) == canonical(expected)


def test_values_are_escaped_and_dates_formatted() -> None:
    function = fn.create(
        "CUSTOMER",
        {
            "CUSTOMERID": "C&<1>",
            "NAME": 'O\'Brien "Ltd"',
            "ONETIME": False,
            "WHENDUE": dt.date(2026, 3, 4),
            "WHENMODIFIED": dt.datetime(2026, 3, 4, 5, 6, 7),
            "CREDITLIMIT": Decimal("1000.50"),
            "EMPTY": None,
        },
    )
    xml = etree.tostring(function.element()).decode()
    assert "<CUSTOMERID>C&amp;&lt;1&gt;</CUSTOMERID>" in xml
    assert "<ONETIME>false</ONETIME>" in xml
    assert "<WHENDUE>03/04/2026</WHENDUE>" in xml
    assert "<WHENMODIFIED>03/04/2026 05:06:07</WHENMODIFIED>" in xml
    assert "<CREDITLIMIT>1000.50</CREDITLIMIT>" in xml and "EMPTY" not in xml
    parsed = etree.fromstring(etree.tostring(function.element()))
    assert parsed.findtext("create/CUSTOMER/NAME") == 'O\'Brien "Ltd"'


def test_full_request_is_well_formed_and_in_schema_order() -> None:
    body = build_request(
        ControlBlock("S", "p<w>&d", "req-1"),
        SessionAuthentication("sess"),
        [fn.read_by_query("ARINVOICE", "STATE = 'Posted'", control_id="a"), fn.get_dimensions("b")],
        transaction=True,
    )
    assert body.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    parser = new_pull_parser()
    parser.feed(body)
    root = parser.close()
    assert [c.tag for c in root] == ["control", "operation"]
    assert [c.tag for c in root[0]] == [
        "senderid",
        "password",
        "controlid",
        "uniqueid",
        "dtdversion",
        "includewhitespace",
    ]
    assert root[0].findtext("password") == "p<w>&d"
    assert root[1].get("transaction") == "true"
    assert [c.tag for c in root[1]] == ["authentication", "content"]
    assert [f.get("controlid") for f in root[1][1]] == ["a", "b"]


def test_builders_refuse_what_intacct_would_reject() -> None:
    with pytest.raises(ValueError, match="1 to 1000"):
        fn.read_by_query("CUSTOMER", pagesize=1001)
    with pytest.raises(ValueError, match="1 to 2000"):
        fn.query("CUSTOMER", ["CUSTOMERID"], pagesize=2001)
    with pytest.raises(ValueError, match="at most 100"):
        fn.read("CUSTOMER", list(range(101)))
    with pytest.raises(ValueError, match="due date or a payment term"):
        ar.create_invoice("C1", dt.date(2026, 1, 1), [ar.LineItem(1, "4000")])
    with pytest.raises(ValueError, match="exactly one"):
        ar.create_arpayment("C1", 10, batch_key="1", bank_account_id="BOA")
    with pytest.raises(ValueError, match="own control id"):
        build_request(
            ControlBlock("S", "p", "r"),
            SessionAuthentication("s"),
            [fn.lookup("A", "x"), fn.lookup("B", "x")],
        )


def test_company_setup_functions_have_the_documented_shape() -> None:
    assert etree.tostring(fn.get_financial_setup("a").element()) == (
        b'<function controlid="a"><getFinancialSetup/></function>'
    )
    assert etree.tostring(fn.get_applications("b").element()) == (
        b'<function controlid="b"><get_applications/></function>'
    )
    payment = ar.create_arpayment(
        "C1",
        Decimal("125.00"),
        bank_account_id="BOA",
        date_received=dt.date(2026, 2, 3),
        payment_method="Cash",
        applied_to=[(101, Decimal("125.00"))],
    ).element()[0]
    assert [c.tag for c in payment] == [
        "customerid",
        "paymentamount",
        "bankaccountid",
        "datereceived",
        "paymentmethod",
        "arpaymentitem",
    ]
    assert payment.findtext("datereceived/month") == "02"
    assert payment.findtext("arpaymentitem/invoicekey") == "101"


def _filter_fixtures() -> list[str]:
    folder = Path(__file__).resolve().parents[3] / "shared" / "conformance" / REQUESTS
    patterns = ("*QueryFilter__FilterTest__*.xml", "*QueryFilter__*OperatorTest__*.xml")
    return sorted(p.stem for pattern in patterns for p in folder.glob(pattern))


def _as_filter(element: etree._Element) -> fn.Filter:
    if element.tag in ("and", "or"):
        return fn.Logical(str(element.tag), tuple(_as_filter(child) for child in element))
    values = tuple(v.text or "" for v in element.findall("value"))
    return fn.where(element.findtext("field") or "", str(element.tag), *values)


@pytest.mark.parametrize("name", _filter_fixtures())
def test_every_query_filter_fixture(name: str, conformance_dir: Path) -> None:
    """Each SDK filter fragment, rebuilt as our Condition/Logical values, serialises the same."""
    expected = fixture(conformance_dir, name)
    tree = etree.fromstring(expected, etree.XMLParser(remove_blank_text=True))
    assert built(_as_filter(tree).element()) == canonical(expected)


def test_query_string_literals_are_quoted_and_escaped() -> None:
    assert fn.quote("O'Brien") == "'O\\'Brien'"
    assert fn.quote("a\\b") == "'a\\\\b'"
    assert fn.quote(dt.date(2026, 3, 4)) == "'03/04/2026'"
    assert fn.quote(Decimal("12.50")) == "12.50" and fn.quote(7) == "7"
    assert fn.quote(True) == "'T'"
    query = f"CUSTOMERID = {fn.quote('C&1')}"
    body = fn.read_by_query("CUSTOMER", query).element()
    assert body.findtext("readByQuery/query") == "CUSTOMERID = 'C&1'"
