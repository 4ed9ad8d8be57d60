"""Options shared by several commands, defined once (as rasterio's ``rio/options.py`` does).

Each ``...Opt`` is an option's type with its help; typer needs the parameters spelled out in each
command's signature, so a command writes ``scenario: ScenarioOpt = WhatData.scenario`` and the
default comes from here too. The "what data" options (scenario, allocate-by, weights, registry,
registry-only, registry-year, costs) travel on together as one :class:`WhatData`, gathered from
the command's parameters by :func:`gather`. The maps'
own options (digits, out-dir, layer, figures) are in ``_map_options.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from isipo_geo.messages import message

if TYPE_CHECKING:
    from decimal import Decimal


class Lang(StrEnum):
    both = "both"
    fa = "fa"
    en = "en"


LangOpt = Annotated[
    Lang,
    typer.Option(
        help="Language of the messages, reasons and flags printed: both (English, then "
        "Persian), fa (فارسی) or en. Files (the rejects) always carry both.",
    ),
]


class Scenario(StrEnum):
    essential = "essential"
    whole = "whole"
    registry = "registry"


ScenarioOpt = Annotated[
    Scenario,
    typer.Option(
        help="essential: 2,300 L/s + 2,372 MW (reported); whole: the deficits the report costs "
        "at 34,465 and 25,002 bn toman; registry: a registry's deficits only."
    ),
]
AllocateOpt = Annotated[
    str,
    typer.Option(
        help="Share national deficits among provinces by: equal, area, reactivation_plan (the "
        "report's 1400 plan per province) or weights (with --weights FILE). Allocated figures "
        "are estimates and say so in tables and on maps."
    ),
]
WeightsOpt = Annotated[
    Path | None,
    typer.Option(help="CSV with columns province, weight (implies --allocate-by weights)."),
]
def store_location(text: str) -> Path | str:
    """A registry or store given on the command line: a path, or a ``postgresql://`` URL kept
    as text (a path would fold its ``//``)."""
    from isipo_geo.registry.backend import as_location

    return as_location(text)


_REGISTRY_IS = (
    "Estate registry CSV (from `isipo-geo import`), a registry store (.gpkg) or a registry "
    "server (postgresql://USER@HOST/DB; its password from PGPASSWORD or ~/.pgpass); default: "
    "the environment variable ISIPO_GEO_STORE when set."
)


def registry_option(what_it_does: str, *names: str) -> Any:
    """The one REGISTRY option (``--registry``: a CSV, a .gpkg store or a server URL, or
    ``ISIPO_GEO_STORE``), with a command's own sentence on what it does with it (``names``: its
    spellings, when it has a short one too)."""
    return typer.Option(*names, help=f"{_REGISTRY_IS} {what_it_does}", parser=store_location,
                        envvar="ISIPO_GEO_STORE", show_envvar=False, metavar="REGISTRY")


RegistryOpt = Annotated[
    Path | None,
    registry_option(
        "It replaces the shipped estates of "
        "the provinces it covers and keeps the others; its per-estate deficits (or demand − "
        "supplied) win over allocation, and the national figure less them is shared among the "
        "other provinces."
    ),
]
RegistryOnlyOpt = Annotated[
    bool,
    typer.Option(
        "--registry-only",
        help="Use --registry alone: leave out the shipped estates of the provinces it does not "
        "cover (a clean slate).",
    ),
]
RegistryYearOpt = Annotated[
    str | None,
    typer.Option(
        "--registry-year",
        help="The Jalali year of --registry's figures, for rows without a year cell (default: "
        "the rows' year column; else unknown, never assumed to be the report's 1400).",
        show_default=False,
    ),
]
CostsOpt = Annotated[
    Path | None, typer.Option(help="Unit costs TOML (default: the 1400 report's values).")
]


@dataclass(frozen=True)
class WhatData:
    """The "what data" options as given on the command line, passed on together (``funding``,
    ``map``, ``brief``, ``build``); the field defaults are the commands' defaults. They are
    checked and read by :func:`funding_options`.

    >>> WhatData(registry=Path("r.csv")).scenario.value
    'essential'
    """

    scenario: Scenario = Scenario.essential
    allocate_by: str = "equal"
    weights: Path | None = None
    registry: Path | None = None
    registry_only: bool = False
    registry_year: str | None = None
    costs: Path | None = None


OverwriteOpt = Annotated[
    bool,
    typer.Option(
        "--overwrite",
        help="Write into a build's folder (one with the manifest.json `isipo-geo build` writes) "
        "with other data options, or changed input files, than the build's. Without it such a "
        "command stops and names the difference; given no data options it uses the build's.",
    ),
]


def in_build_folder(
    what: WhatData, folder: Path, *, overwrite: bool = False, command: str = "this command"
) -> WhatData:
    """The data options of a command writing into ``folder``: the build's when ``folder``
    holds a build's manifest and the command was given none (or the same); else ``what``
    (:func:`isipo_geo.run.folder_options` stops on a difference unless ``overwrite``)."""
    from dataclasses import asdict

    from isipo_geo.run import folder_options

    chosen = folder_options(folder, asdict(what), overwrite=overwrite, command=command)
    _warn_if_beside_a_build(folder)

    def path(value: object) -> Path | None:
        return None if value is None else Path(str(value))

    return WhatData(
        scenario=Scenario(chosen["scenario"]),
        allocate_by=str(chosen["allocate_by"]),
        weights=path(chosen["weights"]),
        registry=None if chosen["registry"] is None else store_location(  # a URL stays text
            str(chosen["registry"])),
        registry_only=bool(chosen["registry_only"]),
        registry_year=chosen["registry_year"] or None,
        costs=path(chosen["costs"]),
    )


def _warn_if_beside_a_build(folder: Path) -> None:
    """Say so when the current folder holds a build's manifest but ``folder`` (where the command
    writes, e.g. the default ``maps`` below it) holds none: the figures are then not the
    build's, which a planner who ran `cd` into the build's folder would expect."""
    from isipo_geo.cli._console import say
    from isipo_geo.run import MANIFEST

    here = Path.cwd()
    if (here / MANIFEST).is_file() and not (folder / MANIFEST).is_file() and (
        folder.resolve() != here.resolve()
    ):
        say("beside_a_build", "both", err=True, folder=str(folder))


T = TypeVar("T")


def gather(options: type[T], params: Mapping[str, Any]) -> T:
    """One group of options (a dataclass such as :class:`WhatData`) picked by name from a
    command's parameters: ``what = gather(WhatData, locals())`` first thing in the command, so
    an option added to the group is passed on by every command that has its parameter (and a
    command that lacks it fails its tests with a KeyError naming it).

    >>> gather(WhatData, {"scenario": Scenario.whole, "allocate_by": "area", "weights": None,
    ...     "registry": None, "registry_only": False, "registry_year": None, "costs": None,
    ...     "digits": "fa"}).allocate_by
    'area'
    """
    return options(**{f.name: params[f.name] for f in fields(options)})  # type: ignore[arg-type]


def funding_options(what: WhatData, **more: Any) -> dict[str, Any]:
    """Keyword arguments for :func:`isipo_geo.finance.funding_rows` from the shared options
    (``more`` adds others), with a ``warn`` that prints its warnings; a weights file implies
    ``--allocate-by weights`` (with another key it would be ignored: an error), and provinces
    the file leaves out are named in a warning (they get no share)."""
    from isipo_geo.errors import InputError
    from isipo_geo.finance.inputs import read_weights
    from isipo_geo.messages import message
    from isipo_geo.run import data_warnings

    scenario, allocate_by, weights = what.scenario, what.allocate_by, what.weights
    registry, registry_only, registry_year = what.registry, what.registry_only, what.registry_year
    costs = what.costs
    if weights is not None and allocate_by not in ("equal", "weights"):
        raise InputError(message("weights_with_other_key", allocate_by=allocate_by))
    weight_map: dict[str, Decimal] | None = read_weights(weights) if weights is not None else None
    if weights is not None and allocate_by == "equal":
        allocate_by = "weights"
    for warning in data_warnings({"weights": weight_map}, weights_file=weights):
        typer.echo(f"warning: {warning}", err=True)
    if registry is None and (registry_only or registry_year):
        raise InputError(message(
            "needs_registry", option="--registry-only" if registry_only else "--registry-year"))
    year = ""
    if registry_year:
        from isipo_geo.names import normalize_fa

        year = normalize_fa(registry_year)
        if not (year.isdigit() and 1300 <= int(year) <= 1500):
            raise InputError(message("registry_year_bad", value=repr(registry_year)))
    return {
        "scenario": scenario.value,
        "allocate_by": allocate_by,
        "weights": weight_map,
        "registry": str(registry) if registry is not None else None,
        "costs": str(costs) if costs is not None else None,
        "registry_only": registry_only,
        "registry_year": year,
        "warn": _warn_once(),
        **more,
    }


def _warn_once():
    """A ``warn`` for :func:`isipo_geo.finance.funding_rows`: each warning printed once, as
    ``warning: ...`` on stderr (``--compare`` computes two scenarios from one registry)."""
    told: set[str] = set()

    def warn(text: str) -> None:
        if text not in told:
            told.add(text)
            typer.echo(f"warning: {text}", err=True)

    return warn


def check_budget_options(
    *,
    budget: str | None,
    rule: str | None,
    years: str | None = None,
    priority: Path | None = None,
    budget_out: Path | None = None,
    compare: bool = False,
) -> str:
    """The budget options checked together (``funding``, ``brief``): each only acts with
    ``--budget``, ``--priority`` only with ``--rule priority``, so none is ignored silently.
    Returns the rule to use (``cheapest`` when none is given)."""
    from isipo_geo.errors import InputError
    from isipo_geo.messages import message

    given = {"--years": years, "--priority": priority, "--budget-out": budget_out, "--rule": rule}
    if budget is None and any(v is not None for v in given.values()):
        named = ", ".join(k for k, v in given.items() if v is not None)
        raise InputError(message("budget_options_without_budget", named=named))
    if compare and budget is not None:
        raise InputError(message("compare_with_budget"))
    chosen = str(rule) if rule is not None else "cheapest"
    if priority is not None and chosen != "priority":
        raise InputError(message("priority_needs_rule", rule=chosen))
    return chosen


def read_budget(
    budget: str | None,
    years: str | None,
    priority: Path | None,
    *,
    currency: str = "toman",
    scale: str = "billion",
) -> tuple[Any, Any, Any]:
    """The budget options read and checked (after :func:`check_budget_options`): the amount in
    ``currency``/``scale`` (None without ``--budget``), the plan's years and the priority list."""
    from isipo_geo import finance
    from isipo_geo.finance.money import convert, parse_money

    amount = None
    if budget is not None:
        amount, unit = parse_money(budget)
        amount = convert(amount, frm=unit, to=(currency, scale))
    plan_years = finance.parse_years(years) if years is not None else ()
    priority_list = finance.read_priority(priority) if priority is not None else ()
    return amount, plan_years, priority_list


NetworkOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--network",
        help="A network layer a connection is costed to: UTILITY=FILE (GeoPackage, GeoJSON or "
        "Shapefile; points and/or lines; any CRS, read with its own). Repeatable, e.g. "
        "--network power=substations.gpkg --network gas=pipes.geojson. Each estate of the "
        "registry with a gap in that utility, or without it (has_gas = no), gets a connection "
        "row: geodesic distance to the nearest feature × detour_factor × cost_per_km + fixed, "
        "from the costs file's [UTILITY.connection] table; the maps draw the networks and each "
        "connection.",
    ),
]
NetworkFilterOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--network-filter",
        help="Keep only some features of a network: UTILITY:COLUMN>=VALUE (also >, <=, <, =), "
        "e.g. power:voltage_kv>=63.",
    ),
]


