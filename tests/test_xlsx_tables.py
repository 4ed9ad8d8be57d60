"""XLSX tables of isipo_geo.tables read back with openpyxl: each number shows the decimals of
its unit (isipo_geo.display's rule), values stay exact; the layout of write_records and
write_plan_tables (the writer itself: test_xlsx.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from isipo_geo.tables import number_format, write_plan_tables, write_records


def _row(ws, n: int) -> dict[str, object]:
    keys = [str(c.value).split("\n")[-1] for c in ws[1]]
    return dict(zip(keys, ws[n], strict=True))


def _funding_row(utility: str, unit: str, deficit: str, cost: str, need: str, **money) -> dict:
    return {
        "scope": "estate", "utility": utility, "deficit": Decimal(deficit), "deficit_unit": unit,
        "unit_cost": Decimal(cost), "need": Decimal(need),
        "currency": money.get("currency", "toman"), "scale": money.get("scale", "billion"),
    }


def test_deficit_and_money_cells_take_the_decimals_of_their_units(tmp_path) -> None:
    from openpyxl import load_workbook

    rows = [
        _funding_row("water", "lps", "250.5", "2.5", "626.25"),
        _funding_row("power", "mw", "1234", "3", "3702"),
        _funding_row("power", "mw", "0.04", "3", "0.12"),  # smaller than 0.1 MW
        _funding_row("water", "lps", "12", "2500", "30000", scale="million"),
        _funding_row("water", "lps", "12", "25000", "300000", currency="rial", scale="million"),
        _funding_row("water", "m3_per_day", "1500.5", "0.01", "15.005"),
    ]
    out = write_records(rows, tmp_path / "units.xlsx")
    ws = load_workbook(out).active
    water, power, small, million, rial, m3 = (_row(ws, n) for n in range(2, 8))
    assert water["deficit"].number_format == "#,##0.0"  # L/s: 1 decimal
    assert water["need"].number_format == "#,##0.0"  # bn toman: 1 decimal
    assert water["unit_cost"].number_format == "#,##0.0"
    assert power["deficit"].number_format == "#,##0.0" and power["deficit"].value == 1234
    assert small["deficit"].number_format == "#,##0.00"  # 0.04 MW does not read as 0.0
    assert small["deficit"].value == pytest.approx(0.04)
    assert small["need"].number_format == "#,##0.0"  # 0.12 bn toman shows 0.1
    assert million["need"].number_format == "#,##0" and million["need"].value == 30000
    assert million["unit_cost"].number_format == "#,##0"
    assert rial["need"].number_format == "#,##0" and rial["need"].value == 300000
    assert m3["deficit"].number_format == "#,##0"  # m³/day: whole numbers
    assert m3["unit_cost"].number_format == "#,##0.00"  # 0.01 bn toman keeps its digit
    assert m3["need"].value == pytest.approx(15.005)  # exact; only the display changes


def test_a_value_without_a_unit_is_shown_by_its_size(tmp_path) -> None:
    from openpyxl import load_workbook

    rows = [{"deficit": 1234.5, "deficit_unit": ""}, {"deficit": 0.25, "deficit_unit": None}]
    ws = load_workbook(write_records(rows, tmp_path / "u.xlsx")).active
    assert ws["A2"].number_format == "#,##0" and ws["A2"].value == 1234.5
    assert ws["A3"].number_format == "#,##0.00"


def test_numpy_numbers_are_numbers_with_their_unit_format(tmp_path) -> None:
    import numpy as np
    from openpyxl import load_workbook

    rows = [{"deficit": np.int64(12), "deficit_unit": "lps", "need": np.float32(0.25),
             "currency": "toman", "scale": "million"}]
    ws = load_workbook(write_records(rows, tmp_path / "np.xlsx")).active
    assert ws["A2"].value == 12 and ws["A2"].number_format == "#,##0.0"
    assert ws["C2"].value == 0.25 and ws["C2"].number_format == "#,##0.0"  # below 0.5 million


def test_number_format_examples() -> None:
    assert number_format(250.5, "lps") == "#,##0.0"
    assert number_format(Decimal("0.04"), "mw") == "#,##0.00"
    assert number_format(0, "mw") == "#,##0.0"
    assert number_format(5, "toman_million") == "#,##0"
    assert number_format(3e-11, "mw") == "0.00E+00"  # display.py: 3 significant digits


def test_plan_sheets_money_by_unit_and_about_sheet(tmp_path) -> None:
    from openpyxl import load_workbook

    plan = [
        {"rank": 1, "utility": "water", "deficit": Decimal("10"), "deficit_unit": "lps",
         "need": Decimal("25"), "funded": Decimal("12.5"), "gap_left": Decimal("12.5"),
         "currency": "toman", "scale": "billion", "status": "partly funded"},
    ]
    years = [{"fiscal_year": 1403, "budget": Decimal("1000"), "spent": Decimal("12.5"),
              "currency": "toman", "scale": "million"}]
    tables = {
        "plan": (plan, list(plan[0])),
        "years": (years, list(years[0])),
    }
    out = tmp_path / "plan.xlsx"
    write_plan_tables(tables, out, meta={"rule": "cheapest", "unspent": Decimal("987.5")})
    wb = load_workbook(out)
    assert wb.sheetnames == ["plan", "years", "about"]
    row = _row(wb["plan"], 2)
    assert row["rank"].number_format == "0" and row["rank"].value == 1
    assert {row[k].number_format for k in ("deficit", "need", "funded", "gap_left")} == {
        "#,##0.0"
    }
    assert row["funded"].value == 12.5 and row["status"].value == "partly funded"
    year = _row(wb["years"], 2)
    assert year["budget"].number_format == "#,##0" and year["spent"].value == 12.5
    about = wb["about"]
    assert [[c.value for c in r] for r in about.iter_rows(min_row=2)] == [
        ["rule", "cheapest"], ["unspent", 987.5]
    ]
    for ws in wb.worksheets:
        assert ws.sheet_view.rightToLeft and ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"


def test_long_sheet_names_are_cut_to_31_characters(tmp_path) -> None:
    from openpyxl import load_workbook

    out = write_records([{"a": 1}], tmp_path / "n.xlsx", sheet_name="x" * 40)
    assert load_workbook(out).sheetnames == ["x" * 31]


def test_more_rows_than_a_sheet_holds_is_a_clear_error(tmp_path) -> None:
    from isipo_geo.errors import InputError

    class Many(list):  # as long as Excel's limit without holding a million rows
        def __len__(self) -> int:
            return 1_048_576

    with pytest.raises(InputError, match="1,048,576 rows do not fit one Excel sheet"):
        write_records(Many([{"a": 1}]), tmp_path / "big.xlsx", columns=["a"])
    assert not (tmp_path / "big.xlsx").exists()


def test_same_rows_give_the_same_bytes(tmp_path) -> None:
    rows = [_funding_row("water", "lps", "250.5", "2.5", "626.25") | {"note": "یادداشت"}] * 3
    a = write_records(rows, tmp_path / "a.xlsx").read_bytes()
    b = write_records(rows, tmp_path / "b.xlsx").read_bytes()
    assert a == b


def test_full_disk_is_one_output_error_and_no_file(tmp_path, monkeypatch) -> None:
    import errno
    import os

    from isipo_geo.errors import OutputError

    real_fdopen = os.fdopen

    class FillsUp:  # a file on a disk that is full after 4 kB
        def __init__(self, f) -> None:
            self.f, self.written = f, 0

        def write(self, data) -> int:
            self.written += len(data)
            if self.written > 4096:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.f.write(data)

        def __getattr__(self, name):
            return getattr(self.f, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            self.f.close()

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: FillsUp(real_fdopen(*a, **k)))
    rows = [{"name": f"شهرک {i}", "need": i} for i in range(5000)]
    with pytest.raises(OutputError, match="t.xlsx: the disk is full"):
        write_records(rows, tmp_path / "t.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == []
