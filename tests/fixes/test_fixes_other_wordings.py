"""Fixes that once had no example wordings, named from wordings of their own.

Each fix below got example wordings in resources/fixes/*.toml; these are two more per fix,
written for this test (other words, a vendor's wrapper, another program's phrasing), none taken
from the catalogue or from the held-out real texts. Remove a fix's examples and most of its texts
here fall back to the generic answer.
"""

from __future__ import annotations

import pytest

from tests.fixes.test_fixes_real_errors import example_copies, held_out_copies
from wizard.fixes import match

OTHER_WORDINGS: dict[str, list[str]] = {
    "liability-account-entity-level": [
        "Export failed: reconciling the card needs a liability account, and those can only be "
        "made in an entity",
        "Cannot create credit card liability account at top level. Connect at entity level.",
    ],
    "chart-of-accounts-not-syncing": [
        "None of our general ledger accounts appear in the integration after the connection",
        "Sync error: the GL account list came back empty from Sage Intacct",
    ],
    "negative-lines-multi-entity": [
        "A bill with a negative line cannot contain lines from several entities because credits "
        "are limited to their owning entity",
        "Export failed: negative amount lines across more than one entity are not allowed",
    ],
    "charge-card-top-level": [
        "Export failed: card transactions must be posted inside an entity, the top level is not "
        "allowed",
        "Credit card charges cannot post at the top level of a multi-currency company",
    ],
    "udd-values-unavailable": [
        "Sync error: no values came back for custom dimension Fund",
        "Unable to read the values of user-defined dimension Grant",
    ],
    "audit-history-unavailable": [
        "Deleted Intacct bills are never removed from the connector",
        "The user may not read the audit history, so deletions are missed",
    ],
    "payment-batch-key": [
        "Export failed: the payment needs a summary because AR summaries are set to user specified",
        "Payment rejected: no summary given and the receivables summary frequency is user "
        "specified",
    ],
    "field-not-found": [
        "Query failed: CUSTOMFIELD7 is not a valid field for ARINVOICE",
        "Mapping error: custom field ORDER_REF does not exist on this object",
    ],
    "undeposited-funds-foreign-currency": [
        "A payment in EUR cannot be deposited to undeposited funds; only the base currency can",
        "Undeposited funds account accepts base currency payments only",
    ],
    "document-cannot-change": [
        "Update failed: the invoice is locked and can no longer be edited",
        "The bill is locked in Intacct and can no longer be updated",
    ],
    "payment-approval-on": [
        "Our payment sits unapproved until someone approves it in Sage Intacct",
        "Sent payments wait for approval before they are posted",
    ],
    "value-auto-filled": [
        "The location is set automatically from the employee and the value we sent differs",
        "Department is filled in automatically by Intacct, so the value sent is different",
    ],
    "document-definition-subtotal": [
        "Export failed: the transaction definition has no subtotal called Shipping",
        "Subtotal Discount is not defined in the document type Sales Invoice",
    ],
    "proxy-unreachable": [
        "requests.exceptions.ProxyError: HTTPSConnectionPool(host='api.intacct.com', port=443): "
        "Max retries exceeded (Caused by ProxyError('Unable to connect to proxy', "
        "NewConnectionError('Failed to establish a new connection: [Errno 111] Connection "
        "refused')))",
        "curl: (5) Could not resolve proxy: webproxy.example.local",
    ],
    "proxy-sign-in": [
        "System.Net.WebException: The remote server returned an error: (407) Proxy "
        "Authentication Required.",
        "The proxy server asked for a user name and password before letting the request through",
    ],
    "proxy-refused": [
        "Tunnel connection failed: 403 Forbidden (the proxy does not allow api.intacct.com)",
        "The web filtering policy of your organisation blocks access to this site",
    ],
    "unreachable-through-proxy": [
        "curl: (56) Received HTTP code 504 from proxy after CONNECT",
        "Tunnel connection failed: 502 Bad Gateway",
    ],
    "network-certificate-untrusted": [
        "The company's inspection proxy re-signed the connection with a certificate this "
        "computer does not trust",
        "A firewall inspecting HTTPS signed the connection with its own certificate, which is "
        "not trusted here",
    ],
    "proxy-auto-config": [
        "This computer gets its proxy from a PAC script",
        "Proxy settings come from WPAD automatic detection",
    ],
    "network-settings-invalid": [
        "The proxy address given is not valid: it needs a port",
        "The proxy address of this connection is not valid: it has no port",
    ],
    "rest-client-refused": [
        "error=invalid_client error_description=Client authentication failed",
        "The client application is not on the authorised list for this company",
    ],
    "rest-redirect-uri-mismatch": [
        "error=invalid_request: redirect_uri does not match a registered redirect address",
        "The callback URL of the app is not registered",
    ],
    "rest-sign-in-again": [
        "error=invalid_grant: the refresh token has been revoked",
        "The refresh token was revoked; sign in with Sage Intacct again",
    ],
    "rest-token-refused": [
        "Intacct rejected the access token it had just issued",
        "The access token is not yet valid; check the clock on this computer",
    ],
    "user-not-web-services-only": [
        "Connect with a Web Services only user: the user given is an interactive user",
        "API sign-in failed: the user signs in with single sign-on",
    ],
    "company-id-whitespace": [
        "Sign-in failed: a leading space was typed before the company ID",
        "There is an extra blank space at the end of the company ID",
    ],
    "console-id-used": [
        "Sign-in failed: enter the client company's ID, not the console ID",
        "The practice console ID cannot be used to connect the client company",
    ],
    "reconnect-integration": [
        "The Sage Intacct connection has stopped working. Please disconnect and reconnect",
        "Your connection to Sage Intacct must be re-established before the next sync",
    ],
}


@pytest.mark.parametrize(
    ("fix_id", "text"),
    [(fix_id, text) for fix_id, texts in OTHER_WORDINGS.items() for text in texts],
    ids=lambda v: str(v)[:50],
)
def test_a_fix_is_named_in_words_its_examples_do_not_use(fix_id: str, text: str) -> None:
    assert match(text).id == fix_id


def test_these_wordings_are_new() -> None:
    """Not a catalogue example, not a held-out text: otherwise the test above proves nothing."""
    assert all(len(texts) >= 2 for texts in OTHER_WORDINGS.values())
    assert not example_copies(OTHER_WORDINGS)
    assert not held_out_copies(OTHER_WORDINGS)
