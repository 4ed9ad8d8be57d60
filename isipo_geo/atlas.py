"""Writing the map files: one page per map, its iframe snippet and PNG, and the index.

:mod:`isipo_geo.maps` builds map objects; this module is the file side, so the CLI stays a thin
layer (``isipo-geo map`` and ``isipo-geo build`` both call :func:`write_atlas`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from isipo_geo import _html, maps
from isipo_geo._html import format_number
from isipo_geo.maps import MapData
from isipo_geo.money import CURRENCY_LABELS


def write_map(
    data: MapData,
    key: str | None,
    out_dir: Path,
    *,
    tiles: bool,
    embed: bool,
    png: bool,
    compress: bool = False,
) -> list[Path]:
    """Build, render and write one map (and its iframe snippet / PNG); returns the paths."""
    if key is None:
        m, path = maps.national_map(data, tiles=tiles), out_dir / "national.html"
        title = f"نیاز مالی شهرک‌های صنعتی / Financing need of industrial estates, {data.year}"
    else:
        m, path = maps.province_map(data, key, tiles=tiles), out_dir / "provinces" / f"{key}.html"
        row = data.provinces.loc[key]
        title = f"{row['name_fa']} / {row['name_en']}, {data.year}"
    written = [_html.write_text(path, _html.render(m, compress=compress))]
    if embed:
        snippet = _html.embed_snippet(path.name, title=title)
        written.append(_html.write_text(path.with_suffix(".embed.html"), snippet))
    if png:
        from isipo_geo import static_map

        fig = static_map.draw_map(data, focus=key)
        written.append(static_map.write_png(fig, path.with_suffix(".png")))
    return written


def write_index(data: MapData, out_dir: Path) -> Path:
    """index.html: a table linking the national map and the 31 province maps, with totals."""

    needs = data.needs
    money_fa, money_en = CURRENCY_LABELS.get((needs.currency, needs.scale), ("", ""))
    rows = [
        {
            "href": "national.html",
            "fa": "کل کشور",
            "en": "National map",
            "c0": format_number(needs.nation.get(maps.TOTAL), digits=data.digits),
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
                "c0": format_number(needs.need.loc[key, maps.TOTAL], digits=data.digits),
                "c1": f"{fa} / {en}" if fa else "",
            }
        )
    year_fa = format_number(data.year, digits=data.digits, decimals=0).replace("٬", "")
    year_fa = year_fa.replace(",", "")
    sfa, sen = maps.SCENARIO_LABELS.get(needs.scenario, (needs.scenario, needs.scenario))
    text = _html.index_page(
        rows,
        title_fa=f"نقشه‌های نیاز مالی شهرک‌های صنعتی، {year_fa}",
        title_en=f"Maps of financing need of industrial estates, {data.year}",
        intro_fa=f"سناریو: {sfa}. هر نقشه بدون اینترنت باز می‌شود. ارقام «برآورد» سهمی از رقم "
        "کشور هستند، نه رقم گزارش‌شده استان.",
        intro_en=f"Scenario: {sen}. Every map opens offline. Figures marked 'estimate' are shares "
        "of the national figure, not figures reported for the province.",
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
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """The national map, the 31 province maps and index.html; ``progress(name)`` is called as
    each map is written. Returns every path written."""
    written: list[Path] = []
    for key in [None, *map(str, data.provinces.index)]:
        written += write_map(
            data, key, out_dir, tiles=tiles, embed=embed, png=png, compress=compress
        )
        if progress is not None:
            progress(key or "national")
    written.append(write_index(data, out_dir))
    return written
