"""Self-contained, safe, deterministic HTML for the maps.

- Assets: Leaflet (``xstatic-leaflet``) and Leaflet.markercluster
  (``xstatic-leaflet-markercluster``) are inlined; folium's CDN links (Leaflet, jQuery,
  Bootstrap, Font Awesome) are removed, so a page makes no network request unless the user
  asked for tiles.
- Escaping: :func:`escape` for text placed in HTML, :func:`js_value` for values placed in
  JavaScript (``<``, ``>``, ``&`` and line separators escaped, so ``</script>`` cannot occur).
  Data never passes through a Jinja template: folium re-parses the output of its template macros
  as a template, so ``{{ ... }}`` in a name would be evaluated; :class:`RawScript` and
  :class:`RawHtml` bypass that.
- Determinism: :func:`render` numbers every element id in tree order instead of folium's random
  ids, and refuses to return a page that still links an external script or stylesheet.
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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isipo_geo.display import (  # noqa: F401  (re-exported: the maps' number rule)
    DIGIT_STYLES,
    FA_DIGITS,
    LATIN_DIGITS,
    display_decimals,
    format_number,
)
from isipo_geo.io import atomic_write

if TYPE_CHECKING:
    import folium



# --- escaping ---------------------------------------------------------------------------------


def escape(value: object) -> str:
    """Text for HTML content or a quoted attribute: ``& < > " '`` escaped, and ``{ }`` as
    character references, so text that passes through one of folium's templates (a layer
    name) cannot become template code.

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


# --- folium elements that bypass Jinja ----------------------------------------------------------


@cache
def _element_classes():  # built lazily (once) so importing this module does not import folium
    from branca.element import Element, Figure

    class Raw(Element):
        """Text placed in the page as is (never parsed as a template)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self._name = "Raw"
            self.text = text

        def render(self, **kwargs: Any) -> str:  # noqa: ARG002
            return self.text

    class RawPart(Element):
        """Adds raw text to the page's header, body or script when rendered, in tree order."""

        def __init__(self, text: str, *, part: str) -> None:
            super().__init__()
            self._name = "RawPart"
            self.text = text
            self.part = part

        def render(self, **kwargs: Any) -> None:
            figure = self.get_root()
            getattr(figure, self.part).add_child(Raw(self.text), name=self.get_name())
            for child in self._children.values():
                child.render(**kwargs)

    class Page(Figure):
        """An HTML5 page: ``lang="fa"``, UTF-8, escaped title, scripts at the end of the body."""

        _template = Figure._template.environment.from_string(
            "<!DOCTYPE html>\n"
            '<html lang="fa">\n<head>\n<meta charset="utf-8">\n'
            "<title>{{ this.title_html }}</title>\n"
            "{{ this.header.render(**kwargs) }}\n"
            "</head>\n<body>\n"
            "{{ this.html.render(**kwargs) }}\n"
            "<script>\n{{ this.script.render(**kwargs) }}\n</script>\n"
            "</body>\n</html>\n"
        )

        def __init__(self, title: str) -> None:
            super().__init__()
            self._name = "Page"
            self.header._children.pop("meta_http", None)
            self.title_html = escape(title)

    return Raw, RawPart, Page


def raw_script(js: str) -> Any:
    """An element whose JavaScript goes into the page's script, in tree order, unparsed."""
    _, raw_part, _ = _element_classes()
    return raw_part(_script_text(js), part="script")


def raw_html(text: str) -> Any:
    """An element whose (already escaped) HTML goes into the page body, unparsed."""
    _, raw_part, _ = _element_classes()
    return raw_part(text, part="html")


def raw_header(text: str) -> Any:
    """An element whose (already escaped) HTML goes into the page head, unparsed."""
    _, raw_part, _ = _element_classes()
    return raw_part(text, part="header")


def make_page(m: folium.Map, *, title: str, css: str = "", cluster: bool = False) -> None:
    """Put ``m`` on a self-contained page: inline Leaflet (and markercluster when ``cluster``),
    no CDN links, the given extra CSS, and an escaped title."""
    raw, _, page_cls = _element_classes()
    page = page_cls(title)
    page.add_child(m)
    m.default_js = []  # instance attributes: folium's class-level CDN lists stay untouched
    m.default_css = []
    head = [f"<style>{_style_text(leaflet_css())}</style>"]
    if cluster:
        head.append(f"<style>{_style_text(markercluster_css())}</style>")
    if css:
        head.append(f"<style>{_style_text(css)}</style>")
    head.append(f"<script>{_script_text(leaflet_js())}</script>")
    if cluster:
        head.append(f"<script>{_script_text(markercluster_js())}</script>")
    page.header.add_child(raw("\n".join(head)), name="isipo_assets")


