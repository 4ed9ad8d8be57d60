"""The registry's criteria columns, as data: ``data/estates/criteria_columns.csv`` (one row
each: registry column, importer field, Persian and English names, unit, whether the Persian name
already says the unit, the template's header, an English note). It drives the registry's
columns, the import's headers, the template and the criteria a budget can score on
(:mod:`isipo_geo.finance.criteria`).

A criteria value the registry leaves empty is unknown, never 0.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from isipo_geo import _paths


@dataclass(frozen=True)
class CriteriaColumn:
    """One row of ``data/estates/criteria_columns.csv``."""

    column: str  # the registry column: jobs, occupancy_pct, investment_bn_toman
    field: str  # the importer's field: jobs, occupancy, investment
    label_fa: str  # the Persian header: «اشتغال»
    label_en: str
    unit: str  # a unit of isipo_geo.measures.UNITS: count, pct, bn_toman
    unit_in_label: bool  # the Persian name says the unit («درصد واگذاری»): no unit needed
    header_fa: str  # the template's header, with its unit: «سرمایه‌گذاری (میلیارد تومان)»
    note_en: str


@cache
def _read() -> tuple[CriteriaColumn, ...]:
    path = _paths.data_file("estates", "criteria_columns.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        return tuple(
            CriteriaColumn(
                r["column"], r["field"], r["label_fa"], r["label_en"], r["unit"],
                r["unit_in_label"] == "yes", r["header_fa"], r["note_en"],
            )
            for r in csv.DictReader(f)
        )


CRITERIA_COLUMNS: tuple[CriteriaColumn, ...] = _read()
