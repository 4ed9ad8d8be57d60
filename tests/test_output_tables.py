"""Tables that open well: XLSX layout read back with openpyxl, CSV header rows, GeoPackage
version and columns (isipo_geo.tables, written through `isipo-geo funding --out`)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from decimal import Decimal

import pytest

from isipo_geo.cli import app
from isipo_geo.errors import InputError
from isipo_geo.tables import persian_value, write_records


def test_xlsx_header_formats_persian_values_and_rtl(runner, tmp_path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "n.xlsx"
    assert runner.invoke(app, ["funding", "--out", str(out)]).exit_code == 0
    ws = load_workbook(out).active
    assert ws.sheet_view.rightToLeft and ws.freeze_panes == "A2"
    headers = [c.value for c in ws[1]]
    assert ws.row_dimensions[1].height >= 30  # both header lines show
    assert all(c.alignment.wrap_text for c in ws[1])
    col = {h.split("\n")[1]: i for i, h in enumerate(headers)}
    row = list(ws[2])  # nation, water: 2,300 L/s × 2.5 = 5,750 bn toman
    # each number by its unit (isipo_geo.display): bn toman and L/s with 1 decimal
    assert row[col["need"]].value == 5750 and row[col["need"]].number_format == "#,##0.0"
    assert row[col["deficit"]].number_format == "#,##0.0"
    assert row[col["utility"]].value == "water" and row[col["utility_fa"]].value == "آب"
    assert row[col["scenario_fa"]].value == "کمبود ضروری"
    assert row[col["basis_fa"]].value == "گزارش‌شده در گزارش عملکرد"
    # a column is as wide as its longest header line («شناسه شهرک» is not cut)
    width = ws.column_dimensions[ws.cell(row=1, column=col["estate_id"] + 1).column_letter].width
    assert width >= len("شناسه شهرک")


def test_budget_plan_xlsx_has_persian_status(tmp_path) -> None:
    from openpyxl import load_workbook

    rows = [{"rank": 1, "utility": "power", "need": Decimal("1234.5"), "status": "partly funded"}]
    out = write_records(rows, tmp_path / "plan.xlsx")
    ws = load_workbook(out).active
    assert [c.value for c in ws[2]] == [1, "power", "برق", 1234.5, "partly funded", "تأمین بخشی"]
    assert ws["A2"].number_format == "0"
    assert ws["D2"].number_format == "#,##0"  # money without its currency and scale: by size


@pytest.mark.parametrize(
    ("style", "first", "second"),
    [
        ("en", "scope,province,province_fa", "nation,"),
        ("fa", "سطح,استان (کلید),استان", "nation,"),
        ("both", "scope,province,province_fa", "سطح,استان (کلید),استان"),
    ],
)
def test_csv_header_styles(runner, tmp_path, style, first, second) -> None:
    out = tmp_path / "n.csv"
    result = runner.invoke(app, ["funding", "--out", str(out), "--headers", style])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith(first) and lines[1].startswith(second)


def test_csv_header_style_is_checked(tmp_path) -> None:
    with pytest.raises(InputError, match="headers must be one of en, fa, both"):
        write_records([{"a": 1}], tmp_path / "x.csv", headers="de")
    assert not (tmp_path / "x.csv").exists()


def test_csv_both_reads_back_with_english_keys(runner, tmp_path) -> None:
    out = tmp_path / "n.csv"
    assert runner.invoke(app, ["funding", "--out", str(out), "--headers", "both"]).exit_code == 0
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))[1:]  # the Persian header row is row 2
    total = next(r for r in rows if r["scope"] == "nation" and r["utility"] == "total")
    assert Decimal(total["need"]) == 12866


def test_gpkg_has_deficits_sources_and_a_version_gdal_36_reads(runner, tmp_path) -> None:
    import pyogrio

    out = tmp_path / "n.gpkg"
    assert runner.invoke(app, ["funding", "--out", str(out)]).exit_code == 0
    gdf = pyogrio.read_dataframe(out)
    assert gdf["deficit_water_lps_essential"].sum() == pytest.approx(2300)
    assert gdf["deficit_power_mw_essential"].sum() == pytest.approx(2372)
    assert set(gdf["basis_power_essential"]) == {"allocated:equal"}
    assert gdf["source_water_essential"].str.contains("seed:L1708").all()
    assert set(gdf["note_water_essential"]) == {"estimate: share of the national figure, by equal"}
    with open(out, "rb") as f:
        header = f.read(100)
    assert int.from_bytes(header[60:64], "big") == 10200  # user_version: GeoPackage 1.2
    if shutil.which("ogrinfo") is None:
        pytest.skip("ogrinfo (Debian gdal-bin) is missing; the version was checked above")
    info = subprocess.run(["ogrinfo", "-so", str(out), "funding"], capture_output=True, text=True)
    assert info.returncode == 0 and "Warning" not in info.stderr + info.stdout


def test_persian_value_words() -> None:
    assert persian_value("status", "unfunded") == "تأمین‌نشده"
    assert persian_value("status", "operational") == "در حال بهره‌برداری"
    assert persian_value("utility", None) == ""
    assert persian_value("source", "x") == ""


def test_gpkg_same_input_same_bytes(runner, tmp_path, monkeypatch) -> None:
    # GDAL stamps gpkg_contents.last_change with the time of writing: two builds a second apart
    # differed. The stamp is SOURCE_DATE_EPOCH's time when set (reproducible builds), else the
    # Unix epoch, so the same input gives the same file
    import sqlite3
    import time

    paths = [tmp_path / "a.gpkg", tmp_path / "b.gpkg"]
    for path in paths:
        assert runner.invoke(app, ["funding", "--out", str(path)]).exit_code == 0
        time.sleep(1.1)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    with sqlite3.connect(paths[0]) as db:
        (stamp,) = db.execute("select last_change from gpkg_contents").fetchone()
    assert stamp == "1970-01-01T00:00:00.000Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1733443200")  # 2024-12-06
    out = tmp_path / "c.gpkg"
    assert runner.invoke(app, ["funding", "--out", str(out)]).exit_code == 0
    with sqlite3.connect(out) as db:
        (stamp,) = db.execute("select last_change from gpkg_contents").fetchone()
    assert stamp == "2024-12-06T00:00:00.000Z"
    import pyogrio

    assert pyogrio.get_gdal_config_option("OGR_CURRENT_DATE") is None  # not left set


class _Held:
    """A row type saying where its keys are held (as the funding rows do)."""

    attribute_paths = {"a": "a", "b": "inner.b"}

    def __init__(self, a, b) -> None:
        self.a = a
        self.inner = type("Inner", (), {"b": b})()

    def get(self, *_):
        raise AssertionError("read by attribute paths, not get")


def test_row_reader_reads_attribute_paths_and_else_get() -> None:
    from isipo_geo.tables import row_reader

    read = row_reader(["b", "a"])
    assert read(_Held(1, 2)) == [2, 1]
    assert read({"a": 1}) == [None, 1]  # a dict (or any mapping): by get
    assert row_reader(["a"])(_Held(5, 6)) == [5]
    got = read(_Held(1, 2))
    got[0] = "changed"  # a new list each time: the writers change it in place
    assert read(_Held(1, 2)) == [2, 1]
    with_c = row_reader(["a", "c"])  # a key the type does not place: by get
    with pytest.raises(AssertionError, match="not get"):
        with_c(_Held(1, 2))