# --- the map page's own CSS and JavaScript ------------------------------------------------------

MAP_CSS = (
    "html,body{height:100%;margin:0}"
    ".leaflet-container{background:#f3f5f7;font:12px/1.45 Vazirmatn,Tahoma,'Segoe UI',"
    "'Noto Sans Arabic','DejaVu Sans',Arial,sans-serif}"
    ".ig-box{background:rgba(255,255,255,.94);padding:6px 9px;border-radius:5px;"
    "box-shadow:0 1px 4px rgba(0,0,0,.35);max-width:min(46vw,360px);max-height:70vh;overflow:auto}"
    ".ig-box b.ig-title{font-size:13px}"
    "[dir=rtl]{text-align:right}[dir=ltr]{text-align:left}.ig-en{color:#444;font-size:11px}"
    ".leaflet-tooltip.ig-tip{white-space:normal;width:max-content;max-width:300px}"
    ".ig-t{border-collapse:collapse}.ig-t th,.ig-t td{padding:0 4px;text-align:right;"
    "font-weight:normal;vertical-align:top}.ig-t th{font-weight:bold}"
    ".ig-label{width:0!important;height:0!important}.ig-label span{position:absolute;"
    "transform:translate(-50%,-50%);white-space:nowrap;font-size:10px;color:#1f1f1f;"
    "text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff}"
    ".ig-legend table{border-collapse:collapse}.ig-legend td{padding:1px 3px;vertical-align:middle}"
    ".ig-sec{margin-top:4px;border-top:1px solid #ddd;padding-top:3px}"
    ".ig-sw,.ig-dot{display:block;box-sizing:border-box}"
    ".ig-sw{width:20px;height:12px;border:1px solid #3b3b3b}"
    ".ig-est{border-style:dashed;background-image:repeating-linear-gradient(45deg,"
    "rgba(0,0,0,.3) 0 1.6px,transparent 1.6px 7px)}"
    ".ig-dot{width:14px;height:14px;margin:1px;border-radius:50%;border:2.5px solid}"
    ".ig-dash{border-style:dashed}"
    ".ig-legend summary{cursor:pointer;font-weight:bold}"
    ".ig-line{display:inline-block;width:22px;height:0;border-top:3px solid #555;"
    "vertical-align:middle}"
    ".ig-dash-line{border-top-style:dashed}"
    # the layer control, opened, lies over the legend below it (not under it)
    ".leaflet-top.leaflet-right{z-index:1001}"
    # the credits keep clear of the scale bar at the bottom left (it was drawn under them)
    ".leaflet-control-attribution{max-width:calc(100% - 140px)}"
    ".ig-small .leaflet-control-attribution{font-size:9px;max-width:60%}"
    # cluster icons in one neutral grey (markercluster's green, yellow and orange by count read
    # as classes of the choropleth); .ig-clu is their sample in the legend
    ".marker-cluster-small,.marker-cluster-medium,.marker-cluster-large,.ig-clu{"
    "background-color:rgba(77,77,77,.3)}.marker-cluster-small div,.marker-cluster-medium div,"
    ".marker-cluster-large div,.ig-clu i{background-color:#4d4d4d;color:#fff;font-weight:bold}"
    ".ig-clu{display:block;width:22px;height:22px;border-radius:50%}.ig-clu i{display:block;"
    "margin:3px;width:16px;height:16px;border-radius:50%;font:bold 9px/16px sans-serif;"
    "font-style:normal;text-align:center}"
    "@media print{.leaflet-control-zoom,.leaflet-control-layers{display:none}}"
)

