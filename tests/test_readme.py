"""The README's install, run and test commands are the ones CI runs, letter for letter."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", text, re.S).group(1)  # the first: install, run, test
    return [line.split("   #")[0].split("  #")[0].rstrip() for line in block.splitlines()]


def test_the_readme_installs_in_a_virtual_environment_in_one_line():
    install, run, test = _readme_commands()
    assert install == ('python3 -m venv .venv && . .venv/bin/activate && '
                       'python -m pip install ".[test]"')
    assert run == ".venv/bin/isipo-geo build"  # works in a new shell, activated or not
    assert test == ".venv/bin/python -m pytest"


def test_ci_runs_the_readme_lines_literally():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    install, _, test = _readme_commands()
    assert ci[ci.index("# README: install (it makes the virtual environment and activates it)")
              + 2] == install
    assert ci[ci.index("# README: test") + 1] == test
    assert "missing+=(libreoffice-calc)" in "\n".join(ci)
