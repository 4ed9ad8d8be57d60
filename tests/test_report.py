"""Tests for isipo_geo.report, data/report/indicators.csv and `isipo-geo report`."""

from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from isipo_geo import report
from isipo_geo.cli import app
from isipo_geo.errors import InputError
from isipo_geo.names import normalize_fa, province_keys, resolve_province

REPO = Path(__file__).resolve().parents[1]
SOURCE = re.compile(r"^seed:L(\d+)(?:-L(\d+))?(?:;L\d+)*$")


@pytest.fixture(scope="module")
def ind() -> pd.DataFrame:
    return report.load_indicators()


def _nation(ind, name, kind=None, year=1400):
    rows = ind[(ind.indicator == name) & (ind.scope == "nation") & (ind.year == year)]
    if kind:
        rows = rows[rows.kind == kind]
    assert len(rows) == 1, (name, kind, year)
    return rows.iloc[0]


# --- shipped data (no seed needed) -----------------------------------------------------------


def test_columns_and_types(ind):
    assert list(ind.columns) == list(report.INDICATOR_COLUMNS)
    assert ind["value"].dtype == "float64"
    assert str(ind["year"].dtype) == "Int64"
    assert set(ind["scope"]) == set(report.SCOPES)
    assert set(ind.loc[ind.scope != "nation", "province"]) <= set(province_keys())
    assert (ind.loc[ind.scope == "nation", "province"] == "").all()
    assert ind["source"].str.match(SOURCE).all()
    assert (ind["label_fa"] != "").all() and (ind["label_en"] != "").all()
    key = ["indicator", "scope", "province", "estate_id", "year", "kind"]
    assert not ind.duplicated(key).any()


@pytest.mark.parametrize(
    ("name", "kind", "value", "unit"),
    [
        ("water_deficit_essential_lps", "deficit", 2300, "lps"),
        ("water_deficit_essential_cost_bn_toman", "need", 5750, "bn_toman"),
        ("water_deficit_whole_cost_bn_toman", "need", 34465, "bn_toman"),
        ("water_unit_cost_bn_toman_per_lps", "unit_cost", 2.5, "bn_toman_per_lps"),
        ("power_deficit_essential_mw", "deficit", 2372, "mw"),
        ("power_deficit_essential_cost_bn_toman", "need", 7116, "bn_toman"),
        ("power_deficit_whole_cost_bn_toman", "need", 25002, "bn_toman"),
        ("power_unit_cost_bn_toman_per_mw", "unit_cost", 3, "bn_toman_per_mw"),
        ("estates_operational_count", "count", 505, "estates"),
        ("zones_operational_count", "count", 335, "estates"),
        ("sez_operational_count", "count", 4, "estates"),
        ("total_operational_count", "count", 844, "estates"),
        ("water_supplied_estates_count", "count", 835, "estates"),
        ("water_supply_added_lps", "plan", 790, "lps"),
        ("water_supply_added_lps", "actual", 763, "lps"),
        ("water_reclaimed_lps", "plan", 265, "lps"),
        ("water_reclaimed_lps", "actual", 252, "lps"),
        ("power_supplied_estates_count", "count", 844, "estates"),
        ("power_supply_added_mw", "plan", 787, "mw"),
        ("power_supply_added_mw", "actual", 849, "mw"),
        ("power_renewable_added_kw", "plan", 358, "kw"),
        ("power_renewable_added_kw", "actual", 370, "kw"),
        ("power_need_met_pct", "share", 56, "pct"),
        ("gas_supplied_estates_count", "count", 685, "estates"),
        ("gas_pressure_reduction_stations_count", "count", 637, "stations"),
        ("gas_consumption_million_m3_per_h", "actual", 10, "million_m3_per_h"),
        ("gas_estates_connected_count", "plan", 35, "estates"),
        ("gas_estates_connected_count", "actual", 29, "estates"),
        ("telecom_fixed_phone_estates_count", "plan", 14, "estates"),
        ("telecom_fixed_phone_estates_count", "actual", 10, "estates"),
        ("telecom_fibre_estates_count", "plan", 27, "estates"),
        ("telecom_fibre_estates_count", "actual", 21, "estates"),
        ("wwtp_estates_count", "count", 195, "estates"),
        ("wwtp_modules_count", "count", 241, "modules"),
        ("infrastructure_cost_total_bn_rial", "cost", 21795, "bn_rial"),
        ("reactivation_total_actual", "actual", 2067, "units"),
        ("developed_estate_area_ha", "area", 3051, "ha"),
    ],
)
def test_national_figures(ind, name, kind, value, unit):
    row = _nation(ind, name, kind)
    assert (row.value, row.unit) == (value, unit)


