"""Shared fixtures: the seed text (skipped when absent) and a CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check values, never time: without a deadline, a run on a busy machine (CI, or
# several suites at once) cannot fail on an example that took 311 ms instead of 200.
settings.register_profile("isipo", deadline=None)
settings.load_profile("isipo")

REPO = Path(__file__).resolve().parents[1]
SEED_NAME = "000_dd0ab854e6a26b3b.txt"


def find_seed() -> Path | None:
    """The 1400 report text: $ISIPO_SEED, else ../shared/seed/ beside the repository."""
    env = os.environ.get("ISIPO_SEED")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared" / "seed" / SEED_NAME)
    return next((p for p in candidates if p.is_file()), None)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    path = find_seed()
    if path is None:
        pytest.skip(
            "the 1400 report text (../shared/seed/000_dd0ab854e6a26b3b.txt or $ISIPO_SEED) is not "
            "on this machine; these tests check shipped data against it"
        )
    return path


@pytest.fixture(scope="session")
def seed_lines(seed_path: Path) -> list[str]:
    """The seed's lines; index 0 is line 1."""
    return seed_path.read_text(encoding="utf-8").splitlines()


@pytest.fixture
def runner():
    from typer.testing import CliRunner

    return CliRunner()


@pytest.fixture
def make_registry(tmp_path_factory):
    """``make_registry(n, provinces=None, *, seed=12) -> Path``: a synthetic registry CSV of ``n``
    estates (points inside their provinces, Persian names; see ``tests/synthetic_registry.py``)
    written in a fresh temporary folder."""
    from synthetic_registry import write_registry

    def make(
        n: int, provinces: list[str] | None = None, *, seed: int = 12, criteria: bool = False
    ) -> Path:
        folder = tmp_path_factory.mktemp(f"registry{n}")
        return write_registry(
            folder / f"registry_{n}.csv", n, provinces, seed=seed, criteria=criteria
        )

    return make


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL + PostGIS cluster for the session (``tests/pg_cluster.py``),
    started on first use and stopped at the end. Skipped with the reason when no server can be
    started here, except in CI (``CI=true``), where the PostGIS tests must run."""
    import signal
    import threading

    from pg_cluster import NoServerError, start_cluster, stop_cluster

    try:
        cluster = start_cluster()
    except NoServerError as exc:
        if os.environ.get("CI", "").lower() == "true":
            raise
        pytest.skip(f"no PostgreSQL server for the PostGIS store tests: {exc}")
    # a run ended by SIGTERM (`timeout`, a job's stop) stops its server too: pytest tears the
    # fixtures down on an interrupt, not on a bare SIGTERM
    previous = None
    if threading.current_thread() is threading.main_thread():
        def interrupt(signum, _frame):
            raise KeyboardInterrupt(f"signal {signum}")

        previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield cluster
    finally:
        stop_cluster(cluster)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


@pytest.fixture
def pg_url(pg_cluster, request):
    """A fresh empty database of the test cluster: its admin URL (unix socket, no password)."""
    import re

    import psycopg

    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:50]
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return pg_cluster.url(name)
