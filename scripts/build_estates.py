"""The estates, zones and SEZs the 1400 report names (34 rows), read from the report's text.

The shipped registry (data/estates/estates.csv) is built by ``build_public_estates.py``, which
takes these rows from :func:`build` and adds the estates public sources name. Alone, this script
writes the report's rows to a file of your choice::

    python scripts/build_estates.py ../shared/seed/000_dd0ab854e6a26b3b.txt -o report_estates.csv

What goes in (all parsed or checked against the seed by ``scripts/_seed.py``):

- the 9 special economic zones with the status the report's SEZ table gives each;
- the 17 industrial estates of the table of estates developed in 1400, with the hectares it gives
  when a row names one estate (a row naming two gives one combined area: left empty here);
- the 6 technology estates (شهرک فناوری) the report lists;
- the two other estates it names (Nazarabad No. 2, Ilam No. 2).

Locations: the town the estate is named after, found with the GeoNames gazetteer
(:mod:`isipo_geo.registry.gazetteer`) inside the estate's own province (precision ``town``);
otherwise a representative point inside the province polygon (precision ``province``), and the
``source`` column says which town was looked for. No location is ever the estate's own. Utility
columns are empty: the report gives no utility figures per estate. The output is identical on every
run.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _seed  # noqa: E402

from isipo_geo.io import atomic_write  # noqa: E402
from isipo_geo.names import fold, normalize_fa  # noqa: E402
from isipo_geo.provinces import load_provinces  # noqa: E402
from isipo_geo.registry import gazetteer  # noqa: E402
from isipo_geo.registry.estates import (  # noqa: E402
    FLAG_OUTSIDE_PROVINCE,
    points_outside_province,
    registry_to_csv_text,
    to_geodataframe,
    validate_registry,
)
from isipo_geo.registry.schema import REGISTRY_COLUMNS  # noqa: E402

REPO = Path(__file__).resolve().parents[1]

FLAG_AMBIGUOUS_TOWN = "ambiguous_town"  # several GeoNames places of that name, > 5 km apart
FLAG_PROVINCE_NAME = "town_shares_province_name"  # the name may mean the province, not the town
AMBIGUOUS_KM = 5.0


def _km(a: gazetteer.Town, b: gazetteer.Town) -> float:
    """Great-circle distance in km (haversine)."""
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def locate(town_fa: str, province: str, provinces) -> dict[str, object]:
    """lon, lat, precision, flags and a source note for an estate named after ``town_fa``."""
    flags: list[str] = []
    found = gazetteer.find_towns(town_fa, province) if town_fa else []
    if found:
        best = found[0]
        if any(_km(best, other) > AMBIGUOUS_KM for other in found[1:]):
            flags.append(FLAG_AMBIGUOUS_TOWN)
        if fold(town_fa) == fold(provinces.loc[province, "name_fa"]):
            flags.append(FLAG_PROVINCE_NAME)
        more = f"; {len(found) - 1} other place(s) of that name" if len(found) > 1 else ""
        return {
            "lon": best.lon,
            "lat": best.lat,
            "location_precision": "town",
            "flags": flags,
            "where": f"location: town {town_fa} = GeoNames {best.geonameid} {best.name_en}{more}",
        }
    point = provinces.loc[province, "geometry"].representative_point()
    why = f"no GeoNames town {town_fa} in {province}" if town_fa else "the report names no town"
    return {
        "lon": round(point.x, 5),
        "lat": round(point.y, 5),
        "location_precision": "province",
        "flags": flags,
        "where": f"location: a point inside the province ({why})",
    }


def _town_of(name_fa: str) -> str:
    """The town an estate is named after: its name without a trailing number ('بیرجند 1')."""
    return re.sub(r"\s*\d+$", "", normalize_fa(name_fa)).strip()


def build(lines: list[str]) -> list[dict[str, object]]:
    provinces = load_provinces()
    rows: list[dict[str, object]] = []

    def add(*, town: str, source: str, **fields: object) -> None:
        loc = locate(town, str(fields["province"]), provinces)
        row = dict.fromkeys(REGISTRY_COLUMNS)
        row.update(fields)
        row.update({k: loc[k] for k in ("lon", "lat", "location_precision")})
        row["flags"] = ";".join(loc["flags"]) or None
        row["source"] = f"{source}; {loc['where']}"
        row["year"] = "1400"  # the rows come from the 1400 report
        row["_town"] = town  # for build_public_estates.py, which places rows itself
        row["_report_source"] = source
        rows.append(row)

    # Special economic zones
    province_en = dict(zip(provinces["key"], provinces["name_en"], strict=True))
    for r in _seed.parse_sez(lines):
        place = r.place_fa
        if place and "استان" in place:  # 'شمال استان' = north of the province: not a town
            name_fa = f"منطقه ویژه اقتصادی {r.province_fa} ({place})"
            name_en = (
                f"{province_en[r.province]} Special Economic Zone ({_seed.name_en(place).lower()})"
            )
            town = ""
        else:
            name_fa = f"منطقه ویژه اقتصادی {place or r.province_fa}"
            name_en = f"{_seed.name_en(place or r.province_fa)} Special Economic Zone"
            town = place or r.province_fa
        add(
            town=town,
            id=_seed.sez_id(r.province),
            name_fa=name_fa,
            name_en=name_en,
            kind="special_economic_zone",
            province=r.province,
            status=r.status,
            source=(
                f"seed:L{r.line} (SEZ table, row {r.row_no}); status "
                f"'{r.status_fa}' seed:L{r.status_line}"
            ),
        )

    # Estates developed in 1400
    dev_rows, dev_total = _seed.parse_developed(lines)
    for r in dev_rows:
        for name in r.names:
            single = len(r.names) == 1
            area = (
                f"{r.area_ha:g} ha"
                if single
                else f"{r.area_ha:g} ha for {' and '.join(r.names)} together"
            )
            add(
                town=_town_of(name),
                id=_seed.developed_estate_id(r.province, name),
                name_fa=f"شهرک صنعتی {name}",
                name_en=f"{_seed.name_en(name)} industrial estate",
                kind="industrial_estate",
                province=r.province,
                area_ha=r.area_ha if single else None,
                source=f"seed:L{r.line} (estates developed in 1400, row {r.row_no}: {area})",
            )

    # Technology estates
    count_line, first, last = _seed.check_technology_estates(lines)
    for name_fa, name_en, province, town in _seed.TECHNOLOGY_ESTATES:
        add(
            town=town,
            id=_seed.technology_estate_id(province, name_en),
            name_fa=f"شهرک فناوری {name_fa}",
            name_en=f"{name_en} technology estate",
            kind="technology_estate",
            province=province,
            status="operational",
            source=(
                f"seed:L{first}-L{last} (technology estates listed); "
                f"seed:L{count_line} (6 launched to date)"
            ),
        )

    # Other estates the report names
    for estate in _seed.OTHER_ESTATES:
        kind, name_fa, name_en, province, town, area, _ = estate
        line = _seed.other_estate_line(lines, estate)
        add(
            town=town,
            id=f"ie-{province}-{_seed.slug(name_en.replace('industrial estate', ''))}",
            name_fa=name_fa,
            name_en=name_en,
            kind=kind,
            province=province,
            area_ha=area,
            source=f"seed:L{line} (land-title issues)",
        )

    counts = {
        k: sum(r["kind"] == k for r in rows)
        for k in ("special_economic_zone", "industrial_estate", "technology_estate")
    }
    expected = {
        "special_economic_zone": 9,
        "industrial_estate": dev_total["count"] + len(_seed.OTHER_ESTATES),
        "technology_estate": len(_seed.TECHNOLOGY_ESTATES),
    }
    if counts != expected:
        raise _seed.SeedError(f"registry counts {counts} != expected {expected}")
    return rows


def to_text(rows: list[dict[str, object]]) -> str:
    import pandas as pd

    text = registry_to_csv_text(pd.DataFrame(rows, columns=list(REGISTRY_COLUMNS)))
    # validate what we wrote, and flag points outside their stated province
    import io

    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    typed = validate_registry(raw, path="estates.csv")
    gdf = to_geodataframe(typed, check_provinces=False)
    outside = set(points_outside_province(gdf))
    if outside:
        for row in rows:
            if row["id"] in outside:
                flags = [f for f in (row["flags"] or "").split(";") if f]
                row["flags"] = ";".join([*flags, FLAG_OUTSIDE_PROVINCE])
        text = registry_to_csv_text(pd.DataFrame(rows, columns=list(REGISTRY_COLUMNS)))
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seed", type=Path, help="the 1400 report text (000_dd0ab854e6a26b3b.txt)")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    rows = build(_seed.read_seed(args.seed))
    with atomic_write(args.output, encoding="utf-8-sig", newline="") as f:
        f.write(to_text(rows))
    by_precision: dict[str, int] = {}
    for r in rows:
        key = str(r["location_precision"])
        by_precision[key] = by_precision.get(key, 0) + 1
    print(f"wrote {len(rows)} estates to {args.output} (location precision: {by_precision})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
