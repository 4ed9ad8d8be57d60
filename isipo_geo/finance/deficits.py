"""Deficits before costing: the report's national figures, a registry's per-estate figures,
and the allocation of a national figure among provinces (pure computation, exact decimals).

Every :class:`Deficit` carries a ``basis`` (worded by :func:`isipo_geo.labels.basis_labels`)
and the Jalali ``year`` its figure refers to (``""`` when unknown, never assumed):

- ``reported`` — the deficit is stated by the 1400 report;
- ``derived`` — computed from the report's figures (a cost divided by the unit cost, a sum);
- ``registry`` — from the user's registry: a row's deficit cell, demand − supplied when that cell
  is empty, or the sum of a province's rows;
- ``allocated:<key>`` — a national figure shared among provinces by weights (an estimate).
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import count
from typing import TYPE_CHECKING

from isipo_geo.errors import InputError
from isipo_geo.finance.money import normalize_decimal
from isipo_geo.labels import combine_bases, join_years
from isipo_geo.registry.derived import (
    BASIS_DERIVED,
    DERIVED_DEFICITS,
    blank_derived,
    derived_deficit,
)
from isipo_geo.utilities import UTILITIES

if TYPE_CHECKING:
    import pandas as pd

SCENARIOS = ("essential", "whole", "registry")
ALLOCATION_KEYS = ("equal", "area", "reactivation_plan", "weights")

# registry column -> (utility, deficit unit), for every utility of data/utilities/utilities.csv
REGISTRY_DEFICITS = {u.column("deficit"): (u.key, u.unit) for u in UTILITIES}
# utility -> (supplied column, demand column): deficit = demand − supplied when the cell is empty
REGISTRY_SUPPLY = {u.key: (u.column("supplied"), u.column("demand")) for u in UTILITIES}
NOTE_DEMAND_MINUS_SUPPLIED = "demand − supplied"
NOTE_SUPPLIED_COVERS = "supplied ≥ demand: no deficit"
FLAG_DISAGREE = "figures_disagree"  # a registry row whose deficit ≠ demand − supplied

# The report's national deficits. essential: stated in L/s and MW; whole: the report states only
# the cost of closing the whole deficit, so the deficit is that cost / the report's unit cost.
# The indicator ids are the utilities table's (water and power: the report has no other).
_ESSENTIAL = {u.key: u.essential_deficit for u in UTILITIES if u.essential_deficit}
_WHOLE_COST = {u.key: u.whole_cost for u in UTILITIES if u.whole_cost}
_REPORT_UNIT_COST = {u.key: u.report_unit_cost for u in UTILITIES if u.report_unit_cost}
_UNITS = {u.key: u.unit for u in UTILITIES}

_QUANTUM = Decimal("0.01")  # allocate_exact's default step (e.g. money in the budget plan)
# Provinces' shares of a national deficit are made in steps of 10⁻⁶ L/s or MW: far below what
# any output shows (0.1), so the step's remainders never show. In steps of 0.01 they did: equal
# shares of 2,372 MW were 76.51 and 76.52 MW, costed 229.53 and 229.56 bn toman, shown as 229.5
# and 229.6, and drawn in two classes (issue 21).
SHARE_QUANTUM = Decimal("0.000001")
_CTX = decimal.Context(prec=60)

@dataclass(frozen=True, slots=True)
class Deficit:
    """One deficit figure before costing (slots: a registry of 84,400 estates makes 150,000).

    Parameters
    ----------
    scope : {'nation', 'province', 'estate'}
        What the figure covers.
    province : str
        Province key, ``''`` for the nation.
    estate_id : str
        The estate's registry id (estate rows), else ``''``.
    utility : str
        Utility key (``water``, ``power``, ... of ``data/utilities/utilities.csv``).
    deficit : Decimal
        The deficit, in ``deficit_unit``.
    deficit_unit : str
        ``lps`` (litres per second), ``mw`` (megawatts), ``km``, ``m3_per_day`` or ``count``.
    basis : str
        ``reported``, ``derived``, ``allocated:<key>``, ``registry`` or ``mixed:...``.
    source : str
        Where the figure comes from: report lines (``seed:L1708``) or a registry's file and row.
    note : str
        How the figure was obtained, when not plain.
    year : str
        Jalali year of the figure; ``''`` when unknown.
    name_fa : str
        The estate's Persian name (estate rows).
    """

    scope: str  # nation / province / estate
    province: str  # province key, "" for the nation
    estate_id: str
    utility: str
    deficit: Decimal
    deficit_unit: str
    basis: str
    source: str
    note: str = ""
    year: str = ""  # Jalali year of the figure; "" = unknown
    name_fa: str = ""  # the estate's Persian name (estate rows)


# --- national deficits from the report ------------------------------------------------------


REPORT_YEAR = 1400
_REPORT_YEAR_TEXT = str(REPORT_YEAR)


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
    """Return the report's national deficits for a scenario.

    Water and power: the utilities whose report figures ``data/utilities/utilities.csv`` names.
    ``essential`` takes the mid-term essential deficits the report states (2,300 L/s, 2,372 MW);
    ``whole`` derives the whole deficit from the cost the report puts on it divided by the
    report's unit cost (34,465 / 2.5 = 13,786 L/s; 25,002 / 3 = 8,334 MW). ``registry`` has no
    national figure (deficits come only from a registry).

    Parameters
    ----------
    indicators : DataFrame or iterable of dict
        The report's indicators (:func:`isipo_geo.load_indicators`).
    scenario : {'essential', 'whole', 'registry'}
        Which deficits.

    Returns
    -------
    list of Deficit
        One ``scope='nation'`` deficit per utility, in L/s (``lps``) and MW (``mw``), with the
        report's lines as source and year 1400; empty for ``registry``.

    Raises
    ------
    InputError
        An unknown scenario, or indicators without exactly one national 1400 row of a figure.

    Examples
    --------
    >>> from isipo_geo import load_indicators
    >>> [(d.utility, str(d.deficit), d.deficit_unit)
    ...  for d in national_deficits(load_indicators(), "essential")]
    [('water', '2300', 'lps'), ('power', '2372', 'mw')]
    """
    if scenario not in SCENARIOS:
        raise InputError(f"unknown scenario {scenario!r}; use one of {', '.join(SCENARIOS)}")
    indicators = _records(indicators)
    out = []
    if scenario == "essential":
        for utility, name in _ESSENTIAL.items():
            value, source = _indicator(indicators, name)
            out.append(
                Deficit(
                    "nation", "", "", utility, value, _UNITS[utility], "reported", source,
                    year=_REPORT_YEAR_TEXT,
                )
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
                    year=_REPORT_YEAR_TEXT,
                )
            )
    return out


# --- allocation ---------------------------------------------------------------------------------


def allocate_exact(
    total: Decimal, weights: Mapping[str, Decimal], *, quantum: Decimal = _QUANTUM
) -> dict[str, Decimal]:
    """Share ``total`` among keys in proportion to ``weights``, adding up to ``total`` exactly.

    Shares are in steps of ``quantum`` (largest-remainder method; ties by key order); a total
    with finer digits than ``quantum`` is shared in steps of its own last digit.

    Parameters
    ----------
    total : Decimal
        The amount to share (a deficit in its unit, or a need in bn toman).
    weights : mapping of str to Decimal
        A non-negative weight per key, at least one positive.
    quantum : Decimal
        The step of the shares.

    Returns
    -------
    dict of str to Decimal
        A share per key, in the order of ``weights``; the shares add up to ``total``.

    Raises
    ------
    InputError
        A negative weight, weights adding up to zero, or a total that is not a whole number
        of steps.

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
    position = {k: i for i, k in enumerate(weights)}
    order = sorted(exact, key=lambda k: (-(exact[k] - floors[k]), position[k]))
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
    """Return the weight of each province for an allocation key, in the provinces' order.

    ``equal`` gives each of the 31 provinces one share; ``area`` uses the province polygon
    areas (``area_km2``); ``reactivation_plan`` uses the report's per-province plan for
    re-activating stalled units in 1400 (``reactivation_total_plan``); ``weights`` uses the
    mapping passed in (a user's CSV, see :func:`isipo_geo.finance.inputs.read_weights`).

    Parameters
    ----------
    key : {'equal', 'area', 'reactivation_plan', 'weights'}
        The allocation key.
    provinces : DataFrame or iterable of dict
        The provinces, with ``key`` and ``area_km2`` (:func:`isipo_geo.load_provinces`).
    indicators : DataFrame or iterable of dict, optional
        The report's indicators, for ``reactivation_plan``.
    weights : mapping of str to Decimal, optional
        A weight per province key, for ``weights`` (missing provinces weigh 0).

    Returns
    -------
    dict of str to Decimal
        A weight per province key (``area``: square kilometres).

    Raises
    ------
    InputError
        An unknown key, or the key's data missing (no indicators, no weights, a province
        without a re-activation plan).

    Examples
    --------
    >>> from isipo_geo import load_provinces
    >>> w = province_weights("area", provinces=load_provinces())
    >>> len(w), w["kerman"] > w["tehran"]
    (31, True)
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
    year: str = "",
) -> list[Deficit]:
    """Return the per-estate deficits of a registry (columns of :mod:`isipo_geo.registry.schema`).

    For each utility (``data/utilities/utilities.csv``): the deficit cell when given; else,
    when both are given, demand − supplied (note ``demand − supplied``; ``0`` with the note
    ``supplied ≥ demand: no deficit`` when the supply covers the demand); else nothing — an
    empty cell is unknown, never a zero. A row whose deficit cell disagrees with its demand −
    supplied keeps the deficit cell and says so in its note (``figures_disagree``). Every row
    has basis ``registry``.

    Only the columns funding uses are checked here (``id``, ``province``, the utilities'
    columns, ``year``); row numbers in messages count the header as row 1, as a spreadsheet
    shows them.

    The table is read 4,096 rows at a time, a column at a time within them, and each distinct
    cell of a block is read once: equal figures share one Decimal (equal notes, province keys
    and years one string), so 84,400 estates cost a second or two and little memory beyond the
    deficits returned.

    Parameters
    ----------
    registry : DataFrame or iterable of dict
        The registry's rows (``id``, ``province``, ``<utility>_deficit_<unit>``,
        ``<utility>_demand_<unit>``, ``<utility>_supplied_<unit>``, ``year``, ``name_fa``).
    source : str
        The registry's name, as rows cite it (``<source>: row <n>, id <id>``).
    province_keys : iterable of str, optional
        The province keys a row may name; None: not checked.
    year : str
        The registry's Jalali year, for rows whose ``year`` cell is empty (``""``: unknown).

    Returns
    -------
    list of Deficit
        One ``scope='estate'`` deficit per estate and utility with a figure, in the utility's
        unit (``lps``: litres per second, ``mw``: megawatts, ...).

    Raises
    ------
    InputError
        A row with an empty or repeated id, an unknown province, or a figure that is not a
        non-negative number; the message names the source, row and column.

    Examples
    --------
    >>> rows = [{"id": "a", "province": "isfahan", "water_supplied_lps": "5",
    ...          "water_demand_lps": "20", "year": "1403"}]
    >>> [(d.utility, str(d.deficit), d.basis, d.note, d.year) for d in registry_deficits(rows)]
    [('water', '15', 'registry', 'demand − supplied', '1403')]
    """
    known = set(province_keys) if province_keys is not None else None
    numbers: dict[str, Decimal] = {}  # equal figures: one Decimal, from block to block
    texts: dict[tuple[str, object], str] = {}  # province keys and years: one string each
    out: list[Deficit] = []
    for first, columns in _blocks(registry, (*_READ, *_FIGURE_ORDER, *_BASES)):
        _drop_derived(columns, columns)
        values, bad = _figure_values(columns, source, first_row=first + 2, shared=numbers)
        # a reader per block: its cache of (deficit, supplied, demand) triples held 16 MB for
        # the 59,000 distinct triples of 84,400 estates when kept for the whole registry
        out += _block_deficits(
            columns, values, bad, first_row=first + 2, figure=_figure_reader(numbers),
            texts=texts, known=known, source=source, year=year,
        )
    return out


def _block_deficits(
    columns, values, bad, *, first_row, figure, texts, known, source, year
) -> list[Deficit]:
    """The deficits of one block of rows (:func:`_blocks`), the first of them the sheet's row
    ``first_row``; ``bad`` the block's first bad figure cell (:func:`_figure_values`);
    ``texts`` the province keys and years met so far, each one string for every row."""
    out = []
    append = out.append
    rows = zip(
        count(first_row), columns["id"], columns["province"], columns["year"],
        columns["name_fa"], *values,
    )
    places = range(len(REGISTRY_DEFICITS))
    width = len(_FIGURE_ORDER)
    for n, ident, province, year_cell, name, *cells in rows:
        if cells.count(None) == width:  # no figure at all (most rows of most registries)
            continue
        if n == bad[0]:
            raise bad[1]
        found_all = [figure(cells[3 * i], cells[3 * i + 1], cells[3 * i + 2], i) for i in places]
        if not any(found_all):
            continue
        ident, province = _checked_place(ident, province, known, path=source, row=n)
        province = texts.setdefault(("province", province), province)
        row_year = texts.get(("cell", year_cell)) if type(year_cell) is str else None
        if row_year is None:
            row_year = _registry_year(_cell(year_cell), path=source, row=n) or year
            row_year = texts.setdefault(("year", row_year), row_year)
            if type(year_cell) is str:
                texts[("cell", year_cell)] = row_year
        name = _cell(name)
        cited = f"{source}: row {n}, id {ident}"
        for found in found_all:
            if found is not None:
                utility, unit, value, note = found
                append(
                    Deficit(
                        "estate", province, ident, utility, value, unit, "registry", cited,
                        note, row_year, name,
                    )
                )
    return out


def _checked_place(ident, province, known, *, path: str, row: int) -> tuple[str, str]:
    """A registry row's id (never empty) and province key (one of ``known``, when given)."""
    ident = _cell(ident)
    if not ident:
        raise InputError("empty id", path=path, row=row, column="id")
    province = _cell(province)
    if known is not None and province not in known:
        raise InputError(
            f"unknown province key {province!r}; a registry stores province keys "
            "(run `isipo-geo provinces`), as `isipo-geo import` writes them",
            path=path,
            row=row,
            column="province",
        )
    return ident, province


