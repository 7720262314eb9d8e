"""What the admin sees when a connection field is typed wrong (or nearly right)."""

from __future__ import annotations

import dataclasses

import pytest

from wizard.connection import (
    DEFAULT_ENDPOINT,
    Status,
    Validation,
    validate_company_id,
    validate_endpoint,
    validate_entity_id,
    validate_password,
    validate_profile_name,
    validate_sender_id,
    validate_user_id,
)
from wizard.connection.validation import (
    MAX_ID_LENGTH,
    MAX_PASSWORD_LENGTH,
    MAX_PROFILE_NAME_LENGTH,
)
from wizard.redaction import MASK, redact

ID_VALIDATORS = {
    "company ID": validate_company_id,
    "user ID": validate_user_id,
    "sender ID": validate_sender_id,
}


def test_results_are_frozen() -> None:
    result = validate_company_id("ACME")
    assert isinstance(result, Validation)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.value = "other"  # type: ignore[misc]


@pytest.mark.parametrize("value", ["DEMO-COMPANY", "acme_corp", "Acme Corp 2"])
def test_real_company_ids_pass_unchanged(value: str) -> None:
    assert validate_company_id(value) == Validation(Status.OK, value, "")


def test_sandbox_credentials_pass() -> None:
    assert validate_user_id("ws_integration").status is Status.OK
    assert validate_sender_id("DemoSender").status is Status.OK
    assert validate_entity_id("US-EAST").status is Status.OK


@pytest.mark.parametrize(("label", "validator"), ID_VALIDATORS.items())
@pytest.mark.parametrize("value", ["", "   ", "\t"])
def test_empty_ids_are_errors_that_say_what_to_type(label, validator, value) -> None:  # type: ignore[no-untyped-def]
    result = validator(value)
    assert result.status is Status.ERROR
    assert f"The {label} is empty." in result.message
    assert "Type" in result.message


@pytest.mark.parametrize(("label", "validator"), ID_VALIDATORS.items())
def test_trailing_blank_is_trimmed_with_a_notice(label, validator) -> None:  # type: ignore[no-untyped-def]
    result = validator("ACME ")
    assert result.status is Status.WARNING
    assert result.ok
    assert result.value == "ACME"
    assert f"Removed a blank at the end of the {label}" in result.message
    assert "sign-in fails" in result.message


def test_leading_and_trailing_blanks_and_invisible_spaces_are_trimmed() -> None:
    both = validate_company_id("  ACME\u00a0")
    assert (both.status, both.value) == (Status.WARNING, "ACME")
    assert "at the start and at the end" in both.message
    zero_width = validate_user_id("\u200bws_user")
    assert (zero_width.status, zero_width.value) == (Status.WARNING, "ws_user")
    assert "at the start" in zero_width.message


def test_console_company_id_is_explained() -> None:
    result = validate_company_id("CONSOLE1|client-co|US-EAST")
    assert result.status is Status.ERROR
    assert "console" in result.message
    assert "client-co" in result.message  # tells the admin what to type instead
    assert "Entity page" in result.message  # and where the entity goes
    assert validate_company_id("CONSOLE1|").status is Status.ERROR


@pytest.mark.parametrize(("label", "validator"), ID_VALIDATORS.items())
def test_over_long_ids_are_refused_with_the_limit(label, validator) -> None:  # type: ignore[no-untyped-def]
    assert validator("x" * MAX_ID_LENGTH).status is Status.OK
    result = validator("x" * (MAX_ID_LENGTH + 1))
    assert result.status is Status.ERROR
    assert f"at most {MAX_ID_LENGTH}" in result.message
    assert label in result.message


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("AC\x00ME", "control character U+0000"),
        ("AC\nME", "line break"),
        ("AC\tME", "tab"),
        ("AC\u200bME", "zero"),
    ],
)
def test_characters_intacct_cannot_take_are_refused(value: str, named: str) -> None:
    result = validate_company_id(value)
    assert result.status is Status.ERROR
    assert "cannot accept" in result.message
    assert named in result.message
    assert "character 3" in result.message


def test_entity_is_optional_and_empty_means_top_level() -> None:
    assert validate_entity_id("") == Validation(Status.OK, "", "")
    assert validate_entity_id("   ").value == ""
    trimmed = validate_entity_id(" UK ")
    assert (trimmed.status, trimmed.value) == (Status.WARNING, "UK")
    assert validate_entity_id("U\x07K").status is Status.ERROR


