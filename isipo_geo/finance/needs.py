"""Financing needs: deficits × unit costs, per estate, province and nation.

Every amount is a :class:`decimal.Decimal`; province rows add up exactly to the nation row. The
deficits and their ``basis`` come from :mod:`isipo_geo.finance.deficits`.

The only I/O here is :func:`funding_rows` / :func:`funding_table`, a convenience that loads the
shipped data and calls the pure functions; everything else takes its inputs as arguments.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from isipo_geo.errors import InputError
from isipo_geo.finance.costs import DEFICIT_UNITS, UnitCost
from isipo_geo.finance.deficits import (
    REGISTRY_DEFICITS,
    SCENARIOS,
    Deficit,
    combine_deficits,
    national_deficits,
    province_weights,
    registry_deficits,
)
from isipo_geo.finance.money import CURRENCY_LABELS, check_unit, convert, normalize_decimal

if TYPE_CHECKING:
    import pandas as pd

_CTX = decimal.Context(prec=60)

OUTPUT_COLUMNS = [
    "scope",
    "province",
    "province_fa",
    "estate_id",
    "utility",
    "scenario",
    "deficit",
    "deficit_unit",
    "unit_cost",
    "unit_cost_unit",
    "need",
    "currency",
    "scale",
    "basis",
    "cost_case",
    "source",
    "note",
]


# --- costing ------------------------------------------------------------------------------------


def escalation_factor(pct_per_year: Decimal, years: int) -> Decimal:
    """(1 + pct/100) ** years, exact; both within the ranges of :mod:`isipo_geo.numbers`."""
    from isipo_geo.numbers import check_range

    if years < 0:
        raise InputError("escalation years must not be negative")
    check_range(Decimal(pct_per_year), what="escalation", quantity="escalation_pct")
    check_range(Decimal(years), what="escalation years", quantity="escalation_years")
    return _CTX.power(1 + pct_per_year / 100, years)


def cost_deficits(
    deficits: Iterable[Deficit],
    costs: Mapping[str, UnitCost],
    *,
    scenario: str,
    currency: str = "toman",
    scale: str = "billion",
    case: str = "central",
    escalation_pct: Decimal = Decimal(0),
    escalation_years: int = 0,
    province_names: Mapping[str, str] | None = None,
) -> list[dict]:
    """Cost every deficit row: need = deficit × unit cost (× escalation), in (currency, scale).

    A utility with no unit cost (or no cost for the chosen case) gets an empty ``unit_cost``
    and ``need`` and the note ``no cost basis`` — never zero.
    """
    check_unit(currency, scale)
    factor = escalation_factor(escalation_pct, escalation_years)
    cur_fa, cur_en = CURRENCY_LABELS[(currency, scale)]
    out = []
    for d in deficits:
        cost = costs.get(d.utility)
        unit_cost: Decimal | None = None
        notes = [d.note] if d.note else []
        source = d.source
        if cost is None or cost.value(case) is None:
            notes.append(
                "no cost basis" if cost is None else f"no cost basis: no {case} unit cost given"
            )
        else:
            if cost.deficit_unit != d.deficit_unit:
                raise InputError(
                    f"unit costs for {d.utility} are per {cost.deficit_unit} but its deficits "
                    f"are in {d.deficit_unit}; state the cost per {d.deficit_unit}"
                )
            raw = cost.value(case)
            assert raw is not None
            unit_cost = convert(
                _CTX.multiply(raw, factor), frm=(cost.currency, cost.scale), to=(currency, scale)
            )
            source = f"{source}; unit cost {cost.source}"
            if escalation_years:
                notes.append(
                    f"unit cost escalated {escalation_pct}% a year for {escalation_years} years"
                )
        need = (
            normalize_decimal(_CTX.multiply(d.deficit, unit_cost))
            if unit_cost is not None
            else None
        )
        out.append(
            {
                "scope": d.scope,
                "province": d.province,
                "province_fa": (province_names or {}).get(d.province, ""),
                "estate_id": d.estate_id,
                "utility": d.utility,
                "scenario": scenario,
                "deficit": d.deficit,
                "deficit_unit": d.deficit_unit,
                "unit_cost": unit_cost,
                "unit_cost_unit": f"{cur_en} per {DEFICIT_UNITS[d.deficit_unit]}",
                "need": need,
                "currency": currency,
                "scale": scale,
                "basis": d.basis,
                "cost_case": case,
                "source": source,
                "note": "; ".join(n for n in notes if n),
            }
        )
    del cur_fa
    return out


def add_totals(rows: list[dict]) -> list[dict]:
    """Append a ``total`` utility row per province and for the nation, summing needs across
    utilities with a cost basis (utilities without one are named in the note)."""
    out = list(rows)
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for r in rows:
        if r["scope"] != "estate":
            groups.setdefault((r["scope"], r["province"], r["scenario"]), []).append(r)
    for members in groups.values():
        costed = [r for r in members if r["need"] is not None]
        uncosted = [r["utility"] for r in members if r["need"] is None]
        bases = sorted({r["basis"] for r in costed})
        base = members[0]
        out.append(
            {
                **{k: base[k] for k in ("scope", "province", "province_fa", "scenario")},
                "estate_id": "",
                "utility": "total",
                "deficit": None,
                "deficit_unit": "",
                "unit_cost": None,
                "unit_cost_unit": "",
                "need": sum((r["need"] for r in costed), Decimal(0)) if costed else None,
                "currency": base["currency"],
                "scale": base["scale"],
                "basis": bases[0] if len(bases) == 1 else "mixed:" + "+".join(bases),
                "cost_case": base["cost_case"],
                "source": "sum of " + ", ".join(r["utility"] for r in costed),
                "note": ("no cost basis for " + ", ".join(uncosted)) if uncosted else "",
            }
        )
    return out


# --- the whole computation on the shipped data (a convenience that reads files) ----------------


def funding_rows(
    *,
    scenario: str = "essential",
    allocate_by: str = "equal",
    registry: pd.DataFrame | str | None = None,
    costs: Mapping[str, UnitCost] | str | None = None,
    currency: str = "toman",
    scale: str = "billion",
    case: str = "central",
    escalation_pct: Decimal = Decimal(0),
    escalation_years: int = 0,
    weights: Mapping[str, Decimal] | None = None,
    totals: bool = True,
) -> list[dict]:
    """Financing needs as a long, tidy list of rows (one per scope × province × utility).

    Loads the report indicators, the province table and the unit costs (the shipped ones unless
    given), combines the report's national deficits with a registry's per-estate deficits, and
    costs them. See :data:`OUTPUT_COLUMNS` for the columns.

    Parameters
    ----------
    scenario
        ``essential`` (2,300 L/s and 2,372 MW, reported), ``whole`` (derived from the costs the
        report puts on the whole deficit) or ``registry`` (only the registry's deficits).
    allocate_by
        How a national deficit is shared among provinces that have no figure of their own:
        ``equal``, ``area``, ``reactivation_plan`` or ``weights`` (with ``weights``).
    registry
        A registry DataFrame (isipo_geo.schema columns) or the path of a registry CSV; its
        per-estate deficits win over allocation. None uses the shipped registry.

    Examples
    --------
    >>> nation = {r["utility"]: r for r in funding_rows() if r["scope"] == "nation"}
    >>> [str(nation[u]["need"]) for u in ("water", "power", "total")]
    ['5750', '7116', '12866']
    """
    from isipo_geo.finance.costs import load_costs
    from isipo_geo.provinces import province_records
    from isipo_geo.registry.estates import registry_path, registry_records
    from isipo_geo.report import indicator_records

    if scenario not in SCENARIOS:
        raise InputError(f"unknown scenario {scenario!r}; use one of {', '.join(SCENARIOS)}")
    check_unit(currency, scale)
    if not isinstance(costs, Mapping):
        costs = load_costs(costs)
    missing = [u for u in ("water", "power") if u not in costs and scenario != "registry"]
    if missing:
        raise InputError(
            f"the costs file has no [{missing[0]}] table, but the {scenario} scenario has a "
            f"{missing[0]} deficit; add [{missing[0]}] with deficit_unit and unit_cost"
        )
    indicators = indicator_records()
    provinces = province_records()
    keys = [p["key"] for p in provinces]
    source = "registry"
    if registry is None or isinstance(registry, str | bytes) or hasattr(registry, "__fspath__"):
        path = registry_path() if registry is None else registry
        registry = registry_records(path)
        source = str(path)
    national = national_deficits(indicators, scenario)
    estates = registry_deficits(registry, source=source, province_keys=keys)
    if not national and not estates:
        raise InputError(
            f"the registry {source} gives no water or power deficits (columns "
            f"{', '.join(REGISTRY_DEFICITS)}), so the registry scenario has nothing to cost; "
            "use --scenario essential or whole, or import a registry with deficit columns"
        )
    w = province_weights(allocate_by, provinces=provinces, indicators=indicators, weights=weights)
    deficits = combine_deficits(national, estates, weights=w, allocate_by=allocate_by)
    rows = cost_deficits(
        deficits,
        costs,
        scenario=scenario,
        currency=currency,
        scale=scale,
        case=case,
        escalation_pct=escalation_pct,
        escalation_years=escalation_years,
        province_names={p["key"]: p["name_fa"] for p in provinces},
    )
    if totals:
        rows = add_totals(rows)
    scope_order = {"nation": 0, "province": 1, "estate": 2}
    utility_order = {u: i for i, u in enumerate(["water", "power", "gas", "telecom", "wastewater"])}
    province_order = {k: i for i, k in enumerate(keys)}
    rows.sort(
        key=lambda r: (
            scope_order[r["scope"]],
            province_order.get(r["province"], -1),
            r["estate_id"],
            utility_order.get(r["utility"], 99 if r["utility"] == "total" else 50),
            r["utility"],
        )
    )
    return rows


def funding_table(**options: object) -> pd.DataFrame:
    """:func:`funding_rows` as a DataFrame with the columns of :data:`OUTPUT_COLUMNS`.

    Examples
    --------
    >>> t = funding_table(scenario="whole")
    >>> t[t.scope == "nation"].set_index("utility").loc["total", "need"]
    Decimal('59467')
    """
    import pandas as pd

    return pd.DataFrame(funding_rows(**options), columns=OUTPUT_COLUMNS)


def compare_scenarios(tables: Mapping[str, Sequence[dict]]) -> list[dict]:
    """Nation and province needs of several scenarios side by side: one row per scope ×
    province × utility, one column per scenario (empty where a scenario has no row)."""
    merged: dict[tuple[str, str, str], dict] = {}
    for name, rows in tables.items():
        for r in rows:
            if r["scope"] == "estate":
                continue
            key = (r["scope"], r["province"], r["utility"])
            entry = merged.setdefault(
                key,
                {
                    "scope": r["scope"],
                    "province": r["province"],
                    "province_fa": r["province_fa"],
                    "utility": r["utility"],
                },
            )
            entry[name] = r["need"]
            entry[f"basis_{name}"] = r["basis"]
    return [{**dict.fromkeys(tables), **row} for row in merged.values()]


def province_wide(table: pd.DataFrame) -> pd.DataFrame:
    """Province rows pivoted to one row per province: ``need_<utility>_<scenario>`` and
    ``basis_<utility>_<scenario>`` columns plus currency and scale (for GeoPackage layers and
    maps)."""
    prov = table[table["scope"] == "province"]
    need = prov.pivot_table(
        index="province", columns=["scenario", "utility"], values="need", aggfunc="first"
    )
    need.columns = [f"need_{u}_{s}" for s, u in need.columns]
    basis = prov.pivot_table(
        index="province", columns=["scenario", "utility"], values="basis", aggfunc="first"
    )
    basis.columns = [f"basis_{u}_{s}" for s, u in basis.columns]
    wide = need.join(basis)
    wide["currency"] = prov["currency"].iloc[0]
    wide["scale"] = prov["scale"].iloc[0]
    return wide
