"""The run's manifest (isipo_geo.run): what a build read, deterministic, and how later commands
into its folder use it."""

from __future__ import annotations

import hashlib
import json

import pytest

from isipo_geo import __version__, run
from isipo_geo.errors import InputError


def test_manifest_records_options_inputs_with_hashes_years_and_version(tmp_path) -> None:
    registry = tmp_path / "r.csv"
    registry.write_bytes(b"id,name_fa\n1,x\n")
    record = run.manifest(
        {"scenario": "registry", "registry": registry, "registry_year": "1403"},
        years={"nation": "1403", "isfahan": "1403"},
    )
    assert record["version"] == __version__ and record["command"] == "build"
    assert record["scenario"] == "registry"
    assert record["options"]["registry"] == str(registry.resolve())
    assert record["options"]["allocate_by"] == "equal"  # the default, recorded
    assert record["inputs"] == {
        "registry": {
            "path": str(registry.resolve()),
            "sha256": hashlib.sha256(b"id,name_fa\n1,x\n").hexdigest(),
        }
    }
    assert record["years"] == {"isfahan": "1403", "nation": "1403"}


def test_manifest_is_the_same_bytes_and_has_no_clock_unless_source_date_epoch(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    a = run.manifest_bytes(run.manifest({}, years={"nation": "1400"}))
    assert a == run.manifest_bytes(run.manifest({}, years={"nation": "1400"}))
    assert "built" not in json.loads(a)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    record = run.manifest({})
    assert record["built"] == "2023-11-14T22:13:20Z"
    path = run.write_manifest(tmp_path, record)
    assert path.name == "manifest.json" and run.read_manifest(tmp_path) == record


def test_later_command_uses_the_builds_options_or_names_the_difference(tmp_path) -> None:
    registry = tmp_path / "r.csv"
    registry.write_text("id\n1\n", encoding="utf-8")
    folder = tmp_path / "maps"
    folder.mkdir()
    assert run.folder_options(folder, {}) == run.DATA_OPTIONS  # no manifest: as given
    options = {"scenario": "registry", "registry": registry, "registry_year": "1403"}
    run.write_manifest(folder, run.manifest(options))
    used = run.folder_options(folder, {})  # no data options given: the build's
    assert (used["scenario"], used["registry"], used["registry_year"]) == (
        "registry", str(registry.resolve()), "1403"
    )
    with pytest.raises(InputError) as exc:
        run.folder_options(folder, {"scenario": "whole"}, command="brief")
    message = str(exc.value)
    assert "manifest.json" in message and "brief would mix other figures" in message
    assert "--scenario whole (the build: registry)" in message
    assert "--registry" not in message  # not given here: the build's is used
    assert "--overwrite" in message
    assert exc.value.reason.fa.startswith("brief ارقام دیگری را با ارقام build در ")
    other = tmp_path / "other.csv"
    other.write_text("id\n1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"--registry \S*other\.csv \(the build: \S*r\.csv\)"):
        run.folder_options(folder, {"registry": other})
    # the build's own registry, given again (relative or not), is no difference
    assert run.folder_options(folder, {"registry": registry})["registry_year"] == "1403"
    # --overwrite: as given
    assert run.folder_options(folder, {"scenario": "whole"}, overwrite=True)["scenario"] == "whole"
    registry.write_text("id\n2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"registry .*r\.csv changed since the build"):
        run.folder_options(folder, {})
    registry.unlink()
    with pytest.raises(InputError, match="which is gone; run isipo-geo build again"):
        run.folder_options(folder, {})


def test_a_damaged_manifest_is_named(tmp_path) -> None:
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="manifest.json: not a manifest isipo-geo wrote"):
        run.folder_options(tmp_path, {})


def test_a_registry_server_is_recorded_by_its_address_not_hashed(tmp_path) -> None:
    """A registry server (postgresql://…) is no file: the manifest records its address as given
    (a path would fold its //) and a later command uses it as it is."""
    url = "postgresql://isipo@db.example:5432/isipo"
    record = run.manifest({"registry": url})
    assert record["options"]["registry"] == url
    assert record["inputs"] == {"registry": {"server": url}}
    secret = run.manifest({"registry": "postgresql://isipo:s3cret@db.example:5432/isipo"})
    assert "s3cret" not in run.manifest_bytes(secret).decode()  # a password is never written
    run.write_manifest(tmp_path, record)
    assert run.folder_options(tmp_path, {})["registry"] == url
    assert run.folder_options(tmp_path, {"registry": url})["registry"] == url


def _count_reads(monkeypatch) -> dict[str, int]:
    """Count every file opened for reading (by resolved path) and every vector file read."""
    import builtins
    import io
    from pathlib import Path

    import pyogrio

    counts: dict[str, int] = {}
    real_open, real_read = builtins.open, pyogrio.read_dataframe

    def counted(file, mode="r", *args, **kwargs):
        if isinstance(file, str | Path) and "r" in mode and "+" not in mode:
            key = str(Path(file).resolve())
            counts[key] = counts.get(key, 0) + 1
        return real_open(file, mode, *args, **kwargs)

    def counted_read(path, *args, **kwargs):
        key = str(Path(path).resolve())
        counts[key] = counts.get(key, 0) + 1
        return real_read(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counted)
    monkeypatch.setattr(io, "open", counted)
    monkeypatch.setattr(pyogrio, "read_dataframe", counted_read)
    return counts


def test_a_build_with_a_registry_reads_each_input_once(
    tmp_path, make_registry, monkeypatch
) -> None:
    # the user's registry (parsed and hashed from one reading), the shipped estates laid under
    # it (the maps' estates and the funding rows of the provinces it leaves out), the provinces
    from isipo_geo import _paths, provinces
    from isipo_geo.registry.estates import registry_path

    registry = make_registry(40, ["isfahan", "yazd"])
    options = {"registry": registry, "registry_year": "1403"}
    recorded = {"registry": registry, "registry_year": "1403"}
    provinces._read_provinces.cache_clear()  # read by this run, not an earlier test's
    provinces.province_rows.cache_clear()
    counts = _count_reads(monkeypatch)
    written = run.build(options, tmp_path / "maps", recorded=recorded)
    assert len(written) == 37  # 3 tables, the manifest, 33 pages
    assert counts[str(registry.resolve())] == 1
    assert counts[str(registry_path().resolve())] == 1
    assert counts[str(_paths.data_file("provinces", "provinces.geojson").resolve())] == 1
    assert counts[str(_paths.data_file("provinces", "provinces.csv").resolve())] == 1
    repeated = {path: n for path, n in counts.items() if n > 1}
    assert repeated == {}
    # and the manifest's hash is the one of the bytes read
    record = run.read_manifest(tmp_path / "maps")
    digest = hashlib.sha256(registry.read_bytes()).hexdigest()
    assert record["inputs"]["registry"]["sha256"] == digest


def test_map_table_holds_floats_and_few_texts_as_categories_not_the_rows_objects() -> None:
    # the map table reads each figure as the maps do (a Decimal as its float, None as NaN) and
    # keeps no cell of the rows: the rows' Decimals are freed with the rows (a lower peak at
    # 84,400 estates); a text column of a few values is categorical, None read as ""
    from decimal import Decimal

    import pandas as pd

    from isipo_geo.maps.data import FUNDING_COLUMNS
    from isipo_geo.run import map_table

    base = dict.fromkeys(FUNDING_COLUMNS) | {"year": "1403", "source": "r.csv: row 3"}
    rows = [
        base | {"scope": "estate", "estate_id": "e1", "utility": "water",
                "need": Decimal("2.5"), "deficit": Decimal("10"), "deficit_unit": "lps"},
        base | {"scope": "province", "province": "qom", "utility": "water", "need": 1.25},
    ]
    table = map_table(rows)
    assert table["need"].dtype == "float64" and table["need"].tolist() == [2.5, 1.25]
    assert table["deficit"].iloc[0] == 10.0 and pd.isna(table["deficit"].iloc[1])
    assert isinstance(table["scope"].dtype, pd.CategoricalDtype)
    assert table["province"].tolist() == ["", "qom"]
    assert table["deficit_unit"].tolist() == ["lps", ""]
    assert table["estate_id"].tolist()[0] == "e1" and pd.isna(table["estate_id"].iloc[1])
    assert table["source"].tolist() == ["r.csv", "r.csv"]


def test_map_table_keeps_a_column_of_other_cells_as_pandas_reads_them() -> None:
    # a text column with a number in it is not made categorical (its cells stay as given)
    from isipo_geo.maps.data import FUNDING_COLUMNS
    from isipo_geo.run import map_table

    base = dict.fromkeys(FUNDING_COLUMNS) | {"year": 1400, "source": ""}
    table = map_table([base | {"scope": "nation", "basis": 3}, base | {"scope": "nation"}])
    assert table["basis"].tolist()[0] == 3 and table["year"].tolist() == [1400, 1400]


def test_map_table_reads_ids_as_text_and_other_ids_as_given() -> None:
    # the estate ids go straight into a string column (None missing); a table whose ids are
    # numbers keeps them as numbers, as pandas reads a list
    import pandas as pd

    from isipo_geo.maps.data import FUNDING_COLUMNS
    from isipo_geo.run import map_table

    base = dict.fromkeys(FUNDING_COLUMNS) | {"year": "1400", "source": ""}
    ids = map_table([base | {"estate_id": "e2"}, base])["estate_id"]
    assert ids.dtype == "str" and ids.iloc[0] == "e2" and pd.isna(ids.iloc[1])
    numbers = map_table([base | {"estate_id": 7}, base | {"estate_id": 8}])["estate_id"]
    assert numbers.tolist() == [7, 8]
