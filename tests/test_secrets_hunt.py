"""Plant unique secrets, run what an admin runs with DEBUG logging, then hunt for them.

Runs: diagnose (--json) on a saved profile, report, explain of a pasted error holding the
session id, and a sign-in that fails (with a wrong password that is itself a secret); then
diagnose, report and explain again, each in a process of its own (a leak one process would
mask with what it remembered from another shows there). Then
every file under the test's home (settings, data, logs, the report zip's members), captured
output and exception messages are searched for every secret in every spelling.

Proxy sign-ins (in the keyring, inside HTTPS_PROXY, a wrong one) are hunted for through a
real proxy in `test_no_proxy_password_leaves_the_program`.

Other engineers add their runs (a sync, the GUI) by calling their entry point in
`test_no_secret_leaves_the_program` below, or by writing their own test with
`secret_hunt.assert_no_secrets`. The GUI's runs need the Qt fixtures of tests/ui, so they are
hunted there: the passwords typed to diagnose a connection without a keyring (a wrong one, then
the right ones, up to the support report) in tests/ui/test_diagnose_passwords.py; the REST
sign-in on Sign-in details (a wrong then the right client secret typed, the addresses pasted
back with their codes, the tokens issued) in tests/ui/test_rest_credentials.py. Over the REST
API, diagnose's run here also sends the test invoice (and reads it back).
"""

from __future__ import annotations

import base64
import dataclasses
import html
import os
import ssl
import subprocess
import sys
import urllib.parse
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from secret_hunt import assert_no_secrets, find_secrets

from tests.checks.diagnose_helpers import typed_diagnose_args
from wizard.checks.connect import demo_rest_profile
from wizard.cli import main
from wizard.connection import Profile, ProfileStore, Secrets
from wizard.gateway import Client, Credentials, GatewayError
from wizard.logs import close_logging, log_file, setup_logging
from wizard.rest import (
    App,
    RestClient,
    RestError,
    SignInRequired,
    TokenError,
    authorization_request,
    code_from_paste,
)
from wizard.sandbox import Sandbox


def _unique(label: str) -> str:
    # Characters that XML, URLs, JSON and Python's repr each spell differently; '@' and ':'
    # end a URL's user:password part unless encoded.
    return f"{label}-{uuid.uuid4().hex[:12]}&<q>+/%\"'\\@:"


@pytest.fixture
def planted() -> Iterator[tuple[Sandbox, dict[str, str]]]:
    secrets = {
        "sender": _unique("SenderPw"),
        "user": _unique("UserPw"),
        "wrong": _unique("WrongPw"),
    }
    with Sandbox() as sandbox:
        sandbox.company.sender_password = secrets["sender"]
        sandbox.company.user_password = secrets["user"]
        yield sandbox, secrets
    close_logging()


