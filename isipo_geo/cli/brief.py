"""``isipo-geo brief``: a Persian, right-to-left brief per province (HTML, and PDF with --pdf)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from isipo_geo.cli import app, handles_errors
from isipo_geo.cli._map_options import DIGITS, MAPS_DIR, DigitsOpt, OutDirOpt
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


class Rule(StrEnum):
    cheapest = "cheapest"
    largest = "largest"
    priority = "priority"
    score = "score"


@app.command()
@handles_errors
def brief(  # long: 26 options, each with its type, default and help
    target: Annotated[
        str,
        typer.Argument(
            help="A province (Persian or English name, or code), 'national', or 'all' "
            "(the national brief and the 31 province briefs).",
            show_default=False,
        ),
    ],
    scenario: ScenarioOpt = WhatData.scenario,
    allocate_by: AllocateOpt = WhatData.allocate_by,
    weights: WeightsOpt = WhatData.weights,
    registry: RegistryOpt = WhatData.registry,
    registry_only: RegistryOnlyOpt = WhatData.registry_only,
    registry_year: RegistryYearOpt = WhatData.registry_year,
    costs: CostsOpt = WhatData.costs,
    network: NetworkOpt = None,
    network_filter: NetworkFilterOpt = None,
    out_dir: OutDirOpt = MAPS_DIR,
    digits: DigitsOpt = DIGITS,
    pdf: Annotated[
        bool,
        typer.Option(
            "--pdf",
            help="Also print each brief to PDF (A4, selectable Persian text) with the headless "
            "Chromium or Chrome found on this PC (or $ISIPO_CHROMIUM).",
        ),
    ] = False,
    budget: Annotated[
        str | None,
        typer.Option(
            help="Add a budget plan: the budget with its currency, e.g. '5000 bn toman' "
            "(per year with --years).",
            show_default=False,
        ),
    ] = None,
    years: Annotated[
        str | None,
        typer.Option(help="Jalali fiscal years of the budget, e.g. 1403-1407.", show_default=False),
    ] = None,
    rule: Annotated[
        Rule | None,
        typer.Option(
            help="Funding order of the budget plan (as for `isipo-geo funding`).  "
            "[default: cheapest]"
        ),
    ] = None,
    priority: Annotated[
        Path | None,
        typer.Option(help="CSV with a province column (and optional utility) for --rule priority."),
    ] = None,
    criteria: CriteriaOpt = Priorities.criteria,
    ahp: AhpOpt = Priorities.ahp,
    method: MethodOpt = Priorities.method,
    optimise: OptimiseOpt = Priorities.optimise,
    limits: LimitsOpt = Priorities.limits,
    discount_rate: DiscountOpt = Priorities.discount_rate,
    simulate: SimulateOpt = Priorities.simulate,
    seed: SeedOpt = Priorities.seed,
    overwrite: OverwriteOpt = False,
) -> None:
    """Write maps/briefs/KEY.html: one self-contained page per province (and national.html)
    that a planner can hand in — the need per utility with its basis, the map, the report's
    own figures with their lines, the estates and what is unknown, charts, the budget plan
    (with --budget), sources. Opens offline; prints on A4.

    گزارش کوتاه فارسی هر استان برای تحویل: نیاز مالی، نقشه، ارقام گزارش، شهرک‌ها، نمودار.

    Examples: isipo-geo brief fars; isipo-geo brief all --pdf;
    isipo-geo brief "آذربایجان شرقی" --budget "5000 bn toman" --years 1403-1407
    """
    # in a build's folder, the build's data (its registry, scenario, year...)
    what = gather(WhatData, locals())
    priorities = gather(Priorities, locals())
    what = in_build_folder(what, out_dir, overwrite=overwrite, command="brief")
    from isipo_geo import run

    rule, discount = _checked_rule(
        budget=budget, rule=rule, years=years, priority=priority, priorities=priorities,
        simulate=simulate,
    )
    keys = _keys(target)
    amount, plan_years, priority_list = read_budget(budget, years, priority)
    executable = None
    if pdf:  # a missing browser is said before any work
        from isipo_geo.documents.pdf import require_chromium

        executable = require_chromium()
    if not network and not network_filter:  # in a build's folder: the build's networks
        network, network_filter = run.folder_networks(out_dir, overwrite=overwrite)
    networks = run.read_networks(network, network_filter, what.costs)
    data, rows, estates, plan = _brief_data(
        what, priorities, networks, digits.value, amount=amount, years=plan_years,
        rule=rule.value, priority=priority_list, optimise=optimise, discount=discount,
    )
    if target.strip().casefold() == "all":
        from isipo_geo.provinces import load_provinces

        keys += [str(k) for k in load_provinces().index]
    written, pdfs = _write_briefs(data, keys, out_dir, rows, estates, plan, executable)
    if len(written) == 1:
        for path in written + pdfs:
            typer.echo(f"wrote {path}")
    else:
        extra = f" and {len(pdfs)} PDFs" if pdfs else ""
        typer.echo(f"wrote {len(written)} briefs{extra} to {out_dir / 'briefs'}")
        typer.echo(f"open {written[0]}")


def _checked_rule(
    *, budget, rule, years, priority, priorities, simulate
) -> tuple[Rule, object]:
    """The budget plan's rule (cheapest when none is given) and the discount rate, once the
    budget's and the priorities' options are checked together."""
    chosen, discount = checked_rule(
        budget=budget, rule=rule, years=years, priority=priority, priorities=priorities
    )
    if simulate is not None and budget is None:
        from isipo_geo.errors import InputError

        raise InputError(message("brief_simulate_needs_budget"))
    return Rule(chosen), discount


def _keys(target: str) -> list[str | None]:
    """The brief's first key: ``None`` (the national brief) for 'all' and the nation's names,
    else the province ``target`` names (an unknown name is an error naming the close ones)."""
    from isipo_geo.names import resolve_province

    which = target.strip().casefold()
    if which == "all" or which in {"national", "nation", "iran", "کل کشور", "کشور"}:
        return [None]
    return [resolve_province(target)]


def _brief_data(
    what, priorities, networks, digits, *, amount, years, rule, priority, optimise, discount
):
    """The map data, funding rows, estates and budget plan (``None`` without --budget) the
    briefs show: the same registry overlay, map data and credits as `isipo-geo map`."""
    from isipo_geo import finance, run
    from isipo_geo.registry.estates import load_registry

    options = funding_options(what)
    rows, estates = run.read_funding(options)  # the registry read once: rows and estates
    drawn = None
    if networks is not None:  # each estate's connection: the maps and a section of the brief
        drawn = run.add_connections(rows, estates, networks)[1]
    scoring, factors, limits = read_priorities(priorities, rows, what)
    plan = None
    if amount is not None:
        plan = finance.budget_plan(
            rows, budget=amount, years=years, rule=rule, priority=priority,
            scoring=scoring, optimise=optimise, discount_rate_pct=discount,
            cost_factors=factors, limits=limits,
        )
    if estates is None:
        estates = load_registry(None)
    data = run.load_map_data(options, digits, rows=rows, estates=estates, networks=drawn)
    return data, rows, estates, plan


def _write_briefs(data, keys, out_dir, rows, estates, plan, executable):
    """Briefs (and PDFs, with a browser) made in a staging folder and moved into place
    together; returns the briefs' and the PDFs' paths in ``out_dir``."""
    from isipo_geo.documents.write import write_briefs
    from isipo_geo.io import staged_folder
    from isipo_geo.report import load_indicators

    with staged_folder(out_dir) as stage:
        written = write_briefs(
            data,
            keys,
            stage,
            rows=rows,
            indicators=load_indicators(),
            estates=estates,
            plan=plan,
            national_exists=(out_dir / "briefs" / "national.html").is_file(),
        )
        pdfs = []
        if executable is not None:
            from isipo_geo.documents.pdf import print_pdfs

            pdfs = print_pdfs([(p, p.with_suffix(".pdf")) for p in written], executable=executable)
    written = [out_dir / p.relative_to(stage) for p in written]
    pdfs = [out_dir / p.relative_to(stage) for p in pdfs]
    return written, pdfs
