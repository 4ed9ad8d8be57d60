"""``isipo-geo map``: self-contained HTML maps (and PNGs) of financing need."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from isipo_geo.cli import app, handles_errors
from isipo_geo.cli._options import (
    AllocateOpt,
    CostsOpt,
    RegistryOnlyOpt,
    RegistryOpt,
    RegistryYearOpt,
    Scenario,
    ScenarioOpt,
    WeightsOpt,
    funding_options,
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


def read_user_layer(
    layer: Path | None, column: str | None, label: str | None, unit: str
) -> UserLayer | None:
    """The --layer options checked together and the file read (None without --layer)."""
    from isipo_geo.errors import InputError

    if layer is None:
        for name, given in (
            ("--layer-column", column is not None),
            ("--layer-label", label is not None),
            ("--layer-unit", bool(unit)),
        ):
            if given:
                raise InputError(f"{name} needs --layer FILE (the table of values to map)")
        return None
    if column is None:
        raise InputError(
            "--layer needs --layer-column COLUMN: the column of values to map (e.g. mean)",
            path=layer,
        )
    from isipo_geo.maps.atlas import read_layer

    return read_layer(layer, column, label=label, unit=unit)


def _load(
    scenario: Scenario,
    allocate_by: str,
    weights: Path | None,
    registry: Path | None,
    costs: Path | None,
    digits: Digits,
    *,
    rows: list[dict] | pd.DataFrame | None = None,
    estates: gpd.GeoDataFrame | None = None,
    layer: UserLayer | None = None,
    registry_only: bool = False,
    registry_year: str | None = None,
) -> MapData:
    """Everything the maps need; ``rows`` are funding rows already computed (by ``build``: a
    list, or the table of them), ``estates`` the registry already read with them
    (:func:`read_funding`), ``layer`` the user's own layer (:func:`read_user_layer`). Without
    ``rows`` the registry is read once for both (:func:`read_funding`). A registry is laid over
    the shipped one (:func:`isipo_geo.registry.estates.load_registry`) unless ``registry_only``."""
    import pandas as pd

    from isipo_geo import maps
    from isipo_geo.provinces import load_provinces

    if rows is None:
        rows, estates = read_funding(
            scenario, allocate_by, weights, registry, costs,
            registry_only=registry_only, registry_year=registry_year,
        )
    if estates is None:
        from isipo_geo.registry.estates import load_registry

        estates = load_registry(registry, registry_only=registry_only)
    funding = rows if isinstance(rows, pd.DataFrame) else map_table(rows)
    del rows  # the caller may drop its own: the table holds the same values
    data = maps.map_data(load_provinces(), funding, estates, digits=digits.value, layer=layer)
    if registry is None:
        return data
    from dataclasses import replace

    from isipo_geo.maps.credits import with_registry

    return replace(data, sources=with_registry(data.sources, estates, registry_year or ""))


def map_table(rows: list[dict]) -> pd.DataFrame:
    """The part of the funding rows the maps read: :data:`isipo_geo.maps.data.FUNDING_COLUMNS`,
    the ``year`` and the ``source`` up to its row reference (``registry x.csv: row 12`` ->
    ``registry x.csv``; the credits name files, not rows).

    pandas keeps the texts in string columns of its own (Arrow), so once the caller drops the
    rows their dicts and strings are freed; leaving out the columns no map reads (names, notes,
    unit costs) and each row's own source text keeps the table small: at 84,400 estates the
    build's peak is the table made beside the rows."""
    import pandas as pd

    from isipo_geo.maps.data import FUNDING_COLUMNS

    columns: dict[str, list] = {c: [r[c] for r in rows] for c in (*FUNDING_COLUMNS, "year")}
    columns["source"] = [str(r["source"] or "").partition(": row ")[0] for r in rows]
    return pd.DataFrame(columns)


def read_funding(
    scenario: Scenario,
    allocate_by: str,
    weights: Path | None,
    registry: Path | None,
    costs: Path | None,
    *,
    registry_only: bool = False,
    registry_year: str | None = None,
) -> tuple[list[dict], gpd.GeoDataFrame | None]:
    """The funding rows, and the estates of ``--registry`` read with them: the registry is read
    and validated once for both (:func:`isipo_geo.finance.read_registry_once`). Without a
    registry the estates are None (the maps load the shipped ones)."""
    from isipo_geo import finance

    options = funding_options(
        scenario=scenario,
        allocate_by=allocate_by,
        weights=weights,
        registry=registry,
        costs=costs,
        registry_only=registry_only,
        registry_year=registry_year,
    )
    estates = None
    if registry is not None:
        figures, estates = finance.read_registry_once(
            registry, registry_only=registry_only, registry_year=options["registry_year"]
        )
        options["registry"] = figures
    return finance.funding_rows(**options), estates


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
    scenario: ScenarioOpt = Scenario.essential,
    allocate_by: AllocateOpt = "equal",
    weights: WeightsOpt = None,
    registry: RegistryOpt = None,
    registry_only: RegistryOnlyOpt = False,
    registry_year: RegistryYearOpt = None,
    costs: CostsOpt = None,
    out_dir: OutDirOpt = Path("maps"),
    digits: DigitsOpt = Digits.fa,
    tiles: TilesOpt = False,
    embed: EmbedOpt = False,
    png: PngOpt = False,
    svg: SvgOpt = False,
    pdf: PdfOpt = False,
    width_cm: WidthOpt = 16.0,
    dpi: DpiOpt = 300,
    compress: CompressOpt = False,
    legend: LegendOpt = Legend.auto,
    layer: LayerOpt = None,
    layer_column: LayerColumnOpt = None,
    layer_label: LayerLabelOpt = None,
    layer_unit: LayerUnitOpt = "",
) -> None:
    """Write maps/national.html: need per province (total and per utility), estates, legend.

    Example: isipo-geo map national --embed --png

    With a layer of your own: isipo-geo map national --layer zonal.csv --layer-column mean
    --layer-label "تابش / Irradiation" --layer-unit kWh/m²
    """
    extra = read_user_layer(layer, layer_column, layer_label, layer_unit)
    data = _load(
        scenario, allocate_by, weights, registry, costs, digits, layer=extra,
        registry_only=registry_only, registry_year=registry_year,
    )
    _write_one(
        data, None, out_dir, tiles=tiles, embed=embed, png=png, compress=compress,
        legend=legend.value, svg=svg, pdf=pdf, width_cm=width_cm, dpi=dpi,
    )


