"""Unit costs of closing utility deficits, read from a TOML file (data, not code).

The shipped file ``data/costs/unit_costs.toml`` holds the 1400 report's values; users pass their
own with ``isipo-geo funding --costs FILE``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from isipo_geo import _paths
from isipo_geo.errors import InputError
from isipo_geo.finance.money import check_unit, parse_decimal
from isipo_geo.messages import Message, message
from isipo_geo.utilities import BY_KEY, UTILITIES

DEFICIT_UNITS = {"lps": "L/s", "mw": "MW", "count": "estates", "km": "km", "m3_per_day": "m³/day"}
assert {u.unit for u in UTILITIES} <= set(DEFICIT_UNITS), "a utility's unit has no cost unit"
COST_CASES = ("central", "low", "high")


@dataclass(frozen=True)
class UnitCost:
    """The cost of closing one unit of one utility's deficit."""

    utility: str
    deficit_unit: str
    central: Decimal
    low: Decimal | None
    high: Decimal | None
    currency: str
    scale: str
    base_year: int | None
    source: str
    label_fa: str = ""
    label_en: str = ""

    def value(self, case: str = "central") -> Decimal | None:
        """The unit cost for a cost case; ``None`` when the file gives no such bound."""
        return {"central": self.central, "low": self.low, "high": self.high}[case]


def default_costs_path() -> Path:
    return _paths.data_file("costs", "unit_costs.toml")


def load_costs(path: str | Path | None = None) -> dict[str, UnitCost]:
    """Read unit costs from a TOML file (the shipped report values when ``path`` is None).

    Raises
    ------
    InputError
        The file is missing or is not valid TOML, or a utility table lacks ``unit_cost`` /
        ``deficit_unit``, or a cost is not a non-negative number. The message names the file
        and the key to fix.
    """
    path = Path(path) if path is not None else default_costs_path()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(message("costs_not_found"), path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(message("costs_unreadable_file", exc=exc), path=path) from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(message("costs_not_toml", exc=exc), path=path) from None
    return parse_costs(doc, path=path)


def parse_costs(doc: dict, *, path: object = "costs") -> dict[str, UnitCost]:
    """Validate a parsed costs document (pure; see :func:`load_costs`)."""
    currency = doc.get("currency")
    scale = doc.get("scale")
    if currency is None or scale is None:
        raise InputError(
            message("costs_no_currency"),
            path=path,
        )
    try:
        check_unit(str(currency), str(scale))
    except InputError as exc:
        raise InputError(exc.reason, path=path) from None
    base_year = doc.get("base_year")
    if base_year is not None and not isinstance(base_year, int):
        raise InputError(message("costs_base_year"), path=path)
    costs: dict[str, UnitCost] = {}
    for utility, table in doc.items():
        if not isinstance(table, dict):
            continue
        where = f"[{utility}]"
        if not set(table) - {"connection", "onsite"}:
            continue  # only connection / on-site costs (isipo_geo.finance.connection)
        for key in ("unit_cost", "deficit_unit"):
            if key not in table:
                raise InputError(message("costs_missing_key", where=where, key=key),
                                 path=path, column=key)
        unit = str(table["deficit_unit"])
        if unit not in DEFICIT_UNITS:
            raise InputError(
                message("costs_unknown_unit", where=where, unit=repr(unit),
                        deficit_units=', '.join(DEFICIT_UNITS)),
                path=path,
            )
        listed = BY_KEY.get(utility)
        if listed is not None and unit != listed.unit:
            raise InputError(
                message("costs_wrong_unit", where=where, unit=repr(unit),
                        label=Message(listed.label_en, listed.label_fa), unit2=listed.unit,
                        value=listed.column("deficit"), deficit_units=DEFICIT_UNITS[listed.unit]),
                path=path, column="deficit_unit",
            )
        values = {}
        for key in ("unit_cost", "unit_cost_low", "unit_cost_high"):
            if key in table:
                try:
                    value = parse_decimal(table[key], what=f"{where} {key}", quantity="unit_cost")
                except InputError as exc:
                    raise InputError(exc.reason, path=path, column=key) from None
                if value < 0:
                    raise InputError(message("cost_key_negative", where=where, key=key),
                                     path=path, column=key)
                values[key] = value
        low, high = values.get("unit_cost_low"), values.get("unit_cost_high")
        if low is not None and high is not None and low > high:
            raise InputError(message("costs_low_above_high", where=where), path=path)
        costs[utility] = UnitCost(
            utility=utility,
            deficit_unit=unit,
            central=values["unit_cost"],
            low=low,
            high=high,
            currency=str(currency),
            scale=str(scale),
            base_year=base_year,
            source=str(table.get("source", f"{path}")),
            label_fa=str(table.get("label_fa", listed.label_fa if listed else "")),
            label_en=str(table.get("label_en", listed.label_en if listed else utility)),
        )
    if not costs:
        raise InputError(message("costs_no_utilities"), path=path)
    return costs