def test_unit_costs_reproduce_the_costs(ind):
    for utility, unit in (("water", "lps"), ("power", "mw")):
        deficit = _nation(ind, f"{utility}_deficit_essential_{unit}").value
        unit_cost = _nation(ind, f"{utility}_unit_cost_bn_toman_per_{unit}").value
        cost = _nation(ind, f"{utility}_deficit_essential_cost_bn_toman").value
        assert deficit * unit_cost == cost
    assert "about 3" in _nation(ind, "power_unit_cost_bn_toman_per_mw").note


def test_counts_add_up(ind):
    parts = sum(
        _nation(ind, n).value
        for n in ("estates_operational_count", "zones_operational_count", "sez_operational_count")
    )
    assert parts == _nation(ind, "total_operational_count").value == 844


def test_cost_items_and_shares(ind):
    items = ("roads", "power", "water", "wastewater", "gas", "telecom", "other")
    costs = [_nation(ind, f"infrastructure_cost_{i}_bn_rial").value for i in items]
    shares = [_nation(ind, f"infrastructure_cost_{i}_share_pct").value for i in items]
    assert sum(shares) == 100
    assert sum(costs) == 21796  # the report prints 21,795: kept, and flagged
    assert "21,796" in _nation(ind, "infrastructure_cost_total_bn_rial").conflict


@pytest.mark.parametrize(
    ("column", "plan", "actual"),
    [("inside", 1600, 1611), ("outside", 400, 456), ("total", 2000, 2067)],
)
def test_reactivation_provinces_sum_to_printed_totals(ind, column, plan, actual):
    for kind, total in (("plan", plan), ("actual", actual)):
        name = f"reactivation_{column}_{kind}"
        prov = ind[(ind.indicator == name) & (ind.scope == "province")]
        assert len(prov) == 31 and set(prov.province) == set(province_keys())
        assert prov.value.sum() == total == _nation(ind, name).value


def test_reactivation_percentages(ind):
    prov = ind[ind.scope == "province"].pivot_table(
        index="province", columns="indicator", values="value", aggfunc="first"
    )
    pct = (100 * prov.reactivation_total_actual / prov.reactivation_total_plan + 0.5) // 1
    assert (pct == prov.reactivation_achieved_pct).all()
    assert prov.loc["hormozgan", "reactivation_achieved_pct"] == 211
    assert _nation(ind, "reactivation_achieved_pct").value == 103


def test_developed_estates_and_the_3051_ha_conflict(ind):
    rows = ind[(ind.indicator == "developed_estate_area_ha") & (ind.scope != "nation")]
    assert len(rows) == 11
    assert round(rows.value.sum(), 1) == 2873.2
    ids = [i for cell in rows.estate_id for i in cell.split(";")]
    assert len(ids) == 17 == _nation(ind, "developed_estates_count").value
    registry = pd.read_csv(REPO / "data/estates/estates.csv", encoding="utf-8-sig", dtype=str)
    assert set(ids) <= set(registry["id"])
    total = _nation(ind, "developed_estate_area_ha")
    assert total.value == 3051
    assert "2,873.2" in total.conflict and "177.8" in total.conflict
    single = rows[rows.scope == "estate"].set_index("estate_id")
    assert single.loc["ie-hamadan-bu_ali_3", "value"] == 430


def test_sez_count_conflict_keeps_both_statements(ind):
    counted = _nation(ind, "sez_operational_count")
    listed = _nation(ind, "sez_listed_operational_count")
    assert (counted.value, listed.value) == (4, 5)
    assert counted.conflict and listed.conflict
    names = set(report.conflicts()["indicator"])
    assert {
        "sez_operational_count",
        "sez_listed_operational_count",
        "developed_estate_area_ha",
        "power_supply_added_achieved_pct",
        "industrial_land_added_achieved_pct",
        "infrastructure_cost_total_bn_rial",
    } == names


def test_indicator_value():
    assert report.indicator_value("power_deficit_essential_mw") == 2372
    assert (
        report.indicator_value("reactivation_total_plan", scope="province", province="tehran")
        == 205
    )
    assert report.indicator_value("water_supply_added_lps", kind="actual", year=1399) == 469
    with pytest.raises(InputError, match="no indicator 'nope'"):
        report.indicator_value("nope")
    with pytest.raises(InputError, match=r"2 figure\(s\).*nation/actual/1400, nation/plan/1400"):
        report.indicator_value("power_supply_added_mw")


