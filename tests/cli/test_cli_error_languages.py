"""#27: every command's user error is one English line then its Persian line (``error:`` then
``خطا:``), never a traceback; ``import --lang`` chooses as it does for reasons."""

from __future__ import annotations

import pytest

from isipo_geo.cli import app

NO_REGISTRY = ("none.csv: registry file not found",
               "none.csv: پرونده ثبت شهرک‌ها پیدا نشد")
NO_STORE = ("none.gpkg: registry store not found; create it with `isipo-geo import FILE --into "
            "STORE.gpkg`",
            "none.gpkg: پایگاه ثبت شهرک‌ها پیدا نشد؛ آن را با `isipo-geo import FILE --into "
            "STORE.gpkg` بسازید")
NO_PROVINCE = ("unknown province 'Atlantis'", "استان ناشناخته: 'Atlantis'")

# each command's commonest user error: (arguments, English line, Persian line)
CASES = {
    "build": (["build", "--registry", "none.csv", "--out-dir", "m"], *NO_REGISTRY),
    "funding": (["funding", "--registry", "none.csv"], *NO_REGISTRY),
    "report": (["report", "--registry", "none.csv"], *NO_REGISTRY),
    "map": (["map", "national", "--registry", "none.csv", "--out-dir", "m"], *NO_REGISTRY),
    "brief": (["brief", "Atlantis", "--out-dir", "m"], *NO_PROVINCE),
    "provinces": (["provinces", "Atlantis"], *NO_PROVINCE),
    "estates": (["estates", "Atlantis"], *NO_PROVINCE),
    "import": (["import", "none.csv"], "none.csv: file not found", "none.csv: پرونده پیدا نشد"),
    "registry log": (["registry", "log", "none.gpkg"], *NO_STORE),
    "registry show": (["registry", "show", "none.gpkg", "1"], *NO_STORE),
    "registry diff": (["registry", "diff", "none.gpkg"], *NO_STORE),
    "registry export": (["registry", "export", "none.gpkg", "a.csv"], *NO_STORE),
    "template": (["template", "t.csv"], "cannot write t.csv: use one of the extensions .xlsx",
                 "t.csv نوشته نمی‌شود: یکی از پسوندهای .xlsx را به کار ببرید"),
    "raster sample": (["raster", "sample", "none.tif"], "none.tif: raster file not found",
                      "none.tif: پرونده رستر پیدا نشد"),
    "raster zonal": (["raster", "zonal", "none.tif"], "none.tif: raster file not found",
                     "none.tif: پرونده رستر پیدا نشد"),
    "raster export": (["raster", "export", "--value", "area_km2", "--res", "0.5", "--out",
                       "a.txt"], "a.txt: the output must be a GeoTIFF (.tif)",
                      "a.txt: خروجی باید GeoTIFF باشد (.tif)"),
    "units": (["units", "none.csv"], "none.csv: file not found", "none.csv: پرونده پیدا نشد"),
    "funding --budget": (["funding", "--budget", "5000"],
                         "budget '5000' must name its currency (toman or rial) and scale, e.g. "
                         "'5000 bn toman' or '50000 billion rial'",
                         "بودجه '5000' باید پول (تومان یا ریال) و مقیاسش را بگوید، مانند "
                         "'5000 bn toman' یا '50000 billion rial'"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_user_error_is_english_then_persian_without_a_traceback(runner, tmp_path,
                                                                  monkeypatch, case):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ISIPO_GEO_STORE", raising=False)
    args, english, persian = CASES[case]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith(("error:", "خطا:"))]
    assert lines == [f"error: {english}", f"خطا: {persian}"], result.output
    assert not list(tmp_path.iterdir())  # nothing written


def test_an_input_error_without_persian_text_still_gets_a_located_persian_line():
    from isipo_geo.errors import InputError
    from isipo_geo.messages import persian_error

    plain = InputError("something new went wrong", path="r.csv", row=12, column="lat")
    assert persian_error(plain) == (
        "r.csv، سطر ۱۲، ستون 'lat': (این پیام هنوز ترجمه نشده است؛ متن انگلیسی را ببینید)")


def test_import_lang_chooses_the_error_line(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fa = runner.invoke(app, ["import", "none.csv", "--lang", "fa"])
    assert fa.exit_code == 2 and fa.output == "خطا: none.csv: پرونده پیدا نشد\n"
    en = runner.invoke(app, ["import", "none.csv", "--lang", "en"])
    assert en.exit_code == 2 and en.output == "error: none.csv: file not found\n"


def test_an_internal_error_says_so_in_both_languages(runner, monkeypatch):
    import isipo_geo.provinces

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(isipo_geo.provinces, "province_table", broken)
    result = runner.invoke(app, ["provinces"])
    assert result.exit_code == 3, result.output
    assert result.output.startswith("error: internal error (ZeroDivisionError: boom)")
    assert "خطا: خطای درونی (ZeroDivisionError: boom)" in result.output
    assert "Traceback" not in result.output


# the shared options' errors (funding, map, brief, build check them alike)
OPTION_CASES = {
    "weights with another key": (
        ["funding", "--weights", "w.csv", "--allocate-by", "area"],
        "--weights FILE shares by your weights, --allocate-by area by another key; give one "
        "of them",
        "--weights FILE به وزن‌های شما تقسیم می‌کند و --allocate-by area به کلید دیگری؛ یکی از "
        "آن دو را بدهید"),
    "registry-only without registry": (
        ["funding", "--registry-only"], "--registry-only needs --registry FILE (your registry)",
        "--registry-only به --registry FILE (ثبت شهرک‌های شما) نیاز دارد"),
    "registry-year not a year": (
        ["funding", "--registry", "r.csv", "--registry-year", "abc"],
        "--registry-year 'abc': write a Jalali year, e.g. 1403",
        "--registry-year 'abc': سال هجری شمسی بنویسید، مانند 1403"),
    "rule without budget": (
        ["funding", "--rule", "largest"],
        "--rule: --years, --priority, --rule and --budget-out only apply with --budget",
        "--rule: گزینه‌های --years، --priority، --rule و --budget-out تنها با --budget به کار "
        "می‌آیند"),
    "priority without rule": (
        ["funding", "--budget", "5 bn toman", "--priority", "p.csv"],
        "--priority FILE needs --rule priority (the rule is cheapest)",
        "--priority FILE به --rule priority نیاز دارد (قاعده cheapest است)"),
}


@pytest.mark.parametrize("case", list(OPTION_CASES), ids=list(OPTION_CASES))
def test_the_shared_options_errors_are_english_then_persian(runner, tmp_path, monkeypatch,
                                                            case):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "w.csv").write_text("province,weight\nqom,1\n", encoding="utf-8")
    (tmp_path / "p.csv").write_text("estate_id\nx\n", encoding="utf-8")
    (tmp_path / "r.csv").write_text("id,name_fa,province,lon,lat\n", encoding="utf-8")
    args, english, persian = OPTION_CASES[case]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.startswith(("error:", "خطا:"))]
    assert lines == [f"error: {english}", f"خطا: {persian}"], result.output


