"""Run every benchmark of isipo-geo and rewrite ``benchmarks/RESULTS.md``.

Usage::

    python benchmarks/run.py            # every benchmarks/bench_*.py
    python benchmarks/run.py --quick    # fewer repeats and smaller sizes (for a smoke run)
    python benchmarks/run.py --only units --only funding

Each ``bench_<name>.py`` exposes ``run() -> list[dict]`` with rows ``{name, value, unit,
baseline_name, baseline_value, ratio, target, note}`` (see ``_common.row``). Every module runs in
its own process, so one that fails, hangs or is missing a dependency is recorded as such in
RESULTS.md and the others still run. Results are kept in ``results.json`` beside this file;
``--only`` replaces the chosen sections and keeps the others (each section states its date).
RESULTS.md is written atomically. Timings are measured here and never asserted in tests.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import inspect
import json
import math
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS_MD = "RESULTS.md"
RESULTS_JSON = "results.json"
QUICK_ENV = "ISIPO_BENCH_QUICK"
PACKAGES = (
    "isipo-geo",
    "geopandas",
    "shapely",
    "pandas",
    "numpy",
    "pyogrio",
    "pyproj",
    "rasterio",
    "exactextract",
    "folium",
    "duckdb",
    "duckdb-extension-spatial",
    "dask-geopandas",
    "playwright",
)
ROW_KEYS = (
    "name",
    "value",
    "unit",
    "baseline_name",
    "baseline_value",
    "ratio",
    "target",
    "note",
)


# --------------------------------------------------------------------------------------------
# Discovery and running


def discover(bench_dir: Path) -> dict[str, Path]:
    """``{name: path}`` of every ``bench_<name>.py`` in ``bench_dir``, sorted by name."""
    return {p.stem.removeprefix("bench_"): p for p in sorted(bench_dir.glob("bench_*.py"))}


def _child(path: Path, out: Path) -> int:
    """Run one benchmark module in this process and write its rows as JSON to ``out``."""
    sys.path[:0] = [str(path.parent), str(path.parent.parent)]
    import importlib.util

    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    run = getattr(module, "run", None)
    if not callable(run):
        raise TypeError(f"{path.name} has no run() function")
    quick = os.environ.get(QUICK_ENV) == "1"
    rows = run(quick=quick) if "quick" in inspect.signature(run).parameters else run()
    rows = [_clean_row(r, path.name) for r in rows]
    out.write_text(json.dumps(rows, ensure_ascii=False, default=float), encoding="utf-8")
    return 0


def _clean_row(row: Any, source: str) -> dict[str, Any]:
    if not isinstance(row, dict) or "name" not in row:
        raise TypeError(f"{source}: run() must return dicts with at least 'name', got {row!r}")
    clean = {k: row.get(k) for k in ROW_KEYS}
    for key in ("value", "baseline_value", "ratio"):
        v = clean[key]
        if v is not None and not isinstance(v, (int, float)):
            try:
                clean[key] = float(v)
            except (TypeError, ValueError):
                clean["note"] = f"{clean.get('note') or ''} ({key}={v!r} is not a number)".strip()
                clean[key] = None
    if clean["ratio"] is None and clean["value"] is not None and clean["baseline_value"]:
        clean["ratio"] = clean["value"] / clean["baseline_value"]
    extra = {k: v for k, v in row.items() if k not in ROW_KEYS}
    if "passed" in extra:
        clean["passed"] = extra.pop("passed")
    return clean


def run_one(name: str, path: Path, *, quick: bool, timeout_s: float) -> dict[str, Any]:
    """Run one benchmark module in a subprocess; a result entry whatever happens."""
    entry: dict[str, Any] = {
        "module": path.name,
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "quick": quick,
        "rows": [],
        "status": "ok",
        "error": "",
    }
    with tempfile.TemporaryDirectory(prefix=f"bench_{name}_") as tmp:
        out = Path(tmp) / "rows.json"
        env = {**os.environ, QUICK_ENV: "1" if quick else "0", "PYTHONUNBUFFERED": "1"}
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(path), str(out)]
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                cmd, env=env, capture_output=True, text=True, timeout=timeout_s, check=False
            )
        except subprocess.TimeoutExpired:
            entry.update(status="timeout", error=f"stopped after {timeout_s:g} s")
        else:
            if proc.returncode != 0 or not out.is_file():
                lines = [ln for ln in (proc.stderr or "").strip().splitlines() if ln.strip()]
                entry.update(
                    status="failed",
                    error=(lines[-1] if lines else f"exit code {proc.returncode}")[:500],
                )
            else:
                entry["rows"] = json.loads(out.read_text(encoding="utf-8"))
            if proc.stderr:
                sys.stderr.write(proc.stderr[-4000:])
        entry["seconds"] = round(time.perf_counter() - start, 1)
    entry["environment"] = environment()
    return entry


# --------------------------------------------------------------------------------------------
# Machine and versions


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024**2
    return None


def _chromium_version() -> str | None:
    exe = Path("/usr/bin/chromium")
    if not exe.exists():
        return None
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(
            [str(exe), "--version"], capture_output=True, text=True, timeout=20, check=False
        )
        return out.stdout.strip() or None
    return None


def _versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
    return found


_ENVIRONMENT: dict[str, Any] | None = None


def environment() -> dict[str, Any]:
    """Machine, load and package versions (computed once per harness run)."""
    global _ENVIRONMENT
    if _ENVIRONMENT is None:
        mem = _memory_gib()
        _ENVIRONMENT = {
            "cpu": _cpu_model(),
            "cores": os.cpu_count(),
            "cores_usable": len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else None,
            "memory_gib": round(mem, 1) if mem else None,
            "os": platform.platform(),
            "python": platform.python_version(),
            "packages": _versions(),
            "chromium": _chromium_version(),
        }
    return _ENVIRONMENT


# --------------------------------------------------------------------------------------------
# Rendering RESULTS.md

_TARGET = re.compile(r"^\s*(<=|>=|<|>|≤|≥)?\s*([0-9]*\.?[0-9]+)\s*[x×]?\s*$")


def verdict(row: dict[str, Any]) -> str:
    """'pass', 'miss' or '' (no target, or nothing measured)."""
    if isinstance(row.get("passed"), bool):
        return "pass" if row["passed"] else "miss"
    target, ratio = row.get("target"), row.get("ratio")
    if target is None or target == "" or ratio is None or not math.isfinite(ratio):
        return ""
    if isinstance(target, (int, float)):
        op, limit = "<=", float(target)
    else:
        m = _TARGET.match(str(target))
        if not m:
            return ""
        op, limit = (m.group(1) or "<=").replace("≤", "<=").replace("≥", ">="), float(m.group(2))
    ok = {
        "<=": ratio <= limit,
        "<": ratio < limit,
        ">=": ratio >= limit,
        ">": ratio > limit,
    }[op]
    return "pass" if ok else "miss"


def _num(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and value > 999):
        return f"{int(value):,}"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def _cell(text: Any) -> str:
    return "" if text is None else str(text).replace("|", "\\|").replace("\n", " ")


def _target_text(target: Any) -> str:
    if target is None or target == "":
        return ""
    if isinstance(target, (int, float)):
        return f"≤ {target:g}×"
    return str(target).replace("<=", "≤").replace(">=", "≥")


def render_section(name: str, entry: dict[str, Any], header_env: dict[str, Any]) -> list[str]:
    """Markdown lines of one benchmark's section."""
    quick = " (quick run)" if entry.get("quick") else ""
    lines = [f"## {name}", ""]
    lines.append(
        f"`{entry['module']}` — {entry['date']}{quick}, {entry.get('seconds', '?')} s in all."
    )
    env = entry.get("environment") or {}
    if env and env != header_env:
        diff = {
            k: v
            for k, v in (env.get("packages") or {}).items()
            if (header_env.get("packages") or {}).get(k) != v
        }
        extra = ", ".join(f"{k} {v}" for k, v in diff.items())
        lines.append(
            f"Measured in an earlier run on {env.get('cpu')} ({env.get('cores')} cores)"
            + (f" with {extra}" if extra else "")
            + "."
        )
    lines.append("")
    if entry["status"] != "ok":
        lines += [f"**{entry['status'].upper()}**: {_cell(entry.get('error'))}", ""]
    rows = entry.get("rows") or []
    if rows:
        lines += [
            "| benchmark | value | baseline | baseline value | ratio | target | result | note |",
            "|---|---:|---|---:|---:|---|---|---|",
        ]
        for r in rows:
            unit = r.get("unit") or ""
            value = _num(r.get("value"))
            base = _num(r.get("baseline_value"))
            lines.append(
                "| "
                + " | ".join(
                    [
                        _cell(r.get("name")),
                        f"{value} {unit}".strip() if r.get("value") is not None else "—",
                        _cell(r.get("baseline_name")),
                        f"{base} {unit}".strip() if r.get("baseline_value") is not None else "",
                        f"{r['ratio']:.2f}×" if r.get("ratio") is not None else "",
                        _target_text(r.get("target")),
                        verdict(r),
                        _cell(r.get("note")),
                    ]
                )
                + " |"
            )
        lines.append("")
    elif entry["status"] == "ok":
        lines += ["(no rows)", ""]
    return lines


