"""Documents: the Persian province briefs a planner hands in, each one self-contained page that
opens offline and prints on A4, and their PDFs.

- :mod:`~isipo_geo.documents.brief` (with ``_brief_parts``) — one brief page: the need per
  utility with its basis, the map, the report's own figures with their lines, the estates and
  what is unknown, the budget plan, sources;
- :mod:`~isipo_geo.documents.charts` — the brief's charts, inline SVG;
- :mod:`~isipo_geo.documents.fonts` — the embedded Persian typeface (Vazirmatn);
- :mod:`~isipo_geo.documents.write` — the file side: one brief per province in a folder;
- :mod:`~isipo_geo.documents.pdf` — pages printed to PDF by the headless Chromium on the machine.

The static PNG/SVG/PDF map figures stay in :mod:`isipo_geo.maps.static`: they are the map
command's pictures (written by :mod:`isipo_geo.maps.atlas`), which no brief uses.

May import the base modules, the registry, the report, finance and the maps; never raster,
units, the run or the CLI.
"""

from isipo_geo.documents.brief import brief_page
from isipo_geo.documents.pdf import find_chromium, print_pdfs, require_chromium
from isipo_geo.documents.write import write_briefs

__all__ = ["brief_page", "find_chromium", "print_pdfs", "require_chromium", "write_briefs"]
