"""Registry validation column by column (isipo_geo.registry._checks) against the rule cell by cell.

The reference below is the row-by-row validation isipo-geo ran before the column-wise one: the
column-wise checks must give the same problems, in the same order, and the same numbers.
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from isipo_geo.errors import InputError
from isipo_geo.measures import column_unit
from isipo_geo.names import province_keys
from isipo_geo.numbers import parse_float
from isipo_geo.registry import estates
from isipo_geo.registry.schema import (
    KINDS,
    LOCATION_PRECISIONS,
    OPERATORS,
    REGISTRY_COLUMNS,
    STATUSES,
)

_TRUE = {"true", "1", "yes", "y", "بله", "دارد", "آری"}
_FALSE = {"false", "0", "no", "n", "خیر", "ندارد"}


def _number(cell, column):
    if cell == "":
        return None
    try:  # a cell may repeat its column's unit ("4 l/s" in water_deficit_lps)
        return parse_float(cell, what="", quantity="registry_number", unit=column_unit(column))
    except InputError as exc:
        raise InputError(exc.reason.lstrip()) from None


def reference_problems(records):
    """The row-by-row registry_problems of isipo-geo before the column-wise checks."""
    problems = []
    keys = set(province_keys())
    seen = {}
    for i, rec in enumerate(records):
        n = i + 2

        def bad(col, msg, n=n):
            problems.append((n, col, msg))

        get = rec.get
        ident = get("id") or ""
        if not ident:
            bad("id", "empty id")
        elif ident in seen:
            bad("id", f"duplicate id {ident!r} (first on row {seen[ident]})")
        else:
            seen[ident] = n
        if not get("name_fa") and not get("name_en"):
            bad("name_fa", "empty name (give name_fa, or name_en when there is no Persian one)")
        if (get("kind") or "") not in KINDS:
            bad("kind", f"unknown kind {get('kind') or ''!r}; use one of {', '.join(KINDS)}")
        if (get("province") or "") not in keys:
            bad(
                "province",
                f"{get('province') or ''!r} is not a province key (see `isipo-geo provinces`)",
            )
        if get("status") and get("status") not in STATUSES:
            bad("status", f"unknown status {get('status')!r}; use one of {', '.join(STATUSES)}")
        if get("operator") and get("operator") not in OPERATORS:
            bad(
                "operator",
                f"unknown operator {get('operator')!r}; use one of {', '.join(OPERATORS)}",
            )
        year = get("year") or ""
        if year and not (year.isascii() and year.isdigit() and 1300 <= int(year) <= 1500):
            bad("year", f"{year!r} is not a Jalali year; write e.g. 1403, or leave it empty")
        precision = get("location_precision") or ""
        if precision and precision not in LOCATION_PRECISIONS:
            bad(
                "location_precision",
                f"unknown precision {precision!r}; use one of {', '.join(LOCATION_PRECISIONS)}",
            )
        numbers = {}
        for col, dtype in REGISTRY_COLUMNS.items():
            cell = get(col) or ""
            if dtype in ("Float64", "Int64"):
                try:
                    numbers[col] = _number(cell, col)
                except InputError as exc:
                    bad(col, exc.reason)
                    numbers[col] = None
                    continue
                value = numbers[col]
                if dtype == "Int64" and value is not None and value != int(value):
                    bad(col, f"{cell!r} is not a whole number")
                if value is not None and value < 0 and col.endswith(("_lps", "_mw", "_ha")):
                    bad(col, f"{cell!r} is negative")
            elif dtype == "boolean" and cell and cell.lower() not in _TRUE | _FALSE:
                bad(col, f"{cell!r} is not true/false")
        lon, lat = numbers.get("lon"), numbers.get("lat")
        lon_given, lat_given = bool(get("lon")), bool(get("lat"))
        if lon_given != lat_given:
            bad("lat" if lon_given else "lon", "lon and lat must be given together")
        if lon is not None and not -180 <= lon <= 180:
            bad("lon", f"longitude {get('lon')} is outside -180..180")
        if lat is not None and not -90 <= lat <= 90:
            bad("lat", f"latitude {get('lat')} is outside -90..90")
        if lon_given and lat_given and not precision:
            bad(
                "location_precision",
                "a located row needs a precision (estate/town/county/province)",
            )
    return problems


# Cells that break one rule each (and some that break none), laid over a real-size registry.
HOSTILE = {
    "id": ["", "syn-000001", "  "],
    "name_fa": [""],
    "name_en": [""],
    "kind": ["estate", "", "Industrial_Estate"],
    "province": ["teh", "", "Tehran"],
    "status": ["open", "OPERATIONAL"],
    "operator": ["isipo", "state"],
    "year": ["1403", "۱۴۰۳", "1200", "14o3", "99999"],
    "location_precision": ["", "exact", "town"],
    "area_ha": ["۱۲٫۵", "١٢٣", "1,250.5", "-5", "x", "1e400", "0.0000000000001", "", "nan"],
    "water_deficit_lps": ["۴", "-۴", "4 l/s", "۱۲٬۳۴۵", "1\u066c000", "\u22121", "--1"],
    "power_deficit_mw": ["0.5", "9" * 25, "1e3", "+3", ".5", "5."],
    "has_gas": ["TRUE", "maybe", "بله", "N", "0", "2"],
    "status_year": ["1400", "1400.5", "۱۴۰۰", "-3"],
    "geonames_id": ["12.0", "12.5", "abc"],
    "lon": ["", "200", "-180", "۵۱٫۴", "51,4", "x"],
    "lat": ["", "-91", "90", "۳۵٫۷", "35.7.1"],
}


def _hostile(frame: pd.DataFrame, *, every: int = 37) -> pd.DataFrame:
    frame = frame.copy()
    for k, (col, cells) in enumerate(HOSTILE.items()):
        rows = list(range(k, len(frame), every))
        frame.loc[rows, col] = [cells[i % len(cells)] for i in range(len(rows))]
    return frame


@pytest.fixture(scope="module")
def registry_8440(tmp_path_factory):
    from synthetic_registry import write_registry

    return write_registry(tmp_path_factory.mktemp("r8440") / "r.csv", 8440)


def _records(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [{k.strip(): (v or "").strip() for k, v in r.items()} for r in csv.DictReader(f)]


def test_problems_of_a_real_size_registry_are_the_row_by_row_ones(registry_8440, tmp_path):
    frame = _hostile(pd.read_csv(registry_8440, dtype=str, keep_default_na=False,
                                 encoding="utf-8-sig"))
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    records = _records(path)
    expected = reference_problems(records)
    assert len(expected) > 1500  # the hostile cells really are there
    assert estates.registry_problems(records) == expected
    with pytest.raises(InputError) as info:
        estates.load_estates(path)
    assert f"{len(expected)} problem(s)" in str(info.value)
    lines = [f"row {r}, column {c!r}: {m}" for r, c, m in sorted(expected, key=lambda p: p[:2])]
    assert "\n  ".join(lines[:20]) in str(info.value)
    assert (info.value.row, info.value.column) == sorted(expected, key=lambda p: p[:2])[0][:2]
    with pytest.raises(InputError) as again:
        estates.registry_records(path)
    assert str(again.value) == str(info.value)


def test_a_valid_real_size_registry_reads_the_numbers_of_the_rule(registry_8440, tmp_path):
    frame = pd.read_csv(registry_8440, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    fa = str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫")
    ar = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    frame.loc[::3, "lon"] = frame.loc[::3, "lon"].str.translate(fa)
    frame.loc[1::3, "lat"] = frame.loc[1::3, "lat"].str.translate(ar)
    frame.loc[::5, "area_ha"] = "1,250.5"
    frame.loc[1::5, "area_ha"] = "۱۲٬۳۴۵"
    frame.loc[2::5, "area_ha"] = ""
    frame.loc[::7, "geonames_id"] = "۱۲۳۴۵"
    path = tmp_path / "mixed.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    records = _records(path)
    assert estates.registry_problems(records) == reference_problems(records) == []
    gdf = estates.load_estates(path)
    for col, dtype in REGISTRY_COLUMNS.items():
        if dtype not in ("Float64", "Int64"):
            continue
        expected = [_number(r[col], col) for r in records]
        got = [None if pd.isna(v) else float(v) for v in gdf[col]]
        assert got == expected, col
        assert str(gdf[col].dtype) == dtype
    assert gdf["area_ha"].iloc[0] == 1250.5 and gdf["area_ha"].iloc[1] == 12345
    assert pd.isna(gdf["area_ha"].iloc[2])
    assert list(gdf.index[:2]) == ["syn-000001", "syn-000002"]
    assert gdf.geometry.iloc[0].x == float(records[0]["lon"].translate(
        str.maketrans("۰۱۲۳۴۵۶۷۸۹٫", "0123456789.")))


def test_a_bad_cell_at_row_8000_is_reported_with_its_row_and_column(registry_8440, tmp_path):
    frame = pd.read_csv(registry_8440, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.loc[7998, "water_deficit_lps"] = "۱۲ لیتر"  # row 8,000 counting the header as 1
    path = tmp_path / "one_bad.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    for load in (estates.load_estates, estates.load_registry, estates.registry_records):
        with pytest.raises(InputError) as info:
            load(path)
        assert (info.value.row, info.value.column) == (8000, "water_deficit_lps")
        assert "1 problem(s) in the registry" in str(info.value)
        assert "row 8000, column 'water_deficit_lps': '۱۲ لیتر' is not a number" in str(
            info.value
        )


def test_booleans_read_as_the_rule_says(tmp_path):
    cells = ["TRUE", "Yes", "بله", "N", "0", "", "ندارد", "آری"]
    rows = [
        f"e{i},الف,industrial_estate,tehran,{cell}" for i, cell in enumerate(cells)
    ]
    path = tmp_path / "b.csv"
    path.write_text("id,name_fa,kind,province,has_gas\n" + "\n".join(rows) + "\n", "utf-8")
    got = estates.load_estates(path)["has_gas"].tolist()
    assert got == [True, True, True, False, False, pd.NA, False, True]


def test_covered_reads_frames_and_rows_alike(registry_8440):
    gdf = estates.load_estates(registry_8440)
    provinces, ids = estates.covered(gdf)
    assert (provinces, ids) == estates.covered(_records(registry_8440))
    assert len(ids) == 8440 and len(provinces) == 31
    assert estates.covered(pd.DataFrame({"id": [" a ", ""], "name_fa": ["x", "y"]})) == (
        set(), {"a"}
    )


def test_covered_among_given_ids_names_only_those(registry_8440):
    # laying a registry over the shipped one asks which of the shipped ids it reuses: those
    # alone become Python strings, not every id of a big registry (25 MB at 84,400)
    gdf = estates.load_estates(registry_8440)
    raw = estates.read_registry(registry_8440)
    records = _records(registry_8440)
    provinces, ids = estates.covered(gdf)
    among = {"syn-000003", "syn-008440", "nowhere", " syn-000005 "}
    expected = (provinces, {"syn-000003", "syn-008440"})
    assert estates.covered(gdf, among=among) == expected
    assert estates.covered(raw, among=among) == expected
    assert estates.covered(records, among=among) == expected
    spaced = pd.DataFrame({"id": [" a ", "", None, "b"], "province": ["qom ", "", "", None]},
                          dtype="str")
    assert estates.covered(spaced, among={"a", "c"}) == ({"qom"}, {"a"})
    assert estates.covered(spaced, among=set()) == ({"qom"}, set())


def test_registry_records_are_the_rows_dictreader_reads(tmp_path):
    text = (
        "id,name_fa,kind,province,area_ha,lon,lat,location_precision\n"
        "a, الف ,industrial_estate,tehran, ۱۲ ,51.4,35.7,town\n"
        "\n"
        "b,ب,industrial_zone,qom\n"  # short: the missing cells are None
        "c,ج,industrial_zone,qom,3,,,,extra,cells\n"  # long: the rest under None
    )
    path = tmp_path / "r.csv"
    path.write_text(text, encoding="utf-8-sig")
    with open(path, encoding="utf-8-sig", newline="") as f:
        expected = list(csv.DictReader(f))
    rows = estates.registry_records(path)
    assert rows == expected
    assert rows[1]["lon"] is None and rows[2][None] == ["extra", "cells"]
    bad = tmp_path / "bad.csv"
    bad.write_text(text.replace(",qom\n", ",qom,-1\n"), encoding="utf-8-sig")
    with pytest.raises(InputError) as info:
        estates.registry_records(bad)
    assert (info.value.row, info.value.column) == (3, "area_ha")  # the blank line not counted
    assert "'-1' is negative" in str(info.value)
