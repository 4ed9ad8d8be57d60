"""Maps and tables of real-size registries: generated registries of 844, 8,440 and 84,400 estates.

The registries come from ``tests/synthetic_registry.py`` (the generator the tests' ``make_registry``
fixture uses): estates spread over the 31 provinces, each point inside its province, Persian
names, the registry's columns; seeded, so every run sees the same files. Nothing in them is a
fact about Iran.

For each size, side by side in one run (interleaved, fresh processes, each command's own peak
RSS):

1. ``isipo-geo build --registry FILE`` (funding CSV/XLSX/GPKG, national map, 31 province maps,
   index) against one fresh process that reads the same registry and provinces and writes
   ``provinces.explore()`` + ``points.explore(m=...)`` + ``save()``. Targets (issue 22): ≤ 0.7×
   at 844 estates, ≤ 1× at 84,400.
2. ``isipo-geo map national --registry FILE`` against the same explore() baseline (no target).
3. Peak memory of ``build --registry`` at 84,400 estates. Target (issue 22) ≤ 400 MB.
4. The national page's weight at 84,400 estates. Target (issue 22) ≤ 5 MB.
5. Time to draw the estates of the national page in headless Chromium (``file://``), at 844 and
   84,400 estates, against a bare Leaflet page with the same provinces (the national map's
   simplified shapes as GeoJSON) and the same points as ``L.circleMarker`` on one ``L.canvas``
   renderer (Leaflet inline from the same package). Both are timed by one script injected
   before the page runs: ``performance.now()`` (from navigation start) at the first animation
   frame where the estates are drawn — a canvas renderer has drawn its circles, or (ours, when
   clustered) cluster icons or SVG circles are in the estates' pane. Pages alternated, medians.
   Target (issue 22) ≤ 1.3× at 84,400.
6. Load time of the national page at 84,400 estates against explore()'s page with its CDN files
   served locally (Leaflet from ``xstatic-leaflet``; the other CDN files as empty responses;
   tiles refused). Target ≤ 0.5×.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import (
    REPO,
    CommandError,
    console_script,
    not_available,
    python,
    quick,
    repeats,
    row,
    time_commands_interleaved,
)

SIZES = (844, 8440, 84400)
BUILD_TARGETS = {844: "<= 0.7x", 84400: "<= 1x"}
MEMORY_TARGET_MB = 400
PAGE_TARGET_MB = 5
DRAW_TARGET = "<= 1.3x"
CHROMIUM = Path("/usr/bin/chromium")

# The same points and provinces, as a planner would map them with geopandas.
EXPLORE_SCRIPT = """
import sys
import geopandas as gpd
import pandas as pd
from isipo_geo.provinces import load_provinces
provinces = load_provinces()
df = pd.read_csv(sys.argv[1], encoding="utf-8-sig", dtype=str, keep_default_na=False)
df = df[(df["lon"] != "") & (df["lat"] != "")]
points = gpd.GeoDataFrame(
    df, geometry=gpd.points_from_xy(df["lon"].astype(float), df["lat"].astype(float)), crs=4326
)
m = provinces.explore()
points.explore(m=m)
m.save(sys.argv[2])
"""


def _registry(folder: Path, n: int) -> Path:
    sys.path.insert(0, str(REPO / "tests"))
    from synthetic_registry import write_registry

    return write_registry(folder / f"registry_{n}.csv", n)


def _size_rows(tmp: Path, n: int, exe: str) -> tuple[list[dict[str, Any]], Path, Path, Path]:
    registry = _registry(tmp, n)
    out, page = tmp / f"maps_{n}", tmp / f"explore_{n}.html"
    base_cmd = [python(), "-c", EXPLORE_SCRIPT, str(registry), str(page)]
    build_cmd = [exe, "build", "--registry", str(registry), "-o", str(out)]
    national_cmd = [exe, "map", "national", "--registry", str(registry), "-o", str(out)]
    reps = repeats(3, 1) if n < 84400 else repeats(2, 1)
    base, build, national = time_commands_interleaved(
        [base_cmd, build_cmd, national_cmd], repeat=reps, warmup=0 if n >= 84400 else 1
    )
    baseline = f"explore() + save of the same {n:,} points and 31 provinces (fresh process)"
    memory = (
        f"peak RSS ours {build.median_rss_mb:.0f} MB (map national "
        f"{national.median_rss_mb:.0f} MB) vs explore() {base.median_rss_mb:.0f} MB"
    )
    rows = [
        row(
            f"build --registry, {n:,} estates, wall time",
            build.median_s,
            "s",
            baseline_name=baseline,
            baseline_value=base.median_s,
            target=BUILD_TARGETS.get(n),
            note=f"{reps} runs each, interleaved; ours {build.spread()}; {memory}",
        ),
        row(
            f"map national --registry, {n:,} estates, wall time",
            national.median_s,
            "s",
            baseline_name=baseline,
            baseline_value=base.median_s,
            note=f"ours {national.spread()}; national page "
            f"{(out / 'national.html').stat().st_size / 1e6:.1f} MB vs explore()'s "
            f"{page.stat().st_size / 1e6:.1f} MB",
        ),
    ]
    if n == max(SIZES):
        rows.append(
            row(
                f"national page of {n:,} estates, file size",
                (out / "national.html").stat().st_size / 1e6,
                "MB",
                baseline_name="the issue's limit",
                baseline_value=PAGE_TARGET_MB,
                target="<= 1x",
                note=f"self-contained (Leaflet inline); explore()'s page "
                f"{page.stat().st_size / 1e6:.1f} MB without its CDN files",
            )
        )
        rows.append(
            row(
                f"build --registry, {n:,} estates, peak memory",
                build.median_rss_mb,
                "MB",
                baseline_name="the issue's limit",
                baseline_value=MEMORY_TARGET_MB,
                target="<= 1x",
                note=f"{memory}; median of {reps} runs",
            )
        )
    return rows, out / "national.html", page, registry


def _bare_page(registry: Path, out: Path) -> Path:
    """A bare Leaflet page: the national map's province shapes as GeoJSON and the registry's
    located points as circle markers on one canvas renderer (nothing else)."""
    import json

    import pandas as pd

    from isipo_geo.maps import html as _html
    from isipo_geo.maps.data import simplify_provinces
    from isipo_geo.provinces import load_provinces

    shapes = simplify_provinces(load_provinces(), tolerance_deg=0.01, grid_deg=0.002)
    df = pd.read_csv(registry, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    df = df[(df["lon"] != "") & (df["lat"] != "")]
    points = [[float(a), float(o)] for a, o in zip(df["lat"], df["lon"], strict=True)]
    out.write_text(
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<style>{_html.leaflet_css()}html,body,#map{{height:100%;margin:0}}</style>"
        f"<script>{_html.leaflet_js()}</script></head><body><div id='map'></div><script>"
        f"var provinces={shapes[['geometry']].to_json()};var points={json.dumps(points)};"
        "var map=L.map('map').setView([32.5,54],5);L.geoJSON(provinces).addTo(map);"
        "var r=L.canvas();for(var i=0;i<points.length;i++)"
        "L.circleMarker(points[i],{renderer:r,radius:4}).addTo(map);"
        "</script></body></html>\n",
        encoding="utf-8",
    )
    return out


# Injected before either page runs: window.__drawnMs (ms since navigation start) is set when a
# canvas renderer has first drawn its circles (Leaflet's L.Canvas _draw, wrapped as Leaflet
# defines window.L) or, for a clustered page, at the first animation frame where cluster icons
# or SVG circles are in the estates' pane.
DRAWN_PROBE = """
(function () {
  function done() { if (!window.__drawnMs) window.__drawnMs = performance.now(); }
  var leaflet;
  Object.defineProperty(window, 'L', {
    configurable: true,
    get: function () { return leaflet; },
    set: function (v) {
      leaflet = v;
      if (v && v.Canvas && !v.Canvas.prototype.__probed) {
        var draw = v.Canvas.prototype._draw;
        v.Canvas.prototype._draw = function () {
          draw.apply(this, arguments);
          if (this._drawFirst) done();
        };
        v.Canvas.prototype.__probed = true;
      }
    }
  });
  function tick() {
    if (document.querySelectorAll(
      '.leaflet-igEstates-pane path.leaflet-interactive, .marker-cluster').length > 0) done();
    if (!window.__drawnMs) requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})();
"""


def _draw_times(ours: Path, bare: Path) -> tuple[float, float, int, int]:
    """Median seconds to draw the estates: ours, the bare page; and each page's JS heap (MB)."""
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {"ours": [], "bare": []}
    heap: dict[str, int] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            for _ in range(repeats(5, 2)):
                for key, path in (("bare", bare), ("ours", ours)):
                    page = browser.new_page(viewport={"width": 1366, "height": 768})
                    page.route(
                        "**/*",
                        lambda r: (
                            r.continue_() if r.request.url.startswith("file://") else r.abort()
                        ),
                    )
                    page.add_init_script(DRAWN_PROBE)
                    page.goto(path.as_uri(), wait_until="load", timeout=600_000)
                    page.wait_for_function("window.__drawnMs", timeout=600_000, polling=50)
                    times[key].append(page.evaluate("window.__drawnMs") / 1000)
                    heap[key] = round(
                        page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0")
                        / 1e6
                    )
                    page.close()
        finally:
            browser.close()
    return (
        statistics.median(times["ours"]),
        statistics.median(times["bare"]),
        heap["ours"],
        heap["bare"],
    )


def _draw_row(n: int, registry: Path, ours: Path, tmp: Path) -> dict[str, Any]:
    name = f"national page: time to draw {n:,} estates in Chromium"
    bare = _bare_page(registry, tmp / f"bare_{n}.html")
    ours_s, bare_s, heap_ours, heap_bare = _draw_times(ours, bare)
    return row(
        name,
        ours_s,
        "s",
        baseline_name="bare Leaflet page: same provinces, same points as canvas circle markers",
        baseline_value=bare_s,
        target=DRAW_TARGET if n == max(SIZES) else None,
        note=(
            f"navigation start to the first frame with the estates drawn, 1366x768, "
            f"{repeats(5, 2)} loads each, alternated; pages {ours.stat().st_size / 1e6:.2f} MB "
            f"vs {bare.stat().st_size / 1e6:.2f} MB; JS heap after drawing {heap_ours} MB vs "
            f"{heap_bare} MB"
        ),
    )


def _cdn_file(url: str) -> tuple[str, bytes]:
    """(content type, body) served for one of explore()'s CDN files."""
    import xstatic.pkg.leaflet as leaflet

    name = url.rsplit("/", 1)[-1].split("?")[0]
    folder = Path(leaflet.BASE_DIR)
    if "leaflet" in url and name in ("leaflet.js", "leaflet.css") and (folder / name).is_file():
        body = (folder / name).read_bytes()
    else:
        body = b""
    kind = "text/css" if name.endswith(".css") else "application/javascript"
    return kind, body


def _load_times(ours: Path, theirs: Path) -> tuple[float, float]:
    from playwright.sync_api import sync_playwright

    drawn_ours = "window.__drawnMs"  # DRAWN_PROBE: cluster icons, SVG circles or the canvas
    drawn_theirs = (
        "document.querySelectorAll('.leaflet-marker-icon, .leaflet-overlay-pane path').length > 31"
    )

    def route(r) -> None:
        url = r.request.url
        if url.startswith("file://"):
            r.continue_()
        elif "tile" in url:
            r.abort()
        else:
            kind, body = _cdn_file(url)
            r.fulfill(status=200, content_type=kind, body=body)

    times: dict[str, list[float]] = {"ours": [], "theirs": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            for _ in range(repeats(3, 1)):
                for key, path, drawn in (
                    ("theirs", theirs, drawn_theirs),
                    ("ours", ours, drawn_ours),
                ):
                    page = browser.new_page(viewport={"width": 1200, "height": 850})
                    page.route("**/*", route)
                    if key == "ours":  # a page of 84,400 estates draws them on a canvas
                        page.add_init_script(DRAWN_PROBE)
                    start = time.perf_counter()
                    page.goto(path.as_uri(), wait_until="load", timeout=600_000)
                    page.wait_for_function(drawn, timeout=600_000, polling=50)
                    times[key].append(time.perf_counter() - start)
                    page.close()
        finally:
            browser.close()
    return statistics.median(times["ours"]), statistics.median(times["theirs"])


def run() -> list[dict[str, Any]]:
    exe = console_script("isipo-geo")
    if exe is None:
        return [not_available("build --registry", "the isipo-geo console script is missing")]
    sizes = SIZES[:1] if quick() else SIZES
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        pages = None
        for n in sizes:
            try:
                size_rows, ours, theirs, registry = _size_rows(tmp, n, exe)
                rows += size_rows
                pages = (n, ours, theirs)
            except CommandError as exc:
                rows.append(not_available(f"build --registry, {n:,} estates", str(exc)))
                continue
            if n in (844, 84400) and CHROMIUM.exists():
                try:
                    rows.append(_draw_row(n, registry, ours, tmp))
                except ImportError as exc:
                    rows.append(not_available(f"national page draw, {n:,} estates", str(exc)))
        name = "national page load in Chromium"
        if pages is None or not CHROMIUM.exists():
            rows.append(not_available(name, "no pages or no /usr/bin/chromium"))
            return rows
        n, ours, theirs = pages
        try:
            ours_s, theirs_s = _load_times(ours, theirs)
        except ImportError as exc:
            rows.append(not_available(name, str(exc)))
            return rows
        rows.append(
            row(
                f"{name}, {n:,} estates",
                ours_s,
                "s",
                baseline_name="explore()'s page, CDN files served locally, tiles refused",
                baseline_value=theirs_s,
                target="<= 0.5x",
                note="until the estates are drawn (ours: markers or cluster icons; explore(): "
                "its markers); medians, pages alternated",
            )
        )
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    for r in run():
        print(r)
