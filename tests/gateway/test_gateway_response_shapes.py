"""Answer shapes from the protocol reference (§2, §6) that the conformance corpus lacks, and
hostile or broken bodies: each gives a typed value or a clear error, never an lxml traceback."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

import pytest

from wizard.gateway.errors import (
    AuthenticationError,
    ControlError,
    MalformedResponseError,
    TransportError,
)
from wizard.gateway.records import nested_rows
from wizard.gateway.response import Status, iter_response, parse_response
from wizard.gateway.xmlparse import chunked

CONTROL = (
    "<control><status>success</status><senderid>S</senderid><controlid>c1</controlid>"
    "<uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control>"
)
AUTH = (
    "<authentication><status>success</status><userid>u</userid><companyid>co</companyid>"
    "<locationid></locationid><sessiontimestamp>2026-01-01T10:00:00+00:00</sessiontimestamp>"
    "<sessiontimeout>2026-01-01T11:00:00+00:00</sessiontimeout></authentication>"
)


def answer(*results: str) -> bytes:
    body = f"<response>{CONTROL}<operation>{AUTH}{''.join(results)}</operation></response>"
    return ('<?xml version="1.0" encoding="UTF-8"?>' + body).encode()


def result(
    inner: str, status: str = "success", function: str = "readByQuery", cid: str = "f1"
) -> str:
    return (
        f"<result><status>{status}</status><function>{function}</function>"
        f"<controlid>{cid}</controlid>{inner}</result>"
    )


def test_legacy_create_returns_its_new_key() -> None:
    parsed = parse_response(answer(result("<key>1042</key>", function="create_invoice")))
    assert parsed.results[0].key == "1042"
    assert parsed.results[0].data is None


def test_query_page_reports_offset_and_uppercase_records() -> None:
    data = (
        '<data listtype="APBILL" totalcount="5" offset="2" count="2" numremaining="1">'
        "<APBILL><RECORDNO>3</RECORDNO><VENDORID>V1</VENDORID></APBILL>"
        "<APBILL><RECORDNO>4</RECORDNO><VENDORID>V2</VENDORID></APBILL></data>"
    )
    parsed = parse_response(answer(result(data, function="query"))).results[0]
    assert parsed.data is not None
    assert (parsed.data.offset, parsed.data.count, parsed.data.totalcount) == (2, 2, 5)
    assert parsed.data.numremaining == 1
    assert [r["RECORDNO"] for r in parsed.records] == ["3", "4"]
    assert parsed.record_tags == ("APBILL",)


def test_records_of_any_name_and_case_are_records() -> None:
    data = (
        '<data listtype="objects" count="3"><customer><RECORDNO>1</RECORDNO></customer>'
        "<CUSTOMER><RECORDNO>2</RECORDNO></CUSTOMER><Counter><id>7</id></Counter></data>"
    )
    parsed = parse_response(answer(result(data, function="create"))).results[0]
    assert parsed.records == ({"RECORDNO": "1"}, {"RECORDNO": "2"}, {"id": "7"})
    assert parsed.record_tags == ("customer", "CUSTOMER", "Counter")


def test_nested_fields_are_flattened_with_dots_and_repeats_numbered() -> None:
    data = (
        "<data><dimensions><dimension><objectName>DEPARTMENT</objectName></dimension>"
        "<dimension><objectName>LOCATION</objectName></dimension></dimensions></data>"
    )
    record = parse_response(answer(result(data, function="getDimensions"))).results[0].records[0]
    assert record == {
        "dimension.objectName": "DEPARTMENT",
        "dimension[2].objectName": "LOCATION",
    }
    assert nested_rows(record, "dimension") == [
        {"objectName": "DEPARTMENT"},
        {"objectName": "LOCATION"},
    ]


def test_empty_fields_read_as_empty_text() -> None:
    data = '<data count="1"><vendor><NAME></NAME><TAXID/></vendor></data>'
    assert parse_response(answer(result(data))).results[0].records[0] == {"NAME": "", "TAXID": ""}


def test_support_id_is_decoded_and_kept_apart() -> None:
    error = (
        "<errormessage><error><errorno>BL01001973</errorno><description></description>"
        "<description2>Could not create Document record! [Support ID: abc%7E12XyZ]</description2>"
        "<correction></correction></error></errormessage>"
    )
    detail = parse_response(answer(result(error, "failure", "create"))).results[0].errors[0]
    assert detail.support_id == "abc~12XyZ"
    assert detail.description2 == "Could not create Document record!"


def test_escaped_entities_in_error_texts_become_plain_characters() -> None:
    error = (
        "<errormessage><error><errorno>PL04000005</errorno><description/>"
        "<description2>Customer &amp;#039;C1&amp;#039; isn&#039;t active</description2>"
        "<correction/></error></errormessage>"
    )
    detail = parse_response(answer(result(error, "failure"))).results[0].errors[0]
    assert detail.description2 == "Customer 'C1' isn't active"


def test_errorno_may_be_free_text() -> None:
    error = "<errormessage><error><errorno>Query Failed</errorno></error></errormessage>"
    detail = parse_response(answer(result(error, "failure"))).results[0].errors[0]
    assert (detail.errorno, detail.description) == ("Query Failed", "")


def test_transaction_rollback_marks_the_others_aborted() -> None:
    rollback = (
        "<errormessage><error><errorno>XL03000009</errorno><description2>The entire transaction"
        " in this operation has been rolled back due to an error.</description2></error>"
        "</errormessage>"
    )
    parsed = parse_response(
        answer(
            result(rollback, "aborted", "create", "a"), result(rollback, "failure", "create", "b")
        )
    )
    assert [r.status for r in parsed.results] == [Status.ABORTED, Status.FAILURE]
    assert parsed.result("b").errors[0].errorno == "XL03000009"


def test_invalid_session_is_an_authentication_failure() -> None:
    body = (
        f"<response>{CONTROL}<operation><authentication><status>failure</status><userid>u</userid>"
        "<companyid>co</companyid></authentication><errormessage><error><errorno>XL03000006"
        "</errorno><description2>Invalid session abc</description2></error></errormessage>"
        "</operation></response>"
    ).encode()
    with pytest.raises(AuthenticationError) as caught:
        parse_response(body)
    assert caught.value.errornos == ("XL03000006",)


def test_rate_limit_body_with_gateway_error_is_a_control_failure() -> None:
    body = (
        b"<response><control><status>failure</status></control><errormessage><error>"
        b"<errorno>GW-0010</errorno><description2>Rate limit exceeded.</description2></error>"
        b"</errormessage></response>"
    )
    with pytest.raises(ControlError) as caught:
        parse_response(body, 429)
    assert caught.value.errornos == ("GW-0010",) and caught.value.http_status == 429


CDN_PAGE = b"""<!DOCTYPE html>
<html lang="en-US"><head><title>api.intacct.com | 524: A timeout occurred</title></head>
<body><div id="cf-error-details"><h1>A timeout occurred</h1></div></body></html>"""


@pytest.mark.parametrize("status", [200, 502, 524])
def test_cdn_html_page_is_a_clear_transport_error(status: int) -> None:
    with pytest.raises(TransportError) as caught:
        parse_response(CDN_PAGE, status)
    assert caught.value.reason == "html-page"
    assert caught.value.http_status == status
    assert "web page" in str(caught.value)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "not-xml"),
        (b"   \n", "not-xml"),
        (b"The Service is Temporarily Off-line", "not-xml"),
        (b'{"error": "rate limit"}', "not-xml"),
        (b"<html><body>Bad gateway</body></html>", "html-page"),
        (b"<response><control><status>success</st", "truncated"),
        (b"<bad></xml>", "not-xml"),
        (b"<request/>", "not-a-response"),
    ],
)
def test_broken_bodies_raise_malformed_response(body: bytes, reason: str) -> None:
    with pytest.raises(MalformedResponseError) as caught:
        parse_response(body, 503)
    assert caught.value.reason == reason
    assert "lxml" not in str(caught.value)


def test_truncated_real_answer_is_reported_as_cut_off() -> None:
    full = answer(result('<data count="2"><a><X>1</X></a><a><X>2</X></a></data>'))
    for cut in (len(full) // 3, len(full) - 12):
        with pytest.raises(MalformedResponseError) as caught:
            parse_response(full[:cut])
        assert caught.value.reason == "truncated"
        assert "cut off" in str(caught.value)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<response><control><status>success</status><senderid>&lol9;</senderid></control></response>"""


