"""The sandbox speaks the documented XML gateway protocol."""

from __future__ import annotations

import httpx
import pytest
from sandbox_client import Answer, Client, fn

from wizard.sandbox import Sandbox

ALL_INVOICES = (
    "<readByQuery><object>ARINVOICE</object><query></query><fields>RECORDNO,RECORDID</fields>"
    "<pagesize>{size}</pagesize></readByQuery>"
)


def test_get_is_rejected_and_post_answers(sandbox: Sandbox, client: Client) -> None:
    assert httpx.get(sandbox.endpoint).status_code == 405
    answer = client.call(fn("<getFinancialSetup/>"))
    assert answer.status == 200
    assert answer.first("/response/control/status") == "success"
    assert answer.first("//authentication/status") == "success"
    assert answer.first("//result/status") == "success"
    assert answer.first("//financialSetup/multiEntityShared") == "true"


def test_malformed_xml_gets_a_control_level_parse_error(client: Client) -> None:
    answer = client.post(b"<request><control><senderid>x</control></request>")
    assert answer.first("/response/control/status") == "failure"
    assert answer.first("/response/errormessage/error/errorno") == "XL03000003"
    assert answer.first("//description2").startswith("XML Parse schema error:")
    assert not answer.xml.xpath("/response/operation")


def test_unknown_function_is_a_schema_error_but_a_known_unsimulated_one_is_not(
    client: Client,
) -> None:
    unknown = client.call(fn("<readEverything/>"))
    assert unknown.first("/response/errormessage/error/errorno") == "XL03000003"
    assert "readEverything" in unknown.first("//description2")
    known = client.call(fn("<create_bill><vendorid>V1</vendorid></create_bill>"))
    assert known.first("//result/status") == "failure"
    assert known.first("//result/errormessage/error/errorno") != "XL03000003"


def test_session_comes_with_a_different_endpoint_that_later_calls_must_use(
    sandbox: Sandbox, client: Client
) -> None:
    session, endpoint = client.session()
    assert endpoint != sandbox.endpoint
    assert endpoint.startswith("http://127.0.0.1:")
    ok = client.call(fn("<getFinancialSetup/>"), session=session, url=endpoint)
    assert ok.first("//authentication/status") == "success"
    assert ok.first("//authentication/sessiontimeout")
    wrong_place = client.call(fn("<getFinancialSetup/>"), session=session)
    assert wrong_place.first("//authentication/status") == "failure"
    assert wrong_place.first("//operation/errormessage/error/errorno") == "XL03000006"
    assert wrong_place.first("//description2").startswith("Invalid session")


def test_expired_session_is_an_invalid_session() -> None:
    with Sandbox(session_timeout_s=0) as sandbox:
        client = Client(sandbox)
        session, endpoint = client.session()
        answer = client.call(fn("<getFinancialSetup/>"), session=session, url=endpoint)
        assert answer.first("//authentication/status") == "failure"
        assert answer.first("//description2") == "Invalid session"
        client.close()


def test_entity_session_sees_only_that_entity(client: Client, sandbox: Sandbox) -> None:
    session, endpoint = client.session(entity="UK")
    answer = client.call(
        fn(
            "<readByQuery><object>ARINVOICE</object><query/><fields>MEGAENTITYID,CURRENCY</fields>"
            "<pagesize>1000</pagesize></readByQuery>"
        ),
        session=session,
        url=endpoint,
    )
    assert answer.first("//authentication/locationid") == "UK"
    entities = set(answer.all("//arinvoice/MEGAENTITYID"))
    assert entities == {"UK"}
    assert set(answer.all("//arinvoice/CURRENCY")) == {"GBP"}
    uk = sum(1 for r in sandbox.company.records("ARINVOICE") if r["MEGAENTITYID"] == "UK")
    assert int(answer.first("//data/@totalcount")) == uk


def test_read_by_query_and_read_more_page_through_every_record_once(
    sandbox: Sandbox, client: Client
) -> None:
    session, endpoint = client.session()
    first = client.call(fn(ALL_INVOICES.format(size=250)), session=session, url=endpoint)
    total = int(first.first("//data/@totalcount"))
    assert total == sandbox.company.count("ARINVOICE")
    seen = first.all("//arinvoice/RECORDNO")
    remaining = int(first.first("//data/@numremaining"))
    result_id = first.first("//data/@resultId")
    while remaining:
        page = client.call(
            fn(f"<readMore><resultId>{result_id}</resultId></readMore>"),
            session=session,
            url=endpoint,
        )
        assert page.first("//result/status") == "success"
        seen += page.all("//arinvoice/RECORDNO")
        remaining = int(page.first("//data/@numremaining"))
        assert int(page.first("//data/@count")) <= 250
    assert len(seen) == total == len(set(seen))
    again = client.call(fn(ALL_INVOICES.format(size=250)), session=session, url=endpoint)
    assert again.all("//arinvoice/RECORDNO") == seen[:250]


