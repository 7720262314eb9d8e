"""A company network over real loopback sockets: a CONNECT proxy in front of the sandbox,
served over TLS with a company CA (trustme), as a finance admin's office network does it.

"The OS trust store" here is the one the tests can point the process at without
administrator rights: on Linux, truststore verifies with OpenSSL's default paths, which the
SSL_CERT_FILE variable sets. The test CA goes only there: not in certifi, not in the
connection's settings. (On Windows and macOS truststore asks the system's own store, which a
test cannot change without an administrator; these tests skip there.)

The sandbox is reached by the name intacct.sandbox.test, which only the proxy resolves (the
company's DNS); the NO_PROXY test adds it to this computer's resolver, as a hosts-file entry
would.
"""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from cryptography import x509
from cryptography.x509.oid import NameOID
from diagnose_helpers import MakeContext

from tests.connect_proxy import ConnectProxy, sandbox_signed_by
from wizard.checks import Runner
from wizard.checks.connect import demo_profile
from wizard.cli import main
from wizard.connection import NetworkChoices, ProfileStore, Secrets
from wizard.gateway import ProxyMode
from wizard.gateway.autoconfig import AutoConfig
from wizard.sandbox import Sandbox

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="only on Linux can a test point the OS trust store at a test CA (SSL_CERT_FILE)",
)

HOST = "intacct.sandbox.test"
PROFILE = "Office"


@pytest.fixture(scope="module")
def company_ca() -> trustme.CA:
    return trustme.CA(organization_name="Acme Corp IT")


@pytest.fixture(scope="module")
def tls_sandbox(company_ca: trustme.CA) -> Iterator[Sandbox]:
    with sandbox_signed_by(company_ca, HOST) as sandbox:
        yield sandbox


@pytest.fixture
def os_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The process's system trust store (OpenSSL's SSL_CERT_FILE), empty but for what's added."""
    store = tmp_path / "system-roots.pem"
    store.write_bytes(trustme.CA(organization_name="Some Public Root").cert_pem.bytes())
    monkeypatch.setenv("SSL_CERT_FILE", str(store))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    return store


def _install(store: Path, ca: trustme.CA) -> None:
    """What IT does: add the company root to the system's store."""
    store.write_bytes(store.read_bytes() + ca.cert_pem.bytes())


def _save_profile(
    sandbox: Sandbox, network: NetworkChoices | None = None, proxy_password: str = ""
) -> None:
    creds = sandbox.credentials
    profile = demo_profile(sandbox.endpoint, creds.sender_id, creds.company_id, creds.user_id)
    store = ProfileStore()
    store.save(profile.replace(name=PROFILE, network=network or NetworkChoices()))
    store.secrets.save(PROFILE, Secrets(creds.sender_password, creds.user_password, proxy_password))


def _diagnose(capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, dict[str, str]]]:
    status = main(["diagnose", "--profile", PROFILE, "--json", "--no-test-posting"])
    data = json.loads(capsys.readouterr().out)
    return status, {f["check"]: f for f in data["findings"]}


