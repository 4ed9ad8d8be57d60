"""The map pages' own CSS (:data:`MAP_CSS`) and script (:data:`MAP_JS`), as text placed inline in
every page by :mod:`isipo_geo.maps.leaflet` (re-exported by :mod:`isipo_geo.maps.html`)."""

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
