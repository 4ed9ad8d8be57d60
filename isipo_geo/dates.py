"""Dates for readers, in the Solar Hijri (Jalali) calendar Iran's offices use.

A person reads ``1403-01-15`` (registry log, show, spreadsheets' footers); machine fields (the
store's ``date``, JSON, ``valid_from``) stay ISO ``2024-04-03``. Conversion by ``jdatetime``.
"""

from __future__ import annotations

import datetime as dt
import os

MONTHS_FA = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر",
             "دی", "بهمن", "اسفند")
_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _gregorian(day: str | dt.date) -> dt.date:
    if isinstance(day, dt.datetime):
        return day.date()
    if isinstance(day, dt.date):
        return day
    try:
        return dt.date.fromisoformat(str(day).strip()[:10])
    except ValueError:
        raise ValueError(f"{day!r} is not an ISO date (YYYY-MM-DD)") from None


def jalali(day: str | dt.date) -> str:
    """An ISO date (or ``datetime.date``) as a Jalali ``YYYY-MM-DD``, Latin digits.

    Raises ``ValueError`` for what is not an ISO date.

    Examples
    --------
    >>> jalali("2024-04-03")
    '1403-01-15'
    """
    import jdatetime

    j = jdatetime.date.fromgregorian(date=_gregorian(day))
    return f"{j.year:04d}-{j.month:02d}-{j.day:02d}"


def jalali_fa(day: str | dt.date) -> str:
    """An ISO date as Persian readers write it: day, month's name, year, Persian digits.

    Examples
    --------
    >>> jalali_fa("2024-04-03")
    '۱۵ فروردین ۱۴۰۳'
    """
    import jdatetime

    j = jdatetime.date.fromgregorian(date=_gregorian(day))
    return f"{j.day} {MONTHS_FA[j.month - 1]} {j.year}".translate(_FA_DIGITS)


def stated_date() -> dt.date | None:
    """``SOURCE_DATE_EPOCH``'s date when set (the reproducible-builds convention), else None:
    an output that must give the same bytes for the same input prints no date of writing
    without it (a spreadsheet's footer then prints the date it is printed on, ``&D``)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return None
