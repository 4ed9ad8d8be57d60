"""Iran's counties (شهرستان) from OpenStreetMap, and placing an estate at its town or county.

``data/counties/counties.geojson`` holds the 478 county polygons of OSM (simplified together so
neighbours share borders; © OpenStreetMap contributors, ODbL 1.0 — see that folder's SOURCE.md).
A county is named without «شهرستان» (``name_fa``) and without "County" (``name_en``); its
``lon``/``lat`` is a representative point inside it.

:func:`place` is the one rule for putting an estate on the map from a town and/or county name,
used by the shipped registry's build and by the importer:

1. the town (GeoNames, :mod:`~isipo_geo.registry.gazetteer`) inside the province, and inside the
   county when one is named; several GeoNames places of that name → the one in the stated county,
   else flag ``ambiguous_town`` with the candidates and how far apart they are;
2. no town found (or none inside the stated county) → the county's representative point
   (precision ``county``);
3. no county either → the province's representative point (precision ``province``).

A town named like a county of the province (and no county stated) must lie in that county: GeoNames
lists «ساوه» as an alternate name of Arak, and its only «ورزنه» lies in Golpayegan county, far from
the town of Varzaneh; such a place is refused (``town_not_in_county``) and the county's point used.
"""

from __future__ import annotations

import math
import re
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from isipo_geo import _paths
from isipo_geo.names import fold, normalize_fa

if TYPE_CHECKING:
    import geopandas as gpd

ATTRIBUTION = "© OpenStreetMap contributors, ODbL 1.0"
FLAG_AMBIGUOUS_TOWN = "ambiguous_town"
FLAG_TOWN_NOT_FOUND = "town_not_found"
FLAG_TOWN_NOT_IN_COUNTY = "town_not_in_county"
FLAG_COUNTY_NOT_FOUND = "county_not_found"
AMBIGUOUS_KM = 5.0  # two places of one name closer than this are one place for our purpose
_PERSIAN_LETTER = re.compile("[\u0600-\u06ff]")


@cache
def _counties() -> gpd.GeoDataFrame:
    from isipo_geo.geojson import read_geojson

    gdf = read_geojson(_paths.data_file("counties", "counties.geojson"))
    gdf["osm_id"] = gdf["osm_id"].astype("int64")
    gdf.index = gdf["osm_id"].to_numpy()
    return gdf


def load_counties(province: str | None = None) -> gpd.GeoDataFrame:
    """The OSM counties (EPSG:4326), indexed by OSM relation id; only ``province``'s if given.

    Columns: ``osm_id``, ``province`` (key), ``name_fa``, ``name_en``, ``lon``, ``lat``
    (a point inside the county), ``geometry``.
    """
    gdf = _counties()
    if province is not None:
        from isipo_geo.names import resolve_province

        gdf = gdf[gdf["province"] == resolve_province(province)]
    return gdf.copy()


def _key(name: str) -> str:
    """The matching key of a county name: :func:`~isipo_geo.names.fold`, and ئ read as ی
    (OSM writes «نائین», «بوئین زهرا»; sources «نایین», «بویین زهرا»)."""
    return fold(name.replace("ئ", "ی"))


@cache
def _name_index() -> dict[tuple[str, str], tuple[int, ...]]:
    index: dict[tuple[str, str], set[int]] = {}
    for row in _counties().itertuples():
        for name in (row.name_fa, row.name_en):
            if isinstance(name, str) and name:
                index.setdefault((row.province, _key(name)), set()).add(int(row.osm_id))
    return {k: tuple(sorted(v)) for k, v in index.items()}


def _variants(text: str) -> list[str]:
    """A county name as sources write it, then the forms OSM may use: with or without «بندر»
    (port: «انزلی» / «بندر انزلی»), and the first name of a pair («سنقر و کلیایی» → «سنقر»)."""
    out = [text]
    if text.startswith("بندر "):
        out.append(text.removeprefix("بندر "))
    elif _PERSIAN_LETTER.match(text):
        out.append("بندر " + text)
    if " و " in text:
        out.append(text.split(" و ")[0])
    return out


def resolve_county(name: str, province: str) -> int | None:
    """The OSM id of the county called ``name`` (Persian or English, with or without
    «شهرستان»/"County", «بندر», ئ or ی) in ``province`` (a key), or None.

    >>> aran = resolve_county("شهرستان آران و بيدگل", "isfahan")
    >>> aran is not None and aran == resolve_county("آران و بیدگل", "isfahan")
    True
    """
    text = normalize_fa(name or "")
    for prefix in ("شهرستان ",):
        text = text.removeprefix(prefix)
    text = text.removesuffix(" County")
    for variant in _variants(text):
        found = _name_index().get((province, _key(variant)), ())
        if len(found) == 1:
            return found[0]
    return None


def county_at(lon: float, lat: float, province: str | None = None) -> int | None:
    """OSM id of the county containing the point (within ``province`` if given), or None."""
    import shapely

    gdf = _counties() if province is None else _counties()[_counties()["province"] == province]
    point = shapely.Point(lon, lat)
    hits = gdf[gdf.geometry.covers(point)]
    return int(hits.index[0]) if len(hits) else None


