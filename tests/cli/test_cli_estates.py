"""``isipo-geo estates``: the registry's estates as a table, CSV or JSON."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from isipo_geo.cli import app
from isipo_geo.registry.estates import list_estates, resolve_kind


def test_list_estates_filters():
    everything = list_estates()
    from isipo_geo.registry.estates import load_estates

    assert len(everything) == len(load_estates()) > 34
    qom = list_estates("قم")
    assert len(qom) == 17 and set(qom["province"]) == {"qom"}
    zones = list_estates("Qom", kind="ناحیه صنعتی")
    assert len(zones) == 4 and set(zones["kind"]) == {"industrial_zone"}
    assert list(zones.columns[:5]) == ["id", "name_fa", "name_en", "kind", "operator"]
    assert resolve_kind("SEZ") == "special_economic_zone"
    assert resolve_kind("شهرک فناوری") == "technology_estate"


def test_cli_table(runner):
    result = runner.invoke(app, ["estates", "قم"], env={"COLUMNS": "220"})
    assert result.exit_code == 0, result.output
    assert "17 شهرک / estates — قم" in result.output
    line = next(x for x in result.output.splitlines() if "شهرک صنعتی سلفچگان " in x)
    assert "در حال بهره‌برداری (1404)" in line and "isipo" in line
    assert "تقریبی: موقعیت شهر" in line  # approximate: the town's location


def test_cli_csv_and_json(runner, tmp_path):
    result = runner.invoke(app, ["estates", "Qom", "--kind", "zone", "--format", "csv"])
    assert result.exit_code == 0, result.output
    df = pd.read_csv(io.StringIO(result.output.lstrip("\ufeff")), dtype=str)
    assert len(df) == 4 and (df["kind"] == "industrial_zone").all()
    assert df["source"].str.startswith("http").all()
    out = tmp_path / "qom.json"
    result = runner.invoke(app, ["estates", "IR-25", "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote 17 estates" in result.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert len(rows) == 17
    first = rows[0]
    assert isinstance(first["source"], list) and first["source"][0].startswith("http")
    assert first["province"] == "qom" and first["name_en"] is None
    years = [r["status_year"] for r in rows if r["status_year"] is not None]
    assert years and all(isinstance(y, int) for y in years)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["estates", "Atlantis"], "Atlantis"),
        (["estates", "tehran", "--kind", "nope"], "unknown kind 'nope'"),
    ],
)
def test_cli_bad_input_is_one_line(runner, args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("name", "province", "shown"),
    [
        ("چهار کرمان", None, "شهرک صنعتی شماره 4 کرمان"),  # a merged spelling (issue 25)
        ("شهرک صنعتی تبریز 4", "آذربایجان شرقی", "شهرک شهید قاسم سلیمانی"),  # renamed
        ("پايتخت", "تهران", "شهرک صنعتی علی آباد"),  # Arabic yeh, a spelling in «also written»
        ("سردرآباد ماهدشت", None, "شهرک صنعتی خوارزمی"),
    ],
)
def test_any_spelling_finds_the_one_site(name, province, shown):
    found = list_estates(province, name=name)
    assert found["name_fa"].tolist() == [shown]


def test_cli_name_option(runner):
    result = runner.invoke(app, ["estates", "--name", "حسنرود انزلی", "--format", "csv"])
    assert result.exit_code == 0, result.output
    df = pd.read_csv(io.StringIO(result.output.lstrip("\ufeff")), dtype=str)
    assert df["name_fa"].tolist() == ["شهرک صنعتی انزلی"]
    result = runner.invoke(app, ["estates", "--name", "نامی که نیست"])
    assert result.exit_code == 0 and "0 شهرک" in result.output


def test_the_registry_is_any_registry_location_or_the_store_of_the_environment(runner, tmp_path):
    # a registry store (.gpkg) by --registry or by ISIPO_GEO_STORE, as registry show reads it
    src = tmp_path / "qom.csv"
    src.write_text(
        "id,name_fa,kind,province,status,lon,lat,location_precision\n"
        "q-1,شهرک صنعتی آزمون,industrial_estate,qom,operational,50.9,34.6,estate\n",
        encoding="utf-8",
    )
    store = tmp_path / "store.gpkg"
    done = runner.invoke(app, ["import", str(src), "--into", str(store)])
    assert done.exit_code == 0, done.output
    by_option = runner.invoke(app, ["estates", "--registry", str(store), "--format", "csv"])
    assert by_option.exit_code == 0, by_option.output
    listed = pd.read_csv(io.StringIO(by_option.stdout.lstrip("\ufeff")), dtype=str)
    assert listed["id"].tolist() == ["q-1"] and listed.loc[0, "name_fa"] == "شهرک صنعتی آزمون"
    by_env = runner.invoke(app, ["estates", "--format", "csv"], env={"ISIPO_GEO_STORE": str(store)})
    assert by_env.exit_code == 0, by_env.output
    assert by_env.stdout == by_option.stdout