# the figure columns in the order a row's cells are read: per utility deficit, supplied, demand
_FIGURE_ORDER = tuple(
    c
    for column, (utility, _) in REGISTRY_DEFICITS.items()
    for c in (column, *REGISTRY_SUPPLY[utility])
)


_BASES = tuple(basis for _, _, basis in DERIVED_DEFICITS.values())


def _drop_derived(columns: dict[str, list], bases: dict[str, list]) -> None:
    """Empty the deficit cells an export filled from supplied and demand (basis ``derived``),
    so they are computed again from those cells: the same figure and note as before export,
    and the cells a user edits since (supplied, demand) are the ones that count."""
    for deficit, (_, _, basis) in DERIVED_DEFICITS.items():
        if BASIS_DERIVED in bases[basis]:
            columns[deficit] = blank_derived(columns[deficit], bases[basis], empty=None)


# A registry is read _BLOCK_ROWS rows at a time: each block's cells become Python strings (a
# list per column) and are dropped once its deficits are made. Read whole, the 24 columns of
# 84,400 estates were 2 million strings and lists beside the frame: registry_deficits peaked
# at 112 MB traced (RSS 372 -> 443 MB); in blocks of 4,096 rows at 45 MB, 41 MB of which are
# the deficits it returns (RSS 372 -> 413). Blocks of 512 rows peak 42 MB, of 16,384 57 MB.
_BLOCK_ROWS = 4096

