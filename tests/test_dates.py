"""Dates for readers: the Solar Hijri (Jalali) calendar; ISO stays in machine fields."""

from __future__ import annotations

import datetime as dt

import pytest

from isipo_geo.dates import jalali, jalali_fa, written_on


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


def test_written_on_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1712102400")  # 2024-04-03 00:00 UTC
    assert written_on() == dt.date(2024, 4, 3)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert written_on() == dt.datetime.now(dt.UTC).date()
