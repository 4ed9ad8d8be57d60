"""Funding rows of real-size registries stay exactly the same: a regression guard.

The expected digests were written from the code before funding was made column-wise (and
before ``build`` and ``map`` read the registry once), on generated registries of 8,440 estates
(all provinces) and 600 estates (three provinces, laid over the shipped registry). The
registries are edited so that every path of a registry's figures is taken: years, Persian
digits, thousands separators, blanks around numbers, deficit cells that disagree with
demand − supplied, empty deficit cells, rows without figures, and a number of 20 significant
digits (which a float would not keep).

A digest covers every row, every column, each value's type and its exact text (``Decimal('15')``
and ``Decimal('15.0')`` differ), in order; the CSV and JSON digests cover the bytes written.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

from isipo_geo import finance
from isipo_geo.tables import write_records

FIGURES = (
    "water_supplied_lps",
    "water_demand_lps",
    "water_deficit_lps",
    "power_supplied_mw",
    "power_demand_mw",
    "power_deficit_mw",
)
_FA = str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫")


def edited_registry(path: Path, n: int, provinces: list[str] | None = None) -> Path:
    """A generated registry with cells edited to take every path of a registry's figures."""
    from synthetic_registry import make_registry_frame

    frame = make_registry_frame(n, provinces, seed=12)
    cells = {c: frame[c].tolist() for c in frame.columns}
    for i in range(n):
        if i % 7 == 0:
            cells["year"][i] = "1403"
        elif i % 11 == 0:
            cells["year"][i] = "1402"
        if i % 13 == 0 and cells["water_demand_lps"][i]:
            cells["water_demand_lps"][i] = cells["water_demand_lps"][i].translate(_FA)
        if i % 101 == 0:
            cells["power_demand_mw"][i] = "1,234.5"
        if i % 19 == 0 and cells["water_deficit_lps"][i]:
            cells["water_deficit_lps"][i] = f" {cells['water_deficit_lps'][i]} "
        if i % 23 == 0:
            cells["water_deficit_lps"][i] = "7.250"
        if i % 211 == 0:
            cells["power_deficit_mw"][i] = "1.2345678901234567891"
        if i % 29 == 0:
            cells["water_deficit_lps"][i] = ""
            cells["power_deficit_mw"][i] = "0.0"
        if i % 31 == 0:
            for c in FIGURES:
                cells[c][i] = ""
    import pandas as pd

    out = pd.DataFrame(cells, dtype=object)
    path.write_text(out.to_csv(index=False, lineterminator="\n"), encoding="utf-8-sig")
    return path


def rows_digest(rows: list[dict]) -> str:
    """sha256 of every row's keys (in their order), value types and exact values, in order."""
    h = hashlib.sha256()
    for r in rows:
        assert sorted(r) == sorted(finance.OUTPUT_COLUMNS)
        h.update(
            "\x1f".join(f"{k}={type(v).__name__}:{v}" for k, v in r.items()).encode() + b"\n"
        )
    return h.hexdigest()


def file_digest(rows: list[dict], path: Path) -> str:
    write_records(rows, path, columns=finance.OUTPUT_COLUMNS)
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    return edited_registry(tmp_path_factory.mktemp("golden") / "r8440.csv", 8440)


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("golden3")
    return edited_registry(folder / "r600.csv", 600, ["isfahan", "yazd", "tehran"])


# (rows, CSV, JSON) digests of the default funding rows of the 8,440-estate registry
BIG_ESSENTIAL = (
    "bb9b37fc7471afd098fd70414763c6cb89ef89368db9b4ae94a0b7bc03825a1e",
    "1eb41a4bebef848a9f62b4d004b1573f7a168af0019f4c9609cc11e375f722a5",
    "69fee35ee9264f77a16e70ae77f13e8c7f446169d3b1df2b986a131a82367873",
)
BIG_REGISTRY_RIAL = "b06ebdb5af82c1ae1bdc5fe5b1f520fe448ba50687e107a0cb648dd1f2cca26c"
BIG_WHOLE_AREA_ESCALATED = "a89ce115d48e522baf760f0d07b92e217171b07f212fa8ff53adaa75190ef6f0"
SMALL_OVERLAY = "e14017ec1414e279a711092bc4b17a73164ce4bd8c51bdaf068c8341bdb2e99a"
SMALL_ONLY = "4df4c42c352a14ab0fa87877f59c052148574d15b2736254be131c4c5281818f"


def test_8440_estates_essential_rows_csv_and_json(big, tmp_path) -> None:
    rows = finance.funding_rows(registry=str(big))
    assert len(rows) == 14864
    nation = {r["utility"]: r["need"] for r in rows if r["scope"] == "nation"}
    assert nation == {
        "water": Decimal("392251.875"),
        "power": Decimal("70067.9370358037037035901"),
        "total": Decimal("462319.8120358037037035901"),
    }
    twenty = next(r for r in rows if r["estate_id"] == "syn-001056" and r["utility"] == "power")
    assert (twenty["deficit"], twenty["need"]) == (
        Decimal("1.2345678901234567891"),
        Decimal("3.7037036703703703673"),
    )
    digests = (
        rows_digest(rows),
        file_digest(rows, tmp_path / "f.csv"),
        file_digest(rows, tmp_path / "f.json"),
    )
    assert digests == BIG_ESSENTIAL


def test_8440_estates_registry_scenario_in_million_rial(big) -> None:
    rows = finance.funding_rows(
        registry=str(big),
        scenario="registry",
        currency="rial",
        scale="million",
        registry_year="1401",
    )
    assert rows_digest(rows) == BIG_REGISTRY_RIAL


def test_8440_estates_whole_by_area_escalated(big) -> None:
    rows = finance.funding_rows(
        registry=str(big),
        scenario="whole",
        allocate_by="area",
        escalation_pct=Decimal("3.5"),
        escalation_years=2,
    )
    assert rows_digest(rows) == BIG_WHOLE_AREA_ESCALATED


def test_three_provinces_over_the_shipped_registry_and_alone(small) -> None:
    over = finance.funding_rows(registry=str(small), registry_year="1403")
    alone = finance.funding_rows(registry=str(small), registry_only=True)
    assert rows_digest(over) == SMALL_OVERLAY
    assert rows_digest(alone) == SMALL_ONLY
