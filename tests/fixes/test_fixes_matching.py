"""How the catalogue picks a fix: error stacks, wrapper errors, context, the generic entry."""

from __future__ import annotations

import tomllib

import pytest

from wizard.fixes import MatchContext, load_catalogue, match
from wizard.gateway.errors import (
    AuthenticationError,
    ControlError,
    ErrorDetail,
    ErrorLevel,
    GatewayError,
    ResultError,
    TransportError,
)
from wizard.redaction import remember_secret
from wizard.resources import resource_path

AUTH = MatchContext(level=ErrorLevel.AUTHENTICATION)
CONTROL = MatchContext(level=ErrorLevel.CONTROL)
RESULT = MatchContext(level=ErrorLevel.RESULT)

COULD_NOT_CREATE = ErrorDetail("BL01001973", description2="Could not create Customer record!")


# --- wrapper errors never hide the cause ------------------------------------------------


@pytest.mark.parametrize(
    ("cause", "fix_id"),
    [
        (
            ErrorDetail(
                "BL34000061",
                description2="Another Customer with the given value(s) C-1001 already exists",
                correction="Use a unique value instead.",
            ),
            "duplicate-record",
        ),
        (
            ErrorDetail("BL03000018", description2="Required field Customer ID is missing"),
            "document-sequence-missing",
        ),
        (
            ErrorDetail("BL01001973", description2="Smart rule customer_creation was violated."),
            "smart-rule-violated",
        ),
        (
            ErrorDetail("XX", description2="You do not have permission to add customers."),
            "permission-missing",
        ),
    ],
)
def test_wrapper_after_a_specific_cause_never_hides_it(cause: ErrorDetail, fix_id: str) -> None:
    assert match([cause, COULD_NOT_CREATE], RESULT).id == fix_id
    # Order does not matter either: a wrapper never outranks a specific cause.
    assert match([COULD_NOT_CREATE, cause], RESULT).id == fix_id


def test_rollback_marker_does_not_hide_the_failing_record() -> None:
    closed = ErrorDetail(
        "BL01001973",
        description2="The period for 03/15/2026 is closed. Date associated with the "
        "transaction must be on or after 11/01/2026.",
    )
    rollback = ErrorDetail(
        "XL03000009",
        description2="The entire transaction in this operation has been rolled back due to "
        "an error.",
    )
    assert match([rollback, closed, COULD_NOT_CREATE], RESULT).id == "period-closed"
    assert match([rollback], RESULT).id == "transaction-rolled-back"


def test_a_wrapper_alone_gets_the_record_rejected_fix() -> None:
    fix = match([COULD_NOT_CREATE], RESULT)
    assert fix.id == "record-rejected"
    assert "Could not create Customer record!" in fix.error_text


def test_wrapper_behind_an_unknown_cause_shows_the_raw_text_of_both() -> None:
    unknown = ErrorDetail("BL99999999", description2="Flux capacitor misaligned for XYZ")
    fix = match([unknown, COULD_NOT_CREATE], RESULT)
    assert fix.id == "unrecognised-error"
    assert "Flux capacitor misaligned" in fix.error_text
    assert "Could not create Customer record!" in fix.error_text


# --- the generic entry ---------------------------------------------------------------------


def test_unmatched_error_gets_the_generic_entry_with_text_and_support_id() -> None:
    detail = ErrorDetail.from_texts(
        "BL77000001", "", "The widget 'W-9' cannot be frobnicated [Support ID: Zq81b%7EYx2]", ""
    )
    fix = match(detail, RESULT)
    assert fix.id == "unrecognised-error"
    assert fix.is_generic
    assert fix.support_id == "Zq81b~Yx2"
    assert "The widget 'W-9' cannot be frobnicated" in fix.error_text
    assert "BL77000001" in fix.error_text
    assert fix.steps


def test_generic_entry_never_shows_a_remembered_password() -> None:
    remember_secret("Hunter2-Secret!")
    fix = match("Unexpected failure for password Hunter2-Secret! in request 77")
    assert fix.is_generic
    assert "Hunter2-Secret!" not in fix.error_text
    assert "request 77" in fix.error_text


def test_pasted_support_id_anywhere_in_the_text_is_kept() -> None:
    fix = match("Support ID: AbC123xyz - the widget exploded")
    assert fix.is_generic
    assert fix.support_id == "AbC123xyz"


# --- the same code means different things by context ----------------------------------------


def test_xl03000006_at_control_level_is_the_sender_at_authentication_the_user() -> None:
    bare = ErrorDetail("XL03000006")
    assert match(bare, CONTROL).id == "sender-credentials-invalid"
    assert match(bare, AUTH).id == "user-credentials-invalid"
    assert match(bare).id == "credentials-rejected"  # no level known: says how to tell


