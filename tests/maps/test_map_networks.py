"""Network layers, estates' connections and the power-plant context layer on the map pages:
page data (escaped, one number rule) and what a reader sees in headless Chromium."""

from __future__ import annotations

from decimal import Decimal

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point
from test_maps_browser import browser  # noqa: F401  (the one browser fixture)

from isipo_geo.maps import html as _html
from isipo_geo.maps import leaflet as maps
from isipo_geo.maps.networks import Networks, network_page

XSS = '<img src=x onerror="alert(1)">'


def _networks() -> Networks:
    lines = gpd.GeoDataFrame(
        {"feature_id": ["L1"], "feature_name": ["خط ۶۳ کیلوولت " + XSS]},
        geometry=[LineString([(51.0, 35.4), (51.6, 35.9), (52.0, 35.8)])],
        crs=4326,
    )
    subs = gpd.GeoDataFrame(
        {"feature_id": ["S1"], "feature_name": ["پست شرق"]},
        geometry=[Point(51.8, 35.6)],
        crs=4326,
    )
    layer = gpd.GeoDataFrame(
        gpd.pd.concat([lines, subs], ignore_index=True), geometry="geometry", crs=4326
    )
    conn = {
        "scope": "estate",
        "component": "connection",
        "province": "tehran",
        "estate_id": "E1",
        "estate_name_fa": "شهرک آزمون",
        "utility": "power",
        "length_km": Decimal("12.3456"),
        "need": Decimal("22.518"),
        "feature_id": "L1",
        "feature_name": "خط",
        "estate_lon": 51.40,
        "estate_lat": 35.60,
        "feature_lon": 51.45,
        "feature_lat": 35.70,
    }
    return Networks({"power": layer}, {"power": "lines.gpkg"}, [conn])


def test_page_data_escapes_and_formats_by_the_one_rule():
    nw = network_page(
        _networks(),
        province="tehran",
        bounds=None,
        money="bn_toman",
        money_labels=("میلیارد تومان", "bn toman"),
        digits="fa",
    )
    assert len(nw["l"]) == 1 and len(nw["p"]) == 1 and len(nw["c"]) == 1
    text = repr(nw)
    assert "<img" not in text and "&lt;img" in text
    link = nw["c"][0]
    assert link[:4] == [35.6, 51.4, 35.7, 51.45]
    # 12.3456 km shows as the display rule for km says, in Persian digits in Persian
    from isipo_geo.display import format_number

    assert format_number(Decimal("12.3456"), digits="latin", unit="km") in link[6]
    assert format_number(Decimal("12.3456"), digits="fa", unit="km") in link[5]
    assert "not a connection point" not in text  # networks are the planner's, not context
    other = network_page(
        _networks(),
        province="fars",
        bounds=None,
        money="bn_toman",
        money_labels=("", ""),
        digits="latin",
    )
    assert other["c"] == []


def test_without_networks_nothing():
    assert (
        network_page(None, province=None, bounds=None, money="", money_labels=("", ""), digits="fa")
        is None
    )


@pytest.fixture(scope="module")
def network_page_path(tmp_path_factory):
    from test_maps import synthetic_estates, synthetic_funding

    from isipo_geo.provinces import load_provinces

    provinces = load_provinces()
    data = maps.map_data(
        provinces,
        synthetic_funding(list(provinces.index)),
        synthetic_estates(),
        networks=_networks(),
    )
    out = tmp_path_factory.mktemp("networks")
    return {
        "tehran": _html.write_text(
            out / "tehran.html", _html.render(maps.province_map(data, "tehran"))
        ),
        "national": _html.write_text(out / "national.html", _html.render(maps.national_map(data))),
    }


@pytest.mark.browser
def test_reader_sees_network_connection_and_legend(browser, network_page_path):  # noqa: F811
    from test_maps_browser import Visit

    visit = Visit(browser, network_page_path["tehran"])
    page = visit.page
    dashed = page.locator('.leaflet-overlay-pane path[stroke-dasharray="6 4"]')
    assert dashed.count() == 1
    assert page.locator('.leaflet-overlay-pane path[stroke="#c51b7d"]').count() == 3
    legend = page.locator(".ig-legend").inner_text()
    assert "شبکه برق" in legend and "estate's connection" in legend
    dashed.first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "شهرک آزمون" in text and "km" in text and "bn toman" in text
    assert (
        "Power plants: Global Power Plant Database"
        in page.locator(".leaflet-control-attribution").inner_text()
    )
    # the power plants are offered, off until chosen; on, their circles appear
    page.locator(".leaflet-control-layers").hover()
    page.get_by_text("power plants (context, WRI)").click()
    page.wait_for_timeout(200)
    assert page.locator('.leaflet-overlay-pane path[fill="#bdbdbd"]').count() >= 1
    assert page.locator('img[src="x"]').count() == 0
    assert visit.dialogs == [] and visit.errors == []
    visit.close()