def test_headline():
    head = report.headline()
    assert len(head) == len(report.HEADLINE)
    assert head.iloc[0].indicator == "total_operational_count" and head.iloc[0].value == 844
    assert (head.label_fa != "").all() and (head.label_en != "").all()


def test_coverage_of_the_shipped_registry():
    cov = report.coverage().set_index("kind")
    assert cov.loc["all_counted", "reported"] == 844
    # ISIPO's estates, zones, specialised estates and SEZs the report and public sources name
    assert cov.loc["all_counted", "in_registry"] == 448 + 145 + 10 + 74 == 677
    assert cov.loc["industrial_zone", "in_registry"] == 145
    assert cov.loc["special_economic_zone", "in_registry"] == 56
    assert cov.loc["special_economic_zone", "in_registry_isipo"] == 10  # others: other bodies
    assert cov.loc["technology_estate", "reported"] == 6
    assert cov.loc["free_zone", "in_registry_isipo"] == 0  # never counted among the 844
    assert cov.loc["all_counted", "in_registry_operational"] == 389
    assert cov.loc["all_counted", "share_of_reported_pct"] == 46.1
    assert cov.loc[
        "all_counted", ["located_town", "located_county", "located_province"]
    ].tolist() == [389, 187, 101]
    summary = report.registry_summary()
    assert "677" in summary and "844" in summary and "104 more rows are not" in summary


def test_coverage_of_a_user_registry(tmp_path):
    path = tmp_path / "reg.csv"
    path.write_text(
        "id,name_fa,kind,province,status\n"
        "a,الف,industrial_estate,tehran,operational\n"
        "b,ب,industrial_zone,tehran,\n"
        "c,ج,industrial_zone,fars,operational\n",
        encoding="utf-8",
    )
    cov = report.coverage(path).set_index("kind")
    assert cov.loc["industrial_zone", "in_registry"] == 2
    assert cov.loc["all_counted", "in_registry_operational"] == 2
    assert cov.loc["industrial_estate", "located_town"] == 0
    by_province = report.coverage(path, by="province").set_index("province")
    assert by_province.loc["tehran", "in_registry"] == 2
    assert by_province.loc["tehran", "report_reactivated_units_1400"] == 273
    assert pd.isna(by_province.loc["tehran", "reported_estates"])  # the report has none
    with pytest.raises(ValueError, match="by must be"):
        report.coverage(path, by="county")


def test_coverage_by_province_of_the_shipped_registry():
    cov = report.coverage(by="province").set_index("province")
    assert len(cov) == 31
    assert cov.loc["east_azerbaijan", "report_developed_estates_1400"] == 2
    assert cov["report_developed_estates_1400"].sum() == 17
    assert (cov["counted"] >= 3).all()
    maz = cov.loc["mazandaran"]
    assert (maz["counted"], maz["sourced_count"], maz["sourced_count_year"]) == (27, 38, 1392)
    assert maz["sourced_count_of"] == "estates and zones" and maz["named_share_pct"] == 71
    assert maz["sourced_count_source"].startswith("http")
    # only a count of estates: no share (it would compare estates and zones with estates)
    assert cov.loc["tehran", "sourced_count_of"] == "estates"
    assert pd.isna(cov.loc["tehran", "named_share_pct"])
    assert pd.isna(cov.loc["alborz", "sourced_count"])  # no source gives Alborz's count
    best = report.best_province_count("razavi_khorasan")
    assert (best["value"], best["year"], best["status"]) == (54, 1404, "approved")


def test_province_counts_are_sourced_and_dated():
    counts = report.province_counts()
    assert set(counts["indicator"]) == {"estates_and_zones_count", "estates_count", "zones_count"}
    assert counts["source_url"].str.startswith("http").all()
    assert counts["year"].dropna().between(1380, 1405).all()


# --- the shipped figures against the seed ----------------------------------------------------


def _numbers_on(line: str) -> set[float]:
    """Numbers as the line prints them: Persian digits, '٬' ',' or '،' thousands separators."""
    text = normalize_fa(line.replace("\u060c", ","))
    text = re.sub(r"(?<=\d)[,\u066c](?=\d{3}\b)", "", text)
    return {float(m) for m in re.findall(r"\d+(?:\.\d+)?", text)}


@pytest.mark.seed
def test_every_figure_is_on_its_source_line(seed_lines, ind):
    for row in ind.itertuples():
        m = SOURCE.match(row.source)
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if m.group(2):  # a table range: the figure is counted or summed from it
            assert row.note.startswith("counted"), row.indicator
            continue
        line = seed_lines[first - 1]
        if row.indicator == "power_unit_cost_bn_toman_per_mw":
            assert "سه" in line  # "حدود سه ميليارد تومان": three, written as a word
            continue
        assert row.value in _numbers_on(line), (row.indicator, row.source, line)
        assert last == first


