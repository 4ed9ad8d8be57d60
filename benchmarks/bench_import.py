"""Benchmark: ``import_registry`` on a 10,000-row XLSX against ``pandas.read_excel`` of the same
file, in the same run (target: the import takes at most 2× as long as pandas just reading it).

The workbook is generated here (synthetic test data, never shipped): a title row above Persian
headers, points near the provinces' representative points, deficits in m³/day (converted),
yes/no cells in Persian. Run alone with ``python benchmarks/bench_import.py``.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROWS = 10_000
ROWS_QUICK = 2_000
TARGET = "<= 2x"
HEADERS = [
    "ردیف", "نام شهرک", "نوع", "استان", "وضعیت", "مساحت (هکتار)",
    "کمبود آب (متر مکعب در روز)", "نیاز آب (لیتر بر ثانیه)", "کمبود برق (مگاوات)", "گاز",
    "فیبر نوری", "طول جغرافیایی", "عرض جغرافیایی",
]


def make_workbook(path: Path, rows: int, *, seed: int = 1400) -> None:
    """Write a synthetic registry workbook of ``rows`` estates to ``path``."""
    import openpyxl

    from isipo_geo.provinces import load_provinces

    rng = random.Random(seed)
    provinces = load_provinces()
    points = provinces.geometry.representative_point()
    keys = list(provinces.index)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("estates")
    ws.append(["فهرست شهرک‌ها و نواحی صنعتی (داده آزمایشی)"])
    ws.append(HEADERS)
    kinds = ["شهرک صنعتی", "ناحیه صنعتی"]
    statuses = ["فعال", "در حال احداث", "مصوب"]
    for i in range(rows):
        key = keys[i % len(keys)]
        p = points[key]
        kind = kinds[i % 2]
        ws.append([
            i + 1,
            f"{kind} آزمایشی {i + 1}",
            kind,
            provinces.at[key, "name_fa"],
            statuses[i % 3],
            round(rng.uniform(10, 900), 1),
            round(rng.uniform(0, 8640), 1),
            round(rng.uniform(50, 200), 1),
            round(rng.uniform(0, 40), 2),
            "دارد" if rng.random() < 0.7 else "ندارد",
            "بله" if rng.random() < 0.5 else "خیر",
            round(p.x + rng.uniform(-0.01, 0.01), 6),
            round(p.y + rng.uniform(-0.01, 0.01), 6),
        ])
    wb.save(path)


def _interleaved(fns: list, repeat: int) -> list[tuple[float, list[float], Any]]:
    """Time each function ``repeat`` times, alternating them so that load from other processes
    on a shared machine falls on both alike; one untimed warm-up each (imports, caches)."""
    results = [fn() for fn in fns]
    runs: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            start = time.perf_counter()
            results[k] = fn()
            runs[k].append(time.perf_counter() - start)
    return [(statistics.median(r), r, res) for r, res in zip(runs, results, strict=True)]


def run(*, quick: bool = False) -> list[dict[str, Any]]:
    """Time the import and pandas' read of the same generated workbook (medians)."""
    import pandas as pd

    from isipo_geo.registry.importer import import_registry

    try:
        from _common import row
    except ImportError:  # pragma: no cover - run outside the harness
        row = _row
    n = ROWS_QUICK if quick else ROWS
    repeat = 2 if quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "registry_10k.xlsx"
        make_workbook(path, n)
        (base_s, base_runs, frame), (imp_s, imp_runs, result) = _interleaved(
            [lambda: pd.read_excel(path, header=1, engine="openpyxl"),
             lambda: import_registry(path)], repeat
        )
    assert len(frame) == n and result.rows_read == n
    note = (
        f"{n:,} rows × {len(HEADERS)} columns; import {min(imp_runs):.2f}–{max(imp_runs):.2f} s, "
        f"pandas {min(base_runs):.2f}–{max(base_runs):.2f} s over {repeat} interleaved runs; "
        "accepted "
        f"{result.accepted}, rejected {result.rejected}, flagged {result.flagged}"
    )
    return [
        row(
            f"import {n:,}-row XLSX (isipo-geo import)",
            imp_s,
            "s",
            baseline_name="pandas.read_excel (openpyxl) of the same file",
            baseline_value=base_s,
            target=TARGET,
            note=note,
        ),
        row(
            "import throughput",
            n / imp_s,
            "rows/s",
            note="rows checked, located and converted per second (median run)",
        ),
    ]


def _row(name: str, value: float | None, unit: str, *, baseline_name: str | None = None,
         baseline_value: float | None = None, target: str | None = None,
         note: str = "") -> dict[str, Any]:
    ratio = value / baseline_value if value is not None and baseline_value else None
    return {"name": name, "value": value, "unit": unit, "baseline_name": baseline_name,
            "baseline_value": baseline_value, "ratio": ratio, "target": target, "note": note}


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        print(r)
