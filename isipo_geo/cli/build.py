"""``isipo-geo build``: the main job — funding tables and every map, from the shipped data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from isipo_geo.cli import app, handles_errors
from isipo_geo.cli._map_options import (
    DIGITS,
    MAPS_DIR,
    DigitsOpt,
    LayerColumnOpt,
    LayerLabelOpt,
    LayerOpt,
    LayerOptions,
    LayerUnitOpt,
    read_user_layer,
)
from isipo_geo.cli._options import (
    AllocateOpt,
    CostsOpt,
    RegistryOnlyOpt,
    RegistryOpt,
    RegistryYearOpt,
    ScenarioOpt,
    WeightsOpt,
    WhatData,
    build_manifest,
    gather,
)


@app.command()
@handles_errors
def build(
    out_dir: Annotated[Path, typer.Option("--out-dir", "-o", help="Output folder.")] = MAPS_DIR,
    scenario: ScenarioOpt = WhatData.scenario,
    allocate_by: AllocateOpt = WhatData.allocate_by,
    weights: WeightsOpt = WhatData.weights,
    registry: RegistryOpt = WhatData.registry,
    registry_only: RegistryOnlyOpt = WhatData.registry_only,
    registry_year: RegistryYearOpt = WhatData.registry_year,
    costs: CostsOpt = WhatData.costs,
    digits: DigitsOpt = DIGITS,
    layer: LayerOpt = LayerOptions.layer,
    layer_column: LayerColumnOpt = LayerOptions.layer_column,
    layer_label: LayerLabelOpt = LayerOptions.layer_label,
    layer_unit: LayerUnitOpt = LayerOptions.layer_unit,
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
    what, layer_options = gather(WhatData, locals()), gather(LayerOptions, locals())
    from isipo_geo.cli.funding import write_funding
    from isipo_geo.cli.map import load_map_data, map_table, read_funding, write_all
    from isipo_geo.io import staged_folder
    from isipo_geo.run import write_manifest

    # Read and check every input (layer, weights, costs, registry) before writing anything;
    # the registry is read and validated once, for the tables and the maps.
    extra = read_user_layer(layer_options)
    rows, estates = read_funding(what)
    # Write into a staging folder; its files move into out_dir only once all are written.
    # The tables first, then the rows give way to their table (the same values) for the maps,
    # and the map data to the pages: each is dropped once the next is made, for a lower peak.
    record = build_manifest(what, rows, layer=layer_options.layer)
    with staged_folder(out_dir) as stage:
        for ext in ("csv", "xlsx", "gpkg"):
            write_funding(rows, stage / f"funding.{ext}", shown=out_dir / f"funding.{ext}")
        write_manifest(stage, record)  # what later commands into out_dir use (brief, map...)
        funding = map_table(rows)
        del rows
        data = load_map_data(what, digits, rows=funding, estates=estates, layer=extra)
        del funding, estates
        write_all(data, stage, tiles=False, embed=False, png=False, compress=False, shown=out_dir)