def test_no_secret_leaves_the_program(
    planted: tuple[Sandbox, dict[str, str]],
    isolated_user_dirs: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sandbox, secrets = planted
    monkeypatch.setenv("INTACCT_WIZARD_LOG_LEVEL", "DEBUG")
    creds = sandbox.credentials
    store = ProfileStore()
    store.secrets.save("Hunt", Secrets(secrets["sender"], secrets["user"]))
    store.save(
        Profile(
            name="Hunt",
            company_id=creds.company_id,
            user_id=creds.user_id,
            sender_id=creds.sender_id,
            endpoint=sandbox.endpoint,
        )
    )
    texts: list[str] = []

    assert main(["diagnose", "--profile", "Hunt", "--json"]) == 0
    session_ids = set(sandbox.gateway.sessions)
    assert session_ids, "the diagnosis opened no session to hunt for"

    report = tmp_path / "report.zip"
    assert main(["report", "--profile", "Hunt", "--output", str(report)]) == 0
    session_ids |= set(sandbox.gateway.sessions)

    some_session = sorted(session_ids)[0]
    pasted = (
        f"XL03000006 Invalid session <sessionid>{some_session}</sessionid> (session {some_session})"
    )
    main(["explain", "--message", pasted, "--json"])

    monkeypatch.setenv("INTACCT_SENDER_PASSWORD", secrets["sender"])
    monkeypatch.setenv("INTACCT_USER_PASSWORD", secrets["wrong"])
    # --verbose: every check, with the ids a support person asks for.
    failing = typed_diagnose_args(sandbox, "--verbose")
    assert main(failing) == 1
    with (
        pytest.raises(GatewayError) as refused,
        Client(
            Credentials(
                creds.sender_id,
                secrets["sender"],
                creds.company_id,
                creds.user_id,
                secrets["wrong"],
            ),
            sandbox.endpoint,
        ) as client,
    ):
        client.login()
    texts += [str(refused.value), repr(refused.value)]

    captured = capsys.readouterr()
    texts += [captured.out, captured.err]
    close_logging()

    # The hunt looked where it matters: the DEBUG log holds the requests and answers.
    log_text = log_file().read_text(encoding="utf-8")
    assert "DEBUG" in log_text and "getAPISession" in log_text
    assert "user-credentials-invalid" in captured.out
    everything = [isolated_user_dirs, tmp_path]
    hunted = [*secrets.values(), *session_ids]
    assert_no_secrets(everything, texts, hunted)


def test_no_rest_token_or_secret_leaves_the_program(
    isolated_user_dirs: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """REST: client secret, access and refresh tokens, codes and PKCE verifiers, through a
    sign-in, calls, a token that expires mid-run, a revoked sign-in and a refused request,
    all logged at DEBUG."""
    monkeypatch.setenv("INTACCT_WIZARD_LOG_LEVEL", "DEBUG")
    setup_logging()
    client_secret = _unique("ClientSecret")
    texts: list[str] = []
    with Sandbox() as sandbox:
        sandbox.rest.data = dataclasses.replace(sandbox.rest.data, client_secret=client_secret)
        sandbox.rest.oauth.data = sandbox.rest.data
        app = App(sandbox.rest_app.client_id, client_secret, sandbox.rest_app.redirect_uri)
        with RestClient(app, base_url=sandbox.rest_base_url) as rest:
            request = authorization_request(app, rest.base_url)
            form = dict(httpx.QueryParams(request.url.split("?", 1)[1]))
            form |= {
                "company_id": sandbox.company.id,
                "user_id": sandbox.company.user_id,
                "password": sandbox.company.user_password,
                "decision": "accept",
            }
            location = httpx.post(request.url.split("?", 1)[0], data=form).headers["Location"]
            code = code_from_paste(location, request)
            rest.exchange_code(code, request)
            rest.count("general-ledger/account")
            sandbox.rest.oauth.expire_tokens()
            rest.count("general-ledger/account")  # refreshed mid-run
            with pytest.raises(RestError) as refused:
                rest.get("general-ledger/account", "nope")
            texts += [str(refused.value), repr(refused.value)]
            sandbox.rest.oauth.revoke()
            sandbox.rest.oauth.expire_tokens()
            with pytest.raises(SignInRequired) as again:
                rest.count("general-ledger/account")
            texts += [str(again.value), repr(again.value), repr(rest.token), repr(app)]
            with pytest.raises(TokenError) as reused:
                rest.exchange_code(code, request)  # a used code
            texts += [str(reused.value), repr(reused.value)]
        tokens = set(sandbox.rest.oauth.tokens) | set(sandbox.rest.oauth.refresh_tokens)
        codes = set(sandbox.rest.oauth.codes)
    captured = capsys.readouterr()
    texts += [captured.out, captured.err]
    close_logging()
    log_text = log_file().read_text(encoding="utf-8")
    assert "DEBUG" in log_text and "oauth2/token" in log_text
    assert len(tokens) >= 4 and codes
    hunted = [client_secret, *tokens, *codes, request.pkce.verifier]
    assert_no_secrets([isolated_user_dirs, tmp_path], texts, hunted)


def test_no_secret_leaves_a_rest_diagnosis_or_report(
    isolated_user_dirs: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """diagnose and report of a saved REST connection, at DEBUG: the client secret, the
    saved and the rotated refresh tokens, and every access token stay out of every output;
    the rotated refresh token is kept in the keyring."""
    monkeypatch.setenv("INTACCT_WIZARD_LOG_LEVEL", "DEBUG")
    client_secret = _unique("ClientSecret")
    with Sandbox() as sandbox:
        sandbox.rest.data = dataclasses.replace(sandbox.rest.data, client_secret=client_secret)
        sandbox.rest.oauth.data = sandbox.rest.data
        app, creds = sandbox.rest_app, sandbox.credentials
        first_refresh = sandbox.rest.oauth.demo_sign_in()
        store = ProfileStore()
        store.secrets.save(
            "HuntRest", Secrets("", "", client_secret=client_secret, refresh_token=first_refresh)
        )
        store.save(
            demo_rest_profile(
                sandbox.rest_base_url,
                app.client_id,
                app.redirect_uri,
                creds.company_id,
                creds.user_id,
            ).replace(name="HuntRest")
        )
        assert main(["diagnose", "--profile", "HuntRest", "--json"]) == 0
        report = tmp_path / "report.zip"
        assert main(["report", "--profile", "HuntRest", "--output", str(report)]) == 0
        tokens = set(sandbox.rest.oauth.tokens) | set(sandbox.rest.oauth.refresh_tokens)
    saved = store.secrets.load("HuntRest")
    assert saved is not None and saved.refresh_token not in ("", first_refresh)
    captured = capsys.readouterr()
    close_logging()
    assert "rest-sign-in" in captured.out
    assert "oauth2/token" in log_file().read_text(encoding="utf-8")
    hunted = [client_secret, first_refresh, *tokens]
    assert_no_secrets([isolated_user_dirs, tmp_path], [captured.out, captured.err], hunted)


def test_the_hunt_finds_a_secret_in_any_spelling(tmp_path: Path) -> None:
    secret = _unique("Canary")
    with zipfile.ZipFile(tmp_path / "bundle.zip", "w") as archive:
        archive.writestr("log.txt", f"<password>{html.escape(secret)}</password>")
    (tmp_path / "url.txt").write_text("https://x/?p=" + urllib.parse.quote(secret, safe=""))
    found = find_secrets([tmp_path], ["plain " + secret], [secret])
    assert any("bundle.zip!log.txt" in f for f in found)
    assert any("url.txt" in f for f in found)
    assert any("text #1" in f for f in found)
    with pytest.raises(AssertionError, match="secrets found"):
        assert_no_secrets([tmp_path], [], [secret])


@pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="only on Linux can a test point the OS trust store at a test CA (SSL_CERT_FILE)",
)
def test_no_proxy_password_leaves_the_program(
    isolated_user_dirs: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Proxy sign-ins: one kept in the keyring, one inside HTTPS_PROXY (user:password@), and a
    wrong one; diagnose and report run through a real proxy with DEBUG logging."""
    import trustme

    from tests.connect_proxy import ConnectProxy
    from wizard.connection import NetworkChoices

    secrets = {
        "keyring": _unique("ProxyPw"),
        "in-url": _unique("UrlProxyPw"),
        "wrong": _unique("WrongProxyPw"),
    }
    tokens = [  # the Proxy-Authorization header's spelling of each
        base64.b64encode(f"{user}:{secrets[key]}".encode()).decode()
        for user, key in (("jo", "keyring"), ("url-user", "in-url"), ("jo", "wrong"))
    ]
    monkeypatch.setenv("INTACCT_WIZARD_LOG_LEVEL", "DEBUG")
    ca = trustme.CA()
    (tmp_path / "roots.pem").write_bytes(ca.cert_pem.bytes())
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "roots.pem"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("intacct.hunt.test").configure_cert(context)
    users = {"jo": secrets["keyring"], "url-user": secrets["in-url"]}
    texts: list[str] = []
    with Sandbox(tls=context, hostname="intacct.hunt.test") as sandbox:
        hosts = {"intacct.hunt.test": ("127.0.0.1", sandbox.port)}
        with ConnectProxy(hosts=hosts, users=users) as proxy:
            creds = sandbox.credentials
            store = ProfileStore()
            profile = Profile(
                name="Hunt",
                company_id=creds.company_id,
                user_id=creds.user_id,
                sender_id=creds.sender_id,
                endpoint=sandbox.endpoint,
                network=NetworkChoices(proxy_user="jo"),
            )
            store.save(profile)
            keep = Secrets(creds.sender_password, creds.user_password, secrets["keyring"])
            store.secrets.save("Hunt", keep)
            monkeypatch.setenv("HTTPS_PROXY", proxy.url)
            assert main(["diagnose", "--profile", "Hunt", "--json"]) == 0
            report = tmp_path / "report.zip"
            assert main(["report", "--profile", "Hunt", "--output", str(report)]) == 0

            quoted = urllib.parse.quote(secrets["in-url"], safe="")
            monkeypatch.setenv("HTTPS_PROXY", proxy.url.replace("://", f"://url-user:{quoted}@"))
            assert main(["diagnose", "--profile", "Hunt", "--json"]) == 0
            assert main(["report", "--profile", "Hunt", "--output", str(tmp_path / "r2.zip")]) == 0

            monkeypatch.setenv("HTTPS_PROXY", proxy.url)
            wrong = Secrets(creds.sender_password, creds.user_password, secrets["wrong"])
            store.secrets.save("Hunt", wrong)
            assert main(["diagnose", "--profile", "Hunt", "--json"]) == 1
            users_seen = {user for _, _, user in proxy.tunnels}
    captured = capsys.readouterr()
    texts += [captured.out, captured.err]
    close_logging()
    assert users_seen == {"jo", "url-user"}  # both sign-ins were really used
    assert "proxy-sign-in" in captured.out  # and the wrong one was refused
    with zipfile.ZipFile(report) as bundle:
        network = bundle.read("network.json").decode()
    assert proxy.url in network and "HTTPS_PROXY" in network and "roots.pem" in network
    assert_no_secrets([isolated_user_dirs, tmp_path], texts, [*secrets.values(), *tokens])


def _run_apart(*args: str) -> subprocess.CompletedProcess[str]:
    """One command in a process of its own: nothing remembered by another run can hide a
    leak here (remember_secret() is per process)."""
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
    )


def test_no_secret_leaves_separate_processes(
    planted: tuple[Sandbox, dict[str, str]],
    isolated_user_dirs: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """diagnose, report and explain each in a fresh process, as an admin runs them one after
    the other: each must redact on its own, by field name, not by what an earlier run saw."""
    sandbox, secrets = planted
    monkeypatch.setenv("INTACCT_WIZARD_LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("INTACCT_SENDER_PASSWORD", secrets["sender"])
    monkeypatch.setenv("INTACCT_USER_PASSWORD", secrets["user"])
    typed = typed_diagnose_args(sandbox)[1:]  # the settings, without the command's name
    runs = [_run_apart("diagnose", *typed, "--json")]
    assert runs[0].returncode == 0, runs[0].stdout[-2000:] + runs[0].stderr[-2000:]
    session_ids = set(sandbox.gateway.sessions)
    assert session_ids, "the diagnosis opened no session to hunt for"
    report = tmp_path / "report.zip"
    runs.append(_run_apart("report", *typed, "--output", str(report)))
    assert runs[-1].returncode == 0, runs[-1].stderr[-2000:]
    session_ids |= set(sandbox.gateway.sessions)
    some_session = sorted(session_ids)[0]
    pasted = f"XL03000006 Invalid session <sessionid>{some_session}</sessionid>"
    runs.append(_run_apart("explain", "--message", pasted, "--json"))
    assert runs[-1].returncode == 0, runs[-1].stderr[-2000:]
    assert "session-expired" in runs[-1].stdout
    texts = [part for run in runs for part in (run.stdout, run.stderr)]
    assert_no_secrets([isolated_user_dirs, tmp_path], texts, [*secrets.values(), *session_ids])


def test_a_failed_connection_names_its_cause_without_the_proxy_password() -> None:
    """Connection failures carry what the operating system said (for the fix catalogue); the
    proxy's password must stay out of it, whichever way the failure is reported."""
    import socket

    from wizard.fixes import match
    from wizard.gateway.network import NetworkSettings, ProxyMode
    from wizard.gateway.transport import RetryPolicy, Transport

    password = _unique("DeadProxyPw")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    network = NetworkSettings(
        proxy_mode=ProxyMode.MANUAL,
        proxy_url=f"http://127.0.0.1:{closed}",
        proxy_user="jo",
        proxy_password=password,
    )
    policy = RetryPolicy(max_attempts=1, sleep=lambda _: None)
    with (
        Transport(timeout=5, retry=policy, network=network) as transport,
        pytest.raises(GatewayError) as raised,
    ):
        transport.post("https://api.intacct.example/ia/xml/xmlgw.phtml", b"<request/>")
    fix = match(raised.value)
    texts = [str(raised.value), repr(raised.value), raised.value.summary, fix.error_text]
    assert "refused" in str(raised.value).lower()
    assert find_secrets([], texts, [password]) == []