@pytest.mark.parametrize(
    ("detail", "fix_id"),
    [
        (ErrorDetail("XL03000006", description2="Invalid session"), "session-expired"),
        (
            ErrorDetail(
                "XL03000006",
                description="Invalid Web Services Authorization",
                description2="The sender ID 'AcmeMPP' is not authorized to make Web Services "
                "requests to company ID 'ACME-CO'.",
                correction="Contact the company administrator to grant Web Services "
                "authorization to this sender ID.",
            ),
            "sender-not-authorized",
        ),
        (
            ErrorDetail("XL03000006", description2="Sign-in information is incorrect"),
            "user-credentials-invalid",
        ),
        (
            ErrorDetail(
                "XL03000006",
                description2="Sign-in information is incorrect",
                correction="The user ws_sync is locked out. An administrator must unlock the user.",
            ),
            "user-locked",
        ),
        (
            ErrorDetail(
                "XL03000006",
                description2="Sign-in information is incorrect",
                correction="The user xml_bill is not a Web Services only user.",
            ),
            "user-not-web-services-only",
        ),
        (
            ErrorDetail(
                "XL03000006",
                description2="Sign-in information is incorrect",
                correction="The user ws_integration does not have access to entity 'UK'.",
            ),
            "entity-access",
        ),
    ],
)
def test_authentication_errors_by_their_words(detail: ErrorDetail, fix_id: str) -> None:
    assert match(detail, AUTH).id == fix_id
    assert match(
        AuthenticationError(ErrorLevel.AUTHENTICATION, "Sign-in failed", (detail,))
    ).id == (fix_id)


def test_level_is_taken_from_the_gateway_error_itself() -> None:
    bare = (ErrorDetail("XL03000006"),)
    assert match(ControlError(ErrorLevel.CONTROL, "Rejected", bare)).id == (
        "sender-credentials-invalid"
    )
    assert match(AuthenticationError(ErrorLevel.AUTHENTICATION, "Rejected", bare)).id == (
        "user-credentials-invalid"
    )


def test_padded_company_id_turns_a_sign_in_failure_into_the_whitespace_fix() -> None:
    failure = ErrorDetail("XL03000006", description2="Sign-in information is incorrect")
    padded = MatchContext(
        level=ErrorLevel.AUTHENTICATION, situation=frozenset({"company-id-padded"})
    )
    assert match(failure, padded).id == "company-id-whitespace"
    assert match(failure, AUTH).id == "user-credentials-invalid"


def test_permission_error_on_a_user_defined_dimension_is_the_udd_fix() -> None:
    denied = ErrorDetail(
        "PL04000005",
        description2="You do not have permission for API operation READ_BY_QUERY on objects "
        "of type fund",
    )
    udd = MatchContext(level=ErrorLevel.RESULT, object="fund", situation=frozenset({"udd"}))
    assert match(denied, udd).id == "udd-values-unavailable"
    assert match(denied, RESULT).id == "permission-missing"


def test_processing_error_on_audit_history_is_not_a_missing_field() -> None:
    vague = ErrorDetail("DL02000001", description2="There was an error processing the request.")
    audit = MatchContext(level=ErrorLevel.RESULT, function="readByQuery", object="AUDITHISTORY")
    assert match(vague, audit).id == "audit-history-unavailable"
    assert match(vague, RESULT).id == "field-not-found"


def test_unknown_situation_name_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="Unknown situation"):
        MatchContext(situation=frozenset({"full-moon"}))


# --- transport failures as the gateway client reports them -----------------------------------


@pytest.mark.parametrize(
    ("error", "fix_id"),
    [
        (
            TransportError(
                ErrorLevel.TRANSPORT,
                "Could not reach the Intacct gateway (ConnectError); check the internet "
                "connection and the gateway address",
                reason="connection",
            ),
            "endpoint-unreachable",
        ),
        (
            TransportError(
                ErrorLevel.TRANSPORT,
                "The connection to Intacct broke off (RemoteProtocolError); check the internet "
                "connection and the gateway address",
                reason="connection",
            ),
            "service-unavailable",
        ),
        (
            TransportError(
                ErrorLevel.TRANSPORT, "HTTP 503", http_status=503, reason="server-error"
            ),
            "service-unavailable",
        ),
        (
            TransportError(ErrorLevel.TRANSPORT, "Network timed out", http_status=524),
            "service-unavailable",
        ),
        (
            TransportError(
                ErrorLevel.TRANSPORT,
                "The server answered with a web page (HTTP 502) instead of a gateway response",
                http_status=502,
                reason="html-page",
            ),
            "service-unavailable",
        ),
        (
            TransportError(
                ErrorLevel.TRANSPORT,
                "Too many requests",
                (ErrorDetail("GW-0010", description2="Rate limit exceeded. Retry later."),),
                http_status=429,
            ),
            "rate-limited",
        ),
        (
            TransportError(
                ErrorLevel.TRANSPORT,
                "The gateway's answer is incomplete: it ends before </response>",
                http_status=200,
                reason="truncated",
            ),
            "malformed-response",
        ),
        (
            ControlError(
                ErrorLevel.CONTROL,
                "Busy",
                (
                    ErrorDetail(
                        "XMLGW_JPP0001",
                        description2="There are too many operations running for this company.",
                    ),
                ),
            ),
            "too-many-operations",
        ),
    ],
    ids=lambda v: getattr(v, "summary", str(v))[:30],
)
def test_transport_and_gateway_failures(error: GatewayError, fix_id: str) -> None:
    assert match(error).id == fix_id


