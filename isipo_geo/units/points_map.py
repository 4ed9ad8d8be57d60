"""Maps of many points: one canvas, one inlined coordinate array, never one DOM marker
per point."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from isipo_geo.errors import InputError
from isipo_geo.messages import message

if TYPE_CHECKING:
    import geopandas as gpd
    import numpy as np
from isipo_geo.units.assign import _point_lonlat, _province_layer, province_codes

# --------------------------------------------------------------------------------------------
# Maps of many points: one canvas, one inlined coordinate array

_POINTS_JS = """
var IsipoPoints = L.Layer.extend({
  initialize: function (coords, options) {
    L.setOptions(this, options);
    this._coords = coords;
  },
  onAdd: function (map) {
    this._map = map;
    var c = this._canvas = L.DomUtil.create('canvas', 'isipo-points leaflet-zoom-hide');
    c.style.pointerEvents = 'none';
    var pane = map.getPane('isipoPoints') || map.createPane('isipoPoints');
    pane.style.zIndex = 390;  // under the overlay pane: outlines stay visible above the points
    pane.appendChild(c);
    var n = this._coords.length / 2, px = this._px = new Float64Array(2 * n);
    for (var i = 0; i < n; i++) {  // pixel position at zoom 0, projected once
      var p = map.project([this._coords[2 * i + 1], this._coords[2 * i]], 0);
      px[2 * i] = p.x; px[2 * i + 1] = p.y;
    }
    map.on('moveend zoomend resize viewreset', this._draw, this);
    this._draw();
  },
  onRemove: function (map) {
    L.DomUtil.remove(this._canvas);
    map.off('moveend zoomend resize viewreset', this._draw, this);
  },
  _draw: function () {
    var map = this._map, size = map.getSize(), ratio = window.devicePixelRatio || 1;
    var c = this._canvas, ctx = c.getContext('2d');
    c.width = size.x * ratio; c.height = size.y * ratio;
    c.style.width = size.x + 'px'; c.style.height = size.y + 'px';
    L.DomUtil.setPosition(c, map.containerPointToLayerPoint([0, 0]));
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = this.options.color || '#c0392b';
    ctx.globalAlpha = this.options.opacity || 0.6;
    var zoom = map.getZoom(), scale = map.getZoomScale(zoom, 0), o = map.getPixelBounds().min;
    var r = this.options.radius || (zoom <= 5 ? 0.75 : zoom <= 7 ? 1.25 : 2);
    var d = 2 * r, px = this._px, n = px.length / 2, drawn = 0;
    for (var i = 0; i < n; i++) {
      var x = px[2 * i] * scale - o.x, y = px[2 * i + 1] * scale - o.y;
      if (x < -d || y < -d || x > size.x + d || y > size.y + d) continue;
      ctx.fillRect(x - r, y - r, d, d);
      drawn++;
    }
    this.drawn = drawn;
    this.fire('drawn', {count: drawn});
  }
});
"""


def _coords_json(lon: np.ndarray, lat: np.ndarray) -> str:
    """``[lon0,lat0,lon1,lat1,...]`` rounded to 5 decimals (about 1 m)."""
    import numpy as np

    flat = np.empty(2 * len(lon))
    flat[0::2], flat[1::2] = lon, lat
    return "[" + ",".join(np.char.mod("%.5f", flat).tolist()) + "]"


def unit_points_layer(
    points: gpd.GeoDataFrame | gpd.GeoSeries,
    *,
    name: str = "واحدها / Units",
    color: str = "#c0392b",
    radius_px: float | None = None,
    show: bool = True,
):
    """Return a folium layer drawing every point on one canvas (for maps with many units).

    It needs folium, which the toolkit's own pages do without (``pip install folium``).

    Add it to a ``folium.Map`` with ``.add_to(m)``; a ``folium.LayerControl`` lists it. The
    points are inlined once as a flat coordinate array and drawn by a small canvas layer, so
    10⁵–10⁶ points stay responsive; no DOM marker is created per point. The script is placed in
    the page as is, never through a Jinja template (see :mod:`isipo_geo.maps.html`).

    Parameters
    ----------
    points : geopandas.GeoDataFrame or geopandas.GeoSeries
        Unit points with a CRS; every row needs a point.
    name : str
        Name in the layer control (plain text; it is escaped).
    color : str
        Fill colour of the points, as ``#rgb`` or ``#rrggbb``.
    radius_px : float, optional
        Half the side of each point's square in CSS pixels; default by zoom (0.75 up to zoom 5,
        1.25 up to zoom 7, then 2).
    show : bool
        Whether the layer is on when the map opens.

    Returns
    -------
    folium.map.Layer
        The layer; its JavaScript variable is ``layer.get_name()``.

    Raises
    ------
    InputError
        ``color`` is not ``#rgb`` or ``#rrggbb``.
    """
    import re

    try:
        from branca.element import Element
        from folium.map import Layer
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "unit_points_layer makes a layer for a folium map and needs folium "
            "(pip install folium); unit_points_map_html writes a page without it"
        ) from None

    from isipo_geo.maps import html as _html

    if not re.fullmatch(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?", color):
        raise InputError(message("colour_bad", color=repr(color)))
    lon, lat = _point_lonlat(points)
    data = _coords_json(lon, lat)
    options = _html.js_value({"color": color, "radius": radius_px})

    class _Raw(Element):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

        def render(self, **kwargs: object) -> str:  # noqa: ARG002
            return self.text

    class UnitPoints(Layer):
        def render(self, **kwargs: object) -> None:  # noqa: ARG002
            var, parent = self.get_name(), self._parent.get_name()
            js = (
                f"if (typeof IsipoPoints === 'undefined') {{{_POINTS_JS}}}\n"
                f"var {var} = new IsipoPoints({data}, {options}).addTo({parent});\n"
            )
            self.get_root().script.add_child(_Raw(js), name=var)

    layer = UnitPoints(name=_html.escape(name), overlay=True, control=True, show=show)
    layer._name = "IsipoUnitPoints"
    return layer


def unit_points_map_html(
    points: gpd.GeoDataFrame | gpd.GeoSeries,
    *,
    provinces: gpd.GeoDataFrame | None = None,
    title: str = "واحدهای صنعتی / Industrial units",
    color: str = "#c0392b",
    radius_px: float | None = None,
) -> str:
    """Return a self-contained HTML map of unit points, every point on one canvas.

    Province outlines carry the number of units in each (tooltip). Leaflet is inlined; nothing
    is fetched, and no tile layer is used (the map works offline).

    The page sets ``window.isipoReady`` (milliseconds since navigation start) once the points
    are drawn; the point layer is the global ``units`` (``units.drawn`` = points on screen).

    Parameters
    ----------
    points : geopandas.GeoDataFrame or geopandas.GeoSeries
        Unit points with a CRS; every row needs a point.
    provinces : geopandas.GeoDataFrame, optional
        Province polygons with ``key`` (and ``name_fa``, ``name_en``). Default: the shipped 31.
    title : str
        Caption (Persian first); the number of points, and of those outside every province, is
        appended.
    color : str
        The points' colour, ``#rgb`` or ``#rrggbb`` (as for :func:`unit_points_layer`).
    radius_px : float, optional
        The points' radius in screen pixels (as for :func:`unit_points_layer`).

    Returns
    -------
    str
        The HTML page.

    Raises
    ------
    InputError
        ``color`` is not ``#rgb`` or ``#rrggbb``.
    """
    import re

    import numpy as np

    from isipo_geo.maps import html as _html

    if not re.fullmatch(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?", color):
        raise InputError(message("colour_bad", color=repr(color)))
    lon, lat = _point_lonlat(points)
    if provinces is None:
        from isipo_geo.provinces import load_provinces

        provinces = load_provinces()
    keys, polygons = _province_layer(provinces)
    codes = province_codes(lon, lat, polygons)
    counts = np.bincount(codes, minlength=len(keys) + 1)
    shapes = provinces[
        [c for c in ("name_fa", "name_en") if c in provinces.columns] + [provinces.geometry.name]
    ].to_crs("EPSG:4326")
    shapes = shapes.assign(key=keys, units=counts[: len(keys)].astype(int))
    n_outside = int(counts[-1])
    caption = f"{title} — n = {len(lon):,}" + (
        f" ({n_outside:,} خارج از استان‌ها / outside provinces)" if n_outside else ""
    )
    return _points_page(
        title=title,
        caption=caption,
        outline=_html.js_value(json.loads(shapes.to_json(drop_id=True, to_wgs84=True))),
        bounds=tuple(float(v) for v in shapes.total_bounds),
        coords=_coords_json(lon, lat),
        options=_html.js_value({"color": color, "radius": radius_px}),
    )


def _points_page(
    *,
    title: str,
    caption: str,
    outline: str,
    bounds: tuple[float, ...],
    coords: str,
    options: str,
) -> str:
    """The page of :func:`unit_points_map_html`: ``outline`` (GeoJSON), ``coords`` and
    ``options`` are JSON safe in a script (:func:`isipo_geo.maps.html.js_value`); ``title`` and
    ``caption`` are plain text (escaped here)."""
    from isipo_geo.maps import html as _html

    west, south, east, north = bounds
    return f"""<!DOCTYPE html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_html.escape(title)}</title>
