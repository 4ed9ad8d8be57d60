"""Build data/power_plants/power_plants.csv: Iran's power plants, a context layer for the maps.

Usage (a maintainer runs it; nothing at run time reads ../shared)::

    python scripts/build_power_plants.py ../shared/reference/power_plants_wri

Reads ``iran_power_plants.csv`` (World Resources Institute, Global Power Plant Database, CC BY
4.0; see data/power_plants/SOURCE.md), keeps the plants with coordinates and the columns a map
shows, and writes them in the file's order. Values are copied unchanged but for the fuel's
spelling (``oil`` → ``Oil``) and the province each plant lies in (point in the shipped
province polygons, else the nearest within 20 km: coastal and island plants). The output
is identical on every run.

A plant is context, never a connection point: estates connect to 20/63 kV substations and
lines, which no public source here holds.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from isipo_geo.io import atomic_write  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "data" / "power_plants" / "power_plants.csv"
COLUMNS = ["wri_id", "name", "fuel", "capacity_mw", "commissioning", "lon", "lat", "province"]


def build(shared: Path) -> list[dict[str, str]]:
    import geopandas as gpd
    import shapely

    from isipo_geo.provinces import load_provinces

    src = shared / "iran_power_plants.csv"
    with open(src, encoding="utf-8", newline="") as f:
        plants = [r for r in csv.DictReader(f) if r["lat"].strip() and r["lon"].strip()]
    provinces = load_provinces()
    points = gpd.GeoSeries(
        shapely.points([float(p["lon"]) for p in plants], [float(p["lat"]) for p in plants]),
        crs=4326,
    )
    within = gpd.sjoin(
        gpd.GeoDataFrame(geometry=points), provinces[["key", "geometry"]], predicate="within"
    )
    key = within["key"].groupby(level=0).first()
    # plants on the coast or an island fall outside the simplified polygons: the nearest
    # province within 20 km (in the Lambert conic fitted to Iran)
    from isipo_geo.finance.connection import IRAN_LCC

    missing = points[~points.index.isin(key.index)]
    near = gpd.sjoin_nearest(
        gpd.GeoDataFrame(geometry=missing).to_crs(IRAN_LCC),
        provinces[["key", "geometry"]].to_crs(IRAN_LCC),
        max_distance=20_000,
    )
    key = key.combine_first(near["key"].groupby(level=0).first())
    out = []
    for i, p in enumerate(plants):
        fuel = p["fuel"].strip()
        out.append(
            {
                "wri_id": p["wri_id"],
                "name": p["name"].strip(),
                "fuel": fuel[:1].upper() + fuel[1:],
                "capacity_mw": p["capacity_mw"],
                "commissioning": p["commissioning"],
                "lon": p["lon"],
                "lat": p["lat"],
                "province": str(key.get(i, "")),
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared", type=Path, help="../shared/reference/power_plants_wri")
    args = parser.parse_args()
    rows = build(args.shared)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    with atomic_write(OUT, encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())
    print(f"wrote {OUT} ({len(rows)} plants)")


if __name__ == "__main__":
    main()
