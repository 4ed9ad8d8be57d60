"""``isipo-geo funding``: financing needs per province and nation, scenarios and budgets."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from isipo_geo.cli import app, handles_errors


class Scenario(StrEnum):
    essential = "essential"
    whole = "whole"
    registry = "registry"


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


class Rule(StrEnum):
    cheapest = "cheapest"
    largest = "largest"
    priority = "priority"


@app.command()
@handles_errors
def funding(
    scenario: Annotated[
        Scenario,
        typer.Option(
            help="essential: 2,300 L/s + 2,372 MW (reported); whole: the deficits the "
            "report costs at 34,465 and 25,002 bn toman; registry: registry deficits only."
        ),
    ] = Scenario.essential,
    compare: Annotated[
        bool, typer.Option("--compare", help="Show essential and whole side by side.")
    ] = False,
    allocate_by: Annotated[
        str,
        typer.Option(
            help="Share national deficits among provinces by: equal, area, "
            "reactivation_plan (the report's 1400 plan per province) or weights "
            "(with --weights FILE). Allocated figures are estimates and say so."
        ),
    ] = "equal",
    weights: Annotated[Path | None, typer.Option(help="CSV with columns province, weight.")] = None,
    registry: Annotated[
        Path | None,
        typer.Option(
            help="Estate registry CSV (from `isipo-geo import`); its deficits win over "
            "allocation. Default: the shipped registry."
        ),
    ] = None,
    costs: Annotated[
        Path | None, typer.Option(help="Unit costs TOML (default: the report's values).")
    ] = None,
    currency: Annotated[Currency, typer.Option(help="Output currency (1 toman = 10 rial).")] = (
        Currency.toman
    ),
    scale: Annotated[Scale, typer.Option(help="Output scale.")] = Scale.billion,
    cost_case: Annotated[
        CostCase, typer.Option(help="Unit cost case; low/high need them in the costs file.")
    ] = CostCase.central,
    escalation: Annotated[
        str, typer.Option(help="Cost escalation in % a year (with --escalation-years).")
    ] = "0",
    escalation_years: Annotated[int, typer.Option(help="Years of escalation.")] = 0,
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
        Rule,
        typer.Option(
            help="Funding order: cheapest per unit first, largest need first, "
            "or your --priority list."
        ),
    ] = Rule.cheapest,
    priority: Annotated[
        Path | None, typer.Option(help="CSV with a province column (and optional utility).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the table: .csv, .xlsx, .json or .gpkg."),
    ] = None,
    budget_out: Annotated[
        Path | None, typer.Option(help="Write the budget plan: .csv, .xlsx or .json.")
    ] = None,
) -> None:
    """Financing needs per province and nation: deficits × unit costs.

    With the shipped data the national deficits come from the 1400 report and are shared among
    provinces by --allocate-by (estimates, labelled as such); a registry's per-estate deficits
    replace the estimate for their provinces. Every row says its basis: reported, derived or
    allocated:<key>.

    Examples: isipo-geo funding; isipo-geo funding --scenario whole --out needs.xlsx;
    isipo-geo funding --budget "5000 bn toman" --years 1403-1407 --rule cheapest
    """
    from isipo_geo import finance, io
    from isipo_geo.money import parse_decimal, parse_money

    weight_map = io.read_weights(weights) if weights is not None else None
    if weights is not None and allocate_by == "equal":
        allocate_by = "weights"
    common = {
        "allocate_by": allocate_by,
        "registry": str(registry) if registry is not None else None,
        "costs": str(costs) if costs is not None else None,
        "currency": currency.value,
        "scale": scale.value,
        "case": cost_case.value,
        "escalation_pct": parse_decimal(escalation, what="--escalation"),
        "escalation_years": escalation_years,
        "weights": weight_map,
    }
    if compare:
        tables = {s: finance.funding_table(scenario=s, **common) for s in ("essential", "whole")}
        table = finance.compare_scenarios(tables)
        _print_compare(table, currency.value, scale.value)
        if out is not None:
            _write(_concat(tables.values()), out)
        return
    table = finance.funding_table(scenario=scenario.value, **common)
    _print_funding(table)
    if out is not None:
        _write(table, out)
    if budget is not None:
        amount, unit = parse_money(budget)
        from isipo_geo.money import convert

        amount = convert(amount, frm=unit, to=(currency.value, scale.value))
        plan = finance.prioritise(
            table.to_dict(orient="records"),
            budget=amount,
            years=finance.parse_years(years) if years else (),
            rule=rule.value,
            priority=io.read_priority(priority) if priority is not None else (),
        )
        _print_plan(plan, amount, years, currency.value, scale.value)
        if budget_out is not None:
            import pandas as pd

            from isipo_geo.tables import write_table

            write_table(pd.DataFrame(plan), budget_out)
            typer.echo(f"wrote {budget_out}")
    elif years is not None or priority is not None:
        raise typer.BadParameter("--years and --priority only apply with --budget")


def _concat(tables):
    import pandas as pd

    return pd.concat(list(tables), ignore_index=True)


def _write(table, out: Path) -> None:
    """Write the long table (CSV/XLSX/JSON) or, for .gpkg, one polygon per province."""
    from isipo_geo.tables import output_format, write_table

    if output_format(out) == "gpkg":
        from isipo_geo.finance import province_wide
        from isipo_geo.provinces import load_provinces

        provinces = load_provinces()
        frame = provinces[["key", "name_fa", "name_en", "iso_3166_2"]].join(province_wide(table))
        write_table(
            frame.reset_index(drop=True), out, geometries=provinces.geometry.values, layer="funding"
        )
    else:
        write_table(table, out)
    typer.echo(f"wrote {out}")


def _print_funding(table) -> None:
    from isipo_geo._console import print_table

    nation = table[table["scope"] == "nation"]
    provinces = table[(table["scope"] == "province") & (table["utility"] == "total")]
    first = table.iloc[0]
    unit = f"{first['scale']} {first['currency']}"
    cols = ["utility", "deficit", "deficit_unit", "unit_cost", "need", "basis"]
    print_table(
        nation[cols],
        title=f"Nation / کشور — need in {unit}, scenario {first['scenario']}",
    )
    per = table[(table["scope"] == "province")].pivot_table(
        index=["province", "province_fa"], columns="utility", values="need", aggfunc="first"
    )
    per = per.reindex(provinces["province"], level=0)
    order = [u for u in ("water", "power", "gas", "telecom", "wastewater") if u in per.columns]
    per = per[order + [c for c in per.columns if c not in order and c != "total"] + ["total"]]
    per = per.reset_index()
    basis = provinces.set_index("province")["basis"]
    per["basis"] = per["province"].map(basis)
    print_table(per, title=f"Provinces / استان‌ها — need in {unit} (allocated = estimate / برآورد)")


def _print_compare(table, currency: str, scale: str) -> None:
    from isipo_geo._console import print_table

    print_table(table, title=f"Scenarios side by side — need in {scale} {currency}")


def _print_plan(plan, amount: Decimal, years, currency: str, scale: str) -> None:
    import pandas as pd

    from isipo_geo._console import print_table

    df = pd.DataFrame(plan)
    cols = [
        "rank",
        "province",
        "estate_id",
        "utility",
        "need",
        "funded",
        "gap_left",
        "status",
        "funded_in",
        "reason",
    ]
    per = f" a year over {years}" if years else ""
    print_table(df[cols], title=f"Budget {amount} {scale} {currency}{per}")
