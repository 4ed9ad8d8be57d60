"""The shipped power-plant context layer: counts, credit, checked against the reference copy."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from isipo_geo.power_plants import CREDIT_EN, power_plants

REFERENCE = Path(__file__).resolve().parents[2] / "shared/reference/power_plants_wri"


def test_shipped_plants():
    plants = power_plants()
    assert len(plants) == 103
    assert all(25 <= p["lat"] <= 40 and 44 <= p["lon"] <= 64 for p in plants)
    assert all(p["province"] for p in plants)
    assert "CC BY 4.0" in CREDIT_EN and "World Resources Institute" in CREDIT_EN
    fars = power_plants("fars")
    assert fars and all(p["province"] == "fars" for p in fars)


def test_values_are_the_sources():
    if not (REFERENCE / "iran_power_plants.csv").is_file():
        pytest.skip(f"the reference copy {REFERENCE} is not on this machine")
    with open(REFERENCE / "iran_power_plants.csv", encoding="utf-8") as f:
        src = [r for r in csv.DictReader(f) if r["lat"].strip()]
    plants = power_plants()
    assert len(plants) == len(src)
    for p, r in zip(plants, src, strict=True):
        assert (p["wri_id"], p["name"]) == (r["wri_id"], r["name"])
        assert (p["lat"], p["lon"]) == (float(r["lat"]), float(r["lon"]))
        assert p["capacity_mw"] == float(r["capacity_mw"])
        assert p["fuel"].lower() == r["fuel"].lower()
