"""Tests of isipo_geo.maps.markers: the popups' utility order and the ring's deficit.

Funding tables and estates are synthetic (built here or by ``tests/synthetic_registry.py``).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from test_maps import _row, synthetic_estates, synthetic_funding

from isipo_geo.errors import InputError
from isipo_geo.maps import leaflet as maps
from isipo_geo.maps.markers import select


@pytest.fixture(scope="module")
def provinces():
    from isipo_geo.provinces import load_provinces

    return load_provinces()


def _lines(data: maps.MapData, ident: str) -> tuple[list[str], list[str]]:
    m = data.estates
    i = m.ids.index(ident)
    return [m.lines[g] for g in m.lines_fa[i]], [m.lines[g] for g in m.lines_en[i]]


def test_popup_needs_follow_the_utility_order(provinces) -> None:
    from isipo_geo.labels import UTILITY_ORDER

    assert UTILITY_ORDER == ("water", "power", "gas", "telecom", "wastewater")
    estate_rows = [
        _row("estate", "tehran", u, None, "", Decimal(n + 1), "registry", estate_id="e1")
        for n, u in enumerate(["biogas", "gas", "power", "telecom", "total", "wastewater", "water"])
    ]
    keys = list(provinces.index)
    funding = pd.concat([synthetic_funding(keys), pd.DataFrame(estate_rows)], ignore_index=True)
    data = maps.map_data(provinces, funding, synthetic_estates(), digits="latin")
    _, lines_en = _lines(data, "e1")
    needs = [line.split(" need:")[0] for line in lines_en if " need:" in line]
    assert needs == ["water", "power", "gas", "telecom", "wastewater treatment", "biogas"]
    lines_fa, _ = _lines(data, "e1")
    needs_fa = [line.split(":")[0] for line in lines_fa if line.startswith("نیاز ")]
    words = ["آب", "برق", "گاز", "مخابرات", "تصفیه فاضلاب", "biogas"]
    assert needs_fa == [f"نیاز {w}" for w in words]


def test_ring_and_popup_read_the_funding_rows_deficit(provinces) -> None:
    """e3 has no deficit cell and no flags; its funding row says water deficit 7.5 L/s (as
    finance derives it from demand − supplied): the ring and the popup say so."""
    keys = list(provinces.index)
    plain = maps.map_data(provinces, synthetic_funding(keys), synthetic_estates(), digits="latin")
    i = plain.estates.ids.index("e3")
    assert plain.estates.status[i] != "deficit"
    rows = [
        _row("estate", "isfahan", "water", Decimal("7.5"), "lps", Decimal(19), "registry",
             estate_id="e3"),
        # e1's cell is empty too, and its row says the supply covers the demand: no ring
        _row("estate", "tehran", "water", Decimal(0), "lps", Decimal(0), "registry",
             estate_id="e1"),
    ]
    funding = pd.concat([synthetic_funding(keys), pd.DataFrame(rows)], ignore_index=True)
    data = maps.map_data(provinces, funding, synthetic_estates(), digits="latin")
    m = data.estates
    assert m.status[m.ids.index("e3")] == "deficit"
    assert m.status[m.ids.index("e1")] == "supplied"  # has water and power, no gap
    _, lines_en = _lines(data, "e3")
    assert "water deficit: 7.5 L/s" in lines_en
    assert "water deficit: 0 L/s" in _lines(data, "e1")[1]
    # e2's cell (12.5 L/s) stays when the funding has no row for it
    assert "water deficit: 12.5 L/s" in _lines(data, "e2")[1]


def test_popup_names_every_utilitys_deficit(provinces) -> None:
    """A gas deficit the funding costed (km) is a popup line as water's is; gas does not ring
    the estate (the ring is water and power)."""
    keys = list(provinces.index)
    rows = [_row("estate", "isfahan", "gas", Decimal("12"), "km", Decimal(18), "registry",
                 estate_id="e3")]
    funding = pd.concat([synthetic_funding(keys), pd.DataFrame(rows)], ignore_index=True)
    data = maps.map_data(provinces, funding, synthetic_estates(), digits="latin")
    lines_fa, lines_en = _lines(data, "e3")
    assert "gas deficit: 12 km" in lines_en
    assert "کمبود گاز: 12 کیلومتر" in lines_fa
    assert data.estates.status[data.estates.ids.index("e3")] != "deficit"


def test_registry_demand_minus_supplied_rings_the_estate(tmp_path) -> None:
    """A registry row with demand and supplied but an empty deficit cell: finance's deficit
    (demand − supplied) reaches the map's ring and popup through `isipo-geo map`'s loading."""
    from synthetic_registry import make_registry_frame

    from isipo_geo.cli._options import Scenario, WhatData
    from isipo_geo.cli.map import Digits, load_map_data

    frame = make_registry_frame(40, ["qom"])
    water = ["water_supplied_lps", "water_demand_lps", "water_deficit_lps"]
    frame.loc[0, water] = ["20", "32.5", ""]
    frame.loc[0, ["power_supplied_mw", "power_demand_mw", "power_deficit_mw"]] = ["", "", ""]
    frame.loc[0, ["has_water", "has_power", "location_precision"]] = ["true", "true", "estate"]
    path = tmp_path / "r.csv"
    path.write_text(frame.to_csv(index=False, lineterminator="\n"), encoding="utf-8-sig")
    what = WhatData(Scenario.registry, registry=path, registry_only=True)
    data = load_map_data(what, Digits.latin)
    ident = frame.loc[0, "id"]
    m = data.estates
    assert m.status[m.ids.index(ident)] == "deficit"
    assert "water deficit: 12.5 L/s" in _lines(data, ident)[1]
    assert ident in [m.ids[i] for i in select(m, "qom")]


def test_escape_all_is_escape_of_each_value() -> None:
    from isipo_geo.maps.html import escape, escape_all

    values = ["<b>", "", "a\x00b", "{x} & 'y'", *[f"n{i}" for i in range(9000)]]
    assert escape_all(values) == [escape(v) for v in values]
    assert escape_all([]) == []


def test_page_parts_join_to_the_rendered_page(provinces) -> None:
    """The atlas writes pages part by part; their join is the page ``render`` makes."""
    from isipo_geo.maps import html as _html

    keys = list(provinces.index)
    data = maps.map_data(provinces, synthetic_funding(keys), synthetic_estates(60), digits="fa")
    for key in (None, "tehran", "fars"):
        m = maps.national_map(data) if key is None else maps.province_map(data, key)
        assert "".join(maps.page_parts(data, key)) == _html.render(m)
    with pytest.raises(InputError, match="unknown province key 'atlantis'"):
        maps.page_parts(data, "atlantis")


# --- how a page carries its estates -----------------------------------------------------------


def points(est: dict) -> list[tuple[float, float]]:
    """The points of a page's ``est`` (decoded as the page script decodes them)."""
    from isipo_geo.maps.markers import POINT_DIGITS

    (lat0, lon0, w), text = est["o"], est["p"]

    def num(j: int) -> int:
        value = 0
        for c in text[j : j + w]:
            value = value * 64 + POINT_DIGITS.index(c)
        return value

    return [
        ((lat0 + num(2 * w * i)) / 1e5, (lon0 + num(2 * w * i + w)) / 1e5)
        for i in range(len(est["s"]))
    ]


