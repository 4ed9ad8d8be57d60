"""The toolkit's words: Persian and English labels for utilities, units, scenarios, allocation
keys, kinds, operators, statuses, location precisions and the basis of a figure.

One vocabulary for every output (tables, maps, figures, briefs), so a value reads the same
everywhere. Pure data and small functions; the utilities' names and order are those of
``data/utilities/utilities.csv`` (:mod:`isipo_geo.utilities`), the one other module it imports.
"""

from __future__ import annotations

from isipo_geo.utilities import UTILITIES, UTILITY_KEYS

TOTAL = "total"

UTILITY_LABELS = {
    **{u.key: (u.label_fa, u.label_en) for u in UTILITIES},
    # the yes/no flags the briefs list beside the utilities (has_fibre, has_wwtp)
    "fibre": ("فیبر نوری", "fibre"),
    "wwtp": ("تصفیه‌خانه فاضلاب", "wastewater plant"),
    TOTAL: ("کل", "total"),
}
# The order utilities are listed in (console tables, popups, layers): the table's first, then
# any other alphabetically, then the total.
UTILITY_ORDER = UTILITY_KEYS


def utility_key(utility: str) -> tuple[int, str]:
    """A sort key for utilities in :data:`UTILITY_ORDER`, then others alphabetically, then the
    total.

    Examples
    --------
    >>> sorted(["total", "biogas", "power", "water"], key=utility_key)
    ['water', 'power', 'biogas', 'total']
    """
    if utility in UTILITY_ORDER:
        return (UTILITY_ORDER.index(utility), "")
    return (len(UTILITY_ORDER) + (utility == TOTAL), utility)


UNIT_LABELS = {
    "lps": ("لیتر بر ثانیه", "L/s"),
    "mw": ("مگاوات", "MW"),
    "count": ("شهرک", "estates"),
    "km": ("کیلومتر", "km"),
    "m3_per_day": ("متر مکعب در روز", "m³/day"),
}
CURRENCY_LABELS = {  # a money unit, (currency, scale): Persian, English
    ("toman", "billion"): ("میلیارد تومان", "bn toman"),
    ("toman", "million"): ("میلیون تومان", "m toman"),
    ("rial", "billion"): ("میلیارد ریال", "bn rial"),
    ("rial", "million"): ("میلیون ریال", "m rial"),
    ("toman", "one"): ("تومان", "toman"),
    ("rial", "one"): ("ریال", "rial"),
}
SCENARIO_LABELS = {
    "essential": ("کمبود ضروری", "essential deficit"),
    "whole": ("کل کمبود", "whole deficit"),
    "registry": ("فهرست شهرک‌ها", "registry deficits"),
}
ALLOCATION_LABELS = {
    "equal": ("سهم برابر استان‌ها", "equal shares"),
    "area": ("مساحت استان", "province area"),
    "reactivation_plan": ("برنامه احیای واحدهای راکد ۱۴۰۰", "1400 re-activation plan"),
    "weights": ("وزن‌های کاربر", "user weights"),
}
KIND_LABELS = {
    "industrial_estate": ("شهرک صنعتی", "industrial estate"),
    "industrial_zone": ("ناحیه صنعتی", "industrial zone"),
    "special_economic_zone": ("منطقه ویژه اقتصادی", "special economic zone"),
    "technology_estate": ("شهرک فناوری", "technology estate"),
    "specialised_estate": ("شهرک تخصصی", "specialised estate"),
    "guild_estate": ("شهرک صنفی", "guild estate"),
    "private_estate": ("شهرک غیردولتی", "private estate"),
    "free_zone": ("منطقه آزاد", "free zone"),
    "industrial_city": ("شهر صنعتی", "industrial city"),
    "other": ("سایر", "other"),
}
OPERATOR_LABELS = {
    "isipo": ("شرکت شهرک‌های صنعتی", "ISIPO"),
    "private": ("بخش خصوصی", "private"),
    "guild": ("صنفی", "guild"),
    "free_zone": ("سازمان منطقه آزاد", "free-zone organisation"),
    "other_body": ("نهاد دیگر", "another body"),
    "unknown": ("نامعلوم", "not stated"),
}
STATUS_LABELS = {
    "operational": ("در حال بهره‌برداری", "operational"),
    "under_construction": ("در حال احداث", "under construction"),
    "planned": ("در دست مطالعه", "planned"),
    "approved": ("مصوب", "approved"),
    "inactive": ("غیرفعال", "inactive"),
    "unknown": ("نامعلوم", "unknown"),
}
PRECISION_LABELS = {
    "estate": ("موقعیت شهرک", "estate location"),
    "town": ("تقریبی: موقعیت شهر", "approximate (town)"),
    "county": ("تقریبی: نقطه‌ای در شهرستان", "approximate (county)"),
    "province": ("تقریبی: نقطه‌ای در استان", "approximate (province)"),
}


