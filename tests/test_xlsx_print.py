"""The spreadsheets print: LibreOffice prints each workbook isipo-geo writes (the funding table,
a budget plan, a registry export) on A4 landscape, one page wide, with the header row on every
page and a footer with the date and «صفحه n از m»."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from libreoffice import print_pages

from isipo_geo.cli import app

A4_LANDSCAPE_PT = (841.89, 595.3)


def _is_a4_landscape(size: tuple[float, float]) -> bool:
    return all(abs(a - b) < 2 for a, b in zip(size, A4_LANDSCAPE_PT, strict=True))


def _check_printed(xlsx: Path, tmp_path: Path, header_words: list[str], max_pages: int, *,
                   other_sheets: tuple[list[str], ...] = ()) -> list[str]:
    """Print; A4 landscape, at most ``max_pages``, each page with its page number and the header
    of its sheet: ``header_words`` (the first sheet) or one of ``other_sheets``."""
    pages, size = print_pages(xlsx, tmp_path)
    assert _is_a4_landscape(size), size
    assert 1 <= len(pages) <= max_pages, len(pages)
    sheets = (header_words, *other_sheets)
    assert all(w in pages[0] for w in header_words)
    for n, text in enumerate(pages, start=1):
        assert any(all(w in text for w in words) for words in sheets), (
            f"page {n} of {len(pages)} lacks its sheet's header row")
        assert f"صفحه {n} از {len(pages)}" in text or _reversed_page(text, n, len(pages)), (
            f"page {n}: no «صفحه {n} از {len(pages)}»")
    return pages


def _reversed_page(text: str, n: int, m: int) -> bool:
    """pdftotext may give right-to-left words in visual order: «از 3 1 صفحه»-like orders."""
    line = next((x for x in text.splitlines() if "صفحه" in x), "")
    return re.search(rf"\b{n}\b", line) is not None and re.search(rf"\b{m}\b", line) is not None


def test_funding_xlsx_prints_on_at_most_8_pages_with_its_header_on_each(runner, tmp_path,
                                                                        monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1712102400")  # 2024-04-03 = 1403-01-15
    out = tmp_path / "funding.xlsx"
    result = runner.invoke(app, ["funding", "--out", str(out)])  # as build writes it
    assert result.exit_code == 0, result.output
    pages = _check_printed(out, tmp_path, ["scope", "deficit", "need", "source"], 8,
                           other_sheets=(["province", "basis", "bn toman"],))  # the print view
    assert any("۱۴۰۳" in p or "1403" in p for p in pages)  # the footer's Persian date


def test_a_budget_plan_prints_with_its_header_on_each_page(runner, tmp_path, make_registry):
    out = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["funding", "--registry", str(make_registry(300)), "--budget",
                                 "5000 bn toman", "--years", "1403-1407", "--budget-out",
                                 str(out)])
    assert result.exit_code == 0, result.output
    pages = _check_printed(out, tmp_path, ["rank", "status", "need"], 12, other_sheets=(
        ["fiscal_year", "carried_out"], ["province", "gaps_funded"], ["key", "value"]))
    assert sum("rank" in p for p in pages) >= 2, "the plan sheet should run over pages"


def test_a_registry_export_prints_with_its_header_on_each_page(runner, tmp_path, make_registry):
    registry = make_registry(1000)  # 46 columns one page wide: about 450 rows a page
    store = tmp_path / "registry.gpkg"
    result = runner.invoke(app, ["import", str(registry), "--into", str(store),
                                 "--date", "1403-01-15"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "export.xlsx"
    result = runner.invoke(app, ["registry", "export", str(store), str(out)])
    assert result.exit_code == 0, result.output
    # the full sheet (46 columns, about 450 rows a page) and the print view (9 columns at 70 %
    # or more, about 35 rows a page: 1000 estates on about 30 pages)
    pages = _check_printed(out, tmp_path, ["name_fa", "location_precision"], 40,
                           other_sheets=(["estate", "province", "water deficit"],))
    assert sum("location_precision" in p for p in pages) >= 2, "the export should run over pages"
    assert 20 <= sum("location_precision" not in p for p in pages) <= 36


def test_workbooks_say_how_to_print(runner, tmp_path):
    out = tmp_path / "funding.xlsx"
    assert runner.invoke(app, ["funding", "--out", str(out)]).exit_code == 0
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        book = z.read("xl/workbook.xml").decode()
    assert '<pageSetUpPr fitToPage="1"/>' in sheet
    assert 'paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"' in sheet
    assert "صفحه &amp;P از &amp;N" in sheet
    assert ('<definedName name="_xlnm.Print_Titles" localSheetId="0">'
            "'isipo-geo'!$1:$1</definedName>") in book
    assert 'state="frozen"' in sheet


def test_a_registry_export_keeps_numbers_as_numbers_by_their_unit(runner, tmp_path,
                                                                  make_registry):
    from openpyxl import load_workbook

    store = tmp_path / "registry.gpkg"
    assert runner.invoke(app, ["import", str(make_registry(5)), "--into", str(store),
                               "--date", "1403-01-15"]).exit_code == 0
    out = tmp_path / "export.xlsx"
    assert runner.invoke(app, ["registry", "export", str(store), str(out)]).exit_code == 0
    ws = load_workbook(out).active
    head = [c.value.split("\n")[-1] for c in ws[1]]
    cells = {h: ws.cell(row=2, column=i + 1) for i, h in enumerate(head)}
    csv_out = tmp_path / "export.csv"
    assert runner.invoke(app, ["registry", "export", str(store), str(csv_out)]).exit_code == 0
    import csv

    with csv_out.open(encoding="utf-8-sig") as f:
        first = next(csv.DictReader(f))
    lps = next(h for h in head if h.endswith("_lps") and first[h])
    assert cells[lps].value == float(first[lps])
    assert cells[lps].number_format == "#,##0.0"
    assert cells["name_fa"].value == first["name_fa"]
    assert cells["name_fa"].alignment.horizontal == "right"


def test_the_template_prints_with_its_header_on_each_page(runner, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "template.xlsx"
    assert runner.invoke(app, ["template", str(out)]).exit_code == 0
    ws = load_workbook(out)["registry"]
    assert (int(ws.page_setup.paperSize), ws.page_setup.orientation) == (9, "landscape")
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$1:$4"
    assert ws.oddFooter.right.text == "صفحه &P از &N"
    pages, size = print_pages(out, tmp_path)
    assert _is_a4_landscape(size) and len(pages) == 1
