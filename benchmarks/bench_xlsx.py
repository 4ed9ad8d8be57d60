"""funding.xlsx at 84,400 estates (151,792 rows): our streaming writer against XlsxWriter.

The rows are the funding table of a synthetic registry (``tests/synthetic_registry.py``), made
once. Timed in this process, alternating: ``write_records(rows, "funding.xlsx")`` (ours,
isipo_geo.xlsx), the same sheet through XlsxWriter in constant-memory mode as isipo-geo wrote it
before (per-cell ``write_string``/``write_number``; needs ``pip install ".[bench]"``), and
``write_records(rows, "funding.csv")``. Target: ours ≤ 0.25× XlsxWriter (the issue's 19 s → ≤ 4 s
on a quiet machine). The note gives each writer's extra Python memory (tracemalloc peak, one run)
and the file sizes.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from _common import REPO, not_available, quick, repeats, row

NAME = "funding.xlsx, {n} rows: write_records (ours) vs XlsxWriter"
TARGET = "<= 0.25x"


def _rows(folder: Path, n_estates: int) -> list[dict]:
    sys.path.insert(0, str(REPO / "tests"))
    from synthetic_registry import write_registry

    from isipo_geo import finance

    registry = write_registry(folder / f"registry_{n_estates}.csv", n_estates)
    return finance.funding_rows(registry=str(registry))


def _xlsxwriter(rows: list[dict], path: Path) -> None:
    """The sheet as isipo-geo wrote it with XlsxWriter before its own writer (same cells)."""
    import xlsxwriter

    from isipo_geo.finance import OUTPUT_COLUMNS
    from isipo_geo.tables import HEADERS_FA, _sheet

    sheet = _sheet("isipo-geo", OUTPUT_COLUMNS, rows, persian_columns=True)
    wb = xlsxwriter.Workbook(
        str(path),
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
         "strings_to_numbers": False},
    )
    head = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "pattern": 1,
                          "bg_color": "#F5F1EC"})
    ws = wb.add_worksheet(sheet.name)
    ws.right_to_left()
    for i, text in enumerate(sheet.header):
        ws.write_string(0, i, text, head)
        ws.set_column(i, i, sheet.widths[i])
    ws.set_row(0, 33)
    ws.freeze_panes(1, 0)
    formats: dict[str, Any] = {}
    for r, (values, number_formats) in enumerate(sheet.rows, start=1):
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                ws.write_string(r, c, value.replace("\r\n", "\n").replace("\r", "\n"))
            elif isinstance(value, bool):
                ws.write_boolean(r, c, value)
            else:
                code = number_formats[c]
                if code and code not in formats:
                    formats[code] = wb.add_format({"num_format": code})
                ws.write_number(r, c, float(value), formats.get(code) if code else None)
    ws.autofilter(0, 0, sheet.n_rows, len(sheet.header) - 1)
    wb.close()
    assert HEADERS_FA  # the headers came from isipo_geo.tables


def _traced_peak_mb(fn) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def run() -> list[dict[str, Any]]:
    try:
        import xlsxwriter  # noqa: F401
    except ImportError:
        return [not_available(NAME.format(n="151,792"), "XlsxWriter is not installed "
                              '(pip install ".[bench]")', target=TARGET)]
    from isipo_geo.tables import write_records

    n_estates = 8440 if quick() else 84400
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = _rows(folder, n_estates)
        from isipo_geo.finance import OUTPUT_COLUMNS

        jobs = {
            "ours": lambda: write_records(rows, folder / "ours.xlsx", columns=OUTPUT_COLUMNS),
            "xlsxwriter": lambda: _xlsxwriter(rows, folder / "xlsxwriter.xlsx"),
            "csv": lambda: write_records(rows, folder / "ours.csv", columns=OUTPUT_COLUMNS),
        }
        times: dict[str, list[float]] = {k: [] for k in jobs}
        for _ in range(repeats(3, 1)):
            for name, job in jobs.items():
                start = time.perf_counter()
                job()
                times[name].append(time.perf_counter() - start)
        peaks = {name: _traced_peak_mb(job) for name, job in jobs.items()}
        sizes = {
            name: (folder / f).stat().st_size / 1e6
            for name, f in (("ours", "ours.xlsx"), ("xlsxwriter", "xlsxwriter.xlsx"),
                            ("csv", "ours.csv"))
        }
    median = {name: sorted(t)[len(t) // 2] for name, t in times.items()}
    note = (
        f"{len(times['ours'])} runs each, alternating, medians; CSV of the same rows "
        f"{median['csv']:.2f} s. Extra Python memory (tracemalloc peak): ours "
        f"{peaks['ours']:.0f} MB, XlsxWriter {peaks['xlsxwriter']:.0f} MB, CSV "
        f"{peaks['csv']:.0f} MB. Files: ours {sizes['ours']:.1f} MB, XlsxWriter "
        f"{sizes['xlsxwriter']:.1f} MB, CSV {sizes['csv']:.1f} MB"
    )
    return [
        row(
            NAME.format(n=f"{len(rows):,}"),
            median["ours"],
            "s",
            baseline_name="XlsxWriter, constant_memory, per-cell writes",
            baseline_value=median["xlsxwriter"],
            target=TARGET,
            note=note,
        )
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    for r in run():
        print(r)
