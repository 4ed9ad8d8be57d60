"""The 1400 report's figures as data (``data/report/indicators.csv``), and how much of what it
counts the estate registry actually holds.

One row per figure, with the line of the report text it came from (``source``: ``seed:L<n>``, the
number is on line n). Where the report contradicts itself both statements are kept and
``conflict`` says why. Built by ``scripts/build_report_data.py``; see ``data/report/SOURCE.md``.

The report counts 844 estates, zones and special economic zones in operation but names only a
few dozen; public sources name more (the shipped registry holds both). :func:`coverage` says how
many of them a registry holds — by kind against the report's national counts, and by province
against the counts public sources give — and never implies more.
"""

from __future__ import annotations

import os
from functools import cache
from typing import TYPE_CHECKING

from isipo_geo import _paths
from isipo_geo.errors import InputError
from isipo_geo.messages import message

if TYPE_CHECKING:
    import pandas as pd

INDICATOR_COLUMNS: dict[str, str] = {
    "indicator": "string",
    "scope": "string",  # nation / province / estate
    "province": "string",  # province key, empty for the nation
    "estate_id": "string",  # registry id(s), ';'-separated when one figure covers several
    "value": "float64",
    "unit": "string",
    "year": "Int64",  # Jalali year
    "kind": "string",  # plan / actual / achieved / deficit / need / count / share / ...
    "label_fa": "string",
    "label_en": "string",
    "source": "string",  # seed:L<n>[;L<m>] or seed:L<a>-L<b> (a table range)
    "note": "string",
    "conflict": "string",  # empty, or why the report contradicts itself here
}

SCOPES = ("nation", "province", "estate")
REPORT_YEAR = 1400

# (indicator, kind, year) of the headline figures, in the order `isipo-geo report` prints them.
HEADLINE: tuple[tuple[str, str, int], ...] = (
    ("total_operational_count", "count", 1400),
    ("estates_operational_count", "count", 1400),
    ("zones_operational_count", "count", 1400),
    ("sez_operational_count", "count", 1400),
    ("sez_listed_operational_count", "count", 1400),
    ("technology_estates_count", "count", 1400),
    ("water_supplied_estates_count", "count", 1400),
    ("water_supply_added_lps", "actual", 1400),
    ("water_deficit_essential_lps", "deficit", 1400),
    ("water_deficit_essential_cost_bn_toman", "need", 1400),
    ("water_deficit_whole_cost_bn_toman", "need", 1400),
    ("water_unit_cost_bn_toman_per_lps", "unit_cost", 1400),
    ("power_supplied_estates_count", "count", 1400),
    ("power_supply_added_mw", "actual", 1400),
    ("power_need_met_pct", "share", 1400),
    ("power_deficit_essential_mw", "deficit", 1400),
    ("power_deficit_essential_cost_bn_toman", "need", 1400),
    ("power_deficit_whole_cost_bn_toman", "need", 1400),
    ("power_unit_cost_bn_toman_per_mw", "unit_cost", 1400),
    ("gas_supplied_estates_count", "count", 1400),
    ("telecom_fibre_estates_count", "actual", 1400),
    ("wwtp_estates_count", "count", 1400),
    ("reactivation_total_actual", "actual", 1400),
    ("developed_estates_count", "count", 1400),
    ("developed_estate_area_ha", "area", 1400),
    ("infrastructure_cost_total_bn_rial", "cost", 1400),
)

# registry kind -> the indicator counting it in the report (None: the report gives no count)
_KIND_COUNTS: dict[str, str | None] = {
    "industrial_estate": "estates_operational_count",
    "industrial_zone": "zones_operational_count",
    "special_economic_zone": "sez_operational_count",
    "technology_estate": "technology_estates_count",
}
_KIND_LABELS = {
    "industrial_estate": ("شهرک صنعتی", "industrial estates"),
    "industrial_zone": ("ناحیه صنعتی", "industrial zones"),
    "special_economic_zone": ("منطقه ویژه اقتصادی", "special economic zones"),
    "technology_estate": ("شهرک فناوری", "technology estates"),
    "specialised_estate": ("شهرک تخصصی", "specialised estates"),
    "guild_estate": ("شهرک صنفی", "guild estates"),
    "private_estate": ("شهرک غیردولتی", "private estates"),
    "free_zone": ("منطقه آزاد", "free zones"),
    "industrial_city": ("شهر صنعتی", "industrial cities"),
    "other": ("سایر", "other"),
}
# the kinds the report's 844 counts (505 + 335 + 4); a specialised estate is an ISIPO estate
COUNTED_KINDS = (
    "industrial_estate",
    "industrial_zone",
    "special_economic_zone",
    "specialised_estate",
)
# who runs a row the report's 844 may count: ISIPO, or not stated (a planner's own registry)
COUNTED_OPERATORS = ("", "isipo")


