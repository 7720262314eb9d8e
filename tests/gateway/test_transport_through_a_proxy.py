"""The gateway client itself (what a sync uses) through a real CONNECT proxy to the sandbox over
TLS: a proxy sign-in and an untrusted certificate stop at once with their own fix, and the
right sign-in gets through. (The OS trust store is OpenSSL's SSL_CERT_FILE: see
tests/checks/test_corporate_network.py.)"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from tests.connect_proxy import ConnectProxy, sandbox_signed_by
from wizard.fixes import load_catalogue
from wizard.gateway import Client, Credentials, NetworkSettings, RetryPolicy, TransportError
from wizard.sandbox import Sandbox

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="only on Linux can a test point the OS trust store at a test CA (SSL_CERT_FILE)",
)

HOST = "intacct.transport.test"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA(organization_name="Transport Test CA")


@pytest.fixture(scope="module")
def sandbox(ca: trustme.CA) -> Iterator[Sandbox]:
    with sandbox_signed_by(ca, HOST) as running:
        yield running


def _client(sandbox: Sandbox, network: NetworkSettings) -> Client:
    c = sandbox.credentials
    credentials = Credentials(
        c.sender_id, c.sender_password, c.company_id, c.user_id, c.user_password
    )
    never_retry = RetryPolicy(max_attempts=3, base_delay_s=0.01, max_total_s=1.0)
    return Client(credentials, sandbox.endpoint, timeout=5, retry=never_retry, network=network)


def test_sign_in_through_the_proxy_and_its_refusals(
    sandbox: Sandbox, ca: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roots = tmp_path / "roots.pem"
    roots.write_bytes(ca.cert_pem.bytes())
    monkeypatch.setenv("SSL_CERT_FILE", str(roots))
    catalogue = load_catalogue()
    hosts = {HOST: ("127.0.0.1", sandbox.port)}
    with ConnectProxy(hosts=hosts, users={"jo": "right-pw"}) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        with (
            pytest.raises(TransportError) as refused,
            _client(sandbox, NetworkSettings(proxy_user="jo", proxy_password="wrong-pw")) as client,
        ):
            client.login()
        assert refused.value.reason == "proxy-sign-in"
        assert len(proxy.refused) == 1, "a proxy's 407 is not retried"
        assert catalogue.match(refused.value).id == "proxy-sign-in"
        assert "wrong-pw" not in str(refused.value)

        with _client(
            sandbox, NetworkSettings(proxy_user="jo", proxy_password="right-pw")
        ) as client:
            assert client.login().endpoint.startswith(f"https://{HOST}:")
            assert client.proxy_for().url == proxy.url
        assert {user for _, _, user in proxy.tunnels} == {"jo"}

        roots.write_bytes(trustme.CA().cert_pem.bytes())  # the company root is not there
        with (
            pytest.raises(TransportError) as untrusted,
            _client(sandbox, NetworkSettings(proxy_user="jo", proxy_password="right-pw")) as client,
        ):
            client.login()
        assert untrusted.value.reason == "certificate-untrusted"
        assert catalogue.match(untrusted.value).id == "network-certificate-untrusted"
