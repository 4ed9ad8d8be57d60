"""Golden pages: the bytes of the map pages for fixed inputs, recorded from the code before the
map data was built column-wise (issue 12), so a faster build cannot change a page unnoticed.

Three inputs: the shipped figures and estates (Persian digits); a synthetic registry of 8,440
estates (``make_registry``, seed 12); the hostile synthetic estates of ``test_maps`` with a layer
of the user's own and Latin digits. A page that is meant to change updates its hash in
``golden_pages.json`` in the same commit, saying why; the file is rewritten with
``ISIPO_WRITE_GOLDEN=1 pytest tests/maps/test_pages_golden.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).with_name("golden_pages.json")


def _hashes(folder: Path, written: list[Path], prefix: str) -> dict[str, str]:
    return {
        f"{prefix}/{p.relative_to(folder).as_posix()}": hashlib.sha256(p.read_bytes()).hexdigest()
        for p in written
    }


def _atlas(tmp_path: Path, name: str, registry: Path | None) -> dict[str, str]:
    from isipo_geo.cli._options import Scenario, WhatData
    from isipo_geo.cli.map import Digits, load_map_data
    from isipo_geo.maps.atlas import write_atlas

    data = load_map_data(WhatData(Scenario.essential, registry=registry), Digits.fa)
    folder = tmp_path / name
    return _hashes(folder, write_atlas(data, folder), name)


def _hostile(tmp_path: Path) -> dict[str, str]:
    from test_maps import layer_table, synthetic_estates, synthetic_funding

    from isipo_geo.maps import html as _html
    from isipo_geo.maps import leaflet as maps
    from isipo_geo.provinces import load_provinces

    provinces = load_provinces()
    layer = maps.user_layer(layer_table(), "ghi", label="تابش / GHI", unit="kWh/m²")
    data = maps.map_data(
        provinces,
        synthetic_funding(list(provinces.index)),
        synthetic_estates(n_extra=60),
        digits="latin",
        layer=layer,
    )
    folder = tmp_path / "hostile"
    written = [
        _html.write_text(folder / "national.html", _html.render(maps.national_map(data))),
        _html.write_text(
            folder / "tehran.html", _html.render(maps.province_map(data, "tehran", tiles=True))
        ),
        _html.write_text(
            folder / "fars.html", _html.render(maps.province_map(data, "fars", legend="none"))
        ),
    ]
    return _hashes(folder, written, "hostile")


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    from synthetic_registry import write_registry

    tmp = tmp_path_factory.mktemp("golden")
    found = _atlas(tmp, "shipped", None)
    found |= _atlas(tmp, "registry8440", write_registry(tmp / "registry_8440.csv", 8440))
    found |= _hostile(tmp)
    return found


def test_pages_are_the_golden_bytes(pages) -> None:
    if os.environ.get("ISIPO_WRITE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(pages, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert len(expected) == 2 * 33 + 3  # two atlases (32 pages and the index) and 3 pages
    assert sorted(pages) == sorted(expected)
    changed = sorted(name for name in expected if pages[name] != expected[name])
    assert changed == []
