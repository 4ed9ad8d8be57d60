"""A registry's own figures: demand − supplied, disagreeing rows, basis and year, overlay."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from isipo_geo import finance
from isipo_geo.errors import InputError
from isipo_geo.registry.schema import REGISTRY_COLUMNS


def _row(**cells: str) -> dict[str, str]:
    base = dict.fromkeys(REGISTRY_COLUMNS, "") | {
        "id": "a",
        "name_fa": "شهرک صنعتی الف",
        "kind": "industrial_estate",
        "province": "isfahan",
    }
    return base | cells


def _one(rows, utility):
    return [d for d in finance.registry_deficits(rows, source="r.csv") if d.utility == utility]


def test_demand_minus_supplied_fills_an_empty_deficit_cell() -> None:
    (water,) = _one([_row(water_supplied_lps="15", water_demand_lps="30")], "water")
    assert water.deficit == Decimal(15)
    assert (water.basis, water.note) == ("registry", "demand − supplied")
    assert water.source == "r.csv: row 2, id a"
    assert water.name_fa == "شهرک صنعتی الف"
    (power,) = _one([_row(power_supplied_mw="2", power_demand_mw="10")], "power")
    assert power.deficit == Decimal(8) and power.note == "demand − supplied"


def test_supplied_covers_demand_gives_zero_and_says_so() -> None:
    (water,) = _one([_row(water_supplied_lps="40", water_demand_lps="30")], "water")
    assert water.deficit == Decimal(0)
    assert water.note == "supplied ≥ demand: no deficit"


def test_deficit_cell_wins_and_a_disagreement_is_flagged() -> None:
    row = _row(water_supplied_lps="10", water_demand_lps="30", water_deficit_lps="5")
    (water,) = _one([row], "water")
    assert water.deficit == Decimal(5)
    assert water.note.startswith("figures_disagree: deficit 5 but demand − supplied = 20")
    agree = _row(water_supplied_lps="10", water_demand_lps="30", water_deficit_lps="20")
    assert _one([agree], "water")[0].note == ""


def test_only_one_of_demand_and_supplied_gives_no_row() -> None:
    assert _one([_row(water_demand_lps="30")], "water") == []
    assert _one([_row(water_supplied_lps="30")], "water") == []


def test_bad_supplied_cell_names_row_and_column() -> None:
    with pytest.raises(InputError, match="supplied 'lots' is not a number") as err:
        finance.registry_deficits(
            [_row(water_supplied_lps="lots", water_demand_lps="3")], source="r.csv"
        )
    assert (err.value.row, err.value.column) == (2, "water_supplied_lps")


def test_year_from_the_row_else_the_file_else_unknown() -> None:
    rows = [_row(id="a", water_deficit_lps="1", year="۱۴۰۳"), _row(id="b", water_deficit_lps="2")]
    got = finance.registry_deficits(rows, source="r.csv")
    assert [d.year for d in got] == ["1403", ""]
    got = finance.registry_deficits(rows, source="r.csv", year="1402")
    assert [d.year for d in got] == ["1403", "1402"]
    with pytest.raises(InputError, match="not a Jalali year"):
        finance.registry_deficits([_row(water_deficit_lps="1", year="2024")], source="r.csv")


def _write(path, rows) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(REGISTRY_COLUMNS))
        w.writeheader()
        w.writerows(rows)


def test_funding_rows_from_a_registry_name_basis_year_and_source(tmp_path) -> None:
    reg = tmp_path / "isfahan_1403.csv"
    _write(
        reg,
        [
            _row(id="a", water_supplied_lps="15", water_demand_lps="30", year="1403"),
            _row(id="b", name_fa="شهرک ب", power_supplied_mw="1", power_demand_mw="9",
                 year="1403"),
        ],
    )
    rows = finance.funding_rows(registry=str(reg))
    est = {(r["estate_id"], r["utility"]): r for r in rows if r["scope"] == "estate"}
    water = est[("a", "water")]
    assert (water["deficit"], water["basis"], water["year"]) == (Decimal(15), "registry", "1403")
    assert water["estate_name_fa"] == "شهرک صنعتی الف"
    assert water["source"].startswith("isfahan_1403.csv: row 2, id a")
    assert str(tmp_path) not in water["source"]  # the file's name, not the user's folders
    assert water["note"] == "demand − supplied"
    prov = next(
        r for r in rows
        if r["scope"] == "province" and r["province"] == "isfahan" and r["utility"] == "water"
    )
    assert (prov["basis"], prov["year"]) == ("registry", "1403")
    other = next(
        r for r in rows
        if r["scope"] == "province" and r["province"] == "yazd" and r["utility"] == "water"
    )
    assert (other["basis"], other["year"]) == ("allocated:equal", "1400")
    # the other provinces share the national figure less what the registry places
    water_provs = [r for r in rows if r["scope"] == "province" and r["utility"] == "water"]
    others = [r["deficit"] for r in water_provs if r["province"] != "isfahan"]
    assert sum(others, Decimal(0)) == Decimal(2285)
    total = next(
        r for r in rows
        if r["scope"] == "province" and r["province"] == "isfahan" and r["utility"] == "total"
    )
    assert (total["basis"], total["year"]) == ("registry", "1403")
    assert finance.data_sources(rows) == [
        ("report", "", "1400"), ("registry", "isfahan_1403.csv", "1403")
    ]


def test_registry_without_year_is_unknown_never_1400(tmp_path) -> None:
    reg = tmp_path / "r.csv"
    _write(reg, [_row(water_deficit_lps="5")])
    rows = finance.funding_rows(registry=str(reg), scenario="registry")
    assert {r["year"] for r in rows} == {""}
    assert finance.data_sources(rows) == [("registry", "r.csv", "")]
    rows = finance.funding_rows(registry=str(reg), scenario="registry", registry_year="1403")
    assert {r["year"] for r in rows} == {"1403"}
