"""The briefs' file side (isipo_geo.documents.write): one page per key in ``briefs/``, the font
embedded, the national link only to a national brief that exists."""

from __future__ import annotations

import pandas as pd
import pytest

from isipo_geo import finance
from isipo_geo.documents.brief import brief_page
from isipo_geo.documents.fonts import font_face_css
from isipo_geo.documents.write import write_briefs
from isipo_geo.maps import html
from isipo_geo.maps import leaflet as maps
from isipo_geo.provinces import load_provinces
from isipo_geo.registry.estates import load_estates
from isipo_geo.report import load_indicators

NATIONAL_LINK = '<a href="national.html">'


@pytest.fixture(scope="module")
def inputs():
    rows = finance.funding_rows(scenario="essential", allocate_by="equal")
    estates = load_estates()
    funding = pd.DataFrame(rows, columns=finance.OUTPUT_COLUMNS)
    data = maps.map_data(load_provinces(), funding, estates)
    return {"data": data, "rows": rows, "estates": estates, "indicators": load_indicators()}


def _write(inputs, keys, out, **options):
    return write_briefs(
        inputs["data"], keys, out, rows=inputs["rows"], indicators=inputs["indicators"],
        estates=inputs["estates"], **options,
    )


def test_one_page_per_key_in_order_with_progress(inputs, tmp_path) -> None:
    seen: list[str] = []
    paths = _write(inputs, ["fars", None], tmp_path, progress=seen.append)
    assert paths == [tmp_path / "briefs" / "fars.html", tmp_path / "briefs" / "national.html"]
    assert seen == ["fars", "national"]
    assert sorted(p.name for p in (tmp_path / "briefs").iterdir()) == ["fars.html", "national.html"]


def test_the_page_is_the_brief_with_the_font_and_the_map(inputs, tmp_path) -> None:
    (path,) = _write(inputs, ["fars"], tmp_path)
    data = inputs["data"]
    expected = brief_page(
        data, "fars", map_page=html.render(maps.province_map(data, "fars", legend="none")),
        rows=inputs["rows"], indicators=inputs["indicators"], estates=inputs["estates"],
        font_css=font_face_css(), national_link=False,
    )
    assert path.read_text(encoding="utf-8") == expected
    assert "data:font/woff2;base64," in expected


def test_a_province_links_to_the_national_brief_only_when_there_is_one(inputs, tmp_path) -> None:
    (alone,) = _write(inputs, ["fars"], tmp_path / "a")
    assert NATIONAL_LINK not in alone.read_text(encoding="utf-8")
    (before,) = _write(inputs, ["fars"], tmp_path / "b", national_exists=True)
    assert NATIONAL_LINK in before.read_text(encoding="utf-8")
    _, with_it = _write(inputs, [None, "fars"], tmp_path / "c")
    assert NATIONAL_LINK in with_it.read_text(encoding="utf-8")
