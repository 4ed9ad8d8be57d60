"""`isipo-geo import` speaks Persian beside English: reasons, flags and the rejects file
(``--lang fa|en|both``, default both)."""

from __future__ import annotations

import pandas as pd
import pytest

from isipo_geo.cli import app

HEADER = "نام شهرک,استان,کمبود آب (لیتر بر ثانیه),طول جغرافیایی,عرض جغرافیایی\n"
# "اصفهن" is a misspelling close to one province (read, flagged); "Narnia" is close to none
ROWS = ("شهرک صنعتی محمودآباد,اصفهن,12,51.55,32.62\n"
        "شهرک صنعتی الف,Narnia,3,51.6,32.7\n")


def _import(runner, tmp_path, *args):
    src = tmp_path / "isfahan.csv"
    src.write_text(HEADER + ROWS, encoding="utf-8")
    out = tmp_path / "registry.csv"
    result = runner.invoke(app, ["import", str(src), "--registry", str(out), *args])
    assert result.exit_code == 0, result.output
    return result.output, out


def test_a_misspelt_province_is_explained_in_persian_beside_english(runner, tmp_path):
    output, out = _import(runner, tmp_path)
    flagged = next(line for line in output.splitlines() if "row 2," in line and "اصفهن" in line)
    assert "province_spelling:اصفهن" in flagged
    assert "نام استان با غلط املایی نوشته شده و به نزدیک‌ترین استان خوانده شد: اصفهن" in flagged
    rejected = next(line for line in output.splitlines() if line.startswith("  row 3,"))
    assert "unknown province 'Narnia'" in rejected
    assert "استان ناشناخته: 'Narnia'" in rejected
    assert "province_spelling 1 (نام استان با غلط املایی" in output  # the flags count line


def test_the_rejects_file_carries_both_languages(runner, tmp_path):
    _, out = _import(runner, tmp_path, "--lang", "en")
    rejects = pd.read_csv(out.with_name("registry.rejects.csv"), encoding="utf-8-sig",
                          dtype=str)
    assert rejects.loc[0, "reason"].startswith("unknown province 'Narnia'")
    assert rejects.loc[0, "reason_fa"].startswith("استان ناشناخته: 'Narnia'")


def test_lang_chooses_what_the_console_shows(runner, tmp_path):
    english, _ = _import(runner, tmp_path, "--lang", "en")
    assert "unknown province 'Narnia'" in english and "استان ناشناخته" not in english
    assert "غلط املایی" not in english
    persian, _ = _import(runner, tmp_path, "--lang", "fa")
    assert "استان ناشناخته: 'Narnia'" in persian and "unknown province" not in persian
    assert "غلط املایی" in persian


def test_a_bad_lang_is_refused(runner, tmp_path):
    src = tmp_path / "a.csv"
    src.write_text(HEADER, encoding="utf-8")
    result = runner.invoke(app, ["import", str(src), "--lang", "de"])
    assert result.exit_code == 2
    assert "Invalid value for '--lang'" in result.output and "'de'" in result.output


def test_registry_show_gives_rejects_and_flags_in_both_languages(runner, tmp_path):
    src = tmp_path / "isfahan.csv"
    src.write_text(HEADER + ROWS, encoding="utf-8")
    store = tmp_path / "registry.gpkg"
    assert runner.invoke(app, ["import", str(src), "--into", str(store)]).exit_code == 0
    show = runner.invoke(app, ["registry", "show", str(store), "1"])
    assert show.exit_code == 0, show.output
    lines = show.output.splitlines()
    assert any(line.startswith("flags: province_spelling 1 (نام استان با غلط املایی")
               for line in lines)
    rejected = next(line for line in lines if line.startswith("rejected: row 3"))
    assert "unknown province 'Narnia'" in rejected and "استان ناشناخته: 'Narnia'" in rejected
    english = runner.invoke(app, ["registry", "show", str(store), "1", "--lang", "en"])
    assert "استان ناشناخته" not in english.output


@pytest.mark.parametrize(("cell", "english", "persian"), [
    ('"12,5"', "'12,5' is ambiguous: write the decimal point as '.'",
     "'12,5' مبهم است: ممیز را با «.» یا «٫» بنویسید"),
    ("۱۲ مگاوات", "'۱۲ مگاوات' is in MW, but this column is in L/s; write the value in L/s",
     "'۱۲ مگاوات' به MW است اما این ستون به L/s است؛ مقدار را به L/s بنویسید"),
    ("چند", "'چند' is not a number", "'چند' عدد نیست"),
    ("-5", "'-5' is negative; a missing value is left empty",
     "'-5' منفی است؛ مقدار نامعلوم را خالی بگذارید"),
])
def test_number_cells_are_refused_in_both_languages(runner, tmp_path, cell, english, persian):
    src = tmp_path / "tehran.csv"
    src.write_text(HEADER + f"شهرک صنعتی الف,تهران,{cell},51.4,35.7\n", encoding="utf-8")
    out = tmp_path / "registry.csv"
    result = runner.invoke(app, ["import", str(src), "--registry", str(out)])
    assert result.exit_code == 0, result.output
    rejects = pd.read_csv(out.with_name("registry.rejects.csv"), encoding="utf-8-sig",
                          dtype=str)
    assert rejects.loc[0, "reason"].startswith(english)
    assert rejects.loc[0, "reason_fa"].startswith(persian)