def label_of(table: dict[str, tuple[str, str]], key: str) -> tuple[str, str]:
    """The Persian and English words for ``key`` in one of this module's tables; the key
    itself, twice, when the table has no words for it.

    Examples
    --------
    >>> label_of(UNIT_LABELS, "mw"), label_of(UNIT_LABELS, "tph")
    (('مگاوات', 'MW'), ('tph', 'tph'))
    """
    return table.get(key, (key, key))


def basis_labels(basis: str) -> tuple[str, str]:
    """Persian and English wording of a basis.

    The vocabulary separates the report from the user's data from estimates:

    - ``reported`` — stated in the 1400 report;
    - ``derived`` — computed from the report's figures (a cost / a unit cost, a sum);
    - ``registry`` — from the user's registry: a row's figure, demand − supplied, or a sum of rows;
    - ``allocated:<key>`` — an estimate: a national figure shared among provinces by ``<key>``;
    - ``mixed:<a>+<b>`` — a sum over figures of several bases.

    Parameters
    ----------
    basis : str
        A figure's basis; ``''`` for none.

    Returns
    -------
    (str, str)
        The wording in Persian and in English (``'no data'`` for no basis).

    Examples
    --------
    >>> basis_labels("registry")[1]
    'your registry (a row, or the sum of rows)'
    """
    if not basis:
        return ("بدون داده", "no data")
    if basis.startswith("mixed:"):
        parts = [basis_labels(p) for p in _split_mixed(basis)]
        return (
            "ترکیبی: " + "، ".join(p[0] for p in parts),
            "mixed: " + ", ".join(p[1] for p in parts),
        )
    if basis.startswith("allocated:"):
        fa, en = label_of(ALLOCATION_LABELS, basis.removeprefix("allocated:"))
        return (f"برآورد، تخصیص به نسبت {fa}", f"estimate, allocated by {en}")
    return BASIS_LABELS.get(basis, (basis, basis))


BASIS_LABELS = {
    "reported": ("گزارش‌شده در گزارش عملکرد", "stated in the performance report"),
    "derived": ("محاسبه از ارقام گزارش عملکرد", "derived from the performance report's figures"),
    "registry": ("فهرست شهرک‌های کاربر (یک ردیف یا جمع ردیف‌ها)",
                 "your registry (a row, or the sum of rows)"),
}
REPORT_BASES = ("reported", "derived")
"""Bases whose figures come from the report (``allocated:<key>`` shares a report figure too)."""


def _split_mixed(basis: str) -> list[str]:
    """``mixed:allocated:equal+registry`` -> ``['allocated:equal', 'registry']``."""
    return [p for p in basis.removeprefix("mixed:").split("+") if p]


def basis_parts(basis: str) -> list[str]:
    """The plain bases a basis is made of (a mixed basis split, others as a one-item list)."""
    return _split_mixed(basis) if basis.startswith("mixed:") else ([basis] if basis else [])


def combine_bases(bases: list[str] | tuple[str, ...] | set[str]) -> str:
    """One basis for a sum over figures of several bases: the basis itself when they agree,
    else ``mixed:<a>+<b>`` (sorted, nested mixes flattened); ``""`` for none."""
    parts = sorted({p for b in bases for p in basis_parts(b)})
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else "mixed:" + "+".join(parts)


