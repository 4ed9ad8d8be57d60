"""Dates for readers: the Solar Hijri (Jalali) calendar; ISO stays in machine fields."""

from __future__ import annotations

import datetime as dt

import pytest

from isipo_geo.dates import jalali, jalali_fa, stated_date


@pytest.mark.parametrize(("iso", "expected"), [
    ("2024-04-03", "1403-01-15"),   # Farvardin 15, 1403
    ("2025-03-20", "1403-12-30"),   # last day of the leap year 1403
    ("2025-03-21", "1404-01-01"),   # Nowruz 1404
    ("2021-03-21", "1400-01-01"),   # the report's year begins
])
def test_jalali_of_an_iso_date(iso, expected):
    assert jalali(iso) == expected
    assert jalali(dt.date.fromisoformat(iso)) == expected


def test_jalali_in_persian_words_and_digits():
    assert jalali_fa("2024-04-03") == "۱۵ فروردین ۱۴۰۳"
    assert jalali_fa("2025-03-20") == "۳۰ اسفند ۱۴۰۳"


def test_not_a_date_is_refused():
    with pytest.raises(ValueError, match="2024-13-01"):
        jalali("2024-13-01")


def test_stated_date_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1712102400")  # 2024-04-03 00:00 UTC
    assert stated_date() == dt.date(2024, 4, 3)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert stated_date() is None  # no date of writing: the same input, the same bytes


def test_a_sheet_without_source_date_epoch_prints_its_print_date_and_keeps_its_bytes(
    monkeypatch, tmp_path
):
    import zipfile

    from isipo_geo.tables import write_records

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    rows = [{"province": "isfahan", "need": 1}]
    a, b = write_records(rows, tmp_path / "a.xlsx"), write_records(rows, tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<oddFooter>&amp;L&amp;D&amp;R" in sheet