def network_files(specs: list[str] | None) -> dict[str, Path]:
    """The network files of ``--network`` options as the manifest records them
    (``network:power`` → path; several of one utility numbered)."""
    from isipo_geo.networks import parse_network_option

    out: dict[str, Path] = {}
    for spec in specs or []:
        utility, path = parse_network_option(spec)
        name, n = f"network:{utility}", 2
        while name in out:
            name, n = f"network:{utility}:{n}", n + 1
        out[name] = path
    return out
class Method(StrEnum):
    wsm = "wsm"
    topsis = "topsis"


CriteriaOpt = Annotated[
    Path | None,
    typer.Option(
        help="With --rule score: CSV with columns criterion, direction (benefit: more is "
        "better; cost: less is better) and weight. Criteria: jobs, units_operating, "
        "units_idle, occupancy_pct, investment_bn_toman, area_ha (registry columns), need, "
        "deficit, gap_share (deficit ÷ demand). An empty registry cell is unknown, never 0: "
        "that gap gets no score and the plan says why.",
        show_default=False,
    ),
]
AhpOpt = Annotated[
    Path | None,
    typer.Option(
        "--ahp",
        help="The criteria's weights from an AHP pairwise comparison matrix (CSV: the criteria "
        "as header and first column, in the criteria file's order; 3 = the row's criterion "
        "counts 3 times the column's, 1/3 the reverse). Refused when its consistency ratio is "
        "over 0.1.",
        show_default=False,
    ),
]
MethodOpt = Annotated[
    Method,
    typer.Option(
        help="How criteria make a score. wsm: weighted sum of criteria normalised min-max "
        "(0 = the worst gap, 1 = the best); topsis: closeness to the ideal gap."
    ),
]
OptimiseOpt = Annotated[
    bool,
    typer.Option(
        "--optimise",
        help="With --rule score: fund whole gaps, each year the set of the highest total score "
        "the year's money buys (an integer programme, HiGHS); the greedy plan's scores are "
        "shown beside.",
    ),
]
LimitsOpt = Annotated[
    Path | None,
    typer.Option(
        help="With --optimise: CSV with columns limit, name, amount — province_floor / "
        "province_ceiling (a province's money each year, in --currency/--scale) and "
        "utility_share (a utility's most, % of each year's money). The greedy totals shown "
        "beside ignore the limits.",
        show_default=False,
    ),
]
DiscountOpt = Annotated[
    str | None,
    typer.Option(
        help="Discount rate in % a year: each year's spending also in base-year money "
        "(present_value; the first fiscal year is the base).",
        show_default=False,
    ),
]
SimulateOpt = Annotated[
    int | None,
    typer.Option(
        help="Monte Carlo runs over the unit costs (triangular on unit_cost_low / unit_cost / "
        "unit_cost_high of --costs FILE): need_p10, need_p50, need_p90 per row and the "
        "plan's cost range.",
        show_default=False,
    ),
]
SeedOpt = Annotated[
    int | None,
    typer.Option(help="Seed of --simulate (same seed, same figures).  [default: 1]",
                 show_default=False),
]


