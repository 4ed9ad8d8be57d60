"""Maps of real-size registries in headless Chromium: ``isipo-geo build --registry`` on generated
registries of 844 and 8,440 estates (``make_registry``), national page and a province page.

With more than 50 estates the markers are clustered (Leaflet.markercluster), which needs the map
to have a ``maxZoom``; without one the page threw ``Map has no maxZoom specified`` and drew no
estate, legend or layer control.
"""

from __future__ import annotations

import pytest
from test_maps_browser import FIND_MAP, Visit, browser  # noqa: F401  (browser is a fixture)

from isipo_geo.cli import app

pytestmark = pytest.mark.browser

SIZES = (844, 8440)
PROVINCE = "isfahan"
# every marker or cluster icon Leaflet drew (circle markers are paths in the estates pane)
DRAWN = (
    "document.querySelectorAll('.leaflet-igEstates-pane path.leaflet-interactive,"
    " .marker-cluster').length"
)


@pytest.fixture(scope="module", params=SIZES, ids=[f"{n}_estates" for n in SIZES])
def built(request, tmp_path_factory):
    """``isipo-geo build --registry`` on a generated registry: (registry frame, output folder)."""
    from synthetic_registry import make_registry_frame, write_registry
    from typer.testing import CliRunner

    n = request.param
    folder = tmp_path_factory.mktemp(f"build{n}")
    registry = write_registry(folder / "registry.csv", n)
    out = folder / "maps"
    result = CliRunner().invoke(app, ["build", "--registry", str(registry), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return make_registry_frame(n), out


# Zoom onto the estate at the map's maxZoom; if its marker is still in a cluster there, spiderfy
# the cluster (markercluster's zoomToShowLayer waits for an icon, which circle markers lack).
# Returns the marker's position on the page.
SHOW_MARKER = f"""([lat, lon]) => new Promise(done => {{
  const map = {FIND_MAP};
  let group = null, target = null;
  const at = l => {{
    const p = l.getLatLng();
    if (Math.abs(p.lat - lat) < 1e-9 && Math.abs(p.lng - lon) < 1e-9) target = l;
  }};
  map.eachLayer(l => {{
    if (L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup) {{ group = l; l.eachLayer(at); }}
    else if (l instanceof L.CircleMarker) at(l);
  }});
  map.setView([lat, lon], map.getMaxZoom(), {{animate: false}});
  setTimeout(() => {{
    const parent = group ? group.getVisibleParent(target) : target;
    if (parent && parent !== target) parent.spiderfy();
    setTimeout(() => {{
      const p = map.latLngToContainerPoint(target.getLatLng());
      const r = map.getContainer().getBoundingClientRect();
      done([p.x + r.left, p.y + r.top]);
    }}, 500);
  }}, 300);
}})"""


def _check_page(visit: Visit, frame, province: str | None) -> None:
    page = visit.page
    rows = frame if province is None else frame[frame["province"] == province]
    located = rows[rows["location_precision"].isin(["estate", "town"])]
    assert page.evaluate("IGD.est.s.length") == len(located)
    assert page.evaluate("IGD.cluster") is (50 < len(located) <= 10_000)
    page.wait_for_timeout(300)
    assert visit.errors == []  # was: "Map has no maxZoom specified", nothing below drawn
    page.wait_for_function(f"{DRAWN} > 0")
    if len(located) > 50:
        assert page.locator(".marker-cluster").count() > 0
    assert page.locator(".leaflet-control-layers").count() == 1
    legend = page.locator(".ig-legend")
    assert legend.count() == 1 and legend.get_by_text("industrial estate").count() >= 1
    base = page.locator(".leaflet-control-layers-overlays label")
    assert "estates and zones" in " ".join(base.all_inner_texts())
    assert page.evaluate(f"{FIND_MAP}.getMaxZoom()") >= 12
    # open one estate's popup as a reader would: zoom until its marker is drawn (clusters
    # opened or spiderfied), then click it
    first = located.iloc[0]
    x, y = page.evaluate(SHOW_MARKER, [float(first["lat"]), float(first["lon"])])
    page.wait_for_timeout(400)
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator('div[dir="rtl"] b').first.inner_text() == first["name_fa"]
    page.wait_for_timeout(200)
    assert visit.errors == [] and visit.dialogs == []
    assert [u for u in visit.requests if not u.startswith("file://")] == []


def test_national_page_of_a_large_registry_draws_estates_legend_and_controls(browser, built):  # noqa: F811
    frame, out = built
    visit = Visit(browser, out / "national.html")
    try:
        _check_page(visit, frame, None)
    finally:
        visit.close()


def test_province_page_of_a_large_registry_draws_estates_legend_and_controls(browser, built):  # noqa: F811
    frame, out = built
    visit = Visit(browser, out / "provinces" / f"{PROVINCE}.html")
    try:
        _check_page(visit, frame, PROVINCE)
    finally:
        visit.close()


RING_COLOR = f"""([lat, lon]) => {{
  let color = null;
  {FIND_MAP}.eachLayer(l => {{
    if (l instanceof L.CircleMarker) {{
      const p = l.getLatLng();
      if (Math.abs(p.lat - lat) < 1e-9 && Math.abs(p.lng - lon) < 1e-9) color = l.options.color;
    }}
  }});
  return color;
}}"""


def test_a_gap_from_demand_minus_supplied_rings_the_marker(browser, tmp_path):  # noqa: F811
    """An estate whose deficit cell is empty but whose demand (32.5 L/s) exceeds its supply
    (20 L/s): its ring is the deficit's and its popup gives 12.5 L/s, as the funding says."""
    from synthetic_registry import make_registry_frame
    from typer.testing import CliRunner

    from isipo_geo.maps.estate_marks import RING

    frame = make_registry_frame(12, ["qom"])
    water = ["water_supplied_lps", "water_demand_lps", "water_deficit_lps"]
    frame.loc[0, water] = ["20", "32.5", ""]
    frame.loc[0, ["power_supplied_mw", "power_demand_mw", "power_deficit_mw"]] = ["", "", ""]
    frame.loc[0, ["has_water", "has_power", "location_precision"]] = ["true", "true", "estate"]
    registry = tmp_path / "r.csv"
    registry.write_text(frame.to_csv(index=False, lineterminator="\n"), encoding="utf-8-sig")
    out = tmp_path / "maps"
    args = ["map", "province", "qom", "--registry", str(registry), "--registry-only"]
    args += ["--scenario", "registry", "--digits", "latin", "--out-dir", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    visit = Visit(browser, out / "provinces" / "qom.html")
    try:
        page = visit.page
        page.wait_for_function(f"{DRAWN} > 0")
        at = [float(frame.loc[0, "lat"]), float(frame.loc[0, "lon"])]
        assert page.evaluate(RING_COLOR, at) == RING["deficit"][0]
        x, y = page.evaluate(SHOW_MARKER, at)
        page.wait_for_timeout(400)
        page.mouse.click(x, y)
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert "water deficit: 12.5 L/s" in popup.inner_text()
        assert visit.errors == []
    finally:
        visit.close()