def test_behind_the_proxy_with_the_company_root_in_the_os_store_diagnose_and_sync_pass(
    tls_sandbox: Sandbox,
    company_ca: trustme.CA,
    os_store: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _install(os_store, company_ca)
    with ConnectProxy(hosts={HOST: ("127.0.0.1", tls_sandbox.port)}) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        _save_profile(tls_sandbox)
        status, findings = _diagnose(capsys)
        reachable = findings["endpoint-reachable"]
        assert reachable["status"] == "pass", reachable
        assert status == 0, {c: f["evidence"] for c, f in findings.items() if f["status"] != "pass"}
        assert proxy.url in reachable["evidence"]
        assert "HTTPS_PROXY" in reachable["evidence"]
        assert str(os_store) in reachable["evidence"]  # the trust store that was used
        assert findings["user-sign-in"]["status"] == "pass"

        assert main(["sync", "--profile", PROFILE, "--json"]) == 0
        summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
        assert summary["status"] == "succeeded" and not summary["pull_failures"], summary
        assert sum(p["fetched"] for p in summary["pulled"].values()) > 0, summary
        # Every request went through the tunnel, to the name only the proxy resolves.
        assert proxy.tunnels and {t[0] for t in proxy.tunnels} == {HOST}


def test_a_proxy_sign_in_is_asked_for_then_taken_from_the_keyring(
    tls_sandbox: Sandbox,
    company_ca: trustme.CA,
    os_store: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _install(os_store, company_ca)
    users = {"jo.admin": "right-Proxy-pw"}
    with ConnectProxy(hosts={HOST: ("127.0.0.1", tls_sandbox.port)}, users=users) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        signed = NetworkChoices(proxy_user="jo.admin")
        _save_profile(tls_sandbox, signed, proxy_password="wrong-Proxy-pw")
        status, findings = _diagnose(capsys)
        assert status == 1
        assert findings["endpoint-reachable"]["fix_id"] == "proxy-sign-in"
        assert "407" in findings["endpoint-reachable"]["evidence"]
        assert "jo.admin" in findings["endpoint-reachable"]["evidence"]
        assert "Basic" in findings["endpoint-reachable"]["evidence"]  # what the proxy asks for
        assert not proxy.tunnels

        # The admin types the right proxy password; it is kept in the keyring.
        _save_profile(tls_sandbox, signed, proxy_password="right-Proxy-pw")
        status, findings = _diagnose(capsys)
        assert findings["endpoint-reachable"]["status"] == "pass"
        assert status == 0
        assert {user for _, _, user in proxy.tunnels} == {"jo.admin"}


def test_a_company_root_missing_from_the_os_store_is_named(
    tls_sandbox: Sandbox,
    company_ca: trustme.CA,
    os_store: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ca_names = x509.load_pem_x509_certificate(company_ca.cert_pem.bytes()).subject
    unit = ca_names.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value
    with ConnectProxy(hosts={HOST: ("127.0.0.1", tls_sandbox.port)}) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        _save_profile(tls_sandbox)
        status, findings = _diagnose(capsys)
    assert status == 1
    reachable = findings["endpoint-reachable"]
    assert reachable["fix_id"] == "network-certificate-untrusted"
    assert f"issued by “{unit}” (Acme Corp IT)" in reachable["evidence"]
    assert proxy.url in reachable["evidence"]
    # Nothing past the handshake was sent: the sign-in was never tried.
    assert findings["user-sign-in"]["status"] == "skipped"

    # The extra CA file of the connection's settings is the way out when the store can't be.
    ca_file = os_store.parent / "company-root.pem"
    ca_file.write_bytes(company_ca.cert_pem.bytes())
    with ConnectProxy(hosts={HOST: ("127.0.0.1", tls_sandbox.port)}) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        _save_profile(tls_sandbox, NetworkChoices(extra_ca_file=str(ca_file)))
        status, findings = _diagnose(capsys)
    assert findings["endpoint-reachable"]["status"] == "pass"
    assert status == 0


def test_no_proxy_reaches_intacct_directly(
    tls_sandbox: Sandbox,
    company_ca: trustme.CA,
    os_store: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _install(os_store, company_ca)
    real = socket.getaddrinfo

    def hosts_file(host: object, *args: object, **kwargs: object) -> object:
        return real("127.0.0.1" if host == HOST else host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", hosts_file)
    with ConnectProxy(hosts={HOST: ("127.0.0.1", tls_sandbox.port)}) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", f"localhost,{HOST}")
        _save_profile(tls_sandbox)
        status, findings = _diagnose(capsys)
        assert findings["endpoint-reachable"]["status"] == "pass"
        assert "NO_PROXY" in findings["endpoint-reachable"]["evidence"]
        assert status == 0
        assert proxy.tunnels == [] and proxy.refused == []


@pytest.mark.parametrize(
    ("case", "fix_id", "said"),
    [
        ("forbidden", "proxy-refused", "403"),
        ("unknown-host", "unreachable-through-proxy", "502"),
        ("proxy-down", "proxy-unreachable", "did not accept a connection"),
        ("manual-no-proxy", "endpoint-unreachable", "No proxy was used"),
    ],
)
def test_each_break_in_the_path_gets_its_own_fix(
    tls_sandbox: Sandbox,
    company_ca: trustme.CA,
    os_store: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: str,
    fix_id: str,
    said: str,
) -> None:
    _install(os_store, company_ca)
    hosts = {} if case == "unknown-host" else {HOST: ("127.0.0.1", tls_sandbox.port)}
    forbidden = frozenset({HOST}) if case == "forbidden" else frozenset()
    network = NetworkChoices()
    if case == "manual-no-proxy":  # the connection says no proxy: the name is not found
        network = NetworkChoices(proxy_mode=ProxyMode.NONE)
    _save_profile(tls_sandbox, network)
    with ConnectProxy(hosts=hosts, forbidden=forbidden) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        if case == "proxy-down":
            with socket.socket() as unused:  # nothing listens there once closed
                unused.bind(("127.0.0.1", 0))
                monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{unused.getsockname()[1]}")
        status, findings = _diagnose(capsys)
    assert status == 1
    reachable = findings["endpoint-reachable"]
    assert reachable["fix_id"] == fix_id, reachable
    assert said in reachable["evidence"]


def test_a_proxy_script_is_named_when_the_direct_route_fails(
    make_context: MakeContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows or macOS set to a PAC script: the system settings reader is given what their
    registry / scutil would hold (tests/gateway/test_certificates_and_autoconfig.py reads
    those); the connection itself is a real refused connection."""
    pac = AutoConfig(script_url="http://wpad.corp.example/proxy.pac")
    monkeypatch.setattr("wizard.checks.network.detect_auto_config", lambda: pac)
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    context = make_context(endpoint=f"http://127.0.0.1:{port}/ia/xml/xmlgw.phtml")
    finding = Runner(context).run_one("endpoint-reachable")
    assert finding.fix_id == "proxy-auto-config"
    assert "http://wpad.corp.example/proxy.pac" in finding.evidence
    # Told not to use the system's settings, the script is not the explanation.
    direct = make_context(
        endpoint=f"http://127.0.0.1:{port}/ia/xml/xmlgw.phtml",
        network=NetworkChoices(proxy_mode=ProxyMode.NONE),
    )
    assert Runner(direct).run_one("endpoint-reachable").fix_id == "endpoint-unreachable"
