"""Tests of isipo_geo.maps.estate_figures: the estates' needs and deficits as columns read like
the dict of dicts they replace, and the maps read the same figures from them.

Tables are synthetic (built here, or a registry of 844 estates by ``tests/synthetic_registry.py``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from isipo_geo.maps.estate_figures import EstateFigures, estate_columns, estate_figures


def _plain(columns: dict[str, list[float]]) -> dict[str, list[float | None]]:
    """``columns`` with None for NaN, to compare with ``==``."""
    return {u: [None if math.isnan(v) else v for v in c] for u, c in columns.items()}


def _figures() -> EstateFigures:
    ids = pa.array(["e2", "e1", "e2", "e3", "e1", "e2"])
    utilities = np.array(["water", "water", "power", "water", "water", "total"], dtype=object)
    values = np.array([1.5, 2.0, math.nan, 4.0, 7.0, 9.0])
    keep = np.array([True, True, True, False, True, True])
    return estate_figures(ids, utilities, values, keep)


def test_figures_read_like_the_dict_of_dicts_a_row_by_row_fill_makes() -> None:
    figures = _figures()
    # as a dict filled row by row: e1's later water row (7.0) wins, e3's row is not kept, a NaN
    # figure is still there
    expected = {"e2": {"water": 1.5, "power": math.nan, "total": 9.0}, "e1": {"water": 7.0}}
    assert list(figures) == ["e2", "e1"]
    assert len(figures) == 2
    assert figures["e1"] == {"water": 7.0}
    assert figures.get("e3", {}) == {}
    assert "e2" in figures and "e3" not in figures and 5 not in figures
    got = dict(figures)
    assert list(got["e2"]) == ["water", "power", "total"]
    assert got["e2"]["water"] == 1.5 and math.isnan(got["e2"]["power"])
    assert got["e2"]["total"] == 9.0 and type(got["e2"]["total"]) is float
    with pytest.raises(KeyError):
        figures["e9"]
    merged = figures | {"e9": {"gas": 1.0}}
    assert type(merged) is dict and merged["e9"] == {"gas": 1.0} and merged["e1"] == {"water": 7.0}
    no_nan = estate_figures(pa.array(["a"]), np.array(["water"], dtype=object),
                            np.array([3.0]), np.array([True]))
    assert no_nan == {"a": {"water": 3.0}} and no_nan != {"a": {"water": 4.0}}
    assert list(expected) == list(figures)


def test_no_rows_kept_make_an_empty_mapping() -> None:
    figures = estate_figures(pa.array(["a"]), np.array(["water"], dtype=object),
                             np.array([3.0]), np.array([False]))
    assert not figures and dict(figures) == {}
    assert estate_columns(figures, ["a"]) == {}


def test_columns_align_with_the_estates_of_a_string_index_or_any_ids() -> None:
    figures = _figures()
    index = pd.Index(["e1", "e3", "e2"], dtype="str")
    columns = estate_columns(figures, index)
    assert list(columns) == ["water", "power", "total"]
    assert columns["water"][0] == 7.0 and math.isnan(columns["water"][1])
    assert columns["water"][2] == 1.5
    assert all(math.isnan(v) for v in columns["power"])  # e2's power is NaN, the others none
    assert _plain(columns) == {
        "water": [7.0, None, 1.5], "power": [None, None, None], "total": [None, None, 9.0]
    }
    assert _plain(estate_columns(figures, ["e1", "e3", "e2"])) == _plain(columns)
    # a plain dict of dicts reads the same, estate by estate
    assert _plain(estate_columns(dict(figures), index)) == _plain(columns)
    numbers = estate_figures(pa.array(["12"]), np.array(["water"], dtype=object),
                             np.array([3.0]), np.array([True]))
    water = estate_columns(numbers, pd.Index([12, 13]))["water"]  # ids read as str(id)
    assert water[0] == 3.0 and math.isnan(water[1])


def test_province_needs_reads_the_estates_figures_of_844_estates_as_the_rows_give_them(
    make_registry,
) -> None:
    # a registry of 844 estates: every estate row's need, and its deficit where the row has one
    # with a unit, read from the map table equals the dict of dicts built from the rows
    from isipo_geo.finance import funding_rows
    from isipo_geo.maps.data import province_needs
    from isipo_geo.provinces import load_provinces
    from isipo_geo.run import map_table

    rows = funding_rows(registry=make_registry(844))
    need: dict[str, dict[str, float]] = {}
    deficit: dict[str, dict[str, float]] = {}
    for r in rows:
        if r["scope"] != "estate":
            continue
        value = math.nan if r["need"] is None else float(r["need"])
        need.setdefault(r["estate_id"], {})[r["utility"]] = value
        if r["deficit"] is not None and r["deficit_unit"]:
            deficit.setdefault(r["estate_id"], {})[r["utility"]] = float(r["deficit"])
    needs = province_needs(map_table(rows), list(load_provinces().index))
    assert isinstance(needs.estate_need, EstateFigures)
    def plain(figures):  # NaN as None, to compare with ==
        return {k: {u: None if math.isnan(v) else v for u, v in d.items()}
                for k, d in figures.items()}

    assert len(needs.estate_need) == len(need) > 800  # the estates with a row
    assert plain(needs.estate_need) == plain(need)
    assert list(needs.estate_need) == list(need)
    assert len(deficit) > 400 and plain(needs.estate_deficit) == plain(deficit)
