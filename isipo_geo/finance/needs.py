"""Financing needs: deficits × unit costs, per estate, province and nation.

Every amount is a :class:`decimal.Decimal`; province rows add up exactly to the nation row. The
deficits and their ``basis`` come from :mod:`isipo_geo.finance.deficits`.

The only I/O here is :func:`funding_rows` / :func:`funding_table`, a convenience that loads the
shipped data and calls the pure functions; everything else takes its inputs as arguments.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from operator import attrgetter
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
)
from isipo_geo.finance.money import CURRENCY_LABELS, check_unit, convert, normalize_decimal
from isipo_geo.finance.registry_figures import RegistryFigures, registry_figures
from isipo_geo.finance.rows import OUTPUT_COLUMNS, Costing, FundingRow, _TotalRow, costed_row
from isipo_geo.labels import REPORT_BASES, basis_parts, combine_bases, join_years
from isipo_geo.utilities import UTILITIES, UTILITY_KEYS, deficit_column_warnings

if TYPE_CHECKING:
    import pandas as pd

_CTX = decimal.Context(prec=60)


# --- costing ------------------------------------------------------------------------------------


def escalation_factor(pct_per_year: Decimal, years: int) -> Decimal:
    """Return the cost escalation factor ``(1 + pct/100) ** years``, exact.

    Parameters
    ----------
    pct_per_year : Decimal
        Escalation in percent a year (``10`` for 10%).
    years : int
        Number of years, not negative.

    Returns
    -------
    Decimal
        The factor a unit cost is multiplied by (``1`` for 0 years).

    Raises
    ------
    InputError
        ``years`` is negative, or either value is outside the ranges of
        :mod:`isipo_geo.numbers`.

    Examples
    --------
    >>> escalation_factor(Decimal(10), 2)
    Decimal('1.21')
    """
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
) -> list[FundingRow]:
    """Cost every deficit row: need = deficit × unit cost (× escalation), in (currency, scale).

    A utility with no unit cost (or no cost for the chosen case) gets an empty ``unit_cost``
    and ``need`` and the note ``no cost basis`` — never zero.

    What is the same for every row of a utility (its unit cost, unit, the cost's source and
    notes) is worked out once and shared, as are the needs of equal deficits.

    Parameters
    ----------
    deficits : iterable of Deficit
        The deficits to cost (:func:`combine_deficits`).
    costs : mapping of str to UnitCost
        Unit costs by utility (:func:`isipo_geo.finance.costs.load_costs`).
    scenario : str
        The scenario's name, written into every row.
    currency : {'toman', 'rial'}
        Currency of the needs (one toman is ten rial).
    scale : {'billion', 'million', 'one'}
        Scale of the needs: ``billion`` gives ``need`` in bn toman (or bn rial).
    case : {'central', 'low', 'high'}
        Which unit cost of the costs file to use.
    escalation_pct : Decimal
        Unit cost escalation in percent a year.
    escalation_years : int
        Years of escalation (0: none).
    province_names : mapping of str to str, optional
        Persian name by province key, for ``province_fa``.

    Returns
    -------
    list of FundingRow
        One row per deficit, in the order given: read-only mappings with the keys and units
        of :func:`funding_rows`' rows (:data:`OUTPUT_COLUMNS`; no ``total`` rows), each
        referring to the strings and figures its deficit and its utility's costing share.

    Raises
    ------
    InputError
        An unknown currency or scale, or an escalation out of range.

    Examples
    --------
    >>> from isipo_geo import load_indicators
    >>> from isipo_geo.finance import national_deficits
    >>> from isipo_geo.finance.costs import load_costs
    >>> rows = cost_deficits(national_deficits(load_indicators(), "essential"), load_costs(),
    ...                      scenario="essential")
    >>> [(str(r["deficit"]), str(r["unit_cost"]), r["unit_cost_unit"], str(r["need"]))
    ...  for r in rows]
    [('2300', '2.5', 'bn toman per L/s', '5750'), ('2372', '3', 'bn toman per MW', '7116')]
    """
    check_unit(currency, scale)
    factor = escalation_factor(escalation_pct, escalation_years)
    _, cur_en = CURRENCY_LABELS[(currency, scale)]
    names = province_names or {}
    per_utility: dict[tuple[str, str], tuple] = {}
    needs: dict[tuple[int, int], tuple] = {}
    notes: dict[tuple[str, str, str], str] = {}
    out = []
    append = out.append
    for d in deficits:
        costing = per_utility.get((d.utility, d.deficit_unit))
        if costing is None:
            costing = per_utility[(d.utility, d.deficit_unit)] = _utility_costing(
                d, costs.get(d.utility), scenario=scenario, case=case, factor=factor,
                currency=currency, scale=scale, cur_en=cur_en, escalation_pct=escalation_pct,
                escalation_years=escalation_years,
            )
        shared, extra = costing
        unit_cost = shared.unit_cost
        need = None
        if unit_cost is not None:
            hit = needs.get((id(d.deficit), id(unit_cost)))
            if hit is None:  # the entry keeps the deficit alive, so its id stays its own
                product = normalize_decimal(_CTX.multiply(d.deficit, unit_cost))
                hit = needs[(id(d.deficit), id(unit_cost))] = (d.deficit, product)
            need = hit[1]
        note = notes.get((d.note, d.utility, d.deficit_unit))
        if note is None:
            note = notes[(d.note, d.utility, d.deficit_unit)] = "; ".join(
                n for n in (d.note, *extra) if n
            )
        append(
            costed_row(
                shared, d.scope, d.province, names.get(d.province, ""), d.estate_id, d.name_fa,
                d.utility, d.deficit, d.deficit_unit, need, d.basis, d.year, d.source, note,
            )
        )
    return out


def _utility_costing(
    d: Deficit,
    cost: UnitCost | None,
    *,
    scenario: str,
    case: str,
    factor: Decimal,
    currency: str,
    scale: str,
    cur_en: str,
    escalation_pct: Decimal,
    escalation_years: int,
) -> tuple[Costing, tuple[str, ...]]:
    """What every row of one utility (and deficit unit) shares (:class:`Costing`: its unit
    cost in (currency, scale) and that cost's unit, what its source gains, ``"; unit cost <the
    cost's source>"`` or ``""`` without a cost), and the notes after the row's own."""
    unit_cost_unit = f"{cur_en} per {DEFICIT_UNITS[d.deficit_unit]}"
    if cost is None or cost.value(case) is None:
        why = "no cost basis" if cost is None else f"no cost basis: no {case} unit cost given"
        return Costing(scenario, None, unit_cost_unit, currency, scale, case, ""), (why,)
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
    extra = ()
    if escalation_years:
        extra = (f"unit cost escalated {escalation_pct}% a year for {escalation_years} years",)
    cited = f"; unit cost {cost.source}"
    return Costing(scenario, unit_cost, unit_cost_unit, currency, scale, case, cited), extra


def add_totals(rows: Sequence[Mapping]) -> list[Mapping]:
    """Append a ``total`` utility row per province and for the nation.

    The total sums the needs of the utilities with a cost basis; those without one are named in
    its note (``no cost basis for ...``). Estate rows get no total.

    Parameters
    ----------
    rows : sequence of mapping
        Costed rows (:func:`cost_deficits`; dicts of the same keys do as well).

    Returns
    -------
    list of mapping
        ``rows`` followed by one ``utility == 'total'`` row (a
        :class:`~isipo_geo.finance.rows.FundingRow`) per scope × province × scenario; its
        ``need`` is in the rows' currency and scale (``None`` when nothing is costed).

    Examples
    --------
    >>> rows = [r for r in funding_rows(totals=False) if r["scope"] == "nation"]
    >>> [(r["utility"], str(r["need"])) for r in add_totals(rows)]
    [('water', '5750'), ('power', '7116'), ('total', '12866')]
    """
    out = list(rows)
    groups: dict[tuple[str, str, str], list[Mapping]] = {}
    for r in rows:
        if r["scope"] != "estate":
            groups.setdefault((r["scope"], r["province"], r["scenario"]), []).append(r)
    for members in groups.values():
        costed = [r for r in members if r["need"] is not None]
        uncosted = [r["utility"] for r in members if r["need"] is None]
        base = members[0]
        out.append(
            _TotalRow(
                base["scope"], base["province"], base["province_fa"], "", "", "total",
                base["scenario"], None, "", None, "",
                sum((r["need"] for r in costed), Decimal(0)) if costed else None,
                base["currency"], base["scale"],
                combine_bases({r["basis"] for r in costed}),
                join_years({r["year"] for r in costed}),
                base["cost_case"],
                "sum of " + ", ".join(r["utility"] for r in costed),
                ("no cost basis for " + ", ".join(uncosted)) if uncosted else "",
            )
        )
    return out


# --- the whole computation on the shipped data (a convenience that reads files) ----------------


def funding_rows(
    *,
    scenario: str = "essential",
    allocate_by: str = "equal",
    registry: pd.DataFrame | str | RegistryFigures | None = None,
    costs: Mapping[str, UnitCost] | str | None = None,
    currency: str = "toman",
    scale: str = "billion",
    case: str = "central",
    escalation_pct: Decimal = Decimal(0),
    escalation_years: int = 0,
    weights: Mapping[str, Decimal] | None = None,
    totals: bool = True,
    registry_only: bool = False,
    registry_year: str = "",
    warn: Callable[[str], None] | None = None,
) -> list[FundingRow]:
    """Financing needs as a long, tidy list of rows (one per scope × province × utility).

    Loads the report indicators, the province table and the unit costs (the shipped ones unless
    given), combines the report's national deficits with a registry's per-estate deficits, and
    costs them. See :data:`OUTPUT_COLUMNS` for the columns.

    Parameters
    ----------
    scenario : {'essential', 'whole', 'registry'}
        ``essential`` (2,300 L/s and 2,372 MW, reported), ``whole`` (derived from the costs the
        report puts on the whole deficit) or ``registry`` (only the registry's deficits).
    allocate_by : {'equal', 'area', 'reactivation_plan', 'weights'}
        How a national deficit is shared among provinces that have no figure of their own:
        ``equal``, ``area``, ``reactivation_plan`` or ``weights`` (with ``weights``).
    registry : DataFrame, str, RegistryFigures or None
        A registry DataFrame (isipo_geo.registry.schema columns) or the path of a registry CSV; its
        per-estate deficits win over allocation. None uses the shipped registry. A registry
        replaces the shipped rows of the provinces it covers and keeps the others
        (:func:`isipo_geo.registry.estates.overlay_records`). A registry already read
        (:func:`isipo_geo.finance.read_registry_once`, with ``registry_only`` and
        ``registry_year`` applied then) is used as it is.
    costs : mapping of str to UnitCost, str or None
        Unit costs by utility, or the path of a costs TOML file; None: the shipped
        ``data/costs/unit_costs.toml`` (the report's unit costs).
    currency : {'toman', 'rial'}
        Currency of ``need`` (one toman is ten rial).
    scale : {'billion', 'million', 'one'}
        Scale of ``need``: the default gives bn toman.
    case : {'central', 'low', 'high'}
        Which unit cost of the costs file to use.
    escalation_pct : Decimal
        Unit cost escalation in percent a year.
    escalation_years : int
        Years of escalation (0: none).
    weights : mapping of str to Decimal, optional
        A weight per province key, for ``allocate_by='weights'``
        (:func:`isipo_geo.finance.read_weights`).
    totals : bool
        Append a ``total`` row per province and for the nation (:func:`add_totals`).
    registry_only : bool
        Use the registry alone, without the shipped rows of the provinces it does not cover.
    registry_year : str
        The registry's Jalali year, for rows without a ``year`` cell (``""``: unknown; never
        assumed to be the report's).
    warn : callable, optional
        Called with each warning (a registry's ``*_deficit_*`` column of a utility
        ``data/utilities/utilities.csv`` does not list, or of one without a unit cost:
        :func:`isipo_geo.utilities.deficit_column_warnings`); None: not told.

    Returns
    -------
    list of FundingRow
        One row per scope × province (× estate) × utility: a read-only mapping
        (:class:`~isipo_geo.finance.rows.FundingRow`, read as a dict is; ``row | {...}`` gives a
        new dict), keys as :data:`OUTPUT_COLUMNS`:
        ``scope`` (``nation``, ``province`` or ``estate``), ``province`` (key, ``''`` for the
        nation), ``province_fa``, ``estate_id``, ``estate_name_fa``, ``utility`` (``water``,
        ``power``, ..., ``total``), ``scenario``, ``deficit`` (Decimal, in ``deficit_unit``:
        ``lps`` litres per second, ``mw`` megawatts, ``km``, ``m3_per_day``, ``count``),
        ``unit_cost`` (Decimal, in ``unit_cost_unit``, e.g. ``'bn toman per L/s'``), ``need``
        (Decimal, in ``currency`` × ``scale``: ``toman`` or ``rial`` × ``billion``,
        ``million`` or ``one``; ``None`` where no unit cost exists, never 0), ``basis``
        (``reported``, ``derived``, ``allocated:<key>``, ``registry``), ``year`` (Jalali, ``''``
        when unknown), ``cost_case``, ``source`` (report lines ``seed:L<n>`` or the registry's
        file and row) and ``note``.
        Sorted nation, provinces (in the shipped order), estates; utilities in the order of
        ``data/utilities/utilities.csv``, ``total`` last.

    Raises
    ------
    InputError
        An unknown scenario, currency or scale; a costs file without a utility the scenario
        has a deficit for; a registry file that cannot be read, or one with no deficits for
        the ``registry`` scenario; weights that do not fit the provinces.

    Examples
    --------
    >>> nation = {r["utility"]: r for r in funding_rows() if r["scope"] == "nation"}
    >>> [str(nation[u]["need"]) for u in ("water", "power", "total")]
    ['5750', '7116', '12866']
    """
    from isipo_geo.provinces import province_records
    from isipo_geo.report import indicator_records

    costs = _checked_costs(scenario, currency, scale, costs)
    indicators = indicator_records()
    provinces = province_records()
    keys = [p["key"] for p in provinces]
    national = national_deficits(indicators, scenario)
    with _no_collector_passes():
        estates = _estate_deficits(registry, keys, national, costs, registry_only=registry_only,
                                   registry_year=registry_year, warn=warn)
        w = province_weights(
            allocate_by, provinces=provinces, indicators=indicators, weights=weights
        )
        deficits = combine_deficits(national, estates, weights=w, allocate_by=allocate_by)
        del estates  # the deficits are dropped once costed (below)
        rows = cost_deficits(
            deficits, costs, scenario=scenario, currency=currency, scale=scale, case=case,
            escalation_pct=escalation_pct, escalation_years=escalation_years,
            province_names={p["key"]: p["name_fa"] for p in provinces},
        )
        del deficits  # the rows hold what they need of them
        if totals:
            rows = add_totals(rows)
        _sort_rows(rows, keys)
    return rows


def _checked_costs(
    scenario: str, currency: str, scale: str, costs: Mapping[str, UnitCost] | str | None
) -> Mapping[str, UnitCost]:
    """The scenario and money checked, and the unit costs (the shipped ones unless given), with
    a table for every utility the scenario has a reported deficit of."""
    from isipo_geo.finance.costs import load_costs

    if scenario not in SCENARIOS:
        raise InputError(f"unknown scenario {scenario!r}; use one of {', '.join(SCENARIOS)}")
    check_unit(currency, scale)
    if not isinstance(costs, Mapping):
        costs = load_costs(costs)
    missing = [u.key for u in UTILITIES if u.reported and u.key not in costs
               and scenario != "registry"]
    if missing:
        raise InputError(
            f"the costs file has no [{missing[0]}] table, but the {scenario} scenario has a "
            f"{missing[0]} deficit; add [{missing[0]}] with deficit_unit and unit_cost"
        )
    return costs


def _estate_deficits(registry, keys, national, costs, *, registry_only, registry_year, warn):
    """The registry's per-estate deficits (its other figures dropped at once), each warning
    about its deficit columns told to ``warn``; an error when neither the report nor the
    registry gives a deficit."""
    figures = registry_figures(
        registry, keys, registry_only=registry_only, registry_year=registry_year
    )
    estates, source, filled = figures.deficits, figures.name, figures.deficit_columns
    del figures
    if warn is not None:
        for warning in deficit_column_warnings(
            filled, lambda _: True, costed=costs, source=source
        ):
            warn(warning)
    if not national and not estates:
        raise InputError(
            f"the registry {source} gives no deficits (columns "
            f"{', '.join(REGISTRY_DEFICITS)}, or demand and supplied), so the registry "
            "scenario has nothing to cost; "
            "use --scenario essential or whole, or import a registry with deficit columns"
        )
    return estates


def _sort_rows(rows: list[FundingRow], keys: list[str]) -> None:
    """Sort the rows in place: nation, provinces (official order), estates (by id); utilities
    in the table's order, then the total.

    One stable sort per part of the order, the last part first, gives the order of one sort by
    the tuple of the parts; each part's key is a small int or a string the row already holds,
    where the tuples were 151,800 new objects (12 MB) at 84,400 estates."""
    scope_order = {"nation": 0, "province": 1, "estate": 2}
    utility_order = {u: i for i, u in enumerate(UTILITY_KEYS)}
    province_order = {k: i for i, k in enumerate(keys)}
    rows.sort(key=attrgetter("utility"))  # a row's attributes: no Python call a key
    rows.sort(key=lambda r: utility_order.get(r.utility, 99 if r.utility == "total" else 50))
    rows.sort(key=attrgetter("estate_id"))
    rows.sort(key=lambda r: province_order.get(r.province, -1))
    rows.sort(key=lambda r: scope_order[r.scope])

@contextmanager
def _no_collector_passes() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while funding builds its rows: at 84,400 estates
    300,000 acyclic objects (deficits, row dicts) set off passes over the whole heap that free
    nothing and took a fifth of the time. Reference counting still frees everything; the
    collector is back (if it was on) however the block ends."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def data_sources(rows: Iterable[dict]) -> list[tuple[str, str, str]]:
    """Return the sources a funding table's figures come from, for legends, titles and credits.

    Parameters
    ----------
    rows : iterable of dict
        Funding rows (:func:`funding_rows`).

    Returns
    -------
    list of tuple of (str, str, str)
        ``("report", "", "1400")`` when any figure is the report's (reported, derived or
        allocated from it), then ``("registry", <file name>, <year or "">)`` per registry file.

    Examples
    --------
    >>> data_sources([{"basis": "allocated:equal", "year": "1400", "source": "seed:L1"},
    ...               {"basis": "registry", "year": "", "source": "r.csv: row 2, id a",
    ...                "scope": "estate"}])
    [('report', '', '1400'), ('registry', 'r.csv', '')]
    """
    report: set[str] = set()
    registries: dict[str, set[str]] = {}
    for r in rows:
        if r.get("scope") == "nation" or r.get("utility") == "total":
            continue
        for part in basis_parts(str(r.get("basis") or "")):
            if part in REPORT_BASES or part.startswith("allocated:"):
                report.add(str(r.get("year") or ""))
            elif part == "registry" and r.get("scope") == "estate":
                name = str(r.get("source") or "").split(": row ")[0]
                registries.setdefault(name, set()).add(str(r.get("year") or ""))
    out = [("report", "", join_years(report))] if report else []
    out += [("registry", n, join_years(y)) for n, y in sorted(registries.items())]
    return out


def funding_table(**options: object) -> pd.DataFrame:
    """Return :func:`funding_rows` as a DataFrame with the columns of :data:`OUTPUT_COLUMNS`.

    Parameters
    ----------
    **options
        The keyword arguments of :func:`funding_rows` (``scenario``, ``allocate_by``,
        ``registry``, ``costs``, ``currency``, ``scale``, ...).

    Returns
    -------
    pandas.DataFrame
        One row per funding row, columns :data:`OUTPUT_COLUMNS` (see :func:`funding_rows`):
        ``deficit`` in ``deficit_unit`` (``lps``, ``mw``, ...), ``need`` a Decimal in
        ``currency`` × ``scale`` (bn toman by default), empty where no unit cost exists.

    Raises
    ------
    InputError
        As :func:`funding_rows`.

    Examples
    --------
    >>> t = funding_table(scenario="whole")
    >>> t[t.scope == "nation"].set_index("utility").loc["total", "need"]
    Decimal('59467')
    """
    import pandas as pd

    return pd.DataFrame(funding_rows(**options), columns=OUTPUT_COLUMNS)


def compare_scenarios(tables: Mapping[str, Sequence[dict]]) -> list[dict]:
    """Set the nation and province needs of several scenarios side by side.

    Parameters
    ----------
    tables : mapping of str to sequence of dict
        Funding rows (:func:`funding_rows`) by scenario name, all in one currency and scale.

    Returns
    -------
    list of dict
        One row per scope × province × utility (estate rows left out): ``scope``,
        ``province``, ``province_fa``, ``utility``, then per scenario a column named after it
        with its ``need`` (``None`` where the scenario has no row) and ``basis_<scenario>``.

    Examples
    --------
    >>> both = compare_scenarios({"essential": funding_rows(scenario="essential"),
    ...                           "whole": funding_rows(scenario="whole")})
    >>> [(r["utility"], str(r["essential"]), str(r["whole"])) for r in both
    ...  if r["scope"] == "nation"]
    [('water', '5750', '34465'), ('power', '7116', '25002'), ('total', '12866', '59467')]
    """
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
    """Pivot the province rows to one row per province (for GeoPackage layers and maps).

    Parameters
    ----------
    table : pandas.DataFrame
        A funding table (:func:`funding_table`), one or several scenarios.

    Returns
    -------
    pandas.DataFrame
        Indexed by province key: ``need_<utility>_<scenario>`` (in the table's currency and
        scale), ``deficit_<utility>_<unit>_<scenario>`` (e.g. ``deficit_water_lps_essential``,
        in litres per second), ``basis_``, ``source_``, ``note_`` and
        ``year_<utility>_<scenario>`` (the data's Jalali year, empty when unknown) columns,
        plus ``currency`` and ``scale``.

    Examples
    --------
    >>> wide = province_wide(funding_table())
    >>> len(wide), str(wide.loc["qom", "deficit_water_lps_essential"])
    (31, '74.193548')
    """
    prov = table[table["scope"] == "province"]
    need = prov.pivot_table(
        index="province", columns=["scenario", "utility"], values="need", aggfunc="first"
    )
    need.columns = [f"need_{u}_{s}" for s, u in need.columns]
    parts = [need]
    costed = prov[prov["deficit_unit"].fillna("") != ""]
    if len(costed):
        deficit = costed.pivot_table(
            index="province",
            columns=["scenario", "utility", "deficit_unit"],
            values="deficit",
            aggfunc="first",
        )
        deficit.columns = [f"deficit_{u}_{unit}_{s}" for s, u, unit in deficit.columns]
        parts.append(deficit)
    for column in ("basis", "source", "note"):
        text = prov.assign(**{column: prov[column].fillna("")}).pivot_table(
            index="province", columns=["scenario", "utility"], values=column, aggfunc="first"
        )
        text.columns = [f"{column}_{u}_{s}" for s, u in text.columns]
        parts.append(text)
    wide = parts[0].join(parts[1:])
    if "year" in prov.columns:
        year = prov.pivot_table(
            index="province", columns=["scenario", "utility"], values="year", aggfunc="first"
        )
        year.columns = [f"year_{u}_{s}" for s, u in year.columns]
        wide = wide.join(year)
    wide["currency"] = prov["currency"].iloc[0]
    wide["scale"] = prov["scale"].iloc[0]
    return wide
