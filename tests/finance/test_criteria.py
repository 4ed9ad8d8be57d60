"""A gap's criterion values (isipo_geo.finance.criteria): read from the registry row by the one
number rule, unknown (never 0) when a cell is empty; the scoring's text in both languages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from isipo_geo.errors import InputError
from isipo_geo.finance.criteria import Criterion, Scoring, criterion_value

GAP = {"scope": "estate", "province": "fars", "estate_id": "f1", "utility": "water",
       "deficit": Decimal(15), "deficit_unit": "lps", "need": Decimal("37.5")}


@pytest.mark.parametrize(
    ("name", "record", "expected"),
    [
        ("need", None, (37.5, "37.5")),
        ("deficit", None, (15.0, "15")),
        ("gap_share", {"water_demand_lps": "۶۰"}, (0.25, "0.250")),
        ("gap_share", {"water_demand_lps": " "}, (None, "unknown (water_demand_lps empty)")),
        ("gap_share", {"water_demand_lps": "0"}, (None, "unknown (water_demand_lps is 0)")),
        ("gap_share", None, (None, "unknown (no registry row)")),
        ("jobs", {"jobs": "۱٬۲۰۰"}, (1200.0, "1200")),
        ("jobs", {"jobs": "nan"}, (None, "unknown (jobs empty)")),
        ("jobs", None, (None, "unknown (no registry row: a province's estimate)")),
    ],
)
def test_criterion_value(name, record, expected) -> None:
    assert criterion_value(name, GAP, record) == expected


def test_a_cell_that_is_not_a_number_is_an_error_naming_the_column() -> None:
    with pytest.raises(InputError, match="jobs"):
        criterion_value("jobs", GAP, {"jobs": "many"})


def test_the_scoring_text_in_english_and_persian() -> None:
    scoring = Scoring("wsm", [Criterion("jobs", "benefit"), Criterion("need", "cost")],
                      [0.75, 0.25], "criteria file", {}, {})
    assert scoring.text.endswith(
        "; weights (criteria file): jobs (benefit) 0.750, need (cost) 0.250"
    )
    assert scoring.text_fa.endswith("؛ وزن‌ها: اشتغال 0.750، نیاز مالی 0.250")
