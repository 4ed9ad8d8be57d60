"""The map's chrome on the screens planners use (issue 21): 1366 × 768 (most office laptops) and
1920 × 1080, in headless Chromium.

At 1366 × 768 the scale bar was drawn under the credits line, and the cluster icons were green,
yellow and orange (markercluster's own colours, by count) with nothing in the legend to say so,
over a yellow-to-brown choropleth. Each check is on the boxes the browser laid out.
"""

from __future__ import annotations

import pytest
from test_maps_browser import (  # noqa: F401  (browser and shipped_pages are fixtures)
    FIND_MAP,
    Visit,
    browser,
    shipped_pages,
)

pytestmark = pytest.mark.browser

VIEWPORTS = [(1366, 768), (1920, 1080)]

BOXES = """() => {
  const q = s => { const e = document.querySelector(s); if (!e) return null;
    const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  return {scale: q('.leaflet-control-scale'), attr: q('.leaflet-control-attribution'),
    legend: q('.ig-legend'), title: q('.ig-box.ig-title'), info: q('.ig-info'),
    layers: q('.leaflet-control-layers'), zoom: q('.leaflet-control-zoom')};
}"""

# Every colour the map paints (province fills, hatch colours, estate fills and rings, cluster
# icons) and every colour the legend shows, both as the browser computes them ("rgb(r, g, b)").
COLOURS = f"""() => {{
  const probe = document.createElement('i');
  document.body.appendChild(probe);
  const norm = c => {{ probe.style.color = ''; probe.style.color = c;
    return getComputedStyle(probe).color; }};
  const hatch = id => {{ const r = document.querySelector(id + ' rect');
    return r ? r.getAttribute('fill') : id; }};
  const painted = new Set();
  const add = (c, what) => {{ if (c && c !== 'none') painted.add(what + ' ' + norm(c)); }};
  document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive').forEach(p => {{
    const f = p.getAttribute('fill') || '';
    const m = f.match(/^url\\((#[^)]+)\\)$/);
    add(m ? hatch(m[1]) : f, 'province');
  }});
  const map = {FIND_MAP};
  map.eachLayer(l => {{
    if (l instanceof L.CircleMarker && l.options.pane === 'igEstates') {{
      add(l.options.fillColor, 'estate'); add(l.options.color, 'ring');
    }}
  }});
  document.querySelectorAll('.marker-cluster, .marker-cluster div').forEach(e =>
    add(getComputedStyle(e).backgroundColor, 'cluster'));
  const shown = new Set();
  document.querySelectorAll('.ig-legend *').forEach(e => {{
    const s = getComputedStyle(e);
    for (const c of [s.backgroundColor, s.borderTopColor]) if (c) shown.add(norm(c));
  }});
  probe.remove();
  return {{painted: [...painted].sort(), shown: [...shown]}};
}}"""


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(box, width, height) -> bool:
    return box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height


@pytest.fixture(params=["national", "isfahan"])
def which(request):
    return request.param


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["1366x768", "1920x1080"])
def test_scale_bar_legend_and_credits_do_not_overlap(browser, shipped_pages, which, viewport):  # noqa: F811
    width, height = viewport
    visit = Visit(browser, shipped_pages[which], viewport=viewport)
    try:
        page = visit.page
        page.wait_for_function("document.querySelectorAll('.marker-cluster').length > 0")
        page.wait_for_timeout(300)
        boxes = page.evaluate(BOXES)
        scale, attr, legend = boxes["scale"], boxes["attr"], boxes["legend"]
        assert scale is not None and scale[2] - scale[0] > 40 and scale[3] - scale[1] > 10
        assert page.locator(".leaflet-control-scale").is_visible()
        assert _inside(scale, width, height) and _inside(attr, width, height)
        assert not _overlap(scale, attr), boxes  # was: the scale bar under the credits line
        assert _inside(legend, width, height), boxes
        drawn = {k: v for k, v in boxes.items() if v is not None}
        for a in drawn:
            for b in drawn:
                if a < b:
                    assert not _overlap(drawn[a], drawn[b]), (a, b, boxes)
        # a legend taller than its room scrolls inside the window: its last row can be reached
        last = page.locator(".ig-legend tr").last
        last.scroll_into_view_if_needed()
        row = last.bounding_box()
        assert row is not None and row["y"] >= 0 and row["y"] + row["height"] <= height
        assert _inside(page.evaluate(BOXES)["legend"], width, height)
        assert visit.errors == [] and visit.dialogs == []
    finally:
        visit.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["1366x768", "1920x1080"])
def test_every_colour_on_the_map_is_in_the_legend(browser, shipped_pages, which, viewport):  # noqa: F811
    visit = Visit(browser, shipped_pages[which], viewport=viewport)
    try:
        page = visit.page
        page.wait_for_function("document.querySelectorAll('.marker-cluster').length > 0")
        page.wait_for_timeout(300)
        found = page.evaluate(COLOURS)
        kinds = {p.split(" ", 1)[0] for p in found["painted"]}
        assert {"province", "estate", "ring", "cluster"} <= kinds, found["painted"]
        shown = set(found["shown"])
        missing = [p for p in found["painted"] if p.split(" ", 1)[1] not in shown]
        assert missing == [], missing  # was: the cluster icons' green, yellow and orange
        assert visit.errors == []
    finally:
        visit.close()


def test_cluster_icons_are_explained_in_both_languages(browser, shipped_pages):  # noqa: F811
    visit = Visit(browser, shipped_pages["national"], viewport=(1366, 768))
    try:
        legend = visit.page.locator(".ig-legend")
        row = legend.locator("tr", has=visit.page.locator(".ig-clu"))
        assert row.count() == 1
        text = row.inner_text()
        assert "گروه" in text and "group of estates" in text
        assert text.index("گروه") < text.index("group of estates")
    finally:
        visit.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["1366x768", "1920x1080"])
def test_the_opened_layer_control_lies_over_the_legend(browser, shipped_pages, viewport):  # noqa: F811
    # the legend reaches up to the controls above it; the layer control, opened by the mouse,
    # grows down over it and must stay on top (under the legend, the mouse left the control,
    # which closed before a layer could be chosen)
    visit = Visit(browser, shipped_pages["national"], viewport=viewport)
    try:
        page = visit.page
        control = page.locator(".leaflet-control-layers")
        control.hover()
        page.wait_for_function(
            "document.querySelector('.leaflet-control-layers-expanded') !== null"
        )
        box = control.bounding_box()
        assert box is not None
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 5
        on_top = page.evaluate(
            "([x, y]) => !!document.elementFromPoint(x, y).closest('.leaflet-control-layers')",
            [x, y],
        )
        assert on_top
        page.locator(".leaflet-control-layers-base input").nth(2).check()
        assert visit.errors == []
    finally:
        visit.close()
