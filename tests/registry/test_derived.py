"""Exports carry the deficit a row implies (issue 21 item 6): where a row gives only supplied and
demand, the registry CSV ``import`` writes and the store's CSV and GeoPackage exports hold
demand − supplied, computed by the one function funding uses, marked ``derived``."""

from __future__ import annotations

import csv
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from isipo_geo.cli import app

HEADER = ["نام شهرک", "نوع", "استان", "آب تامین شده (لیتر بر ثانیه)", "نیاز آب (لیتر بر ثانیه)",
          "کمبود آب (لیتر بر ثانیه)", "برق تامین شده (مگاوات)", "نیاز برق (مگاوات)"]
ROWS = [
    ["شهرک الف", "شهرک صنعتی", "تهران", "20", "50", "", "1.25", "4.5"],  # both derived
    ["شهرک ب", "شهرک صنعتی", "تهران", "20", "50", "35", "", ""],  # stated (and disagrees)
    ["شهرک پ", "شهرک صنعتی", "تهران", "60", "50", "", "5", "4"],  # supply covers: 0
    ["شهرک ت", "شهرک صنعتی", "تهران", "", "50", "", "", ""],  # unknown
]
# (water deficit, basis, power deficit, basis) per row, as the exports must hold them
EXPECTED = {"شهرک الف": ("30", "derived", "3.25", "derived"), "شهرک ب": ("35", "stated", "", ""),
            "شهرک پ": ("0", "derived", "0", "derived"), "شهرک ت": ("", "", "", "")}


def _list(tmp_path: Path) -> Path:
    src = tmp_path / "list.csv"
    with open(src, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([HEADER, *ROWS])
    return src


def _exported(path: Path) -> dict[str, tuple[str, str, str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return {r["name_fa"]: (r["water_deficit_lps"], r["water_deficit_basis"],
                               r["power_deficit_mw"], r["power_deficit_basis"])
                for r in csv.DictReader(f)}


def test_derived_deficit_is_demand_minus_supplied_and_never_negative() -> None:
    from isipo_geo.registry.derived import derived_deficit

    assert derived_deficit(Decimal("20"), Decimal("50")) == Decimal(30)
    assert str(derived_deficit(Decimal("1.25"), Decimal("4.50"))) == "3.25"
    assert derived_deficit(Decimal("60"), Decimal("50")) == 0


def test_the_registry_csv_import_writes_carries_the_derived_deficit(runner, tmp_path) -> None:
    registry = tmp_path / "registry.csv"
    result = runner.invoke(app, ["import", str(_list(tmp_path)), "--registry", str(registry)])
    assert result.exit_code == 0, result.output
    assert _exported(registry) == EXPECTED


def test_funding_reads_the_exported_registry_as_it_read_the_figures(runner, tmp_path) -> None:
    """The same deficits and notes as from supplied and demand alone: funding's own function."""
    from isipo_geo.finance.deficits import registry_deficits
    from isipo_geo.registry.estates import read_registry

    registry = tmp_path / "registry.csv"
    assert runner.invoke(app, ["import", str(_list(tmp_path)), "--registry", str(registry)]
                         ).exit_code == 0
    found = sorted((d.name_fa, d.utility, str(d.deficit), d.note)
                   for d in registry_deficits(read_registry(registry)))
    assert found == [
        ("شهرک الف", "power", "3.25", "demand − supplied"),
        ("شهرک الف", "water", "30", "demand − supplied"),
        ("شهرک ب", "water", "35",
         "figures_disagree: deficit 35 but demand − supplied = 30; the deficit cell is used"),
        ("شهرک پ", "power", "0", "supplied ≥ demand: no deficit"),
        ("شهرک پ", "water", "0", "supplied ≥ demand: no deficit"),
    ]


@pytest.fixture
def store(runner, tmp_path) -> Path:
    path = tmp_path / "registry.gpkg"
    result = runner.invoke(app, ["import", str(_list(tmp_path)), "--into", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_the_store_csv_export_carries_the_derived_deficit(runner, store, tmp_path) -> None:
    out = tmp_path / "export.csv"
    result = runner.invoke(app, ["registry", "export", str(store), str(out)])
    assert result.exit_code == 0, result.output
    assert _exported(out) == EXPECTED


def test_the_store_geopackage_export_carries_it_as_gdal_reads_it(runner, store, tmp_path) -> None:
    out = tmp_path / "export.gpkg"
    result = runner.invoke(app, ["registry", "export", str(store), str(out)])
    assert result.exit_code == 0, result.output
    sql = ("SELECT name_fa, water_deficit_lps, water_deficit_basis, power_deficit_mw, "
           "power_deficit_basis FROM estates")
    text = subprocess.run(["ogrinfo", "-ro", "-q", str(out), "-sql", sql], check=True,
                          capture_output=True, text=True).stdout
    features = text.split("OGRFeature")[1:]
    assert len(features) == 4

    def field(block: str, name: str) -> str:
        for line in block.splitlines():
            if line.strip().startswith(f"{name} ("):
                return line.split("=", 1)[1].strip()
        return ""

    def number(text: str) -> str:  # GDAL writes reals as 30 or 3.25
        return "" if text == "(null)" else format(Decimal(text).normalize(), "f")

    got = {field(b, "name_fa"): (number(field(b, "water_deficit_lps")),
                                 field(b, "water_deficit_basis").replace("(null)", ""),
                                 number(field(b, "power_deficit_mw")),
                                 field(b, "power_deficit_basis").replace("(null)", ""))
           for b in features}
    assert got == EXPECTED
