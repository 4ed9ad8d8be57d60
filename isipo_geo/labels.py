"""The toolkit's words: Persian and English labels for utilities, units, scenarios, allocation
keys, kinds, operators, statuses, location precisions and the basis of a figure.

One vocabulary for every output (tables, maps, figures, briefs), so a value reads the same
everywhere. Pure data and two small functions; imports nothing from isipo_geo.
"""

from __future__ import annotations

TOTAL = "total"

UTILITY_LABELS = {
    "water": ("آب", "water"),
    "power": ("برق", "power"),
    "gas": ("گاز", "gas"),
    "telecom": ("مخابرات", "telecom"),
    "fibre": ("فیبر نوری", "fibre"),
    "wastewater": ("فاضلاب", "wastewater"),
    "wwtp": ("تصفیه‌خانه فاضلاب", "wastewater plant"),
    TOTAL: ("کل", "total"),
}
UNIT_LABELS = {
    "lps": ("لیتر بر ثانیه", "L/s"),
    "mw": ("مگاوات", "MW"),
    "count": ("شهرک", "estates"),
    "km": ("کیلومتر", "km"),
    "m3_per_day": ("متر مکعب در روز", "m³/day"),
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


def _label(table: dict[str, tuple[str, str]], key: str) -> tuple[str, str]:
    return table.get(key, (key, key))


def basis_labels(basis: str) -> tuple[str, str]:
    """Persian and English wording of a basis (``reported``, ``derived``, ``allocated:<key>``,
    ``mixed:<a>+<b>``)."""
    if not basis:
        return ("بدون داده", "no data")
    if basis.startswith("mixed:"):
        parts = [basis_labels(p) for p in basis.removeprefix("mixed:").split("+")]
        return (
            "ترکیبی: " + "، ".join(p[0] for p in parts),
            "mixed: " + ", ".join(p[1] for p in parts),
        )
    if basis.startswith("allocated:"):
        fa, en = _label(ALLOCATION_LABELS, basis.removeprefix("allocated:"))
        return (f"برآورد، تخصیص به نسبت {fa}", f"estimate, allocated by {en}")
    return {
        "reported": ("گزارش‌شده", "reported"),
        "derived": ("محاسبه از ارقام گزارش‌شده", "derived from reported figures"),
    }.get(basis, (basis, basis))
