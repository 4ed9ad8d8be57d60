"""What a user sees of every command stays the same: for each command of ``isipo-geo`` (the whole
``--help`` tree), its help text and each parameter's name, flags, default, help, type (choices,
ranges) and flags such as ``show_default`` — recorded in ``cli_spec.json``.

The record was made from the code before the shared options were defined in one place
(``cli/_options.py``, ``cli/_map_options.py``), so moving an option's definition cannot change a
command unnoticed. A change meant for users updates the record in the same commit, saying why;
the file is rewritten with ``ISIPO_WRITE_GOLDEN=1 pytest tests/cli/test_cli_spec.py``.
"""

from __future__ import annotations

import enum
import json
import os
from pathlib import Path, PurePath
from typing import Any

import pytest
import typer
import typer.main

from isipo_geo.cli import app

SPEC = Path(__file__).with_name("cli_spec.json")


def _plain(value: Any) -> Any:
    """A JSON value for a default or a type's detail (enums by value, paths as text, functions
    by name)."""
    if isinstance(value, enum.Enum):
        return {"enum": type(value).__name__, "value": _plain(value.value)}
    if isinstance(value, type) and issubclass(value, enum.Enum):
        return {"enum": value.__name__, "choices": [_plain(m.value) for m in value]}
    if isinstance(value, PurePath):
        return {"path": value.as_posix()}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, type):
        return {"type": value.__name__}
    if callable(value):
        return {"callable": getattr(value, "__qualname__", type(value).__name__)}
    return {"repr": repr(value)}


def _param(param: Any) -> dict[str, Any]:
    """All typer keeps of a parameter: name, flags, default, help, show_default...; its type
    (choices, ranges, path checks) is the annotation and the ``typer.Option`` it was made from."""
    info = {k: v for k, v in vars(param).items() if k not in ("type_descriptor", "_runtime_param")}
    described = param.type_descriptor
    info["annotation"] = _plain(described.annotation)
    made = described.parameter_info
    plain = vars(typer.Option() if param.param_type_name == "option" else typer.Argument())
    info["option_info"] = _plain(  # what the definition sets (typer's defaults left out)
        {k: v for k, v in vars(made).items() if k not in plain or plain[k] != v}
    )
    return _plain(info)


def _spec() -> dict[str, Any]:
    """Every command and group by its path (``map national``), in the order --help lists them."""
    root = typer.main.get_command(app)
    out: dict[str, Any] = {}

    def walk(cmd: Any, path: list[str]) -> None:
        entry = {
            "help": cmd.help,
            "short_help": cmd.short_help,
            "epilog": cmd.epilog,
            "hidden": cmd.hidden,
            "no_args_is_help": cmd.no_args_is_help,
            "options_metavar": cmd.options_metavar,
            "params": [_param(p) for p in cmd.params],
        }
        if hasattr(cmd, "list_commands"):
            entry["commands"] = list(cmd.list_commands(None))
        out[" ".join(path) or "isipo-geo"] = entry
        for name in entry.get("commands", []):
            walk(cmd.get_command(None, name), [*path, name])

    walk(root, [])
    return out


def test_the_record_covers_the_shared_options() -> None:
    """The record is of the real tree (a broken walk would record nothing and compare equal)."""
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    assert {"build", "brief", "funding", "map national", "map province", "map all"} <= set(spec)
    names = [p["name"] for p in spec["map all"]["params"]]
    assert names[:7] == [
        "scenario",
        "allocate_by",
        "weights",
        "registry",
        "registry_only",
        "registry_year",
        "costs",
    ]
    width = next(p for p in spec["map national"]["params"] if p["name"] == "width_cm")
    assert width["opts"] == ["--width-cm"] and width["default"] == 16.0


def test_every_command_looks_as_recorded() -> None:
    spec = _spec()
    if os.environ.get("ISIPO_WRITE_GOLDEN"):
        SPEC.write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    recorded = json.loads(SPEC.read_text(encoding="utf-8"))
    assert list(spec) == list(recorded), "commands added, removed or reordered"
    for name, entry in recorded.items():
        assert spec[name] == entry, f"isipo-geo {name}: its help or options changed"


SHARING = ["map national", "map province", "map all", "brief", "build", "funding"]


@pytest.mark.parametrize("command", SHARING)
def test_shared_options_are_one_definition(command: str) -> None:
    """The options several commands share have the same help, type and default everywhere."""
    spec = _spec()
    shared = {p["name"]: p for p in spec["map national"]["params"]}
    for param in spec[command]["params"]:
        if param["name"] in shared and param["name"] not in ("out_dir", "pdf"):
            assert param == shared[param["name"]], f"{command} --{param['name']}"


@pytest.mark.parametrize(
    ("group", "marker"),
    [("WhatData", "scenario"), ("PageOptions", "tiles"), ("LayerOptions", "layer")],
)
def test_a_command_with_one_option_of_a_group_has_all(group: str, marker: str) -> None:
    """A group travels whole (``gather(WhatData, locals())``): a command with one of its options
    has every one, by the field's name, with the field's default."""
    from dataclasses import MISSING, fields

    from isipo_geo.cli import _map_options, _options

    cls = getattr(_options, group, None) or getattr(_map_options, group)
    spec = _spec()
    having = [name for name, entry in spec.items() if marker in _names(entry)]
    assert len(having) >= 3, having  # map national, province, all at least
    for name in having:
        params = {p["name"]: p for p in spec[name]["params"]}
        for field in fields(cls):
            assert field.name in params, f"isipo-geo {name} lacks --{field.name}"
            assert field.default is not MISSING
            assert params[field.name]["default"] == _plain(field.default), (name, field.name)


def _names(entry: dict[str, Any]) -> list[str]:
    return [p["name"] for p in entry["params"]]
