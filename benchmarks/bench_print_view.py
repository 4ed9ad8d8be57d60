"""funding.xlsx with its print sheet «چاپ» (#27) against the same workbook without it.

The rows are the funding table of a synthetic registry of 5,000 estates (about 9,000 rows, under
``isipo_geo.tables.PRINT_MAX_ROWS``, so the print sheet is written; longer tables get none and
cost nothing more). Timed in this process, alternating: ``write_records(rows, "funding.xlsx")``
as isipo-geo writes it, and the same call with the print sheet left out. Target: ≤ 1.3× (the
print sheet holds 7 of the table's 24 columns, read from the same rows).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import REPO, quick, repeats, row

NAME = "funding.xlsx, {n} rows: with its print sheet vs without"
TARGET = "<= 1.3x"


def run() -> list[dict[str, Any]]:
    sys.path.insert(0, str(REPO / "tests"))
    from synthetic_registry import write_registry

    from isipo_geo import finance, tables
    from isipo_geo.finance import OUTPUT_COLUMNS

    n_estates = 844 if quick() else 5000
    real = tables.print_sheet
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = finance.funding_rows(
            registry=str(write_registry(folder / f"registry_{n_estates}.csv", n_estates)))

        def write(name: str, view: Any) -> None:
            tables.print_sheet = view
            try:
                tables.write_records(rows, folder / f"{name}.xlsx", columns=OUTPUT_COLUMNS)
            finally:
                tables.print_sheet = real

        def none(*_args: Any, **_kwargs: Any) -> None:  # no print sheet
            return None

        jobs = {"with": lambda: write("with", real), "without": lambda: write("without", none)}
        times: dict[str, list[float]] = {k: [] for k in jobs}
        for _ in range(repeats(5, 2)):
            for name, job in jobs.items():
                start = time.perf_counter()
                job()
                times[name].append(time.perf_counter() - start)
        sizes = {name: (folder / f"{name}.xlsx").stat().st_size / 1e6 for name in jobs}
        from openpyxl import load_workbook

        sheets = load_workbook(folder / "with.xlsx", read_only=True).sheetnames
    median = {name: sorted(t)[len(t) // 2] for name, t in times.items()}
    note = (f"{len(times['with'])} runs each, alternating, medians; sheets {', '.join(sheets)}; "
            f"files {sizes['with']:.2f} MB with, {sizes['without']:.2f} MB without")
    return [row(NAME.format(n=f"{len(rows):,}"), median["with"], "s",
                baseline_name="the same workbook without the print sheet",
                baseline_value=median["without"], target=TARGET, note=note)]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    for r in run():
        print(r)