def test_result_error_is_matched_on_its_details() -> None:
    error = ResultError(
        ErrorLevel.RESULT,
        "create failed",
        (
            ErrorDetail("BL01001973", description2="Please provide a payment batch key."),
            COULD_NOT_CREATE,
        ),
    )
    assert match(error).id == "payment-batch-key"


def test_http_status_of_an_answer_does_not_count_as_an_unknown_error() -> None:
    error = ResultError(ErrorLevel.RESULT, "create failed", (COULD_NOT_CREATE,), http_status=200)
    assert match(error).id == "record-rejected"
    limited = TransportError(
        ErrorLevel.TRANSPORT, "Slow down", (ErrorDetail("", description2="Retry later."),), 429
    )
    assert match(limited).id == "rate-limited"


def test_keyring_exception_gets_the_keyring_fix() -> None:
    class NoKeyringError(RuntimeError):
        pass

    fix = match(NoKeyringError("No recommended backend was available."))
    assert fix.id == "keyring-unavailable"


# --- every sandbox fault scenario names the contract's fix -----------------------------------

# From notes/contracts.md, written out here so a change on either side is noticed.
SCENARIO_FIXES = {
    "sender-not-authorized": "sender-not-authorized",
    "wrong-sender-password": "sender-credentials-invalid",
    "wrong-user-password": "user-credentials-invalid",
    "web-services-off": "web-services-not-subscribed",
    "user-not-web-services-only": "user-not-web-services-only",
    "user-locked": "user-locked",
    "company-id-trailing-blank": "company-id-whitespace",
    "company-expired": "company-expired",
    "entity-access-denied": "entity-access",
    "no-permission-ar": "permission-missing",
    "no-permission-gl": "permission-missing",
    "no-permission-cm": "permission-missing",
    "no-permission-oe": "permission-missing",
    "udd-values-unreadable": "udd-values-unavailable",
    "gl-account-restricted": "gl-account-restricted",
    "account-requires-dimension": "dimension-required",
    "checking-account-no-location": "location-missing",
    "payment-summary-user-specified": "payment-batch-key",
    "invoice-number-exists": "document-number-exists",
    "field-not-found": "field-not-found",
    "undeposited-funds-foreign-currency": "undeposited-funds-foreign-currency",
    "smart-rule-violated": "smart-rule-violated",
    "liability-account-entity-level": "liability-account-entity-level",
    "period-closed": "period-closed",
    "too-many-operations": "too-many-operations",
    "rate-limited": "rate-limited",
    "session-expiry": "session-expired",
}
SAMPLE_VALUES = {
    "sender_id": "DemoSender",
    "company_id": "DEMO-COMPANY",
    "user_id": "ws_integration",
    "entity": "UK",
    "object": "ARINVOICE",
    "operation": "create",
    "account": "4010",
    "number": "INV-1001",
    "rule": "customer_creation",
    "level": "top level",
    "dimension": "Department",
    "field": "SYNC_REF",
    "date": "03/15/2026",
    "open_from": "11/01/2026",
    "method": "Credit Card",
}
LEVELS = {
    "control": ErrorLevel.CONTROL,
    "authentication": ErrorLevel.AUTHENTICATION,
    "result": ErrorLevel.RESULT,
    "http": ErrorLevel.TRANSPORT,
}


def _scenarios() -> dict[str, dict[str, object]]:
    data = tomllib.loads(resource_path("sandbox", "scenarios.toml").read_text(encoding="utf-8"))
    scenarios: dict[str, dict[str, object]] = data["scenarios"]
    return scenarios


@pytest.mark.parametrize("name", sorted(SCENARIO_FIXES))
def test_sandbox_scenario_wording_gets_the_contract_fix(name: str) -> None:
    scenario = _scenarios()[name]

    def text(key: str) -> str:
        return str(scenario.get(key, "")).format(**SAMPLE_VALUES)

    detail = ErrorDetail(
        text("errorno"), text("error_description"), text("description2"), text("correction")
    )
    situation = {
        "company-id-trailing-blank": frozenset({"company-id-padded"}),
        "udd-values-unreadable": frozenset({"udd"}),
    }.get(name, frozenset())
    context = MatchContext(level=LEVELS[str(scenario["level"])], situation=situation)
    assert match(detail, context).id == SCENARIO_FIXES[name]


def test_catalogue_has_every_contract_fix_id() -> None:
    contract_ids = set(SCENARIO_FIXES.values()) | {
        "duplicate-record",
        "chart-of-accounts-not-syncing",
        "malformed-request",
        "malformed-response",
        "service-unavailable",
        "keyring-unavailable",
        "endpoint-unreachable",
        "unrecognised-error",
    }
    catalogue = load_catalogue()
    for fix_id in contract_ids:
        assert catalogue.get(fix_id).id == fix_id
