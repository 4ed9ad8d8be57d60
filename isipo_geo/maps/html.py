"""Self-contained, safe, deterministic HTML for the maps.

- Assets: Leaflet (``xstatic-leaflet``) and Leaflet.markercluster
  (``xstatic-leaflet-markercluster``) are inlined, read and minified once per process; a page
  makes no network request unless the user asked for tiles.
- Escaping: :func:`escape` for text placed in HTML, :func:`js_value` for values placed in
  JavaScript (``<``, ``>``, ``&`` and line separators escaped, so ``</script>`` cannot occur).
- Pages: :class:`MapPage` is a map page as data; :func:`render` / :func:`render_parts` write it
  by plain string building (no template engine: nothing in a name can run as template code),
  in the layout folium 0.20 gave the pages, so a page is the same bytes it was when folium drew
  it; they refuse a page that links an external script or stylesheet.
- Compression (opt-in, ``isipo-geo map --compress``): :func:`pack` ships a page's styles and
  scripts as one deflated, base64-encoded stream that the browser inflates with its own
  ``DecompressionStream``; :func:`unpack` reads them back for checks. Plain pages stay the default
  because older browsers (before Chrome 80, Firefox 113, Safari 16.4) cannot open packed ones.
- Writing: :func:`write_text` writes atomically (:func:`isipo_geo.io.atomic_write`).
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any

from isipo_geo.display import (  # noqa: F401  (re-exported: the maps' number rule)
    DIGIT_STYLES,
    FA_DIGITS,
    LATIN_DIGITS,
    display_decimals,
    format_number,
)
from isipo_geo.io import atomic_write

# --- escaping ---------------------------------------------------------------------------------


def escape(value: object) -> str:
    """Text for HTML content or a quoted attribute: ``& < > " '`` escaped, and ``{ }`` as
    character references (no text can read as template code wherever a page is pasted).

    Examples
    --------
    >>> escape('<img src=x onerror=alert(1)>')
    '&lt;img src=x onerror=alert(1)&gt;'
    """
    return html.escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def escape_all(values: Sequence[str]) -> list[str]:
    """:func:`escape` of each string, done on their join in one pass (for a column of 84,400
    names), the same as ``[escape(v) for v in values]``.

    Examples
    --------
    >>> escape_all(["a<b", "", "{x}"])
    ['a&lt;b', '', '&#123;x&#125;']
    """
    out: list[str] = []
    for start in range(0, len(values), 8192):  # in parts: no copy of every value at once
        part = values[start : start + 8192]
        joined = "\x00".join(part)
        if joined.count("\x00") != len(part) - 1:  # a value holds the separator
            out += [escape(v) for v in part]
        else:
            out += escape(joined).split("\x00")
    return out


def js_value(value: Any) -> str:
    """A JSON literal safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e``, ``\\u0026`` (no ``</script>`` or
    ``<!--`` can appear), and U+2028/U+2029 are escaped for old JavaScript engines. Keys keep
    their order; output is compact and the same for the same input. A dict may hold
    :class:`JsonText` values (see :func:`js_parts`).

    Examples
    --------
    >>> js_value({"name": "</script><b>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    if isinstance(value, dict) and any(isinstance(v, JsonText) for v in value.values()):
        return "".join(js_parts(value))
    return js_safe(json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False))


def js_safe(text: str) -> str:
    """JSON text made safe inside a ``<script>`` element, as :func:`js_value` makes it."""
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@dataclass(frozen=True)
class JsonText:
    """JSON text already safe in a script (made by :func:`js_value` or :func:`js_safe`), in
    parts, for a value of a dict given to :func:`js_parts`: a page's 84,400 estates are encoded
    part by part instead of as one string."""

    parts: Iterable[str]


def js_parts(value: dict[str, Any]) -> Iterator[str]:
    """:func:`js_value` of a dict as a sequence of texts (their join is the same text);
    :class:`JsonText` values are passed on part by part, so a page can be written without
    holding its data twice."""
    yield "{"
    for n, (key, item) in enumerate(value.items()):
        yield ("," if n else "") + js_value(str(key)) + ":"
        if isinstance(item, JsonText):
            yield from item.parts
        else:
            yield js_value(item)
    yield "}"


# --- numbers: one rule per unit, in isipo_geo.display (re-exported here) ---------------------


# --- assets -----------------------------------------------------------------------------------


@cache
def _xstatic_dir(package: str) -> Path:
    if package == "leaflet":
        import xstatic.pkg.leaflet as pkg
    else:
        import xstatic.pkg.leaflet_markercluster as pkg
    return Path(pkg.BASE_DIR)


def _read(package: str, name: str) -> str:
    return (_xstatic_dir(package) / name).read_text(encoding="utf-8")


_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S*\s*$")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_SPACE = re.compile(r"\s+")
_CSS_PUNCT = re.compile(r"\s*([{};,>])\s*")


def _minify_css(css: str) -> str:
    css = _CSS_COMMENT.sub("", css)
    css = _CSS_SPACE.sub(" ", css)
    return _CSS_PUNCT.sub(r"\1", css).strip()


def _data_uri(package: str, name: str) -> str:
    data = (_xstatic_dir(package) / name).read_bytes()
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


@cache
def leaflet_css() -> str:
    """Leaflet's stylesheet, minified, with its images as data URIs (no file or network fetch)."""
    css = _read("leaflet", "leaflet.css")
    for image in ("layers.png", "layers-2x.png", "marker-icon.png"):
        css = css.replace(f"url(images/{image})", f"url({_data_uri('leaflet', 'images/' + image)})")
    return _minify_css(css)


@cache
def leaflet_js() -> str:
    """Leaflet 1.9 (minified; its licence header kept, the source-map comment removed)."""
    return _SOURCE_MAP.sub("", _read("leaflet", "leaflet.js")).strip()


@cache
def markercluster_css() -> str:
    css = _read("leaflet_markercluster", "MarkerCluster.css")
    css += _read("leaflet_markercluster", "MarkerCluster.Default.css")
    return _minify_css(css)


@cache
def markercluster_js() -> str:
    return _SOURCE_MAP.sub("", _read("leaflet_markercluster", "leaflet.markercluster.js")).strip()


def _script_text(js: str) -> str:
    # Inline scripts end at the first "</script"; the assets never contain one, checked here.
    if "</script" in js.lower() or "<!--" in js:
        raise ValueError("script text contains '</script' or '<!--'; escape it first")
    return js


def _style_text(css: str) -> str:
    if "</style" in css.lower():
        raise ValueError("style text contains '</style'")
    return css


# The map page's own CSS and JavaScript live in page_script (MAP_CSS, MAP_JS).
from isipo_geo.maps.page_script import MAP_CSS, MAP_JS  # noqa: E402, F401


def hatch_defs(colors: Sequence[str]) -> str:
    """Hidden SVG patterns ``ig-h<i>``: colour ``i`` with translucent diagonal hatching (the
    fill of estimated figures; Leaflet paths use them as ``fill="url(#ig-h<i>)"``)."""
    patterns = "".join(
        f'<pattern id="ig-h{i}" patternUnits="userSpaceOnUse" width="7" height="7" '
        f'patternTransform="rotate(45)"><rect width="7" height="7" fill="{escape(color)}"/>'
        '<line x1="0" y1="0" x2="0" y2="7" stroke="#000000" stroke-width="1.6" '
        'stroke-opacity="0.3"/></pattern>'
        for i, color in enumerate(colors)
    )
    return (
        '<svg aria-hidden="true" style="position:absolute;width:0;height:0;overflow:hidden">'
        f"<defs>{patterns}</defs></svg>"
    )


def swatch(fill: str, *, estimate: bool = False) -> str:
    """A legend rectangle (hatched, with a dashed outline, for estimates; see ``.ig-sw`` in
    :data:`MAP_CSS`)."""
    cls = "ig-sw ig-est" if estimate else "ig-sw"
    return f'<i class="{cls}" style="background-color:{escape(fill)}"></i>'


def dot(fill: str, stroke: str, *, dashed: bool = False) -> str:
    """A legend circle like the estate markers (``.ig-dot`` in :data:`MAP_CSS`)."""
    cls = "ig-dot ig-dash" if dashed else "ig-dot"
    return (
        f'<i class="{cls}" style="background-color:{escape(fill)};'
        f'border-color:{escape(stroke)}"></i>'
    )


# --- the map page, built as text -----------------------------------------------------------------

# The page keeps the layout folium (0.20) gave it, so pages made before and after the template
# engine left are the same bytes: the map is ``map_5``, the hatching, the page script and
# ``IG.init`` follow, then the layers numbered from 9 in order, the layer control and
# ``IG.legend``. Every string in it is a constant, escaped HTML, or JSON from js_value/_key_json.

_CALL = re.compile(r"IG\.[a-z]+\(\d*\)")
_MAP = "map_5"
_FIRST_ID = 9  # ids 0-8: the page, its head, body and script, Leaflet, the map and its parts
_ZOOM_START = 5
_MAP_HEAD = """            <meta name="viewport" content="width=device-width,
                initial-scale=1.0, maximum-scale=1.0, user-scalable=no" />
            <style>
                #map_5 {
                    position: relative;
                    width: 100.0%;
                    height: 100.0%;
                    left: 0.0%;
                    top: 0.0%;
                }
                .leaflet-container { font-size: 1rem; }
            </style>
            <style>html, body {
                width: 100%;
                height: 100%;
                margin: 0;
                padding: 0;
            }
            </style>
            <style>#map {
                position:absolute;
                top:0;
                bottom:0;
                right:0;
                left:0;
                }
            </style>
            <script>
                L_NO_TOUCH = false;
                L_DISABLE_3D = false;
            </script>
</head>
<body>
            <div class="folium-map" id="map_5" ></div>
"""
_MAP_SCRIPT = """<script>
            var map_5 = L.map(
                "map_5",
                {
                    center: %s,
                    crs: L.CRS.EPSG3857,
                    ...{
  "zoom": %d,
  "zoomControl": true,
  "preferCanvas": false,
  "zoomSnap": 0.25,
  "minZoom": %d,
  "maxZoom": %d,
}
                }
            );
            L.control.scale().addTo(map_5);
"""
_TILES = """            var {var} = L.tileLayer(
                "https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png",
                {{
  "minZoom": 0,
  "maxZoom": 19,
  "maxNativeZoom": 19,
  "noWrap": false,
  "attribution": "\\u0026copy; \\u003ca href=\\"https://www.openstreetmap.org/copyright\\"\\u003eOpenStreetMap\\u003c/a\\u003e contributors",
  "subdomains": "abc",
  "detectRetina": false,
  "tms": false,
  "opacity": 1,
}}
            );
            {var}.addTo(map_5);
"""  # noqa: E501
TILES_NAME = "OpenStreetMap (online)"
_CONTROL = """            var {var}_layers = {{
                base_layers : {{
{base}                }},
                overlays :  {{
{overlays}                }},
            }};
            let {var} = L.control.layers(
                {var}_layers.base_layers,
                {var}_layers.overlays,
                {{
  "position": "topright",
  "collapsed": true,
  "autoZIndex": true,
}}
            ).addTo(map_5);
"""


@dataclass(frozen=True)
class PageLayer:
    """A layer of a map page that the layer control lists: made by ``call`` (``IG.choro(0)``;
    see :func:`page_layer`), named ``name`` (HTML: the control shows it with innerHTML)."""

    call: str
    name: str
    overlay: bool
    show: bool


def page_layer(call: str, *, name: str, overlay: bool, show: bool) -> PageLayer:
    """A :class:`PageLayer`; ``call`` must be ``IG.<method>(<number>)`` (``IG.outline()``)."""
    if not _CALL.fullmatch(call):
        raise ValueError(f"not an IG call: {call!r}")
    return PageLayer(call, name, overlay, show)


@dataclass(frozen=True)
class MapPage:
    """A self-contained map page (see :func:`render`, :func:`render_parts`).

    ``data`` becomes ``var IGD=<JSON>;`` followed by ``script`` (the page's code, which defines
    ``IG``); ``IG.init(map)`` runs, then each layer is made (``tiles``: OpenStreetMap first), the
    layer control lists them, and ``IG.legend(map, [layers at legend])`` ends the script.
    ``body`` (escaped HTML) follows the map's element; ``css`` is the page's own style.
    """

    title: str
    center: tuple[float, float]
    data: dict[str, Any]
    script: str
    layers: tuple[PageLayer, ...]
    legend: tuple[int, ...] = ()
    css: str = ""
    body: str = ""
    cluster: bool = False
    tiles: bool = False
    min_zoom: int = 0
    max_zoom: int = 18


def _key_json(text: str) -> str:
    """A layer name as the layer control's key: ASCII JSON with ``< > & '`` escaped."""
    return (
        json.dumps(text)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027")
    )


@cache
def _head(css: str, cluster: bool) -> str:
    """The head's inlined assets (Leaflet, markercluster when ``cluster``, ``css``) and the
    map's own styles, to the map's element in the body."""
    head = [f"<style>{_style_text(leaflet_css())}</style>"]
    if cluster:
        head.append(f"<style>{_style_text(markercluster_css())}</style>")
    if css:
        head.append(f"<style>{_style_text(css)}</style>")
    head.append(f"<script>{_script_text(leaflet_js())}</script>")
    if cluster:
        head.append(f"<script>{_script_text(markercluster_js())}</script>")
    return _tidy("    " + "\n".join(head) + "\n" + _MAP_HEAD)


@cache
def _tidy_script(script: str) -> str:
    return _tidy(_script_text(script))


def _layers_script(page: MapPage) -> str:
    """The script after ``IG.init``: the layers, the layer control and ``IG.legend``."""
    lines, base, overlays, names = [], [], [], []
    n = _FIRST_ID
    if page.tiles:
        lines.append(_TILES.format(var=f"tile_layer_{n}"))
        overlays.append((TILES_NAME, f"tile_layer_{n}"))
        n += 1
    for layer in page.layers:
        if not _CALL.fullmatch(layer.call):
            raise ValueError(f"not an IG call: {layer.call!r}")
        var = f"ig_layer_{n}"
        lines.append(f"    var {var} = {layer.call};\n")
        if layer.show:
            lines.append(f"            {var}.addTo({_MAP});\n")
        (overlays if layer.overlay else base).append((layer.name, var))
        names.append(var)
        n += 1
    for group in (base, overlays):  # one entry per name, as a dict keeps them
        kept: dict[str, str] = {}
        for name, var in group:
            kept[name] = var
        group[:] = kept.items()
    lines.append(
        _CONTROL.format(
            var=f"layer_control_{n}",
            base="".join(f"                    {_key_json(k)} : {v},\n" for k, v in base),
            overlays="".join(f"                    {_key_json(k)} : {v},\n" for k, v in overlays),
        )
    )
    legend = ",".join(names[i] for i in page.legend)
    lines.append(f"    IG.legend({_MAP}, [{legend}]);\n" if legend else f"    IG.legend({_MAP});\n")
    return "".join(lines)


_EXTERNAL = re.compile(r"<script[^>]*\bsrc=|<link[^>]*\bhref=", re.IGNORECASE)


def _frame(page: MapPage) -> tuple[str, str]:
    """The page's text before and after its data's JSON."""
    center = json.dumps([float(page.center[0]), float(page.center[1])])
    start = (
        "<!DOCTYPE html>\n"
        '<html lang="fa">\n<head>\n<meta charset="utf-8">\n'
        + _tidy(f"<title>{escape(page.title)}</title>")
        + _head(page.css, page.cluster)
        + _tidy(f"    {page.body}\n" if page.body else "")
        + _MAP_SCRIPT % (center, _ZOOM_START, page.min_zoom, page.max_zoom)
        + "    var IGD="
    )
    end = (
        ";\n"
        + _tidy_script(page.script)
        + f"    IG.init({_MAP});\n"
        + _tidy(_layers_script(page))
        + "</script>\n</body>\n</html>\n"
    )
    if _EXTERNAL.search(start) or _EXTERNAL.search(end):
        raise RuntimeError("the map page links an external script or stylesheet")
    return start, end


def render_parts(page: MapPage) -> Iterator[str]:
    """The page of :func:`render` in parts (the data JSON key by key): writing them
    (:func:`write_parts`) never holds a page of 84,400 estates whole."""
    start, end = _frame(page)
    return chain([start], js_parts(page.data), [end])


def render(page: MapPage, *, compress: bool = False) -> str:
    """The page's HTML: one self-contained file (Leaflet inline, nothing fetched), the same
    bytes for the same page.

    Parameters
    ----------
    page
        The map page (:func:`isipo_geo.maps.leaflet.national_map`, ``province_map``).
    compress
        Ship the page's styles and scripts compressed (:func:`pack`): about a third of the size,
        but it opens only in browsers with ``DecompressionStream`` (Chrome/Edge 80, Firefox
        113, Safari 16.4 or later); older ones show a message instead of the map.

    Raises
    ------
    RuntimeError
        The page's body or style links an external script or stylesheet (a bug in the map
        code, not a user error).
    """
    text = "".join(render_parts(page))
    return pack(text) if compress else text


def _tidy(text: str) -> str:
    """Drop trailing spaces and blank lines (JS/CSS unchanged)."""
    lines = (line.rstrip() for line in text.split("\n"))
    return "".join(line + "\n" for line in lines if line)

# --- compressed pages (opt-in) -------------------------------------------------------------------

# The page's styles and scripts (Leaflet, plugins, map data and code) travel as one zlib stream
# (RFC 1950, "deflate" for DecompressionStream: Chrome/Edge 80, Firefox 113, Safari 16.4), base64
# encoded. A small ES5 loader inflates it with the browser's DecompressionStream and adds each part
# as a <style> or <script> element (textContent: nothing is parsed as HTML), in the page's order.
# The parts are exactly those of the plain page, escaped the same way. Browsers without
# DecompressionStream, or with JavaScript off, keep the message below in view.
_PAGE = re.compile(
    r"\A(?P<top><!DOCTYPE html>\n<html lang=\"fa\">\n<head>\n.*?</title>\n)(?P<head>.*?)\n"
    r"</head>\n<body>\n(?P<body>.*?)\n<script>\n(?P<script>.*)\n</script>\n</body>\n</html>\n\Z",
    re.DOTALL,
)
_PART = re.compile(r"<(style|script)>(.*?)</\1>", re.DOTALL)
_PACKED = re.compile(r'var P="([A-Za-z0-9+/=]*)";')
_OLD_BROWSER_CSS = (
    "#ig-old{position:absolute;top:0;left:0;right:0;z-index:2000;max-width:40em;margin:2em auto;"
    "padding:.8em 1.4em;font:15px/1.7 Tahoma,'Segoe UI','DejaVu Sans',Arial,sans-serif;"
    "color:#222;background:#fff4e5;border:2px solid #e08a00;border-radius:6px}"
    "#ig-old p{margin:.4em 0}#ig-old span{white-space:nowrap}"
)
OLD_BROWSER_FA = (
    "این نقشه فشرده ذخیره شده است و این مرورگر نمی‌تواند آن را باز کند. آن را در نسخهٔ "
    "تازه‌تری از Chrome یا Edge (۸۰ به بعد)، Firefox (۱۱۳ به بعد) یا Safari (۱۶٫۴ به بعد) با "
    "جاوااسکریپت روشن باز کنید، یا نسخهٔ فشرده‌نشدهٔ نقشه را بخواهید (ساخته‌شده بدون "
    "گزینهٔ --compress) که در مرورگرهای قدیمی‌تر هم باز می‌شود."
)
OLD_BROWSER_EN = (
    "This map is stored compressed and this browser cannot open it. Open it with JavaScript on "
    "in a newer Chrome or Edge (80 or later), Firefox (113 or later) or Safari (16.4 or later), "
    "or ask for the uncompressed map (made without --compress), which opens in older browsers."
)
_LOADER = """(function(){
var m=document.getElementById('ig-old'),i;
function fail(e){m.style.display='';var p=document.createElement('p');p.dir='ltr';
p.textContent='('+e+')';m.appendChild(p);}
if(!(window.DecompressionStream&&window.Response&&window.Promise&&window.atob))return;
m.style.display='none';
try{var b=atob(P),u=new Uint8Array(b.length);for(i=0;i<b.length;i++)u[i]=b.charCodeAt(i);
new Response(new Response(u).body.pipeThrough(new DecompressionStream('deflate'))).text()
.then(function(t){var a=JSON.parse(t);for(i=0;i<a.length;i++){
var e=document.createElement(a[i][0]);e.textContent=a[i][1];
(a[i][0]==='style'?document.head:document.body).appendChild(e);}}).then(null,fail);
}catch(e){fail(e);}})();"""


def _deflate(data: bytes) -> bytes:
    # Fixed parameters and zlib's own header (no name, no time): the same bytes for the same page
    # with the same zlib build.
    z = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY)
    return z.compress(data) + z.flush()


