"""Column readers of the importer (isipo_geo.registry._fields), on hand-made columns."""

from __future__ import annotations

import pytest

from isipo_geo.registry import _fields
from isipo_geo.registry._headers import Column
from isipo_geo.registry._values import UNITS


def _run(reader, columns: dict[str, tuple[Column, list]], n: int, **kw):
    from isipo_geo.registry.schema import REGISTRY_COLUMNS

    rows = _fields.Rows(n)
    out = {c: [None] * n for c in REGISTRY_COLUMNS}
    by_field = {f: col for f, (col, _) in columns.items()}
    cells_of = {col.position: values for col, values in columns.values()}
    reader(by_field, lambda col: cells_of[col.position], rows, out, **kw)
    return rows, out


def test_quantities_convert_and_check_limits():
    col = Column(0, "کمبود برق (کیلووات)", "power_deficit", UNITS["kw"])
    rows, out = _run(_fields.read_quantities, {"power_deficit": (col, ["۲٬۵۰۰", "-", -1, 9e9])},
                     4, power_factor=None)
    assert out["power_deficit_mw"][:2] == [2.5, None]
    assert rows.errors[0] == rows.errors[1] == []
    assert "is negative" in rows.errors[2][0][1]
    assert "limit 5,000 MW" in rows.errors[3][0][1]


def test_kva_uses_the_power_factor():
    col = Column(0, "برق (کیلوولت آمپر)", "power_deficit", UNITS["kva"])
    _, out = _run(_fields.read_quantities, {"power_deficit": (col, [1000])}, 1, power_factor=0.8)
    assert out["power_deficit_mw"][0] == pytest.approx(0.8)


def test_kind_from_name_only_for_full_kind_words():
    name = Column(0, "نام", "name")
    names = ["ناحیه صنعتی الف", "شهرکرد صنعت", "منطقه ویژه اقتصادی ب"]
    rows, out = _run(_fields.read_text_fields, {"name": (name, names)}, 3)
    rows2 = _fields.Rows(3)
    _fields.check_kinds({}, lambda _col: [], rows2, out)
    assert out["kind"] == ["industrial_zone", None, "special_economic_zone"]
    assert rows2.errors[1][0][1].startswith("the kind is not stated")


def test_status_vocabulary_and_names_by_script():
    name = Column(0, "name", "name")
    status = Column(1, "وضعیت", "status")
    rows, out = _run(_fields.read_text_fields, {"name": (name, ["Test estate", "شهرک صنعتی ب"])},
                     2)
    assert out["name_en"] == ["Test estate", None]
    assert out["name_fa"] == [None, "شهرک صنعتی ب"]
    assert rows.ok(0) and rows.flags[0] == ["no_persian_name"]  # accepted by its Latin name
    rows, out = _run(_fields.check_kinds, {"status": (status, ["در حال بهره‌برداری", "هیچ"])}, 2)
    assert out["status"] == ["operational", None]
    assert "unknown status 'هیچ'" in rows.errors[1][0][1]


def test_deficit_above_demand_is_flagged_not_rejected():
    from isipo_geo.registry.schema import REGISTRY_COLUMNS

    rows = _fields.Rows(1)
    out = {c: [None] for c in REGISTRY_COLUMNS}
    out["power_demand_mw"][0], out["power_deficit_mw"][0] = 2.0, 3.0
    _fields.check_values(rows, out)
    assert rows.ok(0) and rows.flags[0] == ["power_deficit_exceeds_demand"]


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("<b></b>", "the name holds only HTML markup; type the estate's name"),
        ("<img src=x onerror=alert(1)>", "the name holds only HTML markup; type the estate's name"),
        ("   ", "the estate name is empty"),
    ],
)
def test_a_name_of_only_markup_is_rejected_as_such(cell, reason):
    name = Column(0, "نام", "name")
    rows, out = _run(_fields.read_text_fields, {"name": (name, [cell])}, 1)
    assert rows.errors[0] == [("نام", reason)]


def test_a_name_with_some_markup_keeps_its_text_and_the_flag():
    name = Column(0, "نام", "name")
    rows, out = _run(_fields.read_text_fields, {"name": (name, ["<b>Abbas Abad</b> estate"])}, 1)
    assert rows.ok(0)
    assert out["name_en"] == ["Abbas Abad estate"]
    assert rows.flags[0] == ["html_removed:نام", "no_persian_name"]
