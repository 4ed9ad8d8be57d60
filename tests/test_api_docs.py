"""Every public name has a numpydoc docstring that matches its signature.

The public API is the names in ``isipo_geo.__all__`` and in each subpackage's ``__all__``
(README, "For developers"). Each public function and class is checked by ``numpydoc.validate``
against a chosen set of checks: a docstring with a one-line summary, every parameter documented
with a type and a description and none that does not exist, in the signature's order, and a
Returns (or Yields) section when the function returns something. The entry points in
``isipo_geo.__all__`` that are functions also carry an Examples section (run by
``tests/test_doctests.py``). An isipo_geo error a public function raises in its own body is named
in its Raises section (errors raised deeper are the docstring's to name; not checked).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest
from numpydoc.validate import validate

import isipo_geo

# numpydoc's codes (numpydoc.validate.ERROR_MSGS) this project holds its public API to
CHECKS = (
    "GL07",  # sections out of numpydoc's order (Parameters, Returns, Raises, ..., Examples)
    "GL08",  # the object has no docstring
    "SS01",  # no one-line summary
    "SS06",  # the summary does not fit on one line
    "PR01",  # a parameter is not documented
    "PR02",  # a documented parameter does not exist
    "PR03",  # the parameters are documented in another order than the signature's
    "PR04",  # a parameter has no type
    "PR07",  # a parameter has no description
    "PR10",  # "name: type" without the space before the colon (not parsed as a parameter)
    "RT01",  # no Returns section although the function returns a value
    "RT03",  # a return value without a description
    "YD01",  # no Yields section although the function is a generator
)
ENTRY_POINT_CHECKS = (*CHECKS, "EX01")  # isipo_geo.__all__: an Examples section too


def _subpackages() -> list[str]:
    return sorted(
        m.name for m in pkgutil.iter_modules(isipo_geo.__path__, prefix="isipo_geo.") if m.ispkg
    )


def _public() -> list[tuple[str, str]]:
    """(package, name) for every function and class in a package's ``__all__``."""
    found = []
    for package in ["isipo_geo", *_subpackages()]:
        module = importlib.import_module(package)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                found.append((package, name))
    return found


def _problems(obj: object, checks: tuple[str, ...]) -> list[str]:
    """The chosen checks' failures for one function or class, as ``CODE: message``."""
    result = validate(f"{obj.__module__}.{obj.__qualname__}")
    return [f"{code}: {message}" for code, message in result["errors"] if code in checks]


@pytest.mark.parametrize("package", _subpackages())
def test_every_subpackage_declares_its_public_names(package):
    module = importlib.import_module(package)
    assert isinstance(getattr(module, "__all__", None), list), f"{package} has no __all__"
    assert all(hasattr(module, name) for name in module.__all__)


def test_the_public_api_is_found():
    # the parametrised test below must see the API: a silent empty list is a defect
    public = _public()
    assert ("isipo_geo", "load_provinces") in public
    assert ("isipo_geo.finance", "budget_plan") in public
    assert ("isipo_geo.registry", "read_table") in public  # loaded lazily, still checked
    assert ("isipo_geo.raster", "ExportResult") in public  # classes too
    assert len(public) >= 80


@pytest.mark.parametrize(("package", "name"), _public())
def test_every_public_name_has_a_numpydoc_docstring(package, name):
    obj = getattr(importlib.import_module(package), name)
    entry_point = package == "isipo_geo" and inspect.isfunction(obj)
    checks = ENTRY_POINT_CHECKS if entry_point else CHECKS
    assert _problems(obj, checks) == []


def _raised_but_undocumented(fn: object) -> list[str]:
    """The isipo_geo errors a function raises in its own body that its Raises section omits."""
    from numpydoc.docscrape import NumpyDocString

    from isipo_geo import errors

    ours = {n for n in dir(errors) if n.endswith("Error")}
    raised = set(re.findall(r"raise (\w+Error)\(", inspect.getsource(inspect.unwrap(fn))))
    documented = {p.type or p.name for p in NumpyDocString(inspect.getdoc(fn) or "")["Raises"]}
    return sorted((raised & ours) - documented)


@pytest.mark.parametrize(("package", "name"), _public())
def test_every_error_a_public_function_raises_is_in_its_raises_section(package, name):
    obj = getattr(importlib.import_module(package), name)
    if inspect.isfunction(obj):
        assert _raised_but_undocumented(obj) == []


# The checkers on functions of known faults: they must fail where the docs drift from the code.


def _undocumented(path, *, rows):  # noqa: ARG001 - the signature is what is checked
    return path


def _drifted(path, *, rows):  # noqa: ARG001
    """Read a file.

    Parameters
    ----------
    path : str
        The file.
    row : int
        Not a parameter: the signature says ``rows``.

    Returns
    -------
    str
        The path.
    """
    return path


def _no_returns(path):
    """Read a file.

    Parameters
    ----------
    path : str
        The file.
    """
    return path


def _complete(path, *, rows):  # noqa: ARG001
    """Read a file.

    Parameters
    ----------
    path : str
        The file.
    rows : int
        Rows to read.

    Returns
    -------
    str
        The path.

    Examples
    --------
    >>> _complete("a.csv", rows=1)
    'a.csv'
    """
    return path


def test_the_checker_fails_a_function_without_a_docstring():
    assert [p[:4] for p in _problems(_undocumented, CHECKS)] == ["GL08"]


def test_the_checker_fails_a_documented_parameter_that_does_not_exist_and_a_missing_one():
    assert sorted(p[:4] for p in _problems(_drifted, CHECKS)) == ["PR01", "PR02"]
    assert "{'rows'}" in " ".join(_problems(_drifted, CHECKS))


def test_the_checker_fails_a_function_that_returns_without_a_returns_section():
    assert [p[:4] for p in _problems(_no_returns, CHECKS)] == ["RT01"]


def test_the_checker_passes_a_complete_docstring():
    assert _problems(_complete, ENTRY_POINT_CHECKS) == []


def _raises_undocumented(path):
    """Read a file.

    Parameters
    ----------
    path : str
        The file.

    Returns
    -------
    str
        The path.

    Raises
    ------
    OutputError
        Not what it raises.
    """
    from isipo_geo.errors import InputError

    if not path:
        raise InputError("no path")
    return path


def test_the_raises_check_fails_an_error_left_out_of_the_raises_section():
    assert _raised_but_undocumented(_raises_undocumented) == ["InputError"]
    assert _raised_but_undocumented(_complete) == []