def pack(page: str) -> str:
    """A plain page from :func:`render` with its styles and scripts compressed.

    The ``<style>`` and ``<script>`` elements of the head and the page script become one zlib
    stream (level 9), base64 encoded in a small loader that inflates it with the browser's
    ``DecompressionStream("deflate")`` and adds the parts back in order; the body's HTML stays
    as it is. Browsers without ``DecompressionStream`` (before Chrome/Edge 80, Firefox 113,
    Safari 16.4), or with JavaScript off, show a message in Persian and English.

    Raises
    ------
    RuntimeError
        ``page`` is not a plain page from :func:`render` (a bug, not a user error).
    """
    found = _PAGE.match(page)
    if found is None:
        raise RuntimeError("pack() takes a plain page from render()")
    head, body = found["head"], found["body"]
    parts = [[tag, text] for tag, text in _PART.findall(head)]
    rest = _PART.sub("", head)
    if re.search(r"<(script|style|link)\b", rest + body, re.IGNORECASE):
        raise RuntimeError("the page has a style or script that pack() cannot place")
    parts.append(["script", found["script"]])
    payload = json.dumps(parts, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    packed = base64.b64encode(_deflate(payload)).decode("ascii")
    meta = "".join(line.strip() + "\n" for line in rest.split("\n") if line.strip())
    fa, en = (
        escape(text).replace("--compress", '<span dir="ltr">--compress</span>')
        for text in (OLD_BROWSER_FA, OLD_BROWSER_EN)
    )
    message = (
        f'<div id="ig-old"><p dir="rtl" lang="fa">{fa}</p><p dir="ltr" lang="en">{en}</p></div>'
    )
    return (
        f"{found['top']}{meta}<style>{_OLD_BROWSER_CSS}</style>\n</head>\n<body>\n{body}\n"
        f'{message}\n<script>\nvar P="{packed}";\n{_LOADER}\n</script>\n</body>\n</html>\n'
    )


def unpack(page: str) -> list[tuple[str, str]]:
    """The styles and scripts of a page made by :func:`pack`, in order: ``[(tag, text), ...]``
    (for checks and tests; the browser does the same with ``DecompressionStream``)."""
    found = _PACKED.search(page)
    if found is None:
        raise ValueError("not a page made by pack()")
    payload = zlib.decompress(base64.b64decode(found[1]))
    return [(tag, text) for tag, text in json.loads(payload.decode("utf-8"))]


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 text atomically; returns the path."""
    path = Path(path)
    with atomic_write(path, encoding="utf-8", newline="\n") as f:
        f.write(text)
    return path


def write_parts(path: str | os.PathLike[str], parts: Iterable[str]) -> Path:
    """Write UTF-8 text given in parts atomically (as :func:`write_text` writes their join);
    returns the path."""
    path = Path(path)
    with atomic_write(path, encoding="utf-8", newline="\n") as f:
        for part in parts:
            f.write(part)
    return path


def embed_snippet(src: str, *, title: str, height_px: int = 600) -> str:
    """An ``<iframe>`` that shows a map page in a report (``src`` relative to the report)."""
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" '
        f'height="{int(height_px)}" style="border:0" loading="lazy"></iframe>\n'
    )


_INDEX_CSS = (
    "body{font:15px/1.6 Vazirmatn,Tahoma,'Segoe UI','DejaVu Sans',sans-serif;margin:2em auto;"
    "max-width:60em;padding:0 1em;color:#222}h1{font-size:1.4em}.en{color:#555}"
    "table{border-collapse:collapse;width:100%}"
    "td,th{border-bottom:1px solid #ddd;padding:.3em .5em;"
    "text-align:right}td.num{direction:ltr;text-align:left}a{color:#0b5394}"
)


def index_page(
    rows: Sequence[dict[str, str]],
    *,
    title_fa: str,
    title_en: str,
    intro_fa: str,
    intro_en: str,
    headers: Sequence[tuple[str, str]],
    numeric: Sequence[int] = (0,),
) -> str:
    """A self-contained ``index.html`` linking the maps.

    Parameters
    ----------
    rows
        One dict per row: ``href``, ``fa``, ``en`` (link text) and one value per extra header
        (keys ``c0``, ``c1``...); every value is escaped here.
    headers
        (Persian, English) titles of the extra columns.
    numeric
        Positions of the extra columns that hold numbers (laid out left to right).
    """
    head = "".join(
        f'<th>{escape(fa)}<br><span class="en" lang="en">{escape(en)}</span></th>'
        for fa, en in headers
    )
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num">{escape(row.get(f"c{i}", ""))}</td>'
            if i in numeric
            else f"<td>{escape(row.get(f'c{i}', ''))}</td>"
            for i in range(len(headers))
        )
        body.append(
            f'<tr><td><a href="{escape(row["href"])}">{escape(row["fa"])}</a> '
            f'<span class="en" lang="en" dir="ltr">{escape(row["en"])}</span></td>{cells}</tr>'
        )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="fa" dir="rtl">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f"<title>{escape(title_fa)} / {escape(title_en)}</title>\n<style>{_INDEX_CSS}</style>\n"
        "</head>\n<body>\n"
        f"<h1>{escape(title_fa)}<br>"
        f'<span class="en" lang="en" dir="ltr">{escape(title_en)}</span></h1>\n'
        f'<p>{escape(intro_fa)}</p>\n<p class="en" lang="en" dir="ltr">{escape(intro_en)}</p>\n'
        f'<table>\n<tr><th>استان<br><span class="en" lang="en">Province</span></th>{head}</tr>\n'
        + "\n".join(body)
        + "\n</table>\n</body>\n</html>\n"
    )
