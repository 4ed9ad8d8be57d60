"""Tests for isipo_geo.registry.counties: OSM counties and placing an estate at town or county."""

from __future__ import annotations

import json

import pytest
import shapely

from isipo_geo import _paths
from isipo_geo.names import province_keys
from isipo_geo.registry import counties, gazetteer


def test_shipped_counties_file():
    path = _paths.data_file("counties", "counties.geojson")
    assert path.stat().st_size < 450_000  # simplified for the web: light context, not a cadastre
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["attribution"] == counties.ATTRIBUTION == "© OpenStreetMap contributors, ODbL 1.0"
    gdf = counties.load_counties()
    assert len(gdf) == 478
    assert set(gdf["province"]) == set(province_keys())
    assert gdf.geometry.is_valid.all()
    assert not gdf["name_fa"].str.startswith("شهرستان").any()
    inside = [
        geom.covers(shapely.Point(lon, lat))
        for geom, lon, lat in zip(gdf.geometry, gdf["lon"], gdf["lat"], strict=True)
    ]
    assert sum(inside) >= 470  # a point of the full polygon; simplifying may move a border a bit
    assert len(counties.load_counties("isfahan")) == len(gdf[gdf["province"] == "isfahan"]) > 20


def test_resolve_county_any_spelling():
    kashan = counties.resolve_county("کاشان", "isfahan")
    assert kashan == 6555161
    for spelling in ("شهرستان کاشان", "Kashan", "Kashan County", "كاشان"):
        assert counties.resolve_county(spelling, "isfahan") == kashan
    assert counties.resolve_county("کاشان", "tehran") is None  # only inside the province
    assert counties.resolve_county("", "isfahan") is None
    assert counties.county_at(51.43, 33.98) == kashan
    assert counties.county_at(51.43, 33.98, "tehran") is None


def test_town_found_inside_the_province():
    where = counties.place("khuzestan", town="دزفول")
    assert where.precision == "town"
    assert (where.lon, where.lat, where.geonames_id) == (48.40581, 32.38114, 136256)
    assert where.county_fa == "دزفول"  # the county the town lies in
    assert where.flags == ()
    assert "GeoNames 136256" in where.note


def test_town_in_another_county_than_stated_falls_back_to_the_county():
    # GeoNames' only «ورزنه» in Isfahan lies in Golpayegan, ~236 km from the town of Varzaneh:
    # a source that says the county is Isfahan gets the county's point, flagged, not the village
    (only,) = gazetteer.find_towns("ورزنه", "isfahan")
    assert only.geonameid == 112124
    where = counties.place("isfahan", town="ورزنه", county="اصفهان")
    assert where.precision == "county" and where.geonames_id is None
    assert where.county_fa == "اصفهان"
    assert where.flags == ("town_not_in_county:ورزنه",)
    assert counties.km_between(where.lon, where.lat, only.lon, only.lat) > 150


def test_a_town_named_like_a_county_must_lie_in_that_county():
    # GeoNames lists «ساوه» as an alternate name of Arak (the most populous match): the town
    # of Saveh is the one inside Saveh county (Kaveh Industrial City lies there)
    assert [t.name_en for t in gazetteer.find_towns("ساوه", "markazi")][0] == "Arāk"
    saveh = counties.place("markazi", town="ساوه")
    assert (saveh.precision, saveh.geonames_id, saveh.county_fa) == ("town", 116667, "ساوه")
    assert not any(f.startswith("ambiguous_town") for f in saveh.flags)
    # GeoNames' only «ورزنه» lies in Golpayegan, not in Varzaneh county: refused, the county's
    # point is used and the row says why
    varzaneh = counties.place("isfahan", town="ورزنه")
    assert (varzaneh.precision, varzaneh.geonames_id) == ("county", None)
    assert varzaneh.county_fa == "ورزنه"
    assert varzaneh.flags == ("town_not_in_county:ورزنه",)
    # a town whose name no county carries is found as before
    assert counties.place("khuzestan", town="دزفول").geonames_id == 136256