def test_points_travel_in_base_64_digits_and_come_back_exactly() -> None:
    from isipo_geo.maps.markers import _point_text

    lat = [3570000, 2500001, 3980000, -10]
    lon = [5140000, 6340000, 4400000, 17999999]
    origin, text = _point_text(lat, lon)
    assert origin[:2] == [-10, 4400000] and 64 ** (origin[2] - 1) <= 13599999 < 64 ** origin[2]
    assert len(text) == 4 * 2 * origin[2]
    assert points({"o": origin, "p": text, "s": [0] * 4}) == [
        (a / 1e5, o / 1e5) for a, o in zip(lat, lon, strict=True)
    ]
    assert _point_text([], []) == ([0, 0, 1], "")


def _page(data: maps.MapData, key: str | None = None) -> dict:
    from test_maps import page_data

    from isipo_geo.maps import html as _html

    page = maps.national_map(data) if key is None else maps.province_map(data, key)
    return page_data(_html.render(page))


def test_a_source_is_text_and_links_never_html() -> None:
    """The popup's source line is segments: text, the word "source" in English, and links
    (http and https only) shown by their site; the page makes DOM nodes of them."""
    from isipo_geo.maps.estate_marks import source_links, source_parts

    source = "report L12 | https://www.a.ir/x?<b> | javascript:alert(1)"
    parts = source_parts(source)
    assert parts == [
        "report L12",
        " · ",
        "javascript:alert(1)",
        " · ",
        (1, "https://www.a.ir/x?<b>", "a.ir"),
    ]
    assert source_links(source) == (
        "report L12 · javascript:alert(1) · "
        '<a href="https://www.a.ir/x?&lt;b&gt;" target="_blank" rel="noopener noreferrer">'
        "a.ir</a>"
    )
    many = " | ".join(f"https://s{i}.ir" for i in range(8))
    assert source_parts(many)[-1] == "+ 2" and len(source_parts(many)) == 6 * 2 + 1


