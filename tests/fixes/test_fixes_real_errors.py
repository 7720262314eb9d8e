"""Real error texts (tests/fixes/real_errors.json) and the error families the matcher must know.

The held-out third of real_errors.json is never used to write a rule, an example or a
threshold: these tests check the split is the one committed, that no catalogue wording copies a
held-out text, and that the wordings below (written for these tests, none from the held-out
set) get their fix. Accuracy on the real texts is measured by tests/benchmarks/bench_explain.py.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from wizard.fixes import load_catalogue, match
from wizard.fixes.catalogue import CatalogueError
from wizard.fixes.similarity import ExampleIndex
from wizard.fixes.wording import content_words

DATA = Path(__file__).with_name("real_errors.json")
ITEMS = json.loads(DATA.read_text(encoding="utf-8"))["items"]
HELD_OUT = [item for item in ITEMS if item["split"] == "heldout"]
# sha256 of "id<TAB>text<TAB>fix" of the held-out items, one per line, as committed.
HELD_OUT_SHA256 = "6765636ca446d917675a9b0eecd546ec587162d738500e61d557d8853332745e"


def test_the_held_out_split_is_the_committed_one() -> None:
    lines = "\n".join(f"{i['id']}\t{i['text']}\t{i['fix']}" for i in HELD_OUT)
    assert hashlib.sha256(lines.encode()).hexdigest() == HELD_OUT_SHA256
    assert len(HELD_OUT) >= 50
    assert len(ITEMS) >= 150
    # The third was drawn from the first collection; texts added later all train.
    first = [item for item in ITEMS if item.get("batch", 1) == 1]
    assert abs(len(HELD_OUT) / len(first) - 1 / 3) < 0.01
    assert all(item["split"] == "train" for item in ITEMS if item.get("batch", 1) != 1)


def test_every_item_has_a_source_and_a_known_fix() -> None:
    catalogue = load_catalogue()
    assert len({item["id"] for item in ITEMS}) == len(ITEMS)
    for item in ITEMS:
        assert item["source"].strip(), item["id"]
        assert catalogue.get(item["fix"]).id == item["fix"]
        assert item["split"] in {"train", "heldout"}


def _near_copy(a: str, b: str) -> bool:
    words_a, words_b = " ".join(content_words(a)), " ".join(content_words(b))
    return bool(words_a and words_b) and fuzz.ratio(words_a, words_b) >= 90


def test_no_catalogue_example_copies_a_held_out_text() -> None:
    assert not held_out_copies({fix.id: list(fix.examples) for fix in load_catalogue().fixes})


# --- the families the matcher must know, each in at least three wordings -----------------------

FAMILIES: dict[str, list[str]] = {
    "host-not-found": [
        "System.Net.Http.HttpRequestException: No such host is known. (api.intacct.com:443)",
        "curl: (6) Could not resolve host: api.intacct.com",
        "Error: getaddrinfo EAI_AGAIN api.intacct.com at GetAddrInfoReqWrap.onlookupall",
        "httpx.ConnectError: [Errno -2] Name or service not known",
        "URLError: <urlopen error [Errno 8] nodename nor servname provided, or not known>",
        "socket.gaierror: [Errno 11004] getaddrinfo failed",
    ],
    "endpoint-unreachable": [
        "Error: connect EHOSTUNREACH 10.0.0.5:443",
        "OSError: [Errno 113] No route to host",
        "requests.exceptions.ConnectionError: ('Connection aborted.', OSError(101, 'Network is "
        "unreachable'))",
    ],
    "network-timeout": [
        "Error: connect ETIMEDOUT 13.224.1.2:443",
        "System.Net.WebException: The operation has timed out.",
        "HTTPSConnectionPool(host='api.intacct.com', port=443): Read timed out. (read timeout=60)",
        "The request timed out while waiting for api.intacct.com",
        "Error: ESOCKETTIMEDOUT while reading the gateway answer",
    ],
    "reference-not-found": [
        "The customer 'C-204' is invalid.",
        "Project 'P-12' specified is not valid",
        "The warehouse 'WH-9' is invalid",
    ],
    "connection-dropped": [
        "Error: read ECONNRESET at TCP.onStreamRead (node:internal/stream_base_commons:217:20)",
        "ConnectionResetError: [Errno 104] Connection reset by peer",
        "Error: socket hang up while posting to the Intacct gateway",
        "System.IO.IOException: Unable to read data from the transport connection: An existing "
        "connection was forcibly closed by the remote host.",
    ],
    "secure-connection-failed": [
        "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate in "
        "certificate chain (_ssl.c:1006)",
        "AuthenticationException: The remote certificate is invalid according to the validation "
        "procedure: RemoteCertificateChainErrors",
        "curl: (60) SSL certificate problem: certificate has expired",
        "javax.net.ssl.SSLHandshakeException: PKIX path building failed",
        "Error: unable to verify the first certificate (UNABLE_TO_VERIFY_LEAF_SIGNATURE)",
        "Hostname/IP does not match certificate's altnames: Host: api.intacct.com",
    ],
    "html-page-instead-of-answer": [
        "SyntaxError: Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON",
        "Expected XML from the gateway but received text/html (a login page)",
        "The server answered with a web page (HTTP 200) instead of a gateway response",
    ],
    "malformed-response": [
        "IntacctException: Control block is missing controlid element",
        "Intacct.SDK.Exceptions.IntacctException: Authentication block is missing companyid "
        "element",
        "lxml.etree.XMLSyntaxError: Premature end of data in tag response, line 12",
        # an XML parser's own words for an answer it could not read
        "ParseError: not well-formed (invalid token): line 3, column 12",
        "Warning: simplexml_load_string(): Entity: line 1: parser error : Extra content at the "
        "end of the document",
        "Error: Unexpected close tag Line: 2 Column: 17 Char: >",
    ],
    "query-field-not-queryable": [
        "XL03000006 The following fields cannot be queried: [ vendor: [DISPLAYCONTACT.EMAIL1] ]",
        "Field 'RECORDURL' cannot be used in query on object GLBATCH",
        "Query failed: WHENPAID is not queryable",
    ],
    "module-not-subscribed": [
        "The Inventory Control application is not subscribed for this company",
        "This feature is disabled for your company: Contracts",
        "You need to subscribe to the Projects module to read PROJECT records",
    ],
    "period-closed": [
        "The period for 01/31/2026 is closed.",
        "GL posting date 2025-12-15 falls in a closed period; choose a date in an open period",
        "Books are closed through 12/31/2025. Reopen the period or change the date",
    ],
    "permission-missing": [
        "User ws_sync is not authorized to perform this action on APBILL",
        "Insufficient privileges: CREATE on VENDOR is not permitted for this user",
        "Permission denied for the Web Services user on GLACCOUNT",
    ],
    "user-credentials-invalid": [
        "Company ID ACME-CO could not be authenticated",
        "Login failed for user ws_sync: invalid credentials",
        "Intacct - Incorrect ID or password",
    ],
}


@pytest.mark.parametrize(
    ("fix_id", "text"),
    [(fix_id, text) for fix_id, texts in FAMILIES.items() for text in texts],
    ids=lambda v: str(v)[:50],
)
def test_each_family_is_named_however_it_is_worded(fix_id: str, text: str) -> None:
    assert match(text).id == fix_id


def held_out_copies(wordings: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(fix id, wording) for each of the wordings that nearly copies a held-out text.

    Only our own wording is named, never the held-out item it resembles: a failing test must not
    show anything of the held-out set.
    """
    return [
        (fix_id, text)
        for fix_id, texts in wordings.items()
        for text in texts
        if any(_near_copy(text, item["text"]) for item in HELD_OUT)
    ]


