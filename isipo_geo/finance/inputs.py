"""The user's finance inputs: allocation weights and priority lists (small CSV files)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from isipo_geo.messages import error_reason, message


def _read_small_csv(path: str | os.PathLike[str], what: str) -> list[dict[str, str]]:
    import csv

    from isipo_geo.errors import InputError

    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(message("small_csv_not_found", what=what), path=p) from None
    except UnicodeDecodeError:
        raise InputError(message("small_csv_not_utf8", what=what), path=p) from None
    rows = list(csv.DictReader(text.splitlines()))
    if not rows:
        raise InputError(message("small_csv_empty", what=what), path=p)
    return rows


def read_weights(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a user's allocation weights: a CSV with columns ``province`` and ``weight``.

    Provinces may be written in any spelling :func:`isipo_geo.names.resolve_province` accepts.
    Every bad row is reported with its row number (the header is row 1).

    Parameters
    ----------
    path : path-like
        The CSV file (UTF-8, with or without BOM).

    Returns
    -------
    dict of str to Decimal
        A weight per province key, in the file's order; provinces left out weigh 0
        (:func:`missing_weights` names them).

    Raises
    ------
    InputError
        The file is missing, not UTF-8 or empty, lacks a column, or a row has an unknown
        province, a weight that is not a number, a negative weight or a province listed twice;
        the message names the file, row and column.
    """
    from isipo_geo.errors import InputError, IsipoGeoError
    from isipo_geo.finance.money import parse_decimal
    from isipo_geo.names import resolve_province

    rows = _read_small_csv(path, "weights")
    for col in ("province", "weight"):
        if col not in rows[0]:
            raise InputError(
                message("weights_columns", col=repr(col)), path=path
            )
    weights: dict[str, Any] = {}
    for n, row in enumerate(rows, start=2):
        try:
            key = resolve_province(row["province"] or "")
        except IsipoGeoError as exc:
            raise InputError(error_reason(exc), path=path, row=n, column="province") from None
        try:
            value = parse_decimal(row["weight"], what="weight", quantity="weight")
        except InputError as exc:
            raise InputError(exc.reason, path=path, row=n, column="weight") from None
        if value < 0:
            raise InputError(message("weight_negative"), path=path, row=n, column="weight")
        if key in weights:
            raise InputError(message("province_twice", key=key),
                             path=path, row=n, column="province")
        weights[key] = value
    return weights


def missing_weights(weights: dict[str, Any]) -> list[str]:
    """Province keys a weights mapping leaves out (they get weight 0), in the provinces' order."""
    from isipo_geo.names import province_keys

    return [k for k in province_keys() if k not in weights]


def read_priority(path: str | os.PathLike[str]) -> list[tuple[str, str | None]]:
    """Read a priority list: a CSV with a ``province`` and an optional ``utility`` column.

    Parameters
    ----------
    path : path-like
        The CSV file (UTF-8, with or without BOM), most urgent first.

    Returns
    -------
    list of (str, str or None)
        ``(province key, utility or None)`` per row, in the file's order; ``None``: every
        utility of the province.

    Raises
    ------
    InputError
        The file is missing, not UTF-8 or empty, has no ``province`` column, or a row names an
        unknown province (the message names the file, row and column).
    """
    from isipo_geo.errors import InputError, IsipoGeoError
    from isipo_geo.names import resolve_province

    rows = _read_small_csv(path, "priority")
    if "province" not in rows[0]:
        raise InputError(message("priority_needs_province"), path=path)
    out: list[tuple[str, str | None]] = []
    for n, row in enumerate(rows, start=2):
        try:
            key = resolve_province(row["province"] or "")
        except IsipoGeoError as exc:
            raise InputError(error_reason(exc), path=path, row=n, column="province") from None
        utility = (row.get("utility") or "").strip().lower() or None
        out.append((key, utility))
    return out


def parse_escalation(pct: object, years: object) -> tuple[Any, int]:
    """Check ``--escalation`` (% a year, -50..100) and ``--escalation-years`` (0..50) together.

    One without the other would apply nothing, silently: that is an error. Returns the
    percentage as a Decimal and the years as an int.
    """
    from decimal import Decimal

    from isipo_geo.errors import InputError
    from isipo_geo.numbers import parse_number

    rate = parse_number(pct, what="--escalation", quantity="escalation_pct")
    span = parse_number(years, what="--escalation-years", quantity="escalation_years")
    if span != span.to_integral_value():
        raise InputError(message("escalation_years_whole", years=repr(years)))
    if rate != 0 and span == 0:
        raise InputError(message("escalation_needs_years"))
    if span != 0 and rate == 0:
        raise InputError(message("escalation_years_needs_rate"))
    return Decimal(rate), int(span)


