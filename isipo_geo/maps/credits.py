"""The words that name where a map's figures come from and the year they refer to: titles,
the legend's basis rows, the PNG's credit line and the index page.

A map drawn from the shipped data says "the ISIPO performance report 1400"; one drawn with a
registry names the file and its year ("registry isfahan.csv, 1403", or "year unknown" when the
registry does not say): never "1400" for a registry's figures. Pure functions over the funding
table; the wording itself lives in :mod:`isipo_geo.labels`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from isipo_geo.labels import (
    ALLOCATION_LABELS,
    REPORT_BASES,
    basis_parts,
    join_years,
    label_of,
    source_labels,
    year_labels,
)

if TYPE_CHECKING:
    import pandas as pd

REPORT_YEAR = 1400  # Jalali year of the ISIPO report the shipped figures come from

SHORT_BASIS = {  # one or two words, as tooltips show a basis (the legend explains them)
    "reported": ("گزارش‌شده", "reported"),
    "derived": ("محاسبه‌شده", "derived"),
    "registry": ("فهرست شما", "your registry"),
}

Source = tuple[str, str, str]  # (kind "report" | "registry", file name, year or "")


def funding_sources(funding: pd.DataFrame) -> tuple[Source, ...]:
    """The sources of a funding table's figures (:func:`isipo_geo.finance.data_sources`),
    read from its distinct (scope, basis, year, file) combinations, so a table of 84,400
    estates costs one pass over its columns.

    A table without a ``year`` column (an older or hand-made one) gives the report's figures
    the report's year and a registry's figures an unknown year.
    """
    import pandas as pd

    from isipo_geo.finance import data_sources

    if funding is None or len(funding) == 0 or "basis" not in funding.columns:
        return ()
    frame = pd.DataFrame(
        {
            "scope": funding["scope"].astype(str) if "scope" in funding.columns else "",
            "utility": funding["utility"].astype(str) if "utility" in funding.columns else "",
            "basis": funding["basis"].fillna("").astype(str),
        }
    )
    frame["source"] = funding["source"].fillna("").astype(str) if "source" in funding else ""
    if "year" in funding.columns:
        frame["year"] = funding["year"].fillna("").astype(str)
    else:
        registry = frame["basis"].str.contains("registry", regex=False)
        frame["year"] = [("" if r else str(REPORT_YEAR)) for r in registry]
    # the distinct rows first, then each source up to its row reference: a Python string per
    # distinct source, not one per row (151,800 at 84,400 estates); the same rows, in order
    frame = frame.drop_duplicates()
    frame["source"] = [s.partition(": row ")[0] for s in frame["source"].tolist()]
    distinct = frame.drop_duplicates()
    return tuple(data_sources(distinct.to_dict(orient="records")))


def with_registry(
    sources: tuple[Source, ...], estates: pd.DataFrame, registry_year: str = ""
) -> tuple[Source, ...]:
    """``sources`` plus the registry whose estates a map draws, when its figures are not
    among them (a registry of locations only is still a source of the map): its file name
    (``registry_file`` column of :func:`isipo_geo.registry.estates.load_registry`) and year
    (the rows' ``year``, else ``registry_year``, else unknown)."""
    if "registry_file" not in estates.columns:
        return sources
    mine = estates[estates["registry_file"].fillna("") != ""]
    if mine.empty:
        return sources
    named = {name for kind, name, _ in sources if kind == "registry"}
    extra = []
    for name, rows in mine.groupby("registry_file", sort=True):
        if name in named:
            continue
        years = {str(y) if isinstance(y, str) else "" for y in rows["year"].tolist()}
        years = {y or registry_year for y in years}
        extra.append(("registry", str(name), join_years(years)))
    return (*sources, *extra)


def sources_year(sources: tuple[Source, ...]) -> str:
    """The year(s) of all the sources together (``"1400"``, ``"1400+1403"``, ``""``)."""
    return join_years({year for _, _, year in sources}) if sources else ""


def year_words(year: object, digits: str) -> tuple[str, str]:
    """Persian and English year for titles (``سال نامعلوم`` / ``year unknown`` if unknown)."""
    return year_labels(year, digits=digits)


def total_words(scenario: str) -> tuple[str, str]:
    """What the national page's total covers: the nation, or (scenario ``registry``) only the
    provinces the registry covers."""
    if scenario == "registry":
        return ("جمع استان‌های فهرست", "Total of the registry's provinces")
    return ("جمع کشور", "National total")


def every_province_words(
    values: pd.Series, bases: pd.Series, unit: str, money: tuple[str, str], digits: str
) -> tuple[str, str] | None:
    """The legend's one line when every province reads the same figure (one class): «هر استان
    ۴۱۵ میلیارد تومان — سهم برابر» / "every province 415 bn toman — equal shares" (the
    "equal shares" part only when every figure is an equal share); None when the provinces
    read differently or one has no figure.

    Examples
    --------
    >>> import pandas as pd
    >>> every_province_words(pd.Series([415.032257, 415.032258]),
    ...     pd.Series(["allocated:equal"] * 2), "toman_billion", ("میلیارد تومان", "bn toman"),
    ...     "latin")
    ('هر استان 415 میلیارد تومان — سهم برابر', 'every province 415 bn toman — equal shares')
    """
    from isipo_geo.display import format_number
    from isipo_geo.figures import shared_figure

    value = shared_figure(values.tolist(), unit)
    if value is None:
        return None
    fa = f"هر استان {format_number(value, digits=digits, unit=unit)} {money[0]}"
    en = f"every province {format_number(value, digits='latin', unit=unit)} {money[1]}"
    if set(bases.tolist()) == {"allocated:equal"}:
        fa, en = f"{fa} — سهم برابر", f"{en} — equal shares"
    return fa, en


def year_prefixed(year_fa: str) -> str:
    """``سال ۱۴۰۰`` — but ``سال نامعلوم`` stays as it is."""
    return year_fa if year_fa.startswith("سال") else f"سال {year_fa}"


def credit_words(sources: tuple[Source, ...], digits: str) -> tuple[str, str]:
    """Persian and English credit naming every source used, joined by `` · ``."""
    parts = [source_labels(kind, name, year, digits=digits) for kind, name, year in sources]
    if not parts:
        parts = [source_labels("report", "", str(REPORT_YEAR), digits=digits)]
    return " · ".join(p[0] for p in parts), " · ".join(p[1] for p in parts)


def report_words(sources: tuple[Source, ...], digits: str) -> tuple[str, str]:
    """"the ISIPO performance report 1400" in Persian and English (for the estimate row)."""
    return source_labels("report", "", _report_year(sources), digits=digits)


def basis_rows(
    bases: set[str], sources: tuple[Source, ...], digits: str, *, short: bool = False
) -> list[tuple[str, str]]:
    """The legend's rows for figures that are not estimates, one per source actually used:
    the report's (stated or derived) and each registry's (a row, or the sum of rows).
    ``short`` gives the PNG legend's few words."""
    parts = {p for b in bases for p in basis_parts(b)}
    rows = []
    if parts & set(REPORT_BASES):
        rfa, ren = report_words(sources, digits)
        if short:
            year_fa, year_en = year_labels(_report_year(sources), digits=digits)
            rows.append((f"گزارش {year_fa}", f"report {year_en}"))
        else:
            rows.append(
                (f"گزارش‌شده یا محاسبه‌شده از {rfa}", f"reported, or derived from the {ren}")
            )
    if "registry" in parts:
        registries = [(name, year) for kind, name, year in sources if kind == "registry"]
        for name, year in registries or [("", "")]:
            fa, en = source_labels("registry", name, year, digits=digits)
            if short:
                rows.append((f"از {fa}", f"your {en}"))
            else:
                rows.append(
                    (
                        f"از {fa} (یک ردیف یا جمع ردیف‌ها)",
                        f"from your {en} (a row, or the sum of rows)",
                    )
                )
    return rows


def legend_basis_rows(
    bases: set[str], sources: tuple[Source, ...], digits: str
) -> list[tuple[str, str, bool]]:
    """The HTML legend's basis rows: :func:`basis_rows`, then (when any figure is allocated)
    the estimate row naming the report, its year and the allocation keys; each as (Persian,
    English, drawn as an estimate)."""
    rows = [(fa, en, False) for fa, en in basis_rows(bases, sources, digits)]
    keys = sorted(
        {p.removeprefix("allocated:") for b in bases for p in basis_parts(b)
         if p.startswith("allocated:")}
    )
    if keys:
        how_fa = "، ".join(label_of(ALLOCATION_LABELS, k)[0] for k in keys)
        how_en = ", ".join(label_of(ALLOCATION_LABELS, k)[1] for k in keys)
        rfa, ren = report_words(sources, digits)
        rows.append(
            (
                f"برآورد: رقم کشور در {rfa} به نسبت {how_fa} تقسیم شده",
                f"estimate: national figure of the {ren} shared by {how_en}",
                True,
            )
        )
    return rows


def _report_year(sources: tuple[Source, ...]) -> str:
    return next((y for kind, _, y in sources if kind == "report"), str(REPORT_YEAR))
