"""Benchmark: adding the 31 provincial workbooks (844 estates) to a registry on a PostgreSQL/PostGIS
server against adding them to registry.gpkg, in the same run (target: at most 2× the
GeoPackage); and 31 provincial companies submitting at once against the same 31 submissions
one after the other.

The workbooks are bench_store.py's synthetic ones (read once, untimed: both stores take the same
batch). The server is a throwaway cluster started here (tests/pg_cluster.py: a temporary folder,
a unix socket; fsync off, as in the tests) and stopped at the end. Run alone with
``python benchmarks/bench_server.py``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

TARGET = "<= 2x"


def _reset(admin: str) -> None:
    import psycopg

    with psycopg.connect(admin) as conn:
        conn.execute("TRUNCATE isipo.history, isipo.submissions")


def run(*, quick: bool = False) -> list[dict[str, Any]]:
    from _common import not_available, row
    from bench_store import make_submissions
    from pg_cluster import NoServerError, start_cluster, stop_cluster

    from isipo_geo.registry.batch import import_files
    from isipo_geo.registry.server import add_user, init_registry
    from isipo_geo.registry.store import import_into

    name = "import 31 provincial workbooks (844 estates) into a registry server"
    try:
        cluster = start_cluster()
    except NoServerError as exc:
        return [not_available(name, str(exc), target=TARGET)]
    repeat = 2 if quick else 5
    try:
        import psycopg

        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE bench")
        admin = cluster.url("bench")
        init_registry(admin)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "submissions"
            make_submissions(folder)
            files = sorted(folder.glob("*.xlsx"))
            whole = import_files([folder], sheet="all")
            one = {f.stem: import_files([f], sheet="all") for f in files}
            for key in one:
                add_user(admin, f"bench_{key}", province=None)  # one role each, all provinces
            gpkg = Path(tmp) / "registry.gpkg"
            rejects = Path(tmp) / "r.csv"

            def to_gpkg() -> None:
                gpkg.unlink(missing_ok=True)
                import_into(whole, gpkg, date="2024-04-01")

            def to_server() -> None:
                _reset(admin)
                import_into(whole, admin, date="2024-04-01", rejects=rejects)

            def one_by_one() -> None:
                _reset(admin)
                for key, batch in one.items():
                    import_into(batch, admin.replace("postgres@", f"bench_{key}@", 1),
                                date="2024-04-01", rejects=rejects)

            def at_once() -> None:
                from concurrent.futures import ThreadPoolExecutor

                _reset(admin)
                with ThreadPoolExecutor(max_workers=len(one)) as pool:
                    list(pool.map(lambda kv: import_into(
                        kv[1], admin.replace("postgres@", f"bench_{kv[0]}@", 1),
                        date="2024-04-01", rejects=Path(tmp) / f"{kv[0]}.csv"), one.items()))

            fns = [to_gpkg, to_server, one_by_one, at_once]
            for fn in fns:  # warm-up
                fn()
            runs: list[list[float]] = [[] for _ in fns]
            for _ in range(repeat):
                for k, fn in enumerate(fns):
                    start = time.perf_counter()
                    fn()
                    runs[k].append(time.perf_counter() - start)
            with psycopg.connect(admin) as conn:
                estates = conn.execute("SELECT count(*) FROM isipo.estates_current").fetchone()[0]
                subs = conn.execute("SELECT count(*) FROM isipo.submissions").fetchone()[0]
    finally:
        stop_cluster(cluster)
    gpkg_s, server_s, serial_s, parallel_s = (statistics.median(r) for r in runs)

    def spread(r: list[float]) -> str:
        return f"{min(r):.2f}–{max(r):.2f} s"

    return [
        row(name, server_s, "s", baseline_name="the same batch into registry.gpkg",
            baseline_value=gpkg_s, target=TARGET,
            note=f"one batch of {len(whole.submissions)} submissions, {estates} estates, one "
            f"transaction; server {spread(runs[1])}, GeoPackage {spread(runs[0])} over {repeat} "
            "interleaved runs; the workbooks read once beforehand (untimed)"),
        row("31 companies submitting at once (31 connections, one submission each)", parallel_s,
            "s", baseline_name="the same 31 submissions one after the other",
            baseline_value=serial_s,
            note=f"{subs} submissions, {estates} estates after each run; each takes one "
            "advisory lock to read, add and write in its turn (connecting and checking run side "
            f"by side); at once {spread(runs[3])}, one after the other {spread(runs[2])}"),
    ]


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        print(r)
