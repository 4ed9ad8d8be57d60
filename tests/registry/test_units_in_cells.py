"""Units written in cells (issue 27 item 4): a number followed by its column's own unit is read
(«۱۲۰ هکتار» in a hectare column is 120 ha); another unit is refused with a message naming it
and the value in the column's unit. One rule (isipo_geo.numbers.number_text) for import, the
registry CSV readers and funding."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from isipo_geo.errors import InputError
from isipo_geo.registry.importer import import_registry

AREA, WATER, POWER = "مساحت (هکتار)", "کمبود آب (لیتر بر ثانیه)", "کمبود برق (مگاوات)"


def _import(tmp_path: Path, cells: dict[str, str]):
    src = tmp_path / "list.csv"
    with open(src, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["نام شهرک", "نوع", "استان", *cells])
        writer.writerow(["شهرک الف", "شهرک صنعتی", "تهران", *cells.values()])
    return import_registry(src)


@pytest.mark.parametrize(
    ("column", "cell", "target", "value"),
    [
        (AREA, "۱۲۰ هکتار", "area_ha", 120.0),
        (AREA, "120 ha", "area_ha", 120.0),
        (AREA, "۱۲۰هکتار", "area_ha", 120.0),
        (WATER, "50 L/s", "water_deficit_lps", 50.0),
        (WATER, "۵۰ لیتر بر ثانیه", "water_deficit_lps", 50.0),
        (POWER, "12 MW", "power_deficit_mw", 12.0),
        (POWER, "۱۲ مگاوات", "power_deficit_mw", 12.0),
        (POWER, "۱۲٫۵ مگاوات", "power_deficit_mw", 12.5),
    ],
)
def test_a_number_with_its_columns_own_unit_is_read(tmp_path, column, cell, target, value):
    result = _import(tmp_path, {column: cell})
    assert result.rejected == 0, result.rejects.to_dict("records")
    assert result.registry.loc[0, target] == value


def test_a_cell_in_the_header_unit_reads_before_conversion(tmp_path):
    """A column in m³/day takes «۸۶۴ متر مکعب در روز»: 864 m³/day = 10 L/s."""
    result = _import(tmp_path, {"کمبود آب (متر مکعب در روز)": "۸۶۴ متر مکعب در روز"})
    assert result.registry.loc[0, "water_deficit_lps"] == pytest.approx(10.0)


@pytest.mark.parametrize(
    ("column", "cell", "message"),
    [
        (AREA, "۱۲۰ متر مربع",
         "'۱۲۰ متر مربع' is in m², but this column is in ha: write 0.012 (120 m² = 0.012 ha)"),
        (AREA, "120 MW", "'120 MW' is in MW, but this column is in ha; write the value in ha"),
        (WATER, "50 kW", "'50 kW' is in kW, but this column is in L/s; write the value in L/s"),
        (POWER, "12 apples", "'12 apples' is not a number in MW: 'apples' is not a unit"),
    ],
)
def test_another_unit_is_refused_naming_it(tmp_path, column, cell, message):
    result = _import(tmp_path, {column: cell})
    assert result.accepted == 0
    rejected = result.rejects.iloc[0]
    assert (rejected["row"], rejected["column"]) == (2, column)
    assert message in rejected["reason"]


def _registry(tmp_path: Path, column: str, cell: str) -> Path:
    path = tmp_path / "registry.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["id", "name_fa", "kind", "province", column])
        writer.writerow(["a", "شهرک الف", "industrial_estate", "tehran", cell])
    return path


@pytest.mark.parametrize(
    ("column", "cell", "value"),
    [("area_ha", "۱۲۰ هکتار", 120.0), ("water_deficit_lps", "50 L/s", 50.0),
     ("power_deficit_mw", "۱۲ مگاوات", 12.0)],
)
def test_registry_readers_take_the_columns_own_unit_too(tmp_path, column, cell, value):
    from isipo_geo.finance.deficits import registry_deficits
    from isipo_geo.registry.estates import load_registry, read_registry

    path = _registry(tmp_path, column, cell)
    assert load_registry(path, registry_only=True)[column].iloc[0] == value
    if column != "area_ha":
        assert [d.deficit for d in registry_deficits(read_registry(path))] == [Decimal(str(value))]


def test_registry_readers_refuse_another_unit_with_row_and_column(tmp_path):
    from isipo_geo.finance.deficits import registry_deficits
    from isipo_geo.registry.estates import load_registry, read_registry

    path = _registry(tmp_path, "water_deficit_lps", "50 m3/s")
    for read in (lambda: load_registry(path, registry_only=True),
                 lambda: registry_deficits(read_registry(path), source="registry.csv")):
        with pytest.raises(InputError, match="is in m³/s, but this column is in L/s") as err:
            read()
        assert (err.value.row, err.value.column) == (2, "water_deficit_lps")
