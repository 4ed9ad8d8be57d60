"""`isipo-geo funding` on the shipped data against `python -c "import geopandas"`.

The funding table should cost little more than starting Python with the geospatial stack:
target ≤ 1.2× the time of importing geopandas, both measured as fresh processes in this run.
Until the command exists (or while it fails) the row says "not available" instead of failing.
"""

from __future__ import annotations

from typing import Any

from _common import (
    CommandError,
    console_script,
    not_available,
    python,
    repeats,
    row,
    run_command,
    time_commands_interleaved,
)

NAME = "isipo-geo funding (shipped data), wall time"
TARGET = "<= 1.2x"


def run() -> list[dict[str, Any]]:
    exe = console_script("isipo-geo")
    if exe is None:
        return [not_available(NAME, "the isipo-geo console script is not installed", target=TARGET)]
    try:
        run_command([exe, "funding", "--help"])
    except CommandError as exc:
        return [not_available(NAME, f"no funding command yet ({exc})", target=TARGET)]
    try:
        run_command([exe, "funding"])  # also the warm-up run
    except CommandError as exc:
        return [not_available(NAME, f"`isipo-geo funding` fails: {exc}", target=TARGET)]

    n = repeats(7, 3)
    base, ours = time_commands_interleaved(
        [[python(), "-c", "import geopandas"], [exe, "funding"]], repeat=n, warmup=1
    )
    return [
        row(
            NAME,
            ours.median_s,
            "s",
            baseline_name='python -c "import geopandas"',
            baseline_value=base.median_s,
            target=TARGET,
            note=(
                f"{n} runs each, alternating; ours {ours.spread()}, "
                f"peak RSS {ours.median_rss_mb:.0f} MB vs {base.median_rss_mb:.0f} MB"
            ),
        )
    ]
