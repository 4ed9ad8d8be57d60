"""One number rule: every reader of a user's number reads a tricky cell the same way, or refuses
it naming where it is (file, row and column; the key or the option where a file has no rows).

Issue 21 item 1: ``funding --registry`` read ``12,5`` as 125 L/s (and costed it at 312.5 bn
toman) while ``import`` refused it as ambiguous. Each reader below is run on each cell of
:data:`CELLS`; the outcome must be the cell's value, or a refusal that names the place.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from isipo_geo.errors import InputError

REFUSED = "refused"
DASH = "dash"  # a dash: an empty cell where the reader allows one, else a refusal

# cell -> its value by the one rule (a Decimal), or REFUSED
CELLS = {
    "12,5": REFUSED,  # a decimal comma, or a misplaced thousands comma: never 125
    "1,250": Decimal("1250"),  # thousands separated in groups of three
    "۱۲٫۵": Decimal("12.5"),  # Persian digits and decimal separator
    "١٢٫٥": Decimal("12.5"),  # Arabic-Indic digits
    "1.250,5": REFUSED,  # a European grouping: never 1250.5 read by a guess, never 1.2505
    "12.5%": REFUSED,  # a percentage in a column that is not one
    " 12 ": Decimal("12"),  # spaces around
    "1e3": Decimal("1000"),  # an exponent
    "—": DASH,
}


def _csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _refusal(exc: InputError) -> tuple:
    return (REFUSED, exc.reason, exc.row, exc.column)


# Each reader returns ("value", Decimal) | ("missing",) | (REFUSED, reason, row, column).


def _import(tmp_path: Path, cell: str) -> tuple:
    from isipo_geo.registry.importer import import_registry

    f = tmp_path / "list.csv"
    f.write_text(_csv_text([["نام شهرک", "استان", "کمبود آب (لیتر بر ثانیه)"],
                            ["شهرک صنعتی الف", "تهران", cell]]), encoding="utf-8")
    result = import_registry(f)
    if result.rejected:
        rej = result.rejects.iloc[0]
        return (REFUSED, rej["reason"], int(rej["row"]), rej["column"])
    value = result.registry.loc[0, "water_deficit_lps"]
    return ("missing",) if pd.isna(value) else ("value", value)


_REGISTRY_HEADER = ["id", "name_fa", "kind", "province", "water_deficit_lps"]


def _registry_file(tmp_path: Path, cell: str) -> Path:
    f = tmp_path / "registry.csv"
    f.write_text(_csv_text([_REGISTRY_HEADER, ["a", "شهرک الف", "industrial_estate", "tehran",
                                               cell]]), encoding="utf-8")
    return f


def _registry(tmp_path: Path, cell: str) -> tuple:
    from isipo_geo.registry.estates import load_registry

    try:
        gdf = load_registry(_registry_file(tmp_path, cell), registry_only=True)
    except InputError as exc:
        return _refusal(exc)
    value = gdf["water_deficit_lps"].iloc[0]
    return ("missing",) if pd.isna(value) else ("value", value)


def _funding(_tmp: Path, cell: str) -> tuple:
    from isipo_geo.finance.deficits import registry_deficits

    row = dict(zip(_REGISTRY_HEADER, ["a", "شهرک الف", "industrial_estate", "tehran", cell],
                   strict=True))
    try:
        found = registry_deficits([row], source="registry.csv")
    except InputError as exc:
        return _refusal(exc)
    return ("value", found[0].deficit) if found else ("missing",)


def _costs(_tmp: Path, cell: str) -> tuple:
    from isipo_geo.finance.costs import parse_costs

    doc = {"currency": "toman", "scale": "billion",
           "water": {"unit_cost": cell, "deficit_unit": "lps"}}
    try:
        return ("value", parse_costs(doc, path="costs.toml")["water"].central)
    except InputError as exc:
        return _refusal(exc)


def _weights(tmp_path: Path, cell: str) -> tuple:
    from isipo_geo.finance.inputs import read_weights

    f = tmp_path / "weights.csv"
    f.write_text(_csv_text([["province", "weight"], ["tehran", cell]]), encoding="utf-8")
    try:
        return ("value", read_weights(f)["tehran"])
    except InputError as exc:
        return _refusal(exc)


def _map_layer(_tmp: Path, cell: str) -> tuple:
    from isipo_geo.maps.user_layer import layer_values

    table = pd.DataFrame({"province": ["tehran", "fars"], "v": [cell, "3"]})
    try:
        value = layer_values(table, "v", path="layer.csv")["tehran"]
    except InputError as exc:
        return _refusal(exc)
    return ("missing",) if pd.isna(value) else ("value", value)


def _raster_layer(_tmp: Path, cell: str) -> tuple:
    from isipo_geo.raster.inputs import numeric_column

    try:
        value = numeric_column(pd.DataFrame({"v": [cell]}), "v", path=Path("values.csv")).iloc[0]
    except InputError as exc:
        return _refusal(exc)
    return ("missing",) if pd.isna(value) else ("value", value)


def _units(tmp_path: Path, cell: str) -> tuple:
    from isipo_geo.units.read import read_points

    f = tmp_path / "points.csv"
    f.write_text(_csv_text([["lon", "lat", "jobs"], ["51.4", "35.7", cell]]), encoding="utf-8")
    try:
        value = read_points(f)["jobs"].iloc[0]
    except InputError as exc:
        return _refusal(exc)
    return ("missing",) if pd.isna(value) else ("value", value)


def _unit_coordinate(tmp_path: Path, cell: str) -> tuple:
    """A units layer's lon column (degrees, -180..180)."""
    from isipo_geo.units.read import read_points

    f = tmp_path / "points.csv"
    f.write_text(_csv_text([["lon", "lat"], [cell, "35.7"]]), encoding="utf-8")
    try:
        value = read_points(f).geometry.x.iloc[0]
    except InputError as exc:
        return _refusal(exc)
    return ("value", value)