<style>{_html.leaflet_css()}</style>
<style>html,body,#map{{height:100%;margin:0}}#map{{direction:ltr;background:#f4f1ea}}
.isipo-caption{{background:#fff;padding:4px 8px;font:14px sans-serif;direction:rtl;
border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3)}}</style>
</head><body><div id="map"></div>
<script>{_html.leaflet_js()}</script>
<script>
{_POINTS_JS}
window.isipoReady = null;
var map = L.map('map', {{preferCanvas: true}});
map.fitBounds([[{south}, {west}], [{north}, {east}]]);
var provinces = L.geoJSON({outline}, {{
  style: {{color: '#555', weight: 1, fillOpacity: 0.05}},
  onEachFeature: function (f, layer) {{
    var p = f.properties, tip = document.createElement('span');  // text, never HTML
    tip.textContent = (p.name_fa || p.key) + ' / ' + (p.name_en || '') + ': ' +
      p.units.toLocaleString('fa-IR') + ' واحد / units';
    layer.bindTooltip(tip);
  }}
}}).addTo(map);
var caption = L.control({{position: 'topright'}});
caption.onAdd = function () {{
  var d = L.DomUtil.create('div', 'isipo-caption');
  d.textContent = {_html.js_value(caption)};
  return d;
}};
caption.addTo(map);
var units = new IsipoPoints({coords}, {options}).addTo(map);
requestAnimationFrame(function () {{ window.isipoReady = performance.now(); }});
</script></body></html>
"""


def write_unit_points_map(
    points: gpd.GeoDataFrame | gpd.GeoSeries,
    path: str | os.PathLike[str],
    **options: object,
) -> Path:
    """Write :func:`unit_points_map_html` atomically to ``path``.

    Parameters
    ----------
    points : geopandas.GeoDataFrame or geopandas.GeoSeries
        Unit points with a CRS; every row needs a point.
    path : path-like
        The HTML file to write (whole or not at all).
    **options
        Passed on to :func:`unit_points_map_html` (``provinces``, ``title``, ``color``,
        ``radius_px``).

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    InputError
        ``color`` is not ``#rgb`` or ``#rrggbb``.
    OutputError
        The file cannot be written.
    """
    from isipo_geo.io import atomic_write

    text = unit_points_map_html(points, **options)  # type: ignore[arg-type]
    with atomic_write(path) as f:
        f.write(text)
    return Path(path)
