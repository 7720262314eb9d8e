"""Legacy (2.1-style) deletes the reference lists (§3.7) run as documented."""

from __future__ import annotations

from sandbox_client import Client, fn

from wizard.sandbox import Sandbox


def test_delete_customer_removes_the_customer_named_by_its_id(
    sandbox: Sandbox, client: Client
) -> None:
    made = client.call(
        fn("<create><CUSTOMER><CUSTOMERID>C-DEL</CUSTOMERID><NAME>Gone</NAME></CUSTOMER></create>")
    )
    assert made.first("//result/status") == "success"
    gone = client.call(fn('<delete_customer customerid="C-DEL"/>'))
    assert gone.first("//result/status") == "success"
    assert gone.first("//result/function") == "delete_customer"
    after = client.call(fn("<readByName><object>CUSTOMER</object><keys>C-DEL</keys></readByName>"))
    assert after.all("//CUSTOMER/CUSTOMERID") == []
    again = client.call(fn('<delete_customer customerid="C-DEL"/>'))
    assert again.first("//result/status") == "failure"
    assert again.first("//errorno") == "BL01001973"
    assert again.first("//description2") == "Cannot find customer with key 'C-DEL' to delete."


def test_delete_invoice_takes_the_record_number(sandbox: Sandbox, client: Client) -> None:
    before = sandbox.company.count("ARINVOICE")
    gone = client.call(fn('<delete_invoice key="3"/>'))
    assert gone.first("//result/status") == "success"
    assert sandbox.company.count("ARINVOICE") == before - 1


def test_a_legacy_delete_without_its_key_says_which_is_missing(client: Client) -> None:
    answer = client.call(fn("<delete_glaccount/>"))
    assert answer.first("//result/status") == "failure"
    assert "glaccountno" in answer.first("//description2")
