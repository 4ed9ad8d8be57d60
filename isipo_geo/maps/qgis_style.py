"""The QGIS style (QML) of the registry's layer on a PostgreSQL server: estates by kind and
status, labelled in Persian first.

One category per kind × status (``concat("kind", '|', "status")``): the kind's colour is the
maps' (:data:`isipo_geo.maps.estate_marks.KIND_COLORS`), the status its marker's shape; each
category's legend reads «شهرک صنعتی — در حال بهره‌برداری / industrial estate, operational» from
:mod:`isipo_geo.labels`. Points are labelled with ``name_fa``. ``registry init`` stores it as
the default row of ``public.layer_styles``, which QGIS applies when the layer is added.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from isipo_geo.labels import KIND_LABELS, STATUS_LABELS
from isipo_geo.maps.estate_marks import KIND_COLORS

__all__ = ["STATUS_SHAPES", "STYLE_NAME", "registry_qml"]

STYLE_NAME = "isipo-geo: kind and status"
STATUS_SHAPES = {  # status -> QGIS simple-marker shape
    "operational": "circle",
    "under_construction": "triangle",
    "planned": "square",
    "approved": "diamond",
    "inactive": "cross2",
    "unknown": "pentagon",
}
_OTHER_COLOR = KIND_COLORS[""]


def _rgba(hex_color: str) -> str:
    h = hex_color.lstrip("#")
    return ",".join(str(int(h[i:i + 2], 16)) for i in (0, 2, 4)) + ",255"


def _option(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, "Option", {"name": name, "type": "QString", "value": value})


def _marker(symbols: ET.Element, name: str, color: str, shape: str) -> None:
    symbol = ET.SubElement(symbols, "symbol", {"type": "marker", "name": name, "alpha": "1",
                                               "clip_to_extent": "1", "force_rhr": "0"})
    layer = ET.SubElement(symbol, "layer", {"class": "SimpleMarker", "enabled": "1",
                                            "locked": "0", "pass": "0"})
    options = ET.SubElement(layer, "Option", {"type": "Map"})
    for key, value in (("color", _rgba(color)), ("name", shape), ("size", "3"),
                       ("size_unit", "MM"), ("outline_color", "255,255,255,255"),
                       ("outline_width", "0.3"), ("outline_style", "solid")):
        _option(options, key, value)


def registry_qml(kinds: tuple[str, ...] | None = None) -> str:
    """The QML text (QGIS 3) of the registry's layer style.

    >>> "شهرک صنعتی — در حال بهره‌برداری" in registry_qml()
    True
    """
    kinds = tuple(KIND_LABELS) if kinds is None else kinds
    root = ET.Element("qgis", {"version": "3.28.0", "styleCategories": "Symbology|Labeling"})
    renderer = ET.SubElement(root, "renderer-v2", {
        "type": "categorizedSymbol", "attr": "concat(\"kind\", '|', \"status\")",
        "symbollevels": "0", "enableorderby": "0", "forceraster": "0"})
    categories = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    n = 0
    for kind in kinds:
        kind_fa, kind_en = KIND_LABELS[kind]
        color = KIND_COLORS.get(kind, _OTHER_COLOR)
        for status, shape in STATUS_SHAPES.items():
            status_fa, status_en = STATUS_LABELS[status]
            ET.SubElement(categories, "category", {
                "value": f"{kind}|{status}", "symbol": str(n), "render": "true",
                "label": f"{kind_fa} — {status_fa} / {kind_en}, {status_en}"})
            _marker(symbols, str(n), color, shape)
            n += 1
    ET.SubElement(categories, "category", {"value": "", "symbol": str(n), "render": "true",
                                           "label": "سایر / other"})
    _marker(symbols, str(n), _OTHER_COLOR, "circle")
    labeling = ET.SubElement(root, "labeling", {"type": "simple"})
    settings = ET.SubElement(labeling, "settings", {"calloutType": "simple"})
    ET.SubElement(settings, "text-style", {
        "fieldName": "name_fa", "isExpression": "0", "fontSize": "8", "fontSizeUnit": "Point",
        "textColor": "50,50,50,255", "textOpacity": "1"})
    ET.SubElement(settings, "placement", {"placement": "0", "dist": "1.5", "distUnits": "MM"})
    ET.SubElement(settings, "rendering", {"scaleVisibility": "1", "scaleMin": "0",
                                          "scaleMax": "1000000", "obstacle": "1"})
    ET.SubElement(root, "layerGeometryType").text = "0"
    ET.indent(root)
    return ET.tostring(root, encoding="unicode") + "\n"