# Decodes the shapes once (encoded polylines in 1/IGD.scale degree) and builds the layers,
# controls, tooltips and popups from the page data IGD. IGD.x, when present, is the user's own
# layer (choropleth number IGD.x.i, its own palette; each province's value in p.x). Every
# string in IGD is HTML escaped in Python and this script only joins them with constant markup,
# except the estates' text (IGD.et: names and popup lines, plain), which becomes text nodes and
# links (http and https only) built with textContent, never HTML. IGD.est holds the points as
# columns (markers.page_estates: the points in base-64 digits of markers.POINT_DIGITS);
# IGD.et may be deflated (a base64 string), inflated once with
# the browser's DecompressionStream when the first tooltip or popup needs it.
# nf() puts a number formatted with Latin digits into Persian digits (IGD.fd), as
# _html.format_number does.
MAP_JS = """var IG=(function(D){
var S=D.scale,F='0123456789,.-';
function ring(s){var o=[],i=0,la=0,lo=0;function n(){var r=0,h=0,b;
do{b=s.charCodeAt(i++)-63;r|=(b&31)<<h;h+=5;}while(b>=32);return r&1?~(r>>1):r>>1;}
while(i<s.length){la+=n();lo+=n();o.push([la/S,lo/S]);}return o;}
var G=D.prov.map(function(p){return p.g.map(function(q){return q.map(ring);});});
function nf(s){return D.fd?s.replace(/[-0-9,.]/g,function(c){return D.fd.charAt(F.indexOf(c));}):s;}
function fe(fa,en){return '<div dir="rtl" lang="fa">'+fa+'</div>'+
'<div dir="ltr" lang="en" class="ig-en">'+en+'</div>';}
function tip(p,li){var T=D.tip,X=D.x,f='',e=[];p.r.forEach(function(r,j){
var l=T.l[j],u=T.u[r[2]]||['',''],b=T.b[r[3]];
f+='<tr><th>'+l[0]+'</th><td>'+nf(r[0])+'</td><td>'+(r[1]?nf(r[1])+' '+u[0]:'')+'</td><td>'+
b[0]+'</td></tr>';
e.push(l[1]+' '+r[0]+' ('+(r[1]?r[1]+' '+u[1]+', ':'')+b[1]+')');});
var nfa=T.fa+f+'</table>',nen=T.en+': '+e.join('; ');
if(!X)return fe('<b>'+p.n+'</b><br>'+nfa,'<b>'+p.e+'</b> \u00b7 '+nen);
var u=X.u?' <bdi>'+X.u+'</bdi>':'',xf=X.fa+': '+(p.x?'<bdi>'+nf(p.x)+u+'</bdi>':'بدون داده'),
xe=X.en+': '+(p.x?p.x+u:'no data');
if(li===X.i)return fe('<b>'+p.n+'</b><br>'+xf+'<div class="ig-sec">'+nfa+'</div>',
'<b>'+p.e+'</b> \u00b7 '+xe+' \u00b7 '+nen);
return fe('<b>'+p.n+'</b><br>'+nfa+'<div class="ig-sec">'+xf+'</div>',
'<b>'+p.e+'</b> \u00b7 '+nen+' \u00b7 '+xe);}
function el(t,c,x){var e=document.createElement(t);if(c)e.className=c;
if(x!=null)e.textContent=x;return e;}
function part(d,x){if(typeof x==='string'){d.appendChild(document.createTextNode(x));return;}
if(x[0]===0){d.appendChild(el('span','ig-en',x[1]));return;}
var a=el('a',null,x[2]);if(/^https?:/.test(x[1]))a.href=x[1];a.target='_blank';
a.rel='noopener noreferrer';d.appendChild(a);}
function side(fa,name,bold,ids,T){var d=el('div',fa?null:'ig-en');d.dir=fa?'rtl':'ltr';
d.lang=fa?'fa':'en';if(name){d.appendChild(bold?el('b',null,name):document.createTextNode(name));
if(ids.length)d.appendChild(el('br'));}ids.forEach(function(j,k){if(k)d.appendChild(el('br'));
var x=T.t[j];if(typeof x==='string')part(d,x);else x.forEach(function(y){part(d,y);});});
return d;}
function card(i,T,full){var d=el('div'),n=T.t[T.nf[i]],e=T.t[T.ne[i]];
d.appendChild(side(1,n,1,full?T.pf[i]:[],T));d.appendChild(side(0,e,full,full?T.pe[i]:[],T));
return d;}
var TX=null;
function text(f){var T=D.et;if(typeof T!=='string'){f(T);return;}
if(TX){TX.push(f);return;}TX=[f];var q=TX;function done(o){D.et=o;TX=null;
q.forEach(function(g){g(o);});}
try{var b=atob(T),u=new Uint8Array(b.length);for(var i=0;i<b.length;i++)u[i]=b.charCodeAt(i);
new Response(new Response(u).body.pipeThrough(new DecompressionStream('deflate'))).text()
.then(function(t){done(JSON.parse(t));}).then(null,function(){done(OLD);});}
catch(e){done(OLD);}}
var OLD={t:['این مرورگر نمی‌تواند نام و جزئیات شهرک‌ها را نشان دهد؛ '+
'نقشه را در Chrome یا Edge ۸۰، Firefox ۱۱۳ یا Safari ۱۶٫۴ به بعد باز کنید',
'this browser cannot show the estates\u2019 names and details: '+
'open the map in Chrome or Edge 80, Firefox 113, Safari 16.4 or later'],old:1};
function style(p,li){
if(D.focus&&p.k!==D.focus)return{color:D.grey[1],weight:.7,fillColor:D.grey[0],fillOpacity:1,dashArray:null};
var v=p.v[li],c=v[0],P=D.x&&li===D.x.i?D.x.pal:D.pal;
return{color:'#3b3b3b',weight:v[1]?1.3:.9,dashArray:v[1]?'5 3':null,
fillColor:c<0?D.nodata:(v[1]?'url(#ig-h'+c+')':P[c]),fillOpacity:D.fo};}
function box(map,pos,cls,html){var c=L.control({position:pos});
c.onAdd=function(){var d=L.DomUtil.create('div','ig-box '+cls);d.innerHTML=html;
L.DomEvent.disableClickPropagation(d);L.DomEvent.disableScrollPropagation(d);return d;};
return c.addTo(map);}
return{
init:function(map){var w=map.getSize().x>900;
[['igOutline',450],['igEstates',460]].forEach(function(p){
var e=map.createPane(p[0]);e.style.zIndex=p[1];
if(p[0]==='igOutline')e.style.pointerEvents='none';});
if(D.lm!=='none')box(map,'topright','ig-title',D.title);
var z=map.getSize();D.sm=D.lm==='compact'||D.lm==='none'||(D.lm==='auto'&&(z.x<800||z.y<650));
if(D.sm)L.DomUtil.addClass(map.getContainer(),'ig-small');
D.prov.forEach(function(p){if(p.k===D.focus&&!D.sm)box(map,'bottomleft','ig-info',tip(p));});
if(map.attributionControl){map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
if(D.attr)map.attributionControl.addAttribution(D.attr);}
var ib=map.getContainer().querySelector('.ig-box.ig-info');
function clear(){if(!ib||!map.attributionControl)return;ib.style.marginBottom='';
var o=ib.getBoundingClientRect().bottom-
map.attributionControl.getContainer().getBoundingClientRect().top+6;
if(o>0)ib.style.marginBottom=(10+o)+'px';}
clear();map.on('resize',clear);
var a=map.attributionControl?map.attributionControl.getContainer().offsetHeight:0;
map.fitBounds(D.bounds,{paddingTopLeft:[8,8],paddingBottomRight:[w?300:8,8+a],animate:false});},
choro:function(li){var g=L.featureGroup();
D.prov.forEach(function(p,i){var s=style(p,li),l=L.polygon(G[i],s);
l.bindTooltip(function(){return tip(p,li);},{sticky:true,className:'ig-tip'});
l.on('mouseover',function(){l.setStyle({weight:s.weight+1.6});});
l.on('mouseout',function(){l.setStyle(s);});g.addLayer(l);});return g;},
labels:function(){var g=L.layerGroup();D.prov.forEach(function(p){
L.marker(p.at,{icon:L.divIcon({className:'ig-label',html:'<span>'+p.n+'</span>',iconSize:null}),
interactive:false,keyboard:false}).addTo(g);});return g;},
network:function(){var N=D.nw,g=L.layerGroup();N.l.forEach(function(l){
L.polyline(ring(l[1]),{color:N.u[l[0]][0],weight:2.2,opacity:.9})
.bindTooltip(fe(N.u[l[0]][1]+': '+l[2],N.u[l[0]][2]+': '+l[2]),{className:'ig-tip'}).addTo(g);});
N.p.forEach(function(p){L.circleMarker([p[0],p[1]],{radius:4,color:N.u[p[2]][0],weight:2,
fillColor:'#fff',fillOpacity:1}).bindTooltip(fe(N.u[p[2]][1]+': '+p[3],N.u[p[2]][2]+': '+p[3]),
{className:'ig-tip'}).addTo(g);});return g;},
links:function(){var N=D.nw,g=L.layerGroup();N.c.forEach(function(c){
L.polyline([[c[0],c[1]],[c[2],c[3]]],{color:N.u[c[4]][0],weight:2,dashArray:'6 4'})
.bindPopup(fe(c[5],c[6]),{maxWidth:320}).addTo(g);});return g;},
plants:function(){var g=L.layerGroup();D.pp.forEach(function(p){
L.circleMarker([p[0],p[1]],{radius:p[2],color:'#4d4d4d',weight:1.2,fillColor:'#bdbdbd',
fillOpacity:.6}).bindTooltip(fe(p[3],p[4]),{className:'ig-tip'}).addTo(g);});return g;},
outline:function(){
return L.polyline(D.out.map(ring),{color:'#222',weight:1.8,interactive:false,pane:'igOutline'});},
counties:function(){var g=L.layerGroup();D.cty.forEach(function(c){c.forEach(function(p){
L.polyline(p.map(ring),{color:'#7a7a7a',weight:0.7,opacity:0.8,dashArray:'4 3',
interactive:false,pane:'igOutline'}).addTo(g);});});return g;},
estates:function(){var E=D.est,R=D.canvas?L.canvas({pane:'igEstates'}):null,
g=D.cluster?L.markerClusterGroup({maxClusterRadius:40,showCoverageOnHover:false,
clusterPane:'igEstates'}):L.layerGroup(),ms=[],i,k,m,P=E.p,w=E.o[2],A=[],
Z='0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_',CM=L.CircleMarker.prototype;
for(i=0;i<64;i++)A[Z.charCodeAt(i)]=i;
function num(j){var v=0;for(k=0;k<w;k++)v=v*64+A[P.charCodeAt(j+k)];return v;}
function who(T,i){return T.old?[0,1]:[T.nf[i],T.ne[i]];}
function hover(m){if(m.getTooltip())return;text(function(T){var k=who(T,m.ig);
m.bindTooltip(card(0,{t:T.t,nf:[k[0]],ne:[k[1]]},0),{className:'ig-tip'});
if(m._map)m.openTooltip();});}
function open(m){var map=m._map;if(!map)return;text(function(T){
var c=T.old?card(0,{t:T.t,nf:[0],ne:[1]},0):card(m.ig,T,1);
L.popup({maxWidth:320}).setLatLng(m.getLatLng()).setContent(c).openOn(map);});}
// one class per style: a marker carries no options or listeners of its own (84,400 of them)
var C=L.CircleMarker.extend({listens:function(t,p){
return t==='click'||t==='mouseover'||CM.listens.call(this,t,p);},
fire:function(t,d,p){if(t==='click')open(this);else if(t==='mouseover')hover(this);
return CM.fire.call(this,t,d,p);}}),K=E.st.map(function(s){return C.extend({options:{
radius:R?4:6,fillColor:D.kind[s[0]],fillOpacity:1,color:D.util[s[1]],weight:R?1.5:2.5,
dashArray:s[2]?'3 2':null,pane:'igEstates',renderer:R||undefined}});});
for(i=0;i<E.s.length;i++){m=new K[E.s[i]]([(E.o[0]+num(2*w*i))/1e5,(E.o[1]+num(2*w*i+w))/1e5]);
m.ig=i;ms.push(m);}
if(D.cluster)g.addLayers(ms);else for(i=0;i<ms.length;i++)g.addLayer(ms[i]);
return g;},
card:function(i,f){text(function(T){f(card(i,T,1));});},
legend:function(map,ls){if(D.lm==='none')return;var c=box(map,'bottomright','ig-legend',
D.sm?'<details><summary>راهنما · legend</summary>'+D.legend+'</details>':D.legend);
function fit(){var d=c.getContainer(),m=map.getContainer(),r=m.getBoundingClientRect(),top=0,
t=m.querySelector('.leaflet-top.leaflet-right'),a=map.attributionControl?
map.attributionControl.getContainer().offsetHeight:0;if(t)for(var i=0;i<t.children.length;i++)
top=Math.max(top,t.children[i].getBoundingClientRect().bottom-r.top);
d.style.maxHeight=Math.max(60,r.height-top-a-30)+'px';}
map.on('resize',fit);fit();
function upd(){var s=c.getContainer().querySelectorAll('[data-l]');for(var i=0;i<s.length;i++){
s[i].style.display=s[i].getAttribute('data-l').split(' ').some(function(j){
return map.hasLayer(ls[+j]);})?'':'none';}}
map.on('baselayerchange overlayadd overlayremove',upd);upd();}
};})(IGD);
"""


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