def test_a_yes_no_cell_and_a_coordinate_are_refused_in_both_languages(runner, tmp_path):
    src = tmp_path / "tehran.csv"
    src.write_text("نام شهرک,استان,آب,طول جغرافیایی,عرض جغرافیایی\n"
                   "شهرک صنعتی الف,تهران,شاید,51.4,35.7\n"
                   "شهرک صنعتی ب,تهران,دارد,شرق,35.7\n", encoding="utf-8")
    out = tmp_path / "registry.csv"
    result = runner.invoke(app, ["import", str(src), "--registry", str(out)])
    assert result.exit_code == 0, result.output
    rejects = pd.read_csv(out.with_name("registry.rejects.csv"), encoding="utf-8-sig",
                          dtype=str)
    assert rejects.loc[0, "reason_fa"] == (
        "'شاید' بله/خیر نیست؛ دارد/ندارد، بله/خیر، yes/no یا 1/0 بنویسید")
    assert rejects.loc[1, "reason_fa"].startswith(
        "'شرق' مختصات نیست؛ درجه اعشاری بنویسید، مانند 51.42 | ")


def test_the_summary_lines_are_english_then_persian(runner, tmp_path):
    output, out = _import(runner, tmp_path)
    lines = output.splitlines()
    english = "rows read: 2 = accepted 1 + rejected 1; flagged: 1"
    persian = "سطرهای خوانده‌شده: ۲ = پذیرفته ۱ + ردشده ۱؛ نشانه‌دار: ۱"
    assert lines[lines.index(english) + 1] == persian
    written = f"registry written: {out} (1 estates)"
    assert lines[lines.index(written) + 1] == f"ثبت نوشته شد: {out} (۱ شهرک)"
    rejects = f"rejects written: {out.with_name('registry.rejects.csv')} (1 rows)"
    assert lines[lines.index(rejects) + 1] == (
        f"ردشده‌ها نوشته شد: {out.with_name('registry.rejects.csv')} (۱ سطر)")
    assert "سطرهای ردشده (نخستین ۱):" in lines
    columns = next(line for line in lines if line.startswith("ستون‌ها: "))
    assert "water_deficit_lps (از لیتر بر ثانیه)" in columns and "(from " not in columns
    header = next(line for line in lines if line.startswith("خوانده شد: "))
    assert "سرستون در سطر ۱" in header


def test_lang_fa_gives_the_summary_in_persian_only(runner, tmp_path):
    output, out = _import(runner, tmp_path, "--lang", "fa")
    for english in ("rows read:", "registry written:", "rejects written:", "use it with:",
                    "rejected rows", "flagged rows", "columns:", "Read "):
        assert english not in output, english
    assert f"به کار ببرید با: --registry {out}" in output.splitlines()
    assert any(line.startswith("  سطر 3، استان: استان ناشناخته: 'Narnia'؛ آیا منظورتان")
               for line in output.splitlines()), output


def test_lang_en_gives_the_summary_in_english_only(runner, tmp_path):
    output, _ = _import(runner, tmp_path, "--lang", "en")
    assert "rows read: 2 = accepted 1 + rejected 1; flagged: 1" in output.splitlines()
    assert "سطرهای خوانده‌شده" not in output and "ثبت نوشته شد" not in output


def test_a_batch_summary_is_english_then_persian(runner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.csv").write_text(HEADER + ROWS, encoding="utf-8")
    (folder / "b.csv").write_text(HEADER + "شهرک صنعتی ب,تهران,2,51.4,35.6\n", encoding="utf-8")
    out = tmp_path / "registry.csv"
    result = runner.invoke(app, ["import", str(folder), "--registry", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    english = ("rows read: 3 = accepted 2 + rejected 1; flagged: 1; merged duplicates (counted "
               "once): 0; estates: 2")
    assert lines[lines.index(english) + 1] == (
        "سطرهای خوانده‌شده: ۳ = پذیرفته ۲ + ردشده ۱؛ نشانه‌دار: ۱؛ تکراری‌های یکی‌شده (یک بار "
        "شمرده شد): ۰؛ شهرک‌ها: ۲")
    fa = runner.invoke(app, ["import", str(folder), "--registry", str(out), "--lang", "fa"])
    assert any(line.startswith("  ردشده: a.csv سطر 3، استان: استان ناشناخته: 'Narnia'")
               for line in fa.output.splitlines()), fa.output
