"""``isipo-geo build``: the main job — funding tables and every map, from the shipped data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from isipo_geo.cli import app, handles_errors
from isipo_geo.cli.map import (
    AllocateOpt,
    CostsOpt,
    Digits,
    DigitsOpt,
    RegistryOpt,
    Scenario,
    ScenarioOpt,
    WeightsOpt,
    all_maps,
)


@app.command()
@handles_errors
def build(
    out_dir: Annotated[Path, typer.Option("--out-dir", "-o", help="Output folder.")] = Path("maps"),
    scenario: ScenarioOpt = Scenario.essential,
    allocate_by: AllocateOpt = "equal",
    weights: WeightsOpt = None,
    registry: RegistryOpt = None,
    costs: CostsOpt = None,
    digits: DigitsOpt = Digits.fa,
) -> None:
    """The main job: the funding table (CSV, XLSX, GeoPackage) and all 33 maps into maps/.

    Writes maps/funding.csv (long, tidy; opens in Excel), maps/funding.xlsx (right-to-left),
    maps/funding.gpkg (province polygons with the needs; opens in QGIS), maps/national.html,
    maps/provinces/KEY.html and maps/index.html. Everything works offline.

    Example: isipo-geo build; isipo-geo build --registry my/registry.csv --allocate-by area
    """
    from isipo_geo import finance, io
    from isipo_geo.cli.funding import _write

    if weights is not None and allocate_by == "equal":
        allocate_by = "weights"
    rows = finance.funding_rows(
        scenario=scenario.value,
        allocate_by=allocate_by,
        weights=io.read_weights(weights) if weights is not None else None,
        registry=str(registry) if registry is not None else None,
        costs=str(costs) if costs is not None else None,
    )
    for ext in ("csv", "xlsx", "gpkg"):
        _write(rows, out_dir / f"funding.{ext}")
    all_maps(
        scenario=scenario,
        allocate_by=allocate_by,
        weights=weights,
        registry=registry,
        costs=costs,
        out_dir=out_dir,
        digits=digits,
        tiles=False,
        embed=False,
        png=False,
    )
