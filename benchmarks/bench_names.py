"""Benchmark: province suggestions and the similarity fallback with rapidfuzz against the
``difflib.get_close_matches`` they replaced (issue 16), on the same misspellings, in the same run.

Both score the folded spelling against every folded province name and alias (difflib's ratio
is Ratcliff/Obershelp, rapidfuzz's ``fuzz.ratio`` the normalised Indel similarity; on these
names they rank alike). Recorded: time per query and how often the best suggestion agrees. Run
alone with ``python benchmarks/bench_names.py``.
"""

from __future__ import annotations

import difflib
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

QUERIES = [  # misspellings and near misses, Latin and Persian
    "Tehrn", "Kermansha", "Mazandran", "Esfehan", "Khouzestan", "Kordistan", "Hormozgaan",
    "Golestaan", "Kirmasan", "Tabriz", "خوزستن", "تهرانستان", "Gilaan", "Lorestaan",
    "Sistan Baluchistan", "Khorassan Ravazi", "Kohkiloyeh", "Zanjaan", "Semnaan", "Ardebeel",
]


def run(*, quick: bool = False) -> list[dict[str, Any]]:
    from rapidfuzz import fuzz, process

    from isipo_geo.names import _alias_index, fold

    try:
        from _common import row
    except ImportError:  # pragma: no cover - run outside the harness
        def row(name, value, unit, **kw):
            return {"name": name, "value": value, "unit": unit, **kw}
    index = _alias_index()
    choices = list(index)

    def with_difflib(q: str) -> list[str]:
        return difflib.get_close_matches(fold(q), choices, n=10, cutoff=0.5)

    def with_rapidfuzz(q: str) -> list[str]:
        return [a for a, _, _ in process.extract(fold(q), choices, scorer=fuzz.ratio, limit=10,
                                                 score_cutoff=50)]

    agree = sum((index[a[0]] if a else None) == (index[b[0]] if b else None)
                for a, b in ((with_difflib(q), with_rapidfuzz(q)) for q in QUERIES))
    rounds = 5 if quick else 50
    runs: dict[str, list[float]] = {"difflib": [], "rapidfuzz": []}
    for _ in range(5):
        for name, fn in (("difflib", with_difflib), ("rapidfuzz", with_rapidfuzz)):
            start = time.perf_counter()
            for _ in range(rounds):
                for q in QUERIES:
                    fn(q)
            runs[name].append((time.perf_counter() - start) / (rounds * len(QUERIES)) * 1e6)
    dl, rf = (statistics.median(runs[k]) for k in ("difflib", "rapidfuzz"))
    return [
        row("province suggestion (rapidfuzz fuzz.ratio)", rf, "µs/query",
            baseline_name="difflib.get_close_matches (before)", baseline_value=dl,
            target="<= 1x",
            note=f"{len(QUERIES)} misspellings against {len(choices)} folded names and aliases; "
            f"best suggestion the same for {agree} of {len(QUERIES)}"),
    ]


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        print(r)
