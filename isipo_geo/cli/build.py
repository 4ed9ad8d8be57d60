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
    NetworkFilterOpt,
    NetworkOpt,
    RegistryOnlyOpt,
    RegistryOpt,
    RegistryYearOpt,
    ScenarioOpt,
    WeightsOpt,
    WhatData,
    funding_options,
    gather,
    network_files,
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
    network: NetworkOpt = None,
    network_filter: NetworkFilterOpt = None,
) -> None:
    """The main job: the funding table (CSV, XLSX, GeoPackage) and all 33 maps into maps/.

    Writes maps/funding.csv (long, tidy; opens in Excel), maps/funding.xlsx (right-to-left),
    maps/funding.gpkg (province polygons with the needs; opens in QGIS), maps/national.html,
    maps/provinces/KEY.html and maps/index.html. Everything works offline.

    Every input is checked before the first file is written; the files are built in a staging
    folder and moved into place together, so a failed run leaves the previous build.

    Example: isipo-geo build; isipo-geo build --registry my/registry.csv --allocate-by area;
    isipo-geo build --layer zonal.csv --layer-column mean (a layer of your own on every map);
    isipo-geo build --registry r.csv --costs c.toml --network power=substations.gpkg (each
    estate's connection costed in the tables and drawn on the maps)
    """
    what, layer_options = gather(WhatData, locals()), gather(LayerOptions, locals())
    from dataclasses import asdict

    from isipo_geo import run
    from isipo_geo.cli._console import pages_progress, say_pages

    # Every input (layer, weights, costs, registry) is read and checked before anything is
    # written; the run writes into a staging folder moved into out_dir once all is written.
    extra = read_user_layer(layer_options)
    networks = run.read_networks(network, network_filter, what.costs)
    options = funding_options(what)
    with pages_progress(32) as progress:
        written = run.build(
            options,
            out_dir,
            recorded=asdict(what),
            digits=digits.value,
            layer=extra,
            layer_file=layer_options.layer,
            progress=progress,
            networks=networks,
            network_files=network_files(network),
            network_filter=network_filter or [],
        )
    tables = [p for p in written if p.parent == out_dir and p.stem in ("funding", "manifest")]
    for path in tables:
        typer.echo(f"wrote {path}")
    say_pages([p for p in written if p not in tables], out_dir)
