"""`isipo-geo import FILE...` (many files, folders, a store) and `isipo-geo registry ...`."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from isipo_geo.cli import app

HEADER = "نام شهرک,استان,کمبود آب (لیتر بر ثانیه),طول جغرافیایی,عرض جغرافیایی\n"


def _csv(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(HEADER + text, encoding="utf-8")
    return folder / name


def test_several_files_into_one_registry_csv(runner, tmp_path):
    a = _csv(tmp_path / "in", "tehran.csv", "شهرک صنعتی عباس آباد,تهران,12,51.85,35.55\n"
             ",تهران,1,51.6,35.55\n")
    b = _csv(tmp_path / "in", "english.csv", "Eshtehard industrial estate,Alborz,7,50.37,35.72\n")
    out = tmp_path / "out" / "registry.csv"
    result = runner.invoke(app, ["import", str(a), str(b), "--registry", str(out)])
    assert result.exit_code == 0, result.output
    assert ("rows read: 3 = accepted 2 + rejected 1; flagged: 1; merged duplicates (counted "
            "once): 0; estates: 2") in result.output
    assert "rejected: tehran.csv row 3, نام شهرک: the estate name is empty" in result.output
    registry = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    latin = registry[registry["province"] == "alborz"].iloc[0]
    assert (latin["name_fa"], latin["name_en"], latin["flags"]) == (
        "", "Eshtehard industrial estate", "no_persian_name")
    assert latin["kind"] == "industrial_estate"
    rejects = pd.read_csv(out.with_name("registry.rejects.csv"), encoding="utf-8-sig")
    assert rejects[["file", "row"]].values.tolist() == [["tehran.csv", 3]]
    report = json.loads(out.with_name("registry.import.json").read_text(encoding="utf-8"))
    assert [s["file"] for s in report["submissions"]] == ["tehran.csv", "english.csv"]


def test_a_bad_file_in_a_batch_writes_nothing(runner, tmp_path):
    good = _csv(tmp_path / "in", "a.csv", "شهرک صنعتی عباس آباد,تهران,12,51.85,35.55\n")
    bad = tmp_path / "in" / "b.xlsx"
    bad.write_bytes(b"not a workbook")
    store = tmp_path / "out" / "registry.gpkg"
    result = runner.invoke(app, ["import", str(tmp_path / "in"), "--into", str(store)])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and "b.xlsx" in result.output
    assert result.output.count("\n") == 2  # the error in English, then in Persian
    assert not (tmp_path / "out").exists()
    assert good.is_file()


def test_registry_commands_refuse_what_is_not_a_store(runner, tmp_path):
    csv = _csv(tmp_path, "a.csv", "")
    for args in (["registry", "log", str(csv)], ["registry", "diff", str(tmp_path / "no.gpkg")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert result.output.startswith("error: ") and result.output.count("\n") == 2


def test_registry_help_lists_the_commands(runner):
    result = runner.invoke(app, ["registry", "--help"])
    assert result.exit_code == 0
    for command in ("log", "show", "diff", "export"):
        assert command in result.output


def test_one_file_says_what_it_assumed_and_writes_its_report(runner, tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("نام شهرک,طول جغرافیایی,عرض جغرافیایی\nشهرک صنعتی عباس آباد,51.85,35.55\n",
                    encoding="utf-8")
    out = tmp_path / "registry.csv"
    result = runner.invoke(app, ["import", str(path), "--registry", str(out)])
    assert result.exit_code == 0, result.output
    assert ("assumed: the province of 1 rows was taken from their point (no province given; "
            "flag province_from_location)") in result.output
    report = json.loads(out.with_name("registry.import.json").read_text(encoding="utf-8"))
    assert report["totals"]["province_from_location"] == 1
    assert report["submissions"][0]["sha256"] == __import__("hashlib").sha256(
        path.read_bytes()).hexdigest()


def test_importing_the_same_file_again_is_noted(runner, tmp_path):
    path = _csv(tmp_path / "in", "tehran.csv", "شهرک صنعتی عباس آباد,تهران,12,51.85,35.55\n")
    store = tmp_path / "registry.gpkg"
    args = ["import", str(path), "--into", str(store), "--date", "2024-04-01"]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert ("note: the store already had this content: tehran.csv = submission 1 (2024-04-01)"
            in again.output)
    diff = runner.invoke(app, ["registry", "diff", str(store)])
    assert diff.output.splitlines() == [
        "from submission 1 (1403-01-13) to 2 (1403-01-13): 0 added, 0 removed, 0 changed "
        "(0 fields)"]  # 2024-04-01 in the Persian calendar


def test_registry_log_and_show_give_persian_dates(runner, tmp_path):
    path = _csv(tmp_path / "in", "tehran.csv", "شهرک صنعتی عباس آباد,تهران,12,51.85,35.55\n")
    store = tmp_path / "registry.gpkg"
    assert runner.invoke(app, ["import", str(path), "--into", str(store),
                               "--date", "2024-04-03"]).exit_code == 0
    log = runner.invoke(app, ["registry", "log", str(store)])
    assert log.exit_code == 0, log.output
    row = next(line for line in log.output.splitlines() if "tehran.csv" in line)
    assert "1403-01-15" in row and "2024-04-03" not in row
    assert "تاریخ" in log.output
    show = runner.invoke(app, ["registry", "show", str(store), "1"])
    assert "date: 1403-01-15 (2024-04-03)" in show.output.splitlines()
    # the store's own field stays ISO, for programs
    import sqlite3

    with sqlite3.connect(store) as db:
        assert db.execute("select date from submissions").fetchall() == [("2024-04-03",)]


def test_registry_export_xlsx_explains_each_flag_in_persian_and_english(runner, tmp_path):
    from openpyxl import load_workbook

    path = _csv(tmp_path / "in", "isfahan.csv", "شهرک صنعتی محمودآباد,اصفهن,12,51.55,32.62\n"
                "شهرک صنعتی الف,اصفهان,3,51.6,32.7\n")
    store = tmp_path / "registry.gpkg"
    assert runner.invoke(app, ["import", str(path), "--into", str(store)]).exit_code == 0
    out = tmp_path / "registry.xlsx"
    result = runner.invoke(app, ["registry", "export", str(store), str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["registry"]
    rows = list(sheet.iter_rows(values_only=True))
    head = next(r for r in rows if r and any(str(c).endswith("\nflags") for c in r if c))
    flags = next(i for i, c in enumerate(head) if c and str(c).endswith("\nflags"))
    assert head[flags + 1] == "شرح نشانه‌ها\nflags_explained"
    body = {r[flags]: r[flags + 1] for r in rows[rows.index(head) + 1:] if r[flags]}
    assert body == {"province_spelling:اصفهن": (
        "نام استان با غلط املایی نوشته شده و به نزدیک‌ترین استان خوانده شد: اصفهن / the "
        "province as written is a misspelling read as the one province it is close to: اصفهن")}
    # the CSV export stays a registry CSV: the codes only
    csv_out = tmp_path / "registry.csv"
    assert runner.invoke(app, ["registry", "export", str(store), str(csv_out)]).exit_code == 0
    assert "flags_explained" not in csv_out.read_text(encoding="utf-8-sig")