def test_several_places_of_one_name():
    # GeoNames has several «Shahr-e Kord»-like duplicates; find one name with candidates far apart
    towns = gazetteer.towns()
    dup = towns.groupby(["province", "name_en"]).filter(lambda g: len(g) > 1)
    far = None
    for (province, name), group in dup.groupby(["province", "name_en"]):
        pts = list(zip(group["lon"], group["lat"], strict=True))
        span = max(counties.km_between(*a, *b) for a in pts for b in pts)
        if span > 20 and len(gazetteer.find_towns(name, province)) == len(group):
            far = (province, name, group)
            break
    assert far is not None
    province, name, group = far
    where = counties.place(province, town=name)
    assert where.precision == "town"
    (flag,) = [f for f in where.flags if f.startswith("ambiguous_town")]
    assert f"{len(group)} candidates" in flag and "km apart" in flag
    for gid in group["geonameid"]:
        assert str(gid) in flag
    # with the county one of them lies in, that one is taken and nothing is ambiguous
    pick = group.iloc[-1]
    county_id = counties.county_at(pick["lon"], pick["lat"], province)
    county_name = counties.load_counties().at[county_id, "name_fa"]
    chosen = counties.place(province, town=name, county=county_name)
    assert chosen.county_osm_id == county_id
    inside = [
        t
        for t in gazetteer.find_towns(name, province)
        if counties.county_at(t.lon, t.lat, province) == county_id
    ]
    assert chosen.geonames_id == inside[0].geonameid
    assert not any(f.startswith("ambiguous_town") for f in chosen.flags) or len(inside) > 1


@pytest.mark.parametrize(
    ("town", "county", "precision", "flag"),
    [
        ("نامعلوم", "کاشان", "county", "town_not_found:نامعلوم"),
        ("", "کاشان", "county", None),
        ("نامعلوم", "", "province", "town_not_found:نامعلوم"),
        ("", "جایی", "province", "county_not_found:جایی"),
    ],
)
def test_fallbacks(town, county, precision, flag):
    where = counties.place("isfahan", town=town, county=county)
    assert where.precision == precision
    assert where.flags == ((flag,) if flag else ())
    if precision == "county":
        assert (where.lon, where.lat) == (51.2616, 33.9731) and where.county_fa == "کاشان"
    bare = counties.place("isfahan", town=town, county=county, fallback_province=False)
    assert bare.precision == ("county" if precision == "county" else None)


@pytest.mark.parametrize(
    ("name", "province", "osm_name"),
    [
        ("بویین زهرا", "qazvin", "بوئین زهرا"),  # ئ / ی
        ("نایین", "isfahan", "نائین"),
        ("انزلی", "gilan", "بندر انزلی"),  # «بندر» (port) added
        ("بندر ترکمن", "golestan", "ترکمن"),  # … or dropped
        ("سنقر و کلیایی", "kermanshah", "سنقر"),  # the first of a pair
    ],
)
def test_county_spellings_sources_use(name, province, osm_name):
    osm_id = counties.resolve_county(name, province)
    assert osm_id is not None and counties.county_name(osm_id) == osm_name


def test_a_special_county_is_named_without_its_status_word():
    # OSM names Maragheh «شهرستان ویژه مراغه» (a county given special status): the county is «مراغه»
    import sys

    sys.path.insert(0, str(_paths.data_file("counties", "counties.geojson").parents[2] / "scripts"))
    import build_counties

    assert build_counties.bare_name_fa("شهرستان ویژه مراغه") == "مراغه"
    assert build_counties.bare_name_fa("شهرستان آران و بیدگل") == "آران و بیدگل"
    assert build_counties.bare_name_fa("ویژه") == "ویژه"  # a name that is only the word stays
    assert not counties.load_counties()["name_fa"].str.startswith("ویژه").any()
    maragheh = counties.resolve_county("مراغه", "east_azerbaijan")
    assert maragheh is not None and counties.county_name(maragheh) == "مراغه"


def test_the_counties_read_without_gdal_are_the_ones_gdal_reads() -> None:
    pyogrio = pytest.importorskip("pyogrio")
    from isipo_geo import _paths
    from isipo_geo.registry.counties import load_counties

    ours = load_counties()
    gdal = pyogrio.read_dataframe(_paths.data_file("counties", "counties.geojson"))
    assert len(ours) == len(gdal) > 400
    for column in ("province", "name_fa", "name_en", "lon", "lat"):
        assert ours[column].tolist() == gdal[column].tolist(), column
    assert ours["osm_id"].tolist() == gdal["osm_id"].astype("int64").tolist()
    assert ours.geometry.geom_equals_exact(gdal.set_index(ours.index).geometry, 0).all()
