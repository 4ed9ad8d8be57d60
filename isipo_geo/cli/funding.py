"""``isipo-geo funding``: financing needs per province and nation, scenarios and budgets."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from isipo_geo.cli import app, handles_errors
from isipo_geo.cli._options import (
    AhpOpt,
    AllocateOpt,
    CostsOpt,
    CriteriaOpt,
    DiscountOpt,
    LimitsOpt,
    MethodOpt,
    NetworkFilterOpt,
    NetworkOpt,
    OptimiseOpt,
    OverwriteOpt,
    Priorities,
    RegistryOnlyOpt,
    RegistryOpt,
    RegistryYearOpt,
    ScenarioOpt,
    SeedOpt,
    SimulateOpt,
    WeightsOpt,
    WhatData,
    checked_rule,
    funding_options,
    gather,
    in_build_folder,
    read_budget,
    read_priorities,
)
from isipo_geo.messages import message


class Currency(StrEnum):
    toman = "toman"
    rial = "rial"


class Scale(StrEnum):
    billion = "billion"
    million = "million"


class CostCase(StrEnum):
    central = "central"
    low = "low"
    high = "high"


class Headers(StrEnum):
    en = "en"
    fa = "fa"
    both = "both"


class Rule(StrEnum):
    cheapest = "cheapest"
    largest = "largest"
    priority = "priority"
    proportional = "proportional"
    score = "score"


@app.command()
@handles_errors
def funding(  # long: 31 options, each with its type, default and help
    scenario: ScenarioOpt = WhatData.scenario,
    compare: Annotated[
        bool, typer.Option("--compare", help="Show essential and whole side by side.")
    ] = False,
    allocate_by: AllocateOpt = WhatData.allocate_by,
    weights: WeightsOpt = WhatData.weights,
    registry: RegistryOpt = WhatData.registry,
    registry_only: RegistryOnlyOpt = WhatData.registry_only,
    registry_year: RegistryYearOpt = WhatData.registry_year,
    costs: CostsOpt = WhatData.costs,
    currency: Annotated[Currency, typer.Option(help="Output currency (1 toman = 10 rial).")] = (
        Currency.toman
    ),
    scale: Annotated[Scale, typer.Option(help="Output scale.")] = Scale.billion,
    cost_case: Annotated[
        CostCase, typer.Option(help="Unit cost case; low/high need them in the costs file.")
    ] = CostCase.central,
    escalation: Annotated[
        str,
        typer.Option(help="Cost escalation in % a year, -50 to 100 (with --escalation-years)."),
    ] = "0",
    escalation_years: Annotated[
        str, typer.Option(help="Years of escalation, 0 to 50 (with --escalation).")
    ] = "0",
    budget: Annotated[
        str | None,
        typer.Option(
            help="Budget with its currency, e.g. '5000 bn toman' (per year with --years)."
        ),
    ] = None,
    years: Annotated[
        str | None, typer.Option(help="Jalali fiscal years for the budget, e.g. 1403-1407.")
    ] = None,
    rule: Annotated[
        Rule | None,
        typer.Option(
            help="Funding order. cheapest: lowest cost per unit of deficit first; largest: "
            "largest need first; priority: your --priority list first; proportional: each "
            "year's money shared in proportion to what each gap still needs; score: the highest "
            "score per toman on your --criteria first. cheapest compares bn toman per L/s of "
            "water with bn toman per MW of power — units that do not compare: every gap of the "
            "utility with the lower number comes first; use score with need or jobs to compare "
            "like with like. Ties (equal unit cost or need) go to your registry's measured gaps "
            "before the report's figures before allocated estimates, then (cheapest) the smaller "
            "need, then the provinces' official order — never alphabetical.  [default: cheapest]"
        ),
    ] = None,
    priority: Annotated[
        Path | None, typer.Option(help="CSV with a province column (and optional utility).")
    ] = None,
    criteria: CriteriaOpt = Priorities.criteria,
    ahp: AhpOpt = Priorities.ahp,
    method: MethodOpt = Priorities.method,
    optimise: OptimiseOpt = Priorities.optimise,
    limits: LimitsOpt = Priorities.limits,
    discount_rate: DiscountOpt = Priorities.discount_rate,
    simulate: SimulateOpt = Priorities.simulate,
    seed: SeedOpt = Priorities.seed,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the table: .csv, .xlsx, .json or .gpkg."),
    ] = None,
    headers: Annotated[
        Headers,
        typer.Option(
            help="Header row of a CSV --out: en (stable English keys, for scripts), fa (Persian), "
            "or both (English keys, then a row of Persian headers).",
        ),
    ] = Headers.en,
    budget_out: Annotated[
        Path | None,
        typer.Option(
            help="Write the budget plan: .xlsx (sheets plan, years, provinces), .json (one "
            "object) or .csv (PLAN.csv plus PLAN.years.csv and PLAN.provinces.csv)."
        ),
    ] = None,
    network: NetworkOpt = None,
    network_filter: NetworkFilterOpt = None,
    overwrite: OverwriteOpt = False,
) -> None:
    """Financing needs per province and nation: deficits × unit costs.

    With the shipped data the national deficits come from the 1400 report and are shared among
    provinces by --allocate-by (estimates, labelled as such); a registry's per-estate deficits
    replace the estimate for their provinces. Every row says its basis (reported or derived
    from the report, registry for your file, allocated:KEY for an estimate) and the year of
    its figure.

    Examples: isipo-geo funding; isipo-geo funding --scenario whole --out needs.xlsx;
    isipo-geo funding --budget "5000 bn toman" --years 1403-1407 --rule cheapest;
    isipo-geo funding --registry mine.csv --budget "800 bn toman" --years 1403-1407
    --rule score --criteria criteria.csv --optimise --discount-rate 20
    """
    what = gather(WhatData, locals())
    priorities = gather(Priorities, locals())
    if out is not None:  # into a build's folder: the build's data, or a named difference
        what = in_build_folder(what, out.parent, overwrite=overwrite, command="funding --out")
    from isipo_geo import run
    from isipo_geo.finance.inputs import parse_escalation

    rule, discount = _checked_rule(
        budget=budget, rule=rule, years=years, priority=priority, budget_out=budget_out,
        compare=compare, priorities=priorities, simulate=simulate,
    )
    escalation_pct, escalation_n = parse_escalation(escalation, escalation_years)
    # Read and check every input before any work, so a typo fails at once.
    amount, plan_years, priority_list = read_budget(
        budget, years, priority, currency=currency.value, scale=scale.value
    )
    networks = run.read_networks(network, network_filter, what.costs)
    if out is not None:
        _check_extension(out, ("csv", "xlsx", "json", "gpkg"))
    if budget_out is not None:
        _check_extension(budget_out, ("csv", "xlsx", "json"))
    common = funding_options(
        what, currency=currency.value, scale=scale.value, case=cost_case.value,
        escalation_pct=escalation_pct, escalation_years=escalation_n,
    )
    if compare:
        _compare(common, out, headers=headers.value)
        return
    rows, plan = _rows_and_plan(
        common, what, priorities, networks, amount=amount, years=plan_years, rule=rule.value,
        priority=priority_list, optimise=optimise, discount=discount,
    )
    _print_and_write(
        rows, plan, networks=networks is not None, years=years, currency=currency.value,
        scale=scale.value, out=out, budget_out=budget_out, headers=headers.value,
    )


def _checked_rule(
    *, budget, rule, years, priority, budget_out, compare, priorities, simulate
) -> tuple[Rule, Decimal | None]:
    """The budget's rule (cheapest when none is given) and the discount rate, once the budget's
    and the priorities' options are checked together."""
    chosen, discount = checked_rule(
        budget=budget, rule=rule, years=years, priority=priority, priorities=priorities,
        budget_out=budget_out, compare=compare,
    )
    if compare and simulate is not None:
        from isipo_geo.errors import InputError

        raise InputError(message("simulate_with_compare"))
    return Rule(chosen), discount


