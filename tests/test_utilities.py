"""The utilities table (data/utilities/utilities.csv) and its warnings."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from isipo_geo import _paths
from isipo_geo.errors import InputError
from isipo_geo.utilities import BY_KEY, UTILITIES, UTILITY_KEYS, deficit_column_warnings


def _indicators() -> dict[str, dict[str, str]]:
    with open(_paths.data_file("report", "indicators.csv"), encoding="utf-8-sig") as f:
        return {
            r["indicator"]: r
            for r in csv.DictReader(f)
            if r["scope"] == "nation" and r["year"] == "1400"
        }


def test_the_table_lists_water_power_gas_telecom_and_wastewater() -> None:
    assert UTILITY_KEYS == ("water", "power", "gas", "telecom", "wastewater")
    assert [u.unit for u in UTILITIES] == ["lps", "mw", "km", "km", "lps"]
    assert BY_KEY["gas"].column("deficit") == "gas_deficit_km"
    assert BY_KEY["wastewater"].has_column == "has_wwtp"
    assert [u.key for u in UTILITIES if u.reported] == ["water", "power"]


def test_every_unit_is_its_kinds_base_unit() -> None:
    """The import converts a header's unit to the registry's: only a base unit (factor 1) is
    what every figure of its kind is converted to."""
    from isipo_geo.registry._values import UNITS

    assert {u.key: UNITS[u.unit].factor for u in UTILITIES} == dict.fromkeys(UTILITY_KEYS, 1.0)


def test_the_report_figures_it_names_exist_with_their_lines() -> None:
    indicators = _indicators()
    named = [getattr(u, f) for u in UTILITIES for f in
             ("essential_deficit", "whole_cost", "report_unit_cost", "supplied_count")]
    missing = [n for n in named if n and n not in indicators]
    assert missing == []
    gas = indicators[BY_KEY["gas"].supplied_count]
    assert gas["value"] == "685" and gas["source"].startswith("seed:L429")
    assert indicators[BY_KEY["water"].essential_deficit]["value"] == "2300"


def test_the_shipped_unit_costs_are_the_reports() -> None:
    """unit_costs.toml repeats the report's unit costs for users to copy: they agree, and it
    has no table for a utility the report gives no cost for."""
    from isipo_geo.finance.costs import load_costs

    indicators = _indicators()
    costs = load_costs()
    for u in UTILITIES:
        if u.report_unit_cost:
            assert costs[u.key].central == Decimal(indicators[u.report_unit_cost]["value"])
            assert costs[u.key].deficit_unit == u.unit
        else:
            assert u.key not in costs


def test_a_costs_file_in_another_unit_than_the_registrys_is_refused() -> None:
    from isipo_geo.finance.costs import parse_costs

    doc = {"currency": "toman", "scale": "billion",
           "gas": {"deficit_unit": "mw", "unit_cost": "1"}}
    with pytest.raises(InputError, match=r'\[gas\] deficit_unit .mw.*write deficit_unit = "km"'):
        parse_costs(doc, path="c.toml")
    doc["gas"]["deficit_unit"] = "km"
    assert parse_costs(doc)["gas"].label_fa == "گاز"  # the table's name when the file has none


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("steam_deficit_tph", "a deficit of 'steam', a utility isipo-geo does not list"),
        ("gas_deficit_km", "gas has no unit cost (no cost basis in the report)"),
        ("gas_deficit_m", "gas deficits are stored in km (gas_deficit_km)"),
    ],
)
def test_deficit_columns_that_would_go_uncosted_are_named(column, expected) -> None:
    (warning,) = deficit_column_warnings([column], lambda _: True, costed=["water"],
                                         source="reg.csv")
    assert warning.startswith(f"reg.csv: column {column!r}")
    assert expected in warning


def test_costed_listed_or_empty_columns_are_not_named() -> None:
    columns = ["water_deficit_lps", "steam_deficit_tph", "name_fa"]
    assert deficit_column_warnings(columns, lambda c: c != "steam_deficit_tph",
                                   costed=["water"]) == []
    # without costs known, a listed utility is not named for its cost
    assert deficit_column_warnings(["gas_deficit_km"], lambda _: True) == []


def test_the_registrys_own_basis_columns_are_not_deficits() -> None:
    # `isipo-geo import` writes water_deficit_basis ("derived" where it computed the deficit):
    # funding read a registry it wrote and warned that its basis columns were deficits in the
    # wrong unit
    basis = [u.basis_column for u in UTILITIES]
    assert basis[:2] == ["water_deficit_basis", "power_deficit_basis"]
    assert deficit_column_warnings(basis, lambda _: True, costed=UTILITY_KEYS) == []
