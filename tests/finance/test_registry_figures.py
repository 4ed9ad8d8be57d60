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


# --- a registry read in blocks of rows ----------------------------------------------------------


def _block_rows(n: int) -> list[dict[str, str]]:
    """``n`` rows taking the figure paths (cell, demand − supplied, disagreeing, none), years
    and two provinces, so that blocks of a few rows cut through every kind."""
    rows = []
    for i in range(n):
        cells = {"id": f"e{i}", "province": ("isfahan", "fars")[i % 2]}
        if i % 4 == 0:
            cells |= {"water_deficit_lps": str(i % 3), "year": "1403"}
        elif i % 4 == 1:
            cells |= {"water_supplied_lps": "5", "water_demand_lps": str(5 + i % 3)}
        elif i % 4 == 2:
            cells |= {"power_deficit_mw": "2", "power_supplied_mw": "1", "power_demand_mw": "9"}
        rows.append(_row(**cells))
    return rows


@pytest.mark.parametrize("block", [1, 3, 7, 64])
def test_a_registry_read_in_blocks_gives_what_one_reading_gives(monkeypatch, block) -> None:
    import pandas as pd

    from isipo_geo.finance import deficits

    rows = _block_rows(30)
    whole = finance.registry_deficits(rows, source="r.csv")
    assert len(whole) == 23 and whole[-1].source == "r.csv: row 31, id e29"
    monkeypatch.setattr(deficits, "_BLOCK_ROWS", block)
    assert finance.registry_deficits(rows, source="r.csv") == whole
    frame = pd.DataFrame(rows, dtype="string")
    assert finance.registry_deficits(frame, source="r.csv") == whole
    got = finance.registry_deficits(frame, source="r.csv", year="1401")
    assert [d.year for d in got] == [d.year or "1401" for d in whole]


def test_blocks_share_equal_figures_provinces_and_years(monkeypatch) -> None:
    """Equal figures are one Decimal, a province key one string and a year one string, however
    many blocks the rows come in (a registry of 84,400 estates keeps 151,700 deficits)."""
    from isipo_geo.finance import deficits

    monkeypatch.setattr(deficits, "_BLOCK_ROWS", 3)
    got = finance.registry_deficits(_block_rows(40), source="r.csv")
    twos = [d.deficit for d in got if d.deficit == 2]
    assert len(twos) > 3 and all(v is twos[0] for v in twos)
    fars = [d.province for d in got if d.province == "fars"]
    assert len(fars) > 3 and all(p is fars[0] for p in fars)
    years = [d.year for d in got if d.year == "1403"]
    assert len(years) > 3 and all(y is years[0] for y in years)


@pytest.mark.parametrize("block", [2, 5, 1000])
def test_the_first_bad_row_is_named_whichever_block_it_is_in(monkeypatch, block) -> None:
    from isipo_geo.finance import deficits

    monkeypatch.setattr(deficits, "_BLOCK_ROWS", block)
    rows = _block_rows(12)
    rows[7] = rows[7] | {"water_supplied_lps": "lots"}  # row 9: a bad figure
    rows[8] = rows[8] | {"province": "atlantis"}  # row 10: later, so not the one named
    with pytest.raises(InputError, match="supplied 'lots' is not a number") as err:
        finance.registry_deficits(rows, source="r.csv", province_keys=["isfahan", "fars"])
    assert (err.value.row, err.value.column) == (9, "water_supplied_lps")
    rows[4] = rows[4] | {"id": " "}  # row 6 (it has a figure): an empty id comes first
    with pytest.raises(InputError, match="empty id") as err:
        finance.registry_deficits(rows, source="r.csv", province_keys=["isfahan", "fars"])
    assert (err.value.row, err.value.column) == (6, "id")


@pytest.mark.parametrize("block", [2, 4096])
def test_filled_deficit_columns_finds_a_value_in_any_block(monkeypatch, block) -> None:
    import numpy as np
    import pandas as pd

    from isipo_geo.finance import deficits
    from isipo_geo.finance.registry_figures import filled_deficit_columns

    monkeypatch.setattr(deficits, "_BLOCK_ROWS", block)
    empty = ["", " ", None, pd.NA] * 3
    frame = pd.DataFrame({
        "id": [f"e{i}" for i in range(12)],
        "steam_deficit_tph": pd.array(empty[:11] + ["4"], dtype="string"),  # the last row only
        "gas_deficit_km": pd.array(empty, dtype="string"),  # blank: not filled
        "water_deficit_lps": [np.nan] * 6 + [2.5] + [np.nan] * 5,  # a number, row 8
        "power_deficit_mw": [np.nan] * 12,
    })
    assert filled_deficit_columns(frame) == ("steam_deficit_tph", "water_deficit_lps")
    records = frame.astype(object).to_dict(orient="records")
    assert filled_deficit_columns(records) == ("steam_deficit_tph", "water_deficit_lps")