def test_password_checks_never_repeat_the_password() -> None:
    secret = "Hunter2 longer secret "
    results = [
        validate_password(secret),
        validate_password("Pa\x01ssword-here"),
        validate_password("p" * (MAX_PASSWORD_LENGTH + 1)),
    ]
    assert results[0].status is Status.WARNING
    assert results[0].value == secret  # a password is never changed behind the admin's back
    assert "space" in results[0].message
    assert results[1].status is Status.ERROR and "cannot accept" in results[1].message
    assert (
        results[2].status is Status.ERROR and f"at most {MAX_PASSWORD_LENGTH}" in results[2].message
    )
    for result, typed in zip(results, [secret, "Pa\x01ssword-here", "p" * 257], strict=True):
        assert typed.strip() not in result.message
    # and the password is now masked wherever it might show up later
    assert MASK in redact(f"sign-in failed for {secret}")


def test_password_empty_and_label() -> None:
    result = validate_password("", label="sender password")
    assert result.status is Status.ERROR
    assert result.message == "The sender password is empty. Type the sender password."
    assert validate_password("   ").status is Status.ERROR
    assert validate_password("S3cret!pass").status is Status.OK


@pytest.mark.parametrize(
    "value",
    [
        "https://api.intacct.com/ia/xml/xmlgw.phtml",
        "https://na12.intacct.com/ia/xml/xmlgw.phtml",
        "http://127.0.0.1:8765/ia/xml/xmlgw.phtml",
        "http://localhost:8765/ia/xml/xmlgw.phtml",
        "http://[::1]:8765/ia/xml/xmlgw.phtml",
    ],
)
def test_https_endpoints_and_the_local_sandbox_are_accepted(value: str) -> None:
    assert validate_endpoint(value) == Validation(Status.OK, value, "")


def test_plain_http_elsewhere_is_refused() -> None:
    result = validate_endpoint("http://api.intacct.com/ia/xml/xmlgw.phtml")
    assert result.status is Status.ERROR
    assert "https://" in result.message
    assert "127.0.0.1" in result.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ftp://api.intacct.com/x", "not a web address"),
        ("api.intacct.com/ia/xml/xmlgw.phtml", "not a web address"),
        ("https://user:pw@api.intacct.com/ia/xml/xmlgw.phtml", "user name or password"),
        ("https://api.intacct.com:port/x", "not a web address"),
        ("https://api.intacct .com/x", "blank"),
    ],
)
def test_bad_endpoints_say_what_is_wrong(value: str, expected: str) -> None:
    result = validate_endpoint(value)
    assert result.status is Status.ERROR
    assert expected in result.message


def test_empty_endpoint_means_the_standard_address_and_blanks_are_trimmed() -> None:
    empty = validate_endpoint("")
    assert (empty.status, empty.value) == (Status.OK, DEFAULT_ENDPOINT)
    assert DEFAULT_ENDPOINT in empty.message
    padded = validate_endpoint(f" {DEFAULT_ENDPOINT}\n")
    assert (padded.status, padded.value) == (Status.WARNING, DEFAULT_ENDPOINT)


@pytest.mark.parametrize("value", ["Acme", "Acme Corp (prod)", "acme-sandbox_2", "Büro Nord"])
def test_ordinary_profile_names_pass(value: str) -> None:
    assert validate_profile_name(value).status is Status.OK


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "empty"),
        ("a/b", "cannot contain /"),
        ("a\\b", "cannot contain \\"),
        ('what?"', 'cannot contain " ?'),
        ("..", "dot"),
        (".hidden", "start with a dot"),
        ("Acme.", "end with a dot"),
        ("CON", "Windows reserves"),
        ("lpt1.backup", "Windows reserves"),
        ("tab\there", "cannot be used"),
        ("x" * (MAX_PROFILE_NAME_LENGTH + 1), f"at most {MAX_PROFILE_NAME_LENGTH}"),
    ],
)
def test_profile_names_unsafe_as_file_names_are_refused(value: str, expected: str) -> None:
    result = validate_profile_name(value)
    assert result.status is Status.ERROR
    assert expected in result.message


def test_profile_name_blanks_are_trimmed() -> None:
    result = validate_profile_name(" Acme ")
    assert (result.status, result.value) == (Status.WARNING, "Acme")
