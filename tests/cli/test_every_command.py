"""Every command: ``--help`` explains it; an unknown option, a bad value for each typed option
and a library error each give one message and exit 2 — never a traceback."""

from __future__ import annotations

import pytest
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st

from isipo_geo.cli import app

# The smallest valid positional arguments / required options of each command.
REQUIRED = {
    "import": ["in.csv"],
    "units": ["points.csv"],
    "map province": ["tehran"],
    "raster sample": ["r.tif"],
    "raster zonal": ["r.tif"],
    "raster export": ["--value", "area_km2", "--res", "0.5", "--out", "a.tif"],
}


def _commands():
    root = typer.main.get_command(app)

    def walk(cmd, path):
        if hasattr(cmd, "list_commands"):
            for name in cmd.list_commands(None):
                yield from walk(cmd.get_command(None, name), [*path, name])
        else:
            yield " ".join(path), cmd

    return list(walk(root, []))


COMMANDS = _commands()


def _typed_options():
    """(command, option, bad value) for every option whose value typer checks (int, float,
    choice), plus the text options the library parses."""
    out = []
    for name, cmd in COMMANDS:
        for param in cmd.params:
            if param.param_type_name != "option" or param.is_flag or not param.opts:
                continue
            import enum
            import typing

            annotation = param.type_descriptor.annotation
            kinds = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
            if any(
                k in (int, float) or (isinstance(k, type) and issubclass(k, enum.Enum))
                for k in kinds
            ):
                out.append((name, param.opts[0], "nonsense"))
    return out


TEXT_OPTIONS = [
    ("funding", "--escalation", "lots"),
    ("funding", "--escalation-years", "lots"),
    ("funding", "--budget", "lots"),
    ("funding", "--allocate-by", "nonsense"),
    ("build", "--allocate-by", "nonsense"),
    ("raster zonal", "--stats", "median"),
    ("provinces", "--scheme", "nonsense"),
]


def test_every_command_is_found() -> None:
    names = {n for n, _ in COMMANDS}
    assert {"build", "funding", "import", "template", "units", "map all", "raster export"} <= names


@pytest.mark.parametrize(("name", "cmd"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_help(runner, name, cmd) -> None:
    result = runner.invoke(app, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output and len(result.output) > 200
    assert cmd.help or cmd.short_help


@pytest.mark.parametrize("name", [n for n, _ in COMMANDS])
def test_unknown_option(runner, name) -> None:
    result = runner.invoke(app, [*name.split(), *REQUIRED.get(name, []), "--no-such-option"])
    assert result.exit_code == 2
    assert "No such option" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(("name", "option", "value"), _typed_options() + TEXT_OPTIONS)
def test_bad_option_value(runner, tmp_path, monkeypatch, name, option, value) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, [*name.split(), *REQUIRED.get(name, []), option, value])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert list(tmp_path.iterdir()) == []


_HOSTILE = st.one_of(
    st.sampled_from(
        [
            "nan",
            "inf",
            "-inf",
            "1e400",
            "1e999999",
            "9" * 40,
            "true",
            "",
            " ",
            "-0",
            "۱۴۰۳-۱۴۰۷",
            "1403–1407",
            "٥٠٠٠ میلیارد تومان",
            "1e6",
            "-200",
            "=1+1",
        ]
    ),
    st.text(max_size=20),
)


@settings(max_examples=40, deadline=None)
@given(
    option=st.sampled_from(
        ["--escalation", "--escalation-years", "--budget", "--years", "--allocate-by"]
    ),
    value=_HOSTILE,
)
def test_funding_text_options_fuzzed(option, value) -> None:
    """Any text in funding's parsed options: a result (exit 0) or one error line (exit 2)."""
    from typer.testing import CliRunner

    args = ["funding", option, value]
    if option == "--years":
        args += ["--budget", "5000 bn toman"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_bug_is_one_line_exit_3_and_debug_shows_it(runner, monkeypatch) -> None:
    import isipo_geo.provinces as provinces

    def broken():
        raise KeyError("a bug")

    monkeypatch.setattr(provinces, "province_table", broken)
    result = runner.invoke(app, ["provinces"])
    assert result.exit_code == 3
    assert "internal error (KeyError: 'a bug'); this is a bug in isipo-geo" in result.output
    assert "Traceback" not in result.output
    monkeypatch.setenv("ISIPO_GEO_DEBUG", "1")
    result = runner.invoke(app, ["provinces"])
    assert isinstance(result.exception, KeyError)  # the traceback is there for a bug report
