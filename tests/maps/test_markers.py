"""Tests of isipo_geo.maps.markers: the popups' utility order and the ring's deficit.

Funding tables and estates are synthetic (built here or by ``tests/synthetic_registry.py``).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from test_maps import _row, synthetic_estates, synthetic_funding

from isipo_geo.errors import InputError
from isipo_geo.maps import leaflet as maps
from isipo_geo.maps.markers import select


@pytest.fixture(scope="module")
def provinces():
    from isipo_geo.provinces import load_provinces

    return load_provinces()


def _lines(data: maps.MapData, ident: str) -> tuple[list[str], list[str]]:
    m = data.estates
    i = m.ids.index(ident)
    return [m.lines[g] for g in m.lines_fa[i]], [m.lines[g] for g in m.lines_en[i]]


def test_popup_needs_follow_the_utility_order(provinces) -> None:
    from isipo_geo.labels import UTILITY_ORDER

    assert UTILITY_ORDER == ("water", "power", "gas", "telecom", "wastewater")
    estate_rows = [
        _row("estate", "tehran", u, None, "", Decimal(n + 1), "registry", estate_id="e1")
        for n, u in enumerate(["biogas", "gas", "power", "telecom", "total", "wastewater", "water"])
    ]
    keys = list(provinces.index)
    funding = pd.concat([synthetic_funding(keys), pd.DataFrame(estate_rows)], ignore_index=True)
    data = maps.map_data(provinces, funding, synthetic_estates(), digits="latin")
    _, lines_en = _lines(data, "e1")
    needs = [line.split(" need:")[0] for line in lines_en if " need:" in line]
    assert needs == ["water", "power", "gas", "telecom", "wastewater treatment", "biogas"]
    lines_fa, _ = _lines(data, "e1")
    needs_fa = [line.split(":")[0] for line in lines_fa if line.startswith("نیاز ")]
    words = ["آب", "برق", "گاز", "مخابرات", "تصفیه فاضلاب", "biogas"]
    assert needs_fa == [f"نیاز {w}" for w in words]


def test_ring_and_popup_read_the_funding_rows_deficit(provinces) -> None:
    """e3 has no deficit cell and no flags; its funding row says water deficit 7.5 L/s (as
    finance derives it from demand − supplied): the ring and the popup say so."""
    keys = list(provinces.index)
    plain = maps.map_data(provinces, synthetic_funding(keys), synthetic_estates(), digits="latin")
    i = plain.estates.ids.index("e3")
    assert plain.estates.status[i] != "deficit"
    rows = [
        _row("estate", "isfahan", "water", Decimal("7.5"), "lps", Decimal(19), "registry",
             estate_id="e3"),
        # e1's cell is empty too, and its row says the supply covers the demand: no ring
        _row("estate", "tehran", "water", Decimal(0), "lps", Decimal(0), "registry",
             estate_id="e1"),
    ]
    funding = pd.concat([synthetic_funding(keys), pd.DataFrame(rows)], ignore_index=True)
    data = maps.map_data(provinces, funding, synthetic_estates(), digits="latin")
    m = data.estates
    assert m.status[m.ids.index("e3")] == "deficit"
    assert m.status[m.ids.index("e1")] == "supplied"  # has water and power, no gap
    _, lines_en = _lines(data, "e3")
    assert "water deficit: 7.5 L/s" in lines_en
    assert "water deficit: 0 L/s" in _lines(data, "e1")[1]
    # e2's cell (12.5 L/s) stays when the funding has no row for it
    assert "water deficit: 12.5 L/s" in _lines(data, "e2")[1]


def test_registry_demand_minus_supplied_rings_the_estate(tmp_path) -> None:
    """A registry row with demand and supplied but an empty deficit cell: finance's deficit
    (demand − supplied) reaches the map's ring and popup through `isipo-geo map`'s loading."""
    from synthetic_registry import make_registry_frame

    from isipo_geo.cli._options import Scenario, WhatData
    from isipo_geo.cli.map import Digits, load_map_data

    frame = make_registry_frame(40, ["qom"])
    water = ["water_supplied_lps", "water_demand_lps", "water_deficit_lps"]
    frame.loc[0, water] = ["20", "32.5", ""]
    frame.loc[0, ["power_supplied_mw", "power_demand_mw", "power_deficit_mw"]] = ["", "", ""]
    frame.loc[0, ["has_water", "has_power", "location_precision"]] = ["true", "true", "estate"]
    path = tmp_path / "r.csv"
    path.write_text(frame.to_csv(index=False, lineterminator="\n"), encoding="utf-8-sig")
    what = WhatData(Scenario.registry, registry=path, registry_only=True)
    data = load_map_data(what, Digits.latin)
    ident = frame.loc[0, "id"]
    m = data.estates
    assert m.status[m.ids.index(ident)] == "deficit"
    assert "water deficit: 12.5 L/s" in _lines(data, ident)[1]
    assert ident in [m.ids[i] for i in select(m, "qom")]


def test_escape_all_is_escape_of_each_value() -> None:
    from isipo_geo.maps.html import escape, escape_all

    values = ["<b>", "", "a\x00b", "{x} & 'y'", *[f"n{i}" for i in range(9000)]]
    assert escape_all(values) == [escape(v) for v in values]
    assert escape_all([]) == []


def test_page_parts_join_to_the_rendered_page(provinces) -> None:
    """The atlas writes pages part by part; their join is the page ``render`` makes."""
    from isipo_geo.maps import html as _html

    keys = list(provinces.index)
    data = maps.map_data(provinces, synthetic_funding(keys), synthetic_estates(60), digits="fa")
    for key in (None, "tehran", "fars"):
        m = maps.national_map(data) if key is None else maps.province_map(data, key)
        assert "".join(maps.page_parts(data, key)) == _html.render(m)
    with pytest.raises(InputError, match="unknown province key 'atlantis'"):
        maps.page_parts(data, "atlantis")
