"""Synthetic estate registries for tests and benchmarks (never shipped data).

:func:`make_registry_frame` draws ``n`` estates spread over the provinces, each point inside its
own province's polygon, with Persian and English names and the columns of
:data:`isipo_geo.registry.schema.REGISTRY_COLUMNS` filled as a planner's registry would be (some
cells empty: unknown). :func:`write_registry` writes it as the registry CSV ``isipo-geo import``
writes (UTF-8 with BOM). Same ``n``, provinces and seed → same bytes.

Used by the ``make_registry`` fixture in ``tests/conftest.py`` and by ``benchmarks/``
(``sys.path`` gains ``tests/``). Every figure here is random: nothing is a fact about Iran.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# Words for synthetic names (common Persian place-name words), with their transliterations.
WORDS = (
    ("البرز", "Alborz"),
    ("بهاران", "Baharan"),
    ("سپهر", "Sepehr"),
    ("آفتاب", "Aftab"),
    ("نگین", "Negin"),
    ("پارس", "Pars"),
    ("کوثر", "Kowsar"),
    ("امید", "Omid"),
    ("فجر", "Fajr"),
    ("ستاره", "Setareh"),
    ("گلستان", "Golestan"),
    ("شفق", "Shafaq"),
    ("ارغوان", "Arghavan"),
    ("مهر", "Mehr"),
    ("کاوه", "Kaveh"),
    ("زاگرس", "Zagros"),
)
KINDS = (
    ("industrial_estate", "شهرک صنعتی", "Industrial Estate", 0.72),
    ("industrial_zone", "ناحیه صنعتی", "Industrial Zone", 0.25),
    ("technology_estate", "شهرک فناوری", "Technology Estate", 0.02),
    ("special_economic_zone", "منطقه ویژه اقتصادی", "Special Economic Zone", 0.01),
)
STATUSES = (
    ("operational", 0.7),
    ("under_construction", 0.15),
    ("planned", 0.05),
    ("inactive", 0.05),
    ("", 0.05),
)
_FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _points_in(geom, count: int, rng) -> tuple[list[float], list[float]]:
    """``count`` random points inside ``geom`` (rejection sampling in its bounds)."""
    import numpy as np
    import shapely

    shapely.prepare(geom)
    west, south, east, north = geom.bounds
    xs: list[float] = []
    ys: list[float] = []
    while len(xs) < count:
        want = max(16, 3 * (count - len(xs)))
        x = rng.uniform(west, east, want)
        y = rng.uniform(south, north, want)
        inside = shapely.contains_xy(geom, x, y)
        xs += np.round(x[inside], 5).tolist()
        ys += np.round(y[inside], 5).tolist()
    # rounding to 1e-5 degree (about a metre) could step off a border: keep only points still in
    lon, lat = np.asarray(xs[: count * 2]), np.asarray(ys[: count * 2])
    keep = shapely.contains_xy(geom, lon, lat)
    lon, lat = lon[keep], lat[keep]
    if len(lon) < count:
        more = _points_in(geom, count - len(lon), rng)
        return lon.tolist() + more[0], lat.tolist() + more[1]
    return lon[:count].tolist(), lat[:count].tolist()


def make_registry_frame(
    n: int, provinces: list[str] | None = None, *, seed: int = 12
) -> pd.DataFrame:
    """A synthetic registry of ``n`` estates as text cells (empty string = unknown).

    Parameters
    ----------
    n
        Number of estates.
    provinces
        Province keys to spread them over (default: all 31). The first estates go one to each
        province, so every province has one when ``n`` is at least their number; the rest are
        drawn in proportion to the square root of each province's area.
    seed
        Seed of the random numbers.

    Returns
    -------
    pandas.DataFrame
        The columns of ``REGISTRY_COLUMNS`` in order, as strings. About 5 % of the estates are
        located only to their town (``location_precision`` ``town``) and 2 % have no location
        at all; deficits are ``max(demand - supplied, 0)`` with a decimal (e.g. 250.5 L/s).
    """
    import numpy as np
    import pandas as pd

    from isipo_geo.provinces import load_provinces
    from isipo_geo.registry.schema import REGISTRY_COLUMNS

    rng = np.random.default_rng(seed)
    gdf = load_provinces()
    keys = list(gdf.index) if provinces is None else list(provinces)
    unknown = sorted(set(keys) - set(gdf.index))
    if unknown:
        raise ValueError(f"not province keys: {', '.join(unknown)}")
    area = np.sqrt(gdf.loc[keys].to_crs(6933).area.to_numpy())
    first = keys[: min(n, len(keys))]
    rest = rng.choice(len(keys), size=max(0, n - len(keys)), p=area / area.sum())
    assigned = np.concatenate([np.arange(len(first)), rest]).astype(int)
    counts = np.bincount(assigned, minlength=len(keys))
    lon = np.empty(n)
    lat = np.empty(n)
    for i, key in enumerate(keys):
        where = np.flatnonzero(assigned == i)
        if len(where):
            x, y = _points_in(gdf.geometry.loc[key], int(counts[i]), rng)
            lon[where], lat[where] = x, y
    kind_i = rng.choice(len(KINDS), size=n, p=[k[3] for k in KINDS])
    status_i = rng.choice(len(STATUSES), size=n, p=[s[1] for s in STATUSES])
    word_i = rng.integers(0, len(WORDS), size=n)
    area_ha = np.round(rng.gamma(2.0, 60.0, size=n), 1)
    water_demand = np.round(rng.gamma(2.0, 40.0, size=n) * 2) / 2  # to 0.5 L/s
    water_supplied = np.round(water_demand * rng.uniform(0.3, 1.2, size=n) * 2) / 2
    power_demand = np.round(rng.gamma(2.0, 6.0, size=n), 1)
    power_supplied = np.round(power_demand * rng.uniform(0.3, 1.2, size=n), 1)
    precision = rng.choice(["estate", "town", ""], size=n, p=[0.93, 0.05, 0.02])
    known = rng.uniform(size=(n, 3)) < 0.9  # about 10 % of figures left empty: unknown
    flags = rng.uniform(size=(n, 6)) < 0.75

    def num(values, mask, spec: str = "g") -> list[str]:
        return [
            format(v, spec) if m else ""
            for v, m in zip(values.tolist(), mask.tolist(), strict=True)
        ]

    def flag(column: np.ndarray, mask: np.ndarray) -> list[str]:
        return ["true" if v else "false" if m else "" for v, m in zip(column, mask, strict=True)]

    water_deficit = np.maximum(water_demand - water_supplied, 0)
    power_deficit = np.round(np.maximum(power_demand - power_supplied, 0), 1)
    names_fa, names_en, ids = [], [], []
    for j in range(n):
        _, kfa, ken, _ = KINDS[kind_i[j]]
        wfa, wen = WORDS[word_i[j]]
        names_fa.append(f"{kfa} {wfa} {str(j + 1).translate(_FA)}")
        names_en.append(f"{wen} {ken} {j + 1}")
        ids.append(f"syn-{j + 1:06d}")
    located = precision != ""
    cells = {
        "id": ids,
        "name_fa": names_fa,
        "name_en": names_en,
        "kind": [KINDS[i][0] for i in kind_i],
        "province": [keys[i] for i in assigned],
        "status": [STATUSES[i][0] for i in status_i],
        "area_ha": num(area_ha, known[:, 0]),
        "water_supplied_lps": num(water_supplied, known[:, 1]),
        "water_demand_lps": num(water_demand, known[:, 1]),
        "water_deficit_lps": num(water_deficit, known[:, 1]),
        "power_supplied_mw": num(power_supplied, known[:, 2]),
        "power_demand_mw": num(power_demand, known[:, 2]),
        "power_deficit_mw": num(power_deficit, known[:, 2]),
        "has_water": flag(water_supplied > 0, flags[:, 0]),
        "has_power": flag(power_supplied > 0, flags[:, 1]),
        "has_gas": flag(rng.uniform(size=n) < 0.7, flags[:, 2]),
        "has_telecom": flag(rng.uniform(size=n) < 0.8, flags[:, 3]),
        "has_fibre": flag(rng.uniform(size=n) < 0.4, flags[:, 4]),
        "has_wwtp": flag(rng.uniform(size=n) < 0.3, flags[:, 5]),
        "lon": num(lon, located, ".5f"),
        "lat": num(lat, located, ".5f"),
        "location_precision": precision.tolist(),
        "source": [f"synthetic registry, row {j + 2}" for j in range(n)],
        "flags": [""] * n,
    }
    frame = pd.DataFrame({c: cells.get(c, [""] * n) for c in REGISTRY_COLUMNS}, dtype=object)
    return frame


def add_criteria(frame: pd.DataFrame, *, seed: int = 12, unknown: float = 0.03) -> pd.DataFrame:
    """``frame`` with the budget criteria columns (jobs, units_operating, units_idle,
    occupancy_pct, investment_bn_toman) drawn at random, about ``unknown`` of each empty."""
    import numpy as np

    rng = np.random.default_rng(seed + 1)
    n = len(frame)
    out = frame.copy()
    draws = {
        "jobs": rng.integers(0, 5000, n),
        "units_operating": rng.integers(0, 300, n),
        "units_idle": rng.integers(0, 80, n),
        "occupancy_pct": rng.integers(0, 101, n),
        "investment_bn_toman": (rng.integers(0, 200000, n) / 10).round(1),
    }
    for column, values in draws.items():
        empty = rng.random(n) < unknown
        out[column] = ["" if e else str(v) for v, e in zip(values, empty, strict=True)]
    return out


def write_registry(
    path: str | Path,
    n: int,
    provinces: list[str] | None = None,
    *,
    seed: int = 12,
    criteria: bool = False,
) -> Path:
    """Write :func:`make_registry_frame` as a registry CSV (UTF-8 with BOM), with the budget
    criteria columns when ``criteria`` (:func:`add_criteria`); returns the path."""
    path = Path(path)
    frame = make_registry_frame(n, provinces, seed=seed)
    if criteria:
        frame = add_criteria(frame, seed=seed)
    path.write_text(frame.to_csv(index=False, lineterminator="\n"), encoding="utf-8-sig")
    return path