@dataclass(frozen=True)
class Priorities:
    """The budget-priority options (``funding``, ``brief``)."""

    criteria: Path | None = None
    ahp: Path | None = None
    method: Method = Method.wsm
    optimise: bool = False
    limits: Path | None = None
    discount_rate: str | None = None
    simulate: int | None = None
    seed: int | None = None


def check_priorities(p: Priorities, *, rule: str, budget: str | None) -> Decimal | None:
    """The priority options checked together, so none is ignored silently; returns the
    discount rate (``None`` without one)."""
    from isipo_geo.errors import InputError
    from isipo_geo.numbers import parse_number

    if rule == "score" and p.criteria is None:
        raise InputError(message("score_needs_criteria"))
    if p.criteria is not None and rule != "score":
        raise InputError(message("criteria_needs_score", rule=rule))
    if p.ahp is not None and p.criteria is None:
        raise InputError(message("ahp_needs_criteria"))
    if p.method != Method.wsm and p.criteria is None:
        raise InputError(message("method_needs_criteria"))
    if p.optimise and rule != "score":
        raise InputError(message("optimise_needs_score", rule=rule))
    if p.limits is not None and not p.optimise:
        raise InputError(message("limits_need_optimise"))
    if p.discount_rate is not None and budget is None:
        raise InputError(message("discount_needs_budget"))
    if p.seed is not None and p.simulate is None:
        raise InputError(message("seed_needs_simulate"))
    if p.discount_rate is None:
        return None
    rate = parse_number(p.discount_rate, what="--discount-rate", quantity="escalation_pct")
    if rate < 0:
        raise InputError(message("discount_rate_range", discount_rate=p.discount_rate))
    return rate


