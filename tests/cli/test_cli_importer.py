"""``isipo-geo import`` on the corpus of awkward and broken inputs (tests/bad_inputs/).

Each line of tests/bad_inputs/expected.csv gives a file, extra arguments, the exit code, a
fragment of the message and, for files that import, the accepted/rejected/flagged counts.
"""

from __future__ import annotations

import csv
import re
import shlex
from pathlib import Path

import pandas as pd
import pytest

from isipo_geo.cli import app

CORPUS = Path(__file__).resolve().parents[1] / "bad_inputs"
with open(CORPUS / "expected.csv", encoding="utf-8") as _f:
    CASES = list(csv.DictReader(_f))
SUMMARY = re.compile(r"rows read: (\d+) = accepted (\d+) \+ rejected (\d+); flagged: (\d+)")


def test_corpus_is_big_enough_and_complete():
    files = {c["file"] for c in CASES}
    assert len(files) >= 20
    on_disk = {p.name for p in CORPUS.iterdir()
               if p.suffix not in {".py", ".md", ".shx", ".dbf", ".cpg"}
               and p.name != "expected.csv"}
    assert on_disk == files


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c['file']}{' ' + c['args'] if c['args'] else ''}" for c in CASES]
)
def test_corpus_file(case, runner, tmp_path):
    registry = tmp_path / "out" / "registry.csv"
    rejects = tmp_path / "out" / "registry.rejects.csv"
    args = ["import", str(CORPUS / case["file"]), "--registry", str(registry),
            *shlex.split(case["args"])]
    result = runner.invoke(app, args)
    output = result.output
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert result.exit_code == int(case["exit_code"]), output
    assert case["message"] in output, output
    if result.exit_code != 0:
        assert output.startswith("error: ") and output.count("\n") == 2, output
        assert output.splitlines()[1].startswith("خطا: "), output  # then in Persian
        assert not (tmp_path / "out").exists()  # an unreadable input writes nothing
        return
    read, accepted, rejected, flagged = map(int, SUMMARY.search(output).groups())
    assert read == accepted + rejected
    assert (accepted, rejected, flagged) == (
        int(case["accepted"]), int(case["rejected"]), int(case["flagged"])
    )
    reg = pd.read_csv(registry, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    rej = pd.read_csv(rejects, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert (len(reg), len(rej)) == (accepted, rejected)
    assert int((reg["flags"] != "").sum()) == flagged
    # every row accounted for: each input row is in the registry or the rejects, once
    rows = [int(s.rsplit(" row ", 1)[1]) for s in reg["source"]] + rej["row"].astype(int).tolist()
    assert len(rows) == len(set(rows)) == read


def test_html_is_stored_as_plain_text(runner, tmp_path):
    registry = tmp_path / "r.csv"
    runner.invoke(app, ["import", str(CORPUS / "13_html_in_names.csv"), "--registry",
                        str(registry)])
    names = pd.read_csv(registry, encoding="utf-8-sig")["name_fa"].tolist()
    assert names == ["شهرک صنعتی اسکریپت", "شهرک صنعتی پررنگ", "شهرک صنعتی کج & شرکا"]


def test_mixed_digits_values(runner, tmp_path):
    registry = tmp_path / "r.csv"
    runner.invoke(app, ["import", str(CORPUS / "08_mixed_digits.csv"), "--registry",
                        str(registry)])
    reg = pd.read_csv(registry, encoding="utf-8-sig")
    assert reg["area_ha"].tolist() == [1234.5, 123.0, 2.5]
    assert reg["water_deficit_lps"].tolist() == pytest.approx([10.0, 1.0, 1234 / 86.4])
    assert reg["power_deficit_mw"].tolist() == pytest.approx([2.5, 1.0, 0.0005])


def test_merged_header_values(runner, tmp_path):
    registry = tmp_path / "r.csv"
    runner.invoke(app, ["import", str(CORPUS / "07_merged_header.xlsx"), "--registry",
                        str(registry)])
    reg = pd.read_csv(registry, encoding="utf-8-sig")
    assert reg["province"].tolist() == ["tehran", "fars", "razavi_khorasan"]
    assert reg["kind"].tolist() == ["industrial_estate", "industrial_estate", "industrial_zone"]
    assert reg["water_deficit_lps"].tolist()[::2] == [12.5, 4.5]
    assert reg["power_deficit_mw"].tolist()[:2] == [3.0, 1.5]


def test_default_registry_is_a_new_file_in_the_current_folder(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["import", str(CORPUS / "01_windows1256.csv")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "registry.csv").is_file()
    assert (tmp_path / "registry.rejects.csv").is_file()
    assert "registry written: registry.csv (3 estates)" in result.output


def test_rejects_option_and_progress_path(runner, tmp_path, monkeypatch):
    import isipo_geo.cli.importer as cmd

    monkeypatch.setattr(cmd, "PROGRESS_MIN_BYTES", 0)  # exercise the progress bar code
    result = runner.invoke(app, [
        "import", str(CORPUS / "22_unknown_province.csv"), "--registry",
        str(tmp_path / "r.csv"), "--rejects", str(tmp_path / "bad.csv"),
    ])
    assert result.exit_code == 0, result.output
    rej = pd.read_csv(tmp_path / "bad.csv", encoding="utf-8-sig")
    assert rej["row"].tolist() == [3, 4]
    assert "row 3, استان: unknown province 'تهرن'; did you mean: tehran" in result.output


def test_aliases_option(runner, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("estate_title,ostan_name\nشهرک صنعتی الف,تهران\n", encoding="utf-8")
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,field\nestate_title,name\nostan_name,province\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(src), "--registry", str(tmp_path / "r.csv")])
    assert result.exit_code == 2
    result = runner.invoke(app, ["import", str(src), "--registry", str(tmp_path / "r.csv"),
                                 "--aliases", str(aliases)])
    assert result.exit_code == 0, result.output
    assert "estate_title → name; ostan_name → province" in result.output


def test_refuses_to_overwrite_the_shipped_registry(runner):
    from isipo_geo import _paths

    shipped = _paths.data_dir() / "estates" / "estates.csv"
    result = runner.invoke(app, ["import", str(CORPUS / "01_windows1256.csv"),
                                 "--registry", str(shipped)])
    assert result.exit_code == 2
    assert "will not overwrite the registry shipped with isipo-geo" in result.output


def test_formulas_without_results_are_named_with_file_sheet_row_and_column(runner, tmp_path):
    from tests.registry.test_importer import _formula_workbook

    src = _formula_workbook(tmp_path / "script.xlsx", cached=False)
    result = runner.invoke(app, ["import", str(src), "--sheet", "all",
                                 "--registry", str(tmp_path / "r.csv")])
    assert result.exit_code == 0, result.output
    assert SUMMARY.search(result.output).groups() == ("4", "2", "2", "1")
    assert ("rejected: script.xlsx [estates] row 2, نام شهرک: the cell A2 "
            '(=CONCAT("شهرک صنعتی ","الف")) holds a formula with no saved result') in result.output
    assert "flags: formula_without_result 1" in result.output