@pytest.mark.seed
def test_reactivation_table_read_directly_from_the_seed(seed_lines):
    rows = [
        [c.strip() for c in line.split("\uf020") if c.strip()]
        for line in seed_lines[1561:1623]
        if "\uf020" in line
    ]
    assert len(rows) == 31
    sums = [sum(int(r[i]) for r in rows) for i in range(6)]
    assert sums == [1600, 1611, 400, 456, 2000, 2067]
    totals = [c.strip() for c in seed_lines[1623].split("\uf020") if c.strip()]
    assert totals[:5] == ["1600", "1611", "400", "456", "2000"]
    assert seed_lines[1624].replace("\uf020", " ").split() == ["2067", "%103"]


@pytest.mark.seed
def test_every_reactivation_province_name_resolves(seed_lines, ind):
    by_line = ind[ind.indicator == "reactivation_total_plan"].set_index("source")
    for n in range(1562, 1624, 2):
        name = [c for c in seed_lines[n - 1].split("\uf020") if c.strip()][-1]
        assert resolve_province(name) == by_line.loc[f"seed:L{n}", "province"], name


@pytest.mark.seed
def test_developed_table_read_directly_from_the_seed(seed_lines):
    areas = [float(seed_lines[n - 1].split()[0]) for n in range(1730, 1751, 2)]
    assert len(areas) == 11 and round(sum(areas), 1) == 2873.2
    assert seed_lines[1751].split()[:2] == ["3051", "17"]


@pytest.mark.seed
def test_rebuilding_from_the_seed_gives_the_same_bytes(seed_lines):
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        build = importlib.import_module("build_report_data")
        text = build.to_csv(build.build(seed_lines))
    finally:
        sys.path.remove(str(REPO / "scripts"))
    assert text == (REPO / "data/report/indicators.csv").read_text(encoding="utf-8-sig")


# --- the command -------------------------------------------------------------------------------


def test_cli_report_table(runner):
    result = runner.invoke(app, ["report"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert "844" in out and "2,300" in out and "5,750" in out
    assert "کسری آب ضروری" in out and "Essential mid-term water deficit" in out
    assert "the 1400 report counts 844 in operation" in out
    assert "lists 5 zones as in operation" in out  # the SEZ conflict is shown
    # per province: named estates against the count public sources give, with its year
    assert "coverage by province" in out
    line = next(x for x in out.splitlines() if "Mazandaran" in x)
    assert "27" in line and "38 E+Z (operational, 1392)" in line and "71" in line
    assert "data/estates/province_counts.csv" in out


def test_cli_report_json(runner):
    result = runner.invoke(app, ["report", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == len(report.load_indicators())
    assert list(rows[0]) == list(report.INDICATOR_COLUMNS)
    water = next(r for r in rows if r["indicator"] == "water_unit_cost_bn_toman_per_lps")
    assert (water["value"], water["year"], water["province"]) == (2.5, 1400, None)
    assert next(r for r in rows if r["indicator"] == "total_operational_count")["value"] == 844


def test_cli_report_with_a_registry(runner, tmp_path):
    path = tmp_path / "reg.csv"
    path.write_text(
        "id,name_fa,kind,province,status\na,الف,industrial_zone,qom,operational\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["report", "--registry", str(path)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "The registry holds 1 of ISIPO's estates, zones and SEZs" in result.output
    qom = next(x for x in result.output.splitlines() if " Qom " in x)
    assert "7 E (not stated, 1404)" in qom  # the sourced count stays


def test_cli_report_bad_registry_is_one_line(runner, tmp_path):
    result = runner.invoke(app, ["report", "--registry", str(tmp_path / "missing.csv")])
    assert result.exit_code == 2
    assert "registry file not found" in result.output
    assert "Traceback" not in result.output


def test_cli_report_table_sections_in_order(runner):
    """The command's print steps: headline, coverage by kind (with each kind's note), the
    registry's summary, coverage by province, then the report's contradictions."""
    result = runner.invoke(app, ["report"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    out = result.output
    marks = [
        "1400 report — headline figures",
        "registry coverage",
        "  free zones: not ISIPO's: never among the 844",
        "coverage by province",
        "where the report contradicts itself",
    ]
    places = [out.find(m) for m in marks]
    assert -1 not in places, [m for m, at in zip(marks, places, strict=True) if at == -1]
    assert places == sorted(places)