_CALL = re.compile(r"IG\.[a-z]+\(\d*\)")
_METHOD = re.compile(r"[a-z]+")


def js_layer(call: str, *, name: str, overlay: bool, show: bool) -> Any:
    """A folium layer created by ``call`` (e.g. ``"IG.choro(0)"``) so that the layer control
    lists it. ``name`` must be HTML already (it is shown with innerHTML)."""
    if not _CALL.fullmatch(call):
        raise ValueError(f"not an IG call: {call!r}")
    js_layer_cls, _ = _call_classes()
    return js_layer_cls(call, name=name, overlay=overlay, show=show)


def map_call(m: folium.Map, method: str, layers: Sequence[Any] = ()) -> Any:
    """An element that runs ``IG.<method>(map[, [layers]])`` in tree order."""
    if not _METHOD.fullmatch(method):
        raise ValueError(f"not a method name: {method!r}")
    _, call_cls = _call_classes()
    return call_cls(m, method, layers)


@cache
def _call_classes():  # built once: compiling their templates for every page took a second
    from branca.element import MacroElement
    from folium.map import Layer
    from folium.template import Template

    class JsLayer(Layer):
        # Only the call (checked by js_layer) and generated names pass through this template.
        _template = Template(
            "{% macro script(this, kwargs) %}var {{ this.get_name() }} = {{ this.call }};"
            "{% endmacro %}"
        )

        def __init__(self, call: str, *, name: str, overlay: bool, show: bool) -> None:
            super().__init__(name=name, overlay=overlay, control=True, show=show)
            self._name = "IgLayer"
            self.call = call

    class Call(MacroElement):
        _template = Template(
            "{% macro script(this, kwargs) %}IG.{{ this.method }}({{ this.map.get_name() }}"
            "{% if this.layers %}, [{% for l in this.layers %}{{ l.get_name() }}"
            "{% if not loop.last %},{% endif %}{% endfor %}]{% endif %});{% endmacro %}"
        )

        def __init__(self, m: Any, method: str, layers: Sequence[Any]) -> None:
            super().__init__()
            self._name = "IgCall"
            self.method = method
            self.map = m
            self.layers = list(layers)

    return JsLayer, Call


