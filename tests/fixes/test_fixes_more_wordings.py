"""Fixes that had only two or three example wordings (or none but rule phrases), named in others.

Each fix below got more example wordings in resources/fixes/*.toml, in the words real software
uses: Intacct's SDKs and gateway, OAuth servers, proxies (Squid, WinHTTP, .NET, Java), TLS and
password-store libraries. These are two more per fix, written for this test (other words, a
vendor's wrapper, another program's phrasing), none a catalogue example or a held-out real text.
Without the new wordings most of them fall back to the generic answer or to another fix.
"""

from __future__ import annotations

import pytest

from tests.fixes.test_fixes_real_errors import example_copies, held_out_copies
from wizard.fixes import load_catalogue, match

MORE_WORDINGS: dict[str, list[str]] = {
    "record-owned-at-top-level": [
        "Update failed: the customer belongs to the top level, not to this entity",
        "Editing this top-level vendor from an entity is not allowed",
    ],
    "chart-of-accounts-not-syncing": [
        "The integration shows an empty list of GL accounts after import",
        "Our ledger accounts were never imported into the expense tool",
    ],
    "too-many-operations": [
        "Concurrency limit reached: too many simultaneous calls for the company",
        "Other requests for this company are still running, so this one was refused",
    ],
    "keyring-unavailable": [
        "SecItemCopyMatching failed: user interaction is not allowed (-25308)",
        "CredWrite failed: the logon session does not exist (Windows error 1312)",
    ],
    "vendor-on-hold": [
        "Bill rejected: vendor V-100 has been placed on hold",
        "Cannot pay this supplier while its hold is active",
    ],
    "term-missing": [
        "Unknown payment terms: 2/10 Net 30",
        "Term NET60 is not set up in Sage Intacct",
    ],
    "gl-account-restricted": [
        "Posting refused: account 5000 may not be used with department D-20 (restricted)",
        "Dimension restrictions on account 6100 do not permit location L-2",
    ],
    "document-sequence-missing": [
        "Vendor creation failed: no vendor ID was given and no numbering sequence is assigned",
        "Set up automatic numbering for customer IDs or send an ID with each new customer",
    ],
    "project-customer-mismatch": [
        "The customer on the line does not own the project",
        "Project and customer do not match on this invoice",
    ],
    "multi-currency-off": [
        "Transaction currency EUR is not allowed; multiple currencies are off",
        "Cannot post in USD: the company works in its base currency only",
    ],
    "connection-config-corrupt": [
        "The connector's stored settings for Sage Intacct are damaged and must be repaired by "
        "support",
        "Invalid configuration of the Intacct connection: contact the integration's support",
    ],
    "sender-credentials-invalid": [
        "Sender password was not provided in the configuration",
        "The partner password for our sender has changed and the gateway refuses it",
    ],
    "user-locked": [
        "Sign-in blocked: too many unsuccessful login attempts for this user",
        "Your user account is suspended; contact your company administrator",
    ],
    "company-expired": [
        "Sign-in refused: your trial of Sage Intacct has ended",
        "The evaluation company is past its end date",
    ],
    "rest-redirect-uri-mismatch": [
        "OAuth error: callback URL mismatch for this application",
        "Sign-in was refused: the redirection URI sent by the app is not one registered for it",
    ],
    "rest-token-refused": [
        "401 Unauthorized: the bearer token could not be decoded",
        "Authorization header is malformed (expected Bearer followed by the token)",
    ],
    "rest-sign-in-again": [
        "The authorization grant expired; the user has to sign in with Sage Intacct again",
        "Refresh failed: the refresh token is no longer valid because the app was authorised again",
    ],
    "rest-client-refused": [
        "Unknown client or wrong client secret at the token endpoint",
        "The app's client ID is inactive in this company",
    ],
    "proxy-sign-in": [
        "HttpRequestException: The proxy tunnel request to proxy 'http://10.0.0.1:3128/' failed "
        "with status code '407'.",
        "Squid: Cache Access Denied. You are not allowed to use this cache until you have "
        "authenticated yourself",
    ],
    "proxy-refused": [
        "The proxy tunnel request to proxy 'http://webgate:80/' failed with status code '403'.",
        "Access Denied: the access control configuration of the proxy prevents this request",
    ],
    "unreachable-through-proxy": [
        "The proxy tunnel request to proxy 'http://webgate:80/' failed with status code '502'.",
        "ERROR The requested URL could not be retrieved. While trying to retrieve "
        "https://api.intacct.com/ the proxy was unable to determine the IP address from the host "
        "name",
    ],
    "network-certificate-untrusted": [
        "tls: failed to verify certificate: x509: certificate signed by unknown authority (an "
        "inspecting proxy?)",
        "The certificate came from Zscaler Root CA, which is not among this computer's trusted "
        "roots",
    ],
    "proxy-auto-config": [
        "WinHTTP could not download the PAC script from the configuration URL",
        "ERROR_WINHTTP_UNABLE_TO_DOWNLOAD_SCRIPT while looking up the proxy",
    ],
    "network-settings-invalid": [
        "requests.exceptions.InvalidProxyURL: Please check proxy URL. It is malformed and could "
        "be missing the host.",
        "ssl.SSLError: [X509: NO_CERTIFICATE_OR_CRL_FOUND] no certificate or crl found "
        "(_ssl.c:4149)",
    ],
}


@pytest.mark.parametrize(
    ("fix_id", "text"),
    [(fix_id, text) for fix_id, texts in MORE_WORDINGS.items() for text in texts],
    ids=lambda v: str(v)[:50],
)
def test_a_fix_is_named_in_words_its_examples_do_not_use(fix_id: str, text: str) -> None:
    assert match(text).id == fix_id


def test_these_wordings_are_new() -> None:
    """Not a catalogue example, not a held-out text: otherwise the test above proves nothing."""
    assert all(len(texts) >= 2 for texts in MORE_WORDINGS.values())
    assert not example_copies(MORE_WORDINGS)
    assert not held_out_copies(MORE_WORDINGS)


def test_generic_wrappers_get_no_example_wordings() -> None:
    """ "Could not create X record" and the rollback marker only say that something else failed.

    An example wording would make them score like a cause: "Unable to create the bill record"
    beside a cause the matcher knows only by similarity would then name the wrapper (tried: the
    text below answered record-rejected with two such wordings).
    """
    catalogue = load_catalogue()
    wrapper_only = {
        fix.id
        for fix in catalogue.fixes
        if (rules := [r for r in catalogue.rules if r.fix_id == fix.id])
        and all(r.wrapper for r in rules)
    }
    assert wrapper_only == {"record-rejected", "transaction-rolled-back"}
    assert not [fix.id for fix in catalogue.fixes if fix.id in wrapper_only and fix.examples]
    text = "Unable to create the bill record. Class is needed for account 6000"
    assert match(text).id == "dimension-required"