# A planner's commonest mistakes, walked through the CLI: each error's Persian line is a real
# translation (never the "not yet translated" marker). (files written, arguments, English, Persian)
UNTRANSLATED = "(این پیام هنوز ترجمه نشده است؛ متن انگلیسی را ببینید)"
COMMON_FILES = {
    "bad.toml": "x = \n",
    "nocur.toml": "[water]\nunit_cost = 1\n",
    "w_col.csv": "province,w\nTehran,1\n",
    "w_neg.csv": "province,weight\nTehran,-1\n",
    "w_prov.csv": "province,weight\nAtlantis,1\n",
    "crit.csv": "criterion,direction,weight\nbeauty,benefit,1\n",
    "prio_empty.csv": "province\n",
    "empty.csv": "",
    "nohead.csv": "foo,bar\n1,2\n",
    "nounit.csv": "name_fa,province,water_deficit\nشهرک الف,Tehran,5\n",
    "old.xls": "x",
    "units_bad.csv": "lon,lat\nabc,35\n",
}
COMMON_CASES = {
    "costs file missing": (
        ["funding", "--costs", "none.toml"], "none.toml: costs file not found",
        "none.toml: پروندهٔ هزینه‌ها پیدا نشد"),
    "costs file not TOML": (
        ["funding", "--costs", "bad.toml"],
        "bad.toml: not valid TOML: Invalid value (at line 1, column 5)",
        "bad.toml: TOML درست نیست: Invalid value (at line 1, column 5)"),
    "costs file without its currency": (
        ["funding", "--costs", "nocur.toml"],
        'nocur.toml: set the top-level keys currency = "toman"|"rial" and scale = '
        '"billion"|"million"',
        'nocur.toml: کلیدهای سطح بالای currency = "toman"|"rial" و scale = "billion"|"million" '
        "را بنویسید"),
    "weights file missing": (
        ["funding", "--weights", "none.csv"], "none.csv: weights file not found",
        "none.csv: پروندهٔ weights پیدا نشد"),
    "weights file without its column": (
        ["funding", "--weights", "w_col.csv"],
        "w_col.csv: needs the columns province and weight; 'weight' is missing",
        "w_col.csv: ستون‌های province و weight لازم است؛ 'weight' نیست"),
    "a negative weight": (
        ["funding", "--weights", "w_neg.csv"],
        "w_neg.csv, row 2, column 'weight': weight '-1' is negative; allowed: 0 to 10^15",
        "w_neg.csv، سطر ۲، ستون 'weight': weight '-1' منفی است؛ مجاز: 0 تا 10^15"),
    "a weight for an unknown province": (
        ["funding", "--weights", "w_prov.csv"],
        "w_prov.csv, row 2, column 'province': unknown province 'Atlantis'",
        "w_prov.csv، سطر ۲، ستون 'province': استان ناشناخته: 'Atlantis'"),
    "a negative budget": (
        ["funding", "--budget", "-5 bn toman"], "budget '-5 bn toman' is negative",
        "بودجه '-5 bn toman' منفی است"),
    "budget years not a range": (
        ["funding", "--budget", "5000 bn toman", "--years", "abc"],
        "years 'abc': write a Jalali range such as 1403-1407",
        "سال‌های 'abc': بازه‌ای هجری شمسی بنویسید، مانند 1403-1407"),
    "score rule without criteria": (
        ["funding", "--budget", "5000 bn toman", "--rule", "score"],
        "--rule score needs --criteria FILE (what counts, and its weights)",
        "\u200e--rule score به \u200e--criteria FILE (معیارها و وزن‌هایشان) نیاز دارد"),
    "an unknown criterion": (
        ["funding", "--budget", "5000 bn toman", "--rule", "score", "--criteria", "crit.csv"],
        "crit.csv, row 2, column 'criterion': unknown criterion 'beauty'; use one of jobs, "
        "units_operating, units_idle, occupancy_pct, investment_bn_toman, area_ha, need, "
        "deficit, gap_share",
        "crit.csv، سطر ۲، ستون 'criterion': معیار ناشناخته 'beauty'؛ یکی از jobs, "
        "units_operating, units_idle, occupancy_pct, investment_bn_toman, area_ha, need, "
        "deficit, gap_share را به کار ببرید"),
    "an empty priority list": (
        ["funding", "--budget", "5000 bn toman", "--rule", "priority", "--priority",
         "prio_empty.csv"],
        "prio_empty.csv: priority file has no rows under its header",
        "prio_empty.csv: پروندهٔ priority زیر سرستونش سطری ندارد"),
    "escalation without its years": (
        ["funding", "--escalation", "5"],
        "--escalation needs --escalation-years (how many years to escalate)",
        "\u200e--escalation به \u200e--escalation-years نیاز دارد (چند سال افزایش یابد)"),
    "a discount rate out of range": (
        ["funding", "--budget", "5000 bn toman", "--discount-rate", "500"],
        "--discount-rate '500' is out of range; allowed: -50 to 100 (% a year)",
        "--discount-rate '500' بیرون از بازه است؛ مجاز: \u200e-50 تا 100 (درصد در سال)"),
    "simulate with no runs": (
        ["funding", "--simulate", "0"], "--simulate takes 1 to 1,000,000 runs; got 0",
        "\u200e--simulate از ۱ تا ۱٬۰۰۰٬۰۰۰ اجرا می‌پذیرد؛ ۰ داده شد"),
}


