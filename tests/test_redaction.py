import logging

import pytest

from wizard.redaction import MASK, RedactingFilter, redact, remember_secret


@pytest.mark.parametrize(
    "text",
    [
        "<login><userid>u</userid><password>hunter2!</password></login>",
        "<control><senderid>s</senderid><password>hunter2!</password></control>",
        "<authentication><sessionid>hunter2!</sessionid></authentication>",
        "<CARDNUM>hunter2!</CARDNUM>",
        '{"user_password": "hunter2!", "user_id": "admin"}',
        "sender_password=hunter2!&company=x",
        "sessionid: hunter2!",
        '{"proxy_password": "hunter2!"}',
        "HTTPS_PROXY=http://jo:hunter2!@proxy.corp.example:8080",
        '{"access_token": "hunter2!", "expires_in": 21600}',
        "grant_type=refresh_token&refresh_token=hunter2!&client_id=x",
        "client_secret=hunter2!",
        '{"code_verifier": "hunter2!"}',
        "Authorization: Bearer hunter2!",
        'password: "hunter2!"',
        "{'password': 'hunter2!', 'user_id': 'admin'}",
        '<login password="hunter2!" userid="admin"/>',
        "sessionid = 'hunter2!'",
        'password: "hunter2! with spaces"',
    ],
)
def test_secret_fields_are_masked_whatever_their_form(text: str) -> None:
    assert "hunter2!" not in redact(text)
    assert MASK in redact(text)


def test_remembered_secrets_are_masked_anywhere_in_any_spelling() -> None:
    remember_secret("p&ss<word>")
    text = "login failed for p&ss<word>; body had p&amp;ss&lt;word&gt; and p%26ss%3Cword%3E"
    assert "ss" not in redact(text).replace("[redacted]", "")


def test_anything_shaped_like_a_jwt_is_masked_even_if_never_seen() -> None:
    token = "eyJhbGciOiJIUzI1NiJ9.eyJjbGllbnRJZCI6IngifQ.c2lnbmF0dXJlLXBhcnQ"
    assert token not in redact(f"pasted: {token} (expired)")
    assert redact("code=eyJhbGciOiJIUzI1NiJ9.eyJjbGllbnRJZCI6IngifQ.sig123456").count("eyJ") == 0


def test_rest_error_codes_stay_readable() -> None:
    text = '{"ia::error": {"code": "tokenInvalid", "message": "Token is not valid"}}'
    assert redact(text) == text


def test_ordinary_text_is_left_alone() -> None:
    text = "<userid>admin</userid><companyid>ACME</companyid> Sign-in information is incorrect"
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "The keyring is the Secret Service (GNOME Keyring or KWallet).",
        "The password field is required; reset the password in Intacct.",
        "{'user_id': 'admin', 'company_id': 'ACME'}",
        '<login userid="admin" companyid="ACME"/>',
    ],
)
def test_words_around_secrets_are_not_blanked(text: str) -> None:
    assert redact(text) == text


def test_only_the_quoted_value_is_masked() -> None:
    said = redact("{'password': 'hunter2!', 'user_id': 'admin'} and password=\"x1y2z3\" end")
    assert said == f"{{'password': '{MASK}', 'user_id': 'admin'}} and password=\"{MASK}\" end"


def test_logging_filter_masks_messages_arguments_and_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    remember_secret("s3ss10n-id-value")
    logger = logging.getLogger("test.redaction")
    caplog.handler.addFilter(RedactingFilter())
    with caplog.at_level(logging.DEBUG, logger="test.redaction"):
        logger.debug("sending %s", "<sessionid>s3ss10n-id-value</sessionid>")
        try:
            raise RuntimeError("bad session s3ss10n-id-value")
        except RuntimeError:
            logger.exception("request failed")
    assert "s3ss10n-id-value" not in caplog.text
