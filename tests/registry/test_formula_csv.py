"""Names beginning with = + - @ in the registry CSVs users open in Excel (issue 21): every CSV
output neutralises formula-leading text with a leading ``'`` as the other CSV outputs do, and the
registry readers read the name back as it was."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from isipo_geo.cli import app

NAMES = ['=HYPERLINK("http://x.example","click") شهرک صنعتی', "+98 شهرک صنعتی",
         "-شهرک صنعتی منفی", "@SUM(1) شهرک صنعتی"]


def _list(tmp_path: Path) -> Path:
    src = tmp_path / "list.csv"
    with open(src, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["نام شهرک", "نوع", "استان", "کمبود آب (لیتر بر ثانیه)"])
        writer.writerows([name, "شهرک صنعتی", "تهران", str(i + 1)]
                         for i, name in enumerate(NAMES))
    return src


def _column(path: Path, column: str) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [row[column] for row in csv.DictReader(f)]


@pytest.fixture
def imported(runner, tmp_path) -> Path:
    registry = tmp_path / "registry.csv"
    result = runner.invoke(app, ["import", str(_list(tmp_path)), "--registry", str(registry)])
    assert result.exit_code == 0, result.output
    return registry


def test_the_registry_csv_neutralises_formula_leading_names(imported) -> None:
    assert _column(imported, "name_fa") == ["'" + n for n in NAMES]


def test_the_registry_readers_read_the_names_back_as_they_were(imported) -> None:
    from isipo_geo.finance.deficits import registry_deficits
    from isipo_geo.registry.estates import load_registry, read_registry, registry_records

    assert read_registry(imported)["name_fa"].tolist() == NAMES
    assert [r["name_fa"] for r in registry_records(imported)] == NAMES
    assert load_registry(imported, registry_only=True)["name_fa"].tolist() == NAMES
    assert [d.name_fa for d in registry_deficits(registry_records(imported))] == NAMES


def test_estates_csv_and_the_store_export_neutralise_them(runner, imported, tmp_path) -> None:
    out = tmp_path / "estates.csv"
    result = runner.invoke(app, ["estates", "tehran", "--registry", str(imported), "--format",
                                 "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert set(_column(out, "name_fa")) >= {"'" + n for n in NAMES}
    store = tmp_path / "store.gpkg"
    assert runner.invoke(app, ["import", str(_list(tmp_path)), "--into", str(store)]
                         ).exit_code == 0
    export = tmp_path / "export.csv"
    result = runner.invoke(app, ["registry", "export", str(store), str(export)])
    assert result.exit_code == 0, result.output
    assert sorted(_column(export, "name_fa")) == sorted("'" + n for n in NAMES)
