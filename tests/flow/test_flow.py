"""The wizard's navigation, walked without any widget (as Electrum tests its wizard)."""

from __future__ import annotations

import pytest

from wizard.flow import Flow, FlowError, PageId, PermissionModel, Route, WizardData, planned_pages
from wizard.flow.pages import missing


def _new_connection_until_test() -> Flow:
    flow = Flow()
    flow.advance(flow.data.replace(route=Route.NEW))
    flow.advance(flow.data.replace(permission_model=PermissionModel.ROLE_BASED))
    flow.advance(
        flow.data.replace(
            company_id="ACME", user_id="ws_sync", sender_id="AcmeSender", credentials_saved=True
        )
    )
    return flow


def test_new_connection_walks_every_setup_page_in_order() -> None:
    flow = _new_connection_until_test()
    assert flow.page is PageId.TEST
    flow.advance(flow.data.replace(connection_ok=True, entities=("US-EAST", "UK")))
    assert flow.page is PageId.ENTITY
    flow.advance(flow.data.replace(entity_choice="UK"))
    flow.advance(flow.data.replace(flows=("customers", "invoices")))
    assert flow.page is PageId.FIRST_SYNC
    assert not flow.is_last()
    flow.advance(flow.data.replace(sync_finished=True))
    assert flow.page is PageId.DONE
    assert flow.is_last()
    with pytest.raises(FlowError, match="last page"):
        flow.advance()
    assert [step.page for step in flow.history] == [
        PageId.WELCOME,
        PageId.PREPARE,
        PageId.CREDENTIALS,
        PageId.TEST,
        PageId.ENTITY,
        PageId.MAPPINGS,
        PageId.FIRST_SYNC,
    ]


def test_company_without_entities_skips_the_entity_page() -> None:
    flow = _new_connection_until_test()
    assert flow.advance(flow.data.replace(connection_ok=True, entities=())) is PageId.MAPPINGS


def test_demo_needs_no_preparation_and_no_typed_credentials() -> None:
    flow = Flow()
    assert flow.advance(flow.data.replace(route=Route.DEMO)) is PageId.TEST
    assert planned_pages(flow.data) == (
        PageId.WELCOME,
        PageId.TEST,
        PageId.ENTITY,
        PageId.MAPPINGS,
        PageId.FIRST_SYNC,
        PageId.DONE,
    )


def test_diagnose_goes_from_the_saved_profile_to_findings_and_optionally_a_retry() -> None:
    flow = Flow()
    choice = flow.data.replace(route=Route.DIAGNOSE)
    # Diagnosing needs a saved connection to test.
    assert flow.blockers(choice) == ("connection_ready",)
    with pytest.raises(FlowError, match="connection_ready"):
        flow.advance(choice)
    assert flow.page is PageId.WELCOME and not flow.history

    assert flow.advance(choice.replace(profile="Acme production")) is PageId.TEST
    flow.update(flow.data.replace(connection_ok=False))
    assert flow.peek() is PageId.FINDINGS
    flow.advance()
    assert flow.is_last(), "without a retry, Findings is where the diagnosis ends"
    assert flow.peek(flow.data.replace(retry_requested=True)) is PageId.RETRY
    # Retrying failed records needs a working connection.
    assert flow.blockers(flow.data.replace(retry_requested=True)) == ("connection_ok",)


def test_diagnose_asks_for_the_passwords_first_when_they_are_not_on_this_computer() -> None:
    """Issue 12, item 5: with the saved passwords missing (no keyring, or no item), the
    Passwords page comes before the test, and the test waits until they are typed."""
    flow = Flow()
    missing = flow.data.replace(route=Route.DIAGNOSE, profile="Acme", passwords_needed=True)
    assert flow.advance(missing) is PageId.PASSWORDS
    assert flow.position() == (2, 5)
    assert flow.peek() is PageId.TEST and flow.blockers() == ("connection_ready",)
    assert flow.advance(flow.data.replace(passwords_typed=True)) is PageId.TEST
    assert flow.position() == (3, 5)
    assert "passwords_typed" in flow.data.describe(), "a fact, never the passwords"


def test_no_route_chosen_means_next_cannot_go_on() -> None:
    flow = Flow()
    assert not flow.is_last(), "Welcome is never the last page"
    assert flow.blockers() == ("route",)
    assert not flow.can_advance()


def test_back_restores_what_the_admin_had_entered_on_that_page() -> None:
    flow = Flow()
    flow.advance(flow.data.replace(route=Route.NEW))
    ticked = flow.data.replace(
        permission_model=PermissionModel.USER_BASED, prepared_steps=frozenset({"subscription"})
    )
    flow.advance(ticked)
    on_credentials = flow.data.replace(company_id="ACME", user_id="ws", sender_id="S")
    flow.update(on_credentials)

    assert flow.back() is PageId.PREPARE
    assert flow.data == ticked, "Prepare comes back with its ticks and permission model"
    assert flow.data.company_id == "", "what was typed on a later page is not carried back"
    assert flow.back() is PageId.WELCOME
    assert flow.data.route is Route.NEW
    with pytest.raises(FlowError, match="first page"):
        flow.back()


