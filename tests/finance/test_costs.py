"""Unit costs from TOML."""

from __future__ import annotations

from decimal import Decimal

import pytest

from isipo_geo.errors import InputError
from isipo_geo.finance.costs import load_costs


def test_shipped_costs_are_the_reports() -> None:
    costs = load_costs()
    assert costs["water"].central == Decimal("2.5")
    assert costs["water"].deficit_unit == "lps"
    assert costs["power"].central == Decimal(3)
    assert costs["power"].low is None and costs["power"].high is None  # the report gives no range
    assert costs["water"].currency == "toman" and costs["water"].scale == "billion"
    assert costs["water"].base_year == 1400
    assert costs["water"].source.startswith("seed:L17")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("currency = 'toman'\nscale = 'billion'\n[water\n", "not valid TOML"),
        ("scale = 'billion'\n[water]\ndeficit_unit='lps'\nunit_cost='2'\n", "currency"),
        ("currency = 'dollar'\nscale = 'billion'\n", "unknown currency 'dollar'"),
        ("currency = 'toman'\nscale = 'billion'\n[water]\ndeficit_unit='lps'\n", "no unit_cost"),
        ("currency = 'toman'\nscale = 'billion'\n[water]\nunit_cost='2'\n", "no deficit_unit"),
        (
            "currency='toman'\nscale='billion'\n[water]\ndeficit_unit='lps'\nunit_cost='two'\n",
            "not a number",
        ),
        (
            "currency='toman'\nscale='billion'\n[water]\ndeficit_unit='lps'\nunit_cost='-2'\n",
            "negative",
        ),
        (
            "currency='toman'\nscale='billion'\n[water]\ndeficit_unit='gallons'\nunit_cost='2'\n",
            "deficit_unit 'gallons' is unknown",
        ),
        ("currency = 'toman'\nscale = 'billion'\n", "no utility tables"),
    ],
)
def test_bad_costs_files(tmp_path, text, message) -> None:
    path = tmp_path / "costs.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        load_costs(path)
    assert str(path) in str(info.value)


def test_missing_costs_file(tmp_path) -> None:
    with pytest.raises(InputError, match="costs file not found"):
        load_costs(tmp_path / "nope.toml")


def test_range(tmp_path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        "currency='rial'\nscale='million'\n[power]\ndeficit_unit='mw'\nunit_cost=30000\n"
        "unit_cost_low=25000\nunit_cost_high=35000\n",
        encoding="utf-8",
    )
    power = load_costs(path)["power"]
    assert (power.low, power.central, power.high) == (25000, 30000, 35000)
    assert power.value("high") == Decimal(35000)
