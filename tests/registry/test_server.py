"""The registry store on a real PostgreSQL/PostGIS server (isipo_geo.registry.server): rights per
province enforced by the database, submissions whole or not at all, the same registry as a
GeoPackage store fed the same submissions. A throwaway cluster is started for the session
(``pg_cluster`` in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from isipo_geo.errors import InputError
from isipo_geo.registry.backend import export_registry, import_into, read_store
from isipo_geo.registry.batch import import_files
from isipo_geo.registry.server import add_user, init_registry
from isipo_geo.registry.store import state


def _workbook(folder: Path, province: str, n: int = 3, *, seed: int = 5) -> Path:
    """A provincial company's workbook (xlsx) of ``n`` synthetic estates of ``province``."""
    from synthetic_registry import make_registry_frame

    folder.mkdir(parents=True, exist_ok=True)
    frame = make_registry_frame(n, [province], seed=seed)
    frame["id"] = province + "-" + frame["id"]  # ids name one estate across the provinces
    path = folder / f"{province}.xlsx"
    frame.to_excel(path, index=False, sheet_name=province)
    return path


def _as(url: str, role: str) -> str:
    """The same database, connected as ``role`` through the trusted socket."""
    return url.replace("postgresql://postgres@", f"postgresql://{role}@", 1)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    """An import into a server writes its report in the current folder: the test's own."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def registry(pg_url):
    """A database with the registry created, and users for fars, qom and headquarters."""
    assert init_registry(pg_url) == [1, 2, 3]
    add_user(pg_url, "fars_co", province="fars")
    add_user(pg_url, "qom_co", province="qom")
    add_user(pg_url, "hq_planning", province=None)
    return pg_url


def test_init_creates_the_schema_once_and_again_changes_nothing(pg_url):
    from isipo_geo.registry.schema import REGISTRY_COLUMNS
    from isipo_geo.registry.server_schema import SCHEMA

    assert init_registry(pg_url) == [1, 2, 3]
    assert init_registry(pg_url) == []
    with psycopg.connect(pg_url) as conn:
        versions = conn.execute(f"SELECT version FROM {SCHEMA}.schema_version").fetchall()
        columns = {r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND "
            "table_name = 'history'", (SCHEMA,))}
    assert versions == [(1,), (2,), (3,)]
    # a registry column added later needs a migration that adds it here
    assert set(REGISTRY_COLUMNS) <= columns
    with psycopg.connect(pg_url) as conn:
        typed = dict(conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE "
            "table_schema = %s AND table_name = 'estates_current'", (SCHEMA,)).fetchall())
    # migration 2: the utilities' figures are numbers in QGIS's view, as water's are
    assert typed["gas_deficit_km"] == typed["water_deficit_lps"] == "double precision"
    assert typed["has_wwtp"] == "boolean"
    # migration 3: the criteria columns (jobs ... investment_bn_toman) are numbers too
    assert typed["jobs"] == typed["investment_bn_toman"] == "double precision"
    assert {typed[c] for c in ("units_operating", "units_idle", "occupancy_pct")} == {
        "double precision"}


def test_a_province_imports_its_workbook_and_is_refused_another_provinces(registry, tmp_path):
    fars = _workbook(tmp_path / "in", "fars", 3)
    qom = _workbook(tmp_path / "in", "qom", 2, seed=6)
    done = import_into(import_files([fars]), _as(registry, "fars_co"), date="2024-04-01",
                       rejects=tmp_path / "r1.csv")
    assert (done.numbers, done.estates) == ([1], 3)

    before = read_store(registry)
    with pytest.raises(InputError, match=r"signed in as 'fars_co', a user of fars; qom\.xlsx "
                       r"\[qom\] holds estates of qom .*submits its own province only"):
        import_into(import_files([qom]), _as(registry, "fars_co"), date="2024-04-02",
                    rejects=tmp_path / "r2.csv")
    after = read_store(registry)
    assert after.history.equals(before.history)
    assert after.submissions.equals(before.submissions)

    # the database itself refuses another province's row from fars's role
    with psycopg.connect(_as(registry, "fars_co")) as conn, pytest.raises(
            psycopg.errors.InsufficientPrivilege, match="row-level security"):
        conn.execute("INSERT INTO isipo.submissions (submission, batch, date, provinces, "
                     "rows_read, accepted, rejected, flagged, merged, replaced) VALUES "
                     "(99, 99, '2024-04-03', 'qom', 1, 1, 0, 0, 0, 0)")
    with psycopg.connect(_as(registry, "fars_co")) as conn, pytest.raises(
            psycopg.errors.InsufficientPrivilege, match="row-level security"):
        conn.execute("INSERT INTO isipo.history (version, submission, valid_from, id, name_fa, "
                     "kind, province) VALUES (99, 1, '2024-04-03', 'qom-x', 'شهرک آزمون', "
                     "'industrial_estate', 'qom')")
    # nor may it rewrite its own rows' figures (it closes them, by a new submission)
    with psycopg.connect(_as(registry, "fars_co")) as conn, pytest.raises(
            psycopg.errors.InsufficientPrivilege):
        conn.execute("UPDATE isipo.history SET water_deficit_lps = '0'")

    import_into(import_files([qom]), _as(registry, "qom_co"), date="2024-04-02",
                rejects=tmp_path / "r3.csv")
    hq = state(read_store(_as(registry, "hq_planning")))
    assert sorted(set(hq["province"])) == ["fars", "qom"] and len(hq) == 5
    mine = read_store(_as(registry, "fars_co"))
    assert set(state(mine)["province"]) == {"fars"} and len(state(mine)) == 3
    assert mine.submissions["provinces"].tolist() == ["fars"]


def test_an_id_another_province_holds_is_refused_with_the_reason(registry, tmp_path):
    import_into(import_files([_workbook(tmp_path / "a", "fars", 2)]), _as(registry, "fars_co"),
                date="2024-04-01", rejects=tmp_path / "r.csv")
    from synthetic_registry import make_registry_frame

    frame = make_registry_frame(1, ["qom"], seed=3)
    frame["id"] = "fars-syn-000001"  # fars's estate's id
    (tmp_path / "b").mkdir()
    frame.to_excel(tmp_path / "b" / "qom.xlsx", index=False)
    with pytest.raises(InputError, match=r"an id of this submission is \(the server does not "
                       r"say which to a provincial user\) already used in the registry by an "
                       r"estate of another province.*nothing was saved"):
        import_into(import_files([tmp_path / "b" / "qom.xlsx"]), _as(registry, "qom_co"),
                    date="2024-04-02", rejects=tmp_path / "r.csv")
    assert len(read_store(registry).submissions) == 1


def test_a_role_that_is_not_a_registry_user_is_told_who_adds_it(registry, tmp_path):
    with psycopg.connect(registry, autocommit=True) as conn:
        conn.execute("CREATE ROLE stranger LOGIN")
    with pytest.raises(InputError, match=r"the role 'stranger' may not do this on the registry "
                       r"\(permission denied for schema isipo\).*add-user stranger --province KEY"):
        import_into(import_files([_workbook(tmp_path, "fars")]), _as(registry, "stranger"),
                    date="2024-04-01", rejects=tmp_path / "r.csv")


def test_export_from_the_server_and_from_a_geopackage_fed_the_same_submissions_are_equal(
        registry, tmp_path):
    first = [_workbook(tmp_path / "a", p, 4, seed=k) for k, p in
             enumerate(["fars", "qom", "tehran"])]
    second = [_workbook(tmp_path / "b", "qom", 3, seed=9)]
    gpkg = tmp_path / "registry.gpkg"
    for files, date in ((first, "2024-04-01"), (second, "2025-04-01")):
        import_into(import_files(files), registry, date=date, rejects=tmp_path / "s.csv")
        import_into(import_files(files), gpkg, date=date)
    for when in ({}, {"submission": 3}, {"as_of": "2024-12-31"}):
        a = export_registry(registry, tmp_path / "server.csv", **when)
        b = export_registry(gpkg, tmp_path / "file.csv", **when)
        assert a[1:] == b[1:]
        assert (tmp_path / "server.csv").read_bytes() == (tmp_path / "file.csv").read_bytes()
    assert export_registry(registry, tmp_path / "server.csv")[1:] == (4 + 4 + 3, 4)
    s, g = read_store(registry), read_store(gpkg)
    import pandas as pd

    pd.testing.assert_frame_equal(s.submissions, g.submissions)
    pd.testing.assert_frame_equal(s.history, g.history)


def test_31_provinces_submitting_at_once_give_31_submissions_and_every_row(pg_url, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from isipo_geo.provinces import province_records

    init_registry(pg_url)
    keys = [p["key"] for p in province_records()]
    assert len(keys) == 31
    batches = {}
    for k, key in enumerate(keys):
        add_user(pg_url, f"co_{key}", province=key)
        batches[key] = import_files([_workbook(tmp_path / key, key, 2 + k % 3, seed=k)])

    def submit(key: str):
        return import_into(batches[key], _as(pg_url, f"co_{key}"), date="2024-04-01",
                           rejects=tmp_path / f"{key}.rejects.csv")

    with ThreadPoolExecutor(max_workers=31) as pool:
        done = list(pool.map(submit, keys))
    numbers = sorted(n for d in done for n in d.numbers)
    assert numbers == list(range(1, 32))
    store = read_store(pg_url)
    assert len(store.submissions) == 31
    assert sorted(store.submissions["batch"].astype(int)) == list(range(1, 32))
    now = state(store)
    expected = sum(len(b.submissions[0].kept) for b in batches.values())
    assert len(now) == expected == sum(2 + k % 3 for k in range(31))
    for key, batch in batches.items():
        mine = now[now["province"] == key]
        assert sorted(mine["id"]) == sorted(batch.submissions[0].kept["id"])
        sub = store.submissions[store.submissions["provinces"] == key]
        assert sub["rows_read"].tolist() == [str(len(batch.submissions[0].kept))]


def _client(url: str, files: list[Path], folder: Path):
    """A separate process importing ``files`` into ``url`` (a client that can be killed)."""
    import subprocess
    import sys

    code = ("import sys; from isipo_geo.registry.batch import import_files; "
            "from isipo_geo.registry.backend import import_into; "
            "import_into(import_files(sys.argv[2:]), sys.argv[1], date='2024-05-01', "
            "rejects='client.rejects.csv')")
    return subprocess.Popen([sys.executable, "-c", code, url, *map(str, files)], cwd=folder,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_blocked(admin: str, client) -> int:
    """The server process of the client waiting on a lock (the test holds the table)."""
    import time

    with psycopg.connect(admin, autocommit=True) as conn:
        for _ in range(600):
            if client.poll() is not None:
                out, err = client.communicate()
                raise AssertionError(f"the client ended first: {out} {err}")
            row = conn.execute("SELECT pid FROM pg_stat_activity WHERE application_name = "
                               "'isipo-geo' AND wait_event_type = 'Lock'").fetchone()
            if row:
                return int(row[0])
            time.sleep(0.1)
    raise AssertionError("the client never reached the history table")


def test_a_client_killed_mid_import_leaves_the_registry_as_before(registry, tmp_path):
    import time

    import_into(import_files([_workbook(tmp_path / "a", "fars", 3)]), _as(registry, "fars_co"),
                date="2024-04-01", rejects=tmp_path / "r.csv")
    before = read_store(registry)
    again = _workbook(tmp_path / "b", "fars", 4, seed=8)
    with psycopg.connect(registry) as holder:
        # the client has added its submission's record and waits to close and add rows
        holder.execute("LOCK TABLE isipo.history IN EXCLUSIVE MODE")
        client = _client(_as(registry, "fars_co"), [again], tmp_path)
        pid = _wait_blocked(registry, client)
        client.kill()
        client.communicate(timeout=30)  # (closes its pipes)
    with psycopg.connect(registry, autocommit=True) as conn:  # its server process ends
        for _ in range(300):
            if not conn.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s",
                                (pid,)).fetchone():
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the killed client's transaction is still open")
    after = read_store(registry)
    import pandas as pd

    pd.testing.assert_frame_equal(after.submissions, before.submissions)
    pd.testing.assert_frame_equal(after.history, before.history)


def test_a_dropped_connection_gives_a_clear_message_and_saves_nothing(pg_cluster, registry,
                                                                      tmp_path):
    with psycopg.connect(registry, autocommit=True) as conn:
        conn.execute("ALTER ROLE fars_co PASSWORD 'n0t-for-logs'")
    url = pg_cluster.tcp_url(registry.split("@/", 1)[1].split("?")[0], "fars_co", "n0t-for-logs")
    with psycopg.connect(registry) as holder:
        holder.execute("LOCK TABLE isipo.history IN EXCLUSIVE MODE")
        client = _client(url, [_workbook(tmp_path, "fars", 2)], tmp_path)
        pid = _wait_blocked(registry, client)
        with psycopg.connect(registry, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        out, err = client.communicate(timeout=60)
    assert client.returncode != 0
    assert "the connection to the registry server was lost" in err
    assert "nothing of this command was saved" in err
    assert "postgresql://fars_co:***@127.0.0.1" in err
    assert "n0t-for-logs" not in out + err
    assert read_store(registry).submissions.empty


def test_ci_installs_postgresql_and_postgis_and_makes_these_tests_run():
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    assert "apt-get install -y -qq postgresql postgresql-15-postgis-3" in ci
    assert 'export CI="${CI:-true}"' in ci
    assert ci.index('export CI="${CI:-true}"') < ci.index("# README: test")


def test_the_server_can_be_named_by_pg_variables_or_a_service_file(pg_cluster, registry,
                                                                  tmp_path, monkeypatch):
    import_into(import_files([_workbook(tmp_path / "a", "fars", 2)]), _as(registry, "fars_co"),
                date="2024-04-01", rejects=tmp_path / "r.csv")
    db = registry.split("@/", 1)[1].split("?")[0]
    monkeypatch.setenv("PGHOST", str(pg_cluster.socket_dir))
    monkeypatch.setenv("PGPORT", str(pg_cluster.port))
    monkeypatch.setenv("PGDATABASE", db)
    monkeypatch.setenv("PGUSER", "fars_co")
    assert state(read_store("postgresql://"))["province"].tolist() == ["fars", "fars"]
    for name in ("PGHOST", "PGPORT", "PGDATABASE", "PGUSER"):
        monkeypatch.delenv(name)
    services = tmp_path / "pg_service.conf"
    services.write_text(f"[isipo]\nhost={pg_cluster.socket_dir}\nport={pg_cluster.port}\n"
                        f"dbname={db}\nuser=hq_planning\n", encoding="utf-8")
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    assert len(read_store("postgresql:///?service=isipo").submissions) == 1


def test_init_by_an_owner_without_postgis_says_a_superuser_adds_it_once(pg_cluster):
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS owned_no_postgis WITH (FORCE)")
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'db_owner'").fetchone():
            conn.execute("CREATE ROLE db_owner LOGIN CREATEROLE")
        conn.execute("CREATE DATABASE owned_no_postgis OWNER db_owner")
    url = pg_cluster.url("owned_no_postgis", user="db_owner")
    with pytest.raises(InputError, match=r"cannot create the registry \(permission denied to "
                       r"create extension \"postgis\"\); a superuser adds PostGIS to the "
                       r"database once: psql -d DATABASE -c 'CREATE EXTENSION postgis'"):
        init_registry(url)
    with psycopg.connect(pg_cluster.url("owned_no_postgis"), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION postgis")
    from isipo_geo.registry.server_schema import MIGRATIONS

    assert init_registry(url) == [m[0] for m in MIGRATIONS]  # then the owner creates it
    add_user(url, "owner_made_hq", province=None)


def test_a_new_users_password_reaches_no_server_log_and_signs_in(pg_cluster, pg_url):
    init_registry(pg_url)
    db = pg_url.split("@/", 1)[1].split("?")[0]
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{db}" SET log_statement = \'all\'')
    add_user(pg_url, "logged_co", province="yazd", password="Pw-in-no-log-42")
    log = (pg_cluster.folder / "server.log").read_text(encoding="utf-8", errors="replace")
    assert 'ALTER ROLE "logged_co" LOGIN PASSWORD \'SCRAM-SHA-256$' in log or (
        'CREATE ROLE "logged_co" LOGIN PASSWORD \'SCRAM-SHA-256$' in log)
    assert "Pw-in-no-log-42" not in log
    with psycopg.connect(pg_cluster.tcp_url(db, "logged_co", "Pw-in-no-log-42")) as conn:
        assert conn.execute("SELECT isipo.role_province(current_user)").fetchone() == ("yazd",)
