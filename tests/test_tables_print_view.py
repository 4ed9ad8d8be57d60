"""#27: a wide table's workbook carries a print view a committee can read: a second sheet «چاپ»
with the handful of columns a committee reads, printed on A4 landscape at 70 % or more, while
the full sheet stays first for Excel."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from libreoffice import print_pages
from openpyxl import load_workbook

from isipo_geo.cli import app
from isipo_geo.tables import PRINT_SHEET, write_records

FUNDING_PRINT = ["استان\nprovince", "نام شهرک\nestate", "زیرساخت\nutility", "کمبود\ndeficit",
                 "واحد کمبود\nunit", "اعتبار مورد نیاز (میلیارد تومان)\nneed (bn toman)",
                 "مبنا\nbasis"]


@pytest.fixture
def funding_xlsx(runner, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1712102400")  # 2024-04-03 = 1403-01-15
    out = tmp_path / "funding.xlsx"
    result = runner.invoke(app, ["funding", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def test_funding_has_a_print_sheet_of_the_committee_columns_at_70_percent_or_more(
        funding_xlsx):
    book = load_workbook(funding_xlsx)
    assert book.sheetnames == ["isipo-geo", PRINT_SHEET]
    assert book.active.title == "isipo-geo"  # Excel opens the full table
    full, view = book["isipo-geo"], book[PRINT_SHEET]
    assert [c.value for c in view[1]] == FUNDING_PRINT
    setup = view.page_setup
    assert (int(setup.paperSize), setup.orientation) == (9, "landscape")
    assert not view.sheet_properties.pageSetUpPr or not view.sheet_properties.pageSetUpPr.fitToPage
    assert 70 <= int(setup.scale) <= 100
    assert view.print_title_rows == "$1:$1"
    assert view.sheet_view.rightToLeft
    # the full sheet is as before: every column, one page wide
    assert full.max_column == 22 and full.sheet_properties.pageSetUpPr.fitToPage
    assert (full.page_setup.fitToWidth, full.page_setup.fitToHeight) == (1, 0)


def test_the_print_sheet_shows_the_full_sheets_figures_cell_for_cell(funding_xlsx):
    book = load_workbook(funding_xlsx)
    full, view = book["isipo-geo"], book[PRINT_SHEET]
    head = [c.value.split("\n")[-1] for c in full[1]]
    assert view.max_row == full.max_row  # every row
    for r in range(2, full.max_row + 1):
        cells = {h: full.cell(row=r, column=i + 1) for i, h in enumerate(head)}
        printed = [view.cell(row=r, column=i + 1) for i in range(len(FUNDING_PRINT))]
        assert printed[0].value == cells["province_fa"].value
        assert printed[1].value == cells["estate_name_fa"].value
        assert printed[2].value == cells["utility_fa"].value
        for mine, theirs in ((printed[3], cells["deficit"]), (printed[5], cells["need"])):
            assert (mine.value, mine.number_format) == (theirs.value, theirs.number_format)
        assert printed[6].value == cells["basis_fa"].value
    units = {view.cell(row=r, column=5).value for r in range(2, view.max_row + 1)}
    assert {"لیتر بر ثانیه", "مگاوات"} <= units
    # the first row: water, the report's 2,300 L/s at 2.5 bn toman per L/s = 5,750 bn toman
    assert [c.value for c in view[2]][2:6] == ["آب", 2300, "لیتر بر ثانیه", 5750]


def test_same_input_same_bytes(runner, tmp_path, funding_xlsx):  # SOURCE_DATE_EPOCH set
    again = tmp_path / "again.xlsx"
    assert runner.invoke(app, ["funding", "--out", str(again)]).exit_code == 0
    assert again.read_bytes() == funding_xlsx.read_bytes()


def test_the_print_sheet_prints_readably_on_a4_landscape(funding_xlsx, tmp_path):
    pages, size = print_pages(funding_xlsx, tmp_path)  # the workbook, as LibreOffice prints
    assert all(abs(a - b) < 2 for a, b in zip(size, (841.89, 595.3), strict=True))
    # the print sheet's pages: without the full sheet's cost_case (its header is on each page)
    printed = [p for p in pages if "cost_case" not in p]
    # one page wide: each page has the first column and the last; at 70 % or more about 25
    # rows fit a page: 96 rows take 3 to 5 pages
    assert all("province" in p and "basis" in p and "bn toman" in p for p in printed)
    assert 3 <= len(printed) <= 5, len(printed)
    text = "\n".join(printed)
    assert "5,750" in text and "2,300" in text  # figures as the full sheet formats them
    assert "لیتر بر ثانیه" in text and "میلیارد" in text
    assert 1 <= len(pages) - len(printed) <= 4  # the full sheet, one page wide, as before


def test_a_narrow_table_has_no_print_sheet(tmp_path):
    out = write_records([{"province": "qom", "need": 1}], tmp_path / "t.xlsx")
    assert load_workbook(out).sheetnames == ["isipo-geo"]


def test_registry_export_has_a_print_sheet(runner, tmp_path, make_registry):
    store = tmp_path / "registry.gpkg"
    assert runner.invoke(app, ["import", str(make_registry(40)), "--into", str(store),
                               "--date", "1403-01-15"]).exit_code == 0
    out = tmp_path / "export.xlsx"
    assert runner.invoke(app, ["registry", "export", str(store), str(out)]).exit_code == 0
    book = load_workbook(out)
    assert book.sheetnames == ["registry", PRINT_SHEET]
    view = book[PRINT_SHEET]
    assert [c.value for c in view[1]] == [
        "نام شهرک\nestate", "استان\nprovince", "وضعیت\nstatus",
        "کمبود آب (لیتر بر ثانیه)\nwater deficit (L/s)", "کمبود برق (مگاوات)\npower deficit (MW)",
        "کمبود گاز (کیلومتر)\ngas deficit (km)", "کمبود مخابرات (کیلومتر)\ntelecom deficit (km)",
        "کمبود فاضلاب (لیتر بر ثانیه)\nwastewater deficit (L/s)", "سال داده\ndata year"]
    full = book["registry"]
    head = [c.value.split("\n")[-1] for c in full[1]]
    for r in range(2, 42):  # the same figures, cell for cell, by the same number format
        for key, col in (("name_fa", 1), ("water_deficit_lps", 4), ("power_deficit_mw", 5)):
            theirs = full.cell(row=r, column=head.index(key) + 1)
            mine = view.cell(row=r, column=col)
            assert (mine.value, mine.number_format) == (theirs.value, theirs.number_format)
    provinces = {view.cell(row=r, column=2).value for r in range(2, 42)}
    assert provinces and all(re.fullmatch("[\u0600-\u06ff\u200c ]+", p) for p in provinces)
    assert 70 <= int(view.page_setup.scale) <= 100
    assert view.max_row == 41


def test_a_table_too_long_to_print_has_no_print_sheet(runner, tmp_path, monkeypatch):
    # more rows than PRINT_MAX_ROWS print as hundreds of pages whichever way: the full sheet
    # alone is written (and written as fast as before)
    import isipo_geo.tables

    monkeypatch.setattr(isipo_geo.tables, "PRINT_MAX_ROWS", 95)
    out = tmp_path / "funding.xlsx"
    assert runner.invoke(app, ["funding", "--out", str(out)]).exit_code == 0
    assert load_workbook(out).sheetnames == ["isipo-geo"]  # 96 rows > 95
    monkeypatch.setattr(isipo_geo.tables, "PRINT_MAX_ROWS", 96)
    assert runner.invoke(app, ["funding", "--out", str(out)]).exit_code == 0
    assert load_workbook(out).sheetnames == ["isipo-geo", PRINT_SHEET]
