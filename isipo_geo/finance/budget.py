"""Budget prioritisation: fund costed gaps in the order of a declared rule (pure computation)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from isipo_geo.errors import InputError
from isipo_geo.finance.money import normalize_decimal

RULES = ("cheapest", "largest", "priority")


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
    if rule == "priority":
        _check_priority(priority, gaps)
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


def _check_priority(priority: Sequence[tuple[str, str | None]], gaps: list[dict]) -> None:
    """Every priority entry must name a gap; an entry that matches nothing is an error, never
    dropped silently (row numbers count the priority file's header as row 1)."""
    for n, (prov, util) in enumerate(priority, start=2):
        if any(g["province"] == prov and util in (None, g["utility"]) for g in gaps):
            continue
        have = sorted({g["utility"] for g in gaps if g["province"] == prov})
        raise InputError(
            f"priority list row {n}: {prov} / {util} matches no gap to fund; "
            + (f"{prov} has gaps in: {', '.join(have)}" if have else f"{prov} has no gap")
        )


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