# --- the data's year -----------------------------------------------------------------------------

UNKNOWN_YEAR = ("سال نامعلوم", "year unknown")


def join_years(years: list[str] | tuple[str, ...] | set[str]) -> str:
    """One year text for figures of several years: ``"1400"``, ``"1400+1403"``; an unknown
    year (``""``) among known ones shows as ``?`` (``"1403+?"``); all unknown → ``""``."""
    parts = {str(y).strip() for y in years}
    known = sorted(p for p in parts if p and p != "?")
    if not known:
        return ""
    return "+".join(known + (["?"] if "" in parts or "?" in parts else []))


def year_labels(year: object, *, digits: str = "fa") -> tuple[str, str]:
    """Persian and English wording of a data year (``1400``, ``"1400+1403"``, ``""`` unknown).

    Examples
    --------
    >>> year_labels("1400+1403")
    ('۱۴۰۰ و ۱۴۰۳', '1400 and 1403')
    >>> year_labels("")
    ('سال نامعلوم', 'year unknown')
    """
    text = "" if year is None else str(year).strip()
    if not text:
        return UNKNOWN_YEAR
    parts = text.split("+")
    fa_parts = [(UNKNOWN_YEAR[0] if p == "?" else _digits(p, digits)) for p in parts]
    en_parts = [("an unknown year" if p == "?" else p) for p in parts]
    return " و ".join(fa_parts), " and ".join(en_parts)


def year_phrase(year: object, *, digits: str = "fa") -> tuple[str, str]:
    """The data's year as a phrase in Persian and English, singular or plural by the number of
    known years.

    Examples
    --------
    >>> year_phrase("1400", digits="latin")
    ('سال 1400', 'year 1400')
    >>> year_phrase("1400+1403")
    ('سال\u200cهای ۱۴۰۰ و ۱۴۰۳', 'years 1400 and 1403')
    >>> year_phrase("")
    ('سال نامعلوم', 'year unknown')
    """
    fa, en = year_labels(year, digits=digits)
    if (fa, en) == UNKNOWN_YEAR:
        return fa, en
    known = [p for p in str(year).strip().split("+") if p and p != "?"]
    if len(known) > 1:
        return f"سال\u200cهای {fa}", f"years {en}"
    return f"سال {fa}", f"year {en}"


def _digits(text: str, digits: str) -> str:
    return text.translate(_FA_DIGITS) if digits == "fa" else text


_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

# --- sources of the figures ----------------------------------------------------------------------

REPORT_SOURCE = (
    "گزارش عملکرد سازمان صنایع کوچک و شهرک‌های صنعتی",
    "ISIPO performance report",
)


def source_labels(kind: str, name: str, year: object, *, digits: str = "fa") -> tuple[str, str]:
    """Persian and English credit for one source of figures.

    ``kind`` is ``report`` (the 1400 report) or ``registry`` (the user's file ``name``).

    Examples
    --------
    >>> source_labels("registry", "isfahan.csv", "1403", digits="latin")
    ('فهرست شهرک‌ها isfahan.csv، سال 1403', 'registry isfahan.csv, 1403')
    >>> source_labels("registry", "r.csv", "")[1]
    'registry r.csv, year unknown'
    """
    yfa, yen = year_labels(year, digits=digits)
    known = bool(str(year or "").strip())
    if kind == "report":
        return (f"{REPORT_SOURCE[0]} {yfa}", f"{REPORT_SOURCE[1]} {yen}")
    return (
        f"فهرست شهرک‌ها {name}، " + (f"سال {yfa}" if known else yfa),
        f"registry {name}, {yen}",
    )


PLAN_STATUS_LABELS = {
    "funded": ("تأمین کامل", "funded"),
    "partly funded": ("تأمین بخشی", "partly funded"),
    "unfunded": ("تأمین‌نشده", "unfunded"),
    "no gap": ("بدون کمبود", "no gap"),
}
