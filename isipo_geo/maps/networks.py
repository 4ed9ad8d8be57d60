"""What the map pages draw of utility networks and connections, and of the power-plant context
layer: page data (``IGD.nw``, ``IGD.pp``), built here and drawn by the page script
(``IG.network()``, ``IG.links()``, ``IG.plants()`` in :data:`isipo_geo.maps.html.MAP_JS`).

Every text is HTML-escaped here; numbers are formatted by :func:`isipo_geo.display.format_number`
(the one rule per unit), so a connection's length and cost read as in the funding table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from isipo_geo.display import format_number
from isipo_geo.labels import UTILITY_LABELS
from isipo_geo.maps.data import SCALE, encode_line
from isipo_geo.maps.html import escape

if TYPE_CHECKING:
    import geopandas as gpd

# line colours of the networks, by utility (others grey)
NETWORK_COLORS = {"power": "#c51b7d", "water": "#2166ac", "gas": "#b35806"}
OTHER_COLOR = "#555555"
PLANT_COLOR = "#4d4d4d"
# the layer control's names of the three layers (HTML: shown with innerHTML)
NETWORK_NAME = "شبکه‌ها / networks"
LINKS_NAME = "اتصال شهرک‌ها (برآورد) / estates' connections (estimate)"
PLANTS_NAME = "نیروگاه‌ها (زمینه) / power plants (context, WRI)"


@dataclass(frozen=True)
class Networks:
    """The network layers a planner gave (utility → layer in EPSG:4326, with ``feature_id``
    and ``feature_name``), the file names and the connection rows funding wrote
    (``component = connection``, estate scope, with ``feature_lon``/``feature_lat``)."""

    layers: Mapping[str, gpd.GeoDataFrame]
    files: Mapping[str, str]
    connections: Sequence[Mapping[str, Any]] = field(default_factory=tuple)


def _label(utility: str) -> tuple[str, str]:
    return UTILITY_LABELS.get(utility, (utility, utility))


def _in(bounds: tuple[float, float, float, float] | None, lon: float, lat: float) -> bool:
    if bounds is None:
        return True
    west, south, east, north = bounds
    return west <= lon <= east and south <= lat <= north


def network_page(
    networks: Networks | None,
    *,
    province: str | None,
    bounds: tuple[float, float, float, float] | None,
    money: str,
    money_labels: tuple[str, str],
    digits: str,
    scale: int = SCALE,
) -> dict[str, Any] | None:
    """``IGD.nw``: the networks' lines and points and each estate's connection.

    ``province`` keeps one province's connections (``None``: all); ``bounds`` (west, south,
    east, north) keeps the features in view of a province map. ``None`` without networks.
    """
    if networks is None or not networks.layers:
        return None
    utilities = list(networks.layers)
    util = []
    for u in utilities:
        fa, en = _label(u)
        util.append(
            [
                NETWORK_COLORS.get(u, OTHER_COLOR),
                escape(fa),
                escape(en),
                escape(networks.files.get(u, "")),
            ]
        )
    lines, points = _features(networks, utilities, bounds=bounds, scale=scale)
    links = _links(
        networks.connections,
        utilities,
        province=province,
        money=money,
        money_labels=money_labels,
        digits=digits,
    )
    return {"u": util, "l": lines, "p": points, "c": links}


def _features(
    networks: Networks,
    utilities: list[str],
    *,
    bounds: tuple[float, float, float, float] | None,
    scale: int,
) -> tuple[list[list[Any]], list[list[Any]]]:
    """The networks' lines (encoded) and points in view (``bounds``; None: all), each with its
    utility's index and its escaped name."""
    import shapely

    lines: list[list[Any]] = []
    points: list[list[Any]] = []
    for ui, u in enumerate(utilities):
        gdf = networks.layers[u]
        for geom, fid, name in zip(
            gdf.geometry.values, gdf["feature_id"], gdf["feature_name"], strict=True
        ):
            label = escape(f"{name} ({fid})" if name else str(fid))
            parts = shapely.get_parts(geom)
            for part in parts:
                if part.geom_type == "Point":
                    if _in(bounds, part.x, part.y):
                        points.append([round(part.y, 5), round(part.x, 5), ui, label])
                    continue
                coords = list(part.coords)
                if bounds is not None and not shapely.intersects(part, shapely.box(*bounds)):
                    continue
                code = encode_line(coords, scale=scale)
                if code:
                    lines.append([ui, code, label])
    return lines, points