@cache
def _indicator_records() -> tuple[dict[str, str], ...]:
    import csv

    path = _paths.data_file("report", "indicators.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in INDICATOR_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(message("missing_columns", missing=', '.join(missing)), path=path)
        return tuple(reader)


def indicator_records() -> list[dict[str, str]]:
    """The report's figures as plain dicts of strings, exactly as written in
    ``data/report/indicators.csv`` (no pandas; values stay exact decimal text such as ``"2.5"``).
    """
    return [dict(r) for r in _indicator_records()]


@cache
def _read_indicators() -> pd.DataFrame:
    import pandas as pd

    path = _paths.data_file("report", "indicators.csv")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in INDICATOR_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(message("missing_columns", missing=', '.join(missing)), path=path)
    df = pd.DataFrame(index=raw.index)
    for col, dtype in INDICATOR_COLUMNS.items():
        if dtype == "float64":
            df[col] = pd.to_numeric(raw[col]).astype("float64")
        elif dtype == "Int64":
            df[col] = pd.to_numeric(raw[col]).astype("Int64")
        else:
            df[col] = raw[col].astype("string")
    return df


def load_indicators() -> pd.DataFrame:
    """The report's figures, one row per figure.

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`INDICATOR_COLUMNS`: ``indicator``, ``scope`` (nation / province /
        estate), ``province`` (key or empty), ``estate_id``, ``value`` (float), ``unit``
        (``lps``, ``mw``, ``bn_toman``, ``bn_rial``, ``ha``, ``pct``, ``estates``, ``units`` ...),
        ``year`` (Jalali), ``kind``, ``label_fa``, ``label_en``, ``source``, ``note``,
        ``conflict``. Empty text cells are empty strings.

    Examples
    --------
    >>> df = load_indicators()
    >>> row = df[df.indicator == "water_deficit_essential_lps"].iloc[0]
    >>> float(row.value), row.unit, row.source
    (2300.0, 'lps', 'seed:L1708')
    """
    return _read_indicators().copy()


def indicator_value(
    name: str,
    *,
    scope: str = "nation",
    province: str | None = None,
    estate_id: str | None = None,
    year: int = REPORT_YEAR,
    kind: str | None = None,
) -> float:
    """The value of one figure.

    Raises
    ------
    InputError
        No figure or several figures match (the message lists the kinds and years there are).

    Examples
    --------
    >>> indicator_value("power_deficit_essential_mw")
    2372.0
    >>> indicator_value("reactivation_total_actual", scope="province", province="fars")
    163.0
    """
    df = _read_indicators()
    sel = (df["indicator"] == name) & (df["scope"] == scope) & (df["year"] == year)
    sel &= df["province"] == (province or "")
    if estate_id is not None:
        sel &= df["estate_id"] == estate_id
    if kind is not None:
        sel &= df["kind"] == kind
    rows = df[sel]
    if len(rows) == 1:
        return float(rows["value"].iloc[0])
    there = df[df["indicator"] == name]
    if there.empty:
        raise InputError(message("report_no_indicator", name=repr(name)))
    options = sorted({f"{r.scope}/{r.kind}/{r.year}" for r in there.itertuples()})
    what = "no" if rows.empty else f"{len(rows)}"
    raise InputError(
        message("report_figure_count", what=what, name=repr(name), scope=scope,
                value=province or '-', year=year, value2=kind or 'any', options=', '.join(options))
    )


def conflicts() -> pd.DataFrame:
    """The figures where the report contradicts itself (``conflict`` not empty)."""
    df = _read_indicators()
    return df[df["conflict"] != ""].reset_index(drop=True)


def headline() -> pd.DataFrame:
    """The headline figures (nation, 1400), in the order of :data:`HEADLINE`.

    Columns: ``indicator``, ``label_fa``, ``label_en``, ``value``, ``unit``, ``source``,
    ``conflict``.
    """
    df = _read_indicators()
    nation = df[(df["scope"] == "nation") & (df["province"] == "")]
    rows = []
    for name, kind, year in HEADLINE:
        hit = nation[
            (nation["indicator"] == name) & (nation["kind"] == kind) & (nation["year"] == year)
        ]
        rows.append(hit.iloc[0])
    import pandas as pd

    out = pd.DataFrame(rows).reset_index(drop=True)
    return out[["indicator", "label_fa", "label_en", "value", "unit", "source", "conflict"]]


def _registry_frame(registry: object) -> pd.DataFrame:
    import pandas as pd

    if registry is None or isinstance(registry, str | os.PathLike):
        from isipo_geo.registry.estates import load_estates

        return pd.DataFrame(load_estates(registry, check_provinces=False))
    if isinstance(registry, pd.DataFrame):
        missing = [c for c in ("kind", "province") if c not in registry.columns]
        if missing:
            raise InputError(message("registry_missing_columns", missing=', '.join(missing)))
        return pd.DataFrame(registry)
    raise InputError(
        message("registry_type", __name__=type(registry).__name__)
    )


def coverage(registry: object = None, *, by: str = "kind") -> pd.DataFrame:
    """How many of the estates the report counts a registry holds.

    Parameters
    ----------
    registry : DataFrame, path-like or None
        A registry CSV path, a (Geo)DataFrame with ``kind``, ``province`` (and ``status``,
        ``operator``, ``location_precision``) columns, or None for the registry shipped with
        isipo-geo (the estates the report and public sources name).
    by : {'kind', 'province'}
        ``"kind"``: one row per kind plus a total of the kinds the report's 844 counts.
        ``"province"``: one row per province: the registry's rows (``counted``: ISIPO's
        estates, zones and SEZs; ``other_bodies``: rows another body runs), the sourced count
        public sources give for the province with its year and address (``sourced_count*``,
        see :func:`best_province_count`), ``named_share_pct`` (counted / a sourced count of
        estates and zones; years differ, so a guide, not a measure) and the province figures
        the report gives (re-activated units, estates developed in 1400); the report gives no
        count of estates per province.

    Returns
    -------
    pandas.DataFrame
        By kind: ``kind``, ``label_fa``, ``label_en``, ``reported`` (the report's count in
        operation; NA when it gives none), ``in_registry``, ``in_registry_isipo`` (operator
        ``isipo`` or not stated: the rows the 844 may count), ``in_registry_operational``
        (those with status ``operational``), ``located_town``, ``located_county``,
        ``located_province``, ``located_estate``, ``share_of_reported_pct`` (operational rows /
        reported, at most 100 only when the registry is complete), ``note``.

    Raises
    ------
    InputError
        ``by`` is neither ``kind`` nor ``province``, or the registry cannot be read (the
        message names the file, row and column).

    Examples
    --------
    >>> cov = coverage()
    >>> int(cov.set_index("kind").loc["all_counted", "reported"])
    844
    """
    reg = _registry_frame(registry)
    if by == "province":
        return _coverage_by_province(reg)
    if by != "kind":
        raise InputError(message("by_kind_or_province", by=repr(by)))
    return _coverage_by_kind(reg)


_COUNT_COLUMNS = (
    "reported",
    "in_registry",
    "in_registry_isipo",
    "in_registry_operational",
    "located_town",
    "located_county",
    "located_province",
    "located_estate",
)

_KIND_NOTES = {
    "special_economic_zone": "the report counts 4 SEZs in operation but lists 5 as in "
    "operation (and 9 assigned to ISIPO); other SEZs are other bodies' (operator)",
    "technology_estate": "not part of the 844",
    "specialised_estate": "counted among the report's estates when ISIPO's",
    "guild_estate": "not ISIPO's: never among the 844",
    "private_estate": "licensed by ISIPO, run privately: not among the 844",
    "free_zone": "not ISIPO's: never among the 844",
    "industrial_city": "run by their own companies: not among the 844",
    "all_counted": "ISIPO's estates, zones and SEZs (operator isipo, or not stated); rows "
    "not marked operational may or may not be among the 844",
}


def _coverage_by_kind(reg: pd.DataFrame) -> pd.DataFrame:
    """:func:`coverage` by kind: a row per kind the registry holds or the report counts, then
    the kinds the report's 844 counts together."""
    import pandas as pd

    df = _read_indicators()
    nation = df[(df["scope"] == "nation") & (df["year"] == REPORT_YEAR)]

    def reported(name: str | None) -> object:
        if name is None:
            return pd.NA
        hit = nation[nation["indicator"] == name]
        return int(hit["value"].iloc[0]) if len(hit) else pd.NA

    status = _text(reg, "status")
    precision = _text(reg, "location_precision")
    kinds = _text(reg, "kind")
    ours = _text(reg, "operator").isin(COUNTED_OPERATORS)
    rows = []
    for kind in _KIND_LABELS:
        mask = kinds == kind
        if kind not in _KIND_COUNTS and not mask.any():
            continue
        rows.append(
            _coverage_row(
                kind,
                *_KIND_LABELS[kind],
                reported(_KIND_COUNTS.get(kind)),
                mask,
                status,
                precision,
                ours,
            )
        )
    counted = kinds.isin(COUNTED_KINDS) & ours
    rows.append(
        _coverage_row(
            "all_counted",
            "جمع شهرک، ناحیه و منطقه ویژه",
            "estates, zones and SEZs (the report's total)",
            reported("total_operational_count"),
            counted,
            status,
            precision,
            ours,
        )
    )
    out = pd.DataFrame(rows)
    for col in _COUNT_COLUMNS:
        out[col] = out[col].astype("Int64")
    out["share_of_reported_pct"] = (
        (100 * out["in_registry_operational"] / out["reported"]).astype("Float64").round(1)
    )
    out["note"] = out["kind"].map(_KIND_NOTES).fillna("")
    return out

def _text(reg: pd.DataFrame, col: str) -> pd.Series:
    import pandas as pd

    return reg.get(col, pd.Series("", index=reg.index)).fillna("").astype(str)


def _coverage_row(kind, label_fa, label_en, reported, mask, status, precision, ours) -> dict:
    return {
        "kind": kind,
        "label_fa": label_fa,
        "label_en": label_en,
        "reported": reported,
        "in_registry": int(mask.sum()),
        "in_registry_isipo": int((mask & ours).sum()),
        "in_registry_operational": int((mask & ours & (status == "operational")).sum()),
        "located_town": int((mask & (precision == "town")).sum()),
        "located_county": int((mask & (precision == "county")).sum()),
        "located_province": int((mask & (precision == "province")).sum()),
        "located_estate": int((mask & (precision == "estate")).sum()),
    }


_COUNT_WHAT = {
    "estates_and_zones_count": ("شهرک و ناحیه", "estates and zones"),
    "estates_count": ("شهرک", "estates"),
    "zones_count": ("ناحیه", "zones"),
}


@cache
def _province_counts() -> pd.DataFrame:
    import pandas as pd

    df = pd.read_csv(
        _paths.data_file("estates", "province_counts.csv"),
        dtype=str,
        keep_default_na=False,
        encoding="utf-8",
    )
    df["value"] = df["value"].astype(int)
    df["year"] = pd.to_numeric(df["year"].where(df["year"] != "")).astype("Int64")
    return df


def province_counts() -> pd.DataFrame:
    """Per-province counts of estates and zones that public sources state, with their year.

    ``data/estates/province_counts.csv`` (built from ``province_facts_public.csv``): one row per
    stated figure — ``province``, ``indicator`` (``estates_and_zones_count``,
    ``estates_count``, ``zones_count``), ``value``, ``status`` (what the figure counts:
    operational, approved, unknown), ``year`` (Jalali, NA when the source is undated),
    ``year_as_stated``, ``source_url``. Years and definitions differ: never add provinces up.
    """
    return _province_counts().copy()


def best_province_count(province: str) -> dict | None:
    """The figure :func:`coverage` compares a province with: a count of estates **and** zones
    if a source gives one (the most recent dated one, operational before approved), else a count
    of estates, else of zones; None when no source gives any. Keys: value, indicator, what_fa,
    what_en, status, year (None when undated), source_url."""
    import pandas as pd

    df = _province_counts()
    mine = df[df["province"] == province]
    for indicator in ("estates_and_zones_count", "estates_count", "zones_count"):
        rows = mine[mine["indicator"] == indicator]
        if len(rows):
            rank = rows.assign(
                _y=rows["year"].fillna(0).astype(int),
                _s=(rows["status"] == "operational").astype(int),
            ).sort_values(
                ["_y", "_s", "value", "source_url"], ascending=[False, False, False, True]
            )
            best = rank.iloc[0]
            what_fa, what_en = _COUNT_WHAT[indicator]
            return {
                "value": int(best["value"]),
                "indicator": indicator,
                "what_fa": what_fa,
                "what_en": what_en,
                "status": best["status"],
                "year": None if pd.isna(best["year"]) else int(best["year"]),
                "source_url": best["source_url"],
            }
    return None


def _coverage_by_province(reg: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    from isipo_geo.provinces import province_records

    df = _read_indicators()
    prov = df[(df["scope"] != "nation") & (df["year"] == REPORT_YEAR)]
    react = prov[(prov["indicator"] == "reactivation_total_actual")]
    react = dict(zip(react["province"], react["value"], strict=True))
    developed: dict[str, int] = {}
    for r in prov[prov["indicator"] == "developed_estate_area_ha"].itertuples():
        developed[r.province] = developed.get(r.province, 0) + len(str(r.estate_id).split(";"))
    kinds = _text(reg, "kind")
    provinces = _text(reg, "province")
    ours = _text(reg, "operator").isin(COUNTED_OPERATORS)
    operational = _text(reg, "status") == "operational"
    counted = kinds.isin(COUNTED_KINDS) & ours
    rows = []
    for p in province_records():
        key = p["key"]
        mask = provinces == key
        row = {
            "province": key,
            "name_fa": p["name_fa"],
            "name_en": p["name_en"],
            "in_registry": int(mask.sum()),
            "counted": int((mask & counted).sum()),
            "counted_operational": int((mask & counted & operational).sum()),
        }
        for kind in _KIND_COUNTS:
            row[kind] = int((mask & (kinds == kind)).sum())
        row["other_bodies"] = int((mask & ~ours).sum())
        best = best_province_count(key)
        row["sourced_count"] = best["value"] if best else pd.NA
        row["sourced_count_of"] = best["what_en"] if best else ""
        row["sourced_count_status"] = best["status"] if best else ""
        row["sourced_count_year"] = best["year"] if best and best["year"] else pd.NA
        row["sourced_count_source"] = best["source_url"] if best else ""
        row["reported_estates"] = pd.NA
        row["report_developed_estates_1400"] = developed.get(key, 0)
        row["report_reactivated_units_1400"] = react.get(key, pd.NA)
        rows.append(row)
    out = pd.DataFrame(rows)
    for col in (
        "sourced_count",
        "sourced_count_year",
        "reported_estates",
        "report_reactivated_units_1400",
    ):
        out[col] = out[col].astype("Int64")
    comparable = out["sourced_count_of"] == "estates and zones"
    share = (100 * out["counted"] / out["sourced_count"]).astype("Float64").round(0)
    out["named_share_pct"] = share.where(comparable)
    return out


def registry_summary(registry: object = None) -> str:
    """One sentence (English) on how much of the 844 a registry holds."""
    cov = coverage(registry).set_index("kind")
    total = cov.loc["all_counted"]
    kinds = cov.drop(index="all_counted")
    tech = int(kinds["in_registry"].get("technology_estate", 0))
    others = int(kinds["in_registry"].sum()) - int(total["in_registry"]) - tech
    text = (
        f"The registry holds {int(total['in_registry'])} of ISIPO's estates, zones and SEZs "
        f"({int(total['in_registry_operational'])} stated operational); the 1400 report counts "
        f"{int(total['reported'])} in operation"
    )
    if others:
        text += (
            f"; {others} more rows are not (or not known to be) ISIPO's (private, guild and "
            "free-zone estates, industrial cities, other bodies' SEZs) and are never counted"
        )
    return text + ". The full list belongs to ISIPO — import it with `isipo-geo import`."