def render(results: dict[str, dict[str, Any]], env: dict[str, Any]) -> str:
    """The whole of RESULTS.md."""
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    pk = env.get("packages") or {}
    versions = ", ".join(f"{k} {v}" for k, v in pk.items() if v) or "?"
    absent = ", ".join(k for k, v in pk.items() if not v)
    lines = [
        "# Benchmark results",
        "",
        "Generated by `python benchmarks/run.py` — do not edit by hand. Values are medians of "
        "several runs; each ratio compares against a baseline measured in the same run on the "
        "same machine. Timings are never asserted in tests.",
        "",
        f"- Written: {now}",
        f"- Machine: {env.get('cpu')}, {env.get('cores')} cores "
        f"({env.get('cores_usable')} usable), {env.get('memory_gib')} GiB memory; "
        f"{env.get('os')}. The machine is shared: absolute times vary between runs, ratios "
        "much less.",
        f"- Python {env.get('python')}; {versions}"
        + (f"; not installed: {absent}" if absent else ""),
        f"- Browser: {env.get('chromium') or 'none'}",
        "",
    ]
    summary = []
    for name, entry in results.items():
        verdicts = [verdict(r) for r in entry.get("rows") or []]
        summary.append(
            f"| {name} | {entry['status']} | {verdicts.count('pass')} | {verdicts.count('miss')} "
            f"| {entry['date'][:10]} |"
        )
    if summary:
        lines += ["| benchmark | status | pass | miss | date |", "|---|---|---:|---:|---|"]
        lines += summary + [""]
    for name, entry in results.items():
        lines += render_section(name, entry, env)
    return "\n".join(lines).rstrip() + "\n"


