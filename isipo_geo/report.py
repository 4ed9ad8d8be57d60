"""The 1400 report's figures as data (``data/report/indicators.csv``), and how much of what it
counts the estate registry actually holds.

One row per figure, with the line of the report text it came from (``source``: ``seed:L<n>``, the
number is on line n). Where the report contradicts itself both statements are kept and
``conflict`` says why. Built by ``scripts/build_report_data.py``; see ``data/report/SOURCE.md``.

The report counts 844 estates, zones and special economic zones in operation but names only a
few dozen; :func:`coverage` says how many of them a registry holds and never implies more.
"""

from __future__ import annotations

import os
from functools import cache
from typing import TYPE_CHECKING

from isipo_geo import _paths
from isipo_geo.errors import InputError

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
}
# the kinds the report's 844 counts (505 + 335 + 4)
COUNTED_KINDS = ("industrial_estate", "industrial_zone", "special_economic_zone")


@cache
def _indicator_records() -> tuple[dict[str, str], ...]:
    import csv

    path = _paths.data_file("report", "indicators.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in INDICATOR_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"missing column(s) {', '.join(missing)}", path=path)
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
        raise InputError(f"missing column(s) {', '.join(missing)}", path=path)
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
        raise InputError(f"the report data has no indicator {name!r}")
    options = sorted({f"{r.scope}/{r.kind}/{r.year}" for r in there.itertuples()})
    what = "no" if rows.empty else f"{len(rows)}"
    raise InputError(
        f"{what} figure(s) for {name!r} with scope={scope}, province={province or '-'}, "
        f"year={year}, kind={kind or 'any'}; it exists as (scope/kind/year): {', '.join(options)}"
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
            raise InputError(f"the registry has no column(s) {', '.join(missing)}")
        return pd.DataFrame(registry)
    raise InputError(
        f"registry must be a path, a DataFrame or None, not {type(registry).__name__}"
    )


def coverage(registry: object = None, *, by: str = "kind") -> pd.DataFrame:
    """How many of the estates the report counts a registry holds.

    Parameters
    ----------
    registry
        A registry CSV path, a (Geo)DataFrame with ``kind``, ``province`` (and ``status``,
        ``location_precision``) columns, or None for the registry shipped with isipo-geo (the
        few dozen estates the report names).
    by
        ``"kind"``: one row per kind plus a total of the kinds the report's 844 counts.
        ``"province"``: one row per province with the registry's rows and the province figures
        the report gives (re-activated units, estates developed in 1400); the report gives no
        count of estates per province.

    Returns
    -------
    pandas.DataFrame
        By kind: ``kind``, ``label_fa``, ``label_en``, ``reported`` (the report's count in
        operation; NA when it gives none), ``in_registry``, ``in_registry_operational``
        (status ``operational``), ``located_town``, ``located_province``, ``located_estate``,
        ``share_of_reported_pct`` (operational rows / reported, at most 100 only when the
        registry is complete), ``note``.

    Examples
    --------
    >>> cov = coverage()
    >>> int(cov.set_index("kind").loc["all_counted", "reported"])
    844
    """
    import pandas as pd

    reg = _registry_frame(registry)
    if by == "province":
        return _coverage_by_province(reg)
    if by != "kind":
        raise InputError(f"by must be 'kind' or 'province', not {by!r}")
    df = _read_indicators()
    nation = df[(df["scope"] == "nation") & (df["year"] == REPORT_YEAR)]

    def reported(name: str | None) -> object:
        if name is None:
            return pd.NA
        hit = nation[nation["indicator"] == name]
        return int(hit["value"].iloc[0]) if len(hit) else pd.NA

    status = reg.get("status", pd.Series("", index=reg.index)).fillna("").astype(str)
    precision = reg.get("location_precision", pd.Series("", index=reg.index))
    precision = precision.fillna("").astype(str)
    kinds = reg["kind"].fillna("").astype(str)
    rows = []
    for kind, name in _KIND_COUNTS.items():
        mask = kinds == kind
        rows.append(
            _coverage_row(kind, *_KIND_LABELS[kind], reported(name), mask, status, precision)
        )
    counted = kinds.isin(COUNTED_KINDS)
    rows.append(
        _coverage_row(
            "all_counted",
            "جمع شهرک، ناحیه و منطقه ویژه",
            "estates, zones and SEZs (the report's total)",
            reported("total_operational_count"),
            counted,
            status,
            precision,
        )
    )
    out = pd.DataFrame(rows)
    for col in (
        "reported",
        "in_registry",
        "in_registry_operational",
        "located_town",
        "located_province",
        "located_estate",
    ):
        out[col] = out[col].astype("Int64")
    out["share_of_reported_pct"] = (
        (100 * out["in_registry_operational"] / out["reported"]).astype("Float64").round(1)
    )
    notes = {
        "special_economic_zone": "the report counts 4 SEZs in operation but lists 5 as in "
        "operation (and 9 assigned); see the conflicts",
        "technology_estate": "not part of the 844",
        "industrial_zone": "the report names no industrial zone",
        "all_counted": "rows not marked operational may or may not be among the 844",
    }
    out["note"] = out["kind"].map(notes).fillna("")
    return out


def _coverage_row(kind, label_fa, label_en, reported, mask, status, precision) -> dict:
    return {
        "kind": kind,
        "label_fa": label_fa,
        "label_en": label_en,
        "reported": reported,
        "in_registry": int(mask.sum()),
        "in_registry_operational": int((mask & (status == "operational")).sum()),
        "located_town": int((mask & (precision == "town")).sum()),
        "located_province": int((mask & (precision == "province")).sum()),
        "located_estate": int((mask & (precision == "estate")).sum()),
    }


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
    kinds = reg["kind"].fillna("").astype(str)
    provinces = reg["province"].fillna("").astype(str)
    rows = []
    for p in province_records():
        key = p["key"]
        mask = provinces == key
        row = {
            "province": key,
            "name_fa": p["name_fa"],
            "name_en": p["name_en"],
            "in_registry": int(mask.sum()),
        }
        for kind in _KIND_COUNTS:
            row[kind] = int((mask & (kinds == kind)).sum())
        row["reported_estates"] = pd.NA
        row["report_developed_estates_1400"] = developed.get(key, 0)
        row["report_reactivated_units_1400"] = react.get(key, pd.NA)
        rows.append(row)
    out = pd.DataFrame(rows)
    out["reported_estates"] = out["reported_estates"].astype("Int64")
    out["report_reactivated_units_1400"] = out["report_reactivated_units_1400"].astype("Int64")
    return out


def registry_summary(registry: object = None) -> str:
    """One sentence (English) on how much of the 844 a registry holds."""
    cov = coverage(registry).set_index("kind")
    total = cov.loc["all_counted"]
    return (
        f"The registry holds {int(total['in_registry'])} estates, zones and SEZs "
        f"({int(total['in_registry_operational'])} marked operational) of the "
        f"{int(total['reported'])} the 1400 report counts in operation; the full list belongs "
        "to ISIPO — import it with `isipo-geo import`."
    )