def _compare(common: dict, out: Path | None, *, headers: str) -> None:
    """--compare: the essential and whole scenarios side by side (and both in --out)."""
    from isipo_geo import finance

    tables = {s: finance.funding_rows(**common | {"scenario": s}) for s in ("essential", "whole")}
    _print_compare(finance.compare_scenarios(tables), tables)
    if out is not None:
        write_funding([r for rows in tables.values() for r in rows], out, headers=headers)


def _rows_and_plan(
    common, what, priorities, networks, *, amount, years, rule, priority, optimise, discount
) -> tuple[list[dict], object]:
    """The funding rows (with their ranges and connections when asked) and the budget plan
    (``None`` without a budget)."""
    from isipo_geo import finance, run

    estates = None
    if networks is None:
        rows = finance.funding_rows(**common)
    else:  # the registry read once, for the rows and the estates to connect (as build does)
        rows, estates = run.read_funding(common)
    scoring, factors, limits = read_priorities(priorities, rows, what)
    if factors is not None:
        from isipo_geo.finance.montecarlo import need_ranges

        rows = need_ranges(rows, factors)
    if networks is not None:
        rows = run.add_connections(rows, estates, networks)[0]
    if amount is None:
        return rows, None
    # checked (e.g. the priority list) before anything is printed
    gaps = [r for r in rows if r.get("component", "gap") == "gap"]  # not the connections
    plan = finance.budget_plan(
        gaps, budget=amount, years=years, rule=rule, priority=priority,
        scoring=scoring, optimise=optimise, discount_rate_pct=discount,
        cost_factors=factors, limits=limits,
    )
    return rows, plan