def checked_rule(
    *, budget: str | None, rule: Any, years: str | None, priority: Path | None,
    priorities: Priorities, budget_out: Path | None = None, compare: bool = False,
) -> tuple[str, Decimal | None]:
    """The budget rule to use (``cheapest`` when none is given; ``rule`` a command's Rule
    choice or None) and the discount rate, the budget's and the priorities' options checked
    together (:func:`check_budget_options`, :func:`check_priorities`)."""
    chosen = check_budget_options(
        budget=budget,
        rule=rule.value if rule is not None else None,
        years=years,
        priority=priority,
        budget_out=budget_out,
        compare=compare,
    )
    return chosen, check_priorities(priorities, rule=chosen, budget=budget)


def read_priorities(p: Priorities, rows: list[dict], what: WhatData) -> tuple[Any, Any, Any]:
    """The scoring (with --criteria), the Monte Carlo draws (with --simulate) and the
    optimiser's limits (with --limits) for :func:`isipo_geo.finance.budget_plan`."""
    from isipo_geo.errors import InputError
    from isipo_geo.finance.inputs import cost_factors, read_scoring

    scoring = None
    if p.criteria is not None:
        scoring = read_scoring(
            rows, criteria=p.criteria, ahp=p.ahp, method=p.method.value,
            registry=what.registry, registry_only=what.registry_only,
        )
    factors = None
    if p.simulate is not None:
        factors = cost_factors(what.costs, runs=p.simulate, seed=1 if p.seed is None else p.seed)
        if not factors:
            raise InputError(
                message("simulate_needs_ranges")
            )
    limits = None
    if p.limits is not None:
        from isipo_geo.finance.inputs import read_limits

        limits = read_limits(p.limits)
    return scoring, factors, limits