def _links(
    connections: Sequence[Mapping[str, Any]],
    utilities: list[str],
    *,
    province: str | None,
    money: str,
    money_labels: tuple[str, str],
    digits: str,
) -> list[list[Any]]:
    """Each estate's costed connection (of ``province``; None: all) with both ends, its
    utility's index and its popup (length, cost, feature) in Persian and English."""
    (money_fa, money_en) = money_labels
    links = []
    for r in connections:
        if r.get("scope") != "estate" or r.get("component") != "connection":
            continue
        if province is not None and r.get("province") != province:
            continue
        ends = [r.get(c) for c in ("estate_lat", "estate_lon", "feature_lat", "feature_lon")]
        if any(v is None or v == "" for v in ends):
            continue
        ui = utilities.index(r["utility"]) if r["utility"] in utilities else -1
        if ui < 0:
            continue
        km = format_number(r["length_km"], digits="latin", unit="km")
        km_fa = format_number(r["length_km"], digits=digits, unit="km")
        if r.get("need") is None:
            cost_fa, cost_en = "هزینه برآورد نشد", "not costed"
        else:
            cost_fa = f"{format_number(r['need'], digits=digits, unit=money)} {money_fa}"
            cost_en = f"{format_number(r['need'], digits='latin', unit=money)} {money_en}"
        feature = r.get("feature_name") or r.get("feature_id") or ""
        fa = (
            f"<b>{escape(r.get('estate_name_fa') or r['estate_id'])}</b><br>"
            f"اتصال به {escape(_label(r['utility'])[0])}: {escape(km_fa)} کیلومتر، "
            f"{escape(cost_fa)}<br>تا {escape(feature)}"
        )
        en = (
            f"connection to {escape(_label(r['utility'])[1])} network: {escape(km)} km, "
            f"{escape(cost_en)}; to {escape(feature)}"
        )
        links.append([*(round(float(v), 5) for v in ends), ui, fa, en])
    return links


def plants_page(plants: Sequence[Mapping[str, Any]], digits: str) -> list[list[Any]]:
    """``IGD.pp``: [lat, lon, radius px, tooltip HTML] per power plant (context only)."""
    out = []
    for p in plants:
        mw = p["capacity_mw"]
        radius = 3 + min(9, round((mw / 250) ** 0.5 * 3, 1))
        fa = (
            f"<b>{escape(p['name'])}</b><br>نیروگاه {escape(p['fuel'])}، "
            f"{escape(format_number(mw, digits=digits, unit='mw'))} مگاوات "
            f"({escape(p['commissioning'])})"
        )
        en = (
            f"<b>{escape(p['name'])}</b>: {escape(p['fuel'])} power plant, "
            f"{escape(format_number(mw, digits='latin', unit='mw'))} MW "
            f"({escape(p['commissioning'])}) — context only, not a connection point"
        )
        out.append([round(p["lat"], 4), round(p["lon"], 4), radius, fa, en])
    return out


LONGEST_SHOWN = 10  # connections a brief lists