def test_billion_laughs_fails_safely_and_fast() -> None:
    started = time.perf_counter()
    with pytest.raises(MalformedResponseError) as caught:
        parse_response(BILLION_LAUGHS)
    assert caught.value.reason == "forbidden-dtd"
    assert time.perf_counter() - started < 0.5


def test_external_entity_is_never_read(tmp_path: object) -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b"<response><control><status>success</status><senderid>&xxe;</senderid></control>"
        b"</response>"
    )
    with pytest.raises(MalformedResponseError) as caught:
        parse_response(body)
    assert caught.value.reason == "forbidden-dtd"
    assert "root:" not in str(caught.value)


def test_dtd_split_across_chunks_is_still_refused() -> None:
    chunks = [b'<?xml version="1.0"?><!DOC', b'TYPE r [<!ENTITY a "b">]><response/>']
    generator = iter_response(chunks)
    with pytest.raises(MalformedResponseError) as caught:
        next(generator)
    assert caught.value.reason == "forbidden-dtd"


def test_oversized_body_is_refused_before_parsing_it_all() -> None:
    body = answer(result('<data count="1"><a><X>' + "x" * 5000 + "</X></a></data>"))
    generator = iter_response(chunked(body, 1024), max_bytes=2048)
    with pytest.raises(MalformedResponseError) as caught:
        list(generator)
    assert caught.value.reason == "too-large"


