"""Checks that judge what the admin chose against the live demo company."""

from __future__ import annotations

import socket
from dataclasses import replace

import pytest
from diagnose_helpers import MakeContext, diagnose, failures

from wizard.checks import Access, CheckStatus, Runner
from wizard.connection import Mappings
from wizard.sandbox import Sandbox


def _only(make_context: MakeContext, check: str, **changes: object):  # type: ignore[no-untyped-def]
    context = make_context(**changes)
    return Runner(context).run_one(check)


def test_a_top_level_deposit_account_without_a_location_is_named(
    sandbox: Sandbox, make_context: MakeContext
) -> None:
    posting = {"deposit_accounts": ("BOA-OPS",)}
    assert (
        _only(make_context, "checking-account-locations", posting=posting).status
        is CheckStatus.PASS
    )
    sandbox.enable("checking-account-no-location")  # someone empties BOA-OPS's location
    finding = _only(make_context, "checking-account-locations", posting=posting)
    assert finding.fix_id == "location-missing"
    assert "BOA-OPS" in finding.evidence


def test_in_an_entity_the_entity_gives_payments_their_location(
    sandbox: Sandbox, make_context: MakeContext
) -> None:
    sandbox.enable("checking-account-no-location")
    finding = _only(
        make_context,
        "checking-account-locations",
        posting={"deposit_accounts": ("BOA-OPS",)},
        entity_id="US-EAST",
    )
    assert finding.status is CheckStatus.PASS


def test_inactive_and_unknown_gl_accounts_are_named(make_context: MakeContext) -> None:
    inactive = _only(make_context, "gl-accounts", posting={"gl_accounts": ("4000", "4300")})
    assert inactive.fix_id == "record-inactive" and "4300" in inactive.evidence
    unknown = _only(make_context, "gl-accounts", posting={"gl_accounts": ("4000", "9999")})
    assert unknown.fix_id == "chart-of-accounts-not-syncing" and "9999" in unknown.evidence


def test_a_required_dimension_is_covered_by_a_default(
    sandbox: Sandbox, make_context: MakeContext
) -> None:
    sandbox.set_scenarios(["account-requires-dimension"])
    profile = make_context().profile
    covered = replace(profile.mappings, default_department="SALES")
    finding = _only(make_context, "gl-accounts", mappings=covered)
    assert finding.status is CheckStatus.PASS


def test_card_charges_at_the_top_level_need_an_entity(make_context: MakeContext) -> None:
    flows = ("bank-accounts-from-intacct", "card-charges-to-intacct")
    top = make_context(mappings=Mappings(flows=flows))
    assert Runner(top).run_one("entity-level").fix_id == "liability-account-entity-level"
    entity = make_context(mappings=Mappings(flows=flows), entity_id="US-EAST")
    assert Runner(entity).run_one("entity-level").status is CheckStatus.PASS


def test_invoice_numbers_in_intacct_s_own_sequence_collide(make_context: MakeContext) -> None:
    finding = _only(
        make_context, "document-numbering", posting={"document_number_prefix": "INV-2026-"}
    )
    assert finding.fix_id == "document-number-exists"
    assert "INV-" in finding.evidence


def test_batch_keys_satisfy_user_specified_payment_summaries(
    sandbox: Sandbox, make_context: MakeContext
) -> None:
    sandbox.set_scenarios(["payment-summary-user-specified"])
    finding = _only(make_context, "payment-summary-frequency", posting={"payment_posting": "batch"})
    assert finding.status is CheckStatus.PASS


def test_an_unknown_default_location_is_named(make_context: MakeContext) -> None:
    profile = make_context().profile
    wrong = replace(profile.mappings, default_location="ATLANTIS")
    finding = _only(make_context, "dimensions", mappings=wrong)
    assert finding.fix_id == "reference-not-found" and "ATLANTIS" in finding.evidence


def test_the_permission_grid_shows_each_needed_operation(
    sandbox: Sandbox, make_context: MakeContext
) -> None:
    sandbox.set_scenarios(["no-permission-ar"])
    finding = _only(make_context, "permissions")
    grid = finding.grid
    assert grid is not None and grid.columns == ("read", "create", "update", "delete")
    modules = {row.object: row.module for row in grid.rows}
    assert modules["ARINVOICE"] == "AR" and modules["GLACCOUNT"] == "GL"
    assert grid.cell("ARINVOICE", "read").access is Access.DENIED
    assert grid.cell("ARINVOICE", "create").access is Access.DENIED
    assert grid.cell("ARINVOICE", "create").fix_id == "permission-missing"
    assert grid.cell("GLACCOUNT", "read").access is Access.ALLOWED
    assert not grid.cell("GLACCOUNT", "create").needed
    assert ("CUSTOMER", "update") in grid.denied()
    # Order Entry is read-only in the demo company, and the sync only reads it.
    sandbox.set_scenarios([])
    clean = _only(make_context, "permissions").grid
    assert clean is not None and clean.denied() == ()
    assert clean.cell("SODOCUMENT", "read").access is Access.ALLOWED


def test_an_unreachable_gateway_is_told_apart_from_a_refusing_one(
    make_context: MakeContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    # Nothing listens on that port any more: the connection is refused.
    findings = diagnose(make_context(endpoint=f"http://127.0.0.1:{port}/ia/xml/xmlgw.phtml"))
    assert failures(findings) == {"endpoint-reachable": "endpoint-unreachable"}
    assert "did not accept a connection" in findings["endpoint-reachable"].evidence
    # A failed name look-up cannot be produced on 127.0.0.1 on demand (and tests never ask
    # a real DNS server), so the resolver answers as it does offline.
    real = socket.getaddrinfo

    def offline(host: str, *args: object, **kwargs: object) -> object:
        if host == "api.intacct.example":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", offline)
    name = make_context(endpoint="https://api.intacct.example/ia/xml/xmlgw.phtml")
    unresolved = Runner(name).run_one("endpoint-reachable")
    assert unresolved.fix_id == "endpoint-unreachable"
    assert "could not be looked up" in unresolved.evidence