def test_a_large_page_carries_its_estates_text_deflated(provinces, monkeypatch) -> None:
    """Above LARGE_MIN estates the names and popup lines travel deflated (base64): the same
    JSON as a plain page's, inflated by the browser when a popup first needs it; the points and
    their styles stay plain, drawn at once on a canvas, without clusters."""
    import base64
    import json
    import zlib

    from isipo_geo.maps import html as _html

    keys = list(provinces.index)
    data = maps.map_data(provinces, synthetic_funding(keys), synthetic_estates(n_extra=60))
    plain = _page(data)
    assert isinstance(plain["et"], dict) and plain["cluster"] is True and not plain["canvas"]
    monkeypatch.setattr(maps, "LARGE_MIN", 20)
    large = _page(data)
    assert large["canvas"] is True and large["cluster"] is False
    assert isinstance(large["et"], str)
    assert json.loads(zlib.decompress(base64.b64decode(large["et"]))) == plain["et"]
    assert large["est"] == plain["est"]
    again = _html.render(maps.national_map(data))
    assert again == _html.render(maps.national_map(data))  # same input, same bytes
    assert _html.markercluster_js() not in again  # no clusters: the plugin is not inlined
    tehran = _page(data, "tehran")  # 62 estates: over 20, deflated too
    assert isinstance(tehran["et"], str) and len(tehran["est"]["s"]) == 62


def test_estate_columns_are_integers_and_style_rows(provinces) -> None:
    from isipo_geo.maps.estate_marks import KIND_COLORS, RING

    keys = list(provinces.index)
    data = maps.map_data(provinces, synthetic_funding(keys), synthetic_estates(n_extra=60))
    est = _page(data)["est"]
    m = data.estates
    assert points(est) == [(la, lo) for la, lo in zip(m.lat, m.lon, strict=True)]
    kinds, rings = list(KIND_COLORS), list(RING)
    assert [est["st"][s] for s in est["s"]] == [
        [kinds.index(k), rings.index(r), int(a)]
        for k, r, a in zip(m.kind, m.status, m.approx, strict=True)
    ]
    assert len(est["st"]) < len(est["s"])  # each style once


def test_popup_lists_the_other_spellings_sources_give(provinces) -> None:
    """A merged estate's other spellings (the registry's note: «also written: …») are a popup
    line in Persian and in English, so a planner who knows it by another name finds it; an
    estate with one spelling has no such line."""
    from isipo_geo.registry.estates import load_estates, other_spellings

    shipped = load_estates()
    keys = list(provinces.index)
    data = maps.map_data(provinces, synthetic_funding(keys), shipped, digits="fa")
    ali_abad = "ie-tehran-1307f2fd"
    spellings = other_spellings(shipped.loc[ali_abad, "note"])
    assert "شهرک صنعتی پایتخت" in spellings
    lines_fa, lines_en = _lines(data, ali_abad)
    assert f"نام‌های دیگر: {' · '.join(spellings)}" in lines_fa
    assert f"also written: {' · '.join(spellings)}" in lines_en
    single = next(i for i in data.estates.ids if not other_spellings(shipped.loc[i, "note"]))
    assert not any(line.startswith("also written") for line in _lines(data, single)[1])


