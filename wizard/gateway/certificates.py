"""Who a certificate names: its subject and its issuer, read from the DER bytes.

When a certificate is not trusted, the admin (and their IT team) need to know who issued it:
a TLS-inspecting proxy's own authority ("Acme Corp TLS Inspection CA") is what IT has to
install, or recognise. Python's `ssl` module gives the names only for verified certificates,
so this reads the two names from the certificate's DER encoding (RFC 5280 §4.1) itself: a
small, bounded reader of the few ASN.1 structures involved, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

_SEQUENCE, _SET, _OID, _INTEGER = 0x30, 0x31, 0x06, 0x02
_EXPLICIT_VERSION = 0xA0
_COMMON_NAME = bytes([0x55, 0x04, 0x03])  # 2.5.4.3
_ORGANIZATION = bytes([0x55, 0x04, 0x0A])  # 2.5.4.10
_UNIT = bytes([0x55, 0x04, 0x0B])  # 2.5.4.11
_TEXT_ENCODINGS = {0x0C: "utf-8", 0x13: "ascii", 0x16: "ascii", 0x14: "latin-1", 0x1E: "utf-16-be"}


class CertificateFormatError(ValueError):
    """The bytes are not a certificate this reader understands."""


@dataclass(frozen=True)
class Name:
    common_name: str = ""
    organization: str = ""
    unit: str = ""

    def __str__(self) -> str:
        main = self.common_name or self.unit or self.organization or "an unnamed authority"
        if self.organization and self.organization != main:
            return f"“{main}” ({self.organization})"
        return f"“{main}”"


@dataclass(frozen=True)
class CertificateNames:
    subject: Name
    issuer: Name

    @property
    def self_signed(self) -> bool:
        return self.subject == self.issuer


def _element(data: bytes, at: int) -> tuple[int, int, int]:
    """(tag, start of the content, end of the content) of the element at `at`."""
    if at + 2 > len(data):
        raise CertificateFormatError("the certificate is cut short")
    tag, length = data[at], data[at + 1]
    at += 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or at + count > len(data):
            raise CertificateFormatError("a length in the certificate is not valid")
        length = int.from_bytes(data[at : at + count], "big")
        at += count
    end = at + length
    if end > len(data):
        raise CertificateFormatError("the certificate is cut short")
    return tag, at, end


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    found = []
    while start < end:
        tag, content, stop = _element(data, start)
        found.append((tag, content, stop))
        start = stop
    return found


def _name(data: bytes, start: int, end: int) -> Name:
    values: dict[bytes, str] = {}
    for set_tag, set_start, set_end in _children(data, start, end):
        if set_tag != _SET:
            raise CertificateFormatError("a name in the certificate is not valid")
        for _, pair_start, pair_end in _children(data, set_start, set_end):
            parts = _children(data, pair_start, pair_end)
            if len(parts) != 2 or parts[0][0] != _OID:
                continue
            oid = data[parts[0][1] : parts[0][2]]
            tag, value_start, value_end = parts[1]
            encoding = _TEXT_ENCODINGS.get(tag)
            if encoding and oid not in values:
                values[oid] = data[value_start:value_end].decode(encoding, "replace").strip()
    return Name(
        common_name=values.get(_COMMON_NAME, ""),
        organization=values.get(_ORGANIZATION, ""),
        unit=values.get(_UNIT, ""),
    )


def certificate_names(der: bytes) -> CertificateNames:
    """The subject and issuer of a DER-encoded X.509 certificate."""
    tag, start, _ = _element(der, 0)
    if tag != _SEQUENCE:
        raise CertificateFormatError("this is not a certificate")
    tag, tbs_start, tbs_end = _element(der, start)
    if tag != _SEQUENCE:
        raise CertificateFormatError("this is not a certificate")
    fields = _children(der, tbs_start, tbs_end)
    if fields and fields[0][0] == _EXPLICIT_VERSION:
        fields = fields[1:]
    # serialNumber, signature, issuer, validity, subject
    if len(fields) < 5 or fields[0][0] != _INTEGER or fields[2][0] != _SEQUENCE:
        raise CertificateFormatError("this is not a certificate")
    issuer = _name(der, fields[2][1], fields[2][2])
    subject = _name(der, fields[4][1], fields[4][2])
    return CertificateNames(subject=subject, issuer=issuer)