def _print_and_write(
    rows, plan, *, networks, years, currency, scale, out, budget_out, headers
) -> None:
    """Print the tables (and the plan), then write --out and --budget-out together."""
    from isipo_geo.io import output_transaction

    _print_funding([r for r in rows if r.get("component", "gap") == "gap"])
    if networks:
        _print_connections(rows)
    if plan is not None:
        _print_plan(plan, years, currency, scale, _heading(rows))
    # The table and the budget plan's files appear together or not at all.
    written: list[Path] = []
    with output_transaction():
        if out is not None:
            write_funding(rows, out, headers=headers, quiet=True)
            written.append(out)
        if plan is not None and budget_out is not None:
            written += write_plan(plan, budget_out, covers=_heading(rows))
    for path in written:
        typer.echo(f"wrote {path}")

def _print_connections(rows: list[dict]) -> None:
    """The connection rows of the nation and the provinces (each estate's is in --out)."""
    from isipo_geo.cli._console import print_rows
    from isipo_geo.display import money_unit

    conn = [r for r in rows if r.get("component") == "connection" and r["scope"] != "estate"]
    if not conn:
        return
    first = conn[0]
    print_rows(
        ["scope", "province", "utility", "length_km", "need", "note"],
        conn,
        title=f"Connections / اتصال به شبکه — need in {first['scale']} {first['currency']} "
        "(each estate's connection is in --out)",
        units={"length_km": "km", "need": money_unit(first["currency"], first["scale"])},
    )


def _check_extension(path: Path, allowed: tuple[str, ...]) -> None:
    from isipo_geo.tables import output_format

    output_format(path, allowed=allowed)


PLAN_TITLE = "برنامه بودجه / Budget plan — isipo-geo"


def write_funding(
    rows: list[dict],
    out: Path,
    *,
    headers: str = "en",
    shown: Path | None = None,
    quiet: bool = False,
) -> None:
    """Write the table (:func:`isipo_geo.run.write_funding`: CSV/XLSX/JSON, or for .gpkg one
    polygon per province); ``shown`` the path to print, ``quiet`` prints nothing (the caller
    says what it wrote once all is written)."""
    from isipo_geo.run import write_funding as write

    write(rows, out, headers=headers)
    if not quiet:
        typer.echo(f"wrote {shown or out}")


def _utilities(rows: list[dict]) -> list[str]:
    """The utilities of the rows in the one order (:func:`isipo_geo.labels.utility_key`)."""
    from isipo_geo.labels import utility_key

    return sorted({r["utility"] for r in rows}, key=utility_key)


def _heading(rows: list[dict]) -> tuple[str, str]:
    """What the nation rows cover: the nation, or (registry scenario) the registry's
    provinces."""
    if not rows or rows[0]["scenario"] != "registry":
        return ("کشور", "Nation")
    names = {r["province"]: r["province_fa"] for r in rows if r["scope"] == "province"}
    fa = "، ".join(v or k for k, v in names.items())
    en = ", ".join(names)
    return (f"استان‌های فهرست: {fa}", f"Registry provinces: {en}")


