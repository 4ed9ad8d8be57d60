"""``isipo-geo registry init | add-user`` and the commands that read or add to a registry on a
real PostgreSQL/PostGIS server (a throwaway cluster: ``pg_cluster`` in tests/conftest.py): the
same commands and outputs as with a GeoPackage store; passwords never printed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest

from isipo_geo.cli import app

PASSWORD = "Fars-pw-7781"  # noqa: S105 - a test cluster's


def _workbook(folder: Path, province: str, n: int = 3, *, seed: int = 5) -> Path:
    from synthetic_registry import make_registry_frame

    folder.mkdir(parents=True, exist_ok=True)
    frame = make_registry_frame(n, [province], seed=seed)
    frame["id"] = province + "-" + frame["id"]
    path = folder / f"{province}.xlsx"
    frame.to_excel(path, index=False, sheet_name=province)
    return path


def _dbname(url: str) -> str:
    return url.split("@/", 1)[1].split("?")[0]


@pytest.fixture
def server(pg_cluster, pg_url, runner, tmp_path, monkeypatch):
    """A registry made by `registry init`, with fars's company (password over TCP) and
    headquarters; returns (admin URL, fars's URL with its password, headquarters' URL)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ISIPO_GEO_STORE", raising=False)
    first = runner.invoke(app, ["registry", "init", pg_url])
    assert first.exit_code == 0, first.output
    assert "registry schema created or upgraded (migrations 1, 2, 3)" in first.output
    again = runner.invoke(app, ["registry", "init", pg_url])
    assert again.exit_code == 0 and "registry schema up to date" in again.output
    made = runner.invoke(app, ["registry", "add-user", "fars_co", "--province", "fars",
                               "--password", PASSWORD, "--registry", pg_url])
    assert made.exit_code == 0, made.output
    # roles are the cluster's: made by the first test, updated by the others
    assert re.search(r"role 'fars_co' (created|updated): province fars; password set",
                     made.output)
    assert PASSWORD not in made.output
    hq = runner.invoke(app, ["registry", "add-user", "hq_co", "--hq", "--registry", pg_url])
    assert hq.exit_code == 0 and "headquarters (all provinces)" in hq.output
    fars = pg_cluster.tcp_url(_dbname(pg_url), "fars_co", PASSWORD)
    return pg_url, fars, pg_url.replace("postgresql://postgres@", "postgresql://hq_co@", 1)


def test_add_user_needs_a_province_or_hq_and_a_known_province(server, runner):
    admin, _, _ = server
    both = runner.invoke(app, ["registry", "add-user", "x", "--registry", admin])
    assert both.exit_code == 2
    assert "give --province KEY (a provincial company) or --hq (headquarters)" in both.output
    bad = runner.invoke(app, ["registry", "add-user", "x", "--province", "farss",
                              "--registry", admin])
    assert bad.exit_code == 2 and "--province 'farss' is not a province key" in bad.output


def test_a_province_imports_over_the_network_and_no_password_is_printed_or_written(
        server, runner, tmp_path):
    _, fars, hq = server
    book = _workbook(tmp_path / "in", "fars", 3)
    done = runner.invoke(app, ["import", str(book), "--into", fars, "--date", "2024-04-01"])
    assert done.exit_code == 0, done.output
    assert "store updated: postgresql://fars_co:***@127.0.0.1" in done.output
    assert "(submissions 1–1; 3 current estates, 0 rows moved to history)" in done.output
    written = [p.read_text(encoding="utf-8-sig") for p in tmp_path.glob("registry.*")]
    assert len(written) == 2  # registry.rejects.csv and registry.import.json
    for text in [done.output, *written]:
        assert PASSWORD not in text

    other = _workbook(tmp_path / "in2", "qom", 2, seed=6)
    refused = runner.invoke(app, ["import", str(other), "--into", fars, "--date", "2024-04-02"])
    assert refused.exit_code == 2
    assert refused.output.count("\n") == 2 and refused.output.startswith("error: ")
    assert ("you are signed in as 'fars_co', a user of fars; qom.xlsx [qom] holds estates of "
            "qom") in refused.output
    assert PASSWORD not in refused.output

    log = runner.invoke(app, ["registry", "log", hq])
    assert log.exit_code == 0 and "1 submissions" in log.output and "fars.xlsx" in log.output
    show = runner.invoke(app, ["registry", "show", hq, "1"])
    assert "estates it brought: 3 (3 still current)" in show.output


def test_a_wrong_password_is_a_clear_message_without_the_password(server, runner, pg_cluster):
    admin, _, _ = server
    url = pg_cluster.tcp_url(_dbname(admin), "fars_co", "Wrong-pw-1")
    out = runner.invoke(app, ["registry", "log", url])
    assert out.exit_code == 2
    assert "cannot connect to the registry server" in out.output
    assert 'password authentication failed for user "fars_co"' in out.output
    assert "Wrong-pw-1" not in out.output and "postgresql://fars_co:***@" in out.output