@map_app.command("province")
@handles_errors
def province(
    name: Annotated[str, typer.Argument(help="Province name or code (Persian, English, ISO).")],
    scenario: ScenarioOpt = Scenario.essential,
    allocate_by: AllocateOpt = "equal",
    weights: WeightsOpt = None,
    registry: RegistryOpt = None,
    registry_only: RegistryOnlyOpt = False,
    registry_year: RegistryYearOpt = None,
    costs: CostsOpt = None,
    out_dir: OutDirOpt = Path("maps"),
    digits: DigitsOpt = Digits.fa,
    tiles: TilesOpt = False,
    embed: EmbedOpt = False,
    png: PngOpt = False,
    svg: SvgOpt = False,
    pdf: PdfOpt = False,
    width_cm: WidthOpt = 16.0,
    dpi: DpiOpt = 300,
    compress: CompressOpt = False,
    legend: LegendOpt = Legend.auto,
    layer: LayerOpt = None,
    layer_column: LayerColumnOpt = None,
    layer_label: LayerLabelOpt = None,
    layer_unit: LayerUnitOpt = "",
) -> None:
    """Write maps/provinces/KEY.html: one province, its estates, neighbours greyed.

    Example: isipo-geo map province "آذربایجان شرقی"
    """
    from isipo_geo.names import resolve_province

    key = resolve_province(name)
    extra = read_user_layer(layer, layer_column, layer_label, layer_unit)
    data = _load(
        scenario, allocate_by, weights, registry, costs, digits, layer=extra,
        registry_only=registry_only, registry_year=registry_year,
    )
    _write_one(
        data, key, out_dir, tiles=tiles, embed=embed, png=png, compress=compress,
        legend=legend.value, svg=svg, pdf=pdf, width_cm=width_cm, dpi=dpi,
    )


@map_app.command("all")
@handles_errors
def all_maps(
    scenario: ScenarioOpt = Scenario.essential,
    allocate_by: AllocateOpt = "equal",
    weights: WeightsOpt = None,
    registry: RegistryOpt = None,
    registry_only: RegistryOnlyOpt = False,
    registry_year: RegistryYearOpt = None,
    costs: CostsOpt = None,
    out_dir: OutDirOpt = Path("maps"),
    digits: DigitsOpt = Digits.fa,
    tiles: TilesOpt = False,
    embed: EmbedOpt = False,
    png: PngOpt = False,
    svg: SvgOpt = False,
    pdf: PdfOpt = False,
    width_cm: WidthOpt = 16.0,
    dpi: DpiOpt = 300,
    compress: CompressOpt = False,
    legend: LegendOpt = Legend.auto,
    layer: LayerOpt = None,
    layer_column: LayerColumnOpt = None,
    layer_label: LayerLabelOpt = None,
    layer_unit: LayerUnitOpt = "",
) -> None:
    """Write the national map, the 31 province maps and maps/index.html linking them.

    The pages are built in a staging folder and moved into place together: a failed run leaves
    the previous maps.

    Example: isipo-geo map all --out-dir maps
    """
    from isipo_geo.io import staged_folder

    extra = read_user_layer(layer, layer_column, layer_label, layer_unit)
    data = _load(
        scenario, allocate_by, weights, registry, costs, digits, layer=extra,
        registry_only=registry_only, registry_year=registry_year,
    )
    with staged_folder(out_dir) as stage:
        write_all(
            data,
            stage,
            tiles=tiles,
            embed=embed,
            png=png,
            compress=compress,
            legend=legend.value,
            svg=svg,
            pdf=pdf,
            width_cm=width_cm,
            dpi=dpi,
            shown=out_dir,
        )


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
    """All maps and the index (isipo_geo.atlas.write_atlas), with a progress bar; ``shown`` is
    the folder to print (the final one, when ``out_dir`` is a staging folder)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from isipo_geo.maps.atlas import write_atlas

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("maps", total=len(data.provinces) + 1)
        written = write_atlas(
            data,
            out_dir,
            tiles=tiles,
            embed=embed,
            png=png,
            compress=compress,
            legend=legend,
            **figures,
            progress=lambda name: bar.update(task, advance=1, description=name),
        )
    pages = [p for p in written if p.suffix == ".html" and not p.name.endswith(".embed.html")]
    shown = shown or out_dir
    typer.echo(
        f"wrote {len(pages)} HTML pages (national, 31 provinces, index) to {shown} "
        f"({len(written)} files)"
    )
    typer.echo(f"open {shown / 'index.html'}")
    return written
