"""The file side of the documents: one brief page per province (and the national brief)
written into a folder, each a self-contained, offline file (:mod:`isipo_geo.documents.brief`
builds the page; :mod:`isipo_geo.documents.pdf` prints it).

Moved here from ``maps/atlas`` with the briefs (issue 22): the maps sit below the documents,
which draw the maps' own page into each brief.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from isipo_geo.documents.brief import brief_page
from isipo_geo.documents.fonts import font_face_css
from isipo_geo.maps import html as _html
from isipo_geo.maps import leaflet as maps
from isipo_geo.maps.leaflet import MapData


def write_briefs(
    data: MapData,
    keys: list[str | None],
    out_dir: Path,
    *,
    rows: list[dict],
    indicators: Any,
    estates: Any = None,
    plan: Any = None,
    progress: Callable[[str], None] | None = None,
    national_exists: bool = False,
) -> list[Path]:
    """Write one brief per key (``None``: the national brief) to ``out_dir/briefs/<key>.html``
    (:func:`isipo_geo.documents.brief.brief_page`); returns the paths, in the order of ``keys``.
    Province briefs link to the national brief when it is among ``keys`` or
    ``national_exists`` (written before, in the folder the briefs go to)."""
    font_css = font_face_css()
    written = []
    for key in keys:
        if key is None:
            m = maps.national_map(data, legend="none")
        else:
            m = maps.province_map(data, key, legend="none")
        page = brief_page(
            data,
            key,
            map_page=_html.render(m),
            rows=rows,
            indicators=indicators,
            estates=estates,
            plan=plan,
            font_css=font_css,
            national_link=national_exists or None in keys,
        )
        written.append(_html.write_text(out_dir / "briefs" / f"{key or 'national'}.html", page))
        if progress is not None:
            progress(key or "national")
    return written