def test_page_sizes_outside_the_documented_ranges_are_refused(client: Client) -> None:
    for size in (0, 1001):
        answer = client.call(fn(ALL_INVOICES.format(size=size)))
        assert answer.first("//result/status") == "failure"
    query = (
        "<query><select><field>RECORDNO</field></select><object>ARINVOICE</object>"
        "<pagesize>{size}</pagesize></query>"
    )
    assert client.call(fn(query.format(size=2000))).first("//result/status") == "success"
    assert client.call(fn(query.format(size=2001))).first("//result/status") == "failure"


def test_read_by_query_filters(sandbox: Sandbox, client: Client) -> None:
    records = list(sandbox.company.records("ARINVOICE"))
    cutoff = records[len(records) // 2]["WHENMODIFIED"]

    def count(query: str) -> int:
        body = (
            f"<readByQuery><object>ARINVOICE</object><query>{query}</query>"
            "<fields>RECORDNO</fields><pagesize>1</pagesize></readByQuery>"
        )
        answer = client.call(fn(body))
        assert answer.first("//result/status") == "success", answer.body[-500:]
        return int(answer.first("//data/@totalcount"))

    def key(stamp: str) -> str:
        return stamp[6:10] + stamp[0:2] + stamp[3:5] + stamp[10:]

    later = sum(1 for r in records if key(r["WHENMODIFIED"]) >= key(cutoff))
    assert count(f"WHENMODIFIED &gt;= '{cutoff}'") == later
    uk_or_c1001 = sum(1 for r in records if r["CUSTOMERID"] in ("C-1006", "C-1001"))
    assert count("CUSTOMERID IN ('C-1006', 'C-1001')") == uk_or_c1001
    assert count("(CUSTOMERID = 'C-1006' OR CUSTOMERID = 'C-1001') AND STATE &lt;&gt; 'zzz'") == (
        uk_or_c1001
    )
    big = sum(1 for r in records if float(r["TOTALENTERED"]) > 10000)
    assert count("TOTALENTERED &gt; 10000") == big
    assert count("CUSTOMERNAME LIKE 'Fjord%'") == sum(
        1 for r in records if r["CUSTOMERNAME"].startswith("Fjord")
    )
    customers = client.call(
        fn(
            "<readByQuery><object>CUSTOMER</object><query>STATUS = 'T'</query><fields>*</fields>"
            "<pagesize>100</pagesize></readByQuery>"
        )
    )
    active = [r for r in sandbox.company.records("CUSTOMER") if r["STATUS"] == "active"]
    assert len(customers.all("//customer")) == len(active)


def test_query_with_filter_orderby_and_offset(sandbox: Sandbox, client: Client) -> None:
    body = (
        "<query><select><field>RECORDNO</field><field>TOTALENTERED</field></select>"
        "<object>ARINVOICE</object><filter><equalto><field>CUSTOMERID</field>"
        "<value>C-1003</value></equalto></filter>"
        "<orderby><order><field>TOTALENTERED</field><descending/></order></orderby>"
        "<pagesize>5</pagesize><offset>5</offset></query>"
    )
    answer = client.call(fn(body))
    mine = sorted(
        (r for r in sandbox.company.records("ARINVOICE") if r["CUSTOMERID"] == "C-1003"),
        key=lambda r: -float(r["TOTALENTERED"]),
    )
    assert answer.first("//data/@listtype") == "ARINVOICE"
    assert int(answer.first("//data/@totalcount")) == len(mine)
    assert answer.first("//data/@offset") == "5"
    assert answer.all("//ARINVOICE/TOTALENTERED") == [r["TOTALENTERED"] for r in mine[5:10]]


def test_read_read_by_name_lookup_and_inspect(client: Client) -> None:
    answer = client.call(
        fn("<read><object>CUSTOMER</object><keys>1,2</keys><fields>*</fields></read>", "a"),
        fn(
            "<readByName><object>GLACCOUNT</object><keys>4000</keys><fields>TITLE</fields>"
            "</readByName>",
            "b",
        ),
        fn("<lookup><object>ARINVOICE</object></lookup>", "c"),
        fn('<inspect detail="0"><object>*</object></inspect>', "d"),
    )
    assert answer.all("//result[controlid='a']//CUSTOMER/RECORDNO") == ["1", "2"]
    assert answer.all("//result[controlid='b']//GLACCOUNT/TITLE") == ["Product Revenue"]
    assert "RECORDID" in answer.all("//result[controlid='c']//Field/ID")
    assert "ARINVOICE" in answer.all("//result[controlid='d']//type/@typename")


def test_unknown_object_gets_the_object_definition_error(client: Client) -> None:
    answer = client.call(fn(ALL_INVOICES.format(size=10).replace("ARINVOICE", "NOSUCHTHING")))
    assert answer.first("//result/status") == "failure"
    assert answer.first("//result//errorno") == "Query Failed"
    assert answer.first("//result//description2") == "Object definition NOSUCHTHING not found"


def test_functions_are_independent_unless_the_operation_is_a_transaction(
    sandbox: Sandbox, client: Client
) -> None:
    good = (
        "<create><CUSTOMER><CUSTOMERID>C-NEW-{n}</CUSTOMERID><NAME>New</NAME></CUSTOMER></create>"
    )
    duplicate = (
        "<create><CUSTOMER><CUSTOMERID>C-1001</CUSTOMERID><NAME>x</NAME></CUSTOMER></create>"
    )
    independent = client.call(fn(good.format(n=1), "a"), fn(duplicate, "b"))
    assert independent.all("//result/status") == ["success", "failure"]
    assert independent.first("//result[controlid='b']//errorno") == "BL34000061"
    assert sandbox.company.find("CUSTOMER", "CUSTOMERID", "C-NEW-1") is not None

    together = client.call(
        fn(good.format(n=2), "a"),
        fn(duplicate, "b"),
        fn(good.format(n=3), "c"),
        transaction=True,
    )
    assert together.all("//result/status") == ["aborted", "failure", "aborted"]
    assert together.all("//result[controlid='b']//errorno") == [
        "BL34000061",
        "BL01001973",
        "XL03000009",
    ]
    assert together.all("//result[controlid='a']//errorno") == ["XL03000009"]
    assert sandbox.company.find("CUSTOMER", "CUSTOMERID", "C-NEW-2") is None
    assert sandbox.company.find("CUSTOMER", "CUSTOMERID", "C-NEW-3") is None


INVOICE = (
    "<create_invoice><customerid>C-1001</customerid>"
    "<datecreated><year>{year}</year><month>{month:02d}</month><day>05</day></datecreated>"
    "<termname>N30</termname><invoiceno>{number}</invoiceno><externalid>ext-{number}</externalid>"
    "<invoiceitems><lineitem><glaccountno>{account}</glaccountno><amount>125.50</amount>"
    "<departmentid>{dept}</departmentid></lineitem></invoiceitems></create_invoice>"
)


def invoice(sandbox: Sandbox, number: str, account: str = "4000", dept: str = "SALES") -> str:
    when = sandbox.company.as_of
    return INVOICE.format(
        year=when.year, month=when.month, number=number, account=account, dept=dept
    )


def test_created_invoice_is_findable_by_its_number_and_uniqueid_blocks_a_repeat(
    sandbox: Sandbox, client: Client
) -> None:
    body = fn(invoice(sandbox, "WEB-1001"), "create-web-1001")
    first = client.call(body, uniqueid=True)
    assert first.first("//result/status") == "success"
    key = first.first("//result/key")
    repeat = client.call(body, uniqueid=True)
    assert repeat.first("//result/status") == "failure"
    assert "already processed" in repeat.first("//result//description2")
    assert [r["RECORDID"] for r in sandbox.company.created("ARINVOICE")] == ["WEB-1001"]
    found = client.call(
        fn(
            "<readByQuery><object>ARINVOICE</object><query>RECORDID = 'WEB-1001'</query>"
            "<fields>RECORDNO,EXTERNALID,TOTALENTERED</fields><pagesize>10</pagesize></readByQuery>"
        )
    )
    assert found.all("//arinvoice/RECORDNO") == [key]
    assert found.first("//arinvoice/EXTERNALID") == "ext-WEB-1001"
    assert found.first("//arinvoice/TOTALENTERED") == "125.50"
    without_unique = client.call(body)
    assert without_unique.first("//result//description2") == (
        "A transaction with the number 'WEB-1001' already exists."
    )


def test_generic_create_update_delete(sandbox: Sandbox, client: Client) -> None:
    created = client.call(
        fn("<create><CUSTOMER><CUSTOMERID>C-9000</CUSTOMERID><NAME>Nine</NAME></CUSTOMER></create>")
    )
    recordno = created.first("//data/customer/RECORDNO")
    assert created.first("//data/customer/CUSTOMERID") == "C-9000"
    updated = client.call(
        fn(
            f"<update><CUSTOMER><RECORDNO>{recordno}</RECORDNO><NAME>Ninety</NAME></CUSTOMER></update>"
        )
    )
    assert updated.first("//result/status") == "success"
    assert sandbox.company.find("CUSTOMER", "CUSTOMERID", "C-9000")["NAME"] == "Ninety"  # type: ignore[index]
    deleted = client.call(fn(f"<delete><object>CUSTOMER</object><keys>{recordno}</keys></delete>"))
    assert deleted.first("//result/status") == "success"
    assert sandbox.company.find("CUSTOMER", "CUSTOMERID", "C-9000") is None
    again = client.call(fn(f"<delete><object>CUSTOMER</object><keys>{recordno}</keys></delete>"))
    assert again.first("//result//errorno") == "BL01001973"


def test_company_functions_answer(client: Client) -> None:
    answer = client.call(
        fn("<getDimensions/>", "dims"),
        fn("<getUserPermissions><userId>ws_integration</userId></getUserPermissions>", "perm"),
        fn('<get_companyprefs application="AR"/>', "prefs"),
        fn("<get_applications/>", "apps"),
        fn("<readEntityDetails/>", "ent"),
    )
    assert answer.all("//result/status") == ["success"] * 5
    assert {"channel", "fund"} <= set(
        answer.all("//dimension[userDefinedDimension='true']/objectName")
    )
    assert "Accounts Receivable" in answer.all("//appSubscription/applicationName")
    assert (
        answer.first("//companypref[preference='PAYMENT_SUMMARY_FREQUENCY']/prefvalue") == "Daily"
    )
    assert set(answer.all("//entity/id")) == {"US-EAST", "US-WEST", "UK"}
    assert answer.first("//entity[id='UK']/currency") == "GBP"


def test_requests_beyond_the_in_flight_limit_get_too_many_operations() -> None:
    import threading

    with Sandbox(latency_ms=400, max_in_flight=2) as sandbox:
        barrier = threading.Barrier(3)
        answers: list[Answer] = []

        def ask() -> None:
            c = Client(sandbox)
            barrier.wait()
            answers.append(c.call(fn("<getFinancialSetup/>")))
            c.close()

        workers = [threading.Thread(target=ask) for _ in range(3)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    statuses = sorted(a.first("/response/control/status") for a in answers)
    assert statuses == ["failure", "success", "success"]
    refused = next(a for a in answers if a.first("/response/control/status") == "failure")
    assert refused.first("//errorno") == "XMLGW_JPP0001"
    assert refused.first("//description2") == (
        "There are too many operations running for this company."
    )


def test_rate_limit_answers_http_429_gw_0010() -> None:
    with Sandbox(rate_limit_per_s=1) as sandbox:
        c = Client(sandbox)
        statuses = [c.call(fn("<getFinancialSetup/>")) for _ in range(3)]
        c.close()
    refused = [a for a in statuses if a.status == 429]
    assert refused, "three requests at once must exceed one request per second"
    assert refused[0].first("//errorno") == "GW-0010"


def test_payments_and_credit_notes_post_and_update_the_invoice(
    sandbox: Sandbox, client: Client
) -> None:
    created = client.call(fn(invoice(sandbox, "WEB-2001")))
    key = created.first("//result/key")
    when = sandbox.company.as_of
    date = f"<year>{when.year}</year><month>{when.month:02d}</month><day>03</day>"
    answer = client.call(
        fn(
            "<create_arpayment><customerid>C-1001</customerid><paymentamount>25.50</paymentamount>"
            f"<bankaccountid>BOA-EAST</bankaccountid><refid>CHK-1</refid><datereceived>{date}"
            "</datereceived><paymentmethod>Printed Check</paymentmethod>"
            f"<arpaymentitem><invoicekey>{key}</invoicekey><amount>25.50</amount></arpaymentitem>"
            "</create_arpayment>",
            "legacy-payment",
        ),
        fn(
            "<create><ARPYMT><FINANCIALENTITY>BOA-EAST</FINANCIALENTITY>"
            "<PAYMENTMETHOD>EFT</PAYMENTMETHOD><CUSTOMERID>C-1001</CUSTOMERID>"
            f"<DOCNUMBER>EFT-1</DOCNUMBER><RECEIPTDATE>{when:%m/%d/%Y}</RECEIPTDATE>"
            f"<ARPYMTDETAILS><ARPYMTDETAIL><RECORDKEY>{key}</RECORDKEY>"
            "<TRX_PAYMENTAMOUNT>100</TRX_PAYMENTAMOUNT></ARPYMTDETAIL></ARPYMTDETAILS>"
            "</ARPYMT></create>",
            "generic-payment",
        ),
        fn(
            "<create_aradjustment><customerid>C-1001</customerid>"
            f"<datecreated>{date}</datecreated><adjustmentno>CN-WEB-1</adjustmentno>"
            "<aradjustmentitems><lineitem><glaccountno>4900</glaccountno><amount>-5</amount>"
            "</lineitem></aradjustmentitems></create_aradjustment>",
            "credit-note",
        ),
    )
    assert answer.all("//result/status") == ["success"] * 3
    paid = sandbox.company.find("ARINVOICE", "RECORDID", "WEB-2001")
    assert paid is not None
    assert (paid["TOTALPAID"], paid["TOTALDUE"], paid["STATE"]) == ("125.50", "0.00", "Paid")
    assert [p["DOCNUMBER"] for p in sandbox.company.created("ARPYMT")] == ["CHK-1", "EFT-1"]
    note = client.call(
        fn(
            "<readByQuery><object>ARADJUSTMENT</object><query>RECORDID = 'CN-WEB-1'</query>"
            "<fields>TOTALENTERED</fields><pagesize>10</pagesize></readByQuery>"
        )
    )
    assert note.all("//aradjustment/TOTALENTERED") == ["-5.00"]


def test_lookups_by_document_number_in_a_large_company_respect_the_entity() -> None:
    with Sandbox(records=200_000) as sandbox:
        client = Client(sandbox)
        wanted = [sandbox.company.find("ARINVOICE", "RECORDNO", str(n)) for n in (150_000, 7)]
        numbers = [w["RECORDID"] for w in wanted if w is not None]
        query = (
            "<readByQuery><object>ARINVOICE</object><query>RECORDID IN ('{}', '{}', 'NOPE')"
            "</query><fields>RECORDID,MEGAENTITYID</fields><pagesize>10</pagesize></readByQuery>"
        ).format(*numbers)
        top = client.call(fn(query))
        assert sorted(top.all("//arinvoice/RECORDID")) == sorted(numbers)
        entity = wanted[0]["MEGAENTITYID"]  # type: ignore[index]
        session, endpoint = client.session(entity=entity)
        scoped = client.call(fn(query), session=session, url=endpoint)
        client.close()
    assert set(scoped.all("//arinvoice/MEGAENTITYID")) == {entity}
    expected = [w["RECORDID"] for w in wanted if w is not None and w["MEGAENTITYID"] == entity]
    assert sorted(scoped.all("//arinvoice/RECORDID")) == sorted(expected)


def test_read_more_by_object_continues_the_sessions_last_query(client: Client) -> None:
    session, endpoint = client.session()
    first = client.call(fn(ALL_INVOICES.format(size=100)), session=session, url=endpoint)
    more = client.call(
        fn("<readMore><object>ARINVOICE</object></readMore>"), session=session, url=endpoint
    )
    assert more.first("//result/status") == "success"
    assert more.all("//arinvoice/RECORDNO")[0] == str(
        int(first.all("//arinvoice/RECORDNO")[-1]) + 1
    )
    stale = client.call(fn("<readMore><resultId>nope</resultId></readMore>"))
    assert stale.first("//result/status") == "failure"


def test_stop_closes_the_server_and_its_open_connections() -> None:
    sandbox = Sandbox().start()
    client = Client(sandbox)
    assert client.call(fn("<getFinancialSetup/>")).status == 200  # keeps a connection open
    sandbox.stop()
    with pytest.raises(httpx.TransportError):
        client.call(fn("<getFinancialSetup/>"))
    client.close()


def test_a_rolled_back_transaction_can_be_sent_again_with_the_same_control_ids(
    sandbox: Sandbox, client: Client
) -> None:
    good = fn(invoice(sandbox, "TX-1"), "tx-invoice")
    bad = fn(invoice(sandbox, "TX-2", account="9999"), "tx-bad")
    failed = client.call(good, bad, transaction=True, uniqueid=True)
    assert failed.all("//result/status") == ["aborted", "failure"]
    assert sandbox.company.created("ARINVOICE") == []
    retried = client.call(good, transaction=True, uniqueid=True)
    assert retried.all("//result/status") == ["success"]
    assert [r["RECORDID"] for r in sandbox.company.created("ARINVOICE")] == ["TX-1"]
