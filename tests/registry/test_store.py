"""The registry store (isipo_geo.registry.store) on tiny CSV submissions."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from isipo_geo.errors import InputError
from isipo_geo.registry.backend import export_registry, import_into, read_store
from isipo_geo.registry.batch import import_files
from isipo_geo.registry.store import diff, parse_date, state, submission_as_of

HEADER = "نام شهرک,استان,کمبود آب (لیتر بر ثانیه),طول جغرافیایی,عرض جغرافیایی\n"
T1 = "شهرک صنعتی عباس آباد,تهران,12,51.85,35.55\n"
T2 = "شهرک صنعتی خاوران,تهران,3,51.6,35.55\n"
A1 = "شهرک صنعتی اشتهارد,البرز,7,50.37,35.72\n"


def _csv(folder: Path, name: str, *rows: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def _add(store: Path, date: str, *files: Path):
    return import_into(import_files(list(files)), store, date=date)


def test_a_resubmission_replaces_its_province_and_keeps_the_old_rows(tmp_path):
    store = tmp_path / "registry.gpkg"
    _add(store, "2024-04-01", _csv(tmp_path / "v1", "tehran.csv", T1, T2),
         _csv(tmp_path / "v1", "alborz.csv", A1))
    done = _add(store, "2025-04-01", _csv(tmp_path / "v2", "tehran.csv", T1.replace(",12,", ",8,")))
    assert (done.numbers, done.estates, done.replaced) == ([3], 2, 2)
    s = read_store(store)
    assert len(s.history) == 4  # never deleted
    now = state(s).set_index("name_fa")
    assert list(now.index) == ["شهرک صنعتی اشتهارد", "شهرک صنعتی عباس آباد"]
    assert now.loc["شهرک صنعتی عباس آباد", "water_deficit_lps"] == "8"
    before = state(s, after=2).set_index("name_fa")
    assert before.loc["شهرک صنعتی عباس آباد", "water_deficit_lps"] == "12"
    assert len(before) == 3
    closed = s.history[s.history["replaced_by"] == "3"]
    assert sorted(closed["valid_to"]) == ["2025-04-01", "2025-04-01"]
    assert set(closed["valid_from"]) == {"2024-04-01"}
    assert submission_as_of(s, "2024-12-31") == 2 and submission_as_of(s, "2020-01-01") == 0
    d = diff(s)
    assert (d.a, d.b, len(d.added), len(d.removed)) == (2, 3, 0, 1)
    assert [(c.field, c.old, c.new) for c in d.changed] == [("water_deficit_lps", "12", "8")]


def test_the_store_loads_like_the_same_registry_as_csv(tmp_path):
    import isipo_geo
    from isipo_geo.registry.batch import write_batch

    files = [_csv(tmp_path, "tehran.csv", T1, T2), _csv(tmp_path, "alborz.csv", A1)]
    store = tmp_path / "registry.gpkg"
    _add(store, "2024-04-01", *files)
    write_batch(import_files(files), tmp_path / "registry.csv")
    from_store = isipo_geo.load_estates(store).sort_index()
    from_csv = isipo_geo.load_estates(tmp_path / "registry.csv").sort_index()
    pd.testing.assert_frame_equal(from_store.drop(columns="geometry"),
                                  from_csv.drop(columns="geometry"))
    assert from_store.geometry.equals(from_csv.geometry)


def test_history_runs_forward_and_a_refused_import_writes_nothing(tmp_path):
    store = tmp_path / "registry.gpkg"
    _add(store, "2024-04-01", _csv(tmp_path, "tehran.csv", T1))
    before = store.read_bytes()
    with pytest.raises(InputError, match="--date 2023-01-01 is before the store's last "
                       "submission \\(2024-04-01\\)"):
        _add(store, "2023-01-01", _csv(tmp_path, "alborz.csv", A1))
    assert store.read_bytes() == before


def test_not_a_store(tmp_path):
    import geopandas as gpd
    import shapely

    other = tmp_path / "points.gpkg"
    gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(51, 35)], crs=4326).to_file(other)
    with pytest.raises(InputError, match="not a registry store"):
        read_store(other)
    with pytest.raises(InputError, match="registry store not found; create it with"):
        read_store(tmp_path / "missing.gpkg")
    with pytest.raises(InputError, match="a registry store is a GeoPackage"):
        _add(tmp_path / "registry.csv", "2024-01-01", _csv(tmp_path, "t.csv", T1))


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2024-04-03", "2024-04-03"), ("1403-01-15", "2024-04-03"), ("۱۴۰۳/۰۱/۱۵", "2024-04-03"),
     ("1402.12.29", "2024-03-19")],
)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["yesterday", "1403-13-01", "2024-02-30"])
def test_parse_date_refuses(text):
    with pytest.raises(InputError, match="is not a date; use YYYY-MM-DD"):
        parse_date(text)


def test_export_after_a_submission_and_refusals(tmp_path):
    store = tmp_path / "registry.gpkg"
    _add(store, "2024-04-01", _csv(tmp_path, "tehran.csv", T1, T2))
    _add(store, "2024-05-01", _csv(tmp_path, "alborz.csv", A1))
    path, n, after = export_registry(store, tmp_path / "one.csv", submission=1)
    assert (n, after) == (2, 1)
    assert len(pd.read_csv(path, encoding="utf-8-sig")) == 2
    with pytest.raises(InputError, match="export to .csv"):
        export_registry(store, tmp_path / "out.ods")
    with pytest.raises(InputError, match="would overwrite the store itself"):
        export_registry(store, store)
    with pytest.raises(InputError, match="submissions 1 to 2, not 5"):
        diff(read_store(store), b=5)


def test_a_point_in_a_province_an_earlier_submission_covers_is_flagged(tmp_path):
    from isipo_geo.registry.backend import coverage

    store = tmp_path / "registry.gpkg"
    _add(store, "2024-04-01", _csv(tmp_path / "v1", "tehran.csv", T1, T2))
    assert coverage(store) == {"tehran": "tehran.csv (submission 1)"}
    alborz = _csv(tmp_path / "v2", "alborz.csv", A1, A1.replace("اشتهارد", "هشتگرد"),
                  "شهرک صنعتی مرزی,البرز,1,51.6,35.55\n")  # its point is in Tehran
    batch = import_files([alborz], others=coverage(store))
    flags = batch.submissions[0].kept.set_index("name_fa")["flags"]
    assert flags["شهرک صنعتی مرزی"].endswith(";in_province_of:tehran.csv (submission 1)")
    assert coverage(tmp_path / "none.gpkg") == {}


def test_an_id_the_store_gives_another_provinces_estate_is_refused(tmp_path):
    store = tmp_path / "registry.gpkg"
    header = "کد,نام شهرک,استان\n"
    (tmp_path / "t.csv").write_text(header + "1,شهرک صنعتی عباس آباد,تهران\n", encoding="utf-8")
    (tmp_path / "a.csv").write_text(header + "1,شهرک صنعتی اشتهارد,البرز\n", encoding="utf-8")
    _add(store, "2024-04-01", tmp_path / "t.csv")
    before = store.read_bytes()
    with pytest.raises(InputError, match="a.csv row 2: id '1' is already used in the store by "
                       "«شهرک صنعتی عباس آباد» \\(tehran\\)"):
        _add(store, "2024-05-01", tmp_path / "a.csv")
    assert store.read_bytes() == before
    # the same id in the same province is the same estate: replaced, kept in the history
    (tmp_path / "t2.csv").write_text(header + "1,شهرک صنعتی عباس‌آباد,تهران\n", encoding="utf-8")
    _add(store, "2024-06-01", tmp_path / "t2.csv")
    assert len(state(read_store(store))) == 1


def test_a_new_data_year_is_told_once_not_per_estate(tmp_path):
    from isipo_geo.registry.store import format_diff

    store = tmp_path / "registry.gpkg"
    files = [_csv(tmp_path / "v1", "tehran.csv", T1, T2)]
    import_into(import_files(files, year="1402"), store, date="2024-04-01")
    files = [_csv(tmp_path / "v2", "tehran.csv", T1.replace(",12,", ",9,"), T2)]
    import_into(import_files(files, year=1403), store, date="2025-04-01")
    d = diff(read_store(store))
    assert d.years == {("1402", "1403"): 2}
    assert [c.field for c in d.changed] == ["water_deficit_lps"]
    assert format_diff(d)[:2] == [
        "from submission 1 to 2: 0 added, 0 removed, 1 changed (1 fields)",
        "  data year 1402 → 1403: 2 estates",
    ]


def test_a_diff_gives_persian_words_beside_status_and_kind_codes():
    from isipo_geo.registry.store import Change, Diff, format_diff

    empty = pd.DataFrame(columns=["id", "name_fa", "name_en", "province"])
    d = Diff(1, 2, empty, empty, [
        Change("t-1", "شهرک صنعتی الف", "tehran", "status", "under_construction", "operational"),
        Change("t-1", "شهرک صنعتی الف", "tehran", "kind", "industrial_zone", "industrial_estate"),
    ], {})
    assert format_diff(d)[1:] == [
        "~ «شهرک صنعتی الف» (tehran, t-1): status under_construction (در حال احداث) → "
        "operational (در حال بهره‌برداری)",
        "~ «شهرک صنعتی الف» (tehran, t-1): kind industrial_zone (ناحیه صنعتی) → "
        "industrial_estate (شهرک صنعتی)",
    ]
