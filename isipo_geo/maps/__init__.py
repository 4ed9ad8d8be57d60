"""Maps: self-contained, offline HTML pages (Leaflet inlined) and static figures.

- :mod:`~isipo_geo.maps.data` — the funding table as need per province, classes, encoded shapes;
- :mod:`~isipo_geo.maps.leaflet` — the national and province maps (page objects, no file I/O);
- :mod:`~isipo_geo.maps.legend` — the maps' legend; :mod:`~isipo_geo.maps.user_layer` — a value
  per province from the user's own table, mapped beside the need;
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
from isipo_geo.maps.atlas import read_layer, write_atlas, write_map
from isipo_geo.maps.leaflet import *  # noqa: F403 - the package's API: leaflet's __all__, atlas

# the maps as objects (leaflet), and the file side a caller writes them with (atlas)
__all__ = [*_leaflet.__all__, "read_layer", "write_atlas", "write_map"]
