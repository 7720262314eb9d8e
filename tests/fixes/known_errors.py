"""Errors an admin may paste, and the fix each must get: a hand-written table.

Written from the seed documents (reference/seeds/*.txt) and the 44 rows of
reference/peers.md §2 (the `# n` comments give the row), with variants: other account
numbers and names, casing, spacing, HTML entities, connector prefixes. It does not read the
catalogue, so the tests fail when a rule breaks or a fix is renamed.
"""

from __future__ import annotations

# (what the admin pasted, the code they gave or None, the fix id they must get)
SEED_ERRORS: list[tuple[str, str | None, str]] = [
    # 000: INT068
    (
        "INT068 Sync Error: Sage Intacct couldn’t create a liability credit card account. When "
        "the Expensify Card is used, exports must be configured at the entity level for "
        "reconciliation.",
        None,
        "liability-account-entity-level",
    ),
    ("int068: could not create the liability account", None, "liability-account-entity-level"),
    ("Sync failed", "INT068", "liability-account-entity-level"),
    # 001: INT860
    (
        "INT860 Export Error: Sage Intacct couldn’t create the transaction because account "
        "[6000] (linked to Credit Card [AMEX-01]) is restricted.",
        None,
        "gl-account-restricted",
    ),
    (
        "INT860 Export Error: Sage Intacct couldn&#039;t create the transaction because account "
        "[7150.20] (linked to Credit Card [Visa Corporate]) is restricted.",
        None,
        "gl-account-restricted",
    ),
    # 002: INT402
    (
        "INT402 Sync Error: Sage Intacct couldn’t return values for dimension [Fund]. This "
        "typically occurs when User-Defined Dimensions aren’t set up correctly or are missing "
        "permissions.",
        None,
        "udd-values-unavailable",
    ),
    (
        "INT402   sync error:  Sage Intacct couldn't return values for dimension [Sales Channel].",
        None,
        "udd-values-unavailable",
    ),
    # 003: generic sync errors (BILL / accountingadvice)
    (
        "Sage Intacct Sync Error: This means that the document you are creating has no "
        "specified location. Hence you need to specify a location either within the Line Item "
        "or in the Financial Account.",
        None,
        "location-missing",
    ),
    (
        "The Invoices Summary frequency has been set to User Specified",
        None,
        "payment-batch-key",
    ),
    (
        "Sage Intacct sync error: chart of accounts aren’t syncing",
        None,
        "chart-of-accounts-not-syncing",
    ),
    (
        "Sage intacct sync error: Intacct user authentication failure",
        None,
        "user-credentials-invalid",
    ),
    (
        "Smart rule vendor_creation was violated. This record needs to be created at the top "
        "level. Please navigate to the correct level and recreate the record.",
        None,
        "smart-rule-violated",
    ),
    (
        "SMART RULE customer_creation WAS VIOLATED. This record needs to be created at the "
        "top level.",
        None,
        "smart-rule-violated",
    ),
    (
        "Please try syncing again. If this problem persists for more than 3 hours, please "
        "contact Customer Support",
        None,
        "reconnect-integration",
    ),
    ("Web Services Only is not enabled for the sync user", None, "user-not-web-services-only"),
    ("Project ID P-1001 already exists in Sage Intacct", None, "duplicate-record"),
    (
        "The project you selected is not associated with the customer selected at the line "
        "item level",
        None,
        "project-customer-mismatch",
    ),
    # 004: Invoiced troubleshooting
    (
        "non 200 status code 401: we could not connect to intacct using the credentials you "
        "provided",
        None,
        "user-credentials-invalid",
    ),
    ("A transaction with the number 'INV-00042' already exists.", None, "document-number-exists"),
    ("a transaction with the number 'xxx' already exists", None, "document-number-exists"),
    ("Please provide a payment batch key.", None, "payment-batch-key"),
    ("There was an error processing the request.", "DL02000001", "field-not-found"),
    ("dl02000001 error", None, "field-not-found"),
    (
        'You cannot make payment for foreign currency invoice for payment method "Credit Card" '
        "using Undeposited Fund Account.",
        None,
        "undeposited-funds-foreign-currency",
    ),
    ("BL02000051", None, "undeposited-funds-foreign-currency"),
    (
        "xmlgw jpp0001 there are too many operations running for this company",
        None,
        "too-many-operations",
    ),
    ("", "XMLGW_JPP0001", "too-many-operations"),
    (
        "This company is not authorized for XML transactions. Please subscribe to the XML Gateway.",
        None,
        "web-services-not-subscribed",
    ),
]

