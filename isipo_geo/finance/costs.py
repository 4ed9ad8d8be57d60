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
        raise InputError("costs file not found", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read costs file ({exc})", path=path) from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", path=path) from None
    return parse_costs(doc, path=path)


def parse_costs(doc: dict, *, path: object = "costs") -> dict[str, UnitCost]:
    """Validate a parsed costs document (pure; see :func:`load_costs`)."""
    currency = doc.get("currency")
    scale = doc.get("scale")
    if currency is None or scale is None:
        raise InputError(
            'set the top-level keys currency = "toman"|"rial" and scale = "billion"|"million"',
            path=path,
        )
    try:
        check_unit(str(currency), str(scale))
    except InputError as exc:
        raise InputError(exc.reason, path=path) from None
    base_year = doc.get("base_year")
    if base_year is not None and not isinstance(base_year, int):
        raise InputError("base_year must be a Jalali year such as 1400", path=path)
    costs: dict[str, UnitCost] = {}
    for utility, table in doc.items():
        if not isinstance(table, dict):
            continue
        where = f"[{utility}]"
        if not set(table) - {"connection", "onsite"}:
            continue  # only connection / on-site costs (isipo_geo.finance.connection)
        for key in ("unit_cost", "deficit_unit"):
            if key not in table:
                raise InputError(f"{where} has no {key}", path=path, column=key)
        unit = str(table["deficit_unit"])
        if unit not in DEFICIT_UNITS:
            raise InputError(
                f"{where} deficit_unit {unit!r} is unknown; use one of {', '.join(DEFICIT_UNITS)}",
                path=path,
            )
        listed = BY_KEY.get(utility)
        if listed is not None and unit != listed.unit:
            raise InputError(
                f"{where} deficit_unit {unit!r}: registries state {listed.label_en} deficits in "
                f'{listed.unit} ({listed.column("deficit")}); write deficit_unit = '
                f'"{listed.unit}" and the unit cost per {DEFICIT_UNITS[listed.unit]}',
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
                    raise InputError(f"{where} {key} is negative", path=path, column=key)
                values[key] = value
        low, high = values.get("unit_cost_low"), values.get("unit_cost_high")
        if low is not None and high is not None and low > high:
            raise InputError(f"{where} unit_cost_low is above unit_cost_high", path=path)
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
        raise InputError("no utility tables such as [water] or [power]", path=path)
    return costs
