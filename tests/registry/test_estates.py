"""Tests for isipo_geo.registry.estates: the shipped registry and reading user registries."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pandas as pd
import pytest

from isipo_geo.errors import InputError
from isipo_geo.names import province_keys
from isipo_geo.provinces import load_provinces
from isipo_geo.registry import estates
from isipo_geo.registry.schema import KINDS, LOCATION_PRECISIONS, REGISTRY_COLUMNS, UTILITY_COLUMNS

REPO = Path(__file__).resolve().parents[2]

# --- the shipped registry (no seed needed) ---------------------------------------------------


def _build_section(title: str) -> dict[str, int]:
    """The «- key: n» lines under ``## title`` of data/estates/public_build.txt (the build's
    report of the shipped file)."""
    text = (REPO / "data" / "estates" / "public_build.txt").read_text(encoding="utf-8")
    part = text.split(f"## {title}\n", 1)[1].split("\n\n", 1)[0]
    return {k: int(v) for k, v in (line[2:].rsplit(": ", 1) for line in part.splitlines())}


@pytest.fixture(scope="module")
def shipped():
    return estates.load_estates()


def test_shipped_registry_file_format():
    raw = estates.registry_path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, so Excel shows the Persian
    header = raw[3:].split(b"\n", 1)[0].decode()
    assert header.split(",") == list(REGISTRY_COLUMNS)


def test_shipped_registry_is_valid(shipped):
    assert shipped.crs.to_epsg() == 4326
    # the report's 34 and the estates public sources name, as many as the build reports
    built = (REPO / "data" / "estates" / "public_build.txt").read_text(encoding="utf-8")
    assert f"merged into {len(shipped)} estates." in built
    assert len(shipped) > 34
    assert list(shipped.index) == list(shipped["id"])
    assert shipped.index.is_unique
    assert set(shipped["kind"]) <= set(KINDS)
    assert set(shipped["province"]) <= set(province_keys())
    assert set(shipped["location_precision"]) <= set(LOCATION_PRECISIONS)
    assert shipped.geometry.geom_type.eq("Point").all()
    assert not shipped.geometry.is_empty.any()
    bounds = shipped.total_bounds  # Iran: 44-64 E, 25-40 N
    assert bounds[0] > 44 and bounds[2] < 64 and bounds[1] > 25 and bounds[3] < 40


def test_all_nine_sezs_with_their_status(shipped):
    sez = shipped[shipped.index.str.match(r"^sez-[a-z_]+$")]  # the report's 9 keep their ids
    assert sorted(sez["province"]) == sorted(
        [
            "yazd",
            "lorestan",
            "north_khorasan",
            "semnan",
            "fars",
            "bushehr",
            "kurdistan",
            "hamadan",
            "golestan",
        ]
    )
    # the report's status (1400) unless a public source states a later one
    assert sez["status"].value_counts().to_dict() == {"operational": 5, "under_construction": 4}
    assert sez.loc["sez-north_khorasan", "name_fa"] == "منطقه ویژه اقتصادی بجنورد"
    assert (sez["operator"] == "isipo").all()
    assert sez.loc["sez-semnan", "status_year"] == 1400


def test_kinds_and_areas(shipped):
    by_kind: dict[str, int] = {}
    for pair, n in _build_section(
        "By kind and operator (only operator isipo is among the report's 844)"
    ).items():
        kind = pair.split(" / ")[0]
        by_kind[kind] = by_kind.get(kind, 0) + n
    assert shipped["kind"].value_counts().to_dict() == by_kind
    assert set(by_kind) <= set(KINDS)
    assert shipped.loc["ie-hamadan-bu_ali_3", "area_ha"] == 430
    # a row of the report naming two estates gives one combined area: unknown per estate
    assert pd.isna(shipped.loc["ie-east_azerbaijan-osku", "area_ha"])


def test_every_point_is_inside_its_province_or_flagged(shipped):
    provinces = load_provinces()
    for ident, row in shipped.iterrows():
        inside = provinces.loc[row["province"], "geometry"].covers(row.geometry)
        flags = str(row["flags"]) if pd.notna(row["flags"]) else ""
        assert inside or estates.FLAG_OUTSIDE_PROVINCE in flags.split(";"), ident
    # coastal towns outside Natural Earth's generalised coastline, and towns on the border
    flagged = shipped[shipped["flags"].fillna("").str.contains(estates.FLAG_OUTSIDE_PROVINCE)]
    assert "ie-hormozgan-bandar_abbas_2" in flagged.index
    assert len(flagged) == _build_section("Flags")["outside_stated_province"]
    assert (flagged["location_precision"] != "province").all()


def test_locations_are_towns_counties_or_province_points(shipped):
    dezful = shipped.loc["ie-khuzestan-dezful_2"]
    assert dezful["location_precision"] == "town"
    assert (dezful["lon"], dezful["lat"]) == (48.40581, 32.38114)
    assert dezful["geonames_id"] == 136256 and dezful["county"] == "دزفول"
    assert "GeoNames 136256" in dezful["note"]
    assert shipped.loc["sez-bushehr", "location_precision"] == "province"
    # the counts the build reports (public_build.txt), read, not written in
    assert shipped["location_precision"].value_counts().to_dict() == _build_section(
        "Location precision"
    )
    assert set(shipped["location_precision"]) == {"town", "county", "province"}
    assert (shipped["location_precision"] == "estate").sum() == 0  # never the estate itself
    town = shipped[shipped["location_precision"] == "town"]
    assert town["geonames_id"].notna().all() and (town["county"] != "").all()
    county = shipped[shipped["location_precision"] == "county"]
    assert county["geonames_id"].isna().all() and (county["county"] != "").all()


def test_utilities_stated_as_text_never_as_current_figures(shipped):
    # sources state utilities for a year ("gas=yes (1394)"): kept as text, not as has_gas
    for col in UTILITY_COLUMNS:
        assert shipped[col].isna().all(), col
    stated = shipped["utilities_stated"][shipped["utilities_stated"] != ""]
    assert len(stated) > 100
    assert stated.str.fullmatch(r"([a-z_0-9]+=[^;]+ \((1[34]\d\d|undated)\)(; )?)+").all()


# --- reading user registries -----------------------------------------------------------------


def _write(tmp_path, text, name="r.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_minimal_registry_gets_missing_columns_and_empty_geometry(tmp_path):
    path = _write(
        tmp_path,
        "id,name_fa,kind,province,lon,lat,location_precision,has_gas,area_ha\n"
        'a,شهرک الف,industrial_estate,tehran,51.4,35.7,town,true,"1,250.5"\n'
        "b,ناحیه ب,industrial_zone,fars,,,,no,\n",
        encoding="utf-8-sig",
    )
    gdf = estates.load_estates(path)
    assert list(gdf.columns[: len(REGISTRY_COLUMNS)]) == list(REGISTRY_COLUMNS)
    assert gdf.loc["a", "area_ha"] == 1250.5
    assert bool(gdf.loc["a", "has_gas"]) is True and bool(gdf.loc["b", "has_gas"]) is False
    assert pd.isna(gdf.loc["b", "has_water"])
    assert gdf.loc["b", "geometry"].is_empty
    assert (gdf.loc["a", "geometry"].x, gdf.loc["a", "geometry"].y) == (51.4, 35.7)


def test_point_outside_its_province_is_flagged_not_moved(tmp_path):
    path = _write(
        tmp_path,
        "id,name_fa,kind,province,lon,lat,location_precision\n"
        "x,شهرک,industrial_estate,fars,51.4,35.7,town\n",  # a point in Tehran
    )
    gdf = estates.load_estates(path)
    assert gdf.loc["x", "flags"] == estates.FLAG_OUTSIDE_PROVINCE
    assert gdf.loc["x", "geometry"].x == 51.4
    assert estates.load_estates(path, check_provinces=False).loc["x", "flags"] == ""


def test_missing_required_column(tmp_path):
    path = _write(tmp_path, "id,name_fa,kind\na,الف,industrial_estate\n")
    with pytest.raises(InputError, match="missing required column.*province"):
        estates.load_estates(path)


def test_every_bad_cell_is_listed_once(tmp_path):
    path = _write(
        tmp_path,
        "id,name_fa,kind,province,lon,lat,area_ha,has_gas,status\n"
        "a,الف,estate,tehran,51.4,,x,maybe,open\n"
        "a,,industrial_zone,teh,,,,,\n",
    )
    with pytest.raises(InputError) as info:
        estates.load_estates(path)
    msg = str(info.value)
    assert "8 problem(s)" in msg
    for expected in (
        "row 2, column 'kind': unknown kind 'estate'",
        "row 2, column 'lat': lon and lat must be given together",
        "row 2, column 'area_ha': 'x' is not a number",
        "row 2, column 'has_gas': 'maybe' is not true/false",
        "row 2, column 'status': unknown status 'open'",
        "row 3, column 'id': duplicate id 'a' (first on row 2)",
        "row 3, column 'name_fa': empty name (give name_fa, or name_en when there is no Persian",
        "row 3, column 'province': 'teh' is not a province key",
    ):
        assert expected in msg
    assert info.value.row == 2
    # each problem in Persian too, in Persian digits where it counts
    fa = info.value.reason.fa
    assert fa.startswith("۸ مشکل در فهرست شهرک‌ها:")
    for expected in (
        "سطر ۲، ستون 'kind': نوع ناشناخته 'estate'",
        "سطر ۲، ستون 'lat': طول و عرض جغرافیایی باید با هم داده شوند",
        "سطر ۲، ستون 'has_gas': 'maybe' بله/خیر (true/false) نیست",
        "سطر ۲، ستون 'area_ha': 'x' عدد نیست",
        "سطر ۳، ستون 'id': شناسه تکراری 'a' (نخستین بار در سطر ۲)",
        "سطر ۳، ستون 'province': 'teh' کلید استان نیست",
    ):
        assert expected in fa
    assert "(این پیام هنوز ترجمه نشده است" not in fa


def test_out_of_range_and_negative_values(tmp_path):
    path = _write(
        tmp_path,
        "id,name_fa,kind,province,lon,lat,location_precision,water_deficit_lps\n"
        "a,الف,industrial_estate,tehran,200,35,town,-5\n",
    )
    with pytest.raises(InputError, match=r"longitude 200 is outside -180\.\.180"):
        estates.load_estates(path)
    with pytest.raises(InputError, match="'-5' is negative"):
        estates.load_estates(path)


def test_located_row_needs_precision(tmp_path):
    path = _write(
        tmp_path,
        "id,name_fa,kind,province,lon,lat\na,الف,industrial_estate,tehran,51.4,35.7\n",
    )
    with pytest.raises(InputError, match="needs a precision"):
        estates.load_estates(path)


def test_unreadable_files(tmp_path):
    with pytest.raises(InputError, match="registry file not found"):
        estates.load_estates(tmp_path / "nope.csv")
    bad = tmp_path / "latin.csv"
    bad.write_bytes("id,name_fa,kind,province\na,\xe9,industrial_estate,tehran\n".encode("cp1252"))
    with pytest.raises(InputError, match="not UTF-8"):
        estates.load_estates(bad)
    empty = _write(tmp_path, "", name="empty.csv")
    with pytest.raises(InputError, match="empty") as err:
        estates.load_estates(empty)
    assert err.value.reason.fa == "پرونده خالی است؛ یک سطر سرستون می‌خواهد"
    no_kind = _write(tmp_path, "id,name_fa,province\na,الف,qom\n", name="no_kind.csv")
    with pytest.raises(InputError, match="missing required column") as err:
        estates.load_estates(no_kind)
    assert err.value.reason.fa.startswith("ستون‌های لازم در پرونده نیست: kind؛")


@pytest.mark.parametrize("bad_row", [2, 4])
def test_a_row_with_more_cells_than_the_header_is_named_not_shifted(tmp_path, bad_row):
    # pandas reads a first data row with one cell too many as an index column and shifts every
    # cell of every row one column left: the id read as the name, the province as the kind...
    rows = ["b,شهرک ب,industrial_estate,tehran", "c,شهرک ج,industrial_estate,tehran",
            "d,شهرک د,industrial_estate,tehran"]
    rows[bad_row - 2] = rows[bad_row - 2].replace("شهرک", "شهرک 1,234")  # an unquoted 1,234
    path = _write(tmp_path, "id,name_fa,kind,province\n" + "\n".join(rows) + "\n")
    with pytest.raises(InputError) as err:
        estates.load_estates(path)
    assert err.value.row == bad_row and err.value.path == path
    assert "the row has 5 cells but the header only 4" in str(err.value)


def test_csv_text_round_trip(tmp_path):
    gdf = estates.load_estates()
    text = estates.registry_to_csv_text(gdf)
    assert text == estates.registry_path().read_text(encoding="utf-8-sig")
    out = _write(tmp_path, text, encoding="utf-8-sig")
    again = estates.load_estates(out)
    pd.testing.assert_frame_equal(
        pd.DataFrame(again.drop(columns="geometry")), pd.DataFrame(gdf.drop(columns="geometry"))
    )


# --- the shipped registry against the seed ---------------------------------------------------


@pytest.mark.seed
def test_report_rows_alone_from_the_seed(seed_lines, shipped):
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        build = importlib.import_module("build_estates")
        rows = build.build(seed_lines)
    finally:
        sys.path.remove(str(REPO / "scripts"))
    assert len(rows) == 34
    for row in rows:  # each report row is in the shipped registry, its report lines first
        assert shipped.loc[row["id"], "source"].startswith(row["_report_source"]), row["id"]


@pytest.mark.seed
def test_sez_rows_are_the_report_lines(seed_lines, shipped):
    from isipo_geo.names import normalize_fa

    sez = shipped[shipped.index.str.match(r"^sez-[a-z_]+$")]
    for ident, row in sez.iterrows():
        line = int(row["source"].split()[0].removeprefix("seed:L"))
        place = row["name_fa"].removeprefix("منطقه ویژه اقتصادی ").split(" (")[0]
        assert place in normalize_fa(seed_lines[line - 1]), ident


def test_cells_are_read_stripped_and_a_column_without_spaces_is_kept_as_read():
    # validation strips every cell; a column with nothing to strip keeps the text as read
    # (no stripped copy of each of 45 columns at 84,400 estates)
    import pandas as pd

    from isipo_geo.registry.estates import validate_registry

    raw = pd.DataFrame({
        "id": [" a1 ", "a2"], "name_fa": ["شهرک یک", "\u00a0شهرک دو\t"],
        "kind": ["industrial_estate", "industrial_estate"], "province": ["qom", "qom "],
    }, dtype="str")
    typed = validate_registry(raw)
    assert typed["id"].tolist() == ["a1", "a2"]
    assert typed["name_fa"].tolist() == ["شهرک یک", "شهرک دو"]
    assert typed["province"].tolist() == ["qom", "qom"]
    assert typed["kind"].tolist() == ["industrial_estate"] * 2


def test_to_geodataframe_flags_its_own_frame_not_the_one_given():
    # to_geodataframe shares the validated frame's columns (no copy of 45 columns at 84,400
    # estates); a flag it adds is in its frame only
    raw = pd.DataFrame({
        "id": ["x", "y"], "name_fa": ["شهرک", "ناحیه"], "kind": ["industrial_estate"] * 2,
        "province": ["fars", "tehran"], "lon": ["51.4", ""], "lat": ["35.7", ""],
        "location_precision": ["town", ""], "flags": ["", "checked"], "area_ha": ["12.5", ""],
    }, dtype="str")
    typed = estates.validate_registry(raw)
    gdf = estates.to_geodataframe(typed)
    assert gdf.loc["x", "flags"] == estates.FLAG_OUTSIDE_PROVINCE
    assert gdf.loc["y", "flags"] == "checked"
    assert typed["flags"].tolist() == ["", "checked"]
    assert "geometry" not in typed.columns
    assert gdf.index.tolist() == ["x", "y"] and gdf.index.name is None
    assert gdf.loc["x", "area_ha"] == 12.5 and pd.isna(gdf.loc["y", "area_ha"])
    assert gdf.loc["y", "geometry"].is_empty and gdf.loc["x", "geometry"].x == 51.4


def test_registry_of_844_estates_typed_and_placed(make_registry):
    # at real size: each typed cell is its text read once (numbers, yes/no words, text), the
    # points are the lon/lat cells, the index the ids
    import math

    path = make_registry(844)
    raw = estates.read_registry(path)
    gdf = estates.load_estates(path)
    assert len(gdf) == 844 and gdf.index.tolist() == raw["id"].str.strip().tolist()
    assert gdf.index.name is None and gdf.crs.to_epsg() == 4326
    for col, dtype in REGISTRY_COLUMNS.items():
        assert str(gdf[col].dtype) == dtype, col
    for col in ("area_ha", "water_deficit_lps", "power_demand_mw", "lon", "lat"):
        expected = [float(c) if c.strip() else None for c in raw[col]]
        got = [None if pd.isna(v) else float(v) for v in gdf[col]]
        assert got == expected, col
    assert gdf["gas_deficit_km"].isna().all() and not raw["gas_deficit_km"].str.strip().any()
    words = {"true": True, "false": False, "": None}
    assert [None if pd.isna(v) else bool(v) for v in gdf["has_water"]] == [
        words[c.strip().lower()] for c in raw["has_water"]
    ]
    assert gdf["province"].tolist() == raw["province"].str.strip().tolist()
    assert gdf["name_fa"].tolist() == raw["name_fa"].str.strip().tolist()
    xs = [math.nan if p.is_empty else p.x for p in gdf.geometry]
    assert [x if x == x else None for x in xs] == [float(c) if c else None for c in raw["lon"]]


def test_registry_text_lives_in_the_system_allocator(make_registry, tmp_path):
    # pyarrow's own pool (mimalloc) kept ~30 MB of what parsing 84,400 estates freed, which
    # the build's later Python objects could not reuse; the registry's text is allocated by
    # the system allocator, and the caller's default pool is left as it was, error or not
    pa = pytest.importorskip("pyarrow")
    system = pa.system_memory_pool()
    default = pa.default_memory_pool().backend_name
    before = system.bytes_allocated()
    raw = estates.read_registry(make_registry(844))
    filled = [c for c in raw.columns if not (raw[c] == "").all()]  # (the empty share a buffer)
    text_bytes = int(raw[filled].memory_usage(deep=True, index=False).sum())
    assert text_bytes > 100_000
    assert system.bytes_allocated() - before >= text_bytes
    assert pa.default_memory_pool().backend_name == default
    bad = _write(tmp_path, "id,name_fa\n\"a,b\n", name="bad.csv")
    with pytest.raises(InputError):
        estates.load_estates(bad)
    assert pa.default_memory_pool().backend_name == default


def test_columns_of_empty_cells_share_one_buffer(make_registry, tmp_path):
    # an Arrow text column holds 8 bytes per cell even when all are empty (24 such columns
    # of 84,400 estates were 16 MB of zeros); they share one buffer, read and typed alike
    pa = pytest.importorskip("pyarrow")
    path = make_registry(844)
    raw = estates.read_registry(path)
    plain = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    pd.testing.assert_frame_equal(raw, plain)
    empty = [c for c in raw.columns if (raw[c] == "").all()]
    assert {"gas_deficit_km", "note", "flags", "jobs"} <= set(empty)

    def offsets(column: pd.Series) -> int:
        chunks = pa.chunked_array(pa.array(column.array)).chunks
        assert len(chunks) == 1
        return chunks[0].buffers()[1].address

    assert len({offsets(raw[c]) for c in empty}) == 1
    assert offsets(raw["name_fa"]) != offsets(raw["note"])
    typed = estates.load_estates(path, raw=raw)
    text = [c for c in empty if str(typed[c].dtype) == "string"]
    assert {"note", "flags", "county"} <= set(text)
    assert len({offsets(typed[c]) for c in text}) == 1
    assert typed["note"].tolist() == [""] * 844
    typed.loc[typed.index[0], "note"] = "checked"  # a cell set later changes its column only
    assert typed["note"].iloc[0] == "checked" and typed["county"].iloc[0] == ""
    assert raw["note"].iloc[0] == ""
    missing = _write(tmp_path, "id,name_fa,kind,province,self\na,الف,industrial_estate,qom,\n"
                     "b,ب,industrial_estate,qom,\n")  # an extra empty column, named 'self'
    added = estates.load_estates(missing)
    assert len({offsets(added[c]) for c in ("note", "county", "flags", "year", "self")}) == 1
    assert added["self"].tolist() == ["", ""]


def test_a_registry_with_an_extra_column_named_self_lays_over_the_shipped_one(tmp_path):
    # the shipped rows gain the user's extra columns, empty; a column may be called anything
    path = _write(tmp_path, "id,name_fa,kind,province,lon,lat,location_precision,self\n"
                  "u1,شهرک الف,industrial_estate,qom,50.9,34.6,town,x\n")
    gdf = estates.load_registry(path)
    shipped = estates.load_estates()
    assert len(gdf) == int((shipped["province"] != "qom").sum()) + 1
    assert gdf.loc["u1", "self"] == "x" and gdf.loc["u1", "registry_file"] == "r.csv"
    others = gdf[gdf.index != "u1"]
    assert others["self"].isna().all() and (others["province"] != "qom").all()
