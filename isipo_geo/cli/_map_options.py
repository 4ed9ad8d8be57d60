"""The maps' options, defined once: ``map national``, ``map province``, ``map all``, ``brief`` and
``build`` use these types (with their help) and defaults. Options that travel together are one
frozen dataclass whose field defaults are the commands' defaults: :class:`PageOptions` (the
pages and figures written: tiles, embed, png, svg, pdf, width, dpi, compress, legend) and
:class:`LayerOptions` (a layer of the user's own). The "what data" options are in ``_options``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from isipo_geo.messages import message

if TYPE_CHECKING:
    from isipo_geo.maps import UserLayer


class Digits(StrEnum):
    fa = "fa"
    latin = "latin"


OutDirOpt = Annotated[Path, typer.Option("--out-dir", "-o", help="Folder for the maps.")]
DigitsOpt = Annotated[Digits, typer.Option(help="Digits in Persian text: fa (۱۲۳) or latin (123).")]
TilesOpt = Annotated[
    bool,
    typer.Option("--tiles", help="Add OpenStreetMap tiles (readers need the internet for them)."),
]
EmbedOpt = Annotated[
    bool, typer.Option("--embed", help="Also write <name>.embed.html: an iframe for reports.")
]
PngOpt = Annotated[
    bool,
    typer.Option(
        "--png", help="Also write a static PNG for Word: scale bar, north arrow, full legend."
    ),
]
SvgOpt = Annotated[bool, typer.Option("--svg", help="Also write the static map as SVG (vector).")]
PdfOpt = Annotated[bool, typer.Option("--pdf", help="Also write the static map as PDF (vector).")]
WidthOpt = Annotated[
    float,
    typer.Option(
        "--width-cm", help="Printed width of the static map (PNG/SVG/PDF), in cm (2 to 100)."
    ),
]
DpiOpt = Annotated[int, typer.Option("--dpi", help="Resolution of the PNG (50 to 1200).")]
CompressOpt = Annotated[
    bool,
    typer.Option(
        "--compress",
        help="Ship each page's scripts and data compressed (less than half the size). "
        "Such pages open only in Chrome/Edge 80+, Firefox 113+ or Safari 16.4+; older browsers "
        "show a message instead of the map, so leave this off for readers with old PCs or phones.",
    ),
]


class Legend(StrEnum):
    auto = "auto"
    full = "full"
    compact = "compact"
    none = "none"


LegendOpt = Annotated[
    Legend,
    typer.Option(
        help="The legend on the map: full (always open), compact (folded into a "
        "'راهنما · legend' button, no province box: for small frames in reports), none, or auto "
        "(compact when the map is under 800 × 650 px, e.g. in an embedded iframe; else full).",
    ),
]
LayerOpt = Annotated[
    Path | None,
    typer.Option(
        "--layer",
        help="Add a layer of your own: a CSV, XLSX or GeoPackage with one row per province (a "
        "'province' column: key, Persian or English name, or code), e.g. the output of "
        "`isipo-geo raster zonal --out zonal.csv`. It is a separate choice in the layer control "
        "with its own colours and legend, never added to the need. Provinces it lacks show as "
        "no data.",
        show_default=False,
    ),
]
LayerColumnOpt = Annotated[
    str | None,
    typer.Option(
        "--layer-column",
        help="The column of --layer to map (a number per province, e.g. mean).",
        show_default=False,
    ),
]
LayerLabelOpt = Annotated[
    str | None,
    typer.Option(
        "--layer-label",
        help='Its name on the map: "Persian / English" (default: the column name).',
        show_default=False,
    ),
]
LayerUnitOpt = Annotated[
    str, typer.Option("--layer-unit", help="Its unit, shown after each value (e.g. kWh/m²).")
]


MAPS_DIR = Path("maps")  # the default --out-dir
DIGITS = Digits.fa  # the default --digits


@dataclass(frozen=True)
class PageOptions:
    """What ``map`` writes beside each page, and how: the figure options as given."""

    tiles: bool = False
    embed: bool = False
    png: bool = False
    svg: bool = False
    pdf: bool = False
    width_cm: float = 16.0
    dpi: int = 300
    compress: bool = False
    legend: Legend = Legend.auto


def page_kwargs(pages: PageOptions) -> dict[str, Any]:
    """Keyword arguments for :func:`isipo_geo.maps.atlas.write_map` (and ``write_atlas``).

    >>> page_kwargs(PageOptions(png=True))["legend"], page_kwargs(PageOptions())["width_cm"]
    ('auto', 16.0)
    """
    return {
        "tiles": pages.tiles,
        "embed": pages.embed,
        "png": pages.png,
        "compress": pages.compress,
        "legend": pages.legend.value,
        "svg": pages.svg,
        "pdf": pages.pdf,
        "width_cm": pages.width_cm,
        "dpi": pages.dpi,
    }


@dataclass(frozen=True)
class LayerOptions:
    """The --layer options as given (``--layer FILE --layer-column COLUMN`` ...)."""

    layer: Path | None = None
    layer_column: str | None = None
    layer_label: str | None = None
    layer_unit: str = ""


def read_user_layer(options: LayerOptions) -> UserLayer | None:
    """The --layer options checked together and the file read (None without --layer)."""
    from isipo_geo.errors import InputError

    layer, column, label = options.layer, options.layer_column, options.layer_label
    unit = options.layer_unit
    if layer is None:
        for name, given in (
            ("--layer-column", column is not None),
            ("--layer-label", label is not None),
            ("--layer-unit", bool(unit)),
        ):
            if given:
                raise InputError(message("option_needs_layer", name=name))
        return None
    if column is None:
        raise InputError(
            message("layer_needs_column"),
            path=layer,
        )
    from isipo_geo.maps.atlas import read_layer

    return read_layer(layer, column, label=label, unit=unit)
