"""Reading user files into raw rows: encodings, delimiters, workbooks, GIS layers."""

from __future__ import annotations

from pathlib import Path

import pytest

from isipo_geo.errors import InputError
from isipo_geo.registry._tables import decode_text, read_table

TEXT = "نام شهرک,استان\nشهرک صنعتی اسکو,آذربایجان شرقی\n"


def test_decode_utf8_bom_and_utf16():
    assert decode_text(TEXT.encode("utf-8"), path=Path("x")) == (TEXT, "utf-8")
    assert decode_text(TEXT.encode("utf-8-sig"), path=Path("x")) == (TEXT, "utf-8-sig")
    assert decode_text(TEXT.encode("utf-16"), path=Path("x")) == (TEXT, "utf-16")


def test_decode_windows_1256():
    arabic_forms = TEXT.replace("ی", "ي").replace("ک", "ك")
    text, encoding = decode_text(arabic_forms.encode("cp1256"), path=Path("x"))
    assert encoding == "windows-1256"
    assert text == arabic_forms


def test_decode_refuses_latin1_and_mojibake():
    with pytest.raises(InputError, match="cannot tell the text encoding"):
        decode_text("Téhéran,Île\n".encode("latin-1"), path=Path("x"))
    garbled = TEXT.encode("utf-8").decode("cp1256", errors="replace")
    with pytest.raises(InputError, match="mojibake"):
        decode_text(garbled.encode("utf-8"), path=Path("x"))
    with pytest.raises(InputError, match="binary data"):
        decode_text(b"\x00\x01\x02abc", path=Path("x"))


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiters(tmp_path, delimiter):
    f = tmp_path / "a.csv"
    f.write_text(TEXT.replace(",", delimiter), encoding="utf-8")
    table = read_table(f)
    assert table.rows == [["نام شهرک", "استان"], ["شهرک صنعتی اسکو", "آذربایجان شرقی"]]
    assert table.row_numbers == [1, 2]


