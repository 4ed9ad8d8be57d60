"""The Persian typeface the briefs embed: Vazirmatn (SIL OFL 1.1), shipped in ``data/fonts``.

:func:`font_face_css` returns ``@font-face`` rules with the woff2 files as data URIs, so a brief
shows and prints the same letters on any PC, with no network and no installed font.
"""

from __future__ import annotations

import base64
from functools import cache

from isipo_geo import _paths

FAMILY = "Vazirmatn"
FILES = (("Vazirmatn-Regular.woff2", 400), ("Vazirmatn-Bold.woff2", 700))


@cache
def font_face_css() -> str:
    """``@font-face`` rules for Vazirmatn Regular (400) and Bold (700), inlined as data URIs.

    Raises
    ------
    DataFileError
        A font file is missing from the installation (reinstall isipo-geo).
    """
    rules = []
    for name, weight in FILES:
        data = _paths.data_file("fonts", name).read_bytes()
        uri = "data:font/woff2;base64," + base64.b64encode(data).decode("ascii")
        rules.append(
            f"@font-face{{font-family:{FAMILY};font-style:normal;font-weight:{weight};"
            f"font-display:block;src:url({uri}) format('woff2')}}"
        )
    return "".join(rules)
