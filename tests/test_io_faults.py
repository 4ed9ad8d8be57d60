"""Outputs under faults: full and read-only disks, injected writer failures, stale temporaries,
several files written together, a second run in the same folder, SIGKILL at random moments."""

from __future__ import annotations

import contextlib
import errno
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from isipo_geo.errors import OutputError
from isipo_geo.io import atomic_files, atomic_path, atomic_write, output_lock, staged_folder


def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A 64 KiB tmpfs (root only): writing more than that fails with ENOSPC."""
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "64k"):
        pytest.skip("cannot mount a tmpfs here (needs root); the injected-failure tests cover it")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.fixture
def read_only_disk(tmp_path):
    disk = tmp_path / "ro"
    if not _mount_tmpfs(disk, "64k"):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    (disk / "old.csv").write_text("old", encoding="utf-8")
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_full_disk_is_an_output_error_and_leaves_the_old_file(small_disk) -> None:
    out = small_disk / "big.csv"
    out.write_text("old", encoding="utf-8")
    with (
        pytest.raises(OutputError, match=r"cannot write .*big\.csv: the disk is full"),
        atomic_write(out) as f,
    ):
        for _ in range(200):
            f.write("x" * 1024)
    assert out.read_text(encoding="utf-8") == "old"
    assert _listing(small_disk) == ["big.csv"]


def test_read_only_disk_is_an_output_error(read_only_disk) -> None:
    with (
        pytest.raises(OutputError, match=r"cannot write .*new\.csv: the disk is read-only"),
        atomic_write(read_only_disk / "new.csv") as f,
    ):
        f.write("x")
    assert _listing(read_only_disk) == ["old.csv"]


def test_injected_enospc_at_fsync(tmp_path, monkeypatch) -> None:
    def fsync(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OutputError, match="the disk is full"), atomic_write(tmp_path / "a") as f:
        f.write("x")
    assert _listing(tmp_path) == []


def test_driver_errors_inside_atomic_path_become_output_errors(tmp_path) -> None:
    import geopandas as gpd
    import shapely

    gdf = gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(51, 35)], crs="EPSG:4326")

    class FakeDriverError(Exception):
        pass

    FakeDriverError.__module__ = "pyogrio.errors"
    with (
        pytest.raises(OutputError, match=r"cannot write .*x\.gpkg: boom"),
        atomic_path(tmp_path / "x.gpkg") as tmp,
    ):
        gdf.to_file(tmp, driver="GPKG", layer="t")
        raise FakeDriverError("boom")
    assert _listing(tmp_path) == []


def test_bugs_are_not_disguised_as_output_errors(tmp_path) -> None:
    with pytest.raises(KeyError), atomic_write(tmp_path / "a") as f:
        f.write("x")
        raise KeyError("a bug")
    assert _listing(tmp_path) == []


def test_stale_temporaries_of_dead_runs_are_swept(tmp_path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    pid = int(dead.stdout)
    stale = tmp_path / f".a.csv.isipo_{pid}_k3j4.tmp"
    stale.write_text("half", encoding="utf-8")
    live = tmp_path / f".a.csv.isipo_{os.getppid()}_zz.tmp"  # a live process: left alone
    live.write_text("busy", encoding="utf-8")
    other = tmp_path / f".b.csv.isipo_{pid}_x.tmp"  # another output's, of a dead run: swept
    other.write_text("?", encoding="utf-8")
    foreign = tmp_path / f".b.csv.{pid}.tmp"  # not our naming: left alone
    foreign.write_text("?", encoding="utf-8")
    with atomic_write(tmp_path / "a.csv") as f:
        f.write("new")
    assert not stale.exists() and live.exists() and not other.exists() and foreign.exists()
    assert (tmp_path / "a.csv").read_text(encoding="utf-8") == "new"


def test_atomic_files_all_or_nothing_when_a_rename_fails(tmp_path, monkeypatch) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("old a", encoding="utf-8")
    real_replace = os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if Path(dst) == b:
            raise OSError(errno.EIO, "Input/output error")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with (
        pytest.raises(OutputError, match=r"cannot write .*b\.csv"),
        atomic_files([a, b]) as (ta, tb),
    ):
        ta.write_text("new a", encoding="utf-8")
        tb.write_text("new b", encoding="utf-8")
    monkeypatch.undo()
    assert a.read_text(encoding="utf-8") == "old a"  # the first rename was undone
    assert _listing(tmp_path) == ["a.csv"]


def test_atomic_files_new_targets_removed_when_a_later_one_fails(tmp_path) -> None:
    with (
        pytest.raises(OutputError, match="writer produced no file"),
        atomic_files([tmp_path / "a.csv", tmp_path / "b.csv"]) as (ta, _tb),
    ):
        ta.write_text("a", encoding="utf-8")
    assert _listing(tmp_path) == []


def test_staged_folder_keeps_the_previous_build_on_failure(tmp_path) -> None:
    out = tmp_path / "maps"
    out.mkdir()
    (out / "index.html").write_text("previous", encoding="utf-8")
    (out / "registry.csv").write_text("mine", encoding="utf-8")
    with pytest.raises(RuntimeError), staged_folder(out) as stage:
        (stage / "index.html").write_text("new", encoding="utf-8")
        raise RuntimeError("a map failed")
    assert (out / "index.html").read_text(encoding="utf-8") == "previous"
    assert _listing(tmp_path) == ["maps"]  # no staging folder left
    with staged_folder(out) as stage:
        (stage / "provinces").mkdir()
        (stage / "provinces" / "tehran.html").write_text("t", encoding="utf-8")
        (stage / "index.html").write_text("new", encoding="utf-8")
    assert (out / "index.html").read_text(encoding="utf-8") == "new"
    assert (out / "registry.csv").read_text(encoding="utf-8") == "mine"
    assert (out / "provinces" / "tehran.html").is_file()
    assert _listing(tmp_path) == ["maps"]


def test_a_second_run_in_the_same_folder_is_refused(tmp_path) -> None:
    busy = r"being written by isipo-geo build \(pid \d+\)"
    with (
        output_lock(tmp_path, command="isipo-geo build"),
        pytest.raises(OutputError, match=busy),
        output_lock(tmp_path),
    ):
        pass
    with output_lock(tmp_path):  # released: the next run goes ahead
        pass


def test_cli_second_build_refused_while_the_first_holds_the_folder(tmp_path, runner) -> None:
    from isipo_geo.cli import app

    with output_lock(tmp_path / "maps", command="isipo-geo build"):
        result = runner.invoke(app, ["build", "--out-dir", str(tmp_path / "maps")])
    assert result.exit_code == 2
    assert "is being written by isipo-geo build" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["funding", "--out", "{d}/needs.csv"],
        ["funding", "--out", "{d}/needs.gpkg"],
        ["template", "{d}/t.xlsx"],
        ["build", "--out-dir", "{d}/maps"],
    ],
)
def test_cli_on_a_full_disk_one_line_exit_2_nothing_left(small_disk, runner, args) -> None:
    from isipo_geo.cli import app

    filler = small_disk / "filler"
    with open(filler, "wb") as f, contextlib.suppress(OSError):  # leave ~8 KiB free
        f.write(b"\0" * (56 * 1024))
    result = runner.invoke(app, [a.format(d=small_disk) for a in args])
    assert result.exit_code == 2, result.output
    assert "disk is full" in result.output and "Traceback" not in result.output
    assert _listing(small_disk) in (["filler"], ["filler", "maps"])
    if (small_disk / "maps").exists():
        assert _listing(small_disk / "maps") == []


def test_cli_import_on_a_full_disk_writes_neither_file(small_disk, runner, tmp_path) -> None:
    from isipo_geo.cli import app

    src = tmp_path / "in.csv"
    rows = "".join(f"شهرک صنعتی {i},تهران\n" for i in range(400))
    src.write_text("نام شهرک,استان\n" + rows + "شهرک ناشناس,آتلانتیس\n", encoding="utf-8")
    filler = small_disk / "filler"
    with open(filler, "wb") as f, contextlib.suppress(OSError):
        f.write(b"\0" * (50 * 1024))
    result = runner.invoke(app, ["import", str(src), "--registry", str(small_disk / "reg.csv")])
    assert result.exit_code == 2, result.output
    assert "disk is full" in result.output and "Traceback" not in result.output
    assert _listing(small_disk) == ["filler"]


def _cli() -> list[str]:
    return [sys.executable, "-c", "from isipo_geo.cli import main; main()"]


def test_sigkill_at_random_moments_never_leaves_a_truncated_output(tmp_path) -> None:
    """Kill `funding --out` at random moments: the CSV is absent or whole, and the next run
    sweeps any temporary the killed one left."""
    out = tmp_path / "needs.csv"
    ref = tmp_path / "ref.csv"
    subprocess.run([*_cli(), "funding", "--out", str(ref)], check=True, capture_output=True)
    whole = ref.read_bytes()
    rng = random.Random(14)
    for _ in range(4):
        proc = subprocess.Popen(
            [*_cli(), "funding", "--out", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if out.exists():
            assert out.read_bytes() == whole
    subprocess.run([*_cli(), "funding", "--out", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["needs.csv", "ref.csv"]


def test_lock_across_processes_and_released_by_sigkill(tmp_path) -> None:
    """Another process holds the folder: a CLI run is refused; once that process is killed
    (SIGKILL, no clean-up), the next run goes ahead."""
    folder = tmp_path / "maps"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from isipo_geo.io import output_lock\n"
            f"with output_lock({str(folder)!r}, command='isipo-geo build'):\n"
            "    print('locked', flush=True)\n"
            "    time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        second = subprocess.run(
            [*_cli(), "funding", "--out", str(folder / "needs.csv")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert second.returncode == 2
        assert "is being written by isipo-geo build (pid" in second.stderr
        assert "Traceback" not in second.stderr
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        holder.stdout.close()
    third = subprocess.run(
        [*_cli(), "funding", "--out", str(folder / "needs.csv")], capture_output=True, check=False
    )
    assert third.returncode == 0 and (folder / "needs.csv").is_file()


def test_sigkill_during_build_leaves_the_previous_build_whole(tmp_path) -> None:
    """Kill `build` at random moments: maps/ keeps every file of the previous build, and the
    next build sweeps the staging folder the killed one left."""
    out = tmp_path / "maps"
    subprocess.run([*_cli(), "build", "--out-dir", str(out)], check=True, capture_output=True)
    before = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert len(before) == 37  # 3 tables, the manifest, national, index, 31 provinces
    rng = random.Random(1414)
    for _ in range(2):
        proc = subprocess.Popen(
            [*_cli(), "build", "--out-dir", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.5, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
        assert now == before
    subprocess.run([*_cli(), "build", "--out-dir", str(out)], check=True, capture_output=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["maps"]


def test_output_transaction_undoes_every_file_of_a_failed_block(tmp_path) -> None:
    from isipo_geo.io import output_transaction

    old = tmp_path / "old.csv"
    old.write_text("before", encoding="utf-8")
    with pytest.raises(OutputError), output_transaction():
        with atomic_write(tmp_path / "new.csv") as f:
            f.write("new")
        with atomic_write(old) as f:
            f.write("after")
        raise OutputError("cannot write plan.years.csv: the disk is full")
    assert old.read_text(encoding="utf-8") == "before"
    assert _listing(tmp_path) == ["old.csv"]
    with output_transaction(), atomic_write(old) as f:  # success: stays, no backup left
        f.write("after")
    assert old.read_text(encoding="utf-8") == "after"
    assert _listing(tmp_path) == ["old.csv"]


def test_cli_budget_plan_csv_files_and_table_together(runner, tmp_path, monkeypatch) -> None:
    """A CSV budget plan is three files; with the table, four appear together or none."""
    from isipo_geo.cli import app

    real_fsync = os.fsync

    def fsync(fd):
        if "plan.provinces.csv" in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    args = [
        "funding",
        "--out",
        str(tmp_path / "needs.csv"),
        "--budget",
        "5000 bn toman",
        "--budget-out",
        str(tmp_path / "plan.csv"),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "plan.provinces.csv: the disk is full" in result.output
    assert _listing(tmp_path) == []
    monkeypatch.undo()
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert _listing(tmp_path) == ["needs.csv", "plan.csv", "plan.provinces.csv", "plan.years.csv"]


def test_staged_folder_has_the_targets_name(tmp_path) -> None:
    """Pages that name their folder (an embed snippet's src="maps/...") are right once moved."""
    with staged_folder(tmp_path / "maps") as stage:
        assert stage.name == "maps" and stage.parent != tmp_path
        (stage / "a.html").write_text("a", encoding="utf-8")
    assert (tmp_path / "maps" / "a.html").is_file()
    assert _listing(tmp_path) == ["maps"]
