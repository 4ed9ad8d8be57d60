"""Maps and tables of real-size registries: generated registries of 844, 8,440 and 84,400 estates.

The registries come from ``tests/synthetic_registry.py`` (the generator the tests' ``make_registry``
fixture uses): estates spread over the 31 provinces, each point inside its province, Persian
names, the registry's columns; seeded, so every run sees the same files. Nothing in them is a
fact about Iran.

For each size, side by side in one run (interleaved, fresh processes, each command's own peak
RSS):

1. ``isipo-geo build --registry FILE`` (funding CSV/XLSX/GPKG, national map, 31 province maps,
   index) against one fresh process that reads the same registry and provinces and writes
   ``provinces.explore()`` + ``points.explore(m=...)`` + ``save()``. Targets (issue 12): ≤ 1.5×
   at 844 estates, ≤ 2× at 84,400.
2. ``isipo-geo map national --registry FILE`` against the same explore() baseline (no target).
3. Peak memory of ``build --registry`` at 84,400 estates. Target ≤ 600 MB.
4. Load time of the national page at 84,400 estates in headless Chromium (``file://``; until
   the estates layer has drawn its first markers or cluster icons) against explore()'s page
   with its CDN files served locally (Leaflet from ``xstatic-leaflet``; the other CDN files as
   empty responses; tiles refused). Target ≤ 0.5×.
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
BUILD_TARGETS = {844: "<= 1.5x", 84400: "<= 2x"}
MEMORY_TARGET_MB = 600
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


def _size_rows(tmp: Path, n: int, exe: str) -> tuple[list[dict[str, Any]], Path, Path]:
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
                f"build --registry, {n:,} estates, peak memory",
                build.median_rss_mb,
                "MB",
                baseline_name="the issue's limit",
                baseline_value=MEMORY_TARGET_MB,
                target="<= 1x",
                note=f"{memory}; median of {reps} runs",
            )
        )
    return rows, out / "national.html", page


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

    drawn_ours = (
        "document.querySelectorAll('.leaflet-igEstates-pane path.leaflet-interactive,"
        " .marker-cluster').length > 0"
    )
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
                size_rows, ours, theirs = _size_rows(tmp, n, exe)
                rows += size_rows
                pages = (n, ours, theirs)
            except CommandError as exc:
                rows.append(not_available(f"build --registry, {n:,} estates", str(exc)))
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
