"""Build data/counties/counties.geojson: Iran's counties (شهرستان) from OpenStreetMap, simplified.

Usage (a maintainer runs it; nothing at run time reads ../shared)::

    python scripts/build_counties.py ../shared/reference/osm_admin

Reads ``counties/IR-nn.geojson`` (one file per province, named by its ISO 3166-2 code), keeps
the county polygons (OSM relations, ``admin_level=5``; the Point features are labels, not
boundaries), simplifies them **together** as a coverage (``shapely.coverage_simplify``, so
neighbours keep one shared border), checks validity and writes one FeatureCollection with, per
county: ``osm_id`` (the relation), ``province`` (key), ``name_fa`` (OSM ``name`` without
«شهرستان»), ``name_en`` (OSM ``name:en`` without "County"), ``lon``/``lat`` (a representative
point inside the full-resolution polygon). Coordinates are rounded to 4 decimals (about 10 m).

The data are © OpenStreetMap contributors, ODbL 1.0 (see data/counties/SOURCE.md). The output
is identical on every run.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from isipo_geo.io import atomic_write  # noqa: E402
from isipo_geo.names import normalize_fa  # noqa: E402
from isipo_geo.provinces import province_records  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "data" / "counties" / "counties.geojson"
TOLERANCE_DEG = 0.02  # about 2 km: light context on a province map, not a cadastre
DECIMALS = 4


def bare_name_fa(name: str) -> str:
    """«شهرستان آران و بیدگل» -> «آران و بیدگل»; «شهرستان ویژه مراغه» (a county given special
    status) -> «مراغه»: «ویژه» is the county's status, not its name."""
    return re.sub(r"^شهرستان\s+(?:ویژه\s+)?", "", normalize_fa(name)).strip()


def bare_name_en(name: str) -> str:
    return re.sub(r"\s+County$", "", name.strip())


def read_counties(osm_dir: Path) -> list[dict]:
    """The county polygons of every province file, sorted by (province, OSM id)."""
    from shapely.geometry import shape

    iso_to_key = {r["iso_3166_2"]: r["key"] for r in province_records()}
    counties = []
    for path in sorted((osm_dir / "counties").glob("IR-*.geojson")):
        key = iso_to_key[path.stem]
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        for feature in data["features"]:
            geom = feature.get("geometry") or {}
            if geom.get("type") not in ("Polygon", "MultiPolygon"):
                continue
            props = feature.get("properties") or {}
            tags = props.get("tags") or {}
            counties.append(
                {
                    "osm_id": int(props["id"]),
                    "province": key,
                    "name_fa": bare_name_fa(tags.get("name", "")),
                    "name_en": bare_name_en(tags.get("name:en", "")),
                    "geometry": shape(geom),
                }
            )
    counties.sort(key=lambda c: (c["province"], c["osm_id"]))
    return counties


def simplify(counties: list[dict]) -> list:
    import shapely

    geoms = [shapely.make_valid(c["geometry"]) for c in counties]
    simple = shapely.coverage_simplify(geoms, TOLERANCE_DEG)
    simple = shapely.set_precision(simple, 10**-DECIMALS)
    bad = [c["name_fa"] for c, g in zip(counties, simple, strict=True) if not g.is_valid]
    if bad:
        raise SystemExit(f"invalid after simplifying: {', '.join(bad)}")
    return list(simple)


def to_geojson(counties: list[dict], simple: list) -> str:
    import shapely

    features = []
    for c, g in zip(counties, simple, strict=True):
        point = c["geometry"].representative_point()
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "osm_id": c["osm_id"],
                    "province": c["province"],
                    "name_fa": c["name_fa"],
                    "name_en": c["name_en"],
                    "lon": round(point.x, DECIMALS),
                    "lat": round(point.y, DECIMALS),
                },
                "geometry": json.loads(shapely.to_geojson(g)),
            }
        )
    doc = {
        "type": "FeatureCollection",
        "attribution": "© OpenStreetMap contributors, ODbL 1.0",
        "features": features,
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("osm_dir", type=Path, help="the osm_admin folder (counties/IR-nn.geojson)")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args(argv)
    counties = read_counties(args.osm_dir)
    text = to_geojson(counties, simplify(counties))
    with atomic_write(args.output, encoding="utf-8", newline="") as f:
        f.write(text)
    size_kb = len(text.encode()) / 1024
    print(f"wrote {len(counties)} counties to {args.output} ({size_kb:.0f} kB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
