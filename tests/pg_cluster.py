"""A throwaway PostgreSQL + PostGIS cluster for the tests of the server store.

:func:`start_cluster` runs ``initdb`` into a fresh temporary folder and starts ``postgres`` on a
unix socket in that folder and a free port on 127.0.0.1 (nothing listens elsewhere); as root
(CI) the cluster runs as the ``postgres`` user (PostgreSQL refuses to run as root). Local
connections are trusted; TCP connections need a password (scram-sha-256), so the tests can check
that a password is never printed. :func:`stop_cluster` stops it and removes the folder.

When the server cannot be started (PostgreSQL or PostGIS not installed) :func:`start_cluster`
raises :class:`NoServerError` with the reason; the fixture skips with it, except in CI
(``CI=true``), where the tests must run.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ADMIN = "postgres"


class NoServerError(RuntimeError):
    """PostgreSQL cannot be started here; the message says why."""


@dataclass(frozen=True)
class Cluster:
    folder: Path
    socket_dir: Path
    port: int
    bin_dir: Path
    run_as: list[str]

    def url(self, dbname: str = "postgres", user: str = ADMIN) -> str:
        """A libpq URL through the unix socket (trusted: no password)."""
        return f"postgresql://{user}@/{dbname}?host={self.socket_dir}&port={self.port}"

    def tcp_url(self, dbname: str, user: str, password: str) -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{dbname}"


def _bin_dir() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not versions:
        raise NoServerError("PostgreSQL is not installed (no pg_ctl on PATH or in "
                       "/usr/lib/postgresql/*/bin; Debian: apt-get install postgresql "
                       "postgresql-15-postgis-3)")
    return Path(versions[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_cluster() -> Cluster:
    bin_dir = _bin_dir()
    if not glob.glob("/usr/share/postgresql/*/extension/postgis.control") and not shutil.which(
            "postgis_restore"):
        raise NoServerError("PostGIS is not installed (Debian: apt-get install "
                       "postgresql-15-postgis-3)")
    folder = Path(tempfile.mkdtemp(prefix="isipo-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as postgres
        import pwd

        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            raise NoServerError("running as root and there is no postgres user to run the "
                           "server as") from None
        os.chown(folder, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data, sock = folder / "data", folder
    try:
        subprocess.run([*run_as, str(bin_dir / "initdb"), "-D", str(data), "-U", ADMIN,
                        "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                        "--locale=C.UTF-8"],
                       check=True, capture_output=True, text=True, timeout=120)
        port = _free_port()
        options = (f"-c listen_addresses=127.0.0.1 -c port={port} "
                   f"-c unix_socket_directories={sock} -c fsync=off "
                   "-c max_connections=80 -c shared_buffers=16MB")
        subprocess.run([*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-l",
                        str(folder / "server.log"), "-o", options, "-w", "-t", "60", "start"],
                       check=True, capture_output=True, text=True, timeout=90)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        log = folder / "server.log"
        detail = getattr(exc, "stderr", "") or ""
        if log.is_file():
            detail += log.read_text(errors="replace")[-800:]
        shutil.rmtree(folder, ignore_errors=True)
        raise NoServerError(f"the test cluster did not start: {exc}; {detail.strip()}") from None
    return Cluster(folder, sock, port, bin_dir, run_as)


def stop_cluster(cluster: Cluster) -> None:
    with contextlib.suppress(subprocess.SubprocessError, OSError):
        subprocess.run([*cluster.run_as, str(cluster.bin_dir / "pg_ctl"), "-D",
                        str(cluster.folder / "data"), "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60)
    shutil.rmtree(cluster.folder, ignore_errors=True)