PEER_ERRORS: list[tuple[str, str | None, str]] = [
    # 2a. authentication, sender, session, transport
    (
        "Incorrect Intacct XML Partner ID or password.",
        "XL03000006",
        "sender-credentials-invalid",
    ),  # 1
    ("XL03000006 incorrect intacct xml partner id or password", None, "sender-credentials-invalid"),
    ("One or more authentication values are incorrect", "GW-0011", "user-credentials-invalid"),  # 2
    # REST API (reference intacct-rest-api.md §2.5, §4.3)
    ("Invalid Request", "GW-0011", "rest-client-refused"),
    ("Token is not valid", "tokenInvalid", "rest-sign-in-again"),
    ("REST-2102 Token is not valid", None, "rest-sign-in-again"),
    (
        "The redirect_uri does not match a redirect URI registered for the application",
        "invalidRequest",
        "rest-redirect-uri-mismatch",
    ),
    ("Invalid Token", "GW-0031", "rest-token-refused"),
    (
        "Every call fails and no data comes back; the sender's Needs Login for API is Yes",
        None,
        "sender-needs-login-for-api",
    ),  # 3
    (
        "INT122 Authentication error during sync. Please reenter your Sage Intacct credentials",
        None,
        "user-credentials-invalid",
    ),  # 4
    (
        "Login fails: there is a trailing blank in the stored Company ID",
        None,
        "company-id-whitespace",
    ),  # 5
    ("Sync error: entity access issue on bills", None, "entity-access"),  # 6
    ("The Console ID was entered instead of the company ID", None, "console-id-used"),  # 6
    ("INT907 Invalid connection configuration", None, "connection-config-corrupt"),  # 7
    ("INT993 Could not create 'cctransaction' record", None, "session-expired"),  # 8
    ("API rate limit exceeded", None, "rate-limited"),  # 9
    ("The Service is Temporarily Off-line", None, "service-unavailable"),  # 9
    ("HTTP 429 Too Many Requests", None, "rate-limited"),  # 10
    ("HTTP 502 Bad Gateway", None, "service-unavailable"),  # 10
    ("HTTP 503", None, "service-unavailable"),  # 10
    ("Cloudflare challenge page instead of a response", None, "service-unavailable"),  # 10
    ("HTTP 524: a timeout occurred", None, "service-unavailable"),  # 11
    ("Response result block is missing status element", None, "uncertain-write"),  # 12
    ("The session expired mid-sync", None, "session-expired"),  # 13
    # 2b. permissions and subscriptions
    (
        "You do not have permission for API operation READ_BY_QUERY on objects of type arinvoice",
        None,
        "permission-missing",
    ),  # 14
    ("HTTP 403 Forbidden", None, "permission-missing"),  # 14
    (
        "INT043 'xml_gateway' user is missing required permissions",
        None,
        "permission-missing",
    ),  # 15
    (
        "INT245 Invalid credentials, the user is missing required permissions or the "
        "reimbursable export option isn't fully configured",
        None,
        "time-expenses-not-set-up",
    ),  # 16
    ("No expense types found", None, "time-expenses-not-set-up"),  # 17
    ("Customers are missing from the import", None, "permission-missing"),  # 18
    (
        "AUDITHISTORY: There was an error processing the request.",
        None,
        "audit-history-unavailable",
    ),  # 19
    (
        "The stream fails for a module the company lacks (Fixed Assets): module not subscribed",
        None,
        "module-not-subscribed",
    ),  # 20
    ("Object definition FIXEDASSET not found", "Query Failed", "module-not-subscribed"),  # 20
    ("PO import fails with a permissions error", None, "permission-missing"),  # 21
    # 2c. multi-entity
    (
        "You cannot update a root-level vendor from an entity restricted user with one entity",
        None,
        "record-owned-at-top-level",
    ),  # 22
    (
        "BL03002073 Your configuration limits credits to the entity owners. You cannot apply "
        "negative line items in transactions with line items for multiple entities.",
        None,
        "negative-lines-multi-entity",
    ),  # 23
    (
        "Credit card charges are rejected at the top level",
        None,
        "charge-card-top-level",
    ),  # 24
    (
        "INT592 Smart Rule [VENDOR_ENTITY] violated. This record must be created at the Entity "
        "level",
        None,
        "smart-rule-violated",
    ),  # 25
    ("Chart of accounts does not sync", None, "chart-of-accounts-not-syncing"),  # 26
    # 2d. periods, approvals, document state
    (
        "INT035 Date associated with export must be on or after 01/07/2025",
        None,
        "period-closed",
    ),  # 27
    ("INT088 Cash Management subledger is closed", None, "period-closed"),  # 28
    ("Intacct does not allow us to update this bill", None, "document-cannot-change"),  # 29
    (
        "Transaction 'BILL-2231' is already paid and can't be deleted",
        None,
        "document-already-paid",
    ),  # 30
    ("There is no due on the bill 10442", None, "document-already-paid"),  # 31
    (
        "The amount cannot be updated on the Bill because of the current approval mode set",
        None,
        "document-cannot-change",
    ),  # 32
    ("Unapproved bill payment vanishes on the next pull", None, "payment-approval-on"),  # 33
    # 2e. master data, dimensions, GL, document definitions
    ("INT446 Vendor VEN-0042 is marked as 'On Hold'", None, "vendor-on-hold"),  # 34
    ("Activate the vendor Acme Supplies, then try again.", None, "record-inactive"),  # 35
    (
        "INT054 The employee could not be found in Sage Intacct",
        None,
        "employee-not-found",
    ),  # 36
    ("Required field Vendor ID is missing", None, "document-sequence-missing"),  # 37
    ("required field customer id is missing", None, "document-sequence-missing"),  # 37
    ("The term name Net 45 is invalid", None, "term-missing"),  # 38
    (
        "This transaction is missing the Department dimension for the Account 6100",
        None,
        "dimension-required",
    ),  # 39
    (
        "This transaction is missing the Cost Code dimension for the Account 5000.10",
        None,
        "dimension-required",
    ),  # 39
    (
        "GL account '6200' is not valid. GL account is restricted by department",
        None,
        "gl-account-restricted",
    ),  # 40
    (
        "Department '300' is not valid. Department is restricted by GL account '6200'",
        None,
        "gl-account-restricted",
    ),  # 40
    ("Department must be 100. This value is auto-filled", None, "value-auto-filled"),  # 41
    ("Location must be US-EAST", None, "value-auto-filled"),  # 41
    (
        "INT205 The project dimension you selected is not related to your header-level Customer ID",
        None,
        "project-customer-mismatch",
    ),  # 42
    (
        "The account number 1010 is associated to the Bank account BOA-CHK ...",
        None,
        "account-linked-to-bank-or-card",
    ),  # 43
    ("Please link vendor to this Charge Card.", None, "account-linked-to-bank-or-card"),  # 43
    ("Enable foreign-currency transactions, and try again", None, "multi-currency-off"),  # 44
    (
        "Specified subtotal of 'Misc' not found in the document definition",
        None,
        "document-definition-subtotal",
    ),  # 44
    ("Debits and credits are not equal", None, "entry-unbalanced"),  # 44
]

