"""Reading who issued a certificate, and spotting an automatic proxy setup in system settings."""

from __future__ import annotations

import ssl

import pytest
import trustme

from wizard.gateway.autoconfig import detect_auto_config, parse_scutil, parse_windows
from wizard.gateway.certificates import CertificateFormatError, Name, certificate_names


def test_the_issuer_and_subject_are_read_from_the_certificate() -> None:
    ca = trustme.CA(organization_name="Acme Corp IT")
    leaf = ca.issue_cert("api.intacct.com")
    der = ssl.PEM_cert_to_DER_cert(leaf.cert_chain_pems[0].bytes().decode())
    names = certificate_names(der)
    assert names.issuer.organization == "Acme Corp IT"
    assert names.issuer.unit.startswith("Testing CA #")
    assert str(names.issuer) == f"“{names.issuer.unit}” (Acme Corp IT)"
    assert not names.self_signed
    root = certificate_names(ssl.PEM_cert_to_DER_cert(ca.cert_pem.bytes().decode()))
    assert root.self_signed and root.subject == names.issuer


@pytest.mark.parametrize("damage", [b"", b"\x30\x82\xff\xff", b"\x04\x03abc", b"\x30\x03\x02\x01"])
def test_damaged_bytes_are_refused_not_misread(damage: bytes) -> None:
    with pytest.raises(CertificateFormatError):
        certificate_names(damage)


def test_an_unnamed_authority_still_reads_as_words() -> None:
    assert str(Name()) == "“an unnamed authority”"
    assert str(Name(common_name="Corp Root", organization="Corp Root")) == "“Corp Root”"


SCUTIL_PAC = """<dictionary> {
  ExceptionsList : <array> {
    0 : *.local
  }
  ProxyAutoConfigEnable : 1
  ProxyAutoConfigURLString : http://wpad.corp.example/proxy.pac
  ProxyAutoDiscoveryEnable : 0
}
"""


def test_macos_automatic_proxy_settings_are_recognised() -> None:
    found = parse_scutil(SCUTIL_PAC)
    assert found.script_url == "http://wpad.corp.example/proxy.pac" and not found.auto_detect
    assert "http://wpad.corp.example/proxy.pac" in found.describe()
    off = parse_scutil(SCUTIL_PAC.replace("ProxyAutoConfigEnable : 1", "ProxyAutoConfigEnable : 0"))
    assert not off.found
    wpad = parse_scutil("<dictionary> {\n  ProxyAutoDiscoveryEnable : 1\n}\n")
    assert wpad.auto_detect and "WPAD" in wpad.describe()


def test_windows_automatic_proxy_settings_are_recognised() -> None:
    # DefaultConnectionSettings: version, counter, then the flags (0x09 = direct + auto-detect).
    blob = bytes([0x46, 0, 0, 0, 0x05, 0, 0, 0, 0x09, 0, 0, 0])
    assert parse_windows("", blob).auto_detect
    assert not parse_windows("", bytes([0x46, 0, 0, 0, 0x05, 0, 0, 0, 0x01])).found
    assert parse_windows(" http://corp/p.pac ", b"").script_url == "http://corp/p.pac"


def test_linux_has_no_system_wide_proxy_script() -> None:
    assert not detect_auto_config("linux").found
