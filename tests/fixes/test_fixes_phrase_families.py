"""Phrase families the rules name by their shape, not by one sentence.

Each family below is a way Intacct, an SDK or a parser words a cause whatever record or field it
is about: "<part> block is missing <element>", a period that "has been closed", a user who "does
not have permission", "Enter a <field> on line <n>". The wordings were written for this test
(other records, other fields, other SDKs), none a catalogue example, a training text or a
held-out text. With resources/fixes/ as it was before the family patterns, 47 of this module's
tests fail; the rest were already near enough to an example wording.
"""

from __future__ import annotations

import pytest

from tests.fixes.test_fixes_real_errors import example_copies, held_out_copies
from wizard.fixes import match

PHRASE_FAMILIES: dict[str, list[str]] = {
    # The SDKs' answer parsers and XML parsers: the answer is not what an Intacct answer holds.
    "malformed-response": [
        "Intacct\\Exception\\ResultException: Operation block is missing authentication element",
        "IntacctException: Control block is missing dtdversion element",
        "System.Xml.XmlException: Data at the root level is invalid. Line 1, position 1.",
        "lxml.etree.XMLSyntaxError: Extra content at the end of the document, line 3, column 1",
        "XML Parsing Error: no root element found, line 1, column 1",
        "Start tag expected, '<' not found, line 1",
    ],
    "period-closed": [
        "The GL batch date falls in a period that has been closed",
        "Posting refused: the reporting period for March has been closed",
        "This bill is dated in a period which has been closed by your accountant",
    ],
    "permission-missing": [
        "The sync user doesn't have permission to create vendors",
        "User ws_api does not have the required permission for AP bills",
        "Insufficient access rights to read departments",
    ],
    "user-credentials-invalid": [
        "Connection test failed: incorrect credentials for Sage Intacct",
        "Sign-in refused - incorrect credentials",
        "Intacct answered: incorrect credentials (user ws_sync)",
        "Unable to authenticate with Sage Intacct: wrong password",
        "Your password has expired. Please change your password.",
        "Company ID not found",
        "Invalid company ID",
    ],
    # Sign-in failures that are not a wrong password: each has its own fix.
    "user-locked": [
        "The user account is inactive",
        "User ws_api has been deactivated",
        "The integration user is suspended",
    ],
    "user-not-web-services-only": [
        "Two-step verification is required for this user",
        "Sign-in blocked: two-factor authentication is enabled for the user",
        "Multi-factor authentication required",
    ],
    "sender-credentials-invalid": [
        "Invalid sender credentials",
        "Wrong sender password for ACME_SENDER",
        "The sender credentials were rejected",
    ],
    "entity-access": [
        "The entity ID is not valid for this user",
        "Entity ID E-300 not found",
        "entity id 'US-WEST' is unknown",
    ],
    "proxy-sign-in": [
        "Proxy authentication failed: wrong password for proxy.corp.local",
        "proxy authentication error (NTLM)",
        "Proxy authentication failure for user jdoe",
    ],
    "employee-not-found": [
        "Expense report owner: the employee 'E-2231' is invalid",
        "Employee ID JSMITH is not valid",
        "Export failed: employee 1044 is invalid.",
    ],
    "location-missing": [
        "Use of empty location is invalid on line 2",
        "Bill B-17, line 3: a valid multi-entity location must be specified before posting",
        "Empty location is not valid for the top level",
        "Entity must be specified at the top level",
    ],
    "required-field-missing": [
        "Enter a department on line item 3, and try again",
        "Enter an expense type on line 2 in transaction 'EXP-55' and try again",
        "Enter a GL account number on line item 4 of purchase order PO-9",
    ],
    "record-inactive": [
        "The default AR account for shipping lines is missing or inactive",
        "Vendor V-204 is missing or inactive",
        "The class on line 1 is missing or inactive",
    ],
    "document-already-paid": [
        "The payment amount 500.00 exceeds the amount due on bill 8812",
        "Amount applied exceeds total amount due for invoice INV-77",
        "Credit of 20.00 exceeds amount due",
        "Payment exceeds the open balance of the invoice",
    ],
    "dimension-required": [
        "Account 6000 requires a Department",
        "GL account 7200 requires a location on every line",
        "Account 5100 requires an employee",
        "Department is required on line 2 for account 6100",
    ],
    "document-cannot-change": [
        "Cannot edit a posted transaction",
        "Posted bills cannot be modified",
        "Update refused: posted invoices may not be changed",
        "This invoice is approved and can no longer be edited",
    ],
    "account-linked-to-bank-or-card": [
        "Account 1010 is a bank account and cannot be used on an invoice line",
        "The GL account is linked to a credit card account; choose another account",
        "Account 1200 is tied to a checking account",
    ],
    "duplicate-record": [
        "Customer ID C-1 is already in use",
        "Vendor ID ACME is already taken",
        "The project ID P-9 is already in use",
    ],
    "reference-not-found": [
        "Location 'LOC-9' does not exist",
        "Customer 'C-404' doesn't exist",
        "Department 'D-12' does not exist",
    ],
    "field-not-found": [
        "Unknown column 'FOO' in select list",
        "SQL error: unknown column 'REGION' in field list",
        "unknown column MEMO2 in query",
    ],
    "malformed-request": [
        "BL03000018 The customer ID 'Array' is invalid.",
        "The value 'Array' is not valid for field LOCATIONID",
        "The posting date 'Array' is invalid",
    ],
}


