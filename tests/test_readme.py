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


def _readme_python() -> str:
    """The ```python block of the README's "Python API" section."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Python API\n"):text.index("## For developers\n")]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_python_api_block_runs_as_a_planner_would(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the block writes my_registry.csv and maps/ where it runs
    namespace: dict = {}
    exec(compile(_readme_python(), "README.md (Python API)", "exec"), namespace)
    # what the block's comments say it gives
    assert len(namespace["provinces"]) == 31 and namespace["provinces"].crs.to_epsg() == 4326
    assert namespace["isipo_geo"].resolve_province("آذربايجان شرقي") == "east_azerbaijan"
    # the example row: 20 − 5 = 15 L/s of water deficit in Isfahan, × 2.5 bn toman per L/s
    needs = namespace["needs"]
    water = needs[(needs.scope == "province") & (needs.province == "isfahan")
                  & (needs.utility == "water")].iloc[0]
    assert (str(water["deficit"]), water["basis"], water["year"]) == ("15", "registry", "1403")
    assert str(water["need"]) == "37.5" and water["currency"] == "toman"
    assert list(namespace["estates"].loc[lambda e: e.province == "isfahan"].index) == ["ex-1"]
    assert namespace["plan"].rule == "cheapest"
    # the map, its PNG and the brief, in the folder the comments name
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["maps/briefs/isfahan.html", "maps/provinces/isfahan.html",
                       "maps/provinces/isfahan.png", "my_registry.csv"]
    brief = (tmp_path / "maps" / "briefs" / "isfahan.html").read_text(encoding="utf-8")
    assert "شهرک نمونه" in brief and "my_registry.csv" in brief
    assert "https://" not in brief.split("<body", 1)[0]  # nothing fetched: styles and fonts inline
