"""Header mapping and header-row search of the importer."""

from __future__ import annotations

import pytest

from isipo_geo.errors import InputError
from isipo_geo.registry._headers import find_header, load_aliases, map_header


@pytest.fixture(scope="module")
def aliases():
    return load_aliases()


@pytest.mark.parametrize(
    ("label", "field", "unit"),
    [
        ("نام شهرک", "name", None),
        ("نام شهرك", "name", None),  # Arabic kaf
        ("استان", "province", None),
        ("Province", "province", None),
        ("کمبود آب (لیتر بر ثانیه)", "water_deficit", "lps"),
        ("کمبود آب (متر مکعب در روز)", "water_deficit", "m3_per_day"),
        ("کمبود آب به لیتر بر ثانیه", "water_deficit", "lps"),
        ("water_deficit_lps", "water_deficit", "lps"),
        ("water_deficit_m3_day", "water_deficit", "m3_per_day"),
        ("Water deficit [m³/day]", "water_deficit", "m3_per_day"),
        ("کمبود برق (کیلووات)", "power_deficit", "kw"),
        ("کمبود برق (کیلو ولت آمپر)", "power_deficit", "kva"),
        ("مساحت (هکتار)", "area", "ha"),
        ("area_ha", "area", "ha"),
        ("مساحت (متر مربع)", "area", "m2"),
        ("گاز", "has_gas", None),
        ("طول جغرافیایی (درجه)", "lon", None),  # a remark in brackets, not a unit
        ("ردیف", "ignore", None),
    ],
)
def test_map_header(aliases, label, field, unit):
    col = map_header(label, 0, aliases)
    assert col.field == field
    assert (col.unit.key if col.unit else None) == unit
    assert col.problem is None


def test_quantity_without_unit_is_a_problem(aliases):
    col = map_header("کمبود آب", 3, aliases)
    assert col.field == "water_deficit"
    assert col.problem.startswith("no unit is stated")
    assert "کمبود آب (لیتر بر ثانیه)" in col.problem


def test_unknown_and_wrong_units(aliases):
    assert "is not known" in map_header("کمبود آب (گالن)", 0, aliases).problem
    assert "not a unit of water flow" in map_header("کمبود آب (مگاوات)", 0, aliases).problem
    assert "two units" in map_header("water_deficit_lps (m3/day)", 0, aliases).problem


def test_unit_on_a_yes_no_column_is_not_mapped(aliases):
    col = map_header("آب (لیتر بر ثانیه)", 0, aliases)
    assert col.field is None and "name the figure" in col.note


def test_unknown_and_empty_headers(aliases):
    assert map_header("توضیحات", 4, aliases).field is None
    assert map_header(None, 4, aliases).label == "(column 5)"


def test_header_below_title_rows(aliases):
    rows = [
        ["فهرست شهرک‌ها", None, None],
        [None, None, None],
        ["نام شهرک", "استان", "کمبود برق (مگاوات)"],
        ["شهرک صنعتی الف", "تهران", 3],
    ]
    header = find_header(rows, aliases)
    assert header.rows == (2,)
    assert [c.field for c in header.columns] == ["name", "province", "power_deficit"]


def test_two_row_merged_header(aliases):
    rows = [
        ["ردیف", "نام شهرک", "استان", "کمبود", None, "مختصات", None],
        [None, None, None, "آب (لیتر بر ثانیه)", "برق (مگاوات)", "طول", "عرض"],
        [1, "شهرک صنعتی الف", "تهران", 10, 2, 51.4, 35.7],
    ]
    header = find_header(rows, aliases)
    assert header.rows == (0, 1)
    assert header.first_data_row == 2
    assert [c.field for c in header.columns] == [
        "ignore", "name", "province", "water_deficit", "power_deficit", "lon", "lat",
    ]


def test_no_header(aliases):
    assert find_header([[1, 2, 3], [4, 5, 6]], aliases) is None
    assert find_header([["استان", "نوع"], ["تهران", "شهرک صنعتی"]], aliases) is None


def test_user_aliases_extend_the_table(tmp_path):
    extra = tmp_path / "aliases.csv"
    extra.write_text("alias,field,unit\nNAME_EST,name,\nKASRI,water_deficit,m3/day\n",
                     encoding="utf-8")
    table = load_aliases(extra)
    col = map_header("KASRI", 0, table)
    assert (col.field, col.unit.key) == ("water_deficit", "m3_per_day")
    assert map_header("name_est", 1, table).field == "name"


def test_bad_alias_files(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("alias,field\nفلان,nonsense\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown field 'nonsense'"):
        load_aliases(bad)
    bad.write_text("alias,field,unit\nفلان,area,acre-feet\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown unit 'acre-feet'"):
        load_aliases(bad)
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="alias,field"):
        load_aliases(bad)
    with pytest.raises(InputError, match="alias file not found"):
        load_aliases(tmp_path / "missing.csv")