def _print_funding(rows: list[dict]) -> None:
    """The nation and province tables, numbers by their unit's rule (isipo_geo.display)."""
    from isipo_geo.cli._console import print_rows
    from isipo_geo.display import money_unit
    from isipo_geo.figures import rounding_note

    first = rows[0]
    unit = f"{first['scale']} {first['currency']}"
    nation = [r for r in rows if r["scope"] == "nation"]
    cols = ["utility", "deficit", "deficit_unit", "unit_cost", "need", "basis", "year", "note"]
    if "need_p10" in first:  # --simulate: the range beside the central need
        cols[5:5] = ["need_p10", "need_p50", "need_p90"]
    fa, en = _heading(rows)
    money = money_unit(first["currency"], first["scale"])
    print_rows(
        cols,
        nation,
        title=f"{en} / {fa} — need in {unit}, scenario {first['scenario']}",
        units={"deficit": _deficit_unit, "unit_cost": money, "need": money}
        | dict.fromkeys(("need_p10", "need_p50", "need_p90"), money),
    )
    utilities = _utilities(rows)
    per: dict[str, dict] = {}
    for r in rows:
        if r["scope"] == "province":
            entry = per.setdefault(
                r["province"], {"province": r["province"], "province_fa": r["province_fa"]}
            )
            entry[r["utility"]] = r["need"]
            if r["utility"] == "total":
                entry["basis"] = r["basis"]
                entry["year"] = r["year"]
    print_rows(
        ["province", "province_fa", *utilities, "basis", "year"],
        list(per.values()),
        title=f"Provinces / استان‌ها — need in {unit} (allocated = estimate / برآورد)",
        units=dict.fromkeys(utilities, money),
    )
    totals = [p["total"] for p in per.values() if p.get("total") is not None]
    whole = next((r["need"] for r in nation if r["utility"] == "total"), None)
    note = rounding_note(totals, whole, money) if totals and whole is not None else None
    if note is not None:
        typer.echo(f"{note[1]}\n{note[0]}")


def _deficit_unit(row: dict) -> str:
    return str(row.get("deficit_unit") or "")


def _print_compare(rows: list[dict], tables: dict) -> None:
    from isipo_geo.cli._console import print_rows
    from isipo_geo.display import money_unit

    first = next(iter(tables.values()))[0]
    names = list(tables)
    print_rows(
        ["scope", "province", "utility", *names, *(f"basis_{n}" for n in names)],
        rows,
        title=f"Scenarios side by side — need in {first['scale']} {first['currency']}",
        units=dict.fromkeys(names, money_unit(first["currency"], first["scale"])),
    )


PLAN_ROWS_SHOWN = 60  # gaps printed of a long plan (over twice this); the file has them all


def _print_plan(plan, years, currency: str, scale: str, heading: tuple[str, str]) -> None:
    """The budget plan on the console: its rule and scores, the gaps (the first
    :data:`PLAN_ROWS_SHOWN` of a long plan), per year, per province, the money unspent."""
    from isipo_geo.cli._console import print_rows
    from isipo_geo.display import format_number, money_unit
    from isipo_geo.finance.money import normalize_decimal

    cols = [
        "rank",
        "province_fa",
        "estate_name_fa",
        "utility",
        "need",
        "funded",
        "gap_left",
        "status_fa",
        "status",
        "funded_in",
        "reason",
    ]
    unit = f"{scale} {currency}"
    money = money_unit(currency, scale)

    def amount(value: object) -> str:  # by the unit's rule, as in the tables beside it
        return format_number(value, digits="latin", unit=money)

    per = f" a year over {years}" if years else ""
    funded = normalize_decimal(sum((p["funded"] or 0 for p in plan.gaps), Decimal(0)))
    _print_plan_rule(plan)
    shown = plan.gaps if len(plan.gaps) <= 2 * PLAN_ROWS_SHOWN else plan.gaps[:PLAN_ROWS_SHOWN]
    print_rows(
        cols,
        shown,
        title=f"{heading[1]} / {heading[0]} — budget {amount(plan.budget)} {unit}{per}; "
        f"funded {amount(funded)}",
        units=dict.fromkeys(("need", "funded", "gap_left"), money),
    )
    if len(plan.gaps) > len(shown):
        typer.echo(
            f"... and {len(plan.gaps) - len(shown)} more gaps (every gap is in --budget-out FILE)"
        )
    _print_plan_totals(plan, years, unit, money, amount)


