"""The wizard's own connection failures reach the fix for their cause, over real sockets.

The gateway transport passes what the operating system said (redacted) into the error it
raises, so the catalogue can tell a name that cannot be looked up from a refused port.
"""

from __future__ import annotations

import socket

import pytest

from wizard.fixes import match
from wizard.gateway.errors import TransportError
from wizard.gateway.network import NetworkSettings, ProxyMode
from wizard.gateway.transport import RetryPolicy, Transport


def _failure(url: str) -> TransportError:
    no_proxy = NetworkSettings(proxy_mode=ProxyMode.NONE)
    policy = RetryPolicy(max_attempts=1, sleep=lambda _: None)
    with (
        Transport(timeout=5, retry=policy, network=no_proxy) as transport,
        pytest.raises(TransportError) as raised,
    ):
        transport.post(url, b"<request/>")
    return raised.value


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_refused_port_and_an_unknown_host_name_reach_different_fixes() -> None:
    refused = _failure(f"http://127.0.0.1:{_closed_port()}/ia/xml/xmlgw.phtml")
    # .invalid is reserved (RFC 2606): no name server may ever answer it.
    unknown = _failure("https://gateway.wizard-test.invalid/ia/xml/xmlgw.phtml")

    assert refused.reason == unknown.reason == "connection"
    assert "refused" in str(refused).lower()
    assert match(refused).id == "endpoint-unreachable"
    assert match(unknown).id == "host-not-found"
    assert match(unknown).confident


def test_the_rest_transport_names_the_cause_too() -> None:
    from wizard.rest.errors import RestError
    from wizard.rest.transport import RestTransport

    policy = RetryPolicy(max_attempts=1, sleep=lambda _: None)
    failures = []
    for url in (
        f"http://127.0.0.1:{_closed_port()}/ia/api/v1/objects",
        "https://rest.wizard-test.invalid/ia/api/v1/objects",
    ):
        transport = RestTransport(
            timeout=5, retry=policy, network=NetworkSettings(proxy_mode=ProxyMode.NONE)
        )
        try:
            with pytest.raises(RestError) as raised:
                transport.send("GET", url, writes=False)
        finally:
            transport.close()
        failures.append(raised.value)
    refused, unknown = failures
    assert match(refused).id == "endpoint-unreachable"
    assert match(unknown).id == "host-not-found"
