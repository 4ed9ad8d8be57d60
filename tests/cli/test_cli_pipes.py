"""Output to a closed pipe ends quietly, as Unix tools do: no "error: Broken pipe", no
traceback (a real process writing into a real pipe)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from isipo_geo.cli import app

EXE = str(Path(sys.executable).with_name("isipo-geo"))
HEADER = "نام شهرک,استان,کمبود آب (لیتر بر ثانیه),طول جغرافیایی,عرض جغرافیایی\n"


def _into_closed_pipe(args: list[str]) -> subprocess.CompletedProcess:
    """Run ``isipo-geo ARGS`` with stdout a pipe whose reading end is closed before it writes."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run([EXE, *args], stdout=write, stderr=subprocess.PIPE, text=True,
                              timeout=120)
    finally:
        os.close(write)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from typer.testing import CliRunner

    folder = tmp_path_factory.mktemp("pipes")
    rows = "".join(f"شهرک صنعتی شماره {i},تهران,{i},51.{i:02d},35.55\n" for i in range(1, 40))
    (folder / "tehran.csv").write_text(HEADER + rows, encoding="utf-8")
    path = folder / "registry.gpkg"
    result = CliRunner().invoke(app, ["import", str(folder / "tehran.csv"), "--into", str(path),
                                      "--date", "1403-01-15"])
    assert result.exit_code == 0, result.output
    return path


def test_estates_into_head_ends_quietly():
    out = subprocess.run(f"'{EXE}' estates | head -1", shell=True, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0
    assert out.stderr == ""
    assert "شهرک / estates" in out.stdout and out.stdout.count("\n") == 1  # the title line


def test_estates_into_a_closed_pipe_says_nothing():
    out = _into_closed_pipe(["estates"])
    assert out.stderr == ""
    assert out.returncode == 1  # as click and rich end on a closed pipe


def test_registry_show_into_a_closed_pipe_says_nothing(store):
    out = _into_closed_pipe(["registry", "show", str(store), "1"])
    assert out.stderr == ""
    assert out.returncode == 1


def test_registry_show_into_head_ends_quietly(store):
    out = subprocess.run(f"'{EXE}' registry show '{store}' 1 | head -1", shell=True,
                         capture_output=True, text=True, timeout=120)
    assert (out.returncode, out.stderr, out.stdout) == (0, "", "submission: 1\n")


def test_help_into_a_closed_pipe_says_nothing():
    out = _into_closed_pipe(["--help"])
    assert out.stderr == ""
