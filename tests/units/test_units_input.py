"""Unit point files: numbers written with Persian digits are summed, columns that cannot be
summed are named, and values too large to add up are an error, never a silent ``inf``."""

from __future__ import annotations

import pytest

from isipo_geo.cli import app


def _csv(tmp_path, text: str):
    p = tmp_path / "units.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_persian_digit_column_is_summed(tmp_path) -> None:
    from isipo_geo.units import aggregate_units, read_points, unsummed_columns

    p = _csv(tmp_path, "lon,lat,employees,name\n51.4,35.7,۱۲,الف\n51.5,35.6,۳٬۴۰۰,ب\n")
    points = read_points(p)
    table = aggregate_units(points)
    assert table.loc["tehran", "employees_sum"] == 3412
    assert unsummed_columns(points) == ["name"]


def test_mixed_text_column_stays_text_and_is_named(runner, tmp_path) -> None:
    p = _csv(tmp_path, "lon,lat,plate\n51.4,35.7,۱۲ الف\n51.5,35.6,۳۴\n")
    result = runner.invoke(app, ["units", str(p)])
    assert result.exit_code == 0, result.output
    assert "note: not summed (not numbers): plate" in result.output


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (("1e308", "1e308"), "column 'area': the sum overflows"),
        (("inf", "1"), "row 2, column 'area': inf is not a finite number"),
    ],
)
def test_sums_that_overflow_are_errors(runner, tmp_path, cells, message) -> None:
    p = _csv(tmp_path, f"lon,lat,area\n51.4,35.7,{cells[0]}\n51.5,35.6,{cells[1]}\n")
    result = runner.invoke(app, ["units", str(p)])
    assert result.exit_code == 2, result.output
    assert message in result.output and str(p) in result.output
    assert "Traceback" not in result.output