def example_copies(wordings: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(fix id, wording) for each of the wordings that nearly copies an example of its own fix.

    A test wording that is an example proves nothing about other wordings.
    """
    examples = {fix.id: fix.examples for fix in load_catalogue().fixes}
    return [
        (fix_id, text)
        for fix_id, texts in wordings.items()
        for text in texts
        if any(_near_copy(text, example) for example in examples[fix_id])
    ]


def test_family_wordings_are_not_taken_from_the_held_out_set() -> None:
    assert all(len(texts) >= 3 for texts in FAMILIES.values())
    assert not held_out_copies(FAMILIES)


# Error numbers as each system documents them (Winsock, errno, NSURLError), without their words.
OS_ERROR_NUMBERS = [
    ("System.Net.Sockets.SocketException (11001)", "host-not-found"),
    ("ConnectionResetError: [WinError 10054]", "connection-dropped"),
    ("OSError: [Errno 110] (while posting to the gateway)", "network-timeout"),
    ("TimeoutError: [WinError 10060]", "network-timeout"),
    ("ConnectionRefusedError: [Errno 111]", "endpoint-unreachable"),
    ("Error Domain=NSURLErrorDomain Code=-1009", "endpoint-unreachable"),
    ("Error Domain=NSURLErrorDomain Code=-1005", "connection-dropped"),
    ("Error Domain=NSURLErrorDomain Code=-1202", "secure-connection-failed"),
]


@pytest.mark.parametrize(("text", "fix_id"), OS_ERROR_NUMBERS, ids=lambda v: str(v)[:40])
def test_operating_system_error_numbers_alone_are_known(text: str, fix_id: str) -> None:
    assert match(text).id == fix_id


# --- wrappers, generic codes and honest answers --------------------------------------------------


def test_wrapper_plus_cause_names_the_cause() -> None:
    text = (
        "Export failed: Result status: failure for Control ID: 1a2b3c4d - BL03000018 The period "
        "for 01/31/2026 is closed. [Support ID: Ab12Cd%7E] - BL01001973 Currently, we can't "
        "create the transaction. Check the transaction for errors or inconsistencies, then try "
        "again."
    )
    fix = match(text)
    assert fix.id == "period-closed"
    assert fix.support_id == "Ab12Cd~"


def test_wrappers_alone_are_not_a_confident_answer() -> None:
    fix = match("Result status: failure for Control ID: 9f8e7d6c")
    assert fix.is_generic
    assert not fix.confident


def test_a_specific_description_beats_the_generic_code_beside_it() -> None:
    assert match("XL03000006").id == "credentials-rejected"
    described = match("XL03000006 Field 'CUSTOMFIELD9' cannot be used in query")
    assert described.id == "query-field-not-queryable"


def test_an_unknown_error_is_not_dressed_up_as_a_known_one() -> None:
    fix = match("The quantum flux regulator rejected batch 42 for no reason at all")
    assert fix.is_generic
    assert not fix.alternatives


def test_no_confident_wrong_answer_on_the_real_texts() -> None:
    catalogue = load_catalogue()
    wrong_and_sure = [
        item["id"]
        for item in ITEMS
        if (fix := catalogue.match(item["text"])).id != item["fix"] and fix.confident
    ]
    assert len(wrong_and_sure) <= 0.02 * len(ITEMS), wrong_and_sure


def test_close_scores_give_the_runner_up_and_no_confident_answer(tmp_path: Path) -> None:
    (tmp_path / "fixes.toml").write_text(
        """
[[fix]]
id = "widget-limit-company"
title = "Too many widgets for the company"
cause = "The company has reached its widget limit."
steps = ["Remove widgets."]
who = "An administrator."
examples = ["The widget count exceeds the limit set for this company"]

[[fix]]
id = "widget-limit-user"
title = "Too many widgets for the user"
cause = "The user has reached their widget limit."
steps = ["Ask for more widgets."]
who = "An administrator."
examples = ["The widget count exceeds the limit set for this user"]

[[fix]]
id = "unrecognised-error"
title = "Unknown"
cause = "Not known."
steps = ["Ask support."]
who = "Anyone."
""",
        encoding="utf-8",
    )
    catalogue = load_catalogue(tmp_path)
    fix = catalogue.match("Widget count exceeds the limit")
    assert fix.id in {"widget-limit-company", "widget-limit-user"}
    assert [alt.id for alt in fix.alternatives] == sorted(
        {"widget-limit-company", "widget-limit-user"} - {fix.id}
    )
    assert not fix.confident
    clear = catalogue.match("The widget count exceeds the limit set for this user")
    assert clear.id == "widget-limit-user" and clear.confident and not clear.alternatives


# --- how the examples are compared ------------------------------------------------------------


def test_a_word_many_fixes_share_says_less_than_a_word_of_one_fix() -> None:
    index = ExampleIndex(
        {"a": ["alpha common"], "b": ["beta common"], "c": ["gamma common"], "d": ["delta common"]}
    )
    telling = index.scores("alpha zeta").get("a", 0.0)
    shared = index.scores("common zeta").get("a", 0.0)
    assert telling > shared


_SAME_MEANING_CATALOGUE = """
[[fix]]
id = "gizmo-not-subscribed"
title = "Gizmos are not subscribed"
cause = "The company has no gizmo subscription."
steps = ["Subscribe to gizmos."]
who = "An administrator."
examples = ["The gizmo is offline"]

[[fix]]
id = "unrecognised-error"
title = "Unknown"
cause = "Not known."
steps = ["Ask support."]
who = "Anyone."
"""


def test_words_that_mean_the_same_are_compared_as_one(tmp_path: Path) -> None:
    (tmp_path / "fixes.toml").write_text(_SAME_MEANING_CATALOGUE, encoding="utf-8")
    text = "Gizmo unavailable"
    assert load_catalogue(tmp_path).match(text).is_generic
    (tmp_path / "matching.toml").write_text(
        '[[same_meaning]]\nwords = ["offline", "unavailable"]\n', encoding="utf-8"
    )
    assert load_catalogue(tmp_path).match(text).id == "gizmo-not-subscribed"


def test_a_word_in_two_same_meaning_groups_is_refused(tmp_path: Path) -> None:
    (tmp_path / "fixes.toml").write_text(_SAME_MEANING_CATALOGUE, encoding="utf-8")
    (tmp_path / "matching.toml").write_text(
        '[[same_meaning]]\nwords = ["closed", "shut"]\n'
        '[[same_meaning]]\nwords = ["closing", "ended"]\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match="already in another group"):
        load_catalogue(tmp_path)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("invoice", "invoices"),
        ("value", "values"),
        ("require", "required"),
        ("privilege", "privileges"),
        ("entity", "entities"),
        ("company", "companies"),
    ],
)
def test_a_word_meets_its_plural_and_past(one: str, other: str) -> None:
    """An error worded in the plural still meets an example in the singular."""
    assert content_words(one) == content_words(other)


@pytest.mark.parametrize("text", ["Connection timed out", "Read time-out", "The request timed out"])
def test_timed_out_is_one_word_however_it_is_written(text: str) -> None:
    assert "timeout" in content_words(text)
    assert match(text).id == "network-timeout"


def test_a_time_of_day_is_not_a_timeout() -> None:
    """ "timed" stems to "time"; compared as "timeout", any text about a time looked like one."""
    assert "timeout" not in content_words("Two users changed the bill at the same time")
    assert match("Two users changed the bill at the same time").id != "network-timeout"
