"""The data-flow catalogue the Prepare page, the permission checks and the engine read."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from wizard.sync.flows import (
    Direction,
    FlowCatalogueError,
    PermissionLevel,
    default_path,
    load_flows,
    parse_flows,
)
from wizard.sync.outbox import OutboxKind
from wizard.sync.schema import PULLED_OBJECTS


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    with default_path().open("rb") as handle:
        return tomllib.load(handle)


def test_default_flows_need_ar_all_and_gl_cm_oe_read_only() -> None:
    catalogue = load_flows()
    assert catalogue.required_permissions(catalogue.default) == {
        "AR": PermissionLevel.ALL,
        "GL": PermissionLevel.READ_ONLY,
        "CM": PermissionLevel.READ_ONLY,
        "OE": PermissionLevel.READ_ONLY,
    }
    assert not catalogue.needs_entity_level(catalogue.default)
    assert catalogue.permission_steps(catalogue.default) == (
        ("Accounts Receivable", "All"),
        ("General Ledger", "Read only"),
        ("Cash Management", "Read only"),
        ("Order Entry", "Read only"),
    )


def test_pulls_alone_need_only_read_permissions() -> None:
    catalogue = load_flows()
    pulls = [flow.id for flow in catalogue.flows if flow.direction is Direction.PULL]
    levels = catalogue.required_permissions(pulls)
    assert set(levels.values()) == {PermissionLevel.READ_ONLY}
    assert all(
        op in {"read", "readByQuery", "query"} for _, op in catalogue.required_operations(pulls)
    )


def test_card_charges_need_cash_management_all_and_an_entity() -> None:
    catalogue = load_flows()
    assert catalogue.required_permissions(["card-charges-to-intacct"])["CM"] is PermissionLevel.ALL
    assert catalogue.needs_entity_level(["card-charges-to-intacct"])
    assert ("CCTRANSACTION", "create") in catalogue.required_operations(["card-charges-to-intacct"])


def test_required_operations_name_objects_and_operations() -> None:
    catalogue = load_flows()
    operations = catalogue.required_operations(["invoices-to-intacct"])
    assert ("ARINVOICE", "create") in operations
    assert ("GLACCOUNT", "readByQuery") in operations
    assert ("GLACCOUNT", "create") not in operations
    assert "create_invoice" in catalogue["invoices-to-intacct"].functions


def test_order_puts_customers_before_invoices_before_payments() -> None:
    catalogue = load_flows()
    chosen = ["payments-to-intacct", "invoices-to-intacct", "customers-to-intacct"]
    assert catalogue.order(chosen) == (
        "customers-to-intacct",
        "invoices-to-intacct",
        "payments-to-intacct",
    )
    everything = catalogue.order(catalogue.ids)
    for flow in catalogue.flows:
        for dependency in flow.depends_on:
            assert everything.index(dependency) < everything.index(flow.id), (flow.id, dependency)
    assert catalogue.push_kinds(chosen) == (
        OutboxKind.CUSTOMER,
        OutboxKind.INVOICE,
        OutboxKind.PAYMENT,
    )


def test_invoice_lines_take_the_custom_fields_of_the_integration_guide() -> None:
    catalogue = load_flows()
    fields = {
        field.id: field.intacct_field for field in catalogue["invoices-to-intacct"].line_fields
    }
    for field_id, element in {
        "glaccountno": "glaccountno",
        "location": "locationid",
        "department": "departmentid",
        "project": "projectid",
        "class": "classid",
        "customer": "customerid",
        "item": "itemid",
    }.items():
        assert fields[field_id] == element
    assert catalogue["customers-from-intacct"].line_fields == ()


def test_every_outbox_kind_has_one_push_flow_and_every_pull_has_a_table() -> None:
    catalogue = load_flows()
    pushes = [flow for flow in catalogue.flows if flow.direction is Direction.PUSH]
    assert sorted(flow.outbox_kind for flow in pushes) == sorted(OutboxKind)
    for flow in catalogue.flows:
        if flow.direction is Direction.PULL:
            for name in flow.objects:
                assert name in PULLED_OBJECTS, (
                    f"{flow.id} pulls {name}, which the store cannot keep"
                )


def test_unknown_flow_id_names_the_known_ones() -> None:
    catalogue = load_flows()
    with pytest.raises(KeyError, match="customers-to-intacct"):
        catalogue.required_permissions(["customers-to-intacta"])


def _broken(raw: dict[str, Any], flow_id: str, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(raw)
    for flow in data["flows"]:
        if flow["id"] == flow_id:
            flow.update(changes)
    return data


@pytest.mark.parametrize(
    ("flow_id", "changes", "message"),
    [
        ("invoices-to-intacct", {"direction": "sideways"}, r"'invoices-to-intacct'.*direction"),
        (
            "invoices-to-intacct",
            {"depends_on": ["customers-to-intacta"]},
            "no flow 'customers-to-intacta'",
        ),
        ("invoices-to-intacct", {"line_fields": ["colour"]}, "no custom field 'colour'"),
        ("invoices-to-intacct", {"outbox_kind": "receipt"}, "outbox_kind.*customer, invoice"),
        ("customers-from-intacct", {"depends_on": ["payments-from-intacct"]}, "loop"),
        ("customers-from-intacct", {"colour": "blue"}, "unknown key.*colour"),
        (
            "customers-from-intacct",
            {
                "uses": [
                    {
                        "object": "CUSTOMER",
                        "operations": ["create"],
                        "functions": ["create"],
                        "module": "AR",
                        "level": "all",
                    }
                ]
            },
            "pull flow only reads",
        ),
        (
            "customers-to-intacct",
            {
                "uses": [
                    {
                        "object": "CUSTOMER",
                        "operations": ["create"],
                        "functions": ["create"],
                        "module": "AR",
                        "level": "read_only",
                    }
                ]
            },
            'needs level "all"',
        ),
        (
            "customers-to-intacct",
            {
                "uses": [
                    {
                        "object": "CUSTOMER",
                        "operations": ["create"],
                        "functions": ["create"],
                        "module": "XX",
                        "level": "all",
                    }
                ]
            },
            "unknown module 'XX'",
        ),
    ],
)
def test_validation_says_which_flow_and_what_is_wrong(
    raw: dict[str, Any], flow_id: str, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(FlowCatalogueError, match=message):
        parse_flows(_broken(raw, flow_id, **changes))


def test_default_must_name_existing_flows(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    data["default"] = [*data["default"], "invoices-to-mars"]
    with pytest.raises(FlowCatalogueError, match=r"default.*invoices-to-mars"):
        parse_flows(data)


def test_broken_file_gives_a_message_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "flows.toml"
    path.write_text('default = ["a"\n', encoding="utf-8")
    with pytest.raises(FlowCatalogueError, match=r"flows.toml is not valid TOML"):
        load_flows(path)
    with pytest.raises(FlowCatalogueError, match="missing"):
        load_flows(tmp_path / "absent.toml")
