"""``isipo-geo build``: the main job — funding tables and every map, from the shipped data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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
)
from isipo_geo.cli.map import (
    Digits,
    DigitsOpt,
    LayerColumnOpt,
    LayerLabelOpt,
    LayerOpt,
    LayerUnitOpt,
    read_user_layer,
)


@app.command()
@handles_errors
def build(
    out_dir: Annotated[Path, typer.Option("--out-dir", "-o", help="Output folder.")] = Path("maps"),
    scenario: ScenarioOpt = Scenario.essential,
    allocate_by: AllocateOpt = "equal",
    weights: WeightsOpt = None,
    registry: RegistryOpt = None,
    registry_only: RegistryOnlyOpt = False,
    registry_year: RegistryYearOpt = None,
    costs: CostsOpt = None,
    digits: DigitsOpt = Digits.fa,
    layer: LayerOpt = None,
    layer_column: LayerColumnOpt = None,
    layer_label: LayerLabelOpt = None,
    layer_unit: LayerUnitOpt = "",
) -> None:
    """The main job: the funding table (CSV, XLSX, GeoPackage) and all 33 maps into maps/.

    Writes maps/funding.csv (long, tidy; opens in Excel), maps/funding.xlsx (right-to-left),
    maps/funding.gpkg (province polygons with the needs; opens in QGIS), maps/national.html,
    maps/provinces/KEY.html and maps/index.html. Everything works offline.

    Every input is checked before the first file is written; the files are built in a staging
    folder and moved into place together, so a failed run leaves the previous build.

    Example: isipo-geo build; isipo-geo build --registry my/registry.csv --allocate-by area;
    isipo-geo build --layer zonal.csv --layer-column mean (a layer of your own on every map)
    """
    from isipo_geo.cli.funding import write_funding
    from isipo_geo.cli.map import _load, map_table, read_funding, write_all
    from isipo_geo.io import staged_folder

    # Read and check every input (layer, weights, costs, registry) before writing anything;
    # the registry is read and validated once, for the tables and the maps.
    extra = read_user_layer(layer, layer_column, layer_label, layer_unit)
    rows, estates = read_funding(
        scenario, allocate_by, weights, registry, costs,
        registry_only=registry_only, registry_year=registry_year,
    )
    # Write into a staging folder; its files move into out_dir only once all are written.
    # The tables first, then the rows give way to their table (the same values) for the maps,
    # and the map data to the pages: each is dropped once the next is made, for a lower peak.
    with staged_folder(out_dir) as stage:
        for ext in ("csv", "xlsx", "gpkg"):
            write_funding(rows, stage / f"funding.{ext}", shown=out_dir / f"funding.{ext}")
        funding = map_table(rows)
        del rows
        data = _load(
            scenario, allocate_by, weights, registry, costs, digits, rows=funding,
            estates=estates, layer=extra, registry_only=registry_only,
            registry_year=registry_year,
        )
        del funding, estates
        write_all(data, stage, tiles=False, embed=False, png=False, compress=False, shown=out_dir)