@pytest.mark.parametrize(
    ("fix_id", "text"),
    [(fix_id, text) for fix_id, texts in PHRASE_FAMILIES.items() for text in texts],
    ids=lambda v: str(v)[:50],
)
def test_a_family_is_named_whatever_record_it_is_about(fix_id: str, text: str) -> None:
    assert match(text).id == fix_id


def test_these_wordings_are_not_examples_or_held_out_texts() -> None:
    assert all(len(texts) >= 3 for texts in PHRASE_FAMILIES.values())
    assert not example_copies(PHRASE_FAMILIES)
    assert not held_out_copies(PHRASE_FAMILIES)


@pytest.mark.parametrize(
    ("text", "fix_id"),
    [
        # A JSON parser meeting "<" is a web page, not a broken XML answer.
        ("SyntaxError: Unexpected token < in JSON at position 0", "html-page-instead-of-answer"),
        # Intacct's own "XML parse error" is about the request the integration sent.
        ("XL03000009 XML parse error in the request", "malformed-request"),
        # "Result block is missing status" means the write may have happened: not the same advice.
        ("Response result block is missing status element", "uncertain-write"),
        # A record that is inactive is not a user that is; a keyring's password is not Intacct's.
        ("Vendor V-2 is inactive", "record-inactive"),
        ("Failed to unlock the keyring: wrong password", "keyring-unavailable"),
        ("The sender password is wrong", "sender-credentials-invalid"),
    ],
    ids=lambda v: str(v)[:40],
)
def test_neighbouring_families_keep_their_own_fix(text: str, fix_id: str) -> None:
    assert match(text).id == fix_id


# Causes the catalogue has no fix for, in words near its fixes' words ("item", "expired",
# "not available", "missing"): the generic answer, never a named fix.
NO_CATALOGUE_CAUSE = [
    "Object reference not set to an instance of an object.",
    "TypeError: Cannot read properties of undefined (reading 'RECORDNO')",
    "413 Request Entity Too Large",
    "The attachment exceeds the maximum size of 20 MB",
    "Tax solution is not set up for this entity",
    "The credit card on file has expired",
    "Not enough quantity on hand for item WIDGET-1",
    "Exchange rate for EUR on 2025-01-01 is not available",
    "Memo field exceeds 1000 characters",
    "Reimbursement account is not mapped in the workspace settings",
    "An unexpected error has occurred. Please try again later.",
    "The billable flag cannot be set without a customer",
    "Purchase order PO-5 is already closed and cannot be converted",
    "The currency conversion failed because the rate type is missing",
]


@pytest.mark.parametrize("text", NO_CATALOGUE_CAUSE, ids=lambda v: str(v)[:40])
def test_a_cause_the_catalogue_lacks_gets_the_generic_answer(text: str) -> None:
    assert match(text).id == "unrecognised-error"