COMMON_CASES |= {
    "import of an empty file": (
        ["import", "empty.csv"],
        "empty.csv: the file is empty; it needs a header row and one row per estate",
        "empty.csv: پرونده خالی است؛ یک سطر سرستون و برای هر شهرک یک سطر می‌خواهد"),
    "import of a binary file": (
        ["import", "bin.csv"],
        "bin.csv: this is not a text table (it holds binary data); give a CSV, XLSX, GeoJSON, "
        "GeoPackage or Shapefile",
        "bin.csv: این جدول متنی نیست (دادهٔ دودویی دارد)؛ یک CSV، XLSX، GeoJSON، GeoPackage یا "
        "Shapefile بدهید"),
    "import of an old Excel file": (
        ["import", "old.xls"],
        "old.xls: save the workbook as .xlsx (Excel Workbook) or CSV UTF-8",
        "old.xls: کارپوشه را به صورت \u200e.xlsx (Excel Workbook) یا CSV UTF-8 ذخیره کنید"),
    "import of a table without an estate name column": (
        ["import", "nohead.csv"],
        "nohead.csv: no header row with an estate name column found in the first rows (first "
        "row: 'foo', 'bar').",
        "nohead.csv: در نخستین سطرها سطر سرستونی با ستون نام شهرک پیدا نشد (سطر نخست: 'foo', "
        "'bar')."),
    "import of a deficit column without its unit": (
        ["import", "nounit.csv"],
        "nounit.csv: column 'water_deficit' (header row 1): no unit is stated; rename the column "
        "to say its unit, e.g. 'water_deficit (لیتر بر ثانیه)' (the registry column is "
        "water_deficit_lps; a unit is never assumed)",
        "nounit.csv: ستون 'water_deficit' (سرستونِ سطر ۱): واحدی نوشته نشده است؛ نام ستون را "
        "چنان تغییر دهید که واحدش را بگوید، مانند 'water_deficit (لیتر بر ثانیه)' (ستونِ ثبت "
        "water_deficit_lps است؛ واحد هرگز فرض نمی‌شود)"),
    "import with a UTM zone outside Iran": (
        ["import", "nounit.csv", "--utm-zone", "12"],
        "--utm-zone: UTM zone 12 does not cover Iran; use 38, 39, 40 or 41",
        "--utm-zone: زون UTM ۱۲ ایران را نمی‌پوشاند؛ 38، 39، 40 یا 41 را به کار ببرید"),
    "import with a year that is not one": (
        ["import", "nounit.csv", "--year", "abc"], "--year 'abc': write a Jalali year, e.g. 1403",
        "\u200e--year 'abc': سال هجری شمسی بنویسید، مانند 1403"),
    "units with a longitude that is not a number": (
        ["units", "units_bad.csv"],
        "units_bad.csv, row 2, column 'lon': 'abc' is not a number; every unit needs numeric "
        "lon and lat (1 bad cell(s))",
        "units_bad.csv، سطر ۲، ستون 'lon': 'abc' عدد نیست؛ هر واحد lon و lat عددی می‌خواهد "
        "(۱ خانهٔ نادرست)"),
    "a network option without its file": (
        ["funding", "--network", "power"],
        "--network 'power': write UTILITY=FILE, e.g. --network power=substations.gpkg",
        "\u200e--network 'power': به صورت UTILITY=FILE بنویسید، مانند "
        "\u200e--network power=substations.gpkg"),
}


