"""The utilities isipo-geo knows, as data: ``data/utilities/utilities.csv`` (one row each: key,
Persian and English names, unit, the registry's yes/no column, and the ids of the report's
figures for it). It drives the registry's columns, the import's headers, the template, funding,
the map layers, the brief and the labels; adding a utility is a row there plus its unit cost in a
costs file.

Pure data and small functions; imports only :mod:`isipo_geo._paths` and the errors.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from isipo_geo import _paths
from isipo_geo.errors import DataFileError

FIGURES = ("supplied", "demand", "deficit")
"""The three figures a registry holds per utility; deficit = demand − supplied when empty."""

NO_COST_BASIS = "no cost basis in the report"


BASIS = "basis"  # the suffix of a utility's basis column (Utility.basis_column)


@dataclass(frozen=True)
class Utility:
    """One row of ``data/utilities/utilities.csv`` (see its SOURCE.md)."""

    key: str
    label_fa: str
    label_en: str
    unit: str  # the unit its registry figures are stored in: lps, mw, km
    has_column: str  # the registry's yes/no column (has_wwtp for wastewater)
    essential_deficit: str = ""  # indicator id of the report's national essential deficit
    whole_cost: str = ""  # indicator id of the cost the report puts on the whole deficit
    report_unit_cost: str = ""  # indicator id of the report's unit cost; "" = no cost basis
    supplied_count: str = ""  # indicator id of the count of estates supplied (a fact)

    def column(self, figure: str) -> str:
        """The registry column of one of :data:`FIGURES`: ``gas_deficit_km``."""
        return f"{self.key}_{figure}_{self.unit}"

    @property
    def basis_column(self) -> str:
        """The registry column saying how its deficit cell came (``derived``: demand −
        supplied, written by ``isipo-geo import``): ``water_deficit_basis``."""
        return f"{self.key}_deficit_{BASIS}"

    @property
    def columns(self) -> tuple[str, str, str]:
        """The deficit, supplied and demand columns, in the order funding reads them."""
        return (self.column("deficit"), self.column("supplied"), self.column("demand"))

    @property
    def reported(self) -> bool:
        """Whether the 1400 report states national figures for it (water and power)."""
        return bool(self.essential_deficit)


def _read() -> tuple[Utility, ...]:
    path = _paths.data_file("utilities", "utilities.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for n, row in enumerate(rows, start=2):
        key = (row.get("key") or "").strip()
        if not re.fullmatch(r"[a-z][a-z0-9]*", key) or not row.get("unit"):
            raise DataFileError(
                f"{path}, row {n}: a utility needs a key of lower-case letters and digits "
                "(no '_') and a unit"
            )
        out.append(Utility(**{k: (v or "").strip() for k, v in row.items()}))
    return tuple(out)


UTILITIES: tuple[Utility, ...] = _read()
UTILITY_KEYS: tuple[str, ...] = tuple(u.key for u in UTILITIES)
BY_KEY: dict[str, Utility] = {u.key: u for u in UTILITIES}


def figure_columns() -> tuple[str, ...]:
    """Every registry figure column, utility by utility: supplied, demand, deficit.

    Examples
    --------
    >>> figure_columns()[:6]  # doctest: +NORMALIZE_WHITESPACE
    ('water_supplied_lps', 'water_demand_lps', 'water_deficit_lps',
     'power_supplied_mw', 'power_demand_mw', 'power_deficit_mw')
    """
    return tuple(u.column(f) for u in UTILITIES for f in FIGURES)


_DEFICIT_COLUMN = re.compile(r"(?P<key>[a-z][a-z0-9]*)_deficit_(?P<unit>[a-z0-9_]+)")


def deficit_column_warnings(
    columns: Iterable[str],
    has_value: Callable[[str], bool],
    *,
    costed: Iterable[str] | None = None,
    source: str = "registry",
) -> list[str]:
    """Warnings for a registry's ``*_deficit_*`` columns that would otherwise go uncosted
    without a word: a utility this table does not list (``steam_deficit_tph``), a listed
    utility's column in another unit (``gas_deficit_m``), and — when ``costed`` names the
    utilities with a unit cost — a listed utility without one.

    Parameters
    ----------
    columns
        The registry's column names; those not named ``<key>_deficit_<unit>`` are passed over.
    has_value
        Whether a column holds at least one value: an empty column drops nothing and is not
        named.
    costed
        The utilities a unit cost is known for (the costs file's tables); None: not asked.
    source
        The registry's name, as each warning begins.

    Returns
    -------
    list of str
        One warning a column, naming the file, the column and the fix.

    Examples
    --------
    >>> (w,) = deficit_column_warnings(["water_deficit_lps", "steam_deficit_tph"],
    ...                               lambda c: True, costed=["water"], source="reg.csv")
    >>> w[:72]
    "reg.csv: column 'steam_deficit_tph' is a deficit of 'steam', a utility i"
    """
    listed = ", ".join(UTILITY_KEYS)
    costed = None if costed is None else set(costed)
    out = []
    for column in columns:
        match = _DEFICIT_COLUMN.fullmatch(str(column).strip())
        if match is None or not has_value(column):
            continue
        key, unit = match["key"], match["unit"]
        if unit == BASIS:  # how a deficit cell came (derived or not), never a deficit
            continue
        utility = BY_KEY.get(key)
        if utility is None:
            out.append(
                f"{source}: column {column!r} is a deficit of {key!r}, a utility isipo-geo does "
                f"not list, so it is not costed; the utilities are {listed} "
                "(data/utilities/utilities.csv): rename the column if it is one of them"
            )
        elif unit != utility.unit:
            out.append(
                f"{source}: column {column!r} is not read: {utility.label_en} deficits are "
                f"stored in {utility.unit} ({utility.column('deficit')}); convert the values, "
                "or import the file with `isipo-geo import`, which converts units"
            )
        elif costed is not None and key not in costed:
            out.append(
                f"{source}: column {column!r}: {utility.label_en} has no unit cost "
                f"({NO_COST_BASIS}), so its deficits are listed without a need; give a costs "
                f'file with a [{key}] table (deficit_unit = "{utility.unit}", unit_cost) '
                "with --costs"
            )
    return out
