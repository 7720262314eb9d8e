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


# Characters JSON, Python's repr and URLs each spell their own way.
_AWKWARD = 'pa"ss\\wo@r:d/é'


def test_remembered_secrets_are_masked_in_json_and_repr_spellings() -> None:
    import json

    import orjson

    remember_secret(_AWKWARD)
    note = f"proxy refused {_AWKWARD}"
    for text in (
        json.dumps({"note": note}),  # --json output, network.json
        json.dumps({"note": note}, ensure_ascii=False),
        orjson.dumps({"note": note}).decode(),
        repr({"note": note}),  # a dict printed into a log line
        json.dumps({"outer": json.dumps({"note": note})}),  # JSON inside JSON
    ):
        said = redact(text)
        assert "pa" not in said.replace("proxy", ""), said
        assert MASK in said


def test_remembered_secrets_are_masked_in_every_url_spelling() -> None:
    import urllib.parse

    import httpx

    remember_secret(_AWKWARD)
    quoted = urllib.parse.quote(_AWKWARD, safe="")
    for text in (
        f"HTTPS_PROXY=http://jo:{_AWKWARD}@proxy.corp.example:8080",  # typed raw, unencoded
        f"proxy http://jo:{quoted}@proxy.corp.example:8080 refused",
        f"proxy http://jo:{quoted.lower()}@proxy.corp.example:8080 refused",  # %2f, %c3%a9
        f"sign-in jo:{urllib.parse.quote(_AWKWARD)} refused",  # '/' left as is
        f"sign-in jo:{urllib.parse.quote(_AWKWARD, safe=':@')} refused",  # userinfo-safe
        str(httpx.URL("http://proxy.corp.example:8080", username="jo", password=_AWKWARD)),
        f"proxy {urllib.parse.quote(f'http://jo:{quoted}@proxy', safe='')} refused",  # twice
    ):
        said = redact(text)
        rest = said.replace(MASK, "")
        assert not [part for part in _PARTS if part in rest or part.lower() in rest], said
        assert "proxy" not in text or "proxy" in said


# Pieces of _AWKWARD in its spellings: none may be left once it is masked.
_PARTS = ("ss", "wo", "r:d", "r%3A", "r%253A", "%C3%A9", "é", "\\")


def test_a_url_password_that_holds_an_at_sign_is_masked_whole_even_unseen() -> None:
    said = redact("HTTPS_PROXY=http://jo:se@cret:pw@proxy.corp.example:8080")
    assert "cret" not in said and "pw" not in said, said
    assert said.endswith("@proxy.corp.example:8080")
