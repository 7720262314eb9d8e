"""The test posting's own edges: what it says when it cannot be sent, and when it is off."""

from __future__ import annotations

from diagnose_helpers import MakeContext

from wizard.checks import CheckStatus
from wizard.checks.posting_trial import Trial, try_one
from wizard.sync.documents import Builder
from wizard.sync.outbox import OutboxKind
from wizard.sync.settings import SyncSettings


def test_a_test_document_that_cannot_be_sent_is_not_reported_as_refused(
    make_context: MakeContext,
) -> None:
    context = make_context(endpoint="http://127.0.0.1:9/ia/xml/xmlgw.phtml")  # nothing listens
    builder = Builder(
        context.flow_catalogue,
        SyncSettings.from_profile(context.profile, context.flow_catalogue.default),
        invoice_key=lambda _record_id: None,
    )
    trial = Trial(OutboxKind.CUSTOMER, "a customer", "WIZARD-TEST-CUSTOMER", {"name": "Test"})
    tried = try_one(context, builder, trial)
    assert tried.unsent and not tried.accepted and not tried.kept
    assert tried.fix is not None and tried.fix.id != "unrecognised-error"


def test_switched_off_it_sends_nothing(make_context: MakeContext) -> None:
    from wizard.checks.posting_trial import posting_trial

    context = make_context()
    context.test_posting = False
    verdict = posting_trial(context)
    assert verdict.status is CheckStatus.SKIPPED
    assert context.requests == 0