def read_criteria(path: str | os.PathLike[str]) -> list[Any]:
    """Read a criteria file: a CSV with columns ``criterion``, ``direction`` (benefit or cost)
    and an optional ``weight`` (≥ 0; leave it out when the weights come from ``--ahp``).

    Every bad row is reported with its row number (the header is row 1) and column.
    """
    from isipo_geo.errors import InputError
    from isipo_geo.finance.criteria import CRITERIA, Criterion
    from isipo_geo.numbers import parse_number

    rows = _read_small_csv(path, "criteria")
    for col in ("criterion", "direction"):
        if col not in rows[0]:
            raise InputError(
                message("criteria_columns", col=repr(col)),
                path=path,
            )
    has_weight = "weight" in rows[0]
    out: list[Criterion] = []
    seen: set[str] = set()
    for n, row in enumerate(rows, start=2):
        name = (row["criterion"] or "").strip()
        if name not in CRITERIA:
            raise InputError(
                message("unknown_criterion", name=repr(name), criteria=', '.join(CRITERIA)),
                path=path, row=n, column="criterion",
            )
        if name in seen:
            raise InputError(message("listed_twice", name=name),
                             path=path, row=n, column="criterion")
        seen.add(name)
        direction = (row["direction"] or "").strip().lower()
        if direction not in ("benefit", "cost"):
            raise InputError(
                message("direction_benefit_cost", row=repr(row['direction'])),
                path=path, row=n, column="direction",
            )
        weight = None
        text = (row.get("weight") or "").strip() if has_weight else ""
        if text:
            try:
                weight = parse_number(text, what="weight", quantity="weight")
            except InputError as exc:
                raise InputError(exc.reason, path=path, row=n, column="weight") from None
        out.append(Criterion(name, direction, weight))
    return out


def read_pairwise(path: str | os.PathLike[str], criteria: list[str]) -> list[list[float]]:
    """Read an AHP pairwise comparison matrix: a CSV whose header and first column name the
    criteria (in the same order), with how much more the row's criterion counts than the
    column's (``3``, or ``1/3``). The criteria must be those of the criteria file."""
    from fractions import Fraction

    from isipo_geo.errors import InputError
    from isipo_geo.numbers import parse_number

    p = Path(path)
    import csv

    try:
        lines = list(csv.reader(p.read_text(encoding="utf-8-sig").splitlines()))
    except FileNotFoundError:
        raise InputError(message("ahp_not_found"), path=p) from None
    except UnicodeDecodeError:
        raise InputError(message("ahp_not_utf8"), path=p) from None
    lines = [line for line in lines if any(c.strip() for c in line)]
    if not lines:
        raise InputError(message("ahp_empty"), path=p)
    header = [c.strip() for c in lines[0][1:]]
    if header != criteria:
        raise InputError(
            message("ahp_header", value=', '.join(header) or 'nothing',
                    criteria=', '.join(criteria)),
            path=p, row=1,
        )
    if len(lines) - 1 != len(criteria):
        raise InputError(
            message("ahp_rows", value=len(lines) - 1, criteria=len(criteria)), path=p
        )
    matrix = []
    for n, line in enumerate(lines[1:], start=2):
        name = line[0].strip() if line else ""
        if name != criteria[n - 2]:
            raise InputError(
                message("ahp_row_order", n=n, name=repr(name), criteria=criteria[n - 2]),
                path=p, row=n, column="A",
            )
        if len(line) - 1 != len(criteria):
            raise InputError(message("ahp_comparisons", value=len(line) - 1,
                                     criteria=len(criteria)), path=p, row=n)
        values = []
        for j, cell in enumerate(line[1:]):
            text = cell.strip()
            try:
                if "/" in text:
                    top, bottom = text.split("/", 1)
                    value = float(Fraction(int(parse_number(top, what="comparison")),
                                           int(parse_number(bottom, what="comparison"))))
                else:
                    value = float(parse_number(text, what="comparison", quantity="weight"))
            except (InputError, ValueError, ZeroDivisionError):
                raise InputError(
                    message("not_a_comparison", text=repr(text)),
                    path=p, row=n, column=header[j],
                ) from None
            values.append(value)
        matrix.append(values)
    return matrix