def test_streaming_yields_records_without_keeping_them() -> None:
    rows = "".join(f"<a><N>{i}</N></a>" for i in range(50))
    body = answer(result(f'<data count="50" totalcount="50" numremaining="0">{rows}</data>'))
    generator = iter_response(chunked(body, 64), keep_records=False)
    seen = []
    while True:
        try:
            item = next(generator)[1]
            if isinstance(item, dict):
                seen.append(item["N"])
            else:
                assert seen == [] and item.count == 50  # paging totals come first
        except StopIteration as done:
            response = done.value
            break
    assert seen == [str(i) for i in range(50)]
    assert response.results[0].records == ()
    assert response.results[0].data.count == 50


def test_memory_stays_flat_however_many_records_stream_past() -> None:
    """20,000 records streamed from a generated body: the Python heap stays under 2 MB."""
    import tracemalloc

    def body() -> Iterator[bytes]:
        page = answer(result('<data count="20000" totalcount="20000" numremaining="0">MARK</data>'))
        opening, closing = page.split(b"MARK")
        yield opening
        row = b"<arinvoice><RECORDNO>%d</RECORDNO><STATE>Posted</STATE></arinvoice>"
        for block in range(200):
            yield b"".join(row % (block * 100 + i) for i in range(100))
        yield closing

    tracemalloc.start()
    count = 0
    generator = iter_response(body(), keep_records=False)
    for _, item in generator:
        count += isinstance(item, dict)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 20000
    assert peak < 2 * 1024 * 1024


def test_empty_read_reports_zero_totals() -> None:
    data = '<data listtype="department" count="0" totalcount="0" numremaining="0" resultId=""/>'
    info = parse_response(answer(result(data))).results[0].data
    assert info is not None and (info.count, info.totalcount, info.numremaining) == (0, 0, 0)


def test_inspect_list_keeps_attributes_and_text() -> None:
    data = (
        '<data listtype="All" count="2"><type typename="APBILL">AP Bill</type>'
        '<type typename="ARINVOICE">AR Invoice</type></data>'
    )
    records = parse_response(answer(result(data, function="inspect"))).results[0].records
    assert records == (
        {"@typename": "APBILL", "#text": "AP Bill"},
        {"@typename": "ARINVOICE", "#text": "AR Invoice"},
    )


def test_lookup_fields_regroup_into_rows() -> None:
    data = (
        '<data listtype="All" count="1"><Type Name="CUSTOMER" DocumentType=""><Fields>'
        "<Field><ID>CUSTOMERID</ID><REQUIRED>true</REQUIRED></Field>"
        "<Field><ID>NAME</ID><REQUIRED>true</REQUIRED></Field></Fields></Type></data>"
    )
    record = parse_response(answer(result(data, function="lookup"))).results[0].records[0]
    assert record["@Name"] == "CUSTOMER"
    assert [row["ID"] for row in nested_rows(record, "Fields.Field")] == ["CUSTOMERID", "NAME"]


