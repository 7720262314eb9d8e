"""The client over real HTTP on 127.0.0.1: sign-in, sessions, retries, paging and batches.

The peer is `gateway_loopback` answering with a small scripted gateway (below) or with fixed
steps; it exists to produce faults on demand (drops, delays, 429/5xx/524, expiring sessions).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from gateway_loopback import LoopbackGateway, Received, Step, loopback
from lxml import etree

from wizard.gateway import (
    AuthenticationError,
    Client,
    ControlError,
    Credentials,
    RetryPolicy,
    ShortReadError,
    TransportError,
)
from wizard.gateway import functions as fn

CREDS = Credentials("DemoSender", "sender-secret", "DEMO-COMPANY", "ws_user", "user-secret")
XML = {"Content-Type": 'text/xml; encoding="UTF-8"'}


def control(status: str = "success") -> str:
    return (
        f"<control><status>{status}</status><senderid>DemoSender</senderid>"
        "<controlid>c</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control>"
    )


def auth_ok() -> str:
    return (
        "<authentication><status>success</status><userid>ws_user</userid>"
        "<companyid>DEMO-COMPANY</companyid><sessiontimestamp>2026-01-01T00:00:00Z"
        "</sessiontimestamp><sessiontimeout>2026-01-01T01:00:00Z</sessiontimeout></authentication>"
    )


def error(errorno: str, text: str) -> str:
    return (
        f"<errormessage><error><errorno>{errorno}</errorno><description></description>"
        f"<description2>{text}</description2><correction></correction></error></errormessage>"
    )


def respond(inner: str, status: int = 200) -> Step:
    return Step(
        status,
        f"<response>{control()}<operation>{auth_ok()}{inner}</operation></response>".encode(),
        XML,
    )


def result(function: str, cid: str, inner: str = "", status: str = "success") -> str:
    return (
        f"<result><status>{status}</status><function>{function}</function>"
        f"<controlid>{cid}</controlid>{inner}</result>"
    )


@dataclass
class FakeGateway:
    """Just enough gateway: sessions (that can expire), paging and creates."""

    records: int = 2500
    lie_total: int | None = None  # claim this many records but deliver `records`
    expire_next: int = 0  # this many session calls fail with "Invalid session"
    busy_next: int = 0  # this many calls are refused with "too many operations"
    sessions: int = 0
    server: LoopbackGateway | None = None
    pages: dict[str, int] = field(default_factory=dict)

    def __call__(self, request: Received) -> Step:
        root = etree.fromstring(request.body)
        login = root.find("operation/authentication/login")
        functions = root.findall("operation/content/function")
        assert self.server is not None
        if self.busy_next:
            self.busy_next -= 1
            busy = error("XMLGW_JPP0001", "There are too many operations running for this company.")
            body = f"<response>{control('failure')}{busy}</response>"
            return Step(200, body.encode(), XML)
        if login is not None:
            self.sessions += 1
            cid = functions[0].get("controlid")
            api = (
                f"<data><api><sessionid>sess-{self.sessions}-x</sessionid>"
                f"<endpoint>{self.server.base}/session/{self.sessions}</endpoint>"
                f"<locationid>{login.findtext('locationid') or ''}</locationid></api></data>"
            )
            return respond(result("getAPISession", str(cid), api))
        if self.expire_next:
            self.expire_next -= 1
            body = (
                f"<response>{control()}<operation><authentication><status>failure</status>"
                "<userid>ws_user</userid><companyid>DEMO-COMPANY</companyid></authentication>"
                f"{error('XL03000006', 'Invalid session')}</operation></response>"
            )
            return Step(200, body.encode(), XML)
        out = []
        for function in functions:
            cid = str(function.get("controlid"))
            body = function[0]
            if body.tag == "readByQuery":
                out.append(self._page(cid, "readByQuery", 0, int(body.findtext("pagesize") or 100)))
            elif body.tag == "readMore":
                start, size = self.pages[str(body.findtext("resultId"))]
                out.append(self._page(cid, "readMore", start, size))
            elif body.tag == "query":
                offset = int(body.findtext("offset") or 0)
                out.append(self._page(cid, "query", offset, int(body.findtext("pagesize") or 100)))
            elif body.tag == "create":
                record = body[0]
                if record.findtext("NAME") == "bad":
                    out.append(
                        result(
                            "create",
                            cid,
                            error("BL01001973", "Could not create record!"),
                            "failure",
                        )
                    )
                else:
                    out.append(
                        result(
                            "create",
                            cid,
                            f'<data listtype="objects" count="1"><{record.tag.lower()}>'
                            f"<RECORDNO>{len(out) + 1}</RECORDNO></{record.tag.lower()}></data>",
                        )
                    )
            else:
                out.append(result(body.tag, cid, "<data/>"))
        return respond("".join(reversed(out)))  # results in another order: match by control id

    def _page(self, cid: str, function: str, start: int, size: int) -> str:
        end = min(start + size, self.records)
        total = self.lie_total if self.lie_total is not None else self.records
        remaining = max(total - end, 0)
        result_id = f"rid-{end}" if remaining else ""
        self.pages[result_id] = (end, size)
        rows = "".join(
            f"<ARINVOICE><RECORDNO>{i}</RECORDNO><RECORDID>INV-{i:05d}</RECORDID></ARINVOICE>"
            for i in range(start + 1, end + 1)
        )
        offset = f' offset="{start}"' if function == "query" else ""
        data = (
            f'<data listtype="arinvoice" count="{end - start}" totalcount="{total}"'
            f' numremaining="{remaining}" resultId="{result_id}"{offset}>{rows}</data>'
        )
        return result(function, cid, data)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def retry(sleeps: list[float]) -> RetryPolicy:
    return RetryPolicy(max_attempts=4, base_delay_s=0.01, max_total_s=5, sleep=sleeps.append)


@pytest.fixture
def gateway() -> Iterator[tuple[FakeGateway, LoopbackGateway]]:
    fake = FakeGateway()
    with loopback(responder=fake) as server:
        fake.server = server
        yield fake, server


def make_client(
    server: LoopbackGateway, retry: RetryPolicy, creds: Credentials = CREDS, timeout: float = 5
) -> Client:
    return Client(creds, endpoint=server.url, timeout=timeout, retry=retry)


def test_login_then_uses_the_session_id_and_its_endpoint(gateway, retry) -> None:
    _fake, server = gateway
    with make_client(server, retry) as client:
        session = client.login()
        client.call(fn.get_dimensions())
    assert session.endpoint == f"{server.base}/session/1"
    first, second = server.received
    assert first.path == "/ia/xml/xmlgw.phtml"
    login = etree.fromstring(first.body)
    assert login.findtext("control/senderid") == "DemoSender"
    assert login.findtext("operation/authentication/login/userid") == "ws_user"
    assert login.find("operation/authentication/login/locationid") is None
    assert second.path == "/session/1"
    assert (
        etree.fromstring(second.body).findtext("operation/authentication/sessionid") == "sess-1-x"
    )


def test_login_to_an_entity_sends_its_location_id(gateway, retry) -> None:
    _, server = gateway
    creds = Credentials(
        "DemoSender", "sender-secret", "DEMO-COMPANY", "ws_user", "user-secret", "US-EAST"
    )
    with make_client(server, retry, creds) as client:
        assert client.login().entity_id == "US-EAST"
    login = etree.fromstring(server.received[0].body)
    assert login.findtext("operation/authentication/login/locationid") == "US-EAST"


def test_expired_session_is_renewed_once(gateway, retry) -> None:
    fake, server = gateway
    with make_client(server, retry) as client:
        client.login()
        fake.expire_next = 1
        assert client.call(fn.get_dimensions()).ok
        assert client.session.session_id == "sess-2-x"
        fake.expire_next = 2
        with pytest.raises(AuthenticationError) as caught:
            client.call(fn.get_dimensions())
    assert caught.value.errornos == ("XL03000006",)
    assert fake.sessions == 3


def test_too_many_operations_is_retried_with_backoff(gateway, retry, sleeps) -> None:
    fake, server = gateway
    fake.busy_next = 1
    with make_client(server, retry) as client:
        client.login()  # busy at sign-in too
        fake.busy_next = 2
        assert client.call(fn.get_dimensions()).ok
        fake.busy_next = 10
        with pytest.raises(ControlError) as caught:
            client.call(fn.get_dimensions())
    assert caught.value.errornos == ("XMLGW_JPP0001",)
    assert len(sleeps) == 1 + 2 + 3 and sleeps[2] > sleeps[1]


def test_rate_limit_honours_retry_after(retry, sleeps) -> None:
    ok = respond(
        result(
            "getAPISession",
            "getAPISession",
            "<data><api><sessionid>s-1</sessionid><endpoint></endpoint></api></data>",
        )
    )
    limited = Step(
        429,
        b"<response><control><status>failure</status></control>"
        + error("GW-0010", "Rate limit").encode()
        + b"</response>",
        {**XML, "Retry-After": "2"},
    )
    with loopback([limited, limited, ok]) as server, make_client(server, retry) as client:
        client.login()
        assert len(server.received) == 3
    assert sleeps == [2.0, 2.0]


def test_server_errors_are_retried_then_given_up(retry, sleeps) -> None:
    with (
        loopback([Step(503, b"The Service is Temporarily Off-line", {})]) as server,
        make_client(server, retry) as client,
        pytest.raises(TransportError) as caught,
    ):
        client.login()
    assert caught.value.http_status == 503
    assert "gave up after 4 attempts" in str(caught.value)
    assert len(server.received) == 4
    assert sleeps == sorted(sleeps) and len(sleeps) == 3


def test_total_retry_time_is_bounded(sleeps) -> None:
    policy = RetryPolicy(
        max_attempts=50, base_delay_s=1, max_delay_s=4, max_total_s=6, sleep=sleeps.append
    )
    with (
        loopback([Step(502)]) as server,
        make_client(server, policy) as client,
        pytest.raises(TransportError),
    ):
        client.login()
    assert sum(sleeps) <= 6 and len(server.received) < 50


def test_cdn_timeout_is_never_retried_for_writes(gateway, retry) -> None:
    _fake, server = gateway
    with make_client(server, retry) as client:
        client.login()
        server.responder = lambda request: Step(524, b"", {})
        with pytest.raises(TransportError) as caught:
            client.call(fn.create("CUSTOMER", {"CUSTOMERID": "C1"}))
        assert caught.value.reason == "cdn-timeout" and "may have been saved" in str(caught.value)
        assert len(server.received) == 2
        with pytest.raises(TransportError):
            client.call(fn.get_dimensions())
        assert len(server.received) == 2 + 4  # reads are retried


def test_dropped_connection_is_retried_for_reads(gateway, retry) -> None:
    fake, server = gateway
    with make_client(server, retry) as client:
        client.login()
        drops = iter([Step(drop=True), Step(200, b"<response>", XML, cut_after=5)])
        server.responder = lambda request: next(drops, None) or fake(request)
        assert client.call(fn.get_dimensions()).ok
        assert len(server.received) == 4


def test_dropped_connection_is_not_repeated_for_writes(gateway, retry) -> None:
    _fake, server = gateway
    with make_client(server, retry) as client:
        client.login()
        server.responder = lambda request: Step(200, b"<response><control>", XML, cut_after=10)
        with pytest.raises(TransportError) as caught:
            client.call(fn.create("CUSTOMER", {"CUSTOMERID": "C1"}))
        assert caught.value.reason == "connection"
        assert len(server.received) == 2


def test_every_call_times_out(retry) -> None:
    with (
        loopback([Step(200, b"<response/>", XML, delay_s=2)]) as server,
        make_client(server, retry, timeout=0.2) as client,
        pytest.raises(TransportError) as caught,
    ):
        client.login()
    assert caught.value.reason == "timeout"
    assert "0.2 seconds" in str(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        "http://api.intacct.com/ia/xml/xmlgw.phtml",
        "ftp://127.0.0.1/x",
        "http://10.0.0.1/x",
        "api.intacct.com",
    ],
)
def test_refuses_plain_http_except_loopback(url: str, retry) -> None:
    with pytest.raises(TransportError) as caught:
        Client(CREDS, endpoint=url, retry=retry)
    assert caught.value.reason == "insecure-endpoint"
    assert "https://" in str(caught.value)


def test_refuses_a_session_endpoint_that_is_not_https(retry) -> None:
    api = "<data><api><sessionid>s-1</sessionid><endpoint>http://evil.example/ia</endpoint></api></data>"
    with (
        loopback([respond(result("getAPISession", "getAPISession", api))]) as server,
        make_client(server, retry) as client,
        pytest.raises(TransportError) as caught,
    ):
        client.login()
    assert caught.value.reason == "insecure-endpoint"


def test_http_401_with_xml_body_is_parsed(retry) -> None:
    body = (
        b"<response><control><status>failure</status></control>"
        + error(
            "XMLGW_JPP0002", "Sign-in information is incorrect. Please check your request."
        ).encode()
        + b"</response>"
    )
    with (
        loopback([Step(401, body, XML)]) as server,
        make_client(server, retry) as client,
        pytest.raises(ControlError) as caught,
    ):
        client.login()
    assert caught.value.errornos == ("XMLGW_JPP0002",) and caught.value.http_status == 401
    assert len(server.received) == 1


def test_html_error_page_is_a_clear_transport_error(retry) -> None:
    page = b"<!DOCTYPE html><html><body><div id='cf-error-details'>Forbidden</div></body></html>"
    with (
        loopback([Step(403, page, {"Content-Type": "text/html"})]) as server,
        make_client(server, retry) as client,
        pytest.raises(TransportError) as caught,
    ):
        client.login()
    assert caught.value.reason == "html-page" and caught.value.http_status == 403


def test_batch_returns_one_outcome_per_function_by_control_id(gateway, retry) -> None:
    _, server = gateway
    writes = [
        fn.create("CUSTOMER", {"CUSTOMERID": f"C{i}", "NAME": "bad" if i == 2 else f"n{i}"})
        for i in range(4)
    ]
    with make_client(server, retry) as client:
        outcomes = client.batch(writes, transaction=False)
        client.batch(writes[:1], transaction=True)
    assert [o.control_id for o in outcomes] == [w.control_id for w in writes]
    assert [o.ok for o in outcomes] == [True, True, False, True]
    assert outcomes[2].errors[0].errorno == "BL01001973"
    operations = [etree.fromstring(r.body).find("operation") for r in server.received[1:]]
    assert [op.get("transaction") for op in operations] == ["false", "true"]


def test_read_by_query_pages_through_every_record(gateway, retry) -> None:
    _fake, server = gateway
    with make_client(server, retry) as client:
        reader = client.read_by_query("ARINVOICE", fields=["RECORDNO", "RECORDID"], pagesize=1000)
        progress = []
        ids = []
        for record in reader:
            ids.append(int(record["RECORDNO"]))
            if reader.fetched % 1000 == 0:
                progress.append(reader.progress)
    assert ids == list(range(1, 2501))
    assert progress == ["1000 of 2500", "2000 of 2500"]
    assert reader.pages == 3 and reader.total == 2500
    bodies = [
        etree.fromstring(r.body).find("operation/content/function")[0] for r in server.received[1:]
    ]
    assert [b.tag for b in bodies] == ["readByQuery", "readMore", "readMore"]
    assert bodies[1].findtext("resultId") == "rid-1000"


def test_query_pages_with_offset(gateway, retry) -> None:
    fake, server = gateway
    fake.records = 450
    with make_client(server, retry) as client:
        records = list(client.query("ARINVOICE", ["RECORDNO"], pagesize=200))
    assert len(records) == 450
    offsets = [
        etree.fromstring(r.body).findtext("operation/content/function/query/offset")
        for r in server.received[1:]
    ]
    assert offsets == ["0", "200", "400"]


def test_short_read_raises_a_clear_error(gateway, retry) -> None:
    fake, server = gateway
    fake.records, fake.lie_total = 1500, 2000
    with make_client(server, retry) as client:
        reader = client.read_by_query("ARINVOICE", pagesize=1000)
        with pytest.raises(ShortReadError) as caught:
            for _ in reader:
                pass
    assert reader.fetched == 1500
    assert "1500 of 2000" in str(caught.value)


def test_pages_come_one_whole_answer_at_a_time(gateway, retry) -> None:
    # The sync stores each page in one transaction as it iterates it: a page must arrive
    # before it is handed out, and say whether another follows once it has ended.
    _fake, server = gateway
    with make_client(server, retry) as client:
        reader = client.read_by_query("ARINVOICE", fields=["RECORDNO"], pagesize=1000)
        sizes, more, requests_while_reading = [], [], []
        for page in reader.by_page():
            sent = len(server.received)
            sizes.append(sum(1 for _ in page))
            requests_while_reading.append(len(server.received) - sent)
            more.append(reader.more)
    assert sizes == [1000, 1000, 500]
    assert more == [True, True, False]
    assert requests_while_reading == [0, 0, 0]
    assert reader.fetched == reader.total == 2500


def test_a_short_read_by_page_raises_after_the_whole_pages(gateway, retry) -> None:
    fake, server = gateway
    fake.records, fake.lie_total = 1500, 2000
    sizes = []
    with make_client(server, retry) as client:
        reader = client.read_by_query("ARINVOICE", pagesize=1000)
        with pytest.raises(ShortReadError, match="1500 of 2000"):
            for page in reader.by_page():
                sizes.append(sum(1 for _ in page))
    assert sizes == [1000, 500]


def test_secrets_never_reach_the_debug_log(
    gateway, retry, caplog: pytest.LogCaptureFixture
) -> None:
    _, server = gateway
    caplog.set_level(logging.DEBUG, logger="wizard.gateway")
    with make_client(server, retry) as client:
        client.login()
        client.call(fn.get_dimensions())
    assert "sess-1-x" not in caplog.text
    assert "sender-secret" not in caplog.text and "user-secret" not in caplog.text
    assert "getAPISession" in caplog.text  # the log is there, only the secrets are masked
    assert "sess-1-x" not in repr(client.session) and "secret" not in repr(CREDS)


@pytest.mark.parametrize("header", ["Wed, 21 Oct 2015 07:28:00 GMT", "soon", ""])
def test_unusable_retry_after_falls_back_to_backoff(header: str, retry, sleeps) -> None:
    api = "<data><api><sessionid>s-1</sessionid><endpoint></endpoint></api></data>"
    limited = Step(429, b"", {"Retry-After": header} if header else {})
    with (
        loopback([limited, respond(result("getAPISession", "getAPISession", api))]) as server,
        make_client(server, retry) as client,
    ):
        client.login()
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= retry.max_delay_s


def test_a_server_dripping_bytes_cannot_hold_a_call_forever(sleeps) -> None:
    policy = RetryPolicy(max_attempts=2, base_delay_s=0.01, sleep=sleeps.append)
    dripping = Step(200, b"<response>" + b" " * 400 + b"</response>", XML, drip_s=0.05)
    with (
        loopback([dripping]) as server,
        Client(CREDS, endpoint=server.url, timeout=1, retry=policy, total_timeout=0.3) as client,
        pytest.raises(TransportError) as caught,
    ):
        client.login()
    assert caught.value.reason == "timeout"
    assert len(server.received) == 2  # a read: tried again, then given up
