"""readByQuery query strings: the subset integrations use."""

from __future__ import annotations

import pytest

from wizard.sandbox import Company, Sandbox
from wizard.sandbox.query import Compiler, QuerySyntaxError, UnknownField, compile_query


@pytest.fixture(scope="module")
def company() -> Company:
    return Company(records=300)


def _ids(company: Company, obj: str, query: str, field: str) -> list[str]:
    table = company.tables[obj]
    predicate = compile_query(query, Compiler(table.spec, table.position))
    return [
        table.value(row, field) for _, row in table.rows() if predicate is None or predicate(row)
    ]


def test_comparisons_and_logic(company: Company) -> None:
    assert _ids(company, "GLACCOUNT", "ACCOUNTNO = '4000'", "ACCOUNTNO") == ["4000"]
    assert _ids(
        company, "GLACCOUNT", "ACCOUNTNO >= '4000' AND ACCOUNTNO < '4200'", "ACCOUNTNO"
    ) == [
        "4000",
        "4100",
    ]
    assert _ids(
        company, "GLACCOUNT", "ACCOUNTNO IN ('1000','6000') OR TITLE LIKE 'Sales D%'", "ACCOUNTNO"
    ) == [
        "1000",
        "4900",
        "6000",
    ]
    assert "4300" not in _ids(company, "GLACCOUNT", "STATUS = 'T'", "ACCOUNTNO")
    assert _ids(
        company, "GLACCOUNT", "NOT (STATUS = 'T') AND ACCOUNTNO <> '4300'", "ACCOUNTNO"
    ) == ["6900"]
    assert _ids(company, "CUSTOMER", "NAME = 'Lakeside Camp <Summer>'", "CUSTOMERID") == ["C-1012"]
    assert _ids(company, "CHECKINGACCOUNT", "LOCATIONID IS NULL", "BANKACCOUNTID") == []
    company.show_checking_locations(removed=True)
    assert _ids(company, "CHECKINGACCOUNT", "LOCATIONID IS NULL", "BANKACCOUNTID") == ["BOA-OPS"]


def test_dates_compare_in_time_order_not_as_text(company: Company) -> None:
    rows = list(company.records("ARINVOICE"))
    later = _ids(company, "ARINVOICE", "WHENCREATED > '12/31/2025'", "WHENCREATED")
    assert later and all(d[6:10] >= "2026" for d in later)
    assert len(later) == sum(1 for r in rows if r["WHENCREATED"][6:10] >= "2026")
    stamp = _ids(company, "ARINVOICE", "WHENMODIFIED >= '01/01/2026 00:00:00'", "WHENMODIFIED")
    assert stamp and all(s[6:10] >= "2026" for s in stamp)


def test_escaped_quotes_and_errors(company: Company) -> None:
    table = company.tables["CUSTOMER"]
    compiler = Compiler(table.spec, table.position)
    assert compile_query("NAME = 'O\\'Neil'", compiler) is not None
    with pytest.raises(UnknownField):
        compile_query("NOSUCH = '1'", compiler)
    with pytest.raises(QuerySyntaxError):
        compile_query("NAME = ", compiler)
    with pytest.raises(QuerySyntaxError):
        compile_query("(NAME = 'x'", compiler)


def test_query_orders_by_recordno_with_created_and_deleted_records() -> None:
    from sandbox_client import Client, fn

    with Sandbox(records=30) as sandbox:
        company = sandbox.company
        company.insert("ARINVOICE", {"RECORDID": "NEW-1", "CUSTOMERID": "C-1001"})
        company.remove("ARINVOICE", 29)  # RECORDNO 30
        client = Client(sandbox)
        pages = {}
        for direction in ("ascending", "descending"):
            answer = client.call(
                fn(
                    "<query><object>ARINVOICE</object><select><field>RECORDNO</field></select>"
                    f"<orderby><order><field>RECORDNO</field><{direction}/></order></orderby>"
                    "<pagesize>4</pagesize><offset>1</offset></query>"
                )
            )
            pages[direction] = answer.all("//ARINVOICE/RECORDNO")
        company.remove("ARINVOICE", 2)  # RECORDNO 3: the same query again sees it gone
        again = client.call(
            fn(
                "<query><object>ARINVOICE</object><select><field>RECORDNO</field></select>"
                "<orderby><order><field>RECORDNO</field><ascending/></order></orderby>"
                "<pagesize>4</pagesize><offset>1</offset></query>"
            )
        )
        client.close()
    assert pages == {"ascending": ["2", "3", "4", "5"], "descending": ["29", "28", "27", "26"]}
    assert again.all("//ARINVOICE/RECORDNO") == ["2", "4", "5", "6"]


@pytest.mark.parametrize(
    ("condition", "option", "found"),
    [
        ("<equalto><field>NAME</field><value>alpine trail outfitters</value></equalto>", "", []),
        (
            "<equalto><field>NAME</field><value>alpine trail outfitters</value></equalto>",
            "<options><caseinsensitive>true</caseinsensitive></options>",
            ["C-1001"],
        ),
        ("<like><field>NAME</field><value>alpine%</value></like>", "", []),
        (
            "<like><field>NAME</field><value>alpine%</value></like>",
            "<options><caseinsensitive>false</caseinsensitive></options>",
            [],
        ),
        (
            "<like><field>NAME</field><value>alpine%</value></like>",
            "<options><caseinsensitive>true</caseinsensitive></options>",
            ["C-1001"],
        ),
        ("<like><field>NAME</field><value>Alpine%</value></like>", "", ["C-1001"]),
        (
            "<in><field>CUSTOMERID</field><value>c-1001</value><value>c-9999</value></in>",
            "<options><caseinsensitive>true</caseinsensitive></options>",
            ["C-1001"],
        ),
        (
            "<equalto><field>CUSTOMERID</field><value>c-1001</value></equalto>",
            "<options><caseinsensitive>true</caseinsensitive></options>",
            ["C-1001"],
        ),
    ],
)
def test_query_respects_case_unless_caseinsensitive_is_true(
    condition: str, option: str, found: list[str]
) -> None:
    """The `query` option caseinsensitive is false by default (XSD; Sage's query docs)."""
    from sandbox_client import Client, fn

    with Sandbox(records=5) as sandbox:
        client = Client(sandbox)
        answer = client.call(
            fn(
                "<query><object>CUSTOMER</object><select><field>CUSTOMERID</field></select>"
                f"<filter>{condition}</filter>{option}</query>"
            )
        )
        client.close()
    assert answer.first("//result/status") == "success"
    assert answer.all("//CUSTOMER/CUSTOMERID") == found
