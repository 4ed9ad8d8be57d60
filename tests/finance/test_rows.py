"""Funding rows (:class:`isipo_geo.finance.rows.FundingRow`): read-only mappings that behave as
the dicts they replace — keys, values, equality, ``dict(row)``, ``row | {...}``, ``**row``."""

from __future__ import annotations

import copy
import pickle
from decimal import Decimal

import pandas as pd
import pytest

from isipo_geo import finance
from isipo_geo.finance.rows import FundingRow


def _row(**changes: object) -> FundingRow:
    values = {
        "scope": "estate",
        "province": "isfahan",
        "province_fa": "اصفهان",
        "estate_id": "syn-000001",
        "estate_name_fa": "شهرک صنعتی سپهر ۱",
        "utility": "water",
        "scenario": "essential",
        "deficit": Decimal("4"),
        "deficit_unit": "lps",
        "unit_cost": Decimal("2.5"),
        "unit_cost_unit": "bn toman per L/s",
        "need": Decimal("10"),
        "currency": "toman",
        "scale": "billion",
        "basis": "registry",
        "year": "1403",
        "cost_case": "central",
        "source": "r.csv: row 2, id syn-000001",
        "note": "",
    } | changes
    return FundingRow(**values, cited="; unit cost seed:L1708")


def test_a_row_reads_as_the_dict_it_replaces() -> None:
    row = _row()
    assert list(row) == finance.OUTPUT_COLUMNS
    assert list(row.keys()) == finance.OUTPUT_COLUMNS
    assert len(row) == 19
    assert row["source"] == "r.csv: row 2, id syn-000001; unit cost seed:L1708"
    assert row["need"] == Decimal("10") and row.get("need") == Decimal("10")
    assert row.get("component") is None and row.get("component", "gap") == "gap"
    assert "need" in row and "component" not in row and "keys" not in row
    with pytest.raises(KeyError, match="component"):
        row["component"]
    with pytest.raises(KeyError):
        row["keys"]  # a method's name is not a key
    plain = dict(row)
    assert type(plain) is dict and plain["source"].endswith("; unit cost seed:L1708")
    assert list(row.values()) == list(plain.values())
    assert list(row.items()) == list(plain.items())
    assert {**row} == plain


def test_rows_equal_the_dicts_they_replace_and_each_other() -> None:
    row = _row()
    plain = dict(row)
    assert row == plain and plain == row
    assert row == _row() and row != _row(need=Decimal("11"))
    assert row != plain | {"need": Decimal("11")}
    assert row != plain | {"component": "gap"}  # a key more
    assert row != list(plain)
    with pytest.raises(TypeError):
        hash(row)  # as a dict: unhashable


def test_or_gives_a_new_dict_and_leaves_the_row_alone() -> None:
    row = _row()
    more = row | {"component": "gap", "need": None}
    assert type(more) is dict
    assert list(more) == [*finance.OUTPUT_COLUMNS, "component"]
    assert more["need"] is None and more["component"] == "gap"
    assert row["need"] == Decimal("10")
    assert {"component": "gap"} | row == {"component": "gap", **dict(row)}
    assert row | _row(note="x") == dict(_row(note="x"))


def test_a_row_is_read_only() -> None:
    row = _row()
    with pytest.raises(TypeError):
        row["need"] = Decimal(0)  # type: ignore[index]
    with pytest.raises(TypeError):
        del row["need"]  # type: ignore[attr-defined]
    assert not hasattr(row, "update") and not hasattr(row, "__dict__")


def test_rows_copy_pickle_and_print_as_dicts() -> None:
    row = _row(note="demand − supplied")
    assert copy.copy(row) == row and copy.deepcopy(row) == row
    assert pickle.loads(pickle.dumps(row)) == row
    assert repr(row) == f"FundingRow({dict(row)!r})"


