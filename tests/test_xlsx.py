"""The streaming XLSX writer (isipo_geo.xlsx), read back with openpyxl and python-calamine: text
is text, control characters and line ends, booleans, empty cells, layout, parts like XlsxWriter's,
the same bytes for the same input."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest

from isipo_geo.xlsx import Sheet, column_letter, escape_text, write_workbook


def _book(sheets: list[Sheet]) -> bytes:
    buf = io.BytesIO()
    write_workbook(buf, sheets)
    return buf.getvalue()


def _sheet(rows: list[list[object]], formats: list[str | None] | None = None, **kw) -> Sheet:
    n = len(rows[0]) if rows else 1
    fmts = formats or [None] * n
    header = kw.pop("header", [f"h{i}" for i in range(n)])
    return Sheet(kw.pop("name", "t"), header, [10] * len(header),
                 iter([(r, fmts) for r in rows]), len(rows), **kw)


def _openpyxl(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "=1"]


def test_text_is_never_a_formula_or_link() -> None:
    ws = _openpyxl(_book([_sheet([[t] for t in HOSTILE])])).active
    cells = [ws.cell(row=r, column=1) for r in range(2, 2 + len(HOSTILE))]
    assert [c.value for c in cells] == HOSTILE
    assert {c.data_type for c in cells} == {"s"}
    assert all(c.hyperlink is None for c in cells)


def test_cell_types_round_trip_with_calamine() -> None:
    from python_calamine import CalamineWorkbook

    row = ["a", True, False, None, 3, -2.5, Decimal("13.75"), float("nan"), "", "  lead"]
    data = _book([_sheet([row])])
    got = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert got[1] == ["a", True, False, "", 3, -2.5, 13.75, "", "", "  lead"]
    ws = _openpyxl(data).active
    assert [c.value for c in ws[2]][:7] == ["a", True, False, None, 3, -2.5, 13.75]
    assert ws["D2"].value is None and ws["H2"].value is None  # None and NaN: empty cells
    assert ws["B2"].data_type == "b" and ws["J2"].value == "  lead"


def test_control_characters_line_ends_and_xml_illegal_characters() -> None:
    from python_calamine import CalamineWorkbook

    row = ["a\r\nb", "c\rd", "x\x01y\x1fz", "_x0041_", "bad\ud800\ufffeend", "<&>\"'"]
    data = _book([_sheet([row])])
    got = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert got[1] == ["a\nb", "c\nd", "x\x01y\x1fz", "_x0041_", "badend", "<&>\"'"]
    ws = _openpyxl(data).active
    assert ws["A2"].value == "a\nb" and ws["D2"].value == "_x0041_" and ws["F2"].value == "<&>\"'"


def test_escape_text() -> None:
    assert escape_text("plain شهرک") == "plain شهرک"
    assert escape_text("a\x00b\x0bc") == "a_x0000_b_x000B_c"
    assert escape_text("tab\tand\nline") == "tab\tand\nline"
    assert escape_text("_x00e9_ & _xZZZZ_") == "_x005F_x00e9_ &amp; _xZZZZ_"


def test_layout_read_back_with_openpyxl() -> None:
    data = _book(
        [
            _sheet([[1.5, "x"]], ["#,##0.0", None], header=["کمبود\ndeficit", "b"], name="one"),
            _sheet([[True]], name="two"),
        ]
    )
    wb = _openpyxl(data)
    assert wb.sheetnames == ["one", "two"]
    ws = wb["one"]
    assert ws.sheet_view.rightToLeft and ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:B2"
    assert ws["A1"].value == "کمبود\ndeficit" and ws["A1"].font.b
    assert ws["A1"].alignment.wrap_text and ws["A1"].fill.fgColor.rgb == "FFF5F1EC"
    assert ws.row_dimensions[1].height == 33
    assert ws["A2"].number_format == "#,##0.0" and ws["B2"].number_format == "General"
    assert ws.column_dimensions["A"].width == pytest.approx(10.7109375)
    assert wb["two"].sheet_view.rightToLeft and not wb["two"].sheet_view.tabSelected


def test_parts_like_xlsxwriter_and_a_filter_name() -> None:
    names = zipfile.ZipFile(io.BytesIO(_book([_sheet([["a"]], name="it's")]))).namelist()
    assert names[:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert set(names) == {
        "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
        "xl/styles.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml",
    }
    book = zipfile.ZipFile(io.BytesIO(_book([_sheet([["a"]], name="it's")])))
    workbook = book.read("xl/workbook.xml").decode()
    assert "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"0\" hidden=\"1\">" \
        "'it''s'!$A$1:$A$2</definedName>" in workbook
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in book.infolist())


def test_no_zip64_fields_in_a_file_of_usual_size() -> None:
    import struct

    data = _book([_sheet([["شهرک", 1.5]] * 1000)])
    for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
        name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26:][:4])
        assert extra_len == 0, info.filename  # local headers without ZIP64 fields
        assert info.extra == b"", info.filename


def test_same_input_same_bytes() -> None:
    rows = [["شهرک", Decimal("1.5"), None, True]] * 50
    assert _book([_sheet(rows)]) == _book([_sheet(rows)])


def test_rows_must_match_n_rows_and_names_are_checked() -> None:
    with pytest.raises(ValueError, match="n_rows"):
        _book([Sheet("t", ["a"], [5], iter([(["x"], [None])] * 2), 1)])
    with pytest.raises(ValueError, match="n_rows"):
        _book([Sheet("t", ["a"], [5], iter([]), 1)])
    with pytest.raises(ValueError, match="bad sheet name"):
        _book([_sheet([["a"]], name="a/b")])
    with pytest.raises(ValueError, match="used twice"):
        _book([_sheet([["a"]], name="A"), _sheet([["b"]], name="a")])


def test_infinity_is_an_error_cell_and_big_ints_stay_numbers() -> None:
    ws = _openpyxl(_book([_sheet([[float("inf"), 2**60, 10**15]])])).active
    assert ws["A2"].value == "#NUM!" and ws["A2"].data_type == "e"
    assert ws["B2"].value == pytest.approx(2.0**60) and ws["C2"].value == 10**15


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 21, 25, 26, 51, 701, 702)] == [
        "A", "V", "Z", "AA", "AZ", "ZZ", "AAA"
    ]


def test_libreoffice_reads_it_when_installed(tmp_path) -> None:
    import shutil
    import subprocess

    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (a one-off check of the file it reads)")
    src = tmp_path / "t.xlsx"
    rows = [["شهرک", 1234.5, True, "=1+1"]]
    src.write_bytes(_book([_sheet(rows, [None, "#,##0.00", None, None])]))
    as_shown = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"  # UTF-8, shown
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"  # no shared lock
    subprocess.run([office, profile, "--headless", "--convert-to", as_shown, "--outdir",
                    str(tmp_path), str(src)], check=True, capture_output=True, timeout=300)
    lines = (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines()
    assert lines == ["h0,h1,h2,h3", 'شهرک,"1,234.50",TRUE,=1+1']