def test_the_deflated_text_is_the_one_shot_json_deflated_byte_for_byte() -> None:
    # the JSON is deflated a piece at a time (a lower peak at 84,400 estates): the same bytes
    # as the whole text deflated at once, for members, long lists, nesting and Persian text
    import base64
    import json
    import zlib

    from isipo_geo.maps.markers import _deflated

    value = {
        "t": [f"شهرک صنعتی {i}" if i % 3 else ["a", i, None] for i in range(10_001)],
        "nf": list(range(4_999)),
        "pe": [[i, i + 1] for i in range(2_001)] + [[]],
        "x": {},
    }
    z = zlib.compressobj(6, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY)
    whole = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    expected = base64.b64encode(z.compress(whole.encode("utf-8")) + z.flush()).decode("ascii")
    assert _deflated(value) == expected
    assert json.loads(zlib.decompress(base64.b64decode(_deflated(value)))) == value


def test_county_shapes_are_read_and_encoded_once_per_process(monkeypatch):
    from isipo_geo.maps import estate_marks
    from isipo_geo.maps.data import SCALE, encode_polygons
    from isipo_geo.registry import counties

    expected = {
        key: [encode_polygons(g, scale=SCALE) for g in counties.load_counties(key).geometry.values]
        for key in ("tehran", "fars", "qom")
    }
    assert all(len(v) >= 1 for v in expected.values())
    estate_marks._county_shapes.cache_clear()
    calls = []
    real = counties.load_counties
    monkeypatch.setattr(counties, "load_counties", lambda *a: calls.append(a) or real(*a))
    for key in ("tehran", "fars", "qom", "tehran"):
        assert estate_marks.county_shapes(key) == expected[key]
    assert estate_marks.county_shapes("atlantis") == []
    assert len(calls) == 1  # all the counties once, indexed by province


def test_encode_polygons_many_is_encode_polygons_of_each():
    from isipo_geo.maps.data import encode_polygons, encode_polygons_many
    from isipo_geo.provinces import load_provinces
    from isipo_geo.registry.counties import load_counties

    counties = load_counties().geometry.values
    provinces = load_provinces().geometry.values  # multipolygons with islands
    for geoms in (counties, provinces, counties[:0]):
        for scale in (1000, 500, 10):  # at 1/10 degree many rings fall below three points
            assert encode_polygons_many(geoms, scale=scale) == [
                encode_polygons(g, scale=scale) for g in geoms
            ]


def test_ragged_reads_as_the_list_of_int_tuples_it_replaces() -> None:
    from isipo_geo.maps.markers import Ragged

    ragged = Ragged()
    for values in [(3, 1), (), [7], range(4, 6)]:
        ragged.append(values)
    assert len(ragged) == 4
    assert ragged[0] == (3, 1) and ragged[1] == () and ragged[-1] == (4, 5)
    assert list(ragged) == [(3, 1), (), (7,), (4, 5)]
    assert ragged[1:3] == [(), (7,)]
    assert ragged == [(3, 1), (), (7,), (4, 5)] and ragged != [(3, 1)]
    with pytest.raises(IndexError):
        ragged[4]
    assert list(Ragged()) == []


def _text_by_dict(m, shown) -> dict:
    """A page's text as the pages numbered it with one dict: each distinct name or line in
    order of first use (the estate's Persian and English names, its Persian then English
    lines)."""
    table: dict = {}
    names_fa, names_en = list(m.names_fa), list(m.names_en)
    out: dict = {"nf": [], "ne": [], "pf": [], "pe": []}
    for i in shown:
        out["nf"].append(table.setdefault(names_fa[i], len(table)))
        out["ne"].append(table.setdefault(names_en[i], len(table)))
        out["pf"].append([table.setdefault(m.lines[g], len(table)) for g in m.lines_fa[i]])
        out["pe"].append([table.setdefault(m.lines[g], len(table)) for g in m.lines_en[i]])
    return {"t": list(table), **out}


