"""isipo-geo: planning toolkit for Iran's industrial estates, zones and special economic zones."""

from importlib.metadata import PackageNotFoundError, version

from isipo_geo.errors import (
    AmbiguousProvinceError,
    DataFileError,
    InputError,
    IsipoGeoError,
    OutputError,
    ProvinceNotFoundError,
)
from isipo_geo.finance import funding_rows, funding_table
from isipo_geo.names import fold, normalize_fa, resolve_province
from isipo_geo.provinces import load_provinces
from isipo_geo.registry.estates import load_estates
from isipo_geo.report import coverage, load_indicators

try:
    __version__ = version("isipo-geo")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = [
    "AmbiguousProvinceError",
    "DataFileError",
    "InputError",
    "IsipoGeoError",
    "OutputError",
    "ProvinceNotFoundError",
    "__version__",
    "coverage",
    "fold",
    "funding_rows",
    "funding_table",
    "load_estates",
    "load_indicators",
    "load_provinces",
    "normalize_fa",
    "resolve_province",
]
