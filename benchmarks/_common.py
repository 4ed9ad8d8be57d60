"""Helpers shared by the benchmark modules (``benchmarks/bench_*.py``).

Each benchmark module exposes ``run() -> list[dict]``; build the dicts with :func:`row`. Time a
Python callable with :func:`time_call`, a command with :func:`time_command` (which also gives
the command's peak resident memory). Check :func:`quick` to make a run cheaper.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
QUICK_ENV = "ISIPO_BENCH_QUICK"


def quick() -> bool:
    """True when the harness runs with ``--quick`` (fewer repeats, smaller sizes)."""
    return os.environ.get(QUICK_ENV, "") == "1"


def repeats(full: int = 5, fast: int = 2) -> int:
    """How many timed runs to make: ``full`` normally, ``fast`` with ``--quick``."""
    return fast if quick() else full


@dataclass
class Timing:
    """Wall-clock seconds of several runs; ``median_s`` is what the tables report."""

    runs_s: list[float]
    peak_rss_mb: list[float] = field(default_factory=list)
    result: Any = None

    @property
    def median_s(self) -> float:
        return statistics.median(self.runs_s)

    @property
    def median_rss_mb(self) -> float | None:
        return statistics.median(self.peak_rss_mb) if self.peak_rss_mb else None

    def spread(self) -> str:
        """'min–max over n runs' for notes."""
        return f"{min(self.runs_s):.3g}–{max(self.runs_s):.3g} s over {len(self.runs_s)} runs"


def time_call(fn: Callable[[], Any], *, repeat: int | None = None, warmup: int = 1) -> Timing:
    """Run ``fn`` ``warmup`` times untimed, then ``repeat`` times timed (perf_counter)."""
    repeat = repeats() if repeat is None else repeat
    result = None
    for _ in range(warmup):
        result = fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
    return Timing(runs, result=result)


class CommandError(RuntimeError):
    """A timed command exited non-zero; ``stderr`` holds its last lines."""

    def __init__(self, cmd: Sequence[str], code: int, stderr: str) -> None:
        self.cmd, self.code, self.stderr = list(cmd), code, stderr
        tail = stderr.strip().splitlines()[-1:] or [""]
        super().__init__(f"{' '.join(cmd)} exited {code}: {tail[0][:200]}")


# Runs the command and prints "seconds max_rss_kb exit_code". A small process of its own, so the
# child's peak RSS is its own: Linux carries the parent's high-water RSS across fork + exec, so a
# command started straight from a benchmark holding 10^6 points would report at least that much.
_SHIM = """
import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
elapsed = time.perf_counter() - start
print(elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def run_command(
    cmd: Sequence[str], *, env: dict[str, str] | None = None, cwd: str | Path | None = None
) -> tuple[float, float, str]:
    """Run ``cmd`` once: (wall seconds, peak RSS in MB of the command, its stderr text).

    The command is started by a small helper process that times it and reads its own
    ``ru_maxrss`` from ``os.wait4``, so neither the benchmark's memory nor Python's start-up
    of the helper is counted. Raises :class:`CommandError` on a non-zero exit.
    """
    proc = subprocess.run(
        [sys.executable, "-c", _SHIM, *cmd],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        check=False,
    )
    try:
        elapsed_s, rss_kb, code = proc.stdout.split()
    except ValueError:
        raise CommandError(cmd, proc.returncode, proc.stderr) from None
    if int(code) != 0:
        raise CommandError(cmd, int(code), proc.stderr)
    return float(elapsed_s), int(rss_kb) / 1024.0, proc.stderr


def time_command(
    cmd: Sequence[str],
    *,
    repeat: int | None = None,
    warmup: int = 1,
    env: dict[str, str] | None = None,
    cwd: str | Path | None = None,
) -> Timing:
    """Median wall time and peak RSS of a command over ``repeat`` runs (after ``warmup``)."""
    repeat = repeats() if repeat is None else repeat
    for _ in range(warmup):
        run_command(cmd, env=env, cwd=cwd)
    runs, rss = [], []
    for _ in range(repeat):
        elapsed, peak, _ = run_command(cmd, env=env, cwd=cwd)
        runs.append(elapsed)
        rss.append(peak)
    return Timing(runs, peak_rss_mb=rss)


def time_commands_interleaved(
    cmds: Sequence[Sequence[str]],
    *,
    repeat: int | None = None,
    warmup: int = 1,
    env: dict[str, str] | None = None,
    cwd: str | Path | None = None,
) -> list[Timing]:
    """Time several commands in alternation (a, b, a, b, ...), so that a change in the load of a
    shared machine falls on all of them alike. One :class:`Timing` per command."""
    repeat = repeats() if repeat is None else repeat
    for _ in range(warmup):
        for cmd in cmds:
            run_command(cmd, env=env, cwd=cwd)
    timings = [Timing([], peak_rss_mb=[]) for _ in cmds]
    for _ in range(repeat):
        for cmd, timing in zip(cmds, timings, strict=True):
            elapsed, peak, _ = run_command(cmd, env=env, cwd=cwd)
            timing.runs_s.append(elapsed)
            timing.peak_rss_mb.append(peak)
    return timings


def python() -> str:
    """The interpreter running the benchmarks (the project's venv)."""
    return sys.executable


def console_script(name: str) -> str | None:
    """Path of a console script installed beside the interpreter (e.g. ``isipo-geo``)."""
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return str(beside)
    return shutil.which(name)


def row(
    name: str,
    value: float | None,
    unit: str,
    *,
    baseline_name: str | None = None,
    baseline_value: float | None = None,
    target: str | float | None = None,
    note: str = "",
    ratio: float | None = None,
) -> dict[str, Any]:
    """One result row. ``ratio`` defaults to value / baseline_value.

    ``target`` is a condition on the ratio such as ``"<= 1.2x"`` or ``">= 1x"`` (a bare number
    means ``<=`` that number); the harness marks the row pass or miss. ``value=None`` records a
    benchmark that could not run (say why in ``note``).
    """
    if ratio is None and value is not None and baseline_value:
        ratio = value / baseline_value
    return {
        "name": name,
        "value": value,
        "unit": unit,
        "baseline_name": baseline_name,
        "baseline_value": baseline_value,
        "ratio": ratio,
        "target": target,
        "note": note,
    }


def not_available(name: str, why: str, *, target: str | float | None = None) -> dict[str, Any]:
    """A row for a benchmark whose subject does not exist yet (recorded, not failed)."""
    return row(name, None, "", target=target, note=f"not available: {why}")