# A body already in memory is parsed in one call; a body arriving in pieces is parsed as it
# comes. Whatever the body, both must give the same records, the same answer or the same error.
SAME_EITHER_WAY = {
    "records": answer(
        result(
            '<data listtype="arinvoice" count="3" totalcount="3" numremaining="0">'
            + "".join(
                f"<arinvoice><RECORDNO>{i}</RECORDNO><DESCRIPTION>Tents &amp; poles {i}"
                "</DESCRIPTION><EXTERNALID></EXTERNALID></arinvoice>"
                for i in range(3)
            )
            + "</data>"
        )
    ),
    "nested, repeated and attributes": answer(
        result(
            '<data count="1"><dimensions><dimension><objectName>DEPARTMENT</objectName>'
            "</dimension><dimension><objectName>LOCATION</objectName></dimension></dimensions>"
            '<type typename="APBILL">AP Bill</type><a><X>1</X><X>2</X></a></data>'
        )
    ),
    "two results, one failed": answer(
        result('<data count="0"/>', cid="f1"),
        result(
            "<errormessage><error><errorno>BL01001973</errorno><description>No</description>"
            "</error></errormessage>",
            status="failure",
            cid="f2",
        ),
    ),
    "legacy list": answer(result('<listtype start="0" end="1" total="2">vendor</listtype>')),
    "control failure": (
        b"<response><control><status>failure</status></control><errormessage><error>"
        b"<errorno>XL03000006</errorno><description>Bad sender</description></error>"
        b"</errormessage></response>"
    ),
    "sign-in refused": answer().replace(
        b"<status>success</status><userid>", b"<status>failure</status><userid>"
    ),
    "no result": answer(),
    "web page": CDN_PAGE,
    "cut off": answer(result('<data count="2"><a><X>1</X></a><a><X>2</X></a></data>'))[:-30],
    "not xml": b"<response><control>oops</contr></response>",
    "not a response": b"<html><body>Maintenance</body></html>",
}


def _outcome(chunks: Iterable[bytes]) -> tuple[object, ...]:
    items: list[object] = []
    generator = iter_response(chunks)
    try:
        while True:
            items.append(next(generator))
    except StopIteration as done:
        return ("answer", tuple(items), done.value)
    except TransportError as error:  # malformed bodies and refused answers alike
        return ("error", tuple(items), type(error), error.reason, str(error))
    except (ControlError, AuthenticationError) as error:
        return ("error", tuple(items), type(error), error.reason, str(error))


@pytest.mark.parametrize("name", sorted(SAME_EITHER_WAY))
def test_a_body_in_memory_reads_the_same_as_one_arriving_in_pieces(name: str) -> None:
    body = SAME_EITHER_WAY[name]
    whole = _outcome(chunked(body))
    pieces = _outcome(iter(list(chunked(body, 37))))
    assert whole == pieces


def test_a_dtd_far_into_the_first_piece_is_still_refused() -> None:
    # A long comment after the declaration pushes it out of the last 4 KB of the first piece.
    body = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><!--'
        + b"x" * 10_000
        + b"-->"
        + answer()[len(b'<?xml version="1.0" encoding="UTF-8"?>') :]
    )
    for chunks in (chunked(body), iter(list(chunked(body)))):
        with pytest.raises(MalformedResponseError) as caught:
            list(iter_response(chunks))
        assert caught.value.reason == "forbidden-dtd"


def test_a_dtd_after_a_comment_that_looks_like_a_tag_is_still_refused() -> None:
    body = b'<!-- <a> --><!DOCTYPE response [<!ENTITY a "b">]>' + answer()[38:]
    for chunks in (chunked(body), iter(list(chunked(body, 16)))):
        with pytest.raises(MalformedResponseError) as caught:
            list(iter_response(chunks))
        assert caught.value.reason == "forbidden-dtd"


def test_a_console_sign_in_keeps_the_client_company_it_slid_into() -> None:
    """Response DTD: authentication (status, userid, companyid, clientstatus?,
    (clientid|locationid)?, sessiontimestamp?)."""
    auth = (
        "<authentication><status>success</status><userid>u</userid><companyid>CONSOLE"
        "</companyid><clientstatus>active</clientstatus><clientid>CLIENT-7</clientid>"
        "<sessiontimestamp>2026-01-01T10:00:00+00:00</sessiontimestamp></authentication>"
    )
    empty = result('<data count="0"/>')
    body = f"<response>{CONTROL}<operation>{auth}{empty}</operation></response>"
    response = parse_response(body.encode())
    assert response.authentication is not None
    assert response.authentication.clientid == "CLIENT-7"
    assert response.authentication.clientstatus == "active"
    assert response.authentication.locationid == ""
