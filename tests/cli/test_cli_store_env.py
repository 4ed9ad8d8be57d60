"""#26: ISIPO_GEO_STORE stands in for the store of every registry command, and `raster`'s
--registry takes a CSV, a .gpkg store or a server as `build` and `funding` do."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from isipo_geo.cli import app

HEADER = "نام شهرک,استان,کمبود آب (لیتر بر ثانیه),طول جغرافیایی,عرض جغرافیایی\n"


@pytest.fixture
def store(runner, tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv("ISIPO_GEO_STORE", raising=False)
    folder = tmp_path / "in"
    folder.mkdir()
    csv = folder / "tehran.csv"
    csv.write_text(HEADER + "شهرک صنعتی عباس آباد,تهران,12,51.85,35.55\n"
                   "شهرک صنعتی شمس آباد,تهران,5,51.45,35.35\n", encoding="utf-8")
    path = tmp_path / "registry.gpkg"
    made = runner.invoke(app, ["import", str(csv), "--into", str(path), "--date", "2024-04-03"])
    assert made.exit_code == 0, made.output
    return path


def test_registry_show_takes_the_store_from_isipo_geo_store(runner, store, monkeypatch):
    given = runner.invoke(app, ["registry", "show", str(store), "1"])
    assert given.exit_code == 0, given.output
    monkeypatch.setenv("ISIPO_GEO_STORE", str(store))
    env = runner.invoke(app, ["registry", "show", "1"])
    assert env.exit_code == 0, env.output
    assert env.output == given.output
    assert "rows read: 2 = accepted 2 + rejected 0" in env.output
    # the store on the command line still wins over the variable
    monkeypatch.setenv("ISIPO_GEO_STORE", str(store.with_name("other.gpkg")))
    assert runner.invoke(app, ["registry", "show", str(store), "1"]).output == given.output


def test_registry_export_takes_the_store_from_isipo_geo_store(runner, store, tmp_path,
                                                              monkeypatch):
    monkeypatch.setenv("ISIPO_GEO_STORE", str(store))
    out = tmp_path / "out" / "now.csv"
    out.parent.mkdir()
    env = runner.invoke(app, ["registry", "export", str(out)])
    assert env.exit_code == 0, env.output
    assert f"wrote {out}: 2 estates, the registry after submission 1" in env.output
    exported = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert sorted(exported["name_fa"]) == ["شهرک صنعتی شمس آباد", "شهرک صنعتی عباس آباد"]


def test_without_a_store_or_the_variable_the_commands_say_both_ways(runner, monkeypatch):
    monkeypatch.delenv("ISIPO_GEO_STORE", raising=False)
    for args in (["registry", "show", "1"], ["registry", "export", "out.csv"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        assert "give the store" in result.output and "ISIPO_GEO_STORE" in result.output
        assert "خطا: پایگاه ثبت" in result.output  # and in Persian


@pytest.mark.parametrize("command", ["log", "show", "diff", "export"])
def test_registry_help_says_isipo_geo_store_stands_in(runner, command):
    result = runner.invoke(app, ["registry", command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert "ISIPO_GEO_STORE" in result.output, result.output
    assert "[[" not in result.output  # the usage line: [STORE], once bracketed


def test_raster_sample_reads_a_gpkg_store_as_registry(runner, store, tmp_path):
    import numpy as np
    import rasterio
    from affine import Affine

    tif = tmp_path / "ramp.tif"
    with rasterio.open(tif, "w", driver="GTiff", width=40, height=30, count=1, dtype="float32",
                       crs="EPSG:4326", transform=Affine(0.5, 0, 44, 0, -0.5, 40)) as dst:
        dst.write(np.arange(1200, dtype="float32").reshape(30, 40), 1)
    out = tmp_path / "sampled.csv"
    result = runner.invoke(app, ["raster", "sample", str(tif), "--registry", str(store),
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert sorted(table["name_fa"]) == ["شهرک صنعتی شمس آباد", "شهرک صنعتی عباس آباد"]
    # 51.85 E, 35.55 N: column (51.85 - 44) / 0.5 = 15, row (40 - 35.55) / 0.5 = 8 -> 8*40+15
    value = table.set_index("name_fa").loc["شهرک صنعتی عباس آباد", "value"]
    assert value == 8 * 40 + 15


def test_raster_registry_help_names_the_store_and_the_server(runner):
    result = runner.invoke(app, ["raster", "sample", "--help"], terminal_width=200)
    assert "postgresql://" in result.output and ".gpkg" in result.output
    assert "ISIPO_GEO_STORE" in result.output


def test_a_submission_that_is_not_a_number_is_said_in_both_languages(runner, store,
                                                                     monkeypatch):
    monkeypatch.setenv("ISIPO_GEO_STORE", str(store))
    result = runner.invoke(app, ["registry", "show", "x1"])
    assert result.exit_code == 2, result.output
    assert result.output.splitlines() == [
        "error: SUBMISSION 'x1': give a submission's number (see `registry log`)",
        "خطا: SUBMISSION 'x1': شماره یک ارسال را بدهید (`registry log` را ببینید)"]