def _print_plan_rule(plan) -> None:
    """The plan's rule, its scoring and scores, and a warning for the gaps without a score."""
    typer.echo(f"Rule {plan.rule}: {plan.rule_text}\nقاعده: {plan.rule_text_fa}")
    if plan.scoring_text:
        typer.echo(f"Score / امتیاز: {plan.scoring_text}\n{plan.scoring_text_fa}")
    if plan.unscored:
        typer.echo(
            f"warning: {plan.unscored} of {plan.scored + plan.unscored} gaps have no score (a "
            "criterion value is unknown, never taken as 0): they come after the scored gaps"
            + (" and are left out of --optimise" if plan.optimised else "")
            + ". Fill the criteria's registry columns (score_explained names the empty one) "
            "or leave that criterion out",
            err=True,
        )
    if plan.score_total_greedy is not None:
        typer.echo(
            f"Total score / مجموع امتیاز: optimal {plan.score_total:.4f} — greedy by score per "
            f"toman {plan.score_total_greedy:.4f} (whole gaps; each year's money"
            + ("; the greedy plan ignores --limits)" if plan.limited else ")")
        )
    elif plan.score_total is not None:
        typer.echo(f"Total score / مجموع امتیاز: {plan.score_total:.4f}")


def _print_plan_totals(plan, years, unit: str, money: str, amount) -> None:
    """The plan per year (with years) and per province, the money unspent, the present value
    and the cost range."""
    from isipo_geo.cli._console import print_rows

    if years:
        year_cols = ["fiscal_year", "carried_in", "available", "spent", "carried_out"]
        if plan.present_value is not None:
            year_cols.append("present_value")
        if plan.score_total is not None:
            year_cols.append("score")
        if plan.score_total_greedy is not None:
            year_cols.append("score_greedy")
        print_rows(
            year_cols,
            plan.years,
            title=f"Per year / هر سال — {unit}",
            units=dict.fromkeys(
                ("carried_in", "available", "spent", "carried_out", "present_value"), money
            ),
        )
    print_rows(
        ["province", "province_fa", "gaps", "gaps_funded", "need", "funded", "gap_left"],
        plan.provinces,
        title=f"Per province / هر استان — {unit}",
        units=dict.fromkeys(("need", "funded", "gap_left"), money),
    )
    typer.echo(
        f"unspent / مانده اعتبار: {amount(plan.unspent)} {unit}"
        + (" (more than the costed gaps need)" if plan.unspent > 0 else "")
    )
    if plan.present_value is not None:
        typer.echo(
            f"present value / ارزش فعلی ({plan.discount_rate_pct}% a year, base "
            f"{plan.years[0]['fiscal_year'] or 'year'}): {amount(plan.present_value)} {unit}"
        )
    if plan.cost_range is not None:
        low, mid, high = (amount(v) for v in plan.cost_range)
        typer.echo(f"cost of the funded gaps, P10 / P50 / P90: {low} / {mid} / {high} {unit}")

def write_plan(plan, out: Path, *, covers: tuple[str, str] = ("کشور", "Nation")) -> list[Path]:
    """Write a budget plan: XLSX with sheets plan / years / provinces (and ``about``: the rule,
    what the plan covers, the budget and the money unspent), JSON as one object, or CSV as
    three files (``PLAN.csv``, ``PLAN.years.csv``, ``PLAN.provinces.csv``)."""
    from isipo_geo.finance import PLAN_COLUMNS, PROVINCE_COLUMNS, YEAR_COLUMNS
    from isipo_geo.tables import output_format, write_plan_tables

    tables = {
        "plan": (plan.gaps, PLAN_COLUMNS),
        "years": (plan.years, YEAR_COLUMNS),
        "provinces": (plan.provinces, PROVINCE_COLUMNS),
    }
    meta = {
        "covers": covers[1],
        "covers_fa": covers[0],
        "rule": plan.rule,
        "rule_text": plan.rule_text,
        "rule_text_fa": plan.rule_text_fa,
        "budget": plan.budget,
        "unspent": plan.unspent,
        "scoring": plan.scoring_text,
        "scoring_fa": plan.scoring_text_fa,
        "optimised": plan.optimised,
        "score_total": plan.score_total,
        "score_total_greedy": plan.score_total_greedy,
        "limits": "applied; the greedy totals ignore them" if plan.limited else "",
        "discount_rate_pct": plan.discount_rate_pct,
        "present_value": plan.present_value,
        "cost_p10_p50_p90": "" if plan.cost_range is None else " / ".join(
            str(v) for v in plan.cost_range
        ),
    }
    output_format(out, allowed=("csv", "xlsx", "json"))
    return write_plan_tables(tables, out, meta=meta, title=PLAN_TITLE)
