"""import_registry / write_registry: the same registry from CSV, XLSX, GeoJSON and GeoPackage;
units, locations, validation, flags, ids and atomic writing."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from isipo_geo.errors import InputError
from isipo_geo.registry.importer import (
    MAX_WATER_LPS,
    ImportResult,
    default_rejects_path,
    generated_id,
    import_registry,
    write_registry,
)
from isipo_geo.registry.schema import REGISTRY_COLUMNS

N_ROWS = 900
KINDS_FA = {"industrial_estate": "شهرک صنعتی", "industrial_zone": "ناحیه صنعتی"}
STATUS_FA = {"operational": "فعال", "under_construction": "در حال احداث", "approved": "مصوب"}


def _points_inside(polygon, n: int, rng: np.random.Generator) -> list[tuple[float, float]]:
    """n points (rounded to 6 decimals) sampled inside a province polygon."""
    import shapely

    minx, miny, maxx, maxy = polygon.bounds
    shapely.prepare(polygon)
    out: list[tuple[float, float]] = []
    while len(out) < n:
        xs = np.round(rng.uniform(minx, maxx, 64), 6)
        ys = np.round(rng.uniform(miny, maxy, 64), 6)
        inside = shapely.contains_xy(polygon, xs, ys)
        out.extend(zip(xs[inside].tolist(), ys[inside].tolist(), strict=True))
    return out[:n]


@pytest.fixture(scope="module")
def truth() -> pd.DataFrame:
    """A 900-row synthetic registry spread over the 31 shipped provinces (test data only)."""
    from isipo_geo.provinces import load_provinces

    provinces = load_provinces()
    rng = np.random.default_rng(1400)
    keys = list(provinces.index)
    per = {k: N_ROWS // len(keys) + (1 if i < N_ROWS % len(keys) else 0)
           for i, k in enumerate(keys)}
    records = []
    for key in keys:
        points = _points_inside(provinces.at[key, "geometry"], per[key], rng)
        for j, (lon, lat) in enumerate(points):
            kind = "industrial_estate" if j % 3 else "industrial_zone"
            demand = round(float(rng.uniform(20, 300)), 1)
            records.append({
                "name_fa": f"{KINDS_FA[kind]} آزمون {provinces.at[key, 'name_fa']} {j + 1}",
                "name_en": f"Test estate {key} {j + 1}",
                "kind": kind,
                "province": key,
                "status": list(STATUS_FA)[j % 3],
                "area_ha": round(float(rng.uniform(5, 900)), 1),
                "water_demand_lps": demand,
                "water_deficit_lps": round(float(rng.uniform(0, demand)), 1),
                "power_deficit_mw": round(float(rng.uniform(0, 40)), 2),
                "has_gas": bool(j % 2),
                "lon": lon,
                "lat": lat,
            })
    df = pd.DataFrame(records)
    assert len(df) == N_ROWS
    return df


def _write_csv(truth: pd.DataFrame, path: Path) -> None:
    """Persian headers, Windows letter forms in province names, m³/day, دارد/ندارد."""
    from isipo_geo.provinces import province_table

    names = province_table()["name_fa"]
    lines = ["نام شهرک,نام انگلیسی,نوع,استان,وضعیت,مساحت (هکتار),نیاز آب (لیتر بر ثانیه),"
             "کمبود آب (متر مکعب در روز),کمبود برق (کیلووات),گاز,طول جغرافیایی,عرض جغرافیایی"]
    for r in truth.itertuples():
        province = names[r.province].replace("ی", "ي").replace("ک", "ك")
        lines.append(",".join([
            r.name_fa, r.name_en, KINDS_FA[r.kind], province, STATUS_FA[r.status],
            repr(r.area_ha), repr(r.water_demand_lps), repr(r.water_deficit_lps * 86.4),
            repr(r.power_deficit_mw * 1000), "دارد" if r.has_gas else "ندارد",
            repr(r.lon), repr(r.lat),
        ]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


def _write_xlsx(truth: pd.DataFrame, path: Path) -> None:
    """A title row, English headers with units, English province names, بله/خیر."""
    import openpyxl

    from isipo_geo.provinces import province_table

    names = province_table()["name_en"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "registry"
    ws.append(["Industrial estates — test data"])
    ws.append([])
    ws.append(["Estate name", "English name", "Type", "Province", "Status", "Area (ha)",
               "Water demand (L/s)", "Water deficit (L/s)", "Power deficit (MW)", "Gas",
               "Longitude", "Latitude"])
    for r in truth.itertuples():
        ws.append([r.name_fa, r.name_en, r.kind, names[r.province], r.status, r.area_ha,
                   r.water_demand_lps, r.water_deficit_lps, r.power_deficit_mw,
                   "بله" if r.has_gas else "خیر", r.lon, r.lat])
    wb.save(path)


def _gdf(truth: pd.DataFrame):
    import geopandas as gpd

    cols = ["name_fa", "name_en", "kind", "province", "status", "area_ha", "water_demand_lps",
            "water_deficit_lps", "power_deficit_mw", "has_gas"]
    return gpd.GeoDataFrame(
        truth[cols].copy(), geometry=gpd.points_from_xy(truth["lon"], truth["lat"]),
        crs="EPSG:4326",
    )


def _write_geojson(truth: pd.DataFrame, path: Path) -> None:
    _gdf(truth).to_file(path, driver="GeoJSON", engine="pyogrio")


def _write_gpkg(truth: pd.DataFrame, path: Path) -> None:
    """Registry column names, ISO 3166-2 province codes, has_gas as 1/0."""
    from isipo_geo.provinces import province_table

    iso = province_table()["iso_3166_2"]
    gdf = _gdf(truth)
    gdf["province"] = [iso[k] for k in gdf["province"]]
    gdf["has_gas"] = gdf["has_gas"].astype(int)
    gdf.to_file(path, driver="GPKG", layer="estates", engine="pyogrio")


WRITERS = {"csv": _write_csv, "xlsx": _write_xlsx, "geojson": _write_geojson,
           "gpkg": _write_gpkg}


@pytest.fixture(scope="module")
def imported(truth, tmp_path_factory) -> dict[str, ImportResult]:
    folder = tmp_path_factory.mktemp("roundtrip")
    results = {}
    for ext, writer in WRITERS.items():
        path = folder / f"registry.{ext}"
        writer(truth, path)
        results[ext] = import_registry(path)
    return results


@pytest.mark.parametrize("ext", list(WRITERS))
def test_every_format_imports_every_row(imported, truth, ext):
    result = imported[ext]
    assert result.rows_read == N_ROWS
    assert (result.accepted, result.rejected, result.flagged) == (N_ROWS, 0, 0)
    reg = result.registry
    assert list(reg.columns) == list(REGISTRY_COLUMNS)
    assert {c: str(t) for c, t in reg.dtypes.items()} == REGISTRY_COLUMNS
    pd.testing.assert_series_equal(reg["province"], truth["province"].astype("string"),
                                   check_names=False)
    np.testing.assert_allclose(reg["water_deficit_lps"].to_numpy(float),
                               truth["water_deficit_lps"].to_numpy(float), rtol=1e-9)
    np.testing.assert_allclose(reg["power_deficit_mw"].to_numpy(float),
                               truth["power_deficit_mw"].to_numpy(float), rtol=1e-9)
    np.testing.assert_array_equal(reg["lon"].to_numpy(float), truth["lon"].to_numpy(float))
    assert (reg["location_precision"] == "estate").all()
    assert reg["id"].is_unique


@pytest.mark.parametrize("ext", ["xlsx", "geojson", "gpkg"])
def test_all_formats_give_the_same_registry(imported, ext):
    a = imported["csv"].registry.drop(columns="source")
    b = imported[ext].registry.drop(columns="source")
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9)


def test_written_registry_loads_as_estates(imported, tmp_path):
    from isipo_geo.registry.estates import load_estates

    reg_path, rej_path = write_registry(imported["xlsx"], tmp_path / "r.csv")
    assert rej_path == tmp_path / "r.rejects.csv"
    assert reg_path.read_bytes().startswith(b"\xef\xbb\xbf")
    estates = load_estates(reg_path)
    assert len(estates) == N_ROWS
    assert estates.crs.to_epsg() == 4326
    assert not estates["flags"].fillna("").str.contains("outside_stated_province").any()
    assert estates["source"].iloc[0] == "registry.xlsx [registry] row 4"


def test_funding_and_map_run_on_an_imported_registry(imported, tmp_path, runner, monkeypatch):
    from isipo_geo.cli import app

    reg_path, _ = write_registry(imported["csv"], tmp_path / "r.csv")
    monkeypatch.chdir(tmp_path)
    out = runner.invoke(app, ["funding", "--scenario", "registry", "--registry", str(reg_path)])
    assert out.exit_code == 0, out.output
    out = runner.invoke(app, ["map", "national", "--registry", str(reg_path),
                              "--out-dir", str(tmp_path / "maps")])
    assert out.exit_code == 0, out.output
    assert (tmp_path / "maps" / "national.html").is_file()


# ---------------------------------------------------------------------------------- behaviour


def _csv(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_docstring_example_converts_m3_per_day(tmp_path):
    f = _csv(tmp_path, "نام شهرک,استان,کمبود آب (متر مکعب در روز)\n"
                       "شهرک صنعتی اسکو,آذربایجان شرقی,۸۶۴\n")
    result = import_registry(f)
    assert result.registry.loc[0, "water_deficit_lps"] == pytest.approx(10.0)
    assert result.registry.loc[0, "kind"] == "industrial_estate"  # from the name
    assert result.columns["کمبود آب (متر مکعب در روز)"] == "water_deficit_lps (from m³/day)"


def test_kva_needs_a_power_factor(tmp_path):
    f = _csv(tmp_path, "نام شهرک,استان,کمبود برق (کیلوولت آمپر)\nشهرک صنعتی الف,تهران,2000\n")
    with pytest.raises(InputError, match="give --power-factor"):
        import_registry(f)
    result = import_registry(f, power_factor=0.9)
    assert result.registry.loc[0, "power_deficit_mw"] == pytest.approx(1.8)
    with pytest.raises(InputError, match="--power-factor must be above 0"):
        import_registry(f, power_factor=1.5)


def test_empty_unitless_column_is_harmless(tmp_path):
    f = _csv(tmp_path, "نام شهرک,استان,کمبود آب\nشهرک صنعتی الف,تهران,\n")
    assert import_registry(f).accepted == 1


def test_utm_zone_option_and_column(tmp_path):
    from pyproj import Transformer

    e, n = Transformer.from_crs(4326, 32639, always_xy=True).transform(51.389, 35.689)
    f = _csv(tmp_path, f"نام شهرک,استان,X,Y\nشهرک صنعتی الف,تهران,{e:.2f},{n:.2f}\n")
    with pytest.raises(InputError, match="gives no zone"):
        import_registry(f)
    reg = import_registry(f, utm_zone=39).registry
    assert reg.loc[0, "lon"] == pytest.approx(51.389, abs=1e-6)
    assert reg.loc[0, "lat"] == pytest.approx(35.689, abs=1e-6)
    with pytest.raises(InputError, match="--utm-zone: UTM zone 37"):
        import_registry(f, utm_zone=37)


def test_x_y_in_degrees_are_lon_lat(tmp_path):
    f = _csv(tmp_path, "نام شهرک,استان,x,y\nشهرک صنعتی الف,تهران,51.389,35.689\n")
    reg = import_registry(f).registry
    assert (reg.loc[0, "lon"], reg.loc[0, "lat"]) == (51.389, 35.689)


def test_coordinates_in_one_cell(tmp_path):
    f = _csv(tmp_path, 'نام شهرک,استان,مختصات\nشهرک صنعتی الف,تهران,"35.689, 51.389"\n')
    result = import_registry(f)
    assert (result.registry.loc[0, "lon"], result.registry.loc[0, "lat"]) == (51.389, 35.689)
    assert result.registry.loc[0, "flags"] == "lat_lon_swapped"


def test_point_in_other_province_names_both(tmp_path):
    f = _csv(tmp_path, "نام شهرک,استان,lon,lat\nشهرک صنعتی الف,تهران,51.668,32.654\n")
    result = import_registry(f)
    assert result.accepted == 1
    assert result.registry.loc[0, "province"] == "tehran"
    assert result.registry.loc[0, "flags"] == "outside_stated_province;point_in_province:isfahan"


def test_town_is_geocoded_inside_the_province(tmp_path, monkeypatch):
    import isipo_geo.registry.counties as counties

    calls = []
    real = counties.place

    def counting(province, **kw):
        calls.append((kw["town"], province))
        return real(province, **kw)

    monkeypatch.setattr(counties, "place", counting)
    f = _csv(tmp_path, "نام شهرک,استان,شهر\nشهرک صنعتی اسکو,آذربایجان شرقی,اسکو\n"
                       "شهرک صنعتی ب,تهران,ناکجا\nشهرک صنعتی ج,تهران,ناکجا\n")
    reg = import_registry(f).registry
    assert calls == [("اسکو", "east_azerbaijan"), ("ناکجا", "tehran")]  # asked once per town
    assert reg.loc[0, "location_precision"] == "town"
    assert (reg.loc[0, "lon"], reg.loc[0, "lat"]) == (46.12258, 37.91504)
    assert reg.loc[0, "geonames_id"] == 121781  # the GeoNames place used is recorded
    assert reg.loc[0, "county"] == "اسکو"
    assert reg.loc[1, "flags"] == "town_not_found:ناکجا"
    assert pd.isna(reg.loc[1, "lon"]) and pd.isna(reg.loc[1, "geonames_id"])


def test_town_checked_against_the_stated_county(tmp_path):
    # GeoNames' only «ورزنه» in Isfahan is a place in Golpayegan county, ~236 km from the town
    # of Varzaneh; with the county the row states, the county's point is used and flagged
    f = _csv(
        tmp_path,
        "نام شهرک,استان,شهرستان,شهر\n"
        "ناحیه صنعتی ورزنه,اصفهان,اصفهان,ورزنه\n"
        "ناحیه صنعتی ورزنه ب,اصفهان,,ورزنه\n"
        "شهرک صنعتی کاشان,اصفهان,شهرستان کاشان,\n"
        "شهرک صنعتی د,اصفهان,جایی,\n",
    )
    reg = import_registry(f).registry
    assert reg.loc[0, "location_precision"] == "county"
    assert reg.loc[0, "county"] == "اصفهان" and pd.isna(reg.loc[0, "geonames_id"])
    assert reg.loc[0, "flags"] == "town_not_in_county:ورزنه"
    # without a county, a town named like a county must lie in it: GeoNames' Varzaneh (in
    # Golpayegan) is refused and Varzaneh county's point used, flagged (issue 25)
    assert reg.loc[1, "location_precision"] == "county" and pd.isna(reg.loc[1, "geonames_id"])
    assert reg.loc[1, "county"] == "ورزنه"
    assert reg.loc[1, "flags"] == "town_not_in_county:ورزنه"
    assert reg.loc[2, "location_precision"] == "county"
    kashan = (reg.loc[2, "lon"], reg.loc[2, "lat"], reg.loc[2, "county"])
    assert kashan == (51.2616, 33.9731, "کاشان")
    assert reg.loc[3, "flags"] == "county_not_found:جایی" and pd.isna(reg.loc[3, "lon"])


def test_several_places_of_one_name_are_flagged_with_candidates(tmp_path):
    from isipo_geo.registry import counties, gazetteer

    towns = gazetteer.towns("fars")
    dup = towns[towns.duplicated("name_en", keep=False)]
    name, group = next(
        (n, g) for n, g in dup.groupby("name_en")
        if len(gazetteer.find_towns(n, "fars")) == len(g) and max(
            counties.km_between(a.lon, a.lat, b.lon, b.lat)
            for a in g.itertuples() for b in g.itertuples()
        ) > 20
    )
    f = _csv(tmp_path, f"نام شهرک,استان,شهر\nشهرک صنعتی الف,فارس,{name}\n")
    reg = import_registry(f).registry
    (flag,) = [x for x in reg.loc[0, "flags"].split(";") if x.startswith("ambiguous_town")]
    assert f"{len(group)} candidates" in flag and "km apart" in flag
    assert all(str(g) in flag for g in group["geonameid"])
    assert reg.loc[0, "geonames_id"] == gazetteer.find_towns(name, "fars")[0].geonameid


def test_ids_from_file_or_generated(tmp_path):
    f = _csv(tmp_path, "کد,نام شهرک,استان\n12,شهرک صنعتی الف,تهران\n,شهرک صنعتی ب,تهران\n")
    reg = import_registry(f).registry
    assert reg.loc[0, "id"] == "12"
    assert reg.loc[1, "id"] == generated_id("tehran", "شهرک صنعتی ب")
    assert generated_id("tehran", "شهرك صنعتي ب") == reg.loc[1, "id"]


def test_duplicates_are_flagged_and_get_distinct_ids(tmp_path):
    f = _csv(tmp_path, "نام شهرک,استان\nشهرک صنعتی الف,تهران\nشهرك صنعتي الف,تهران\n")
    reg = import_registry(f).registry
    first, second = reg["id"]
    assert second == f"{first}-2"
    assert list(reg["flags"]) == [f"duplicate_of:{second}", f"duplicate_of:{first}"]


def test_existing_flags_and_source_are_kept(tmp_path):
    f = _csv(tmp_path, "name_fa,province,flags,source\n"
                       "شهرک صنعتی الف,tehran,checked_by_hand,seed:L100\n")
    reg = import_registry(f).registry
    assert reg.loc[0, "flags"] == "checked_by_hand"
    assert reg.loc[0, "source"] == "seed:L100; in.csv row 2"


def test_plausibility_limit_is_named(tmp_path):
    f = _csv(tmp_path, f"نام شهرک,استان,water_deficit_lps\nشهرک صنعتی الف,تهران,"
                       f"{MAX_WATER_LPS + 1}\n")
    result = import_registry(f)
    assert result.rejected == 1
    assert "limit 5,000 L/s" in result.rejects.loc[0, "reason"]


def test_rejects_keep_the_original_cells(tmp_path):
    f = _csv(tmp_path, "نام شهرک,استان,row\nشهرک صنعتی الف,ناکجاآباد,7\n")
    rejects = import_registry(f).rejects
    assert list(rejects.columns) == ["row", "column", "reason", "reason_fa", "نام شهرک",
                                     "استان", "row (input)"]
    assert rejects.iloc[0].tolist()[:2] == [2, "استان"]
    assert rejects.iloc[0].tolist()[4:] == ["شهرک صنعتی الف", "ناکجاآباد", "7"]
    assert rejects.loc[0, "reason_fa"].startswith("استان ناشناخته: 'ناکجاآباد'")


def test_unmapped_columns_are_reported(tmp_path):
    f = _csv(tmp_path, "نام شهرک,استان,توضیحات,\nشهرک صنعتی الف,تهران,یادداشت,x\n")
    result = import_registry(f)
    assert result.unmapped == ("توضیحات", "(column 4)")


def test_write_registry_refuses_shipped_registry_and_input(tmp_path):
    from isipo_geo import _paths

    f = _csv(tmp_path, "نام شهرک,استان\nشهرک صنعتی الف,تهران\n")
    result = import_registry(f)
    with pytest.raises(InputError, match="shipped with isipo-geo"):
        write_registry(result, _paths.data_dir() / "estates" / "estates.csv", tmp_path / "x.csv")
    with pytest.raises(InputError, match="overwrite the input"):
        write_registry(result, f)
    with pytest.raises(InputError, match="different paths"):
        write_registry(result, tmp_path / "a.csv", tmp_path / "a.csv")


def test_registry_argument_writes_both_files(tmp_path):
    f = _csv(tmp_path, "نام شهرک,استان\nشهرک صنعتی الف,تهران\nشهرک صنعتی ب,ناکجا\n")
    import_registry(f, registry=tmp_path / "out" / "reg.csv")
    assert default_rejects_path(tmp_path / "out" / "reg.csv").is_file()
    reg = pd.read_csv(tmp_path / "out" / "reg.csv", encoding="utf-8-sig")
    from isipo_geo.registry.derived import DERIVED_DEFICITS

    basis = {deficit: [b] for deficit, (_, _, b) in DERIVED_DEFICITS.items()}  # after each
    expected = [c for col in REGISTRY_COLUMNS for c in [col, *basis.get(col, [])]]
    assert list(reg.columns) == expected and len(reg) == 1


def test_failed_write_leaves_old_registry(tmp_path, monkeypatch):
    import isipo_geo.registry._cells as cells

    f = _csv(tmp_path, "نام شهرک,استان\nشهرک صنعتی الف,تهران\n")
    target = tmp_path / "reg.csv"
    target.write_text("old", encoding="utf-8")
    result = import_registry(f)

    def boom(_df, **_options):
        raise RuntimeError("disk full")

    monkeypatch.setattr(cells, "registry_to_csv_text", boom)
    with pytest.raises(RuntimeError):
        write_registry(result, target)
    assert target.read_text(encoding="utf-8") == "old"
    # registry and rejects are written together or not at all: no new rejects beside the old file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "reg.csv"]


def test_full_disk_writes_neither_registry_nor_rejects(tmp_path, monkeypatch):
    """The second file failing (ENOSPC) undoes the first: the old pair stays, no temporaries."""
    import errno

    from isipo_geo.errors import OutputError

    f = _csv(tmp_path, "نام شهرک,استان\nشهرک صنعتی الف,تهران\nشهرک ب,Atlantis\n")
    target = tmp_path / "reg.csv"
    target.write_text("old", encoding="utf-8")
    (tmp_path / "reg.rejects.csv").write_text("old rejects", encoding="utf-8")
    result = import_registry(f)
    real_fsync = os.fsync
    calls = []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OutputError, match="disk is full"):
        write_registry(result, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert (tmp_path / "reg.rejects.csv").read_text(encoding="utf-8") == "old rejects"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "reg.csv", "reg.rejects.csv"]


def test_unreadable_input_writes_nothing(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(InputError, match="binary data"):
        import_registry(f, registry=tmp_path / "reg.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]


def test_county_of_a_located_row_is_resolved_or_flagged(tmp_path):
    f = _csv(
        tmp_path,
        "نام شهرک,استان,شهرستان,طول جغرافیایی,عرض جغرافیایی\n"
        "شهرک صنعتی الف,اصفهان,Kashan County,51.43,33.98\n"
        "شهرک صنعتی ب,اصفهان,شهرستان ناپیدا,51.43,33.98\n",
    )
    reg = import_registry(f).registry
    assert reg["location_precision"].tolist() == ["estate", "estate"]
    assert reg.loc[0, "county"] == "کاشان" and pd.isna(reg.loc[0, "flags"])
    assert reg.loc[1, "flags"] == "county_not_found:شهرستان ناپیدا"
    assert reg.loc[1, "county"] == "شهرستان ناپیدا"  # the user's text is kept, flagged


# ---------------------------------------------------------------------------------- formulas

WATER = "کمبود آب (لیتر بر ثانیه)"


def _formula_workbook(path: Path, *, cached: bool) -> Path:
    """A workbook written by a script: formulas in a name cell and a number cell; with
    ``cached`` it is rewritten as Excel saves it (each formula with its result)."""
    import openpyxl

    from tests.registry.test_formulas import with_results

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "estates"
    ws.append(["نام شهرک", "استان", "نوع", WATER, "شهر"])
    ws.append(['=CONCAT("شهرک صنعتی ","الف")', "تهران", "شهرک صنعتی", 4, "تهران"])
    ws.append(["شهرک صنعتی ب", "تهران", "شهرک صنعتی", "=2*5", "=E2"])
    ws.append(["شهرک صنعتی ج", "تهران", "شهرک صنعتی", 3, None])
    ws["A5"] = '=CONCAT("شهرک صنعتی ","د")'  # a last row of formulas alone
    ws["B5"] = "=B4"
    wb.save(path)
    if cached:
        with_results(path, {"A2": ("str", "شهرک صنعتی الف"), "D3": (None, "10"),
                            "E3": ("str", "تهران"), "A5": ("str", "شهرک صنعتی د"),
                            "B5": ("str", "تهران")})
    return path


def test_a_name_formula_without_result_rejects_the_row_saying_so(tmp_path) -> None:
    result = import_registry(_formula_workbook(tmp_path / "script.xlsx", cached=False))
    assert (result.rows_read, result.accepted, result.rejected) == (4, 2, 2)
    rejects = result.rejects.set_index("row")
    assert sorted(rejects.index) == [2, 5]
    assert rejects.loc[2, "column"] == "نام شهرک"
    assert rejects.loc[2, "reason"] == (
        'the cell A2 (=CONCAT("شهرک صنعتی ","الف")) holds a formula with no saved result; open '
        "the file in Excel or LibreOffice and save it, or paste the values"
    )
    assert rejects.loc[5, "column"] == "نام شهرک | استان"
    assert rejects.loc[5, "reason"].startswith('the cell A5 (=CONCAT("شهرک صنعتی ","د")) holds')
    assert rejects.loc[5, "reason"].split(" | ")[1].startswith("the cell B5 (=B4) holds")
    assert "empty" not in " ".join(rejects["reason"])


def test_a_number_formula_without_result_is_flagged_and_unknown(tmp_path) -> None:
    result = import_registry(_formula_workbook(tmp_path / "script.xlsx", cached=False))
    reg = result.registry.set_index("name_fa")
    assert pd.isna(reg.loc["شهرک صنعتی ب", "water_deficit_lps"])
    assert reg.loc["شهرک صنعتی ب", "flags"] == (
        f"formula_without_result:{WATER};formula_without_result:شهر"
    )
    assert reg.loc["شهرک صنعتی ب", "source"] == "script.xlsx [estates] row 3"
    assert pd.isna(reg.loc["شهرک صنعتی ج", "flags"])
    assert float(reg.loc["شهرک صنعتی ج", "water_deficit_lps"]) == 3.0
    assert result.flag_counts() == {"formula_without_result": 1}


def test_formulas_with_saved_results_read_as_their_values(tmp_path) -> None:
    result = import_registry(_formula_workbook(tmp_path / "excel.xlsx", cached=True))
    assert (result.rows_read, result.accepted, result.rejected, result.flagged) == (4, 4, 0, 0)
    reg = result.registry.set_index("name_fa")
    assert list(reg.index) == ["شهرک صنعتی الف", "شهرک صنعتی ب", "شهرک صنعتی ج", "شهرک صنعتی د"]
    assert float(reg.loc["شهرک صنعتی ب", "water_deficit_lps"]) == 10.0


def test_a_sheet_of_formulas_without_results_says_so(tmp_path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "=CONCAT(\"نام\")"
    wb.active["B2"] = "=1+1"
    wb.save(tmp_path / "f.xlsx")
    with pytest.raises(InputError, match="holds only formulas with no saved result"):
        import_registry(tmp_path / "f.xlsx")
    wb.active["C3"] = "عنوان"
    wb.save(tmp_path / "f.xlsx")
    with pytest.raises(InputError, match=r"2 cells \(first A1\) hold formulas with no saved"):
        import_registry(tmp_path / "f.xlsx")


def test_a_misspelt_province_is_read_and_flagged(tmp_path):
    # «اصفهن» is close to one province only and is read as Isfahan; the row says so, so the
    # planner sees the guess (an exact name, Arabic letters or a transliteration are no guess)
    f = _csv(
        tmp_path,
        "نام شهرک,استان\nشهرک صنعتی الف,اصفهن\nشهرک صنعتی ب,اصفهان\nشهرك صنعتي ج,اصفهان\n"
        "شهرک صنعتی د,Esfahan\n",
    )
    result = import_registry(f)
    reg = result.registry
    assert list(reg["province"]) == ["isfahan"] * 4
    assert reg.loc[0, "flags"] == "province_spelling:اصفهن"
    assert reg["flags"].iloc[1:].isna().all()
