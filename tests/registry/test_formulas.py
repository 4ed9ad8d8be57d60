"""_formulas.unsaved_formulas: formula cells without a saved result in an .xlsx sheet, found in
its XML; cells with a saved result, and sheets without formulas, give none."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from isipo_geo.registry._formulas import cell_name, shown, unsaved_formulas


def with_results(path: Path, results: dict[str, tuple[str | None, str]]) -> None:
    """Rewrite ``path`` as Excel saves it: cell → (t attribute or None, saved value) put into the
    ``<v>`` openpyxl leaves empty."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for ref, (kind, value) in results.items():
        start = xml.index(f'<c r="{ref}"')
        end = xml.index("</c>", start)
        cell = xml[start:end].replace("<v />", f"<v>{value}</v>")
        if kind:
            cell = cell.replace(f'<c r="{ref}"', f'<c r="{ref}" t="{kind}"', 1)
        xml = xml[:start] + cell + xml[end:]
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _workbook(path: Path, cells: dict[str, object], *, title: str = "estates") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for ref, value in cells.items():
        ws[ref] = value
    wb.create_sheet("notes")["A1"] = "=1+1"
    wb.save(path)
    return path


def test_formulas_without_result_are_found_with_their_cell_and_text(tmp_path) -> None:
    f = _workbook(tmp_path / "w.xlsx", {
        "A1": "name", "C4": '=CONCAT("شهرک ","<الف>")', "AB12": "=2*5", "B2": "plain",
    })
    found = unsaved_formulas(f, ["estates"])
    assert found == {"estates": {(3, 2): '=CONCAT("شهرک ","<الف>")', (11, 27): "=2*5"}}
    assert unsaved_formulas(f, ["estates", "notes"])["notes"] == {(0, 0): "=1+1"}
    assert cell_name(3, 2) == "C4" and cell_name(11, 27) == "AB12"


def test_formulas_with_saved_results_are_not_listed(tmp_path) -> None:
    f = _workbook(tmp_path / "w.xlsx", {"A1": "=2*5", "B1": '=""', "C1": '=CONCAT("a")',
                                        "D1": "=1/0"})
    with_results(f, {"A1": (None, "10"), "B1": ("str", ""), "C1": ("str", "a"),
                     "D1": ("e", "#DIV/0!")})
    assert unsaved_formulas(f, ["estates"]) == {}


def test_a_sheet_without_formulas_and_a_broken_file_give_none(tmp_path) -> None:
    f = _workbook(tmp_path / "w.xlsx", {"A1": "name", "B2": 3})
    assert unsaved_formulas(f, ["estates"]) == {}
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really")
    assert unsaved_formulas(bad, ["estates"]) == {}


def test_shared_formulas_take_their_text_from_the_first_cell(tmp_path) -> None:
    f = _workbook(tmp_path / "w.xlsx", {"B2": "=A2*2", "B3": "=A3*2"})
    with zipfile.ZipFile(f) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    xml = xml.replace("<f>A2*2</f>", '<f t="shared" ref="B2:B3" si="0">A2*2</f>')
    xml = xml.replace("<f>A3*2</f>", '<f t="shared" si="0"/>')
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(f, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert unsaved_formulas(f, ["estates"]) == {"estates": {(1, 1): "=A2*2", (2, 1): "=A2*2"}}


def test_long_formulas_are_shown_cut() -> None:
    assert shown("=1+1") == "=1+1"
    long = "=CONCAT(" + "A1," * 30 + ")"
    assert shown(long) == long[:39] + "…" and len(shown(long)) == 40