def test_a_name_and_a_line_that_read_alike_are_one_text_of_the_page(provinces) -> None:
    # an estate named as a popup line reads ("Zone": its kind's line in English) shares the
    # line's place in the page's texts, as one table of texts gives it
    from isipo_geo.maps.markers import page_estates

    estates = synthetic_estates()
    data = maps.map_data(provinces, synthetic_funding(list(provinces.index)), estates)
    m = data.estates
    line = next(x for x in m.lines if isinstance(x, str))
    estates["name_en"] = estates["name_en"].astype(object)
    estates.loc["e1", "name_en"] = line
    estates["name_en"] = estates["name_en"].astype("str")
    data = maps.map_data(provinces, synthetic_funding(list(provinces.index)), estates)
    shown = select(data.estates, None)
    _, text, _ = page_estates(data.estates, shown, deflate_min=100)
    assert text == _text_by_dict(data.estates, shown)
    assert text["t"].count(line) == 1


def test_a_page_of_844_estates_sends_the_same_text_deflated_part_by_part(make_registry) -> None:
    # the deflated text (made and deflated 2,000 estates at a time) inflates to the JSON of the
    # text a small page carries whole; the national page's positions are a range
    import base64
    import json
    import zlib

    from isipo_geo.maps.markers import page_estates
    from isipo_geo.run import load_map_data

    data = load_map_data({"registry": make_registry(844)}, "fa")
    shown = select(data.estates, None)
    assert shown == range(len(data.estates)) and len(shown) > 800
    points, whole, linked = page_estates(data.estates, shown, deflate_min=10**6)
    points_d, packed, linked_d = page_estates(data.estates, shown, deflate_min=0)
    assert points_d == points and linked_d == linked
    assert len(whole["nf"]) == len(whole["pf"]) == len(shown)
    text = zlib.decompress(base64.b64decode(packed)).decode("utf-8")
    assert text == json.dumps(whole, ensure_ascii=False, separators=(",", ":"))
    names_fa, names_en = list(data.estates.names_fa), list(data.estates.names_en)
    assert whole == _text_by_dict(data.estates, shown)
    assert [whole["t"][n] for n in whole["nf"]] == names_fa
    assert names_fa[0].startswith("شهرک صنعتی ") and names_en[0].endswith(" Industrial Estate 1")
    isfahan = select(data.estates, "isfahan")
    _, part, _ = page_estates(data.estates, isfahan, deflate_min=10**6)
    assert [part["t"][n] for n in part["ne"]] == [names_en[i] for i in isfahan]
    assert 0 < len(isfahan) < len(shown)


def test_names_are_read_as_python_strips_them_the_english_where_no_persian(provinces) -> None:
    # the names are read in Arrow (not a Python string per estate): stripped of what
    # str.strip() strips (U+3000, U+001F, ...), the English name where the Persian is empty,
    # and a string index sorted as Python sorts ids
    estates = synthetic_estates()
    estates["name_fa"] = estates["name_fa"].astype(object)
    estates.loc["e1", "name_fa"] = "\u3000 \x1fکاشان\u2003"
    estates.loc["e2", "name_fa"] = "  "
    estates.loc["e2", "name_en"] = " Zone\t"
    estates["name_fa"] = estates["name_fa"].astype("str")
    estates["name_en"] = estates["name_en"].astype("str")
    data = maps.map_data(provinces, synthetic_funding(list(provinces.index)), estates)
    m = data.estates
    names_fa, names_en = list(m.names_fa), list(m.names_en)
    assert names_fa[m.ids.index("e1")] == "کاشان"
    assert names_fa[m.ids.index("e2")] == "Zone" and names_en[m.ids.index("e2")] == "Zone"
    assert m.ids == sorted(m.ids)
