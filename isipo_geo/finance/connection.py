"""Connection cost: the distance from an estate to the network it would join, and its price.

As OnSSET costs a settlement's grid extension, an estate's connection is costed from its distance
to the nearest feature of a network layer the planner holds (a substation or line, a water main,
a gas pipeline): ``length_km = geodesic distance × detour_factor`` and ``cost = length_km ×
cost_per_km + fixed``, with the three numbers from the costs file (``[power.connection]`` …).
Where the costs file also gives an on-site option (``[power.onsite] unit_cost`` per MW, a local
treatment plant per L/s …), the estate's gap is costed both ways and the cheaper named.

The distance is to the nearest point of a line, not to its nearest vertex. Candidates are found
through a spatial index (:class:`shapely.STRtree`) in a Lambert conformal conic projection fitted
to Iran; the distance itself is the geodesic one on the WGS 84 ellipsoid (:class:`pyproj.Geod`).

Everything here is pure: the layers are read by :mod:`isipo_geo.networks`, the costs by
:func:`load_connection_costs`.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from isipo_geo.errors import InputError
from isipo_geo.messages import message

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

_CTX = decimal.Context(prec=60)

# Lambert conformal conic on the WGS 84 ellipsoid fitted to Iran (25-40 N, 44-64 E): used only
# to find candidate features and the nearest point on a line; distances are geodesic.
IRAN_LCC = "+proj=lcc +lat_1=28 +lat_2=37 +lat_0=32.5 +lon_0=54 +x_0=0 +y_0=0 +datum=WGS84 +units=m"

CONNECTION_COLUMNS = [
    "component",
    "length_km",
    "feature_id",
    "feature_name",
    "network_file",
    "onsite_need",
    "cheaper_option",
    "estate_lon",
    "estate_lat",
    "feature_lon",
    "feature_lat",
]

NOT_COSTED = "connection not costed"


@dataclass(frozen=True)
class Gap:
    """An estate's gap in one utility as funding costed it: the deficit (in its unit) and
    the need (money; None without a cost basis)."""

    deficit: Decimal | None
    deficit_unit: str
    need: Decimal | None


def gaps_from_rows(rows: Sequence[Mapping]) -> dict[tuple[str, str], Gap]:
    """The estate rows of a funding table as (estate id, utility) → :class:`Gap`."""
    return {
        (str(r["estate_id"]), str(r["utility"])): Gap(r["deficit"], r["deficit_unit"], r["need"])
        for r in rows
        if r["scope"] == "estate" and r.get("component", "gap") == "gap"
    }


@dataclass(frozen=True)
class ConnectionCost:
    """How one utility's connections are costed (the costs file's ``[<utility>.connection]``
    and ``[<utility>.onsite]`` tables); amounts in the file's currency and scale."""

    utility: str
    detour_factor: Decimal
    cost_per_km: Decimal | None
    fixed: Decimal
    onsite_unit_cost: Decimal | None
    onsite_label: str
    currency: str
    scale: str
    source: str


def parse_connection_costs(doc: Mapping, *, path: object = "costs") -> dict[str, ConnectionCost]:
    """The connection and on-site tables of a parsed costs document (see the shipped
    ``data/costs/unit_costs.toml`` for the keys). A utility without them is absent.

    >>> conn = {"cost_per_km": "1.2", "fixed": "5", "detour_factor": "1.3"}
    >>> doc = {"currency": "toman", "scale": "billion", "power": {"connection": conn}}
    >>> c = parse_connection_costs(doc)["power"]
    >>> (c.cost_per_km, c.fixed, c.detour_factor, c.onsite_unit_cost)
    (Decimal('1.2'), Decimal('5'), Decimal('1.3'), None)
    """
    from isipo_geo.numbers import parse_number

    out: dict[str, ConnectionCost] = {}
    currency, scale = str(doc.get("currency", "")), str(doc.get("scale", ""))
    for utility, table in doc.items():
        if not isinstance(table, Mapping):
            continue
        conn = table.get("connection", {})
        onsite = table.get("onsite", {})
        if not conn and not onsite:
            continue
        if not isinstance(conn, Mapping) or not isinstance(onsite, Mapping):
            raise InputError(
                message("connection_not_tables", utility=utility), path=path
            )

        def number(
            tbl: Mapping, key: str, where: str, default: str | None = None
        ) -> Decimal | None:
            if key not in tbl:
                return None if default is None else Decimal(default)
            try:
                value = parse_number(tbl[key], what=f"{where} {key}")
            except InputError as exc:
                raise InputError(exc.reason, path=path, column=key) from None
            if value < 0:
                raise InputError(message("cost_key_negative", where=where, key=key),
                                 path=path, column=key)
            return value

        where = f"[{utility}.connection]"
        detour = number(conn, "detour_factor", where, default="1")
        assert detour is not None
        if detour < 1:
            raise InputError(
                message("detour_below_one", where=where, detour=detour),
                path=path,
                column="detour_factor",
            )
        out[str(utility)] = ConnectionCost(
            utility=str(utility),
            detour_factor=detour,
            cost_per_km=number(conn, "cost_per_km", where),
            fixed=number(conn, "fixed", where, default="0") or Decimal(0),
            onsite_unit_cost=number(onsite, "unit_cost", f"[{utility}.onsite]"),
            onsite_label=str(onsite.get("label", "on-site")),
            currency=currency,
            scale=scale,
            source=str(conn.get("source", onsite.get("source", ""))),
        )
    return out


