"""The diagnostic checks (wizard/checks) a fix may name as `verified_by`.

Fixed by the cross-team contract so the catalogue can be validated before the checks exist.
"""

from __future__ import annotations

CHECK_IDS: frozenset[str] = frozenset(
    {
        "keyring-secrets",
        "endpoint-reachable",
        "sender-authorized",
        "user-sign-in",
        "session-entity",
        "web-services-only-user",
        "permissions",
        "entity-level",
        "dimensions",
        "gl-accounts",
        "checking-account-locations",
        "payment-summary-frequency",
        "custom-fields",
        "document-numbering",
        "concurrency",
        "module-settings",
        "test-posting",
        # Over the REST API (wizard/checks/rest_*.py)
        "rest-sign-in",
        "rest-sign-in-page",
        "rest-token-accepted",
        "rest-web-services-user",
        "rest-entity",
        "rest-permissions",
        "rest-dimensions",
        "rest-accounts",
        "rest-test-posting",
    }
)