def connections_section(
    networks: Networks | None,
    key: str | None,
    *,
    money: str,
    money_labels: tuple[str, str],
    digits: str,
) -> str:
    """The brief's table of the ten longest connections (of a province, or of the nation):
    estate, utility, length, cost and the network feature; ``""`` without networks."""
    if networks is None:
        return ""
    mine = [r for r in networks.connections if key is None or r.get("province") == key]
    if not mine:
        return (
            '<p class="note">هیچ شهرکی اتصال برآوردشده ندارد / '
            "no estate has a connection costed</p>"
        )
    longest = sorted(mine, key=lambda r: (-float(r["length_km"]), str(r["estate_id"])))
    money_fa, money_en = money_labels
    body = []
    for r in longest[:LONGEST_SHOWN]:
        fa, en = _label(r["utility"])
        cost = (
            escape(format_number(r["need"], digits=digits, unit=money))
            if r.get("need") is not None
            else "برآورد نشد / not costed"
        )
        km = format_number(r["length_km"], digits=digits, unit="km")
        body.append(
            f"<tr><td>{escape(r.get('estate_name_fa') or r['estate_id'])}</td>"
            f'<td>{escape(fa)} <span class="en">{escape(en)}</span></td>'
            f'<td class="num">{escape(km)}</td>'
            f'<td class="num">{cost}</td>'
            f"<td>{escape(r.get('feature_name') or r.get('feature_id') or '')}</td></tr>"
        )
    files = ", ".join(sorted(set(networks.files.values())))
    shown_fa = format_number(min(len(mine), LONGEST_SHOWN), digits=digits)
    all_fa = format_number(len(mine), digits=digits)
    return (
        f'<p class="note">{escape(shown_fa)} اتصال بلندتر از '
        f"{escape(all_fa)} اتصال؛ طول = فاصله ژئودزیک تا نزدیک‌ترین عارضه شبکه × ضریب "
        f"انحراف مسیر / the longest {min(len(mine), LONGEST_SHOWN)} of {len(mine)} connections; "
        f"length = geodesic distance to the nearest network feature × detour factor; networks: "
        f"{escape(files)}</p>"
        '<table><tr><th>شهرک<br><span class="en">estate</span></th>'
        '<th>زیرساخت<br><span class="en">utility</span></th>'
        '<th class="num">طول (کیلومتر)<br><span class="en">length (km)</span></th>'
        f'<th class="num">هزینه ({escape(money_fa)})<br><span class="en">cost ({escape(money_en)})'
        '</span></th><th>عارضه شبکه<br><span class="en">network feature</span></th></tr>'
        + "".join(body)
        + "</table>"
    )


def plants_of(shown: bool, focus: str | None, digits: str) -> list[list[Any]]:
    """The power plants a page draws (``IGD.pp``): all on the national map, the province's on
    its own; none when not ``shown``."""
    if not shown:
        return []
    from isipo_geo.power_plants import power_plants

    return plants_page(power_plants(focus), digits)


def networks_of(
    networks: Networks | None,
    focus: str | None,
    *,
    provinces: Any,
    money: str,
    money_labels: tuple[str, str],
    digits: str,
    scale: int,
) -> dict[str, Any] | None:
    """``IGD.nw`` of one page: the networks in view (a province's bounds and half a degree
    around) and the connections of the page's estates."""
    if networks is None:
        return None
    bounds = None
    if focus is not None:
        west, south, east, north = provinces.geometry[focus].bounds
        bounds = (west - 0.5, south - 0.5, east + 0.5, north + 0.5)  # the edge of the view
    return network_page(
        networks,
        province=focus,
        bounds=bounds,
        money=money,
        money_labels=money_labels,
        digits=digits,
        scale=scale,
    )


def network_legend(nw: dict[str, Any]) -> str:
    """The legend's lines for the networks (a line of each utility's colour) and the
    connections (dashed)."""
    rows = "".join(
        f'<div><i class="ig-line" style="border-top-color:{color}"></i> '
        f"شبکه {fa} / {en} network</div>"
        for color, fa, en, _ in nw["u"]
    )
    rows += (
        '<div><i class="ig-line ig-dash-line"></i> '
        "اتصال برآوردی شهرک به نزدیک‌ترین عارضه شبکه / estate's connection to the nearest "
        "network feature (estimate)</div>"
    )
    return f'<div class="ig-sec">{rows}</div>'