def _write_atomic(path: Path, text: str) -> None:
    try:
        from isipo_geo.io import atomic_write
    except ImportError:  # running without the package installed
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        return
    with atomic_write(path) as f:
        f.write(text)


# --------------------------------------------------------------------------------------------
# Command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, smaller sizes")
    parser.add_argument(
        "--only", action="append", metavar="NAME", help="run only this benchmark (repeatable)"
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per benchmark")
    parser.add_argument("--dir", type=Path, default=HERE, help=argparse.SUPPRESS)
    parser.add_argument("--child", nargs=2, metavar=("MODULE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        try:
            return _child(Path(args.child[0]), Path(args.child[1]))
        except Exception:
            traceback.print_exc()
            return 1

    bench_dir: Path = args.dir.resolve()
    found = discover(bench_dir)
    chosen = list(found)
    if args.only:
        wanted = [w.removeprefix("bench_").removesuffix(".py") for w in args.only]
        unknown = [w for w in wanted if w not in found]
        if unknown:
            parser.error(f"no benchmark {', '.join(unknown)}; there are: {', '.join(found)}")
        chosen = wanted
    json_path = bench_dir / RESULTS_JSON
    results: dict[str, dict[str, Any]] = {}
    if json_path.is_file():
        with contextlib.suppress(ValueError, OSError):
            results = json.loads(json_path.read_text(encoding="utf-8"))
    results = {k: v for k, v in results.items() if k in found}
    for name in chosen:
        print(f"[bench] {name} ...", file=sys.stderr, flush=True)
        entry = run_one(name, found[name], quick=args.quick, timeout_s=args.timeout)
        results[name] = entry
        print(
            f"[bench] {name}: {entry['status']} in {entry['seconds']} s"
            + (f" ({entry['error']})" if entry["error"] else ""),
            file=sys.stderr,
            flush=True,
        )
        ordered = {k: results[k] for k in found if k in results}
        _write_atomic(json_path, json.dumps(ordered, ensure_ascii=False, indent=1) + "\n")
        _write_atomic(bench_dir / RESULTS_MD, render(ordered, environment()))
    print(f"[bench] wrote {bench_dir / RESULTS_MD}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
