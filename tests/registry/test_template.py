"""The blank registry workbook reads back through the importer."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from isipo_geo.cli import app
from isipo_geo.registry.importer import import_registry
from isipo_geo.registry.template import COLUMNS, write_template


def test_template_is_rtl_with_lists(tmp_path) -> None:
    path = write_template(tmp_path / "t.xlsx")
    wb = load_workbook(path)
    ws = wb["registry"]
    assert ws.sheet_view.rightToLeft
    assert [c.value for c in ws[4]] == [h for h, _, _ in COLUMNS]
    assert ws.max_row == 4  # no data rows: the template carries no numbers
    lists = wb["lists"]
    provinces = [c.value for c in lists["D"][1:] if c.value]
    assert len(provinces) == 31 and "کهگیلویه و بویراحمد" in provinces
    assert len(ws.data_validations.dataValidation) == 7


def test_filled_template_imports(tmp_path) -> None:
    path = write_template(tmp_path / "t.xlsx")
    wb = load_workbook(path)
    ws = wb["registry"]
    row = dict.fromkeys((h for h, _, _ in COLUMNS), None) | {
        "نام شهرک": "شهرک صنعتی آزمایش",
        "نوع": "شهرک صنعتی",
        "استان": "تهران",
        "وضعیت": "فعال",
        "کمبود آب (لیتر بر ثانیه)": "۱۵٫۵",
        "کمبود برق (مگاوات)": 3,
        "گاز": "دارد",
        "طول جغرافیایی": 51.4,
        "عرض جغرافیایی": 35.7,
    }
    ws.append(list(row.values()))
    wb.save(path)
    result = import_registry(path)
    assert result.rows_read == 1 and result.rejects.empty
    got = result.registry.iloc[0]
    assert got["province"] == "tehran" and got["kind"] == "industrial_estate"
    assert got["water_deficit_lps"] == pytest.approx(15.5)
    assert got["power_deficit_mw"] == pytest.approx(3)
    assert bool(got["has_gas"]) is True


def test_cli_template(runner, tmp_path) -> None:
    out = tmp_path / "t.xlsx"
    result = runner.invoke(app, ["template", str(out)])
    assert result.exit_code == 0 and out.is_file()
    bad = runner.invoke(app, ["template", str(tmp_path / "t.csv")])
    assert bad.exit_code == 2 and "use one of the extensions .xlsx" in bad.output