def test_a_table_of_rows_is_the_table_of_their_dicts() -> None:
    rows = [_row(), _row(utility="power", deficit_unit="mw", need=None, unit_cost=None)]
    got = pd.DataFrame(rows, columns=finance.OUTPUT_COLUMNS)
    want = pd.DataFrame([dict(r) for r in rows], columns=finance.OUTPUT_COLUMNS)
    pd.testing.assert_frame_equal(got, want)
    assert list(pd.DataFrame(rows).columns) == finance.OUTPUT_COLUMNS


def test_funding_rows_at_844_estates_are_rows_citing_their_registry_row(make_registry) -> None:
    """At real size (844 estates): every row, totals too, is a FundingRow; an estate row's
    source is its registry row and the unit cost's source, as the dict rows had it."""
    from isipo_geo.finance.costs import load_costs

    path = make_registry(844)
    rows = finance.funding_rows(registry=path)
    costs = load_costs()
    assert all(isinstance(r, FundingRow) for r in rows)
    estates = [r for r in rows if r["scope"] == "estate"]
    assert len(estates) > 844  # water and power for most estates
    ids = pd.read_csv(path, dtype=str, encoding="utf-8-sig")["id"].tolist()
    row_of = {ident: n for n, ident in enumerate(ids, start=2)}
    for r in estates:
        cited = f"; unit cost {costs[r['utility']].source}" if r["need"] is not None else ""
        n, ident = row_of[r["estate_id"]], r["estate_id"]
        assert r["source"] == f"{path.name}: row {n}, id {ident}{cited}"
        if r["need"] is not None:
            assert r["need"] == r["deficit"] * r["unit_cost"]
    totals = [r for r in rows if r["utility"] == "total"]
    # a total lists its keys as the dict totals did: scenario fourth
    assert list(totals[0])[:5] == ["scope", "province", "province_fa", "scenario", "estate_id"]
    assert pickle.loads(pickle.dumps(totals[0])) == totals[0]
    assert list(pickle.loads(pickle.dumps(totals[0]))) == list(totals[0])
    assert [r["scope"] for r in totals[:2]] == ["nation", "province"]
    assert totals[0]["source"] == "sum of water, power"
    assert totals[0]["need"] == sum(
        r["need"] for r in rows if r["scope"] == "nation" and r["utility"] != "total"
    )


def test_tables_of_rows_are_the_bytes_of_tables_of_their_dicts(make_registry, tmp_path) -> None:
    """CSV, JSON and XLSX written from the 1,619 rows of 844 estates (read by attribute
    paths) are the files written from the same rows as dicts (read by get)."""
    from isipo_geo.tables import write_records

    rows = finance.funding_rows(registry=make_registry(844))
    plain = [dict(r) for r in rows]
    for ext in ("csv", "json", "xlsx"):
        a = write_records(rows, tmp_path / f"rows.{ext}", columns=finance.OUTPUT_COLUMNS)
        b = write_records(plain, tmp_path / f"dicts.{ext}", columns=finance.OUTPUT_COLUMNS)
        assert a.read_bytes() == b.read_bytes(), ext
    assert len(rows) == 1619


def test_rows_are_small_and_share_what_a_utility_and_an_estate_share(make_registry) -> None:
    """What keeps 151,800 rows at 22 MB: 14 slots a row (144 bytes in CPython), one costing for
    every row of a utility, and an estate's utilities citing one registry-row string."""
    import sys

    rows = finance.funding_rows(registry=make_registry(844))
    assert {sys.getsizeof(r) for r in rows} == {144}
    water = [r for r in rows if r["utility"] == "water"]
    assert len({id(r._costing) for r in water}) == 1
    estate = [r for r in rows if r["estate_id"] == "syn-000002"]
    assert [r["utility"] for r in estate] == ["water", "power"]
    assert estate[0]._source is estate[1]._source
    assert estate[0]["source"].startswith("registry_844.csv: row 3, id syn-000002; unit cost ")