def test_csv_quoted_newlines_keep_line_numbers(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text('نام,استان\n"شهرک\nدو خطی",تهران\nشهرک سه,فارس\n', encoding="utf-8")
    table = read_table(f)
    assert table.rows[1] == ["شهرک\nدو خطی", "تهران"]
    assert table.row_numbers == [1, 3, 4]  # the line where each record ends


def test_xlsx_sheet_choice(tmp_path):
    import openpyxl

    f = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "readme"
    wb.active.append(["این کتاب دو برگه دارد"])
    ws = wb.create_sheet("estates")
    ws.append(["نام شهرک", "استان"])
    ws.append(["شهرک صنعتی الف", "تهران"])
    wb.save(f)
    table = read_table(f)  # the one sheet with an estate table
    assert table.sheet == "estates" and table.rows[1] == ["شهرک صنعتی الف", "تهران"]
    with pytest.raises(InputError, match="no sheet named 'x'; the workbook has: readme, estates"):
        read_table(f, sheet="x")


def test_missing_empty_and_folder(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_table(tmp_path / "nope.csv")
    (tmp_path / "e.csv").write_bytes(b"")
    with pytest.raises(InputError, match="the file is empty"):
        read_table(tmp_path / "e.csv")
    (tmp_path / "blank.csv").write_text(",,\n,,\n", encoding="utf-8")
    with pytest.raises(InputError, match="no cells"):
        read_table(tmp_path / "blank.csv")
    with pytest.raises(InputError, match="is a folder"):
        read_table(tmp_path)
    (tmp_path / "fake.xlsx").write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match="not a valid .xlsx"):
        read_table(tmp_path / "fake.xlsx")
    (tmp_path / "a.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(InputError, match="--sheet applies only"):
        read_table(tmp_path / "a.csv", sheet="x")


def test_gis_layer_points_in_wgs84(tmp_path):
    import geopandas as gpd
    import shapely

    f = tmp_path / "a.gpkg"
    gpd.GeoDataFrame(
        {"name_fa": ["شهرک صنعتی الف", "شهرک صنعتی ب"], "province": ["تهران", "فارس"],
         "area_ha": [120, 75]},
        geometry=[shapely.Point(51.389, 35.689), None],
        crs="EPSG:4326",
    ).to_crs("EPSG:32639").to_file(f, layer="estates", engine="pyogrio")
    table = read_table(f)
    assert table.kind == "gis" and table.sheet == "estates"
    assert table.rows[0] == ["name_fa", "province", "area_ha"]
    assert table.rows[1] == ["شهرک صنعتی الف", "تهران", 120]
    assert type(table.rows[1][2]) is int  # numpy scalars unwrapped
    assert table.lon[0] == pytest.approx(51.389) and table.lat[0] == pytest.approx(35.689)
    assert table.lon[1] != table.lon[1]  # NaN: no geometry
    assert table.row_numbers == [0, 1, 2]


def test_gis_polygons_become_points(tmp_path):
    import geopandas as gpd
    import shapely

    f = tmp_path / "a.geojson"
    gpd.GeoDataFrame(
        {"name": ["شهرک صنعتی الف"]},
        geometry=[shapely.box(51.0, 35.0, 51.2, 35.2)],
        crs="EPSG:4326",
    ).to_file(f, engine="pyogrio")
    table = read_table(f)
    assert shapely.box(51.0, 35.0, 51.2, 35.2).contains(shapely.Point(table.lon[0], table.lat[0]))
    assert "polygons" in table.notes[0]


def test_shapefile_without_cpg_read_as_windows_1256(tmp_path):
    import geopandas as gpd
    import shapely

    f = tmp_path / "a.shp"
    gpd.GeoDataFrame(
        {"name": ["شهرك صنعتي"]}, geometry=[shapely.Point(51.389, 35.689)], crs="EPSG:4326"
    ).to_file(f, engine="pyogrio", encoding="cp1256")
    f.with_suffix(".cpg").unlink(missing_ok=True)
    table = read_table(f)
    assert table.rows[1] == ["شهرك صنعتي"]
    assert table.encoding == "windows-1256"


def _openpyxl_rows(path: Path, sheet: str) -> list[list]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    rows = [list(r) for r in wb[sheet].iter_rows(values_only=True)]
    wb.close()
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows


def _padded(rows: list[list]) -> list[list]:
    width = max((len(r) for r in rows), default=0)
    return [r + [None] * (width - len(r)) for r in rows]


def test_calamine_reads_xlsx_as_openpyxl_does(tmp_path):
    import datetime as dt

    import openpyxl

    from isipo_geo.registry._tables import _read_xlsx_calamine

    path = tmp_path / "offset.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["C3"], ws["D3"], ws["E3"] = "نام شهرک", "مساحت (هکتار)", "تاریخ"
    ws["C4"], ws["D4"], ws["E4"] = "شهرک صنعتی الف", 12, dt.datetime(2024, 1, 2)
    ws["C5"], ws["D5"], ws["F5"] = "شهرک صنعتی ب", 2.5, True
    wb.create_sheet("دوم").append(["نام", 1400])
    wb.save(path)
    corpus = Path(__file__).resolve().parents[1] / "bad_inputs"
    for workbook in (path, corpus / "07_merged_header.xlsx", corpus / "44_two_sheets.xlsx"):
        tables = _read_xlsx_calamine(workbook, sheet=None)
        assert tables is not None
        for table in tables:
            expected = _openpyxl_rows(workbook, table.sheet)
            assert _padded(table.rows) == _padded(expected), (workbook.name, table.sheet)
            assert [type(v) for r in table.rows for v in r] == [
                type(v) for r in _padded(expected) for v in r]
            assert table.row_numbers == list(range(1, len(expected) + 1))


def test_a_file_calamine_cannot_read_gets_openpyxls_message():
    from isipo_geo.registry._tables import _read_xlsx_calamine

    corpus = Path(__file__).resolve().parents[1] / "bad_inputs"
    assert _read_xlsx_calamine(corpus / "30_damaged.xlsx", sheet=None) is None
    with pytest.raises(InputError, match="not a readable .xlsx workbook"):
        read_table(corpus / "30_damaged.xlsx")