def test_back_then_a_different_choice_takes_the_new_route() -> None:
    flow = Flow()
    flow.advance(flow.data.replace(route=Route.NEW))
    flow.back()
    assert flow.advance(flow.data.replace(route=Route.DEMO)) is PageId.TEST
    assert [step.page for step in flow.history] == [PageId.WELCOME]


@pytest.mark.parametrize(
    ("page", "data", "lacking"),
    [
        (PageId.PREPARE, WizardData(), ("route",)),
        (PageId.TEST, WizardData(route=Route.NEW, company_id="A"), ("connection_ready",)),
        (PageId.ENTITY, WizardData(route=Route.DEMO, connection_ok=False), ("connection_ok",)),
        (
            PageId.MAPPINGS,
            WizardData(route=Route.NEW, connection_ok=True, entities=("UK",)),
            ("entity_decided",),
        ),
        (
            PageId.FIRST_SYNC,
            WizardData(route=Route.DEMO, connection_ok=True, entity_choice=""),
            ("flows",),
        ),
        (PageId.DONE, WizardData(route=Route.DEMO), ("sync_finished",)),
        (PageId.FINDINGS, WizardData(route=Route.DIAGNOSE), ("tested",)),
    ],
)
def test_each_page_names_what_it_still_needs(
    page: PageId, data: WizardData, lacking: tuple[str, ...]
) -> None:
    assert missing(page, data) == lacking


def test_new_connection_cannot_reach_the_test_before_the_secrets_are_saved() -> None:
    flow = Flow()
    flow.advance(flow.data.replace(route=Route.NEW))
    flow.advance()
    typed = flow.data.replace(company_id="ACME", user_id="ws", sender_id="S")
    assert not flow.can_advance(typed)
    assert flow.can_advance(typed.replace(credentials_saved=True))


def test_step_counter_is_stable_along_a_route() -> None:
    flow = Flow()
    flow.advance(flow.data.replace(route=Route.NEW))
    assert flow.position() == (2, 8)
    flow.advance()
    assert flow.position() == (3, 8)
    flow.back()
    assert flow.position() == (2, 8)


def test_step_counter_total_does_not_change_when_an_optional_page_is_skipped() -> None:
    """Issue 12, item 9: the counter jumped between "of 6", "of 8" and "of 3"."""
    flow = Flow()
    flow.advance(flow.data.replace(route=Route.DEMO))
    assert flow.position() == (2, 6)
    flow.advance(flow.data.replace(connection_ok=True, entities=()))  # no entities: skipped
    assert flow.page is PageId.MAPPINGS and flow.position() == (4, 6)
    diagnose = Flow()
    diagnose.advance(diagnose.data.replace(route=Route.DIAGNOSE, profile="ACME"))
    assert diagnose.page is PageId.TEST and diagnose.position() == (3, 5)  # no Passwords
    diagnose.advance(diagnose.data.replace(connection_ok=False))
    assert diagnose.page is PageId.FINDINGS and diagnose.position() == (4, 5)


def test_summary_for_logs_is_plain_data() -> None:
    data = WizardData(route=Route.NEW, prepared_steps=frozenset({"b", "a"}), entities=("UK",))
    summary = data.describe()
    assert summary["route"] == "new"
    assert summary["prepared_steps"] == ["a", "b"]
    assert summary["entities"] == ["UK"]


def test_over_the_rest_api_the_route_ends_at_the_connection_test() -> None:
    """Entity, mappings, trial and first sync work over the XML gateway only: a REST route
    stops at the test, and its step counter counts only the pages it shows."""
    from wizard.connection import ConnectionMethod

    flow = Flow()
    flow.advance(flow.data.replace(route=Route.DEMO, method=ConnectionMethod.REST))
    assert flow.page is PageId.TEST
    assert flow.position() == (2, 2)
    ready = flow.data.replace(connection_ok=True, entities=("US-EAST", "UK"))
    assert flow.is_last(ready)
    new = Flow()
    new.advance(new.data.replace(route=Route.NEW, method=ConnectionMethod.REST))
    new.advance(new.data.replace(permission_model=PermissionModel.ROLE_BASED))
    # No sender ID over REST: the app's client ID and secret stand in for it.
    new.advance(new.data.replace(company_id="ACME", credentials_saved=True))
    assert new.page is PageId.TEST
    assert new.position() == (4, 4)
    assert new.is_last()
    diagnose = Flow()
    diagnose.advance(
        diagnose.data.replace(route=Route.DIAGNOSE, profile="acme", method=ConnectionMethod.REST)
    )
    assert diagnose.peek() is PageId.FINDINGS


def test_the_sync_choices_are_pending_until_mappings_on_a_new_or_demo_connection() -> None:
    assert WizardData(route=Route.DEMO).choices_pending
    assert WizardData(route=Route.NEW).choices_pending
    assert not WizardData(route=Route.NEW, flows=("invoices-to-intacct",)).choices_pending
    assert not WizardData(route=Route.DIAGNOSE).choices_pending, "a saved connection has them"
    assert not WizardData(route=Route.NEW, integration="expensify").choices_pending
    from wizard.connection import ConnectionMethod

    assert not WizardData(route=Route.DEMO, method=ConnectionMethod.REST).choices_pending
