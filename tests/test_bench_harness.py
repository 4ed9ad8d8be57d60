"""The benchmark harness (benchmarks/run.py, benchmarks/_common.py) on fake benchmarks.

Only the bookkeeping is tested: discovery, failure tolerance, pass/miss and the RESULTS.md
layout. No timing is asserted.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def harness():
    return _load("run")


@pytest.fixture(scope="module")
def common():
    sys.path.insert(0, str(BENCH))
    try:
        yield _load("_common")
    finally:
        sys.path.remove(str(BENCH))


GOOD = """
def run(quick=False):
    return [
        {"name": "fast thing", "value": 1.0, "unit": "s", "baseline_name": "slow thing",
         "baseline_value": 2.0, "ratio": None, "target": "<= 1.2x", "note": f"quick={quick}"},
        {"name": "big thing", "value": 3.0, "unit": "MB", "baseline_name": "small thing",
         "baseline_value": 1.0, "ratio": 3.0, "target": 2, "note": "a | pipe"},
        {"name": "absent thing", "value": None, "unit": "", "note": "not available: later"},
    ]
"""


def _bench_dir(tmp_path: Path) -> Path:
    (tmp_path / "bench_good.py").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bench_broken.py").write_text(
        "def run():\n    raise RuntimeError('no data yet')\n", encoding="utf-8"
    )
    (tmp_path / "bench_noapi.py").write_text("X = 1\n", encoding="utf-8")
    (tmp_path / "helper.py").write_text("raise SystemExit('not a benchmark')\n", encoding="utf-8")
    return tmp_path


def test_harness_records_results_and_failures(harness, tmp_path):
    bench_dir = _bench_dir(tmp_path)
    assert list(harness.discover(bench_dir)) == ["broken", "good", "noapi"]
    assert harness.main(["--dir", str(bench_dir), "--quick"]) == 0

    text = (bench_dir / "RESULTS.md").read_text(encoding="utf-8")
    assert text.startswith("# Benchmark results\n")
    assert "- Machine: " in text and "- Python " in text
    assert "| broken | failed | 0 | 0 |" in text
    assert "| good | ok | 1 | 1 |" in text
    assert "**FAILED**: RuntimeError: no data yet" in text
    assert "**FAILED**: TypeError: bench_noapi.py has no run() function" in text
    assert "| fast thing | 1 s | slow thing | 2 s | 0.50× | ≤ 1.2x | pass | quick=True |" in text
    assert "| big thing | 3 MB | small thing | 1 MB | 3.00× | ≤ 2× | miss | a \\| pipe |" in text
    assert "| absent thing | — |" in text
    saved = json.loads((bench_dir / "results.json").read_text(encoding="utf-8"))
    assert saved["good"]["rows"][0]["ratio"] == 0.5
    assert not list(bench_dir.glob(".*.tmp"))


def test_only_reruns_one_and_keeps_the_others(harness, tmp_path):
    bench_dir = _bench_dir(tmp_path)
    harness.main(["--dir", str(bench_dir), "--quick"])
    (bench_dir / "bench_broken.py").write_text(
        "def run():\n    return [{'name': 'fixed', 'value': 1, 'unit': 's'}]\n", encoding="utf-8"
    )
    harness.main(["--dir", str(bench_dir), "--only", "broken"])
    text = (bench_dir / "RESULTS.md").read_text(encoding="utf-8")
    assert "| broken | ok |" in text and "| fixed | 1 s |" in text
    assert "| good | ok | 1 | 1 |" in text  # kept from the first run
    with pytest.raises(SystemExit):
        harness.main(["--dir", str(bench_dir), "--only", "nosuch"])


@pytest.mark.parametrize(
    ("target", "ratio", "expected"),
    [
        ("<= 1.2x", 1.2, "pass"),
        ("<= 1.2x", 1.21, "miss"),
        ("≤ 3×", 2.0, "pass"),
        (">= 1x", 0.5, "miss"),
        (11, 10.9, "pass"),
        ("at most 11x", 3.0, ""),
        (None, 3.0, ""),
        ("<= 1x", None, ""),
    ],
)
def test_verdict(harness, target, ratio, expected):
    assert harness.verdict({"target": target, "ratio": ratio}) == expected


def test_verdict_explicit_passed(harness):
    assert harness.verdict({"target": "<= 1x", "ratio": 5.0, "passed": True}) == "pass"


def test_common_row_and_commands(common):
    r = common.row("x", 3.0, "s", baseline_name="y", baseline_value=1.5, target="<= 1x")
    assert r["ratio"] == 2.0 and r["target"] == "<= 1x"
    assert common.not_available("z", "later")["note"] == "not available: later"
    elapsed, peak_mb, _ = common.run_command([sys.executable, "-c", "x = bytearray(80_000_000)"])
    assert elapsed > 0 and peak_mb >= 80
    with pytest.raises(common.CommandError, match="exited 3"):
        common.run_command([sys.executable, "-c", "import sys; sys.exit(3)"])
    timing = common.time_call(lambda: 42, repeat=3, warmup=0)
    assert len(timing.runs_s) == 3 and timing.result == 42
