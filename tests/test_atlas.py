"""Writing the map files (isipo_geo.atlas) from the shipped data."""

from __future__ import annotations

import pytest

from isipo_geo import atlas, maps
from isipo_geo.estates import load_estates
from isipo_geo.finance import funding_table
from isipo_geo.provinces import load_provinces


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
    paths = atlas.write_map(data, "fars", tmp_path, tiles=False, embed=True, png=False)
    assert [p.name for p in paths] == ["fars.html", "fars.embed.html"]
    snippet = paths[1].read_text(encoding="utf-8")
    assert '<iframe src="fars.html"' in snippet


def test_index_links_every_province_with_its_total(data, tmp_path) -> None:
    text = atlas.write_index(data, tmp_path).read_text(encoding="utf-8")
    assert text.count('href="provinces/') == 31
    assert 'href="national.html"' in text
    assert "برآورد" in text  # allocated totals are marked as estimates
