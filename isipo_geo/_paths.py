"""Where the data shipped with isipo-geo lives.

In a wheel the repository's ``data/`` folder is installed as ``isipo_geo/data``; in a source
checkout (editable install, or tests run from the repository) it is ``<repo>/data``.
"""

from __future__ import annotations

from pathlib import Path

from isipo_geo.errors import DataFileError

_PACKAGE_DATA = Path(__file__).parent / "data"
_SOURCE_DATA = Path(__file__).parent.parent / "data"


def data_dir() -> Path:
    """The folder holding the shipped data (provinces, report, estates, costs)."""
    for candidate in (_PACKAGE_DATA, _SOURCE_DATA):
        if (candidate / "provinces").is_dir():
            return candidate
    raise DataFileError(
        f"isipo-geo's data folder is missing (looked in {_PACKAGE_DATA} and {_SOURCE_DATA}); "
        "reinstall the package with: python -m pip install ."
    )


def data_file(*parts: str) -> Path:
    """Path of one shipped data file; a clear error if it is missing."""
    path = data_dir().joinpath(*parts)
    if not path.is_file():
        raise DataFileError(f"shipped data file {path} is missing; reinstall isipo-geo")
    return path