def km_between(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km (haversine)."""
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


class Placement(NamedTuple):
    """Where :func:`place` put an estate, and why."""

    lon: float | None
    lat: float | None
    precision: str | None  # town / county / province / None
    geonames_id: int | None
    county_osm_id: int | None
    county_fa: str  # the OSM county (stated and resolved, or the one the town lies in)
    flags: tuple[str, ...]
    note: str  # one line for people: which place was used and why


def county_name(osm_id: int | None) -> str:
    """The Persian name (without «شهرستان») of an OSM county, "" for None."""
    return "" if osm_id is None else str(_counties().at[osm_id, "name_fa"])


def place(
    province: str,
    *,
    town: str = "",
    county: str = "",
    fallback_province: bool = True,
) -> Placement:
    """Place an estate from the town and county a source gives, inside ``province`` (a key).

    Parameters
    ----------
    province
        Province key (already resolved).
    town, county
        Names as the source writes them (empty when not given).
    fallback_province
        Without a town or county found, return the province's representative point
        (precision ``province``); False: no location.

    Returns
    -------
    Placement
        Flags: ``ambiguous_town:<n> candidates <id>,<id> up to <km> km apart`` (several GeoNames
        places of that name and no stated county to choose), ``town_not_found:<town>``,
        ``town_not_in_county:<town>`` (GeoNames has the town in the province but not in the
        stated county: the county's point is used), ``county_not_found:<county>``.
    """
    from isipo_geo.registry.gazetteer import find_towns

    flags: list[str] = []
    county_id = resolve_county(county, province) if county else None
    if county and county_id is None:
        flags.append(f"{FLAG_COUNTY_NOT_FOUND}:{normalize_fa(county)}")
    found = find_towns(town, province) if town else []
    if found and county_id is None and not county:
        # a town named like a county is that county's town: a GeoNames place elsewhere that
        # carries the name (Arak lists «ساوه» among its alternate names) is not it
        county_id = resolve_county(town, province)
        implied = county_id is not None
    else:
        implied = False
    if found and county_id is not None:
        poly = _counties().at[county_id, "geometry"]
        import shapely

        inside = [t for t in found if poly.covers(shapely.Point(t.lon, t.lat))]
        if not inside:
            flags.append(f"{FLAG_TOWN_NOT_IN_COUNTY}:{normalize_fa(town)}")
        found = inside
    if found:
        return _at_town(found, town, province, county_id, implied, flags)
    if town and not any(f.startswith(FLAG_TOWN_NOT_IN_COUNTY) for f in flags):
        flags.append(f"{FLAG_TOWN_NOT_FOUND}:{normalize_fa(town)}")
    return _without_town(province, county_id, flags, fallback_province=fallback_province)


def _at_town(
    found: list, town: str, province: str, county_id: int | None, implied: bool, flags: list[str]
) -> Placement:
    """The placement at the first of the GeoNames places ``found`` for ``town`` (flagged
    ambiguous when others lie far from it)."""
    best = found[0]
    far = [t for t in found[1:] if km_between(best.lon, best.lat, t.lon, t.lat) > AMBIGUOUS_KM]
    if far:
        span = max(km_between(best.lon, best.lat, t.lon, t.lat) for t in far)
        ids = ",".join(str(t.geonameid) for t in [best, *far])
        flags.append(
            f"{FLAG_AMBIGUOUS_TOWN}:{len(far) + 1} candidates {ids} up to {span:.0f} km apart"
        )
    where = county_id if county_id is not None else county_at(best.lon, best.lat, province)
    how = (
        "in the county of its name"
        if implied
        else "in the stated county"
        if county_id is not None
        else "in the province"
    )
    return Placement(
        best.lon,
        best.lat,
        "town",
        best.geonameid,
        where,
        county_name(where),
        tuple(flags),
        f"town {normalize_fa(town)} = GeoNames {best.geonameid} {best.name_en} ({how})",
    )


def _without_town(
    province: str, county_id: int | None, flags: list[str], *, fallback_province: bool
) -> Placement:
    """The placement when no town was found: the county's point, else the province's (or no
    location without ``fallback_province``)."""
    if county_id is not None:
        row = _counties().loc[county_id]
        return Placement(
            float(row["lon"]),
            float(row["lat"]),
            "county",
            None,
            county_id,
            str(row["name_fa"]),
            tuple(flags),
            f"a point inside county {row['name_fa']} (OSM relation {county_id})",
        )
    if not fallback_province:
        return Placement(None, None, None, None, None, "", tuple(flags), "no location")
    from isipo_geo.provinces import load_provinces

    point = load_provinces().loc[province, "geometry"].representative_point()
    return Placement(
        round(point.x, 5),
        round(point.y, 5),
        "province",
        None,
        None,
        "",
        tuple(flags),
        "a point inside the province (no town or county found)",
    )
