"""The package's layering, read from the code with ``ast``: a lower layer never imports a higher
one, nothing imports the CLI, and sibling packages of one layer stay apart.

Layers, lowest first (see the README's "For developers"):

0. base modules: ``errors``, ``_paths``, ``names``, ``numbers``, ``measures``, ``provinces``,
   ``io``, ``tables``, ``xlsx``, ``labels``, ``display``, ``figures``, ``dates``,
   ``messages``
1. ``registry``
2. ``report``
3. ``finance``
4. ``maps`` and ``raster`` (apart from each other)
5. ``units`` (draws its point maps with the maps' HTML helpers) and ``run`` (apart)
6. ``cli``
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "isipo_geo"

LAYERS = {
    "errors": 0,
    "_paths": 0,
    "names": 0,
    "provinces": 0,
    "io": 0,
    "tables": 0,
    "xlsx": 0,
    "labels": 0,
    "numbers": 0,
    "measures": 0,
    "display": 0,
    "figures": 0,
    "dates": 0,
    "messages": 0,
    "registry": 1,
    "report": 2,
    "finance": 3,
    "maps": 4,
    "raster": 4,
    "units": 5,
    "run": 5,
    "cli": 6,
}


def _component(module: str) -> str | None:
    """``isipo_geo.registry.estates`` -> ``registry``; ``isipo_geo`` itself -> None."""
    parts = module.split(".")
    if parts[0] != "isipo_geo" or len(parts) < 2:
        return None
    return parts[1]


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every isipo_geo module a file imports (at top level or inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("isipo_geo")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "isipo_geo":
                found += [(node.lineno, f"isipo_geo.{a.name}") for a in node.names]
            elif node.module.startswith("isipo_geo."):
                found.append((node.lineno, node.module))
    return found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != PACKAGE / "__init__.py")


def _own_component(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def test_every_module_belongs_to_a_layer():
    unknown = sorted({_own_component(p) for p in _modules()} - set(LAYERS))
    assert unknown == [], f"add these to LAYERS (and the README's picture): {unknown}"


def test_the_checker_sees_function_level_imports(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from isipo_geo.maps import html\n    import isipo_geo.cli\n")
    assert [m for _, m in _imports(probe)] == ["isipo_geo.maps", "isipo_geo.cli"]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_higher_or_sibling_layer(path):
    own = _own_component(path)
    bad = []
    for line, module in _imports(path):
        other = _component(module)
        if other is None or other == own or other not in LAYERS:  # not a module: __version__
            continue
        base_to_base = LAYERS[own] == LAYERS[other] == 0
        if other == "cli" or (LAYERS[other] >= LAYERS[own] and not base_to_base):
            bad.append(f"line {line}: {module}")
    assert bad == [], f"{path.relative_to(PACKAGE)} ({own}, layer {LAYERS[own]}) imports {bad}"


def test_no_module_is_over_800_lines():
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 800
    }
    assert long == {}


def test_every_module_has_a_docstring():
    missing = [
        str(p.relative_to(PACKAGE))
        for p in _modules()
        if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))
    ]
    assert missing == []


@pytest.mark.parametrize(
    "path",
    sorted(p for p in (PACKAGE / "cli").glob("*.py") if not p.name.startswith("_")),
    ids=lambda p: p.name,
)
def test_no_command_module_imports_another_commands_module(path):
    """Issue 22: commands share the run (isipo_geo.run) and the CLI's private helpers
    (cli/_options, cli/_console...), never another command's module (cli/build and cli/brief
    imported cli/map and cli/funding)."""
    bad = [
        f"line {line}: {module}"
        for line, module in _imports(path)
        if module.startswith("isipo_geo.cli.")
        and not module.split(".")[2].startswith("_")
        and module.split(".")[2] != path.stem
    ]
    assert bad == [], f"cli/{path.name} imports {bad}"
