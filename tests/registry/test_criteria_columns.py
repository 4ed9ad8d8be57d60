"""The criteria columns (jobs, units, occupancy, investment) as registry columns: read from
data/estates/criteria_columns.csv, matched by their Persian and English headers, read by the one
number rule with their units, a missing value left unknown."""

from __future__ import annotations

import pandas as pd
import pytest

from isipo_geo.registry._headers import load_aliases, map_header
from isipo_geo.registry.criteria_columns import CRITERIA_COLUMNS
from isipo_geo.registry.importer import import_registry
from isipo_geo.registry.schema import REGISTRY_COLUMNS


def test_the_columns_come_from_the_data_table_and_are_registry_columns() -> None:
    assert [c.column for c in CRITERIA_COLUMNS] == [
        "jobs", "units_operating", "units_idle", "occupancy_pct", "investment_bn_toman"]
    assert [c.label_fa for c in CRITERIA_COLUMNS] == [
        "اشتغال", "تعداد واحد فعال", "واحد راکد", "درصد واگذاری", "سرمایه‌گذاری"]
    for c in CRITERIA_COLUMNS:
        assert REGISTRY_COLUMNS[c.column] == "Float64"


@pytest.mark.parametrize(
    ("header", "column", "unit"),
    [
        ("اشتغال", "jobs", "count"),
        ("jobs", "jobs", "count"),
        ("تعداد واحد فعال", "units_operating", "count"),
        ("units_idle", "units_idle", "count"),
        ("واحد راکد", "units_idle", "count"),
        ("درصد واگذاری", "occupancy_pct", "pct"),
        ("occupancy (%)", "occupancy_pct", "pct"),
        ("occupancy_pct", "occupancy_pct", "pct"),
        ("سرمایه‌گذاری (میلیارد تومان)", "investment_bn_toman", "bn_toman"),
        ("investment_bn_toman", "investment_bn_toman", "bn_toman"),
    ],
)
def test_headers_map_to_the_criteria_columns(header, column, unit) -> None:
    col = map_header(header, 0, load_aliases())
    assert col.problem is None
    assert col.field == next(c.field for c in CRITERIA_COLUMNS if c.column == column)
    assert col.unit.key == unit


def test_investment_without_a_unit_is_not_given_one() -> None:
    col = map_header("سرمایه‌گذاری", 0, load_aliases())
    assert col.problem and "میلیارد تومان" in col.problem


def _import(tmp_path, rows):
    path = tmp_path / "r.csv"
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8-sig")
    return import_registry(path)


def _row(**cells):
    return {"نام شهرک": "شهرک صنعتی آزمایش", "استان": "قم", "نوع": "شهرک صنعتی", **cells}


def test_cells_by_the_one_number_rule_with_their_units(tmp_path) -> None:
    result = _import(tmp_path, [
        _row(**{"درصد واگذاری": "۶۰ ٪", "سرمایه‌گذاری (میلیارد تومان)": "۱۲۰ میلیارد تومان",
                "اشتغال": "۳٬۴۰۰"}),
        _row(**{"درصد واگذاری": "", "سرمایه‌گذاری (میلیارد تومان)": "-", "اشتغال": ""}),
    ])
    assert result.rejects.empty, result.rejects
    first, second = result.registry.iloc[0], result.registry.iloc[1]
    assert first["occupancy_pct"] == 60 and first["investment_bn_toman"] == 120
    assert first["jobs"] == 3400
    # a missing value stays unknown, never 0
    assert pd.isna(second["occupancy_pct"]) and pd.isna(second["investment_bn_toman"])
    assert pd.isna(second["jobs"])


def test_bad_cells_are_rejected_with_the_row_and_column(tmp_path) -> None:
    result = _import(tmp_path, [
        _row(**{"درصد واگذاری": "120", "اشتغال": "10"}),
        _row(**{"درصد واگذاری": "50", "اشتغال": "-3"}),
        _row(**{"درصد واگذاری": "12,5", "اشتغال": "1"}),
    ])
    assert len(result.registry) == 0 and len(result.rejects) == 3
    reasons = result.rejects.set_index("row")["reason"].to_dict()
    assert "100" in reasons[2]  # above 100 %
    assert "negative" in reasons[3]
    assert "ambiguous" in reasons[4]
