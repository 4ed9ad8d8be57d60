"""The blank registry workbook reads back through the importer."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from isipo_geo.cli import app
from isipo_geo.registry.importer import import_registry
from isipo_geo.registry.template import COLUMNS, YEAR_CELL, YEAR_LABEL, write_template


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
    # kinds, provinces, statuses, six yes/no columns, the UTM zone, and the year cell
    assert len(ws.data_validations.dataValidation) == 11
    assert ws["A3"].value == YEAR_LABEL and ws[YEAR_CELL].value is None


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
        "دارای گاز": "دارد",
        "کمبود گاز (کیلومتر)": "۱۲",
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
    assert got["gas_deficit_km"] == pytest.approx(12)


def test_cli_template(runner, tmp_path) -> None:
    out = tmp_path / "t.xlsx"
    result = runner.invoke(app, ["template", str(out)])
    assert result.exit_code == 0 and out.is_file()
    bad = runner.invoke(app, ["template", str(tmp_path / "t.csv")])
    assert bad.exit_code == 2 and "use one of the extensions .xlsx" in bad.output


def _fill(path, rows, *, year=None):
    """Fill the template as a planner does in Excel (openpyxl saves it as Excel would)."""
    wb = load_workbook(path)
    ws = wb["registry"]
    if year is not None:
        ws[YEAR_CELL] = year
    for cells in rows:
        row = dict.fromkeys((h for h, _, _ in COLUMNS), None) | cells
        ws.append(list(row.values()))
    wb.save(path)


def test_template_year_utm_and_utility_columns_read_back(tmp_path) -> None:
    path = write_template(tmp_path / "t.xlsx")
    _fill(
        path,
        [
            {
                "نام شهرک": "شهرک صنعتی مورچه خورت",
                "نوع": "شهرک صنعتی",
                "استان": "اصفهان",
                "آب تامین شده (لیتر بر ثانیه)": 15,
                "آب مورد نیاز (لیتر بر ثانیه)": 30,
                "دارای آب": "دارد",
                "دارای برق": "ندارد",
                "UTM easting (متر)": 552000,
                "UTM northing (متر)": 3652000,
                "زون UTM": "39",
            }
        ],
        year=1403,
    )
    result = import_registry(path)
    assert result.rejects.empty, result.rejects.to_dict(orient="records")
    got = result.registry.iloc[0]
    assert got["year"] == "1403"
    assert bool(got["has_water"]) is True and bool(got["has_power"]) is False
    assert got["water_supplied_lps"] == 15 and got["water_demand_lps"] == 30
    # UTM zone 39N: 552000 E, 3652000 N is near Murcheh Khurt, north of Isfahan
    assert got["lon"] == pytest.approx(51.55, abs=0.01)
    assert got["lat"] == pytest.approx(33.00, abs=0.01)
    assert any("data year 1403" in n for n in result.notes)
    # the note reads in Persian too, with Persian digits
    assert "سال اطلاعات ۱۴۰۳، چنان‌که بالای سرستون نوشته شده است" in [
        getattr(n, "fa", "") for n in result.notes
    ]


def test_template_without_year_leaves_it_unknown_and_import_year_fills_it(tmp_path) -> None:
    path = write_template(tmp_path / "t.xlsx")
    _fill(path, [{"نام شهرک": "شهرک صنعتی جی", "نوع": "شهرک صنعتی", "استان": "اصفهان"}])
    unknown = import_registry(path)
    assert unknown.registry.iloc[0]["year"] is pd.NA
    assert any(n.startswith("data year unknown") for n in unknown.notes)
    assert any(getattr(n, "fa", "").startswith("سال اطلاعات نامعلوم است") for n in unknown.notes)
    given = import_registry(path, year="۱۴۰۲")
    assert given.registry.iloc[0]["year"] == "1402"
    assert "سال اطلاعات ۱۴۰۲ (--year) برای سطرهایی که سال خودشان را ندارند" in [
        getattr(n, "fa", "") for n in given.notes
    ]


def test_bad_year_cell_names_the_row(tmp_path) -> None:
    from isipo_geo.errors import InputError

    path = write_template(tmp_path / "t.xlsx")
    _fill(path, [{"نام شهرک": "شهرک صنعتی جی", "نوع": "شهرک صنعتی", "استان": "اصفهان"}],
          year="2024")
    with pytest.raises(InputError, match="2024.*not a Jalali year") as err:
        import_registry(path)
    assert err.value.row == 3


def test_three_figures_that_disagree_are_flagged(tmp_path) -> None:
    path = write_template(tmp_path / "t.xlsx")
    base = {"نوع": "شهرک صنعتی", "استان": "اصفهان"}
    _fill(
        path,
        [
            base | {"نام شهرک": "شهرک الف", "آب تامین شده (لیتر بر ثانیه)": 10,
                    "آب مورد نیاز (لیتر بر ثانیه)": 30, "کمبود آب (لیتر بر ثانیه)": 5},
            base | {"نام شهرک": "شهرک ب", "آب تامین شده (لیتر بر ثانیه)": 10,
                    "آب مورد نیاز (لیتر بر ثانیه)": 30, "کمبود آب (لیتر بر ثانیه)": 20},
            base | {"نام شهرک": "شهرک ج", "آب تامین شده (لیتر بر ثانیه)": 40,
                    "آب مورد نیاز (لیتر بر ثانیه)": 30, "کمبود آب (لیتر بر ثانیه)": 0},
        ],
    )
    result = import_registry(path)
    flags = [str(f) if f is not pd.NA else "" for f in result.registry["flags"]]
    assert "water_figures_disagree" in flags[0]
    assert "water_figures_disagree" not in flags[1] and "water_figures_disagree" not in flags[2]
    assert result.flag_counts()["water_figures_disagree"] == 1


def test_template_town_and_county_place_the_estate(tmp_path) -> None:
    path = write_template(tmp_path / "t.xlsx")
    base = {"نوع": "ناحیه صنعتی", "استان": "اصفهان", "شهر": "ورزنه"}
    _fill(
        path,
        [
            base | {"نام شهرک": "ناحیه صنعتی ورزنه", "شهرستان": "اصفهان"},
            base | {"نام شهرک": "ناحیه صنعتی ورزنه ب"},
        ],
    )
    reg = import_registry(path).registry
    # the county says Isfahan, where GeoNames has no Varzaneh: the county's point, flagged
    assert reg.loc[0, "location_precision"] == "county" and reg.loc[0, "county"] == "اصفهان"
    assert reg.loc[0, "flags"] == "town_not_in_county:ورزنه"
    # no county: GeoNames' only Varzaneh of the province lies in Golpayegan, not in Varzaneh
    # county: refused, Varzaneh county's point, flagged (issue 25)
    assert reg.loc[1, "location_precision"] == "county" and pd.isna(reg.loc[1, "geonames_id"])
    assert reg.loc[1, "flags"] == "town_not_in_county:ورزنه"


def test_template_offers_the_criteria_columns_and_they_read_back(tmp_path) -> None:
    path = write_template(tmp_path / "t.xlsx")
    wb = load_workbook(path)
    ws = wb["registry"]
    headers = [c.value for c in ws[4]]
    for header in ("اشتغال (نفر)", "تعداد واحد فعال", "واحد راکد", "درصد واگذاری (٪)",
                   "سرمایه‌گذاری (میلیارد تومان)"):
        assert header in headers
    row = dict.fromkeys(headers, None) | {
        "نام شهرک": "شهرک صنعتی آزمایش", "نوع": "شهرک صنعتی", "استان": "تهران",
        "اشتغال (نفر)": "۱٬۲۰۰", "تعداد واحد فعال": 45, "واحد راکد": "۷",
        "درصد واگذاری (٪)": "۸۲٫۵", "سرمایه‌گذاری (میلیارد تومان)": "۳۱۰",
    }
    ws.append(list(row.values()))
    wb.save(path)
    result = import_registry(path)
    assert result.rows_read == 1 and result.rejects.empty, result.rejects
    got = result.registry.iloc[0]
    assert got["jobs"] == 1200 and got["units_operating"] == 45 and got["units_idle"] == 7
    assert got["occupancy_pct"] == pytest.approx(82.5)
    assert got["investment_bn_toman"] == 310