def load_connection_costs(path: object = None) -> dict[str, ConnectionCost]:
    """The connection tables of a costs file (the shipped one when ``path`` is None; it has
    none: the 1400 report states no connection cost)."""
    import tomllib
    from pathlib import Path

    from isipo_geo.finance.costs import default_costs_path

    p = Path(path) if path is not None else default_costs_path()  # type: ignore[arg-type]
    try:
        doc = tomllib.loads(p.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputError(message("costs_not_found"), path=p) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(message("costs_unreadable", exc=exc), path=p) from None
    return parse_connection_costs(doc, path=p)


def nearest_features(
    points: gpd.GeoSeries | gpd.GeoDataFrame, network: gpd.GeoDataFrame
) -> pd.DataFrame:
    """For each point (EPSG:4326), the nearest feature of ``network`` (EPSG:4326) and the
    geodesic distance to the nearest point of it, in km.

    Returns a DataFrame on the points' index with ``feature`` (the network's positional
    index), ``distance_km``, ``to_lon`` and ``to_lat`` (the nearest point on the feature).
    """
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import shapely
    from pyproj import Geod, Transformer

    geoms = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
    if len(geoms) == 0:
        return pd.DataFrame(
            {"feature": [], "distance_km": [], "to_lon": [], "to_lat": []}, index=geoms.index
        )
    fwd = Transformer.from_crs(4326, IRAN_LCC, always_xy=True)
    back = Transformer.from_crs(IRAN_LCC, 4326, always_xy=True)
    pts = shapely.transform(
        np.asarray(geoms.values), lambda xy: np.column_stack(fwd.transform(xy[:, 0], xy[:, 1]))
    )
    feats = shapely.transform(
        np.asarray(network.geometry.values),
        lambda xy: np.column_stack(fwd.transform(xy[:, 0], xy[:, 1])),
    )
    # small nodes and points queried in Hilbert order (neighbours one after another, so the
    # tree's nodes stay in cache): about 1.5-2x faster than the defaults at 84,400 estates
    tree = shapely.STRtree(feats, node_capacity=4)
    order = np.argsort(gpd.GeoSeries(pts).hilbert_distance().to_numpy(), kind="stable")
    # the nearest in the conic (exact ties: every one, then the geodesic measure decides); the
    # conic's scale varies by under 1 % over tens of km, so it could order only near-ties
    # differently from the geodesic measure, by less than that difference
    cand_pt, cand_ft = tree.query_nearest(pts[order], all_matches=True)
    cand_pt = order[cand_pt]
    line = shapely.shortest_line(pts[cand_pt], feats[cand_ft])
    ends = shapely.get_coordinates(line).reshape(-1, 2, 2)[:, 1, :]
    to_lon, to_lat = back.transform(ends[:, 0], ends[:, 1])
    from_xy = shapely.get_coordinates(np.asarray(geoms.values))
    geod = Geod(ellps="WGS84")
    _, _, metres = geod.inv(from_xy[cand_pt, 0], from_xy[cand_pt, 1], to_lon, to_lat)
    frame = pd.DataFrame(
        {"pt": cand_pt, "feature": cand_ft, "m": metres, "to_lon": to_lon, "to_lat": to_lat}
    )
    best = frame.sort_values(["pt", "m", "feature"], kind="stable").drop_duplicates("pt")
    best = best.set_index("pt").reindex(range(len(pts)))
    return pd.DataFrame(
        {
            "feature": best["feature"].to_numpy(),
            "distance_km": best["m"].to_numpy() / 1000.0,
            "to_lon": best["to_lon"].to_numpy(),
            "to_lat": best["to_lat"].to_numpy(),
        },
        index=geoms.index,
    )


def length_km(distance_km: float, detour_factor: Decimal) -> Decimal:
    """A connection's route length: the distance (to the metre) × the detour factor.

    >>> length_km(12.3456789, Decimal("1.3"))
    Decimal('16.0498')
    """
    metres = Decimal(str(round(distance_km * 1000)))
    return _CTX.multiply(_CTX.divide(metres, Decimal(1000)), detour_factor)


def connection_cost(length: Decimal, cost: ConnectionCost) -> Decimal | None:
    """``length × cost_per_km + fixed``; None when the costs file gives no cost per km.

    >>> c = ConnectionCost("power", Decimal("1.3"), Decimal("2"), Decimal("5"), None, "",
    ...                    "toman", "billion", "")
    >>> connection_cost(Decimal("10"), c)
    Decimal('25')
    """
    if cost.cost_per_km is None:
        return None
    return _CTX.add(_CTX.multiply(length, cost.cost_per_km), cost.fixed)


def estates_to_connect(
    estates: pd.DataFrame, utility: str, gaps: Mapping[tuple[str, str], Gap]
) -> pd.Series:
    """Which estates need a connection for ``utility``: a gap (deficit > 0, as funding costed
    it) in it, or no supply of it at all (``has_<utility>`` false). An estate already supplied
    and without a gap needs none; an estate without a location cannot be measured (left
    out)."""
    import pandas as pd

    ids = estates["id"].astype(str)
    gap = ids.map(lambda i: _has_gap(gaps.get((i, utility)))).astype(bool)
    lacking = pd.Series(False, index=estates.index)
    has = f"has_{utility}"
    if has in estates:
        lacking = estates[has].map(_is_false).astype(bool)
    located = (
        pd.to_numeric(estates.get("lon"), errors="coerce").notna()
        & pd.to_numeric(estates.get("lat"), errors="coerce").notna()
    )
    return (gap | lacking) & located


def _has_gap(gap: Gap | None) -> bool:
    return gap is not None and gap.deficit is not None and gap.deficit > 0


def _is_false(value: object) -> bool:
    if value is None or value is False:
        return value is False
    text = str(value).strip().lower()
    return text in ("false", "no", "0", "خیر", "ندارد", "n")


def connection_rows(
    estates: pd.DataFrame,
    networks: Mapping[str, gpd.GeoDataFrame],
    costs: Mapping[str, ConnectionCost],
    *,
    network_files: Mapping[str, str],
    gaps: Mapping[tuple[str, str], Gap],
    utilities: Sequence[str],
    currency: str,
    scale: str,
    province_names: Mapping[str, str],
    province_order: Sequence[str],
    scenario: str = "",
    cost_case: str = "central",
    year: str = "",
) -> list[dict]:
    """Connection rows (``component = connection``) per estate, province and nation.

    ``estates`` has ``id``, ``name_fa``, ``province``, ``lon``, ``lat`` and ``has_<utility>``
    columns; ``networks`` maps a utility to its layer (EPSG:4326); ``gaps`` maps (estate id,
    utility) to the gap funding costed (:func:`gaps_from_rows`): its deficit and need, for
    the on-site comparison. A utility of ``utilities`` with no network gives one nation row
    saying the connection is not costed (never 0).
    """
    rows: list[dict] = []
    common = {"scenario": scenario, "currency": currency, "scale": scale,
              "cost_case": cost_case, "year": year}
    for utility in utilities:
        network = networks.get(utility)
        if network is None:
            note = f"{NOT_COSTED}: no network layer given (--network {utility}=FILE)"
            rows.append(_not_costed_row(utility, note, **common))
            continue
        file = network_files.get(utility, "")
        estate_rows = _estate_rows(
            estates, utility, network, costs.get(utility), gaps, file=file,
            province_names=province_names, **common,
        )
        rows.extend(_sums(estate_rows, utility, province_names, province_order, file=file,
                          **common))
        rows.extend(estate_rows)
    return rows


@dataclass(frozen=True)
class _Prices:
    """A utility's connection prices in the table's money: per km and fixed (``None`` without
    a ``cost_per_km``), the on-site unit cost (``None`` without one), the detour factor, and
    the costs file's own ``cost_per_km`` and source."""

    per_km: Decimal | None
    fixed: Decimal | None
    onsite: Decimal | None
    detour: Decimal
    per_km_given: Decimal | None
    source: str


def _prices(cost: ConnectionCost | None, currency: str, scale: str) -> _Prices:
    from isipo_geo.finance.money import convert

    to = (currency, scale)
    if cost is None:
        return _Prices(None, None, None, Decimal(1), None, "")
    frm = (cost.currency, cost.scale)
    given = cost.cost_per_km is not None
    return _Prices(
        per_km=convert(cost.cost_per_km, frm=frm, to=to) if given else None,
        fixed=convert(cost.fixed, frm=frm, to=to) if given else None,
        onsite=(
            convert(cost.onsite_unit_cost, frm=frm, to=to)
            if cost.onsite_unit_cost is not None
            else None
        ),
        detour=cost.detour_factor,
        per_km_given=cost.cost_per_km,
        source=cost.source or "",
    )


def _estate_rows(
    estates, utility, network, cost, gaps, *, file, province_names, **common
) -> list[dict]:
    """One row per estate that needs ``utility`` (:func:`estates_to_connect`): its connection
    to the nearest feature of ``network``, priced, and the on-site option beside."""
    import geopandas as gpd

    from isipo_geo.finance.money import CURRENCY_LABELS

    chosen = estates[estates_to_connect(estates, utility, gaps)]
    points = gpd.GeoSeries(
        gpd.points_from_xy(chosen["lon"].astype(float), chosen["lat"].astype(float)),
        index=chosen.index,
        crs=4326,
    )
    near = nearest_features(points, network)
    prices = _prices(cost, common["currency"], common["scale"])
    money_en = CURRENCY_LABELS[(common["currency"], common["scale"])][1]  # "bn toman"
    out = []
    for idx, est in chosen.iterrows():
        hit = near.loc[idx]
        feat = network.iloc[int(hit["feature"])]
        gap = gaps.get((str(est["id"]), utility), Gap(None, "", None))
        out.append(_estate_row(est, hit, feat, gap, utility, prices, file=file,
                               province_names=province_names, money_en=money_en, **common))
    return out


def _estate_row(
    est, hit, feat, gap, utility, prices, *, file, province_names, money_en, **common
) -> dict:
    """An estate's connection row: its length and cost, the on-site cost of its gap and the
    cheaper of the two, with the notes and the source."""
    length = length_km(float(hit["distance_km"]), prices.detour)
    need = (
        _CTX.add(_CTX.multiply(length, prices.per_km), prices.fixed)
        if prices.per_km is not None and prices.fixed is not None
        else None
    )
    deficit, gap_need = gap.deficit, gap.need
    onsite_need = (
        _CTX.multiply(deficit, prices.onsite)
        if prices.onsite is not None and deficit is not None
        else None
    )
    cheaper = ""
    if onsite_need is not None and need is not None and gap_need is not None:
        network_total = _CTX.add(gap_need, need)
        cheaper = "onsite" if onsite_need < network_total else "network"
    notes = []
    if need is None:
        notes.append(f"{NOT_COSTED}: no cost_per_km in [{utility}.connection]")
    precision = str(est.get("location_precision") or "")
    if precision in ("town", "county", "province"):
        notes.append(f"estate located at its {precision} only: length approximate")
    if deficit is None:
        notes.append(f"no {utility} supply")
    src = f"network {file} feature {feat['feature_id']}; detour factor {prices.detour}"
    if prices.source:
        src += f"; connection cost {prices.source}"
    return _connection_row(
        "estate", utility, file=file, **common,
        province=str(est["province"]),
        province_fa=province_names.get(str(est["province"]), ""),
        estate_id=str(est["id"]),
        estate_name_fa=str(est.get("name_fa") or ""),
        deficit=deficit,
        deficit_unit=gap.deficit_unit if deficit is not None else "",
        unit_cost=prices.per_km,
        unit_cost_unit=f"{money_en} per km" if prices.per_km_given is not None else "",
        need=need,
        source=src,
        note="; ".join(notes),
        length_km=length,
        feature_id=str(feat["feature_id"]),
        feature_name=str(feat["feature_name"] or ""),
        onsite_need=onsite_need,
        cheaper_option=cheaper,
        estate_lon=round(float(est["lon"]), 6),
        estate_lat=round(float(est["lat"]), 6),
        feature_lon=round(float(hit["to_lon"]), 6),
        feature_lat=round(float(hit["to_lat"]), 6),
    )


def _connection_row(
    scope: str,
    utility: str,
    *,
    scenario: str,
    currency: str,
    scale: str,
    cost_case: str,
    year: str,
    file: str,
    **fields: object,
) -> dict:
    """A connection row: every column in the table's order, the run's settings, ``fields`` set
    and the rest empty (the one shape of an estate's, a province's and the nation's rows)."""
    row = {
        "scope": scope,
        "province": "",
        "province_fa": "",
        "estate_id": "",
        "estate_name_fa": "",
        "utility": utility,
        "scenario": scenario,
        "deficit": None,
        "deficit_unit": "",
        "unit_cost": None,
        "unit_cost_unit": "",
        "need": None,
        "currency": currency,
        "scale": scale,
        "basis": "derived",
        "year": year,
        "cost_case": cost_case,
        "source": "",
        "note": "",
        "component": "connection",
        "length_km": None,
        "feature_id": "",
        "feature_name": "",
        "network_file": file,
        "onsite_need": None,
        "cheaper_option": "",
        **dict.fromkeys(("estate_lon", "estate_lat", "feature_lon", "feature_lat")),
    }
    unknown = set(fields) - set(row)
    if unknown:
        raise TypeError(f"not a connection column: {sorted(unknown)}")
    return row | fields


def _sums(
    estate_rows: list[dict],
    utility: str,
    province_names: Mapping[str, str],
    province_order: Sequence[str],
    **common: str,
) -> list[dict]:
    """Province and nation rows summing the estates' connection lengths and costs (a cost sum
    only when every estate's connection is costed)."""
    groups: dict[str, list[dict]] = {}
    for r in estate_rows:
        groups.setdefault(r["province"], []).append(r)
    order = {k: i for i, k in enumerate(province_order)}
    out = [_sum_row("nation", "", "", estate_rows, utility, **common)]
    for key in sorted(groups, key=lambda k: (order.get(k, len(order)), k)):
        out.append(
            _sum_row("province", key, province_names.get(key, ""), groups[key], utility, **common)
        )
    return out


def _sum_row(
    scope: str,
    province: str,
    province_fa: str,
    members: list[dict],
    utility: str,
    **common: str,
) -> dict:
    costed = all(r["need"] is not None for r in members)
    need = sum((r["need"] for r in members), Decimal(0)) if costed and members else None
    if not members:
        need = Decimal(0)
    note = f"{len(members)} estates"
    if members and not costed:
        note += f"; {NOT_COSTED}: no cost_per_km in [{utility}.connection]"
    return _connection_row(
        scope, utility, **common,
        province=province,
        province_fa=province_fa,
        need=need,
        source=f"sum of the estates' connections to network {common['file']}",
        note=note,
        length_km=sum((r["length_km"] for r in members), Decimal(0)),
    )


def _not_costed_row(utility: str, note: str, **common: str) -> dict:
    """The nation's row of a utility without a network layer: not costed (never 0)."""
    return _connection_row("nation", utility, file="", **common, basis="", note=note)

def add_connections(
    rows: list[dict],
    estates: pd.DataFrame,
    networks: Mapping[str, gpd.GeoDataFrame],
    costs: Mapping[str, ConnectionCost],
    *,
    network_files: Mapping[str, str],
    province_order: Sequence[str],
) -> list[dict]:
    """A funding table's rows (``component = gap``) followed by the connection rows of every
    utility it costs or a network is given for (:func:`connection_rows`); the deficits and
    needs of the gaps are the ones the table holds (one figure, one rule)."""
    from isipo_geo.labels import utility_key

    gaps = [{**r, "component": "gap"} for r in rows]
    first = rows[0] if rows else {}
    utilities = sorted(
        {r["utility"] for r in rows if r["utility"] != "total"} | set(networks), key=utility_key
    )
    names = {r["province"]: r["province_fa"] for r in rows if r["province"]}
    extra = connection_rows(
        estates,
        networks,
        costs,
        network_files=network_files,
        gaps=gaps_from_rows(gaps),
        utilities=utilities,
        currency=str(first.get("currency", "toman")),
        scale=str(first.get("scale", "billion")),
        province_names=names,
        province_order=province_order,
        scenario=str(first.get("scenario", "")),
        cost_case=str(first.get("cost_case", "central")),
        year=str(first.get("year", "")) if first.get("basis") == "registry" else "",
    )
    return gaps + extra


def connection_columns(wide: pd.DataFrame, rows: Sequence[Mapping]) -> pd.DataFrame:
    """``connection_need_<utility>`` and ``connection_km_<utility>`` per province (the wide
    table of :func:`isipo_geo.finance.province_wide`, indexed by province key), from the
    province connection rows; the table unchanged without any."""
    for r in rows:
        if r.get("component") == "connection" and r["scope"] == "province":
            u = r["utility"]
            for col, value in (
                (f"connection_need_{u}", r["need"]),
                (f"connection_km_{u}", r["length_km"]),
            ):
                if col not in wide.columns:
                    wide[col] = None
                wide.loc[r["province"], col] = value
    return wide