def read_scoring(
    rows: list[dict],
    *,
    criteria: str | os.PathLike[str],
    ahp: str | os.PathLike[str] | None = None,
    method: str = "wsm",
    registry: object = None,
    registry_only: bool = False,
) -> Any:
    """The gaps' scores for ``--rule score``: the criteria file (and the AHP matrix, whose
    consistency ratio must be at most 0.1), the registry's rows for the criteria values, the
    gaps of ``rows`` scored by ``method`` (:func:`isipo_geo.finance.budget.score_rows`)."""
    from isipo_geo.errors import InputError
    from isipo_geo.finance.budget import score_rows
    from isipo_geo.finance.mcda import ahp_weights, check_consistency
    from isipo_geo.finance.registry_figures import registry_rows_by_id

    listed = read_criteria(criteria)
    weights = None
    if ahp is not None:
        if any(c.weight is not None for c in listed):
            raise InputError(
                message("weights_and_ahp"),
                path=criteria,
            )
        matrix = read_pairwise(ahp, [c.name for c in listed])
        try:
            weights = ahp_weights(matrix)
        except InputError as exc:
            raise InputError(exc.reason, path=ahp) from None
        check_consistency(weights, source=str(ahp))
    is_path = isinstance(registry, str | bytes) or hasattr(registry, "__fspath__")
    path = registry if is_path else None
    records = registry_rows_by_id(path, registry_only=registry_only)  # type: ignore[arg-type]
    try:
        return score_rows(rows, records, listed, method=method, ahp=weights)
    except InputError as exc:
        raise InputError(exc.reason, path=criteria) from None


def cost_factors(costs: object, *, runs: int, seed: int) -> dict[str, list[float]]:
    """Monte Carlo draws of unit cost ÷ central for every utility whose costs file gives
    ``unit_cost_low`` and ``unit_cost_high`` (:func:`isipo_geo.finance.montecarlo.draw_factors`);
    utilities without them have no range."""
    from isipo_geo.finance.costs import load_costs
    from isipo_geo.finance.montecarlo import draw_factors

    table = costs if isinstance(costs, dict) else load_costs(costs)  # type: ignore[arg-type]
    ranges = {
        u: (c.low, c.central, c.high)
        for u, c in table.items()
        if c.low is not None and c.high is not None and c.central is not None
    }
    return draw_factors(ranges, runs=runs, seed=seed)


LIMIT_KINDS = ("province_floor", "province_ceiling", "utility_share")


def read_limits(path: str | os.PathLike[str]) -> Any:
    """Read the optimiser's limits: a CSV with columns ``limit`` (``province_floor``,
    ``province_ceiling`` — money a year for a province, in the plan's currency and scale — or
    ``utility_share`` — a utility's most, in % of each year's money), ``name`` (a province in
    any spelling, or a utility) and ``amount``. Returns
    :class:`isipo_geo.finance.portfolio.Limits`."""
    from decimal import Decimal

    from isipo_geo.errors import InputError, IsipoGeoError
    from isipo_geo.finance.portfolio import Limits
    from isipo_geo.names import resolve_province
    from isipo_geo.numbers import parse_number

    rows = _read_small_csv(path, "limits")
    for col in ("limit", "name", "amount"):
        if col not in rows[0]:
            raise InputError(message("limits_columns", col=repr(col)),
                             path=path)
    found: dict[str, dict[str, Decimal]] = {k: {} for k in LIMIT_KINDS}
    for n, row in enumerate(rows, start=2):
        kind = (row["limit"] or "").strip().lower()
        if kind not in LIMIT_KINDS:
            raise InputError(message("unknown_limit", row=repr(row['limit']),
                                     limit_kinds=', '.join(LIMIT_KINDS)),
                             path=path, row=n, column="limit")
        name = (row["name"] or "").strip()
        if kind.startswith("province"):
            try:
                name = resolve_province(name)
            except IsipoGeoError as exc:
                raise InputError(error_reason(exc), path=path, row=n, column="name") from None
        else:
            name = name.lower()
        try:
            amount = parse_number(row["amount"], what="amount", quantity="weight")
        except InputError as exc:
            raise InputError(exc.reason, path=path, row=n, column="amount") from None
        if kind == "utility_share":
            if amount > 100:
                raise InputError(message("share_percent"), path=path, row=n,
                                 column="amount")
            amount = amount / 100
        if name in found[kind]:
            raise InputError(message("limit_twice", kind=kind, name=name),
                             path=path, row=n, column="name")
        found[kind][name] = amount
    for key, floor in found["province_floor"].items():
        ceiling = found["province_ceiling"].get(key)
        if ceiling is not None and floor > ceiling:
            raise InputError(message("floor_above_ceiling", key=key, floor=floor, ceiling=ceiling),
                             path=path)
    return Limits(found["province_floor"], found["province_ceiling"], found["utility_share"])
