"""Issue 15's scenario end to end: 31 generated provincial workbooks (one with two sheets and a
notes sheet, one in English with Latin-only names, one without a province column, one spelling
its province as English Wikipedia does, one listing an estate another file lists) imported into
``registry.gpkg``; Isfahan resends its file with known changes; ``registry diff`` shows exactly
those; the registry works with ``funding``/``build``; the history is kept.

The workbooks come from benchmarks/bench_store.py (synthetic test data, 5 estates a province).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from isipo_geo.cli import app

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_store.py"
PER_PROVINCE = 5
TOTAL = 31 * PER_PROVINCE


def _bench():
    spec = importlib.util.spec_from_file_location("_bench_store", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    from typer.testing import CliRunner

    bench = _bench()
    tmp = tmp_path_factory.mktemp("store")
    estates = bench.make_submissions(tmp / "submissions", TOTAL)
    runner = CliRunner()
    store = tmp / "registry.gpkg"
    first = runner.invoke(app, ["import", str(tmp / "submissions"), "--sheet", "all", "--into",
                                str(store), "--date", "1403-01-15", "--user", "HQ planning"])
    changes = bench.make_resend(tmp / "resend" / "10_isfahan.xlsx", estates)
    second = runner.invoke(app, ["import", str(tmp / "resend" / "10_isfahan.xlsx"), "--into",
                                 str(store), "--date", "1404-01-20"])
    return {"tmp": tmp, "store": store, "first": first, "second": second, "changes": changes,
            "estates": estates, "runner": runner, "bench": bench}


def test_every_row_is_accounted_for_and_the_duplicate_counted_once(scenario):
    first = scenario["first"]
    assert first.exit_code == 0, first.output
    rows_read = TOTAL + 1  # Alborz's file also lists one of Tehran's estates
    assert (f"rows read: {rows_read} = accepted {rows_read} + rejected 0; flagged: "
            f"{2 * PER_PROVINCE + 1}; merged duplicates (counted once): 1; estates: {TOTAL}"
            in first.output)
    flags = next(line for line in first.output.splitlines() if line.startswith("flags: "))
    assert flags == (
        "flags: duplicate_in 1 (همین شهرک در پرونده دیگری هم هست و یک بار شمرده شد), "
        f"no_persian_name {PER_PROVINCE} (نام فارسی ندارد و با نام لاتین نشان داده می‌شود), "
        f"province_from_location {PER_PROVINCE} (استان داده نشده بود و از روی موقعیت نقطه "
        "تعیین شد)")
    assert f"the province of {PER_PROVINCE} rows was taken from their point" in first.output
    assert "skipped: 23_tehran.xlsx [توضیحات]" in first.output  # the notes sheet
    assert ("duplicate: 30_alborz.xlsx [شهرک‌ها] row 7 is the same estate as 23_tehran.xlsx "
            "[شهرک‌های صنعتی] row 2 (kept once)") in first.output
    # the JSON report beside the store is the last import's: Isfahan's resend
    report = json.loads((scenario["tmp"] / "registry.import.json").read_text(encoding="utf-8"))
    assert report["totals"] == {
        "rows_read": PER_PROVINCE, "accepted": PER_PROVINCE, "rejected": 0, "flagged": 0,
        "merged": 0, "province_from_location": 0, "estates": PER_PROVINCE,
    }
    assert report["submissions"][0]["submission"] == 33
    assert report["submissions"][0]["covers"] == ["isfahan"]


def test_the_store_holds_32_submissions_then_the_resend(scenario):
    from isipo_geo.registry.backend import read_store

    store = read_store(scenario["store"])
    subs = store.submissions
    assert len(subs) == 33  # 31 files, Tehran's two sheets, then Isfahan's resend
    assert subs["file"].tolist()[23:25] == ["23_tehran.xlsx", "23_tehran.xlsx"]
    assert subs["sheet"].tolist()[23:25] == ["شهرک‌های صنعتی", "نواحی صنعتی"]
    assert subs["date"].iloc[0] == "2024-04-03" and subs["date"].iloc[-1] == "2025-04-09"
    assert subs["user"].iloc[0] == "HQ planning"
    assert subs["provinces"].iloc[-1] == "isfahan"
    assert subs["replaced"].iloc[-1] == str(PER_PROVINCE)
    assert len(subs["sha256"].iloc[0]) == 64
    kurdistan = json.loads(subs["report"].iloc[12])
    assert kurdistan["flags"] == {"no_persian_name": PER_PROVINCE}
    # the history keeps Isfahan's first submission, closed on the resend's date
    old = store.history[store.history["submission"] == "11"]
    assert len(old) == PER_PROVINCE
    assert set(old["replaced_by"]) == {"33"} and set(old["valid_to"]) == {"2025-04-09"}


def test_diff_shows_exactly_the_generated_changes(scenario):
    assert scenario["second"].exit_code == 0, scenario["second"].output
    result = scenario["runner"].invoke(app, ["registry", "diff", str(scenario["store"])])
    assert result.exit_code == 0, result.output
    name, old, new = scenario["changes"]["changed"]
    lines = result.output.splitlines()
    assert lines[0] == ("from submission 32 (1403-01-15) to 33 (1404-01-20): 1 added, 1 removed, "
                        "1 changed (1 fields)")
    assert lines[1].startswith(f"+ «{scenario['changes']['added']}» (isfahan, isfahan-")
    assert lines[2].startswith(f"- «{scenario['changes']['removed']}» (isfahan, isfahan-")
    assert lines[3].startswith(f"~ «{name}» (isfahan, isfahan-")
    assert lines[3].endswith(f"): water deficit {old:g} → {new:g} L/s")
    assert len(lines) == 4


def test_the_store_is_a_registry_everywhere(scenario, tmp_path):
    import isipo_geo

    estates = isipo_geo.load_estates(scenario["store"])
    assert len(estates) == TOTAL
    kurdish = estates[estates["province"] == "kurdistan"]
    assert (kurdish["name_fa"] == "").all() and kurdish["name_en"].str.contains("Kurdistan").all()
    assert set(estates.loc[estates["province"] == "qom", "flags"]) == {"province_from_location"}
    assert (estates["province"] == "chaharmahal_bakhtiari").sum() == PER_PROVINCE
    runner = scenario["runner"]
    result = runner.invoke(app, ["build", "--registry", str(scenario["store"]), "-o",
                                 str(tmp_path / "maps")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "maps" / "provinces" / "kurdistan.html").read_text(encoding="utf-8")
    assert "Kurdistan industrial estate 1" in page  # a Latin-only estate shown by its name
    funding = pd.read_csv(tmp_path / "maps" / "funding.csv", encoding="utf-8-sig")
    row = funding[(funding["scope"] == "province") & (funding["province"] == "isfahan")
                  & (funding["utility"] == "water")].iloc[0]
    isfahan = estates[estates["province"] == "isfahan"]
    assert row["deficit"] == pytest.approx(float(isfahan["water_deficit_lps"].sum()))
    assert row["basis"] == "registry"
    assert row["source"].startswith(f"sum of {PER_PROVINCE} estate rows")


def test_export_as_of_a_date_gives_the_registry_before_the_resend(scenario, tmp_path):
    runner = scenario["runner"]
    out = tmp_path / "registry_1403.csv"
    result = runner.invoke(app, ["registry", "export", str(scenario["store"]), str(out),
                                 "--as-of", "1403-12-29"])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}: {TOTAL} estates, the registry after submission 32" in result.output
    before = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert scenario["changes"]["removed"] in set(before["name_fa"])
    assert scenario["changes"]["added"] not in set(before["name_fa"])
    import isipo_geo

    assert len(isipo_geo.load_estates(out)) == TOTAL  # the export is a registry CSV


def test_log_and_show(scenario):
    runner = scenario["runner"]
    log = runner.invoke(app, ["registry", "log", str(scenario["store"])])
    assert log.exit_code == 0 and log.output.rstrip().endswith("33 submissions")
    show = runner.invoke(app, ["registry", "show", str(scenario["store"]), "11"])
    assert show.exit_code == 0, show.output
    assert "file: 10_isfahan.xlsx" in show.output
    assert f"estates it brought: {PER_PROVINCE} (0 still current)" in show.output
    missing = runner.invoke(app, ["registry", "show", str(scenario["store"]), "99"])
    assert missing.exit_code == 2
    assert missing.output.startswith("error: ") and "submissions 1 to 33, not 99" in missing.output
