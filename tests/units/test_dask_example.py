"""The dask-geopandas scale-out example (examples/dask_parcels.py) on a small partitioned layer."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from isipo_geo.units import OUTSIDE, aggregate_units

pytest.importorskip("pyarrow")
dask_geopandas = pytest.importorskip("dask_geopandas")

# dask 2026.8 still passes inplace= to set_index/reset_index, which pandas 3.1 deprecates
pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword in GeoDataFrame")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "dask_parcels.py"


def _example():
    spec = importlib.util.spec_from_file_location("dask_parcels", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def synthetic_parcels(n: int = 600, seed: int = 3) -> gpd.GeoDataFrame:
    """n synthetic square parcels (~200 m wide) scattered over Iran's bounding box."""
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(44.0, 63.3, n), rng.uniform(25.0, 39.8, n)
    half = 0.001
    return gpd.GeoDataFrame(
        {"units": rng.integers(0, 20, n), "value_bn_toman": rng.random(n).round(4)},
        geometry=shapely.box(x - half, y - half, x + half, y + half),
        crs="EPSG:4326",
    )


def test_partitioned_aggregation_equals_the_whole(tmp_path):
    example = _example()
    parcels = synthetic_parcels()
    layer = dask_geopandas.from_geopandas(parcels, npartitions=4).spatial_shuffle()
    layer.to_parquet(tmp_path / "parcels")
    assert len(list((tmp_path / "parcels").glob("*.parquet"))) == 4

    got = example.aggregate_partitioned(
        str(tmp_path / "parcels"), sum_columns=["units", "value_bn_toman"], scheduler="synchronous"
    )

    whole = example.partial_by_province(parcels, sum_columns=["units", "value_bn_toman"])
    whole = whole.set_index("province")
    assert got.index.tolist() == whole.index.tolist()
    assert got["count"].tolist() == whole["count"].tolist()
    assert got["units_sum"].tolist() == whole["units_sum"].tolist()
    np.testing.assert_allclose(got["value_bn_toman_sum"], whole["value_bn_toman_sum"])
    np.testing.assert_allclose(got["area_ha_sum"], whole["area_ha_sum"])
    assert int(got["count"].sum()) == len(parcels)
    assert got.loc[OUTSIDE, "count"] > 0  # the bounding box reaches beyond Iran
    # a ~222 m x ~190 m parcel is ~4 ha
    assert got["area_ha_sum"].sum() / len(parcels) == pytest.approx(4.1, rel=0.1)


def test_partial_matches_aggregate_units_on_points():
    example = _example()
    parcels = synthetic_parcels(50)
    part = example.partial_by_province(parcels, sum_columns=["units"]).set_index("province")
    points = parcels.set_geometry(parcels.representative_point())
    direct = aggregate_units(points, sum_columns=["units"])
    assert part["count"].tolist() == direct["count"].tolist()
    assert part["units_sum"].tolist() == direct["units_sum"].tolist()
