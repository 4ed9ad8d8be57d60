"""``isipo-geo map``: self-contained HTML maps (and PNGs) of financing need."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from isipo_geo.cli import app, handles_errors
from isipo_geo.cli._map_options import (
    DIGITS,
    MAPS_DIR,
    CompressOpt,
    Digits,
    DigitsOpt,
    DpiOpt,
    EmbedOpt,
    LayerColumnOpt,
    LayerLabelOpt,
    LayerOpt,
    LayerOptions,
    LayerUnitOpt,
    LegendOpt,
    OutDirOpt,
    PageOptions,
    PdfOpt,
    PngOpt,
    SvgOpt,
    TilesOpt,
    WidthOpt,
    page_kwargs,
    read_user_layer,
)
from isipo_geo.cli._options import (
    AllocateOpt,
    CostsOpt,
    NetworkFilterOpt,
    NetworkOpt,
    OverwriteOpt,
    RegistryOnlyOpt,
    RegistryOpt,
    RegistryYearOpt,
    ScenarioOpt,
    WeightsOpt,
    WhatData,
    funding_options,
    gather,
    in_build_folder,
)

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from isipo_geo.maps import MapData, UserLayer

map_app = typer.Typer(
    name="map",
    help=(
        "Self-contained HTML maps of financing need: national, per province, or all with an "
        "index. They open offline (no network request) and can be embedded in reports.\n\n"
        "نقشه‌های نیاز مالی که بدون اینترنت باز می‌شوند."
    ),
    no_args_is_help=True,
)
app.add_typer(map_app, name="map")


def load_map_data(
    what: WhatData,
    digits: Digits = DIGITS,
    *,
    rows: list[dict] | pd.DataFrame | None = None,
    estates: gpd.GeoDataFrame | None = None,
    layer: UserLayer | None = None,
) -> MapData:
    """Everything the maps need (:func:`isipo_geo.run.load_map_data` with ``what``'s options
    checked and read by :func:`funding_options`); ``rows`` and ``estates`` as there."""
    from isipo_geo.run import load_map_data as load

    return load(funding_options(what), digits.value, rows=rows, estates=estates, layer=layer)


def _write_one(data: MapData, key: str | None, out_dir: Path, **options: object) -> None:
    """Write one map page (national when ``key`` is None) with its snippet, PNG, SVG or PDF into
    a staging folder, move them into ``out_dir`` together, and say what was written."""
    from isipo_geo.io import staged_folder
    from isipo_geo.maps.atlas import write_map

    with staged_folder(out_dir) as stage:
        written = write_map(data, key, stage, **options)
    for path in written:
        typer.echo(f"wrote {out_dir / path.relative_to(stage)}")


@map_app.command("national")
@handles_errors
def national(
    scenario: ScenarioOpt = WhatData.scenario,
    allocate_by: AllocateOpt = WhatData.allocate_by,
    weights: WeightsOpt = WhatData.weights,
    registry: RegistryOpt = WhatData.registry,
    registry_only: RegistryOnlyOpt = WhatData.registry_only,
    registry_year: RegistryYearOpt = WhatData.registry_year,
    costs: CostsOpt = WhatData.costs,
    out_dir: OutDirOpt = MAPS_DIR,
    digits: DigitsOpt = DIGITS,
    tiles: TilesOpt = PageOptions.tiles,
    embed: EmbedOpt = PageOptions.embed,
    png: PngOpt = PageOptions.png,
    svg: SvgOpt = PageOptions.svg,
    pdf: PdfOpt = PageOptions.pdf,
    width_cm: WidthOpt = PageOptions.width_cm,
    dpi: DpiOpt = PageOptions.dpi,
    compress: CompressOpt = PageOptions.compress,
    legend: LegendOpt = PageOptions.legend,
    layer: LayerOpt = LayerOptions.layer,
    layer_column: LayerColumnOpt = LayerOptions.layer_column,
    layer_label: LayerLabelOpt = LayerOptions.layer_label,
    layer_unit: LayerUnitOpt = LayerOptions.layer_unit,
    network: NetworkOpt = None,
    network_filter: NetworkFilterOpt = None,
    overwrite: OverwriteOpt = False,
) -> None:
    """Write maps/national.html: need per province (total and per utility), estates, legend.

    Example: isipo-geo map national --embed --png

    With a layer of your own: isipo-geo map national --layer zonal.csv --layer-column mean
    --layer-label "تابش / Irradiation" --layer-unit kWh/m²
    """
    what, pages = gather(WhatData, locals()), gather(PageOptions, locals())
    what = in_build_folder(what, out_dir, overwrite=overwrite, command="map")
    extra = read_user_layer(gather(LayerOptions, locals()))
    data = _map_data(what, digits, extra, network, network_filter, out_dir, overwrite)
    _write_one(data, None, out_dir, **page_kwargs(pages))


@map_app.command("province")
@handles_errors
def province(
    name: Annotated[str, typer.Argument(help="Province name or code (Persian, English, ISO).")],
    scenario: ScenarioOpt = WhatData.scenario,
    allocate_by: AllocateOpt = WhatData.allocate_by,
    weights: WeightsOpt = WhatData.weights,
    registry: RegistryOpt = WhatData.registry,
    registry_only: RegistryOnlyOpt = WhatData.registry_only,
    registry_year: RegistryYearOpt = WhatData.registry_year,
    costs: CostsOpt = WhatData.costs,
    out_dir: OutDirOpt = MAPS_DIR,
    digits: DigitsOpt = DIGITS,
    tiles: TilesOpt = PageOptions.tiles,
    embed: EmbedOpt = PageOptions.embed,
    png: PngOpt = PageOptions.png,
    svg: SvgOpt = PageOptions.svg,
    pdf: PdfOpt = PageOptions.pdf,
    width_cm: WidthOpt = PageOptions.width_cm,
    dpi: DpiOpt = PageOptions.dpi,
    compress: CompressOpt = PageOptions.compress,
    legend: LegendOpt = PageOptions.legend,
    layer: LayerOpt = LayerOptions.layer,
    layer_column: LayerColumnOpt = LayerOptions.layer_column,
    layer_label: LayerLabelOpt = LayerOptions.layer_label,
    layer_unit: LayerUnitOpt = LayerOptions.layer_unit,
    network: NetworkOpt = None,
    network_filter: NetworkFilterOpt = None,
    overwrite: OverwriteOpt = False,
) -> None:
    """Write maps/provinces/KEY.html: one province, its estates, neighbours greyed.

    Example: isipo-geo map province "آذربایجان شرقی"
    """
    from isipo_geo.names import resolve_province

    what, pages = gather(WhatData, locals()), gather(PageOptions, locals())
    what = in_build_folder(what, out_dir, overwrite=overwrite, command="map")
    key = resolve_province(name)
    extra = read_user_layer(gather(LayerOptions, locals()))
    data = _map_data(what, digits, extra, network, network_filter, out_dir, overwrite)
    _write_one(data, key, out_dir, **page_kwargs(pages))


@map_app.command("all")
@handles_errors
def all_maps(
    scenario: ScenarioOpt = WhatData.scenario,
    allocate_by: AllocateOpt = WhatData.allocate_by,
    weights: WeightsOpt = WhatData.weights,
    registry: RegistryOpt = WhatData.registry,
    registry_only: RegistryOnlyOpt = WhatData.registry_only,
    registry_year: RegistryYearOpt = WhatData.registry_year,
    costs: CostsOpt = WhatData.costs,
    out_dir: OutDirOpt = MAPS_DIR,
    digits: DigitsOpt = DIGITS,
    tiles: TilesOpt = PageOptions.tiles,
    embed: EmbedOpt = PageOptions.embed,
    png: PngOpt = PageOptions.png,
    svg: SvgOpt = PageOptions.svg,
    pdf: PdfOpt = PageOptions.pdf,
    width_cm: WidthOpt = PageOptions.width_cm,
    dpi: DpiOpt = PageOptions.dpi,
    compress: CompressOpt = PageOptions.compress,
    legend: LegendOpt = PageOptions.legend,
    layer: LayerOpt = LayerOptions.layer,
    layer_column: LayerColumnOpt = LayerOptions.layer_column,
    layer_label: LayerLabelOpt = LayerOptions.layer_label,
    layer_unit: LayerUnitOpt = LayerOptions.layer_unit,
    network: NetworkOpt = None,
    network_filter: NetworkFilterOpt = None,
    overwrite: OverwriteOpt = False,
) -> None:
    """Write the national map, the 31 province maps and maps/index.html linking them.

    The pages are built in a staging folder and moved into place together: a failed run leaves
    the previous maps.

    Example: isipo-geo map all --out-dir maps
    """
    from isipo_geo.io import staged_folder

    what, pages = gather(WhatData, locals()), gather(PageOptions, locals())
    what = in_build_folder(what, out_dir, overwrite=overwrite, command="map")
    extra = read_user_layer(gather(LayerOptions, locals()))
    data = _map_data(what, digits, extra, network, network_filter, out_dir, overwrite)
    with staged_folder(out_dir) as stage:
        write_all(data, stage, **page_kwargs(pages), shown=out_dir)


def _map_data(
    what: WhatData, digits: Digits, layer: UserLayer | None, network: list[str] | None,
    network_filter: list[str] | None, out_dir: Path, overwrite: bool,
) -> MapData:
    """The map data with the networks and each estate's connection drawn, as ``build`` draws
    them: those of ``--network`` (and ``--network-filter``), or in a build's folder given none,
    the build's (unless ``--overwrite``)."""
    from isipo_geo import run

    if not network and not network_filter:  # in a build's folder: the build's networks
        network, network_filter = run.folder_networks(out_dir, overwrite=overwrite)
    networks = run.read_networks(network, network_filter, what.costs)
    if networks is None:
        return load_map_data(what, digits, layer=layer)
    options = funding_options(what)
    rows, estates = run.read_funding(options)  # the registry read once: rows and estates
    _, drawn = run.add_connections(rows, estates, networks)
    return run.load_map_data(options, digits.value, rows=rows, estates=estates, layer=layer,
                             networks=drawn)


def write_all(
    data: MapData,
    out_dir: Path,
    *,
    tiles: bool,
    embed: bool,
    png: bool,
    compress: bool,
    legend: str = "auto",
    shown: Path | None = None,
    **figures: Any,
) -> list[Path]:
    """All maps and the index (isipo_geo.maps.atlas.write_atlas), with a progress bar; ``shown`` is
    the folder to print (the final one, when ``out_dir`` is a staging folder)."""
    from isipo_geo.cli._console import pages_progress, say_pages
    from isipo_geo.maps.atlas import write_atlas

    with pages_progress(len(data.provinces) + 1) as progress:
        written = write_atlas(
            data,
            out_dir,
            tiles=tiles,
            embed=embed,
            png=png,
            compress=compress,
            legend=legend,
            **figures,
            progress=progress,
        )
    say_pages(written, shown or out_dir)
    return written
