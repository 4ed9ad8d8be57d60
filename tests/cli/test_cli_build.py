"""`isipo-geo build`, the README's main job, and the CLI as a whole."""

from __future__ import annotations

import csv
import subprocess
import sys
from decimal import Decimal

from isipo_geo.cli import app


def test_build_writes_tables_and_33_pages(runner, tmp_path) -> None:
    out = tmp_path / "maps"
    result = runner.invoke(app, ["build", "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("funding.csv", "funding.xlsx", "funding.gpkg", "national.html", "index.html"):
        assert (out / name).is_file(), name
    pages = sorted((out / "provinces").glob("*.html"))
    assert len(pages) == 31
    assert len(pages) + 2 == 33  # national + 31 provinces + index
    with open(out / "funding.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    total = next(r for r in rows if r["scope"] == "nation" and r["utility"] == "total")
    assert Decimal(total["need"]) == 12866
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "provinces/tehran.html" in index


def test_build_is_byte_identical_twice(runner, tmp_path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        assert runner.invoke(app, ["build", "--out-dir", str(d)]).exit_code == 0
    names = ("funding.csv", "manifest.json", "national.html", "index.html", "provinces/fars.html")
    for rel in names:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_every_command_is_attached(runner) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    commands = ("provinces", "report", "funding", "map", "import", "template", "raster", "units")
    for command in (*commands, "build"):
        assert command in result.output, command


def test_funding_keeps_heavy_libraries_off_its_path() -> None:
    """`isipo-geo funding` must not import pandas, numpy or geopandas (see benchmarks/)."""
    code = (
        "import sys\n"
        "from isipo_geo.cli import main\n"
        "sys.argv = ['isipo-geo', 'funding']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'numpy', 'geopandas', 'shapely') if m in sys.modules]\n"
        "print('HEAVY:' + ','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY:\n" in out.stdout, out.stdout[-300:]


def test_help_is_quick_to_import() -> None:
    code = (
        "import sys\nfrom isipo_geo.cli import app\n"
        "print([m for m in ('pandas', 'geopandas', 'folium', 'rasterio') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_build_with_a_registry_writes_the_rows_funding_writes(runner, tmp_path) -> None:
    """``build --registry`` reads the registry once for its tables and maps; the funding table
    is byte for byte the one ``funding --registry`` writes (digest from before the change), and
    the maps name the same sources and draw the shipped estates of the other provinces."""
    import hashlib
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "finance"))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "maps"))
    from test_funding_golden import edited_registry
    from test_maps import page_data

    registry = edited_registry(tmp_path / "r600.csv", 600, ["isfahan", "yazd", "tehran"])
    out = tmp_path / "maps"
    result = runner.invoke(
        app, ["build", "--registry", str(registry), "--registry-year", "1403", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    digest = hashlib.sha256((out / "funding.csv").read_bytes()).hexdigest()
    assert digest == "fc39f56c1f2f311bf100e34157a15ccfba1dad6f820ce761c762d357600ec2aa"
    page = page_data((out / "national.html").read_text(encoding="utf-8"))
    assert "Data: ISIPO performance report 1400 · registry r600.csv, 1402 and 1403" in page["attr"]
    assert "1400 and 1402 and 1403" in page["title"]
    # 586 located registry rows + the located shipped estates of the other provinces
    from isipo_geo.registry.estates import load_estates

    shipped = load_estates()
    others = shipped[~shipped["province"].isin(["isfahan", "yazd", "tehran"])]
    assert len(page["est"]["s"]) == 586 + int(others.geometry.notna().sum())


def test_map_table_keeps_what_the_maps_read_and_no_row_references() -> None:
    # build hands the maps this narrow table (a lower peak at 84,400 estates): the columns the
    # map data reads, the year, and each row's source up to its row reference
    from isipo_geo.maps.data import FUNDING_COLUMNS
    from isipo_geo.run import map_table

    rows = [
        dict.fromkeys(FUNDING_COLUMNS)
        | {"scope": "estate", "year": "1403", "source": "registry isfahan.csv: row 12",
           "estate_name_fa": "محمودآباد", "note": "demand − supplied"},
        dict.fromkeys(FUNDING_COLUMNS)
        | {"scope": "nation", "year": "1400", "source": "seed:L1576", "note": ""},
    ]
    table = map_table(rows)
    assert list(table.columns) == [*FUNDING_COLUMNS, "year", "source"]
    assert table["source"].tolist() == ["registry isfahan.csv", "seed:L1576"]
    assert table["year"].tolist() == ["1403", "1400"]


def _tree(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_build_refuses_a_registry_with_a_duplicate_id_before_writing_anything(
    runner, tmp_path, make_registry
) -> None:
    """Issue 21: funding.csv/xlsx/gpkg were written from the bad registry before it was refused,
    so the folder mixed two builds. The previous build must stay as it was, byte for byte."""
    reg = make_registry(40, ["isfahan", "fars"])
    out = tmp_path / "maps"
    assert runner.invoke(app, ["build", "--registry", str(reg), "--out-dir", str(out)]
                         ).exit_code == 0
    before = _tree(out)
    rows = list(csv.reader(reg.read_text(encoding="utf-8-sig").splitlines()))
    rows[5][0] = rows[4][0]  # row 6 repeats row 5's id
    bad = tmp_path / "duplicate.csv"
    with open(bad, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    result = runner.invoke(app, ["build", "--registry", str(bad), "--out-dir", str(out)])
    assert result.exit_code == 2, result.output
    assert f"row 6, column 'id': duplicate id '{rows[4][0]}' (first on row 5)" in result.output
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["duplicate.csv", "maps"]
