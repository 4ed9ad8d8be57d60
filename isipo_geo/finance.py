"""Financing needs: deficits × unit costs, per estate, province and nation (pure computation).

Every amount is a :class:`decimal.Decimal`; province rows add up exactly to the nation row.
Every row carries a ``basis``:

- ``reported`` — the deficit is stated by the 1400 report or by a user's registry row;
- ``derived`` — computed from reported figures (a cost divided by the unit cost, a sum of rows);
- ``allocated:<key>`` — a national figure shared among provinces by weights (an estimate).

The only I/O here is :func:`funding_table`, a convenience that loads the shipped data and calls
the pure functions; everything else takes its inputs as arguments.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from isipo_geo.costs import DEFICIT_UNITS, UnitCost
from isipo_geo.errors import InputError
from isipo_geo.money import CURRENCY_LABELS, check_unit, convert, normalize_decimal

if TYPE_CHECKING:
    import pandas as pd

SCENARIOS = ("essential", "whole", "registry")
ALLOCATION_KEYS = ("equal", "area", "reactivation_plan", "weights")
RULES = ("cheapest", "largest", "priority")

# registry column -> (utility, deficit unit)
REGISTRY_DEFICITS = {"water_deficit_lps": ("water", "lps"), "power_deficit_mw": ("power", "mw")}

# The report's national deficits. essential: stated in L/s and MW; whole: the report states only
# the cost of closing the whole deficit, so the deficit is that cost / the report's unit cost.
_ESSENTIAL = {"water": "water_deficit_essential_lps", "power": "power_deficit_essential_mw"}
_WHOLE_COST = {
    "water": "water_deficit_whole_cost_bn_toman",
    "power": "power_deficit_whole_cost_bn_toman",
}
_REPORT_UNIT_COST = {
    "water": "water_unit_cost_bn_toman_per_lps",
    "power": "power_unit_cost_bn_toman_per_mw",
}
_UNITS = {"water": "lps", "power": "mw"}

_QUANTUM = Decimal("0.01")  # allocated deficits are rounded to 0.01 L/s or 0.01 MW
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


@dataclass(frozen=True)
class Deficit:
    """One deficit figure before costing."""

    scope: str  # nation / province / estate
    province: str  # province key, "" for the nation
    estate_id: str
    utility: str
    deficit: Decimal
    deficit_unit: str
    basis: str
    source: str
    note: str = ""


# --- national deficits from the report ------------------------------------------------------


REPORT_YEAR = 1400


def _records(table: object) -> list[dict]:
    """Rows of a DataFrame or an iterable of dicts, as dicts."""
    if hasattr(table, "to_dict"):
        return table.to_dict(orient="records")  # type: ignore[union-attr]
    return [dict(r) for r in table]  # type: ignore[union-attr]


def _year(row: dict) -> int | None:
    year = row.get("year")
    return None if year in (None, "") else int(year)


def _indicator(indicators: Iterable[dict], name: str) -> tuple[Decimal, str]:
    rows = [
        r
        for r in indicators
        if r["indicator"] == name and r["scope"] == "nation" and _year(r) in (REPORT_YEAR, None)
    ]
    if len(rows) != 1:
        raise InputError(
            f"the report data has {len(rows)} national {REPORT_YEAR} rows for {name!r}; "
            "it needs exactly one"
        )
    return normalize_decimal(Decimal(str(rows[0]["value"]))), str(rows[0]["source"])


def national_deficits(indicators: Iterable[dict] | pd.DataFrame, scenario: str) -> list[Deficit]:
    """The report's national water and power deficits for a scenario.

    ``essential`` takes the mid-term essential deficits the report states (2,300 L/s, 2,372 MW);
    ``whole`` derives the whole deficit from the cost the report puts on it divided by the
    report's unit cost (34,465 / 2.5 = 13,786 L/s; 25,002 / 3 = 8,334 MW). ``registry`` has no
    national figure (deficits come only from a registry).
    """
    if scenario not in SCENARIOS:
        raise InputError(f"unknown scenario {scenario!r}; use one of {', '.join(SCENARIOS)}")
    indicators = _records(indicators)
    out = []
    if scenario == "essential":
        for utility, name in _ESSENTIAL.items():
            value, source = _indicator(indicators, name)
            out.append(
                Deficit("nation", "", "", utility, value, _UNITS[utility], "reported", source)
            )
    elif scenario == "whole":
        for utility, name in _WHOLE_COST.items():
            cost, cost_source = _indicator(indicators, name)
            unit_cost, unit_source = _indicator(indicators, _REPORT_UNIT_COST[utility])
            value = normalize_decimal(_CTX.divide(cost, unit_cost))
            out.append(
                Deficit(
                    "nation",
                    "",
                    "",
                    utility,
                    value,
                    _UNITS[utility],
                    "derived",
                    f"{cost_source} / {unit_source}",
                    f"whole deficit = reported cost {cost} / reported unit cost {unit_cost}",
                )
            )
    return out


# --- allocation ---------------------------------------------------------------------------------


def allocate_exact(
    total: Decimal, weights: Mapping[str, Decimal], *, quantum: Decimal = _QUANTUM
) -> dict[str, Decimal]:
    """Share ``total`` among keys in proportion to ``weights``, in steps of ``quantum``, so that
    the shares add up to ``total`` exactly (largest-remainder method; ties by key order).

    Examples
    --------
    >>> allocate_exact(Decimal("100"), {"a": Decimal(1), "b": Decimal(1), "c": Decimal(1)})
    {'a': Decimal('33.34'), 'b': Decimal('33.33'), 'c': Decimal('33.33')}
    """
    if any(w < 0 for w in weights.values()):
        raise InputError("allocation weights must not be negative")
    weight_sum = sum(weights.values(), Decimal(0))
    if weight_sum <= 0:
        raise InputError("allocation weights add up to zero; give at least one positive weight")
    exponent = total.as_tuple().exponent
    if isinstance(exponent, int) and Decimal(1).scaleb(exponent) < quantum:
        quantum = Decimal(1).scaleb(exponent)  # a total finer than the quantum keeps its digits
    units_total = _CTX.divide(total, quantum)
    if units_total != units_total.to_integral_value():
        raise InputError(f"cannot share {total} in steps of {quantum}")
    units_total = int(units_total)
    exact = {
        k: _CTX.divide(_CTX.multiply(Decimal(units_total), w), weight_sum)
        for k, w in weights.items()
    }
    floors = {k: int(v.to_integral_value(rounding=decimal.ROUND_FLOOR)) for k, v in exact.items()}
    left = units_total - sum(floors.values())
    order = sorted(exact, key=lambda k: (-(exact[k] - floors[k]), list(weights).index(k)))
    for k in order[:left]:
        floors[k] += 1
    return {k: normalize_decimal(Decimal(v) * quantum) for k, v in floors.items()}


def province_weights(
    key: str,
    *,
    provinces: Iterable[dict] | pd.DataFrame,
    indicators: Iterable[dict] | pd.DataFrame | None = None,
    weights: Mapping[str, Decimal] | None = None,
) -> dict[str, Decimal]:
    """Weights per province for an allocation key, in the provinces' order.

    ``equal`` gives each of the 31 provinces one share; ``area`` uses the province polygon
    areas (``area_km2``); ``reactivation_plan`` uses the report's per-province plan for
    re-activating stalled units in 1400 (``reactivation_total_plan``); ``weights`` uses the
    mapping passed in (a user's CSV, see :func:`isipo_geo.io.read_weights`).
    """
    provinces = _records(provinces)
    keys = [str(p["key"]) for p in provinces]
    if key == "equal":
        return dict.fromkeys(keys, Decimal(1))
    if key == "area":
        return {str(p["key"]): Decimal(str(p["area_km2"])) for p in provinces}
    if key == "reactivation_plan":
        if indicators is None:
            raise InputError("the reactivation_plan allocation needs the report indicators")
        found = {
            str(r["province"]): Decimal(str(r["value"]))
            for r in _records(indicators)
            if r["indicator"] == "reactivation_total_plan"
            and r["scope"] == "province"
            and _year(r) in (REPORT_YEAR, None)
            and r.get("kind", "plan") == "plan"
        }
        missing = [k for k in keys if k not in found]
        if missing:
            raise InputError(f"the report gives no re-activation plan for: {', '.join(missing)}")
        return {k: found[k] for k in keys}
    if key == "weights":
        if weights is None:
            raise InputError("--allocate-by weights needs --weights FILE")
        return {k: weights.get(k, Decimal(0)) for k in keys}
    raise InputError(f"unknown allocation key {key!r}; use one of {', '.join(ALLOCATION_KEYS)}")


# --- combining national figures with a registry -----------------------------------------------


def registry_deficits(
    registry: Iterable[dict] | pd.DataFrame,
    *,
    source: str = "registry",
    province_keys: Iterable[str] | None = None,
) -> list[Deficit]:
    """Per-estate deficits from a registry (rows with the columns of :mod:`isipo_geo.schema`).

    Only the columns funding uses are checked here (``id``, ``province``, the deficit columns);
    an empty cell is unknown and gives no row, never a zero. Row numbers in messages count the
    header as row 1, as a spreadsheet shows them.
    """
    from isipo_geo.money import parse_decimal

    known = set(province_keys) if province_keys is not None else None
    out = []
    for n, row in enumerate(_records(registry), start=2):
        cells = {c: _cell(row.get(c)) for c in ("id", "province", *REGISTRY_DEFICITS)}
        if not any(cells[c] for c in REGISTRY_DEFICITS):
            continue
        if not cells["id"]:
            raise InputError("empty id", path=source, row=n, column="id")
        if known is not None and cells["province"] not in known:
            raise InputError(
                f"unknown province key {cells['province']!r}; a registry stores province keys "
                "(run `isipo-geo provinces`), as `isipo-geo import` writes them",
                path=source,
                row=n,
                column="province",
            )
        for column, (utility, unit) in REGISTRY_DEFICITS.items():
            if not cells[column]:
                continue
            try:
                value = parse_decimal(cells[column], what="deficit")
            except InputError as exc:
                raise InputError(exc.reason, path=source, row=n, column=column) from None
            if value < 0:
                raise InputError(
                    f"negative deficit {cells[column]}", path=source, row=n, column=column
                )
            out.append(
                Deficit(
                    "estate",
                    cells["province"],
                    cells["id"],
                    utility,
                    normalize_decimal(value),
                    unit,
                    "reported",
                    f"{source}: row {n}, id {cells['id']}",
                )
            )
    return out


def _cell(value: object) -> str:
    """A registry cell as stripped text; missing (None, NaN, NA) as ''."""
    if value is None:
        return ""
    try:
        if value != value:  # NaN
            return ""
    except (TypeError, ValueError):  # pandas NA
        return ""
    return str(value).strip()


def combine_deficits(
    national: Sequence[Deficit],
    estates: Sequence[Deficit],
    *,
    weights: Mapping[str, Decimal],
    allocate_by: str,
    province_deficits: Sequence[Deficit] = (),
) -> list[Deficit]:
    """Estate, province and nation rows for every utility.

    Deficits known per estate or per province always win: a province with registry rows gets
    their sum (``derived``) or its given figure; the rest of the national figure is shared among
    the other provinces by ``weights`` (``allocated:<key>``). The nation row is the sum of the
    province rows, so they always add up exactly.
    """
    rows: list[Deficit] = []
    utilities = list(dict.fromkeys([d.utility for d in national] + [d.utility for d in estates]))
    utilities += [d.utility for d in province_deficits if d.utility not in utilities]
    by_utility_nation = {d.utility: d for d in national}
    for utility in utilities:
        est = [d for d in estates if d.utility == utility]
        given = {d.province: d for d in province_deficits if d.utility == utility}
        unit = (by_utility_nation.get(utility) or (est or list(given.values()))[0]).deficit_unit
        rows.extend(est)
        provinces: dict[str, Deficit] = dict(given)
        for key in sorted({d.province for d in est} - set(given)):
            total = normalize_decimal(
                sum((d.deficit for d in est if d.province == key), Decimal(0))
            )
            n = sum(1 for d in est if d.province == key)
            provinces[key] = Deficit(
                "province", key, "", utility, total, unit, "derived", f"sum of {n} estate rows"
            )
        nation = by_utility_nation.get(utility)
        note = ""
        if nation is not None:
            known = sum((d.deficit for d in provinces.values()), Decimal(0))
            remainder = nation.deficit - known
            others = {k: w for k, w in weights.items() if k not in provinces}
            if remainder < 0:
                note = (
                    f"province/estate deficits ({known}) exceed the national figure "
                    f"({nation.deficit}); the nation row is their sum"
                )
            elif remainder > 0 and others:
                shares = allocate_exact(remainder, others)
                label = (
                    "share of the national figure"
                    if not provinces
                    else (f"share of the national figure less {known} known from the registry")
                )
                for key, value in shares.items():
                    provinces[key] = Deficit(
                        "province",
                        key,
                        "",
                        utility,
                        value,
                        unit,
                        f"allocated:{allocate_by}",
                        nation.source,
                        f"estimate: {label}, by {allocate_by}",
                    )
            elif remainder > 0:
                note = f"{remainder} of the national figure is not placed in any province"
        ordered = [provinces[k] for k in sorted(provinces, key=_order(weights))]
        rows.extend(ordered)
        total = normalize_decimal(sum((d.deficit for d in ordered), Decimal(0)))
        if nation is not None and not est and not given and total == nation.deficit:
            rows.append(
                Deficit(
                    "nation", "", "", utility, total, unit, nation.basis, nation.source, nation.note
                )
            )
        else:
            rows.append(
                Deficit(
                    "nation", "", "", utility, total, unit, "derived", "sum of province rows", note
                )
            )
    return rows


def _order(weights: Mapping[str, Decimal]):
    position = {k: i for i, k in enumerate(weights)}
    return lambda k: (position.get(k, len(position)), k)


# --- costing ------------------------------------------------------------------------------------


def escalation_factor(pct_per_year: Decimal, years: int) -> Decimal:
    """(1 + pct/100) ** years, exact."""
    if years < 0:
        raise InputError("escalation years must not be negative")
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


# --- budget prioritisation ----------------------------------------------------------------------


def prioritise(
    rows: Sequence[dict],
    *,
    budget: Decimal,
    years: Sequence[int] = (),
    rule: str = "cheapest",
    priority: Sequence[tuple[str, str | None]] = (),
) -> list[dict]:
    """Fund gaps in the order of a declared rule until the budget runs out.

    Parameters
    ----------
    rows
        Costed rows (:func:`cost_deficits`). The gaps are the finest rows: estate rows where a
        province has them, else province rows; ``total`` rows and nation rows are ignored.
    budget
        The budget in the rows' currency and scale; per year when ``years`` is given (money
        left at the end of a year is carried into the next).
    rule
        ``cheapest`` — lowest unit cost per unit of deficit first; ``largest`` — largest need
        first; ``priority`` — the gaps named in ``priority`` first, in that order, then the rest
        cheapest first.
    priority
        ``(province, utility or None)`` pairs for the ``priority`` rule.

    Returns
    -------
    list of dict
        One row per gap with ``rank``, ``need``, ``funded``, ``gap_left``, ``status``
        (funded / partly funded / unfunded), ``funded_in`` (fiscal years) and ``reason``.
    """
    if rule not in RULES:
        raise InputError(f"unknown rule {rule!r}; use one of {', '.join(RULES)}")
    if budget < 0:
        raise InputError("the budget must not be negative")
    if rule == "priority" and not priority:
        raise InputError("the priority rule needs a priority list (--priority FILE)")
    estate_provinces = {(r["province"], r["utility"]) for r in rows if r["scope"] == "estate"}
    gaps = [
        r
        for r in rows
        if r["utility"] != "total"
        and (
            r["scope"] == "estate"
            or (r["scope"] == "province" and (r["province"], r["utility"]) not in estate_provinces)
        )
    ]
    costed = [g for g in gaps if g["need"] is not None]
    uncosted = [g for g in gaps if g["need"] is None]

    def cheapest(g: dict) -> tuple:
        return (g["unit_cost"], -g["need"], g["utility"], g["province"], g["estate_id"])

    if rule == "cheapest":
        ordered = sorted(costed, key=cheapest)
        why = "cheapest per unit of deficit first"
    elif rule == "largest":
        ordered = sorted(
            costed, key=lambda g: (-g["need"], g["utility"], g["province"], g["estate_id"])
        )
        why = "largest need first"
    else:
        rank_of = {}
        for i, (prov, util) in enumerate(priority):
            rank_of.setdefault((prov, util), i)

        def prio(g: dict) -> tuple:
            rank = rank_of.get((g["province"], g["utility"]), rank_of.get((g["province"], None)))
            return (rank is None, rank if rank is not None else 0, *cheapest(g))

        ordered = sorted(costed, key=prio)
        listed = {(p, u) for p, u in priority}
        why = "priority list"
    periods = [str(y) for y in years] or [""]
    remaining = {id(g): g["need"] for g in ordered}
    funded_in: dict[int, list[str]] = {id(g): [] for g in ordered}
    carry = Decimal(0)
    for period in periods:
        money = carry + budget
        for g in ordered:
            if money <= 0:
                break
            take = min(money, remaining[id(g)])
            if take > 0:
                remaining[id(g)] -= take
                money -= take
                funded_in[id(g)].append(period)
        carry = money
    out = []
    for rank, g in enumerate(ordered, start=1):
        left = normalize_decimal(remaining[id(g)])
        funded = normalize_decimal(g["need"] - left)
        status = "funded" if left == 0 else ("partly funded" if funded > 0 else "unfunded")
        reason = f"rank {rank} by {why}"
        if rule == "priority":
            in_list = (g["province"], g["utility"]) in listed or (g["province"], None) in listed
            reason += "" if in_list else " (not on the list: after the listed gaps, cheapest first)"
        if status != "funded":
            reason += "; budget exhausted" + (f" by {periods[-1]}" if periods[-1] else "")
        out.append(_gap_row(g, rank, funded, left, status, funded_in[id(g)], reason))
    for g in uncosted:
        out.append(_gap_row(g, None, None, None, "unfunded", [], "no cost basis for this utility"))
    return out


def _gap_row(g, rank, funded, left, status, years, reason) -> dict:
    span = [y for y in years if y]
    return {
        "rank": rank,
        "scope": g["scope"],
        "province": g["province"],
        "province_fa": g["province_fa"],
        "estate_id": g["estate_id"],
        "utility": g["utility"],
        "scenario": g["scenario"],
        "deficit": g["deficit"],
        "deficit_unit": g["deficit_unit"],
        "need": g["need"],
        "funded": funded,
        "gap_left": left,
        "currency": g["currency"],
        "scale": g["scale"],
        "status": status,
        "funded_in": (span[0] if len(span) == 1 else f"{span[0]}-{span[-1]}") if span else "",
        "basis": g["basis"],
        "reason": reason,
    }


def parse_years(text: str) -> list[int]:
    """``"1403-1407"`` → [1403, ..., 1407]; ``"1403"`` → [1403] (Jalali fiscal years)."""
    from isipo_geo.names import normalize_fa

    t = normalize_fa(text).replace("–", "-")
    parts = t.split("-")
    try:
        nums = [int(p) for p in parts]
    except ValueError:
        raise InputError(f"years {text!r}: write a Jalali range such as 1403-1407") from None
    if len(nums) == 1:
        nums = nums * 2
    if len(nums) != 2 or not (1300 <= nums[0] <= nums[1] <= 1500):
        raise InputError(f"years {text!r}: write a Jalali range such as 1403-1407")
    return list(range(nums[0], nums[1] + 1))


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
    from isipo_geo.costs import load_costs
    from isipo_geo.estates import registry_path, registry_records
    from isipo_geo.provinces import province_records
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