# the columns a row's deficits are read from
_READ = ("id", "province", "year", "name_fa")


def _blocks(table: object, names: Sequence[str]) -> Iterator[tuple[int, dict[str, list]]]:
    """The cells of some columns of a DataFrame or of rows (dicts), :data:`_BLOCK_ROWS` rows
    at a time: ``(index of the block's first row, {column: its cells})``, None where a row or
    the table lacks the column."""
    size = _BLOCK_ROWS
    if hasattr(table, "columns") and hasattr(table, "to_dict"):
        total = len(table)  # type: ignore[arg-type]
        present = set(table.columns)  # type: ignore[union-attr]
        series = {c: table[c] for c in names if c in present}  # type: ignore[index]
        for start in range(0, total, size):
            stop = min(start + size, total)
            yield start, {
                c: series[c].iloc[start:stop].tolist() if c in series else [None] * (stop - start)
                for c in names
            }
        return
    records = table if isinstance(table, list) else list(table)  # type: ignore[call-overload]
    for start in range(0, len(records), size):
        part = records[start:start + size]
        yield start, {c: [r.get(c) for r in part] for c in names}


class _Bad:
    """A figure cell that is not a number a registry may hold, and why."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _figure_values(
    columns: dict[str, list], source: str, *, first_row: int = 2, shared: dict | None = None
) -> tuple[list[list], tuple]:
    """The figure columns (:data:`_FIGURE_ORDER`) of a block of rows, the first of them the
    sheet's row ``first_row``, as Decimals (None when empty), each distinct cell read once and
    equal values one object (kept in ``shared`` from block to block); and the first bad cell
    in reading order (row, then column) as ``(row, InputError)``, or ``(0, None)``."""
    from isipo_geo.finance.money import parse_decimal
    from isipo_geo.measures import column_unit

    if shared is None:
        shared = {}

    def value(cell: object, column: str) -> Decimal | _Bad | None:
        text = _cell(cell)
        if not text:
            return None
        number = _plain_decimal(text)
        if number is None:
            try:
                number = parse_decimal(text, what=column.split("_")[1],
                                       quantity="registry_number", unit=column_unit(column))
            except InputError as exc:
                return _Bad(exc.reason)
        if number < 0:
            return _Bad(f"negative value {text}")
        number = normalize_decimal(number)
        return shared.setdefault(str(number), number)

    out = []
    first: tuple[int, int, str] | None = None
    for position, column in enumerate(_FIGURE_ORDER):
        cells = columns[column]
        try:
            read = {cell: value(cell, column) for cell in set(cells)}
        except TypeError:  # an unhashable cell: read each
            parsed = [value(cell, column) for cell in cells]
        else:
            parsed = list(map(read.__getitem__, cells))
            if not any(type(v) is _Bad for v in read.values()):
                out.append(parsed)
                continue
        for i, v in enumerate(parsed):
            if type(v) is _Bad:
                if first is None or (i, position) < first[:2]:
                    first = (i, position, v.reason)
                break
        out.append(parsed)
    if first is None:
        return out, (0, None)
    row = first[0] + first_row
    return out, (row, InputError(first[2], path=source, row=row, column=_FIGURE_ORDER[first[1]]))


def _figure_reader(shared: dict[str, Decimal]):
    """``figure(deficit, supplied, demand, i)``: one utility's ``(utility, unit, deficit,
    note)`` of a row (None without a figure) from its shared values, kept per distinct triple;
    ``i`` is the utility's place in :data:`REGISTRY_DEFICITS`; a deficit worked out from
    demand − supplied is the object ``shared`` holds for its text (as the cells' are)."""
    units = list(REGISTRY_DEFICITS.values())
    kept: dict[tuple[int, int, int, int], tuple] = {}

    def compute(deficit, supplied, demand, i: int) -> tuple[str, str, Decimal, str] | None:
        utility, unit = units[i]
        expected = None
        if supplied is not None and demand is not None:
            expected = derived_deficit(supplied, demand)
            expected = shared.setdefault(str(expected), expected)
        if deficit is not None:
            note = ""
            if expected is not None and expected != deficit:
                note = (
                    f"{FLAG_DISAGREE}: deficit {deficit} but demand − supplied = "
                    f"{normalize_decimal(demand - supplied)}; the deficit cell is used"
                )
            return utility, unit, deficit, note
        if expected is not None:
            note = NOTE_DEMAND_MINUS_SUPPLIED if expected > 0 else NOTE_SUPPLIED_COVERS
            return utility, unit, expected, note
        return None

    def figure(deficit, supplied, demand, i: int) -> tuple[str, str, Decimal, str] | None:
        key = (id(deficit), id(supplied), id(demand), i)
        hit = kept.get(key)
        if hit is None:  # the entry keeps the values alive, so their ids stay theirs
            hit = kept[key] = (deficit, supplied, demand, compute(deficit, supplied, demand, i))
        return hit[3]

    return figure


def _registry_year(text: str, *, path: str, row: int) -> str:
    """A registry's ``year`` cell as a Jalali year (``"1403"``), ``""`` when empty."""
    if not text:
        return ""
    if text.isascii() and text.isdigit() and 1300 <= int(text) <= 1500:
        return text
    from isipo_geo.names import normalize_fa

    t = normalize_fa(text).strip()
    if t.endswith(".0"):  # 1403.0, as a spreadsheet may store it
        t = t[:-2]
    if not (t.isdigit() and 1300 <= int(t) <= 1500):
        raise InputError(
            f"year {text!r} is not a Jalali year (write e.g. 1403)",
            path=path,
            row=row,
            column="year",
        )
    return t


def _plain_decimal(text: str) -> Decimal | None:
    """The quick path for a plain Latin number (``12``, ``2.5``: what ``import`` writes);
    None for anything else, which :func:`parse_decimal` reads or explains."""
    if not text.isascii() or "," in text or "_" in text:
        return None
    try:
        value = Decimal(text)
    except decimal.InvalidOperation:
        return None
    if not value.is_finite() or abs(value) > _PLAIN_MAX:
        return None  # parse_decimal says what is wrong
    return value


_PLAIN_MAX = Decimal("1e12")  # the registry's range (isipo_geo.numbers.RANGES)


def _cell(value: object) -> str:
    """A registry cell as stripped text; missing (None, NaN, NA) as ''."""
    if type(value) is str:
        return value.strip()
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
    """Combine national and per-estate deficits into estate, province and nation rows.

    Deficits known per estate or per province always win: a province with registry rows gets
    their sum (basis ``registry``, or a ``mixed:`` basis if its rows differ) or its given figure;
    the rest of the national figure is shared among the other provinces by ``weights``
    (``allocated:<key>``) — so a registry lowers the other provinces' estimates by what it
    places in its own. The nation row is the sum of the province rows, so they always add up
    exactly; it keeps the report's basis and source when that sum is the report's figure.

    Parameters
    ----------
    national : sequence of Deficit
        The national deficits (:func:`national_deficits`).
    estates : sequence of Deficit
        Per-estate deficits (:func:`registry_deficits`).
    weights : mapping of str to Decimal
        A weight per province key (:func:`province_weights`).
    allocate_by : str
        The allocation key's name, for the ``allocated:<key>`` basis.
    province_deficits : sequence of Deficit
        Figures given per province, which win over allocation.

    Returns
    -------
    list of Deficit
        The estate rows, then per utility one row per province and one for the nation, each in
        the utility's unit; the province rows add up to the nation row exactly.

    Raises
    ------
    InputError
        The weights of the provinces left to share among are negative or add up to zero.

    Examples
    --------
    >>> from isipo_geo import load_indicators, load_provinces
    >>> national = national_deficits(load_indicators(), "essential")
    >>> weights = province_weights("equal", provinces=load_provinces())
    >>> rows = combine_deficits(national, [], weights=weights, allocate_by="equal")
    >>> [(d.scope, str(d.deficit), d.basis) for d in rows
    ...  if d.utility == "water" and d.province in ("qom", "")]
    [('province', '74.193548', 'allocated:equal'), ('nation', '2300', 'reported')]
    """
    rows: list[Deficit] = []
    utilities = list(dict.fromkeys([d.utility for d in national] + [d.utility for d in estates]))
    utilities += [d.utility for d in province_deficits if d.utility not in utilities]
    by_utility_nation = {d.utility: d for d in national}
    for utility in utilities:
        est = [d for d in estates if d.utility == utility]
        given = {d.province: d for d in province_deficits if d.utility == utility}
        nation = by_utility_nation.get(utility)
        unit = (nation or (est or list(given.values()))[0]).deficit_unit
        rows.extend(est)
        provinces = _province_sums(est, given, utility, unit)
        note, known = "", Decimal(0)
        if nation is not None:
            known = sum((d.deficit for d in provinces.values()), Decimal(0))
            note = _allocate(nation, provinces, known, weights, allocate_by, unit)
        ordered = [provinces[k] for k in sorted(provinces, key=_order(weights))]
        rows.extend(ordered)
        placed_here = bool(est or given)
        rows.append(_nation_row(nation, ordered, utility, unit, note, known, placed_here))
    return rows


def _province_sums(
    est: list[Deficit], given: dict[str, Deficit], utility: str, unit: str
) -> dict[str, Deficit]:
    """The provinces' rows known here: their given figures, and for the others with estate
    rows the estates' sum (basis ``registry``, or a ``mixed:`` basis if its rows differ)."""
    provinces: dict[str, Deficit] = dict(given)
    by_province: dict[str, list[Deficit]] = {}
    for d in est:
        by_province.setdefault(d.province, []).append(d)
    for key in sorted(set(by_province) - set(given)):
        members = by_province[key]
        total = normalize_decimal(sum((d.deficit for d in members), Decimal(0)))
        files = sorted({d.source.split(": row ")[0] for d in members})
        provinces[key] = Deficit(
            "province",
            key,
            "",
            utility,
            total,
            unit,
            combine_bases({d.basis for d in members}),
            f"sum of {len(members)} estate rows of {', '.join(files)}",
            year=join_years({d.year for d in members}),
        )
    return provinces


def _allocate(nation, provinces, known, weights, allocate_by, unit) -> str:
    """Share the rest of the national figure (less the ``known`` provinces' deficits) among the
    other provinces by ``weights``, adding their rows to ``provinces``; returns the nation
    row's note when the national figure cannot be placed that way ("" when it is)."""
    remainder = nation.deficit - known
    others = {k: w for k, w in weights.items() if k not in provinces}
    if remainder < 0:
        return (
            f"province/estate deficits ({known}) exceed the national figure "
            f"({nation.deficit}); the nation row is their sum"
        )
    if remainder > 0 and not others:
        return f"{remainder} of the national figure is not placed in any province"
    if remainder > 0:
        shares = allocate_exact(remainder, others, quantum=SHARE_QUANTUM)
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
                nation.utility,
                value,
                unit,
                f"allocated:{allocate_by}",
                nation.source,
                f"estimate: {label}, by {allocate_by}",
                year=nation.year,
            )
    return ""


def _nation_row(nation, ordered, utility, unit, note, known, placed_here) -> Deficit:
    """The nation row: the sum of the province rows, keeping the report's basis and source
    when that sum is the report's figure (and saying how much of it the registry placed)."""
    total = normalize_decimal(sum((d.deficit for d in ordered), Decimal(0)))
    if nation is not None and total == nation.deficit:
        placed = "" if not placed_here else (
            f"the report's figure; {normalize_decimal(known)} of it placed by the registry"
        )
        basis, source, year = nation.basis, nation.source, nation.year
        note = "; ".join(n for n in (nation.note, placed) if n)
    else:
        basis, source = combine_bases({d.basis for d in ordered}), "sum of province rows"
        year = join_years({d.year for d in ordered})
    return Deficit("nation", "", "", utility, total, unit, basis, source, note, year=year)

def _order(weights: Mapping[str, Decimal]):
    position = {k: i for i, k in enumerate(weights)}
    return lambda k: (position.get(k, len(position)), k)