def test_the_same_commands_give_the_same_outputs_from_the_server_and_a_geopackage(
        server, runner, tmp_path, monkeypatch):
    admin, fars_pw, _ = server
    files = [str(_workbook(tmp_path / "in", p, 4, seed=k))
             for k, p in enumerate(["fars", "qom", "yazd"])]
    later = str(_workbook(tmp_path / "in2", "qom", 2, seed=11))
    gpkg = str(tmp_path / "registry.gpkg")
    for store in (admin, gpkg):
        for batch, date in ((files, "2024-04-01"), ([later], "2025-04-01")):
            out = runner.invoke(app, ["import", *batch, "--into", store, "--date", date])
            assert out.exit_code == 0, out.output

    def both(*args: str) -> tuple[str, str]:
        a = runner.invoke(app, [a if a != "STORE" else admin for a in args])
        b = runner.invoke(app, [a if a != "STORE" else gpkg for a in args])
        assert a.exit_code == 0 and b.exit_code == 0, a.output + b.output
        return a.output, b.output

    for args in (("registry", "log", "STORE"), ("registry", "show", "STORE", "4"),
                 ("registry", "diff", "STORE", "--json"), ("registry", "diff", "STORE")):
        a, b = both(*args)
        assert a == b
    both("registry", "export", "STORE", str(tmp_path / "now.csv"))  # written twice: compare
    server_csv = (tmp_path / "now.csv").read_bytes()
    runner.invoke(app, ["registry", "export", gpkg, str(tmp_path / "now_file.csv")])
    assert server_csv == (tmp_path / "now_file.csv").read_bytes()
    assert server_csv.decode("utf-8-sig").count("\n") == 1 + 4 + 4 + 2

    # funding and the maps read the server's registry as they read the GeoPackage's
    for store, out in ((admin, "server_needs.csv"), (gpkg, "file_needs.csv")):
        done = runner.invoke(app, ["funding", "--registry", store, "--registry-only",
                                   "--scenario", "registry", "--out", str(tmp_path / out)])
        assert done.exit_code == 0, done.output
    name = "postgresql://postgres@/" + _dbname(admin)
    a = (tmp_path / "server_needs.csv").read_text(encoding="utf-8-sig")
    b = (tmp_path / "file_needs.csv").read_text(encoding="utf-8-sig")
    assert name in a and "?host=" not in a
    assert a.replace(name, "registry.gpkg") == b
    for store, out in ((admin, "server_map"), (gpkg, "file_map")):
        done = runner.invoke(app, ["map", "province", "fars", "--registry", store,
                                   "--out-dir", str(tmp_path / out)])
        assert done.exit_code == 0, done.output
    pages = [sorted((tmp_path / d).rglob("*.html")) for d in ("server_map", "file_map")]
    assert len(pages[0]) == len(pages[1]) == 1
    html = [p.read_text(encoding="utf-8") for p in (pages[0][0], pages[1][0])]
    assert html[0].replace(name, "registry.gpkg") == html[1]
    built = runner.invoke(app, ["build", "--registry", fars_pw, "--registry-only", "--scenario",
                                "registry", "-o", str(tmp_path / "built")])
    assert built.exit_code == 0, built.output
    manifest = (tmp_path / "built" / "manifest.json").read_text(encoding="utf-8")
    assert "postgresql://fars_co:***@127.0.0.1" in manifest and PASSWORD not in manifest
    for store, out in ((admin, "server_brief"), (gpkg, "file_brief")):
        done = runner.invoke(app, ["brief", "qom", "--registry", store, "--out-dir",
                                   str(tmp_path / out)])
        assert done.exit_code == 0, done.output
    briefs = [sorted((tmp_path / d).rglob("*.html")) for d in ("server_brief", "file_brief")]
    assert [p.name for p in briefs[0]] == [p.name for p in briefs[1]] == ["qom.html"]
    text = [p.read_text(encoding="utf-8") for p in (briefs[0][0], briefs[1][0])]
    assert name in text[0]
    assert text[0].replace(name, "registry.gpkg") == text[1]

    # ISIPO_GEO_STORE names the store when no --registry or STORE is given
    monkeypatch.setenv("ISIPO_GEO_STORE", admin)
    env = runner.invoke(app, ["registry", "log"])
    assert env.exit_code == 0 and env.output == runner.invoke(
        app, ["registry", "log", gpkg]).output