def _budget(_tmp: Path, cell: str) -> tuple:
    from isipo_geo.finance.money import parse_money

    try:
        return ("value", parse_money(f"{cell} bn toman")[0])
    except InputError as exc:
        return (REFUSED, exc.reason, "--budget", "--budget")


def _escalation(_tmp: Path, cell: str) -> tuple:
    from isipo_geo.finance.inputs import parse_escalation

    try:
        return ("value", parse_escalation(cell, "1")[0])
    except InputError as exc:
        return (REFUSED, exc.reason, "--escalation", "--escalation")


# reader -> (function, where a refusal must point: (row, column); a dash is empty, the values
# the reader's own range refuses)
READERS = {
    "import": (_import, (2, "کمبود آب (لیتر بر ثانیه)"), True, ()),
    "registry": (_registry, (2, "water_deficit_lps"), False, ()),
    "funding --registry": (_funding, (2, "water_deficit_lps"), False, ()),
    "costs": (_costs, (None, "unit_cost"), False, ()),
    "weights": (_weights, (2, "weight"), False, ()),
    "map layer": (_map_layer, (2, "v"), True, ()),
    "raster values": (_raster_layer, (2, "v"), True, ()),
    "units layer": (_units, (2, "jobs"), True, ()),
    "units lon": (_unit_coordinate, (2, "lon"), False, (Decimal(1250), Decimal(1000))),
    "budget": (_budget, ("--budget", "--budget"), False, ()),
    "escalation": (_escalation, ("--escalation", "--escalation"), False,
                   (Decimal(1250), Decimal(1000))),
}


@pytest.mark.parametrize("cell", list(CELLS))
@pytest.mark.parametrize("reader", list(READERS))
def test_every_reader_reads_a_tricky_cell_alike_or_refuses_it_where_it_is(
    reader, cell, tmp_path
):
    read, where, dash_is_empty, out_of_range = READERS[reader]
    expected = CELLS[cell]
    got = read(tmp_path, cell)
    if expected == DASH:
        expected = "missing" if dash_is_empty else REFUSED
    shown = [cell.strip()]
    if expected in out_of_range:
        shown.append(f"{float(expected)}")  # a CSV reader may have read it as a float
        expected = REFUSED
    if expected == "missing":
        assert got == ("missing",)
    elif expected == REFUSED:
        assert got[0] == REFUSED, f"{reader} read {cell!r} as {got}"
        assert (got[2], got[3]) == where
        assert any(text in got[1] for text in shown)  # the message quotes the cell
    else:
        assert got[0] == "value", f"{reader} refused {cell!r}: {got}"
        assert Decimal(str(got[1])) == expected


def test_a_decimal_comma_is_refused_as_ambiguous_not_read_ten_times_larger(tmp_path):
    """The message says why and how to write it, wherever it is read."""
    for reader in ("import", "registry", "funding --registry", "costs", "weights", "budget"):
        got = READERS[reader][0](tmp_path, "12,5")
        assert "ambiguous" in got[1] and "'.'" in got[1], (reader, got)


def test_import_of_an_844_estate_registry_with_tricky_cells(make_registry, tmp_path):
    """At real size: the tricky cells in a generated registry read by import as by the rule,
    every other row accepted; the refused ones rejected with their row and column."""
    from isipo_geo.registry.importer import import_registry

    reg = make_registry(844)
    rows = list(csv.reader(reg.read_text(encoding="utf-8-sig").splitlines()))
    column = rows[0].index("water_deficit_lps")
    placed = {}
    for k, cell in enumerate(CELLS):
        row = 100 + 50 * k  # the file's row (header = 1)
        rows[row - 1][column] = cell
        placed[row] = cell
    src = tmp_path / "tricky.csv"
    src.write_text(_csv_text(rows), encoding="utf-8-sig")
    result = import_registry(src)
    assert result.rows_read == 844
    refused = {r: c for r, c in placed.items() if CELLS[c] == REFUSED}
    rejected = dict(zip(result.rejects["row"], result.rejects["column"], strict=True))
    assert rejected == dict.fromkeys(refused, "water_deficit_lps")
    accepted = result.registry.set_index("id")
    for row, cell in placed.items():
        if row in refused:
            continue
        value = accepted.loc[rows[row - 1][0], "water_deficit_lps"]
        if CELLS[cell] == DASH:
            assert pd.isna(value)
        else:
            assert Decimal(str(value)) == CELLS[cell], (row, cell)
