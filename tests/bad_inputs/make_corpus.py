"""Write the corpus of awkward and broken inputs for ``isipo-geo import`` (test data only).

Run from the repository: ``python tests/bad_inputs/make_corpus.py``. Every file is tiny and
synthetic; estate names are made up, coordinates are those of provincial capitals (checked to
lie in the stated province). ``expected.csv`` beside this script says what the importer must do
with each file; tests/test_cli_importer.py checks it.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (lon, lat) of provincial capitals, used as estate locations in the corpus.
TEHRAN = (51.389, 35.689)
TABRIZ = (46.291, 38.080)
ISFAHAN = (51.668, 32.654)
SHIRAZ = (52.531, 29.592)
MASHHAD = (59.606, 36.297)
ANKARA = (32.854, 39.920)  # outside Iran

GOOD_HEADER = "نام شهرک,استان,نوع,کمبود آب (لیتر بر ثانیه),گاز,طول جغرافیایی,عرض جغرافیایی"
GOOD_ROWS = [
    f"شهرک صنعتی البرز آزمایشی,تهران,شهرک صنعتی,12.5,دارد,{TEHRAN[0]},{TEHRAN[1]}",
    f"ناحیه صنعتی آزمایشی یک,آذربایجان شرقی,ناحیه صنعتی,0,ندارد,{TABRIZ[0]},{TABRIZ[1]}",
    f"شهرک صنعتی آزمایشی دو,اصفهان,شهرک صنعتی,-,بله,{ISFAHAN[0]},{ISFAHAN[1]}",
]


def csv_text(header: str, rows: list[str]) -> str:
    return "\n".join([header, *rows]) + "\n"


def write(name: str, text: str, *, encoding: str = "utf-8") -> None:
    if encoding == "cp1256":  # Windows-1256 has only the Arabic forms of yeh and kaf
        text = text.replace("\u06cc", "\u064a").replace("\u06a9", "\u0643")
    (HERE / name).write_bytes(text.encode(encoding))


def main() -> None:
    for old in HERE.iterdir():
        if old.name not in {"make_corpus.py", "expected.csv", "README.md"}:
            if old.is_dir():
                shutil.rmtree(old)
            else:
                old.unlink()
    good = csv_text(GOOD_HEADER, GOOD_ROWS)
    write("01_windows1256.csv", good, encoding="cp1256")
    write("02_utf8_bom_persian_digits.csv", csv_text(GOOD_HEADER, [
        "شهرک صنعتی آزمایشی سه,تهران,شهرک صنعتی,۱۲٫۵,دارد,۵۱٫۳۸۹,۳۵٫۶۸۹",
    ]), encoding="utf-8-sig")
    write("03_undecodable.csv",
          "nom,province\nZone Téhéran,Téhéran\nZone Tabriz,Azerbaïdjan\n", encoding="latin-1")
    write("04_mojibake.csv", good.encode("utf-8").decode("cp1256", errors="replace"))
    write("05_missing_province.csv", csv_text("نام شهرک,نوع,کمبود آب (لیتر بر ثانیه)", [
        "شهرک صنعتی آزمایشی,شهرک صنعتی,10",
    ]))
    write("06_missing_name.csv", csv_text("استان,نوع,کمبود آب (لیتر بر ثانیه)", [
        "تهران,شهرک صنعتی,10",
    ]))
    _merged_header_xlsx(HERE / "07_merged_header.xlsx")
    write("08_mixed_digits.csv", csv_text(
        "نام شهرک,استان,نوع,مساحت (هکتار),کمبود آب (متر مکعب در روز),کمبود برق (کیلووات),"
        "طول جغرافیایی,عرض جغرافیایی", [
            "شهرک صنعتی ارقام فارسی,تهران,شهرک صنعتی,۱٬۲۳۴٫۵,۸۶۴,۲۵۰۰,۵۱٫۳۸۹,۳۵٫۶۸۹",
            "شهرک صنعتی ارقام عربی,فارس,شهرک صنعتی,١٢٣,٨٦٫٤,١٠٠٠,52.531,29.592",
            'شهرک صنعتی ممیز اسلش,اصفهان,شهرک صنعتی,۲/۵,"1,234",0.5,51.668,32.654',
        ]))
    write("09_impossible_coordinates.csv", csv_text(GOOD_HEADER, [
        GOOD_ROWS[0],
        "شهرک صنعتی مختصات محال,تهران,شهرک صنعتی,1,دارد,51.4,123.0",
        "شهرک صنعتی طول محال,تهران,شهرک صنعتی,1,دارد,500,35.7",
    ]))
    write("10_outside_iran.csv", csv_text(GOOD_HEADER, [
        GOOD_ROWS[0],
        f"شهرک صنعتی آنکارا,تهران,شهرک صنعتی,1,دارد,{ANKARA[0]},{ANKARA[1]}",
        "شهرک صنعتی صفر,تهران,شهرک صنعتی,1,دارد,0,0",
    ]))
    write("11_utm_without_zone.csv", csv_text("نام شهرک,استان,نوع,easting,northing", [
        "شهرک صنعتی یو تی ام,تهران,شهرک صنعتی,534880,3949570",
    ]))
    write("12_utm_bad_zone.csv", csv_text("نام شهرک,استان,نوع,easting,northing,زون", [
        "شهرک صنعتی زون درست,تهران,شهرک صنعتی,534880,3949570,39",
        "شهرک صنعتی زون ۴۴,تهران,شهرک صنعتی,534880,3949570,44",
        "شهرک صنعتی زون جنوبی,تهران,شهرک صنعتی,534880,3949570,39S",
    ]))
    write("13_html_in_names.csv", csv_text(GOOD_HEADER, [
        f"<script>alert(1)</script>شهرک صنعتی اسکریپت,تهران,شهرک صنعتی,1,دارد,{TEHRAN[0]},"
        f"{TEHRAN[1]}",
        f"<b>شهرک صنعتی پررنگ</b>,فارس,شهرک صنعتی,1,دارد,{SHIRAZ[0]},{SHIRAZ[1]}",
        f"شهرک صنعتی &lt;i&gt;کج&lt;/i&gt; &amp; شرکا,اصفهان,شهرک صنعتی,1,دارد,{ISFAHAN[0]},"
        f"{ISFAHAN[1]}",
    ]))
    write("14_empty.csv", "")
    (HERE / "15_not_a_spreadsheet.csv").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    )
    (HERE / "16_old_excel.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    write("17_absurd_numbers.csv", csv_text(
        "نام شهرک,استان,نوع,مساحت (هکتار),کمبود آب (لیتر بر ثانیه),کمبود برق (مگاوات)", [
            "شهرک صنعتی عادی,تهران,شهرک صنعتی,120,10,2",
            "شهرک صنعتی آب زیاد,تهران,شهرک صنعتی,120,1000000000,2",
            "شهرک صنعتی برق زیاد,تهران,شهرک صنعتی,120,10,99999",
            "شهرک صنعتی زمین زیاد,تهران,شهرک صنعتی,10000000,10,2",
        ]))
    write("18_negative_values.csv", csv_text(
        "نام شهرک,استان,نوع,کمبود آب (لیتر بر ثانیه),کمبود برق (مگاوات)", [
            "شهرک صنعتی منفی آب,تهران,شهرک صنعتی,-5,2",
            "شهرک صنعتی منفی برق,تهران,شهرک صنعتی,5,−2",
            "شهرک صنعتی درست,تهران,شهرک صنعتی,5,2",
        ]))
    write("19_duplicates.csv", csv_text("نام شهرک,استان,نوع", [
        "شهرک صنعتی تکراری,تهران,شهرک صنعتی",
        "شهرك صنعتي تكراري,تهران,شهرک صنعتی",
        "شهرک صنعتی تکراری,فارس,شهرک صنعتی",
    ]))
    write("20_unit_missing.csv", csv_text("نام شهرک,استان,نوع,کمبود آب", [
        "شهرک صنعتی بی واحد,تهران,شهرک صنعتی,10",
    ]))
    write("21_kva_without_power_factor.csv", csv_text(
        "نام شهرک,استان,نوع,کمبود برق (کیلوولت آمپر)", [
            "شهرک صنعتی کاوا,تهران,شهرک صنعتی,2000",
        ]))
    write("22_unknown_province.csv", csv_text("نام شهرک,استان,نوع", [
        "شهرک صنعتی درست,تهران,شهرک صنعتی",
        "شهرک صنعتی غلط املایی,تهرن,شهرک صنعتی",
        "شهرک صنعتی مبهم,خراسان,شهرک صنعتی",
    ]))
    write("23_swapped_lat_lon.csv", csv_text(GOOD_HEADER, [
        f"شهرک صنعتی جابجا,تهران,شهرک صنعتی,1,دارد,{TEHRAN[1]},{TEHRAN[0]}",
    ]))
    write("24_other_province.csv", csv_text(GOOD_HEADER, [
        f"شهرک صنعتی جای دیگر,تهران,شهرک صنعتی,1,دارد,{ISFAHAN[0]},{ISFAHAN[1]}",
    ]))
    write("25_bad_kind_status.csv", csv_text("نام شهرک,استان,نوع,وضعیت", [
        "شهرک صنعتی درست,تهران,شهرک صنعتی,فعال",
        "کارخانه آزمایشی,تهران,کارخانه,فعال",
        "شهرک صنعتی وضعیت بد,تهران,شهرک صنعتی,نیمه کاره",
        "مجتمع آزمایشی,تهران,,فعال",
    ]))
    write("26_bad_yes_no.csv", csv_text("نام شهرک,استان,نوع,گاز,فیبر نوری", [
        "شهرک صنعتی درست,تهران,شهرک صنعتی,✓,خیر",
        "شهرک صنعتی ضربدر,تهران,شهرک صنعتی,x,خیر",
        "شهرک صنعتی شاید,تهران,شهرک صنعتی,دارد,شاید",
    ]))
    write("27_text_in_numbers.csv", csv_text(
        "نام شهرک,استان,نوع,کمبود آب (لیتر بر ثانیه),مساحت (هکتار)", [
            "شهرک صنعتی درست,تهران,شهرک صنعتی,50,100",
            'شهرک صنعتی با واحد,تهران,شهرک صنعتی,50 لیتر,100',
            'شهرک صنعتی ویرگول,تهران,شهرک صنعتی,50,"1,5"',
        ]))
    write("28_no_header.csv", csv_text("1,2,3", ["4,5,6", "7,8,9"]))
    write("29_only_header.csv", csv_text(GOOD_HEADER, []))
    good_xlsx = HERE / "07_merged_header.xlsx"
    (HERE / "30_damaged.xlsx").write_bytes(good_xlsx.read_bytes()[:600])
    write("31_broken.geojson", '{"type": "FeatureCollection", "features": [{"type": ')
    _shapefile_without_prj(HERE / "32_no_crs.shp")
    write("33_duplicate_ids.csv", csv_text("کد,نام شهرک,استان,نوع", [
        "101,شهرک صنعتی یک,تهران,شهرک صنعتی",
        "101,شهرک صنعتی دو,تهران,شهرک صنعتی",
        "102,شهرک صنعتی سه,تهران,شهرک صنعتی",
    ]))
    write("34_semicolon.csv", good.replace(",", ";"))
    write("35_web_page.csv", "<!DOCTYPE html><html><body><table><tr><td>نام</td></tr></table>"
          "</body></html>\n")
    write("36_unknown_unit.csv", csv_text("نام شهرک,استان,نوع,کمبود آب (گالن در دقیقه)", [
        "شهرک صنعتی گالن,تهران,شهرک صنعتی,10",
    ]))
    write("37_wrong_dimension.csv", csv_text("نام شهرک,استان,نوع,کمبود آب (مگاوات)", [
        "شهرک صنعتی مگاوات,تهران,شهرک صنعتی,10",
    ]))
    write("38_utm_with_zone.csv", csv_text("نام شهرک,استان,نوع,utm_x,utm_y,utm_zone", [
        "شهرک صنعتی یو تی ام,تهران,شهرک صنعتی,535000,3949500,39N",
        "شهرک صنعتی شمال و شرق جابجا,تهران,شهرک صنعتی,3949500,535000,39",
    ]))
    write("39_town_only.csv", csv_text("نام شهرک,استان,نوع,شهر", [
        "شهرک صنعتی اسکو,آذربایجان شرقی,شهرک صنعتی,اسکو",
        "ناحیه صنعتی بی نشان,تهران,ناحیه صنعتی,روستای ناموجود",
    ]))
    write("40_two_name_columns.csv", csv_text("نام شهرک,نام,استان", [
        "شهرک صنعتی یک,شهرک صنعتی یک,تهران",
    ]))
    write("41_deficit_over_demand.csv", csv_text(
        "نام شهرک,استان,نوع,نیاز آب (لیتر بر ثانیه),کمبود آب (لیتر بر ثانیه)", [
            "شهرک صنعتی کمبود بیش از نیاز,تهران,شهرک صنعتی,10,20",
            "شهرک صنعتی عادی,تهران,شهرک صنعتی,20,10",
        ]))
    write("42_empty_province_cell.csv", csv_text(GOOD_HEADER, [
        f"شهرک صنعتی استان از نقطه,,شهرک صنعتی,1,دارد,{SHIRAZ[0]},{SHIRAZ[1]}",
        "شهرک صنعتی بی استان,,شهرک صنعتی,1,دارد,,",
        "جمع کل,,,13,,,",
    ]))
    write("43_utf16_tab.txt", good.replace(",", "\t"), encoding="utf-16")
    _two_sheets_xlsx(HERE / "44_two_sheets.xlsx")
    write("45_kva_with_power_factor.csv", csv_text(
        "نام شهرک,استان,نوع,کمبود برق (کیلوولت آمپر)", [
            "شهرک صنعتی کاوا,تهران,شهرک صنعتی,2000",
        ]))
    write("46_utm_cli_zone.csv", csv_text("نام شهرک,استان,نوع,easting,northing", [
        "شهرک صنعتی یو تی ام,تهران,شهرک صنعتی,534880,3949570",
    ]))
    write("47_blank_and_repeated_header_rows.csv", csv_text(GOOD_HEADER, [
        GOOD_ROWS[0], ",,,,,,", GOOD_HEADER, GOOD_ROWS[1], "",
    ]))
    _geojson_utm(HERE / "48_utm_crs.gpkg")
    with zipfile.ZipFile(HERE / "49_zip_not_xlsx.xlsx", "w") as z:
        z.writestr("readme.txt", "not a workbook")
    write("50_extra_cells.csv", csv_text("نام شهرک,استان,نوع,کمبود آب (متر مکعب در روز)", [
        "شهرک صنعتی درست,تهران,شهرک صنعتی,\"1,234\"",
        "شهرک صنعتی ویرگول بی نقل قول,تهران,شهرک صنعتی,1,234",
    ]))


def _merged_header_xlsx(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "شهرک‌ها"
    ws.append(["فهرست شهرک‌های صنعتی (داده آزمایشی)"])
    ws.merge_cells("A1:H1")
    ws.append(["ردیف", "نام شهرک", "استان", "نوع", "کمبود", None, "مختصات", None])
    ws.append([None, None, None, None, "آب (لیتر بر ثانیه)", "برق (مگاوات)", "طول", "عرض"])
    for col in "ABCD":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("E2:F2")
    ws.merge_cells("G2:H2")
    ws.append([1, "شهرک صنعتی ادغام یک", "تهران", "شهرک صنعتی", 12.5, 3, *TEHRAN])
    ws.append([2, "شهرک صنعتی ادغام دو", "فارس", "شهرک صنعتی", None, 1.5, *SHIRAZ])
    ws.append([3, "ناحیه صنعتی ادغام سه", "خراسان رضوی", "ناحیه صنعتی", "۴٫۵", "-", *MASHHAD])
    wb.save(path)


def _two_sheets_xlsx(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    for i, name in enumerate(("تهران", "فارس")):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
        ws.append(["نام شهرک", "استان", "نوع"])
        ws.append([f"شهرک صنعتی برگه {i + 1}", name, "شهرک صنعتی"])
    wb.save(path)


def _shapefile_without_prj(path: Path) -> None:
    import geopandas as gpd
    import shapely

    gdf = gpd.GeoDataFrame(
        {"name": ["Test estate"], "province": ["Tehran"], "kind": ["industrial estate"]},
        geometry=[shapely.Point(*TEHRAN)],
        crs=None,
    )
    gdf.to_file(path, driver="ESRI Shapefile", engine="pyogrio")
    path.with_suffix(".prj").unlink(missing_ok=True)


def _geojson_utm(path: Path) -> None:
    """A GeoPackage in UTM zone 39N: its own CRS places the points."""
    import geopandas as gpd
    import shapely

    gdf = gpd.GeoDataFrame(
        {"name_fa": ["شهرک صنعتی بسته جغرافیایی", "شهرک صنعتی شیراز آزمایشی"],
         "province": ["تهران", "فارس"], "kind": ["شهرک صنعتی", "شهرک صنعتی"]},
        geometry=[shapely.Point(*TEHRAN), shapely.Point(*SHIRAZ)],
        crs="EPSG:4326",
    ).to_crs("EPSG:32639")
    gdf.to_file(path, driver="GPKG", engine="pyogrio", layer="estates")


if __name__ == "__main__":
    main()
