"""The non-import corpus (tests/bad_options/cases.csv): hostile numbers, options, registries,
layers, unit files and outputs through the CLI — each with its exit code and message; a failing
case prints one error, no traceback, and writes nothing."""

from __future__ import annotations

import csv
import shlex
from pathlib import Path

import pytest

from isipo_geo.cli import app

CORPUS = Path(__file__).resolve().parents[1] / "bad_options"
FILES = CORPUS / "files"
with open(CORPUS / "cases.csv", encoding="utf-8", newline="") as _f:
    CASES = list(csv.DictReader(_f))


def test_the_corpus_is_large_and_its_files_exist() -> None:
    assert len(CASES) >= 40
    assert len({c["id"] for c in CASES}) == len(CASES)
    for case in CASES:
        for word in shlex.split(case["args"]):
            if word.startswith("{files}/"):
                assert (FILES / word.removeprefix("{files}/")).is_file(), word


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case, runner, tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args = shlex.split(case["args"].format(files=FILES, out=out))
    result = runner.invoke(app, args)
    output = result.output
    assert result.exit_code == int(case["exit_code"]), output
    assert case["message"] in output, output
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if result.exit_code != 0:
        assert output.count("error:") == 1, output
        assert sorted(p.name for p in out.rglob("*")) == [], "a failed command wrote files"
