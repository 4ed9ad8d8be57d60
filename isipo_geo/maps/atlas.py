"""The file side of the maps: reading a layer of the user's own, writing one page per map, its
iframe snippet and PNG, and the index.

:mod:`isipo_geo.maps` builds map objects; this module is the file side, so the CLI stays a thin
layer (``isipo-geo map`` and ``isipo-geo build`` both call :func:`write_atlas`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from isipo_geo.display import format_number, money_unit
from isipo_geo.finance.money import CURRENCY_LABELS
from isipo_geo.maps import html as _html
from isipo_geo.maps import leaflet as maps
from isipo_geo.maps.credits import credit_words, year_words
from isipo_geo.maps.leaflet import MapData


def read_layer(
    path: str | os.PathLike[str],
    column: str,
    *,
    label: str | None = None,
    unit: str = "",
) -> maps.UserLayer:
    """Read a value per province from a CSV, XLSX or GIS file, as a layer for the maps.

    E.g. the output of ``isipo-geo raster zonal --out FILE``. The first non-empty row is the
    header. CSVs in UTF-8 (with or without BOM), UTF-16 or Windows-1256, with ``,`` ``;`` or
    tab, are read; errors name the file's own row numbers (CSV line, spreadsheet row, feature
    number).

    Parameters
    ----------
    path : path-like
        The file (CSV, XLSX, GeoPackage, GeoJSON, Shapefile).
    column : str
        The column to map; the file also needs a ``province`` (or ``key``) column.
    label : str, optional
        ``"Persian / English"``; by default the column's name (see
        :func:`isipo_geo.maps.user_layer`).
    unit : str
        The values' unit, shown after each value.

    Returns
    -------
    UserLayer
        The values on the 31 province keys (NaN where the file has none), for
        :func:`isipo_geo.maps.map_data`'s ``layer``.

    Raises
    ------
    InputError
        The file cannot be read, or its table is not a value per province
        (:func:`isipo_geo.maps.layer_values`).
    """
    import pandas as pd

    from isipo_geo.errors import InputError
    from isipo_geo.registry import read_table

    path = Path(path)
    raw = read_table(path)
    filled = [i for i, row in enumerate(raw.rows) if any(c is not None for c in row)]
    if not filled:
        raise InputError("the file has no table", path=path)
    head = filled[0]
    header = ["" if c is None else str(c).strip() for c in raw.rows[head]]
    body = [i for i in filled if i > head]
    cells = [(list(raw.rows[i]) + [None] * len(header))[: len(header)] for i in body]
    table = pd.DataFrame(cells, columns=header, dtype=object)
    rows = [raw.row_numbers[i] for i in body]
    return maps.user_layer(table, column, path=path, rows=rows, label=label, unit=unit)


def write_map(
    data: MapData,
    key: str | None,
    out_dir: Path,
    *,
    tiles: bool,
    embed: bool,
    png: bool,
    compress: bool = False,
    legend: str = "auto",
    svg: bool = False,
    pdf: bool = False,
    width_cm: float = 16.0,
    dpi: int = 300,
) -> list[Path]:
    """Build, render and write one map page, and its snippet and figures when asked.

    The page is one self-contained, offline HTML file: ``out_dir/national.html`` or
    ``out_dir/provinces/<key>.html``, written atomically. The snippet
    (``<name>.embed.html``) is pasted into a report kept beside ``out_dir``, so its ``src``
    starts with the folder's name: ``maps/national.html``, ``maps/provinces/fars.html``.

    Parameters
    ----------
    data : MapData
        From :func:`isipo_geo.maps.map_data`.
    key : str or None
        A province key; None for the national map.
    out_dir : pathlib.Path
        The maps' folder.
    tiles : bool
        Add OpenStreetMap tiles as an overlay (needs the internet when opened).
    embed : bool
        Also write each page's iframe snippet (``<name>.embed.html``).
    png : bool
        Also write each map as a static PNG figure.
    compress : bool
        Compress the page's styles and scripts (:func:`isipo_geo.maps.html.pack`).
    legend : {'auto', 'full', 'compact', 'none'}
        As for :func:`isipo_geo.maps.national_map`.
    svg, pdf : bool
        Also write the static figure as SVG, as PDF.
    width_cm : float
        Width of the static figures, in centimetres (2 to 100).
    dpi : int
        Resolution of the PNG, in dots per inch (50 to 1200).

    Returns
    -------
    list of pathlib.Path
        The page, then the snippet and the figures written.

    Raises
    ------
    InputError
        ``key`` is not a province key, ``legend`` is unknown, or the figures' size is out of
        range (checked before anything is written).
    OutputError
        A file cannot be written (folder read-only, disk full).

    Examples
    --------
    >>> import tempfile, isipo_geo
    >>> from pathlib import Path
    >>> from isipo_geo.maps import map_data
    >>> data = map_data(isipo_geo.load_provinces(), isipo_geo.funding_table())
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = write_map(data, "qom", Path(folder), tiles=False, embed=True, png=False)
    ...     [p.relative_to(folder).as_posix() for p in written]
    ['provinces/qom.html', 'provinces/qom.embed.html']
    """
    formats = [f for f, wanted in (("png", png), ("svg", svg), ("pdf", pdf)) if wanted]
    if formats:  # checked before anything is written
        from isipo_geo.maps.static import check_size

        check_size(width_cm, dpi)
    parts = maps.page_parts(data, key, tiles=tiles, legend=legend)
    if key is None:
        path = out_dir / "national.html"
        title = (
            "نیاز مالی شهرک‌های صنعتی / Financing need of industrial estates, "
            f"{year_words(data.year, 'latin')[1]}"
        )
    else:
        path = out_dir / "provinces" / f"{key}.html"
        row = data.provinces.loc[key]
        title = f"{row['name_fa']} / {row['name_en']}, {year_words(data.year, 'latin')[1]}"
    if compress:
        written = [_html.write_text(path, _html.pack("".join(parts)))]
    else:
        written = [_html.write_parts(path, parts)]
    if embed:
        src = (Path(out_dir.resolve().name) / path.relative_to(out_dir)).as_posix()
        snippet = _html.embed_snippet(src, title=title)
        written.append(_html.write_text(path.with_suffix(".embed.html"), snippet))
    if formats:
        from isipo_geo.maps import static as static_map

        fig = static_map.draw_map(data, focus=key, width_cm=width_cm, dpi=dpi)
        for fmt in formats:
            written.append(static_map.write_figure(fig, path.with_suffix(f".{fmt}")))
    return written


def write_index(data: MapData, out_dir: Path) -> Path:
    """index.html: a table linking the national map and the 31 province maps, with totals."""

    needs = data.needs
    money_fa, money_en = CURRENCY_LABELS.get((needs.currency, needs.scale), ("", ""))
    money = money_unit(needs.currency, needs.scale)
    rows = [
        {
            "href": "national.html",
            "fa": "کل کشور",
            "en": "National map",
            "c0": format_number(needs.nation.get(maps.TOTAL), digits=data.digits, unit=money),
            "c1": "",
        }
    ]
    for key in data.provinces.index:
        row = data.provinces.loc[key]
        fa, en = maps.short_basis(needs.basis.loc[key, maps.TOTAL])
        rows.append(
            {
                "href": f"provinces/{key}.html",
                "fa": str(row["name_fa"]),
                "en": str(row["name_en"]),
                "c0": format_number(
                    needs.need.loc[key, maps.TOTAL], digits=data.digits, unit=money
                ),
                "c1": f"{fa} / {en}" if fa else "",
            }
        )
    year_fa, year_en = year_words(data.year, data.digits)
    credit_fa, credit_en = credit_words(data.sources, data.digits)
    sfa, sen = maps.SCENARIO_LABELS.get(needs.scenario, (needs.scenario, needs.scenario))
    text = _html.index_page(
        rows,
        title_fa=f"نقشه‌های نیاز مالی شهرک‌های صنعتی، {year_fa}",
        title_en=f"Maps of financing need of industrial estates, {year_en}",
        intro_fa=f"سناریو: {sfa}. داده: {credit_fa}. هر نقشه بدون اینترنت باز می‌شود. ارقام "
        "«برآورد» سهمی از رقم کشور هستند، نه رقم گزارش‌شده استان.",
        intro_en=f"Scenario: {sen}. Data: {credit_en}. Every map opens offline. Figures marked "
        "'estimate' are shares of the national figure, not figures reported for the province.",
        headers=[(f"نیاز کل ({money_fa})", f"total need ({money_en})"), ("مبنا", "basis")],
    )
    return _html.write_text(out_dir / "index.html", text)


def write_atlas(
    data: MapData,
    out_dir: Path,
    *,
    tiles: bool = False,
    embed: bool = False,
    png: bool = False,
    compress: bool = False,
    legend: str = "auto",
    progress: Callable[[str], None] | None = None,
    **figures: Any,
) -> list[Path]:
    """Write the national map, the 31 province maps and ``index.html`` into a folder.

    Parameters
    ----------
    data : MapData
        From :func:`isipo_geo.maps.map_data`.
    out_dir : pathlib.Path
        The maps' folder: ``national.html``, ``provinces/<key>.html``, ``index.html``.
    tiles : bool
        Add OpenStreetMap tiles as an overlay (needs the internet when opened).
    embed : bool
        Also write each page's iframe snippet (``<name>.embed.html``).
    png : bool
        Also write each map as a static PNG figure.
    compress : bool
        Compress the page's styles and scripts (:func:`isipo_geo.maps.html.pack`).
    legend : {'auto', 'full', 'compact', 'none'}
        As for :func:`isipo_geo.maps.national_map`.
    progress : callable, optional
        Called with each map's name (``'national'`` or the province key) once written.
    **figures
        ``svg``, ``pdf``, ``width_cm``, ``dpi``, passed on to :func:`write_map`.

    Returns
    -------
    list of pathlib.Path
        Every path written, ``index.html`` last.

    Raises
    ------
    InputError
        ``legend`` is unknown, or the figures' size is out of range.
    OutputError
        A file cannot be written (folder read-only, disk full).
    """
    written: list[Path] = []
    for key in [None, *map(str, data.provinces.index)]:
        written += write_map(
            data,
            key,
            out_dir,
            tiles=tiles,
            embed=embed,
            png=png,
            compress=compress,
            legend=legend,
            **figures,
        )
        if progress is not None:
            progress(key or "national")
    written.append(write_index(data, out_dir))
    return written