# --- rendering --------------------------------------------------------------------------------


def _walk(element: Any) -> Iterable[Any]:
    yield element
    for part in ("header", "html", "script"):
        sub = getattr(element, part, None)
        if sub is not None and hasattr(sub, "_children") and part in vars(element):
            yield from _walk(sub)
    for child in list(element._children.values()):
        yield from _walk(child)


_RANDOM_ID = re.compile(r"[0-9a-f]{32}")
_EXTERNAL = re.compile(r"<script[^>]*\bsrc=|<link[^>]*\bhref=", re.IGNORECASE)


def render(m: folium.Map, *, compress: bool = False) -> str:
    """The page of a map placed with :func:`make_page`, with ids numbered in tree order.

    Parameters
    ----------
    m
        The map.
    compress
        Ship the page's styles and scripts compressed (:func:`pack`): about a third of the size,
        but it opens only in browsers with ``DecompressionStream`` (Chrome/Edge 80, Firefox
        113, Safari 16.4 or later); older ones show a message instead of the map.

    Raises
    ------
    RuntimeError
        The page still links an external script or stylesheet, or an element kept a random id
        (a bug in the map code, not a user error).
    """
    root = m.get_root()
    for n, element in enumerate(_walk(root)):
        element._id = str(n)
    text = root.render()
    if _EXTERNAL.search(text):
        raise RuntimeError("the map page links an external script or stylesheet")
    ids = {e._id for e in _walk(root)}
    stray = sorted(i for i in ids if _RANDOM_ID.fullmatch(i) and i in text)
    if stray:
        raise RuntimeError(f"random element ids left in the page: {stray[:3]}")
    text = _tidy(text)
    return pack(text) if compress else text


def _tidy(text: str) -> str:
    """Drop trailing spaces and blank lines folium's templates leave (JS/CSS unchanged)."""
    lines = (line.rstrip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line) + "\n"


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
