"""Maps: self-contained, offline HTML pages (Leaflet inlined) and static figures.

- :mod:`~isipo_geo.maps.data` — the funding table as need per province, classes, encoded shapes;
- :mod:`~isipo_geo.maps.leaflet` — the national and province maps (folium objects, no file I/O);
- :mod:`~isipo_geo.maps.estate_marks` — an estate marker's ring, source links, precision counts,
  county borders;
- :mod:`~isipo_geo.maps.html` — escaping, inlined assets, page assembly and atomic writing;
- :mod:`~isipo_geo.maps.static` — PNG/SVG/PDF figures for Word and print (matplotlib);
- :mod:`~isipo_geo.maps.atlas` — the file side: the index, the national page, 31 province pages.

The province briefs, their charts and PDF printing live in :mod:`isipo_geo.documents`, which
draws these maps into its pages.

May import the base modules, the registry, the report and finance; never raster, units, the
documents or the CLI.
"""

from isipo_geo.maps import leaflet as _leaflet
from isipo_geo.maps.leaflet import *  # noqa: F403 - the package's API is leaflet's __all__

__all__ = list(_leaflet.__all__)
