"""Budget prioritisation: fund costed gaps in the order of a declared rule (pure computation).

The rules, and how ties are broken (never by a province's English key):

- ``cheapest`` — lowest unit cost per unit of deficit first; on equal unit cost, the
  registry's measured gaps before figures from the report, and those before allocated estimates;
  then the smaller need as shown first (the same money closes more gaps; needs that read
  alike, e.g. equal shares that differ by an allocation's remainder, tie); then the table's order
  (provinces in the official order, estates by id);
- ``largest`` — largest need first; ties by basis as above, then the table's order;
- ``priority`` — the gaps on the user's list first, in its order, then the rest as ``cheapest``;
- ``proportional`` — each year's money is shared among the open gaps in proportion to what each
  still needs, so every gap closes the same fraction of itself;
- ``score`` — the highest score per toman first (scores on the user's criteria:
  :mod:`isipo_geo.finance.criteria`); ties by basis, then the smaller need, then the table's
  order; gaps without a score (a criterion value unknown) after the scored ones, in the table's
  order. With ``optimise`` whole gaps are chosen each year to maximise the year's score
  (:mod:`isipo_geo.finance.portfolio`) and the greedy plan's scores are given beside.

``cheapest`` compares unit costs across utilities in their own units (bn toman per L/s of water
against bn toman per MW of power): it says so in its text, and ``score`` with a criterion such
as ``need`` or ``jobs`` compares like with like.

:func:`budget_plan` returns the gap rows with the totals a planner reads: per year (money
available, spent, carried) and per province (need, funded, gap left), and the money unspent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from isipo_geo.display import money_unit as _money_unit
from isipo_geo.display import round_shown
from isipo_geo.errors import InputError
from isipo_geo.finance.criteria import SCORE_DIGITS, gap_key
from isipo_geo.finance.money import normalize_decimal, present_value
from isipo_geo.labels import PLAN_STATUS_LABELS, basis_parts
from isipo_geo.messages import message

if TYPE_CHECKING:
    from isipo_geo.finance.criteria import Scoring

RULES = ("cheapest", "largest", "priority", "proportional", "score")

RULE_TEXT = {
    "cheapest": (
        "cheapest per unit of deficit first — per L/s for water, per MW for power: units that "
        "do not compare, so every gap of the utility with the lower number comes first; on "
        "equal unit cost, the registry's measured gaps before the report's figures before "
        "allocated estimates, then the smaller need as shown (by the money's rule, e.g. 0.1 bn "
        "toman), then the table's order (provinces in the official order, estates by id)"
    ),
    "largest": (
        "largest need (as shown) first; on equal need, the registry's measured gaps before the "
        "report's figures before allocated estimates, then the table's order"
    ),
    "priority": "the gaps on the priority list first, in its order; then the rest cheapest first",
    "proportional": (
        "each year's money shared among the open gaps in proportion to what each still needs "
        "(every gap closes the same fraction)"
    ),
    "score": (
        "the highest score per toman first (score on the criteria below); gaps without a score "
        "(a criterion value unknown) after the scored ones, in the table's order"
    ),
}
RULE_TEXT_FA = {
    "cheapest": (
        "ارزان‌ترین به ازای هر واحد کمبود (لیتر بر ثانیه آب در برابر مگاوات برق: واحدهای "
        "ناهمسنج)؛ در برابری، کمبودهای سنجیده فهرست پیش از برآوردها"
    ),
    "largest": "بزرگ‌ترین نیاز؛ در برابری، کمبودهای سنجیده فهرست پیش از برآوردها",
    "priority": "به ترتیب فهرست اولویت، سپس ارزان‌ترین",
    "proportional": "تقسیم اعتبار هر سال به نسبت نیاز باقی‌مانده هر کمبود",
    "score": "بیشترین امتیاز به ازای هر تومان؛ کمبودهای بی‌امتیاز پس از آن‌ها",
}

RULE_NAME_FA = {
    "cheapest": "ارزان‌ترین",
    "largest": "بزرگ‌ترین نیاز",
    "priority": "فهرست اولویت",
    "proportional": "تقسیم به نسبت نیاز",
    "score": "امتیاز به ازای هر تومان",
}

PLAN_COLUMNS = [
    "rank", "scope", "province", "province_fa", "estate_id", "estate_name_fa", "utility",
    "scenario", "deficit", "deficit_unit", "need", "funded", "gap_left", "currency", "scale",
    "status", "status_fa", "funded_in", "basis", "year", "reason", "score", "score_explained",
]
YEAR_COLUMNS = ["fiscal_year", "budget", "carried_in", "available", "spent", "carried_out",
                "present_value", "score", "score_greedy", "currency", "scale"]
PROVINCE_COLUMNS = ["province", "province_fa", "gaps", "gaps_funded", "need", "funded",
                    "gap_left", "currency", "scale"]


@dataclass(frozen=True)
class BudgetPlan:
    """A budget plan (see :func:`budget_plan`).

    Amounts (``need``, ``funded``, ``gap_left``, ``budget``, ``unspent`` ...) are Decimals in
    the funding rows' currency and scale (bn toman unless chosen otherwise), named in each
    row's ``currency`` and ``scale``.

    Parameters
    ----------
    gaps : list of dict
        One row per gap (:data:`PLAN_COLUMNS`), in funding order, then the rows with nothing to
        fund (status ``no gap``: supplied ≥ demand), then the gaps without a cost.
    years : list of dict
        One row per fiscal year (:data:`YEAR_COLUMNS`); one row with an empty year without years.
    provinces : list of dict
        One row per province with a gap (:data:`PROVINCE_COLUMNS`), in the table's order.
    unspent : Decimal
        Money left after the last year (the budget exceeds the costed gaps).
    budget : Decimal
        The budget (per year when the plan has years).
    rule : str
        The rule, one of :data:`RULES`.
    rule_text, rule_text_fa : str
        How the rule orders the gaps and breaks ties, in English and Persian.
    scoring_text, scoring_text_fa : str
        The scoring method and the criteria's weights (rule ``score``).
    optimised : bool
        Whether whole gaps were chosen by the integer programme.
    score_total, score_total_greedy : float or None
        The plan's total score and the greedy plan's (rule ``score``).
    discount_rate_pct : Decimal or None
        The discount rate, in percent a year.
    present_value : Decimal or None
        The plan's spending in base-year money (the first fiscal year's).
    cost_range : tuple of (Decimal, Decimal, Decimal) or None
        P10 / P50 / P90 of the funded gaps' cost (with a simulation).
    unscored, scored : int
        Rule ``score``: how many costed gaps have no score (a criterion value unknown), and how
        many have one.
    limited : bool
        Whether per-province or per-utility limits shaped the plan (``optimise`` with limits).
    """

    gaps: list[dict]
    years: list[dict]
    provinces: list[dict]
    unspent: Decimal
    budget: Decimal
    rule: str
    rule_text: str
    rule_text_fa: str
    scoring_text: str = ""
    scoring_text_fa: str = ""
    optimised: bool = False
    score_total: float | None = None
    score_total_greedy: float | None = None
    discount_rate_pct: Decimal | None = None
    present_value: Decimal | None = None
    cost_range: tuple[Decimal, Decimal, Decimal] | None = None
    unscored: int = 0
    scored: int = 0
    limited: bool = False  # the optimiser had --limits (the greedy totals beside ignore them)


def basis_rank(basis: str) -> int:
    """0 for the registry's measured figures, 1 for the report's, 2 for (partly) estimates."""
    parts = basis_parts(basis)
    if any(p.startswith("allocated:") for p in parts):
        return 2
    if parts and all(p == "registry" for p in parts):
        return 0
    return 1


def gap_rows(rows: Sequence[dict]) -> list[dict]:
    """The gaps a plan funds: the finest rows — estate rows where a province has them, else
    province rows; ``total`` rows and nation rows are left out."""
    estate_provinces = {(r["province"], r["utility"]) for r in rows if r["scope"] == "estate"}
    return [
        r
        for r in rows
        if r["utility"] != "total"
        and r["scope"] != "nation"
        and (
            r["scope"] == "estate"
            or (r["scope"] == "province" and (r["province"], r["utility"]) not in estate_provinces)
        )
    ]


def score_rows(
    rows: Sequence[dict],
    records: Mapping[str, Mapping[str, object]],
    criteria: Sequence,
    *,
    method: str = "wsm",
    ahp: object = None,
) -> Scoring:
    """Score the gaps a plan would fund (:func:`gap_rows` with a need > 0) on ``criteria``
    (:func:`isipo_geo.finance.criteria.score_gaps`; normalised over those gaps only)."""
    from isipo_geo.finance.criteria import score_gaps

    costed = [g for g in gap_rows(rows) if g["need"] is not None and g["need"] > 0]
    return score_gaps(costed, records, criteria, method=method, ahp=ahp)  # type: ignore[arg-type]


def prioritise(
    rows: Sequence[dict],
    *,
    budget: Decimal,
    years: Sequence[int] = (),
    rule: str = "cheapest",
    priority: Sequence[tuple[str, str | None]] = (),
) -> list[dict]:
    """Return the gap rows of :func:`budget_plan` (see there).

    Parameters
    ----------
    rows : sequence of dict
        Costed rows (:func:`isipo_geo.finance.funding_rows`).
    budget : Decimal
        The budget in the rows' currency and scale (bn toman by default); per year with
        ``years``.
    years : sequence of int
        Jalali fiscal years (:func:`parse_years`); empty: one budget, no years.
    rule : str
        One of :data:`RULES` but ``score`` (which needs :func:`budget_plan`'s ``scoring``).
    priority : sequence of (str, str or None)
        ``(province, utility or None)`` pairs for the ``priority`` rule.

    Returns
    -------
    list of dict
        :attr:`BudgetPlan.gaps`: one row per gap, columns :data:`PLAN_COLUMNS`.

    Raises
    ------
    InputError
        As :func:`budget_plan`.

    Examples
    --------
    >>> from decimal import Decimal
    >>> from isipo_geo.finance import funding_rows
    >>> gaps = prioritise(funding_rows(), budget=Decimal(1000))
    >>> [(g["province"], g["utility"], str(g["funded"]), g["status"]) for g in gaps[:2]]
    [('markazi', 'water', '185.4838725', 'funded'), ('gilan', 'water', '185.4838725', 'funded')]
    """
    return budget_plan(rows, budget=budget, years=years, rule=rule, priority=priority).gaps


def budget_plan(
    rows: Sequence[dict],
    *,
    budget: Decimal,
    years: Sequence[int] = (),
    rule: str = "cheapest",
    priority: Sequence[tuple[str, str | None]] = (),
    scoring: Scoring | None = None,
    optimise: bool = False,
    discount_rate_pct: Decimal | None = None,
    cost_factors: Mapping[str, list[float]] | None = None,
    limits: object = None,
) -> BudgetPlan:
    """Fund gaps in the order of a declared rule until the budget runs out.

    Parameters
    ----------
    rows : sequence of dict
        Costed rows (:func:`isipo_geo.finance.funding_rows`, :func:`cost_deficits`). The gaps
        are the finest rows: estate rows where a province has them, else province rows;
        ``total`` rows and nation rows are ignored.
    budget : Decimal
        The budget in the rows' currency and scale (bn toman by default); per year when
        ``years`` is given (money left at the end of a year is carried into the next).
    years : sequence of int
        Jalali fiscal years (:func:`parse_years`); empty: one budget, no years.
    rule : {'cheapest', 'largest', 'priority', 'proportional', 'score'}
        The funding order (see the module's docstring for the order and its ties).
    priority : sequence of (str, str or None)
        ``(province, utility or None)`` pairs for the ``priority`` rule.
    scoring : Scoring, optional
        The gaps' scores (:func:`isipo_geo.finance.criteria.score_gaps`), for rule ``score``.
    optimise : bool
        Rule ``score``: fund whole gaps, each year the set of the highest score
        (:func:`isipo_geo.finance.portfolio.optimal_portfolio`).
    discount_rate_pct : Decimal, optional
        Each year's spending is also given in base-year money (``present_value``), discounted
        by this rate (percent a year) for each year after the first.
    cost_factors : mapping of str to list of float, optional
        Monte Carlo draws of unit cost ÷ central per utility
        (:func:`isipo_geo.finance.montecarlo.draw_factors`): the plan's cost range.
    limits : Limits, optional
        With ``optimise``: per-province floors and ceilings and per-utility shares each year
        (:class:`isipo_geo.finance.portfolio.Limits`); the greedy plan beside ignores them.

    Returns
    -------
    BudgetPlan
        Gap rows with ``rank``, ``need``, ``funded``, ``gap_left``, ``status`` (funded / partly
        funded / unfunded) and ``status_fa``, ``funded_in`` (fiscal years) and ``reason``;
        totals per year and per province; the money unspent.

    Raises
    ------
    InputError
        An unknown rule, a negative budget, the ``priority`` rule without a priority list or
        with a province it does not know, the ``score`` rule without scoring, ``optimise``
        without rule ``score``, or ``limits`` without ``optimise``.

    Examples
    --------
    >>> from decimal import Decimal as D
    >>> gap = dict(scope="province", province_fa="", estate_id="", utility="water",
    ...            scenario="t", deficit=D(1), deficit_unit="lps", unit_cost=D(1),
    ...            currency="toman", scale="billion")
    >>> plan = budget_plan([gap | dict(province="qom", need=D(40), basis="allocated:equal"),
    ...                     gap | dict(province="yazd", need=D(40), basis="registry")],
    ...                    budget=D(50))
    >>> [(g["province"], g["status"]) for g in plan.gaps]
    [('yazd', 'funded'), ('qom', 'partly funded')]
    """
    _check_plan_options(rule, budget, priority, scoring, optimise, limits)
    gaps = gap_rows(rows)
    if rule == "priority":
        _check_priority(priority, gaps)
    costed = [g for g in gaps if g["need"] is not None and g["need"] > 0]
    ordered, score_of = _order_gaps(costed, gaps, rule, priority, scoring)
    periods = [str(y) for y in years] or [""]
    spent = _spend(ordered, score_of, periods, budget, rule, optimise, limits, discount_rate_pct)
    out = [_plan_row(g, rank, spent, score_of, rule=rule, priority=priority, scoring=scoring,
                     optimise=optimise, last=periods[-1])
           for rank, g in enumerate(spent.ordered, start=1)]
    out += _rows_without_a_gap(gaps)
    extra = _extras(out, spent.years, scoring, spent.portfolios, discount_rate_pct, cost_factors)
    return _plan(out, gaps, spent, budget=budget, rule=rule, optimise=optimise,
                 limited=bool(limits), extra=extra)


def _plan(out, gaps, spent, *, budget, rule, optimise, limited, extra) -> BudgetPlan:
    """The plan: the gap rows, and the totals per year and per province in the rows' money."""
    first = gaps[0] if gaps else {"currency": "", "scale": ""}
    money_unit = {"currency": first["currency"], "scale": first["scale"]}
    return BudgetPlan(
        gaps=out,
        years=[y | money_unit for y in spent.years],
        provinces=[p | money_unit for p in _per_province(out, [g["province"] for g in gaps])],
        unspent=normalize_decimal(spent.carry),
        budget=budget,
        rule=rule,
        rule_text=RULE_TEXT[rule],
        rule_text_fa=RULE_TEXT_FA[rule],
        optimised=optimise,
        limited=limited,
        **extra,
    )

def _check_plan_options(rule, budget, priority, scoring, optimise, limits) -> None:
    """The plan's options, checked before anything is computed."""
    if rule not in RULES:
        raise InputError(message("unknown_rule", rule=repr(rule), rules=', '.join(RULES)))
    if budget < 0:
        raise InputError(message("budget_negative"))
    if rule == "priority" and not priority:
        raise InputError(message("priority_rule_needs_list"))
    if rule == "score" and scoring is None:
        raise InputError(message("score_rule_needs_criteria"))
    if optimise and rule != "score":
        raise InputError(message("optimise_needs_score", rule=rule))
    if limits and not optimise:
        raise InputError(message("limits_apply_to_optimise"))


def _shown(g: dict) -> float:
    """A gap's need as it reads (0.1 bn toman): an allocation's remainders, a few millionths,
    never decide an order; needs that read alike keep the table's order."""
    return round_shown(float(g["need"]), _money_unit(g["currency"], g["scale"]))


def _order_gaps(
    costed: list[dict],
    gaps: list[dict],
    rule: str,
    priority: Sequence[tuple[str, str | None]],
    scoring: Scoring | None,
) -> tuple[list[dict], dict[int, float | None]]:
    """The costed gaps in the rule's order (the module's docstring), and each gap's score
    (rule ``score``; ``{}`` for the other rules)."""
    position = {id(g): i for i, g in enumerate(gaps)}

    def cheapest(g: dict) -> tuple:
        return (g["unit_cost"], basis_rank(g["basis"]), _shown(g), position[id(g)])

    if rule == "cheapest":
        return sorted(costed, key=cheapest), {}
    if rule == "largest":
        return sorted(
            costed, key=lambda g: (-_shown(g), basis_rank(g["basis"]), position[id(g)])
        ), {}
    if rule == "proportional":
        return list(costed), {}
    if rule == "score":
        assert scoring is not None
        score_of = {id(g): scoring.scores.get(gap_key(g)) for g in costed}
        scored = [g for g in costed if score_of[id(g)] is not None]
        return sorted(
            scored,
            key=lambda g: (
                -(Decimal(str(score_of[id(g)])) / g["need"]),
                basis_rank(g["basis"]),
                _shown(g),
                position[id(g)],
            ),
        ) + [g for g in costed if score_of[id(g)] is None], score_of
    rank_of: dict[tuple[str, str | None], int] = {}
    for i, (prov, util) in enumerate(priority):
        rank_of.setdefault((prov, util), i)

    def prio(g: dict) -> tuple:
        rank = rank_of.get((g["province"], g["utility"]), rank_of.get((g["province"], None)))
        return (rank is None, rank if rank is not None else 0, *cheapest(g))

    return sorted(costed, key=prio), {}


@dataclass(frozen=True)
class _Spending:
    """The money spent year by year: the gaps in their final order, what each still needs and
    the years it was funded in, the year rows, the money carried out of the last year, and the
    optimiser's portfolios (``None`` without ``optimise``)."""

    ordered: list[dict]
    remaining: dict[int, Decimal]
    funded_in: dict[int, list[str]]
    years: list[dict]
    carry: Decimal
    portfolios: tuple | None


def _spend(ordered, score_of, periods, budget, rule, optimise, limits, rate) -> _Spending:
    """Spend each year's budget (and the money carried into it) on the gaps in order: whole
    gaps the optimiser chose, shares (rule ``proportional``), or the next gaps' needs."""
    remaining = {id(g): Decimal(g["need"]) for g in ordered}
    funded_in: dict[int, list[str]] = {id(g): [] for g in ordered}
    year_rows = []
    carry = Decimal(0)
    portfolios = None
    if optimise:
        portfolios = _portfolios(ordered, score_of, budget, len(periods), limits)
        ordered = _by_year(ordered, portfolios[0], score_of)
    for t, period in enumerate(periods):
        money = carry + budget
        available = money
        if portfolios is not None:
            for g in ordered:
                if portfolios[0].get(id(g)) == t:
                    remaining[id(g)] = Decimal(0)
                    money -= g["need"]
                    funded_in[id(g)].append(period)
        elif rule == "proportional":
            money = _share(ordered, remaining, money, funded_in, period)
        else:
            money = _fund_in_order(ordered, remaining, money, funded_in, period)
        year_rows.append(
            {
                "fiscal_year": period,
                "budget": budget,
                "carried_in": normalize_decimal(carry),
                "available": normalize_decimal(available),
                "spent": normalize_decimal(available - money),
                "carried_out": normalize_decimal(money),
                "present_value": (
                    present_value(available - money, rate_pct=rate, years=t)
                    if rate is not None
                    else None
                ),
                "score": _year_score(ordered, funded_in, period, score_of, rule),
                "score_greedy": (
                    round(portfolios[1].score[t], SCORE_DIGITS) if portfolios is not None else None
                ),
            }
        )
        carry = money
    return _Spending(ordered, remaining, funded_in, year_rows, carry, portfolios)


def _fund_in_order(
    ordered: list[dict],
    remaining: dict[int, Decimal],
    money: Decimal,
    funded_in: dict[int, list[str]],
    period: str,
) -> Decimal:
    """One year of an ordering rule: fund each gap's need in turn until the money runs out;
    return the money left."""
    for g in ordered:
        if money <= 0:
            break
        take = min(money, remaining[id(g)])
        if take > 0:
            remaining[id(g)] -= take
            money -= take
            funded_in[id(g)].append(period)
    return money


def _plan_row(g, rank, spent, score_of, *, rule, priority, scoring, optimise, last) -> dict:
    """A funded (or not) gap's row: what it got, its status and the reason, in both languages."""
    left = normalize_decimal(spent.remaining[id(g)])
    funded = normalize_decimal(g["need"] - left)
    status = "funded" if left == 0 else ("partly funded" if funded > 0 else "unfunded")
    reason, reason_fa = _reason(
        g, rank, funded, spent.funded_in[id(g)], score_of, rule=rule, optimise=optimise
    )
    if rule == "priority":
        listed = set(priority)
        in_list = (g["province"], g["utility"]) in listed or (g["province"], None) in listed
        reason += "" if in_list else " (not on the list: after the listed gaps, cheapest first)"
        reason_fa += "" if in_list else " (در فهرست نیست: پس از فهرست، ارزان‌ترین نخست)"
    if status != "funded" and not optimise:
        reason += "; budget exhausted" + (f" by {last}" if last else "")
        reason_fa += "؛ اعتبار " + (f"تا {last} " if last else "") + "تمام شد"
    row = _gap_row(g, rank, funded, left, status, spent.funded_in[id(g)], (reason, reason_fa))
    if scoring is not None:
        row["score"] = scoring.scores.get(gap_key(g))
        row["score_explained"] = scoring.explained.get(gap_key(g), "")
    return row


def _reason(g, rank, funded, years, score_of, *, rule, optimise) -> tuple[str, str]:
    """Why a gap stands where it does, by the rule (English, Persian)."""
    if rule == "proportional":
        share = funded / g["need"] if g["need"] else Decimal(1)
        return (
            f"{_pct(share)} of its need, as every open gap",
            f"{_pct(share)} از نیاز آن، مانند هر کمبود باز",
        )
    if rule == "score" and score_of[id(g)] is None:
        if optimise:
            return (
                "no score (a criterion value is unknown, not 0): not in the optimisation",
                "بدون امتیاز (مقدار معیاری نامعلوم است، نه صفر): بیرون از بهینه‌سازی",
            )
        return (
            "no score (a criterion value is unknown, not 0): after the scored gaps",
            "بدون امتیاز (مقدار معیاری نامعلوم است، نه صفر): پس از کمبودهای امتیازدار",
        )
    if optimise:
        year = years[0] if years else ""
        if years:
            return (
                f"chosen whole by the optimiser for {year or 'the budget'}",
                f"انتخاب کامل بهینه‌ساز برای {year or 'اعتبار'}",
            )
        return (
            "not chosen: a higher score fits each year's money",
            "انتخاب نشد: امتیاز بیشتری در اعتبار هر سال می‌گنجد",
        )
    if rule == "score":
        return (
            f"rank {rank} by score per toman (score {score_of[id(g)]:.4f})",
            f"رتبه {rank} به امتیاز به ازای هر تومان (امتیاز {score_of[id(g)]:.4f})",
        )
    return f"rank {rank} by {rule}", f"رتبه {rank} به قاعده {RULE_NAME_FA[rule]}"


def _rows_without_a_gap(gaps: list[dict]) -> list[dict]:
    """The rows after the plan's: nothing to fund (supplied ≥ demand), then no cost basis."""
    closed = [g for g in gaps if g["need"] is not None and g["need"] <= 0]
    uncosted = [g for g in gaps if g["need"] is None]
    return [
        _gap_row(g, None, Decimal(0), Decimal(0), "no gap", [], ("nothing to fund",
                                                                   "کمبودی برای تأمین نیست"))
        for g in closed
    ] + [
        _gap_row(g, None, None, None, "unfunded", [], ("no cost basis for this utility",
                                                       "این تأسیسات مبنای هزینه ندارد"))
        for g in uncosted
    ]

def _portfolios(ordered, score_of, budget, years, limits=None):
    """Rule score with --optimise: the optimal and greedy whole-gap portfolios of the scored
    gaps, as {id(gap): year index} and the greedy portfolio."""
    from isipo_geo.finance.portfolio import greedy_portfolio, optimal_portfolio

    scored = [g for g in ordered if score_of[id(g)] is not None]
    needs = [g["need"] for g in scored]
    scores = [score_of[id(g)] for g in scored]
    greedy = greedy_portfolio(needs, scores, budget=budget, years=years)
    best = optimal_portfolio(
        needs, scores, budget=budget, years=years, limits=limits,
        provinces=[g["province"] for g in scored], utilities=[g["utility"] for g in scored],
    )
    chosen = {id(g): t for g, t in zip(scored, best.year_of, strict=True) if t is not None}
    return chosen, greedy, best


def _by_year(ordered, chosen, score_of):
    """The optimiser's plan in order: funded gaps by year (then as ranked), then the rest."""
    position = {id(g): i for i, g in enumerate(ordered)}
    return sorted(
        ordered,
        key=lambda g: (
            chosen.get(id(g), len(ordered)),  # not chosen: after every year
            score_of[id(g)] is None,
            position[id(g)],
        ),
    )


def _year_score(ordered, funded_in, period, score_of, rule) -> float | None:
    """The score of the gaps first funded in ``period`` (rule score), rounded once."""
    if rule != "score":
        return None
    total = math.fsum(
        score_of[id(g)]
        for g in ordered
        if score_of[id(g)] is not None and funded_in[id(g)][:1] == [period]
    )
    return round(total, SCORE_DIGITS)


def _extras(out, year_rows, scoring, portfolios, rate, factors) -> dict:
    """The plan's scoring text, score totals, present value and cost range."""
    extra: dict = {}
    if scoring is not None:
        costed = [g for g in out if g["need"] and g["status"] != "no gap"]
        extra["unscored"] = sum(g["score"] is None for g in costed)
        extra["scored"] = len(costed) - extra["unscored"]
        extra["scoring_text"] = scoring.text
        extra["scoring_text_fa"] = scoring.text_fa
        extra["score_total"] = round(
            math.fsum(y["score"] for y in year_rows if y["score"] is not None), SCORE_DIGITS
        )
    if portfolios is not None:
        extra["score_total_greedy"] = round(portfolios[1].total_score, SCORE_DIGITS)
    if rate is not None:
        extra["discount_rate_pct"] = rate
        extra["present_value"] = normalize_decimal(
            sum((y["present_value"] for y in year_rows), Decimal(0))
        )
    if factors:
        from isipo_geo.finance.montecarlo import total_range

        per_utility: dict[str, Decimal] = {}
        for g in out:
            if g["funded"]:
                per_utility[g["utility"]] = per_utility.get(g["utility"], Decimal(0)) + g["funded"]
        extra["cost_range"] = total_range(per_utility, factors)
    return extra


def _share(
    ordered: list[dict],
    remaining: dict[int, Decimal],
    money: Decimal,
    funded_in: dict[int, list[str]],
    period: str,
) -> Decimal:
    """One year of the proportional rule: share ``money`` among the open gaps in proportion to
    what each still needs (exactly, in steps of 0.01 or finer); return the money left."""
    from isipo_geo.finance.deficits import allocate_exact

    open_gaps = [g for g in ordered if remaining[id(g)] > 0]
    if not open_gaps or money <= 0:
        return money
    still = sum((remaining[id(g)] for g in open_gaps), Decimal(0))
    if money >= still:
        shares = {str(i): remaining[id(g)] for i, g in enumerate(open_gaps)}
    else:
        shares = allocate_exact(
            money, {str(i): remaining[id(g)] for i, g in enumerate(open_gaps)}
        )
    for i, g in enumerate(open_gaps):
        take = min(shares[str(i)], remaining[id(g)])
        if take > 0:
            remaining[id(g)] -= take
            money -= take
            funded_in[id(g)].append(period)
    return money


def _pct(share: Decimal) -> str:
    return f"{normalize_decimal((share * 100).quantize(Decimal('0.1')))}%"


def _per_province(plan: list[dict], order: list[str]) -> list[dict]:
    """Totals per province, in ``order`` (the table's: the provinces' official order)."""
    out: dict[str, dict] = {}
    for g in plan:
        if g["need"] is None or g["status"] == "no gap":
            continue
        p = out.setdefault(
            g["province"],
            {
                "province": g["province"],
                "province_fa": g["province_fa"],
                "gaps": 0,
                "gaps_funded": 0,
                "need": Decimal(0),
                "funded": Decimal(0),
                "gap_left": Decimal(0),
            },
        )
        p["gaps"] += 1
        p["gaps_funded"] += g["status"] == "funded"
        p["need"] += g["need"]
        p["funded"] += g["funded"]
        p["gap_left"] += g["gap_left"]
    for p in out.values():
        for k in ("need", "funded", "gap_left"):
            p[k] = normalize_decimal(p[k])
    position = {k: i for i, k in reversed(list(enumerate(order)))}
    return sorted(out.values(), key=lambda p: position.get(p["province"], len(position)))


def _check_priority(priority: Sequence[tuple[str, str | None]], gaps: list[dict]) -> None:
    """Every priority entry must name a gap; an entry that matches nothing is an error, never
    dropped silently (row numbers count the priority file's header as row 1)."""
    for n, (prov, util) in enumerate(priority, start=2):
        if any(g["province"] == prov and util in (None, g["utility"]) for g in gaps):
            continue
        have = sorted({g["utility"] for g in gaps if g["province"] == prov})
        if have:
            raise InputError(message("priority_no_gap_has", n=n, prov=prov, util=str(util),
                                     have=", ".join(have)))
        raise InputError(message("priority_no_gap", n=n, prov=prov, util=str(util)))


def _gap_row(g, rank, funded, left, status, years, reason) -> dict:
    span = [y for y in years if y]
    return {
        "rank": rank,
        "scope": g["scope"],
        "province": g["province"],
        "province_fa": g["province_fa"],
        "estate_id": g["estate_id"],
        "estate_name_fa": g.get("estate_name_fa", ""),
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
        "status_fa": PLAN_STATUS_LABELS[status][0],
        "funded_in": (span[0] if len(span) == 1 else f"{span[0]}-{span[-1]}") if span else "",
        "basis": g["basis"],
        "year": g.get("year", ""),
        "reason": reason[0],
        "reason_fa": reason[1],  # the brief's Persian beside the English (not in the files)
        "score": None,
        "score_explained": "",
    }


def parse_years(text: str) -> list[int]:
    """Read Jalali fiscal years: ``"1403-1407"`` → [1403, ..., 1407]; ``"1403"`` → [1403].

    Parameters
    ----------
    text : str
        One year or a range, in Latin or Persian digits (an en dash is read as a hyphen).

    Returns
    -------
    list of int
        The years, in order.

    Raises
    ------
    InputError
        Not a year or a range of years between 1300 and 1500, first year first.

    Examples
    --------
    >>> parse_years("۱۴۰۳-۱۴۰۵")
    [1403, 1404, 1405]
    """
    from isipo_geo.names import normalize_fa

    t = normalize_fa(text).replace("–", "-")
    parts = t.split("-")
    try:
        nums = [int(p) for p in parts]
    except ValueError:
        raise InputError(message("years_not_a_range", text=repr(text))) from None
    if len(nums) == 1:
        nums = nums * 2
    if len(nums) != 2 or not (1300 <= nums[0] <= nums[1] <= 1500):
        raise InputError(message("years_not_a_range", text=repr(text)))
    return list(range(nums[0], nums[1] + 1))
