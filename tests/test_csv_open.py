"""The CSVs open in LibreOffice with Persian text and numbers in the right cells.

What LibreOffice 7.4 does (found with ``soffice --headless --convert-to``): without import options
it reads every CSV as Western (Windows-1252) text — UTF-8 with or without a BOM, and UTF-16 with
its BOM, all come out garbled («Ù…Ø±Ú©Ø²ÛŒ») — so no encoding opens right there; Excel needs the
BOM to read UTF-8. UTF-8 with a BOM, comma-separated, is what both read once LibreOffice's Text
Import dialog says "Unicode (UTF-8)" (its filter options ``44,34,76,1``: comma, double quote,
UTF-8, from line 1): the BOM is dropped, numbers are numbers, Persian is whole. These tests open
the CSVs that way.
"""

from __future__ import annotations

import pytest
from libreoffice import convert

from isipo_geo.cli import app

UTF8_COMMA = "CSV:44,34,76,1"  # what the import dialog sets for "Unicode (UTF-8)", comma


def _open_in_libreoffice(csv_path, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "opened"
    out.mkdir()
    xlsx = convert(csv_path, "xlsx", out, infilter=UTF8_COMMA)
    return [list(r) for r in load_workbook(xlsx).active.iter_rows(values_only=True)]


def test_funding_csv_opens_with_persian_and_numbers_in_their_cells(runner, tmp_path):
    path = tmp_path / "funding.csv"
    assert runner.invoke(app, ["funding", "--out", str(path)]).exit_code == 0
    assert path.read_bytes().startswith(b"\xef\xbb\xbfscope,")  # UTF-8 with BOM, for Excel
    rows = _open_in_libreoffice(path, tmp_path)
    head = rows[0]
    assert head[0] == "scope"  # the BOM is not part of the first header
    cell = {name: i for i, name in enumerate(head)}
    nation_water = rows[1]
    assert nation_water[cell["deficit"]] == 2300 and nation_water[cell["need"]] == 5750
    markazi = next(r for r in rows if r[cell["province"]] == "markazi")
    assert markazi[cell["province_fa"]] == "مرکزی"
    assert isinstance(markazi[cell["deficit"]], float)


@pytest.mark.parametrize("headers", ["fa", "both"])
def test_persian_headers_open_whole(runner, tmp_path, headers):
    path = tmp_path / "funding.csv"
    assert runner.invoke(app, ["funding", "--out", str(path), "--headers", headers]).exit_code == 0
    rows = _open_in_libreoffice(path, tmp_path)
    persian = rows[0] if headers == "fa" else rows[1]
    assert persian[:3] == ["سطح", "استان (کلید)", "استان"]
