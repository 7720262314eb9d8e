"""Network failures in the words of every runtime an integration is written in.

Java (UnknownHostException, SocketTimeoutException, PKIX), Go (dial tcp, i/o timeout, context
deadline exceeded, x509), Ruby (Net::OpenTimeout, Errno::ECONNRESET), PHP's curl error numbers,
.NET (WinHttpException, SslStream's AuthenticationException), Python (gaierror, RemoteDisconnected,
urllib3), Node (EPIPE, undici's "fetch failed"), Apple's NSURLErrorDomain and the browsers' ERR_*
names. The wordings are the runtimes' documented messages with Intacct's host put in, written
for this test; none is a catalogue example or a held-out text. Before the patterns added with
this test (resources/fixes/network.toml, gateway.toml, the HTTP status reader in
wizard/fixes/rules.py) 21 of them got the generic answer or another fix, among them
SslStream's "Authentication failed because the remote party has closed the transport stream",
which was taken for a wrong password.
"""

from __future__ import annotations

import pytest

from tests.fixes.test_fixes_real_errors import example_copies, held_out_copies
from wizard.fixes import match

RUNTIME_WORDINGS: dict[str, list[str]] = {
    # HTTP statuses as each library reports them: Guzzle, requests, .NET, axios, urllib.
    "service-unavailable": [
        "Server error: `POST https://api.intacct.com/ia/xml/xmlgw.phtml` resulted in a "
        "`503 Service Unavailable` response",
        "requests.exceptions.HTTPError: 502 Server Error: Bad Gateway for url: "
        "https://api.intacct.com/ia/xml/xmlgw.phtml",
        "Response status code does not indicate success: 503 (Service Unavailable).",
        "urllib.error.HTTPError: HTTP Error 503: Service Unavailable",
        "The remote server returned an error: (503) Server Unavailable.",
        "HTTP/1.1 504 Gateway Time-out",
    ],
    "rate-limited": [
        "Request failed with status code 429",
        "Response status code does not indicate success: 429 (Too Many Requests).",
        "The remote server returned an error: (429).",
        "HTTP Error 429",
    ],
    "host-not-found": [
        "java.net.UnknownHostException: api.intacct.com",
        "dial tcp: lookup api.intacct.com on 127.0.0.53:53: no such host",
        "socket.gaierror: [Errno -2] Name or service not known",
        "System.Net.Http.HttpRequestException: Name or service not known (api.intacct.com:443)",
        "curl: (6) Could not resolve host: api.intacct.com",
        "The server name or address could not be resolved",
        "DNS_PROBE_FINISHED_NXDOMAIN",
        "Failed to resolve 'api.intacct.com' ([Errno 11001] getaddrinfo failed)",
        "WinHttpException: The server name or address could not be resolved",
    ],
    "network-timeout": [
        "java.net.SocketTimeoutException: Read timed out",
        "java.net.ConnectException: Connection timed out: connect",
        "net/http: request canceled (Client.Timeout exceeded while awaiting headers)",
        "context deadline exceeded",
        "dial tcp 52.1.2.3:443: i/o timeout",
        "cURL error 28: Operation timed out after 30001 milliseconds with 0 bytes received",
        "Net::ReadTimeout",
        "Net::OpenTimeout: execution expired",
        "urllib3.exceptions.ConnectTimeoutError: Connection to api.intacct.com timed out. "
        "(connect timeout=10)",
        "Error: timeout of 30000ms exceeded",
        "UND_ERR_CONNECT_TIMEOUT: Connect Timeout Error",
        "ETIMEDOUT",
        'NSURLErrorDomain Code=-1001 "The request timed out."',
        "WinHttpException: The operation timed out",
    ],
    "connection-dropped": [
        "java.net.SocketException: Connection reset",
        "read tcp 10.0.0.2:50000->52.1.2.3:443: read: connection reset by peer",
        "cURL error 56: Recv failure: Connection reset by peer",
        "cURL error 52: Empty reply from server",
        "http.client.RemoteDisconnected: Remote end closed connection without response",
        "('Connection aborted.', RemoteDisconnected('Remote end closed connection without "
        "response'))",
        "Error: write EPIPE",
        "Errno::ECONNRESET: Connection reset by peer",
        "The underlying connection was closed: An unexpected error occurred on a receive.",
        "unexpected EOF",
        "IOException: Unable to read data from the transport connection: Connection reset by peer.",
        'NSURLErrorDomain Code=-1005 "The network connection was lost."',
        "java.io.EOFException: \\n not found: limit=0 content=…",
        "Broken pipe",
    ],
    "endpoint-unreachable": [
        "java.net.ConnectException: Connection refused",
        "dial tcp 52.1.2.3:443: connect: connection refused",
        "curl: (7) Failed to connect to api.intacct.com port 443: Connection refused",
        "Errno::ECONNREFUSED: Connection refused - connect(2)",
        "Error: connect ENETUNREACH 52.1.2.3:443",
        'NSURLErrorDomain Code=-1009 "The Internet connection appears to be offline."',
        "java.net.NoRouteToHostException: No route to host",
        "connect: no route to host",
        "TypeError: fetch failed",
        "ERR_INTERNET_DISCONNECTED",
    ],
    "secure-connection-failed": [
        "javax.net.ssl.SSLHandshakeException: PKIX path building failed: "
        "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid "
        "certification path to requested target",
        "x509: certificate has expired or is not yet valid",
        "tls: handshake failure",
        "remote error: tls: protocol version not supported",
        "cURL error 35: error:14094410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure",
        "OpenSSL::SSL::SSLError: SSL_connect returned=1 errno=0 state=error: certificate verify "
        "failed",
        "ssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1131)",
        "SSL: TLSV1_ALERT_PROTOCOL_VERSION",
        "Error: self signed certificate in certificate chain",
        "SELF_SIGNED_CERT_IN_CHAIN",
        'NSURLErrorDomain Code=-1200 "An SSL error has occurred and a secure connection to the '
        'server cannot be made."',
        "System.Security.Authentication.AuthenticationException: Authentication failed because "
        "the remote party has closed the transport stream.",
        "curl: (60) SSL certificate problem: unable to get local issuer certificate",
        "sun.security.validator.ValidatorException: PKIX path building failed",
        "javax.net.ssl.SSLException: Received fatal alert: protocol_version",
        "ERR_CERT_DATE_INVALID",
    ],
    "html-page-instead-of-answer": [
        "Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON",
        "The response was an HTML page, not XML",
        "Content-Type text/html is not a valid XML response",
    ],
}


@pytest.mark.parametrize(
    ("fix_id", "text"),
    [(fix_id, text) for fix_id, texts in RUNTIME_WORDINGS.items() for text in texts],
    ids=lambda v: str(v)[:50],
)
def test_a_network_failure_is_named_in_any_runtime_s_words(fix_id: str, text: str) -> None:
    assert match(text).id == fix_id


def test_these_wordings_are_not_examples_or_held_out_texts() -> None:
    assert all(len(texts) >= 3 for texts in RUNTIME_WORDINGS.values())
    assert not example_copies(RUNTIME_WORDINGS)
    assert not held_out_copies(RUNTIME_WORDINGS)