def test_the_qgis_layer_is_listed_by_gdal_and_its_style_is_stored(server, runner, tmp_path):
    import xml.etree.ElementTree as ET

    from isipo_geo.labels import KIND_LABELS, STATUS_LABELS

    admin, fars, _ = server
    book = _workbook(tmp_path / "in", "fars", 3)
    assert runner.invoke(app, ["import", str(book), "--into", fars]).exit_code == 0
    with psycopg.connect(admin) as conn:
        rows = conn.execute(
            "SELECT f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
            "useasdefault, type, styleqml::text FROM public.layer_styles").fetchall()
        srid, geom_type = conn.execute(
            "SELECT srid, type FROM geometry_columns WHERE f_table_schema = 'isipo' AND "
            "f_table_name = 'estates_current'").fetchone()
        points = conn.execute("SELECT count(*) FROM isipo.estates_current WHERE geom IS NOT "
                              "NULL").fetchone()[0]
    assert len(rows) == 1  # init ran twice: one row, replaced
    catalog, schema, table, column, default, kind, qml = rows[0]
    assert (catalog, schema, table, column, default, kind) == (
        _dbname(admin), "isipo", "estates_current", "geom", True, "Point")
    assert (srid, geom_type) == (4326, "POINT")
    import pandas as pd

    located = pd.read_excel(book, dtype=str, engine="openpyxl")["lon"].notna().sum()
    assert points == located == 3
    root = ET.fromstring(qml)
    renderer = root.find("renderer-v2")
    assert renderer.get("attr") == "concat(\"kind\", '|', \"status\")"
    labels = [c.get("label") for c in renderer.iter("category")]
    assert len(labels) == len(KIND_LABELS) * len(STATUS_LABELS) + 1
    assert ("شهرک صنعتی — در حال بهره‌برداری / industrial estate, operational") in labels
    assert root.find("labeling/settings/text-style").get("fieldName") == "name_fa"

    if shutil.which("ogrinfo") is None:
        pytest.skip("gdal-bin's ogrinfo is not installed")
    host = admin.split("host=", 1)[1].split("&")[0]
    port = admin.split("port=", 1)[1].split("&")[0]
    listed = subprocess.run(
        ["ogrinfo", "-ro", "-q", f"PG:host={host} port={port} dbname={_dbname(admin)} "
         "user=postgres"], capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert "isipo.estates_current (Point)" in listed.stdout


def test_a_server_is_the_registry_of_raster_and_the_store_of_show_and_export_by_variable(
        server, runner, tmp_path, monkeypatch):
    import numpy as np
    import pandas as pd
    import rasterio
    from affine import Affine

    admin, _, _ = server
    book = _workbook(tmp_path / "in", "fars", 3)
    out_dir = tmp_path / "import_files"
    out_dir.mkdir()
    done = runner.invoke(app, ["import", str(book), "--into", admin, "--date", "2024-04-01",
                               "--out-dir", str(out_dir)])
    assert done.exit_code == 0, done.output
    # the rejects and the report in --out-dir, none in the current folder (tmp_path)
    assert sorted(p.name for p in out_dir.iterdir()) == ["registry.import.json",
                                                         "registry.rejects.csv"]
    assert not list(tmp_path.glob("registry.*"))
    assert f"rejects written: {out_dir / 'registry.rejects.csv'} (0 rows)" in done.output

    tif = tmp_path / "ramp.tif"  # 0.5° cells from 44 E, 40 N: value = row * 40 + column
    with rasterio.open(tif, "w", driver="GTiff", width=40, height=30, count=1, dtype="float32",
                       crs="EPSG:4326", transform=Affine(0.5, 0, 44, 0, -0.5, 40)) as dst:
        dst.write(np.arange(1200, dtype="float32").reshape(30, 40), 1)
    sampled = tmp_path / "sampled.csv"
    result = runner.invoke(app, ["raster", "sample", str(tif), "--registry", admin,
                                 "--out", str(sampled)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(sampled, encoding="utf-8-sig", dtype={"id": str})
    frame = pd.read_excel(book, dtype=str, engine="openpyxl")
    assert sorted(table["id"]) == sorted(frame["id"])
    for _, estate in frame.iterrows():
        col = int((float(estate["lon"]) - 44) // 0.5)
        row = int((40 - float(estate["lat"])) // 0.5)
        assert table.set_index("id").loc[estate["id"], "value"] == row * 40 + col

    monkeypatch.setenv("ISIPO_GEO_STORE", admin)
    show = runner.invoke(app, ["registry", "show", "1"])
    assert show.exit_code == 0, show.output
    assert show.output == runner.invoke(app, ["registry", "show", admin, "1"]).output
    exported = runner.invoke(app, ["registry", "export", str(tmp_path / "now.csv")])
    assert exported.exit_code == 0, exported.output
    assert "3 estates, the registry after submission 1" in exported.output
    bare = runner.invoke(app, ["raster", "sample", str(tif), "--out", str(tmp_path / "v.csv")])
    assert bare.exit_code == 0, bare.output  # the variable stands in for --registry too
    assert pd.read_csv(tmp_path / "v.csv", encoding="utf-8-sig").shape[0] == 3


def test_out_dir_is_for_a_server_import(runner, tmp_path, monkeypatch):
    monkeypatch.delenv("ISIPO_GEO_STORE", raising=False)
    book = _workbook(tmp_path / "in", "fars", 2)
    result = runner.invoke(app, ["import", str(book), "--into", str(tmp_path / "r.gpkg"),
                                 "--out-dir", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "--out-dir" in result.output and "server" in result.output
    assert not (tmp_path / "r.gpkg").exists()
