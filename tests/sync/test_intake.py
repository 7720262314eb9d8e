"""Records to send, from files: the sample files make a round trip through the sandbox, bad
files add nothing and say what to change, encodings are read or named."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from tests.sync.sync_helpers import EngineMaker, copies_in_intacct, demo_settings
from wizard import cli
from wizard.resources import resource_path
from wizard.sandbox import Sandbox
from wizard.sync.intake.importer import Importer
from wizard.sync.intake.templates import load_templates
from wizard.sync.outbox import OutboxKind, OutboxState
from wizard.sync.store import Store

SAMPLES = resource_path("samples")
SAMPLE_FILES = [
    "payments.csv",
    "invoices.jsonl",
    "adjustments.jsonl",
    "invoices.csv",
    "customers.csv",
]
EAST = demo_settings(entity_id="US-EAST")


def _import(store: Store, *files: Path | str, extra: tuple[str, ...] = ()) -> tuple[int, dict]:
    """Runs `intacct-wizard outbox import ... --json` on the store's file; (exit, JSON)."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = cli.main(
            ["outbox", "import", *map(str, files), "--database", str(store.path), "--json", *extra]
        )
    return status, json.loads(out.getvalue())


def test_sample_files_round_trip_once_with_amounts_and_entity(
    sandbox: Sandbox, store: Store, make_engine: EngineMaker
) -> None:
    engine = make_engine(EAST)
    engine.run()  # the first sync reads the customers the files refer to
    status, outcome = _import(store, *(SAMPLES / name for name in SAMPLE_FILES))
    assert status == 0, outcome
    added = {Path(f["file"]).name: f["added"] for f in outcome["files"]}
    assert added == {
        "customers.csv": 2,
        "invoices.csv": 3,
        "invoices.jsonl": 2,
        "adjustments.jsonl": 1,
        "payments.csv": 2,
    }
    # customers went first whatever order the files were named in
    assert Path(outcome["files"][0]["file"]).name == "customers.csv"

    summary = engine.run()
    assert summary.push.landed == 10 and summary.push.failed == 0
    assert set(copies_in_intacct(sandbox, store).values()) == {1}

    invoices = {r["RECORDID"]: r for r in sandbox.company.records("ARINVOICE")}
    assert Decimal(invoices["WEB-5001"]["TOTALENTERED"]) == Decimal("1250.00")
    assert Decimal(invoices["WEB-5003"]["TOTALENTERED"]) == Decimal("430.10")
    assert Decimal(invoices["WEB-5004"]["TOTALENTERED"]) == Decimal("310.00")
    assert invoices["WEB-5001"]["EXTERNALID"] == "shop-5001"
    assert invoices["WEB-5002"]["WHENDUE"]  # from the terms N30
    for number in ("WEB-5001", "WEB-5002", "WEB-5003", "WEB-5004", "WEB-5005"):
        assert invoices[number]["MEGAENTITYID"] == "US-EAST"
    payment = next(r for r in sandbox.company.records("ARPYMT") if r["DOCNUMBER"] == "PAY-9001")
    assert payment["INVOICEKEY"] == invoices["WEB-5001"]["RECORDNO"]
    assert Decimal(payment["AMOUNTOPAY"]) == Decimal("1250.00")
    credit = next(r for r in sandbox.company.records("ARADJUSTMENT") if r["RECORDID"] == "CN-7001")
    assert credit["INVOICENO"] == "WEB-5001" and credit["MEGAENTITYID"] == "US-EAST"
    # each line landed with the account, amount and dimensions of its row in the file
    lines: dict[str, list[tuple[str, str, str, str]]] = {}
    by_key = {r["RECORDNO"]: number for number, r in invoices.items()}
    for item in sandbox.company.records("ARINVOICEITEM"):
        number = by_key[item["RECORDKEY"]]
        lines.setdefault(number, []).append(
            (item["ACCOUNTNO"], item["AMOUNT"], item["LOCATIONID"], item["DEPARTMENTID"])
        )
    assert lines["WEB-5001"] == [
        ("4000", "1000.00", "BOS", "SALES"),
        ("4200", "250.00", "BOS", "SALES"),
    ]
    assert lines["WEB-5003"] == [("4000", "400.00", "BOS", "SVC"), ("4200", "30.10", "BOS", "SVC")]
    assert lines["WEB-5004"] == [
        ("4000", "300.00", "NYC", "SALES"),
        ("4200", "10.00", "NYC", "SALES"),
    ]
    assert lines["WEB-5005"] == [("4000", "75.50", "BOS", "OPS")]

    status, again = _import(store, *(SAMPLES / name for name in SAMPLE_FILES))
    assert status == 0
    assert sum(f["added"] + f["updated"] for f in again["files"]) == 0
    assert sum(f["unchanged"] for f in again["files"]) == 10
    assert engine.run().push.records_sent == 0


