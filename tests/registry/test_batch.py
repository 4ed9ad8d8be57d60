"""Many files at once (isipo_geo.registry.batch): checks across files, on tiny CSVs."""

from __future__ import annotations

from pathlib import Path

import pytest

from isipo_geo.errors import InputError
from isipo_geo.registry.batch import covered_provinces, expand_inputs, import_files

HEADER = "نام شهرک,استان,کمبود آب (لیتر بر ثانیه),طول جغرافیایی,عرض جغرافیایی\n"
TEHRAN = "شهرک صنعتی عباس آباد,تهران,12,51.85,35.55\n"
TEHRAN_2 = "شهرک صنعتی خاوران,تهران,3,51.6,35.55\n"
ALBORZ = "شهرک صنعتی اشتهارد,البرز,7,50.37,35.72\n"


def _csv(folder: Path, name: str, *rows: str, header: str = HEADER) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


def test_covered_provinces_of_a_provincial_and_a_national_file():
    assert covered_provinces(["tehran"] * 4 + ["alborz"]) == ("tehran",)  # 20%: not covered
    assert covered_provinces(["tehran"] * 3 + ["alborz"]) == ("alborz", "tehran")  # 25%
    assert covered_provinces(["tehran"] * 2 + ["alborz"] * 2) == ("alborz", "tehran")
    assert covered_provinces(["tehran", "alborz", "qom", "fars"]) == (
        "alborz", "fars", "qom", "tehran")
    assert covered_provinces([]) == ()


def test_the_same_estate_in_two_files_is_kept_once_from_its_own_province(tmp_path):
    alborz = _csv(tmp_path, "a_alborz.csv", ALBORZ, ALBORZ.replace("اشتهارد", "هشتگرد"),
                  ALBORZ.replace("اشتهارد", "سیمین دشت"), ALBORZ.replace("اشتهارد", "بهارستان"),
                  TEHRAN)  # Alborz's file also lists a Tehran estate (1 row in 5)
    tehran = _csv(tmp_path, "b_tehran.csv", TEHRAN.replace(",12,", ",13,"), TEHRAN_2)
    batch = import_files([alborz, tehran])
    a, t = batch.submissions
    assert a.covers == ("alborz",) and t.covers == ("tehran",)
    assert (a.result.rows_read, a.merged, len(a.kept)) == (5, 1, 4)
    assert (t.result.rows_read, t.merged, len(t.kept)) == (2, 0, 2)
    kept = t.kept.set_index("name_fa").loc["شهرک صنعتی عباس آباد"]
    assert float(kept["water_deficit_lps"]) == 13.0  # Tehran's own file wins
    assert kept["flags"] == "duplicate_in:a_alborz.csv row 6"
    assert kept["source"] == "b_tehran.csv row 2; a_alborz.csv row 6"
    assert batch.totals() == {"rows_read": 7, "accepted": 7, "rejected": 0, "flagged": 1,
                              "merged": 1, "province_from_location": 0, "estates": 6}
    assert a.report["duplicates"] == [{"kept": "b_tehran.csv row 2",
                                       "merged": "a_alborz.csv row 6", "id": kept["id"]}]


def test_one_id_for_two_estates_in_two_provinces_is_rejected(tmp_path):
    header = "کد,نام شهرک,استان\n"
    tehran = _csv(tmp_path, "t.csv", "1,شهرک صنعتی عباس آباد,تهران\n", header=header)
    alborz = _csv(tmp_path, "a.csv", "1,شهرک صنعتی اشتهارد,البرز\n2,شهرک صنعتی هشتگرد,البرز\n",
                  header=header)
    batch = import_files([tehran, alborz])
    sub = batch.submissions[1]
    assert (sub.result.rows_read, sub.result.accepted, sub.result.rejected) == (2, 1, 1)
    reject = sub.result.rejects.iloc[0]
    assert (reject["row"], reject["column"]) == (2, "id")
    assert reject["reason"] == ("id '1' is also given to «شهرک صنعتی عباس آباد» (tehran) in t.csv "
                                "row 2; ids must be unique across the files")
    assert batch.totals()["rows_read"] == batch.totals()["accepted"] + batch.totals()["rejected"]


def test_a_point_in_another_submissions_province_is_flagged(tmp_path):
    # Alborz's file places an estate (stated: Alborz) at a point in Tehran province.
    alborz = _csv(tmp_path, "alborz.csv", ALBORZ, ALBORZ.replace("اشتهارد", "هشتگرد"),
                  "شهرک صنعتی مرزی,البرز,1,51.6,35.55\n")
    tehran = _csv(tmp_path, "tehran.csv", TEHRAN, TEHRAN_2)
    batch = import_files([alborz, tehran])
    flags = batch.submissions[0].kept.set_index("name_fa")["flags"]
    assert flags["شهرک صنعتی مرزی"] == ("outside_stated_province;point_in_province:tehran;"
                                        "in_province_of:tehran.csv")
    assert flags.isna().sum() == 2


def test_expand_inputs_reads_folders_and_leaves_out_lock_files_and_outputs(tmp_path):
    folder = tmp_path / "in"
    b = _csv(folder, "b.csv", TEHRAN)
    a = _csv(folder / "sub", "a.csv", ALBORZ)
    _csv(folder, "~$b.xlsx", "")
    _csv(folder, "registry.rejects.csv", "")
    (folder / "registry.import.json").write_text("{}", encoding="utf-8")
    (folder / "notes.docx").write_text("x", encoding="utf-8")
    assert expand_inputs([folder, b]) == [b, a]  # sorted, each file once
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="the folder holds no file to import"):
        expand_inputs([tmp_path / "empty"])


def test_a_missing_file_stops_the_batch(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        import_files([_csv(tmp_path, "a.csv", TEHRAN), tmp_path / "missing.csv"])


def test_a_workbook_with_no_estate_table_is_refused(tmp_path):
    import openpyxl

    path = tmp_path / "notes.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["فقط توضیحات"])
    wb.save(path)
    with pytest.raises(InputError, match="no sheet with an estate table .* left out: notes.xlsx "
                       r"\[Sheet\]: no estate table \(or no rows\)"):
        import_files([path], sheet="all")
