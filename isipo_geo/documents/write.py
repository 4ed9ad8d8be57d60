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
    """Write one brief per key to ``out_dir/briefs/<key>.html`` (``national.html`` for None).

    Each page is :func:`isipo_geo.documents.brief.brief_page` with the key's map drawn in,
    written atomically. Province briefs link to the national brief when it is among ``keys``
    or ``national_exists``.

    Parameters
    ----------
    data : MapData
        From :func:`isipo_geo.maps.map_data`, made from ``rows``.
    keys : list of str or None
        Province keys; None for the national brief.
    out_dir : pathlib.Path
        The folder; the briefs go to its ``briefs`` subfolder.
    rows : list of dict
        The funding rows (:func:`isipo_geo.finance.funding_rows`) ``data`` was made from.
    indicators : pandas.DataFrame
        The report's figures (:func:`isipo_geo.load_indicators`).
    estates : pandas.DataFrame, optional
        The registry (:func:`isipo_geo.load_estates`); each brief lists its province's.
    plan : BudgetPlan, optional
        A budget plan (:func:`isipo_geo.finance.budget_plan`) to show; None: no budget.
    progress : callable, optional
        Called with each key (``'national'`` for None) once its brief is written.
    national_exists : bool
        The national brief was written before, in the folder the briefs go to.

    Returns
    -------
    list of pathlib.Path
        The briefs written, in the order of ``keys``.

    Raises
    ------
    InputError
        A key is not a province key.
    OutputError
        A brief cannot be written (folder read-only, disk full).

    Examples
    --------
    >>> import tempfile, isipo_geo
    >>> from pathlib import Path
    >>> from isipo_geo.maps import map_data
    >>> rows = isipo_geo.funding_rows()
    >>> data = map_data(isipo_geo.load_provinces(), isipo_geo.funding_table())
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in write_briefs(data, ["qom"], Path(folder), rows=rows,
    ...                                   indicators=isipo_geo.load_indicators())]
    ['qom.html']
    """
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
