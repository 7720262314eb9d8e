"""The mirror, out: `intacct-wizard export` and the read-only SQL views other tools read."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from wizard import cli
from wizard.sync.store import Store

CUSTOMERS = [
    {"RECORDNO": "1", "CUSTOMERID": "C-1", "NAME": "Old", "WHENMODIFIED": "01/05/2026 10:00:00"},
    {"RECORDNO": "2", "CUSTOMERID": "C-2", "NAME": "Café", "WHENMODIFIED": "03/05/2026 10:00:00"},
]


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "sync.sqlite3"
    with Store.open(path) as store:
        store.upsert_pulled("CUSTOMER", CUSTOMERS)
        store.mark_deleted("CUSTOMER", "2", "2026-03-06T09:00:00")
    return path


def test_export_writes_csv_for_excel_with_the_deleted_flag_and_since(
    filled: Path, tmp_path: Path
) -> None:
    out = tmp_path / "customers.csv"
    status = cli.main(
        [
            "export",
            "customer",
            "--since",
            "2026-02-01",
            "--output",
            str(out),
            "--database",
            str(filled),
        ]
    )
    assert status == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert [(r["CUSTOMERID"], r["NAME"], r["DELETED_AT"]) for r in rows] == [
        ("C-2", "Café", "2026-03-06T09:00:00")
    ]


def test_views_are_named_as_intacct_and_cannot_be_written(filled: Path) -> None:
    with sqlite3.connect(filled) as conn:
        rows = conn.execute(
            'SELECT RECORDNO, CUSTOMERID, NAME FROM "CUSTOMER" WHERE DELETED_AT IS NULL'
        ).fetchall()
        assert rows == [("1", "C-1", "Old")]
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("UPDATE CUSTOMER SET NAME = 'x'")


def test_unknown_object_is_named_with_the_known_ones(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["export", "VENDOR", "--database", str(filled)]) == 1
    err = capsys.readouterr().err
    assert "no view of 'VENDOR'" in err and "ARINVOICE" in err


def test_opening_the_store_again_rewrites_no_view(filled: Path) -> None:
    with sqlite3.connect(filled) as conn:
        before = conn.execute("PRAGMA schema_version").fetchone()[0]
    with Store.open(filled):
        pass
    with sqlite3.connect(filled) as conn:
        assert conn.execute("PRAGMA schema_version").fetchone()[0] == before
