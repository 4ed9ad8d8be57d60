"""A build's folder and the commands run into it later (issue 21 item 3): ``build`` writes
``manifest.json``; ``brief``, ``map`` and ``funding --out`` into that folder use the build's
inputs, or stop naming the difference."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal

import pytest

from isipo_geo.cli import app
from isipo_geo.display import format_number


@pytest.fixture(scope="module")
def registry_build(tmp_path_factory):
    """``build --registry`` of a generated 844-estate registry, its year 1403."""
    from synthetic_registry import write_registry
    from typer.testing import CliRunner

    folder = tmp_path_factory.mktemp("regbuild")
    registry = write_registry(folder / "registry.csv", 844)
    out = folder / "maps"
    args = ["build", "--registry", str(registry), "--registry-year", "1403", "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return registry, out


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_build_writes_a_manifest_of_its_inputs(registry_build) -> None:
    registry, out = registry_build
    record = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert record["command"] == "build"
    assert record["options"]["registry"] == str(registry.resolve())
    assert record["options"]["registry_year"] == "1403"
    assert record["inputs"]["registry"]["path"] == str(registry.resolve())
    assert record["years"]["isfahan"] == "1403"


def test_brief_after_build_registry_shows_the_registrys_figures_and_year(
    runner, registry_build
) -> None:
    """Issue 21: `brief isfahan` in the folder of `build --registry` (a 1403 registry) showed
    415 bn toman, "allocated by equal shares", 1400; it shows the registry's figures and year."""
    _, out = registry_build
    result = runner.invoke(app, ["brief", "isfahan", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with open(out / "funding.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    total = next(
        r for r in rows
        if r["scope"] == "province" and r["province"] == "isfahan" and r["utility"] == "total"
    )
    assert total["basis"] == "registry" and total["year"] == "1403"
    brief = (out / "briefs" / "isfahan.html").read_text(encoding="utf-8")
    need = brief[brief.index('<section id="need"') :]
    need = _text(need[: need.index("</section>")])
    shown = format_number(Decimal(total["need"]), digits="fa", unit="toman_billion")
    assert f"{shown} میلیارد تومان" in need
    assert "۱۴۰۳" in need and "۱۴۰۰" not in need
    assert "سهم برابر" not in need and "equal shares" not in need


def test_later_commands_with_other_options_stop_naming_the_difference(
    runner, registry_build, tmp_path
) -> None:
    registry, out = registry_build
    before = sorted(p.name for p in out.iterdir())
    for args in (
        ["brief", "isfahan", "--scenario", "whole", "-o", str(out)],
        ["map", "national", "--allocate-by", "area", "--out-dir", str(out)],
        ["funding", "--registry-year", "1402", "--registry", str(registry),
         "--out", str(out / "funding.csv")],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert "manifest.json" in result.output and "--overwrite" in result.output, args
        assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == before
    # the same options as the build are fine; --overwrite writes with others
    result = runner.invoke(app, ["map", "province", "isfahan", "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    other = tmp_path / "other"
    result = runner.invoke(app, ["brief", "fars", "-o", str(other)])  # no build there
    assert result.exit_code == 0, result.output


def test_the_builds_warnings_are_data_in_its_manifest(runner, tmp_path) -> None:
    """The run collects its warnings as data: printed, and kept in the manifest (a weights file
    that leaves out 30 provinces)."""
    weights = tmp_path / "weights.csv"
    weights.write_text("province,weight\nfars,1\n", encoding="utf-8")
    out = tmp_path / "maps"
    result = runner.invoke(app, ["build", "--weights", str(weights), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "30 province(s) not in the weights file get no share" in result.output
    record = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(record["warnings"]) == 1
    assert record["warnings"][0].startswith(f"{weights}: 30 province(s) not in the weights file")
    assert record["inputs"]["weights"]["path"] == str(weights.resolve())
    assert record["options"]["allocate_by"] == "equal"  # as given; the weights imply the key


def test_in_build_folder_keeps_a_server_address_as_text(tmp_path) -> None:
    from isipo_geo import run
    from isipo_geo.cli._options import WhatData, in_build_folder

    url = "postgresql://isipo@db.example:5432/isipo"
    run.write_manifest(tmp_path, run.manifest({"registry": url}))
    assert in_build_folder(WhatData(), tmp_path).registry == url


def test_a_command_run_inside_a_build_folder_warns_it_does_not_use_the_build(
    runner, registry_build, monkeypatch
) -> None:
    """Run from inside a build's folder with the default ``--out-dir maps``, `brief` writes
    into ``maps/`` below it, which holds no manifest: its figures are not the build's. It says
    so (English and Persian) and how to use the build's; run into the build's folder, it says
    nothing of the kind."""
    _, out = registry_build
    monkeypatch.chdir(out)
    result = runner.invoke(app, ["brief", "isfahan"])
    assert result.exit_code == 0, result.output
    assert "warning: this folder holds a build (manifest.json)" in result.output
    assert "--out-dir ." in result.output
    assert "این پوشه خروجی یک build است" in result.output
    into = runner.invoke(app, ["brief", "isfahan", "--out-dir", "."])
    assert into.exit_code == 0, into.output
    assert "manifest.json" not in into.output
