"""``isipo-geo import`` on hostile inputs found by the replay of issue 21: lists with Latin names
only, names carrying ``<`` and ``&``, and missing values of every kind (``pd.NA``, ``None``,
``NaN``) through every summary and message the command prints or writes."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isipo_geo.cli import app


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("names", "stored"),
    [
        (["Alborz Industrial Estate", "Pars Industrial Estate"],
         ["Alborz Industrial Estate", "Pars Industrial Estate"]),
        (['"Sepehr <b>Industrial</b> Estate"', '"Negin & Co < Industrial Estate"'],
         ["Sepehr Industrial Estate", "Negin & Co < Industrial Estate"]),
    ],
    ids=["latin-names", "lt-and-amp"],
)
def test_an_english_only_list_imports_and_says_what_it_read(runner, tmp_path, names, stored):
    """Was: "internal error (TypeError: boolean value of NA is ambiguous)" and nothing written."""
    src = _write(tmp_path / "en.csv", "name,province,water deficit (L/s)\n"
                 f"{names[0]},Tehran,5\n{names[1]},Fars,3\n")
    registry = tmp_path / "out" / "registry.csv"
    result = runner.invoke(app, ["import", str(src), "--registry", str(registry)])
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output
    assert "rows read: 2 = accepted 2 + rejected 0" in result.output
    for name in stored:  # the flagged rows (no_persian_name) are listed by their Latin names
        assert f"{name} (" in result.output
    table = pd.read_csv(registry, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert table["name_en"].tolist() == stored
    assert table["water_deficit_lps"].tolist() == ["5", "3"]
    assert (table["name_fa"] == "").all()


_MISSING = st.sampled_from([pd.NA, None, math.nan])
_TEXT = st.sampled_from(["", "شهرک الف", "A & <b>B</b>", "=1+1", "tehran", "x;y"])


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cells=st.lists(
        st.fixed_dictionaries({c: st.one_of(_MISSING, _TEXT)
                               for c in ("name_fa", "name_en", "province", "flags", "source")}),
        min_size=1, max_size=4,
    ),
    reject_cells=st.lists(st.tuples(_MISSING, st.one_of(_MISSING, _TEXT)), max_size=3),
)
def test_missing_values_pass_through_every_summary_and_message_of_import(
    tmp_path, cells, reject_cells
):
    """Every summary and message path of one file's import (the console summary, the flag
    counts, the report JSON, the rejects) takes pd.NA, None and NaN in any cell
    without an error, and shows them as empty, never as 'nan' or '<NA>'."""
    import contextlib
    import io

    from isipo_geo.cli.importer import _summary
    from isipo_geo.registry.batch import single_report
    from isipo_geo.registry.importer import ImportResult
    from isipo_geo.registry.schema import REGISTRY_COLUMNS

    registry = pd.DataFrame(cells, dtype=object)
    registry.insert(0, "id", [f"e{i}" for i in range(len(registry))])
    for column in REGISTRY_COLUMNS:
        if column not in registry:
            registry[column] = pd.NA
    rejects = pd.DataFrame(
        [{"row": i + 3, "column": column, "reason": reason, "reason_fa": reason}
         for i, (column, reason) in enumerate(reject_cells)],
        columns=["row", "column", "reason", "reason_fa"],
    )
    source = _write(tmp_path / "in.csv", "name\n")
    result = ImportResult(registry=registry, rejects=rejects, rows_read=len(cells) + len(rejects),
                          flagged=int(registry["flags"].notna().sum()), source=source)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        result.flag_counts()
        _summary(result, tmp_path / "r.csv", tmp_path / "r.rejects.csv")
        report = single_report(result)
        json.dumps(report, allow_nan=False)
    text = out.getvalue()
    assert "<NA>" not in text and "nan" not in text.replace("name_", "")
    assert report["totals"]["rows_read"] == len(cells) + len(rejects)
