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
