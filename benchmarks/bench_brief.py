"""`isipo-geo brief all` against `isipo-geo map all` (shipped data), and the size of a brief.

1. Time: ``brief all`` (the national brief and 31 province briefs, each with its map inline,
   one fresh process) against ``map all`` (national + 31 province maps + index, one fresh
   process). Target: ≤ 2×. Medians of interleaved runs.
2. Time of ``brief all --pdf`` (the same, then 32 PDFs printed by one headless Chromium) against
   ``map all``, recorded without a target; skipped when no Chromium is found.
3. Size: the Fars brief (map page, Vazirmatn Regular and Bold, tables, charts, all inline)
   against the Fars map page alone.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from _common import (
    CommandError,
    console_script,
    not_available,
    repeats,
    row,
    run_command,
    time_commands_interleaved,
)

TIME_NAME = "isipo-geo brief all (32 briefs), wall time"
PDF_NAME = "isipo-geo brief all --pdf (32 briefs + 32 PDFs), wall time"
SIZE_NAME = "province brief HTML size (Fars, self-contained)"


def _time_rows(exe: str, tmp: Path) -> list[dict[str, Any]]:
    maps_cmd = [exe, "map", "all", "--out-dir", str(tmp / "maps")]
    brief_cmd = [exe, "brief", "all", "--out-dir", str(tmp / "briefs")]
    n = repeats(5, 2)
    base, ours = time_commands_interleaved([maps_cmd, brief_cmd], repeat=n, warmup=1)
    rows = [
        row(
            TIME_NAME,
            ours.median_s,
            "s",
            baseline_name="isipo-geo map all (33 pages, fresh process)",
            baseline_value=base.median_s,
            target="<= 2x",
            note=(
                f"{n} runs each, alternating; ours {ours.spread()}, peak RSS "
                f"{ours.median_rss_mb:.0f} MB vs {base.median_rss_mb:.0f} MB"
            ),
        )
    ]
    from isipo_geo.documents.pdf import find_chromium

    if find_chromium() is None:
        rows.append(not_available(PDF_NAME, "no Chromium/Chrome on this machine"))
        return rows
    pdf_cmd = [*brief_cmd, "--pdf"]
    m = repeats(3, 1)
    base, ours = time_commands_interleaved([maps_cmd, pdf_cmd], repeat=m, warmup=0)
    rows.append(
        row(
            PDF_NAME,
            ours.median_s,
            "s",
            baseline_name="isipo-geo map all (33 pages, fresh process)",
            baseline_value=base.median_s,
            note=(
                f"{m} runs each, alternating; one headless Chromium prints every PDF "
                "(--remote-debugging-pipe); no target of its own"
            ),
        )
    )
    return rows


def _size_row(exe: str, tmp: Path) -> dict[str, Any]:
    run_command([exe, "brief", "fars", "--out-dir", str(tmp / "size")])
    run_command([exe, "map", "province", "fars", "--out-dir", str(tmp / "size")])
    brief = (tmp / "size" / "briefs" / "fars.html").stat().st_size
    page = (tmp / "size" / "provinces" / "fars.html").stat().st_size
    fonts = sum(
        p.stat().st_size
        for p in (Path(__file__).resolve().parents[1] / "data" / "fonts").glob("*.woff2")
    )
    return row(
        SIZE_NAME,
        brief / 1000,
        "kB",
        baseline_name="the Fars map page alone",
        baseline_value=page / 1000,
        note=(
            f"the brief carries the map page inline (escaped in srcdoc), Vazirmatn Regular and "
            f"Bold ({fonts / 1000:.0f} kB as woff2, a third more as base64), tables and SVG "
            "charts; nothing is fetched"
        ),
    )


def run() -> list[dict[str, Any]]:
    exe = console_script("isipo-geo")
    if exe is None:
        why = "the isipo-geo console script is not installed"
        return [not_available(n, why) for n in (TIME_NAME, PDF_NAME, SIZE_NAME)]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            rows += _time_rows(exe, Path(tmp))
        except CommandError as exc:
            rows += [not_available(n, str(exc)) for n in (TIME_NAME, PDF_NAME)]
        try:
            rows.append(_size_row(exe, Path(tmp)))
        except CommandError as exc:
            rows.append(not_available(SIZE_NAME, str(exc)))
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    for r in run():
        print(r)
