"""Cell parsers of the importer: Persian numbers, yes/no, degrees, units, HTML in names."""

from __future__ import annotations

import pytest

from isipo_geo.registry._values import (
    UNITS,
    find_unit,
    is_missing,
    parse_degrees,
    parse_number,
    parse_pair,
    parse_yes_no,
    plain_text,
)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("۱۲۳", 123.0),
        ("١٢٣", 123.0),  # Arabic-Indic digits
        ("۱٬۲۳۴٫۵", 1234.5),  # Persian thousands and decimal separators
        ("1,234,567", 1234567.0),
        ("۲/۵", 2.5),  # Persian decimal slash
        ("  12.5 ", 12.5),
        ("\u200f۱۲\u200e", 12.0),  # bidi marks left by spreadsheets
        ("−3", -3.0),  # Unicode minus
        ("1.5E+3", 1500.0),
        (7, 7.0),
        (2.25, 2.25),
    ],
)
def test_parse_number_reads_persian_forms(cell, expected):
    assert parse_number(cell) == expected


@pytest.mark.parametrize("cell", ["", "-", "—", "ـ", None, float("nan"), "نامشخص", " n/a "])
def test_parse_number_missing(cell):
    assert parse_number(cell) is None
    assert is_missing(cell)


def test_parse_number_refuses_units_in_cells():
    with pytest.raises(ValueError, match="unit in the column header"):
        parse_number("50 لیتر")


def test_parse_number_refuses_ambiguous_comma():
    with pytest.raises(ValueError, match="ambiguous"):
        parse_number("1,5")


@pytest.mark.parametrize("cell", ["1..2", "1-2", True, float("inf")])
def test_parse_number_refuses_garbage(cell):
    with pytest.raises(ValueError, match="not a"):
        parse_number(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("دارد", True), ("ندارد", False), ("بله", True), ("خیر", False), ("خير", False),
        ("آری", True), ("نه", False), ("✓", True), ("✗", False), ("Yes", True), ("no", False),
        ("TRUE", True), (1, True), (0.0, False), (True, True), ("", None), ("-", None),
        (None, None),
    ],
)
def test_parse_yes_no(cell, expected):
    assert parse_yes_no(cell) is expected


@pytest.mark.parametrize("cell", ["x", "شاید", 2, "maybe"])
def test_parse_yes_no_refuses_the_unclear(cell):
    with pytest.raises(ValueError, match="is not yes/no"):
        parse_yes_no(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("51.42", 51.42),
        ("۵۱٫۴۲", 51.42),
        ("51°30'36\"E", 51.51),
        ("51 30 36", 51.51),
        ("35° 30′ N", 35.5),
        ("۳۵ درجه ۳۰ دقیقه", 35.5),
        ("51°W", -51.0),
        (51.5, 51.5),
    ],
)
def test_parse_degrees(cell, expected):
    assert parse_degrees(cell) == pytest.approx(expected)


def test_parse_degrees_refuses_bad_minutes():
    with pytest.raises(ValueError, match="below 60"):
        parse_degrees("51°75'")
    with pytest.raises(ValueError, match="not a coordinate"):
        parse_degrees("north of Tehran")


def test_parse_pair():
    assert parse_pair("51.4, 35.7") == (51.4, 35.7)
    assert parse_pair("(۵۱٫۴ ، ۳۵٫۷)") == (51.4, 35.7)
    assert parse_pair("") is None
    with pytest.raises(ValueError, match="coordinate pair"):
        parse_pair("51.4")


def test_units_convert_to_registry_units():
    assert find_unit("متر مکعب در روز") is UNITS["m3_per_day"]
    assert find_unit("m³/day") is UNITS["m3_per_day"]
    assert 864 * UNITS["m3_per_day"].factor == pytest.approx(10.0)  # m³/day / 86.4 = L/s
    assert find_unit("لیتر بر ثانیه").factor == 1.0
    assert find_unit("کیلووات").factor == pytest.approx(1e-3)
    assert find_unit("kVA").dimension == "apparent_power"
    assert find_unit("مترمربع").factor == pytest.approx(1e-4)
    # one million m³ a year (365 days) is 31.71 L/s
    assert find_unit("میلیون متر مکعب در سال").factor == pytest.approx(31.709791983764585)
    assert find_unit("گالن") is None


def test_plain_text_strips_html_and_normalises():
    assert plain_text("<b>شهرك صنعتي</b>") == ("شهرک صنعتی", True)
    assert plain_text("<script>alert(1)</script>شهرک") == ("شهرک", True)
    assert plain_text("&lt;i&gt;کج&lt;/i&gt; &amp; شرکا") == ("کج & شرکا", True)
    assert plain_text("A & B < C") == ("A & B < C", False)
    assert plain_text(12.0) == ("12", False)
    assert plain_text(None) == ("", False)