# What the sandbox (and so a real company) answers in its fault scenarios, as text.
SANDBOX_TEXTS: list[tuple[str, str | None, str]] = [
    ("This company is a demo company and has expired.", "PL04000055", "company-expired"),
    (
        "Another Customer with the given value(s) C-1001 already exists",
        "BL34000061",
        "duplicate-record",
    ),
    (
        "XML Parse schema error: Fatal Error 76: Opening and ending tag mismatch",
        "XL03000003",
        "malformed-request",
    ),
    ("Rate limit exceeded. Retry later.", "GW-0010", "rate-limited"),
    (
        "A liability credit card account must be created at the entity level.",
        "BL01001973",
        "liability-account-entity-level",
    ),
    (
        "The period for 03/15/2026 is closed. Date associated with the transaction must be on "
        "or after 11/01/2026.",
        "BL01001973",
        "period-closed",
    ),
    (
        "GL account '4010' is not valid. GL account '4010' is restricted and cannot be used "
        "for posting.",
        "BL01001973",
        "gl-account-restricted",
    ),
    (
        "A function with control ID 'push-42' was already processed for this company "
        "(uniqueid is true), so it was not run again.",
        "BL01001973",
        "uncertain-write",
    ),
    (
        "ARINVOICE records cannot be created with the generic create function. Use create_invoice.",
        "BL01001973",
        "malformed-request",
    ),
    (
        "The resultId 'abc123' is not valid or has expired. Run readByQuery again.",
        "Query Failed",
        "malformed-request",
    ),
    (
        "Provide one of batchkey, bankaccountid or undepfundsacct.",
        "BL03000018",
        "required-field-missing",
    ),
    ("GL account '1200' is inactive. Use an active account.", "BL01001973", "record-inactive"),
    ("Invalid Project '10064' specified.", "BL01001973", "reference-not-found"),
    ("Cannot find customer with key '99999' to delete.", "BL01001973", "reference-not-found"),
    (
        "The user ws_integration does not have access to entity 'US-WEST'.",
        "Get API Session Failed",
        "entity-access",
    ),
    ("No usable keyring backend: NoKeyringError", None, "keyring-unavailable"),
    ("[Errno 111] Connection refused", None, "endpoint-unreachable"),
]

# What a connection through a company proxy prints: the wizard's own messages and the wording
# of common HTTP stacks (urllib3/requests "Tunnel connection failed", httpx "ProxyError").
NETWORK_TEXTS: list[tuple[str, str | None, str]] = [
    (
        "The proxy http://proxy.corp.example:8080 asked for a sign-in (HTTP 407 Proxy "
        "Authentication Required)",
        None,
        "proxy-sign-in",
    ),
    ("Tunnel connection failed: 407 Proxy Authentication Required", None, "proxy-sign-in"),
    ("httpx.ProxyError: 407 Proxy Authentication Required", None, "proxy-sign-in"),
    ("Tunnel connection failed: 403 Forbidden", None, "proxy-refused"),
    ("ProxyError: 403 Forbidden", None, "proxy-refused"),
    ("Tunnel connection failed: 502 Bad Gateway", None, "unreachable-through-proxy"),
    (
        "HTTPSConnectionPool(host='api.intacct.com', port=443): Max retries exceeded (Caused by "
        "ProxyError('Unable to connect to proxy', OSError('Tunnel connection failed: 503 "
        "Service Unavailable')))",
        None,
        "unreachable-through-proxy",
    ),
    (
        "ProxyError('Cannot connect to proxy.', ConnectionRefusedError(111))",
        None,
        "proxy-unreachable",
    ),
]
