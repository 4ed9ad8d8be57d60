"""Iran's power plants (World Resources Institute, Global Power Plant Database, CC BY 4.0): a
context layer for the maps, never a connection point (see ``data/power_plants/SOURCE.md``)."""

from __future__ import annotations

import csv
from functools import cache

from isipo_geo import _paths

CREDIT_EN = "Power plants: Global Power Plant Database, World Resources Institute (CC BY 4.0)"
CREDIT_FA = "نیروگاه‌ها: پایگاه داده جهانی نیروگاه‌ها، مؤسسه منابع جهانی (CC BY 4.0)"
NOT_A_CONNECTION = "context only: a power plant is not where an estate connects"


@cache
def _records() -> tuple[dict[str, str], ...]:
    with open(_paths.data_file("power_plants", "power_plants.csv"), encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


def power_plants(province: str | None = None) -> list[dict]:
    """The plants (of one province key, or all), with ``lon``, ``lat`` and ``capacity_mw`` as
    numbers.

    >>> plants = power_plants()
    >>> len(plants), round(sum(p["capacity_mw"] for p in plants))
    (103, 61288)
    """
    out = []
    for r in _records():
        if province is not None and r["province"] != province:
            continue
        out.append(
            {
                **r,
                "lon": float(r["lon"]),
                "lat": float(r["lat"]),
                "capacity_mw": float(r["capacity_mw"]),
            }
        )
    return out