def test_three_bad_rows_add_nothing_and_name_row_column_and_fix(
    store: Store, make_engine: EngineMaker, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_engine(EAST).run()
    bad = tmp_path / "invoices.csv"
    bad.write_text(
        "INVOICE_NO,CUSTOMER_ID,CREATED_DATE,DUE_DATE,TOTAL_DUE,LINE_NO,ACCT_NO,AMOUNT\n"
        "B-1,C-1001,11/02/2026,12/02/2026,100.00,1,4000,100.00\n"
        "B-2,C-1001,31/12/2026,01/31/2027,50.00,1,4000,50.00\n"
        "B-3,C-9999,11/02/2026,12/02/2026,20.00,1,4000,20.00\n"
        "B-4,C-1001,11/02/2026,12/02/2026,75.00,1,4000,7O.00\n"
        "B-5,C-1001,11/02/2026,12/02/2026,30.00,1,4000,30.00\n",
        encoding="utf-8",
    )
    status = cli.main(["outbox", "import", str(bad), "--database", str(store.path)])
    out = capsys.readouterr().out
    assert status == 1
    assert store.outbox_records() == []  # not even the good rows
    assert "Row 3, column CREATED_DATE" in out and "12/31/2026" in out
    assert "Row 4, column CUSTOMER_ID" in out and "C-9999" in out
    assert "Row 5, column AMOUNT" in out and "digits" in out
    assert "Traceback" not in out
    assert out.count("Row ") == 3


def test_lines_that_do_not_add_up_and_missing_columns(store: Store, tmp_path: Path) -> None:
    store.outbox_add(OutboxKind.CUSTOMER, "C-1", {"name": "One"}, document_no="C-1")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(
        "INVOICE_NO,CUSTOMER_ID,CREATED_DATE,TERM_NAME,TOTAL_DUE,LINE_NO,ACCT_NO,AMOUNT\n"
        "I-1,C-1,2026-11-02,N30,100.00,1,4000,60.00\n"
        "I-1,,,,,2,4000,30.00\n",
        encoding="utf-8",
    )
    result = Importer(store).import_file(wrong)
    assert [(p.row, p.column) for p in result.problems] == [(2, "TOTAL_DUE")]
    assert "add up to 90.00, not 100.00" in result.problems[0].message
    no_amount = tmp_path / "no-amount.csv"
    no_amount.write_text("INVOICE_NO,CUSTOMER_ID,CREATED_DATE,ACCT_NO\nI-2,C-1,2026-11-02,4000\n")
    result = Importer(store).import_file(no_amount)
    assert ("the first row", "AMOUNT") in {(p.where, p.column) for p in result.problems}
    assert len(store.outbox_records()) == 1


def test_a_changed_row_updates_a_waiting_record_and_is_refused_once_landed(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "customers.csv"
    path.write_text("CUSTOMER_ID,NAME\nW-1,Old name\n", encoding="utf-8")
    importer = Importer(store)
    assert importer.import_file(path).added == 1
    path.write_text("CUSTOMER_ID,NAME\nW-1,New name\n", encoding="utf-8")
    assert importer.import_file(path).updated == 1
    record = store.outbox_find(OutboxKind.CUSTOMER, "W-1")
    assert record is not None and record.payload["name"] == "New name"
    store.mark_in_flight([record])
    store.mark_landed(record, "77")
    path.write_text("CUSTOMER_ID,NAME\nW-1,Newer name\n", encoding="utf-8")
    result = importer.import_file(path)
    assert not result.ok
    assert "already went to Intacct" in result.problems[0].message
    landed = store.outbox_get(record.id)
    assert landed.state is OutboxState.LANDED and landed.payload["name"] == "New name"


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("cp1252", b"")],
)
def test_text_encodings_are_read(store: Store, tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = tmp_path / "customers.csv"
    path.write_bytes(bom + "CUSTOMER_ID,NAME\r\nW-7,Café Grüße\r\n".encode(encoding))
    result = Importer(store).import_file(path)
    assert result.ok, result.problems
    record = store.outbox_find(OutboxKind.CUSTOMER, "W-7")
    assert record is not None and record.payload["name"] == "Café Grüße"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "is empty"),
        (b"PK\x03\x04\x14\x00\x06\x00rest-of-a-workbook", "Excel workbook"),
        (b'[{"CUSTOMER_ID": "W-1"}]', "JSON Lines"),
        (b"CUSTOMER_ID,NAME\r\n", "no records"),
        (b"\x00\x01\x02binary\x00\x00\x9d", "not a text file"),
        (b"just some words\nmore words\n", "neither a CSV"),
    ],
)
def test_files_that_are_not_records_get_a_clear_message(
    store: Store, tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "upload.dat"
    path.write_bytes(content)
    result = Importer(store).import_file(path)
    assert not result.ok
    assert words in str(result.problems[0])
    assert store.outbox_records() == []


def test_shipped_templates_match_their_csv_files_and_are_told_apart() -> None:
    templates = load_templates()
    assert set(templates) == {"customers", "invoices", "adjustments", "payments"}
    importer_templates = Importer.__new__(Importer)
    importer_templates.templates = templates
    for name, template in templates.items():
        header = template.file.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert importer_templates.template_for(header).name == name


def test_before_the_first_sync_customers_cannot_be_checked_and_the_file_says_so(
    store: Store,
) -> None:
    result = Importer(store).import_file(SAMPLES / "invoices.jsonl")
    assert result.ok and result.added == 2
    assert len(result.warnings) == 1
    assert "C-1002" in result.warnings[0] and "W-2001" in result.warnings[0]
    assert "has not read your Intacct customers yet" in result.warnings[0]


def test_payments_find_invoices_added_by_an_earlier_file_of_the_same_importer(
    store: Store, tmp_path: Path
) -> None:
    store.outbox_add(OutboxKind.INVOICE, "I-0", {"lines": []}, document_no="I-0")
    importer = Importer(store)
    earlier = tmp_path / "earlier.csv"
    earlier.write_text(
        "REFERENCE_NO,CUSTOMER_ID,RECEIPT_DATE,BANK_ACCOUNT_ID,INVOICE_NO,AMOUNT\n"
        "P-0,C-1,2026-11-10,BOA-EAST,I-0,10.00\n",
        encoding="utf-8",
    )
    assert importer.import_file(earlier).ok  # the importer has now looked invoices up
    payments = tmp_path / "payments.csv"
    payments.write_text(
        "REFERENCE_NO,CUSTOMER_ID,RECEIPT_DATE,BANK_ACCOUNT_ID,INVOICE_NO,AMOUNT\n"
        "P-1,C-1,2026-11-10,BOA-EAST,I-1,10.00\n",
        encoding="utf-8",
    )
    invoices = tmp_path / "invoices.csv"
    invoices.write_text(
        "INVOICE_NO,CUSTOMER_ID,CREATED_DATE,TERM_NAME,ACCT_NO,AMOUNT\n"
        "I-1,C-1,2026-11-02,N30,4000,10.00\n",
        encoding="utf-8",
    )
    assert importer.import_file(invoices).ok
    assert importer.import_file(payments).added == 1
    invoice = store.outbox_find(OutboxKind.INVOICE, "I-1")
    payment = store.outbox_find(OutboxKind.PAYMENT, "P-1")
    assert invoice is not None and payment is not None
    assert payment.depends_on == invoice.id
