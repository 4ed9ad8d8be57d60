"""Writing the map files (isipo_geo.maps.atlas) from the shipped data."""

from __future__ import annotations

import pytest

from isipo_geo.finance import funding_table
from isipo_geo.maps import atlas
from isipo_geo.maps import leaflet as maps
from isipo_geo.provinces import load_provinces
from isipo_geo.registry.estates import load_estates


@pytest.fixture(scope="module")
def data():
    return maps.map_data(load_provinces(), funding_table(), load_estates())


def test_write_atlas_writes_33_pages_and_reports_progress(data, tmp_path) -> None:
    seen: list[str] = []
    written = atlas.write_atlas(data, tmp_path, progress=seen.append)
    assert len(written) == 33
    assert seen[0] == "national" and len(seen) == 32 and "tehran" in seen
    assert (tmp_path / "index.html").is_file()
    assert len(list((tmp_path / "provinces").glob("*.html"))) == 31


def test_write_map_with_embed_snippet(data, tmp_path) -> None:
    # the snippet is pasted into a report beside the maps/ folder: src starts with maps/
    out = tmp_path / "maps"
    paths = atlas.write_map(data, "fars", out, tiles=False, embed=True, png=False)
    assert [p.name for p in paths] == ["fars.html", "fars.embed.html"]
    snippet = paths[1].read_text(encoding="utf-8")
    assert '<iframe src="maps/provinces/fars.html"' in snippet
    national = atlas.write_map(data, None, out, tiles=False, embed=True, png=False)[1]
    assert '<iframe src="maps/national.html"' in national.read_text(encoding="utf-8")


def test_index_links_every_province_with_its_total(data, tmp_path) -> None:
    text = atlas.write_index(data, tmp_path).read_text(encoding="utf-8")
    assert text.count('href="provinces/') == 31
    assert 'href="national.html"' in text
    assert "برآورد" in text  # allocated totals are marked as estimates


def test_read_layer_reports_the_rows_of_the_file(tmp_path) -> None:
    import openpyxl

    from isipo_geo.errors import InputError

    csv_path = tmp_path / "pop.csv"
    csv_path.write_text("province,people\n\nqom,1200\n\ngilan,lots\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"pop\.csv, row 5, column 'people'"):
        atlas.read_layer(csv_path, "people")
    csv_path.write_text("province;people\nقم;۱٬۲۰۰\n", encoding="utf-8")  # Excel's ; and Persian
    layer = atlas.read_layer(csv_path, "people", label="جمعیت / Population", unit="نفر")
    assert layer.values["qom"] == 1200 and layer.source == "pop.csv"
    assert (layer.label_fa, layer.label_en, layer.unit) == ("جمعیت", "Population", "نفر")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["province", "people"], ["Qom", 1200], ["Gilan", "n/a"], ["Tehran", "many"]):
        sheet.append(row)
    book.save(tmp_path / "pop.xlsx")
    with pytest.raises(InputError, match=r"pop\.xlsx, row 4, column 'people'"):
        atlas.read_layer(tmp_path / "pop.xlsx", "people")


def test_atlas_with_a_layer_keeps_the_index_on_money(data, tmp_path) -> None:
    import pandas as pd

    layer = maps.user_layer(pd.DataFrame({"province": ["fars"], "v": [3.0]}), "v")
    with_layer = maps.map_data(load_provinces(), funding_table(), load_estates(), layer=layer)
    assert (
        atlas.write_index(with_layer, tmp_path / "a").read_bytes()
        == atlas.write_index(data, tmp_path / "b").read_bytes()
    )
