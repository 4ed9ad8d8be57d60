"""Vendor the Vazirmatn typeface (SIL OFL 1.1) into data/fonts/ from its npm tarball.

Usage (maintainers; nothing at run time downloads fonts)::

    npm pack vazirmatn@33.0.3
    python scripts/vendor_fonts.py vazirmatn-33.0.3.tgz

Copies the Regular and Bold web fonts (woff2) and the licence; see data/fonts/SOURCE.md.
"""

from __future__ import annotations

import sys
import tarfile
from pathlib import Path

FILES = {
    "package/fonts/webfonts/Vazirmatn-Regular.woff2": "Vazirmatn-Regular.woff2",
    "package/fonts/webfonts/Vazirmatn-Bold.woff2": "Vazirmatn-Bold.woff2",
    "package/OFL.txt": "OFL.txt",
}


def main(tarball: str) -> None:
    out = Path(__file__).resolve().parent.parent / "data" / "fonts"
    out.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball) as tar:
        for member, name in FILES.items():
            data = tar.extractfile(member)
            if data is None:
                raise SystemExit(f"{member} is missing from {tarball}")
            (out / name).write_bytes(data.read())
            print(f"wrote {out / name}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