@pytest.mark.parametrize("case", list(COMMON_CASES), ids=list(COMMON_CASES))
def test_a_planners_common_errors_read_in_persian(runner, tmp_path, monkeypatch, case):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ISIPO_GEO_STORE", raising=False)
    for name, text in COMMON_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "bin.csv").write_bytes(b"\x00\x01\x02\x03binary\x00")
    args, english, persian = COMMON_CASES[case]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert UNTRANSLATED not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith(("error:", "خطا:"))]
    assert len(lines) == 2, result.output
    if english.endswith("."):  # a long message: its start
        assert lines[0].startswith(f"error: {english}") and lines[1].startswith(f"خطا: {persian}")
    else:
        assert lines == [f"error: {english}", f"خطا: {persian}"], result.output


def test_a_registry_server_out_of_reach_is_said_in_persian_too(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    url = "postgresql://nobody@127.0.0.1:1/db"  # nothing listens on port 1: refused at once
    result = runner.invoke(app, ["registry", "log", url])
    assert result.exit_code == 2, result.output
    english, persian = result.output.splitlines()
    assert english.startswith(f"error: {url}: cannot connect to the registry server (")
    assert persian.startswith(f"خطا: {url}: به سرور ثبت وصل نشد (")
    assert persian.endswith("؛ نشانی، کاربر و گذرواژه‌اش (PGPASSWORD یا \u200e~/.pgpass) را بررسی "
                            "کنید و اینکه سرور روشن باشد")
