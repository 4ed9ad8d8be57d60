"""The examples in the package's docstrings run and print what they say (a wrong example
misleads the reader who copies it; two had gone stale unnoticed)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import isipo_geo


def _modules() -> list[str]:
    return sorted(
        m.name for m in pkgutil.walk_packages(isipo_geo.__path__, prefix="isipo_geo.")
    )


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"


def test_the_examples_are_found() -> None:
    # the checker above must see the examples: numbers has some, so a silent zero is a defect
    result = doctest.testmod(importlib.import_module("isipo_geo.numbers"), verbose=False)
    assert result.attempted >= 2
