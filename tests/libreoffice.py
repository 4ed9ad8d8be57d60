"""LibreOffice headless, as a planner's office suite: print a spreadsheet to PDF and read it back
page by page (poppler's pdftotext), or convert a CSV as its default import would open it.

Each pytest process gets its own LibreOffice profile (``-env:UserInstallation``), so parallel
runs do not clash over one profile's lock.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

_PROFILE = Path(tempfile.gettempdir()) / f"isipo-geo-soffice-{os.getpid()}"


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice's soffice is missing: install the Debian package "
                    "'libreoffice-calc' (.ci/run does)")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is missing: install the Debian package 'poppler-utils'")
    return exe


def convert(path: Path, to: str, out_dir: Path, *, infilter: str | None = None) -> Path:
    """``soffice --headless --convert-to TO`` of ``path`` into ``out_dir``; the file written."""
    args = [soffice(), f"-env:UserInstallation=file://{_PROFILE}", "--headless"]
    if infilter:
        args.append(f"--infilter={infilter}")
    args += ["--convert-to", to, "--outdir", str(out_dir), str(path)]
    subprocess.run(args, check=True, capture_output=True, timeout=240)
    written = out_dir / f"{path.stem}.{to.split(':')[0]}"
    assert written.is_file(), f"LibreOffice wrote no {written.name}"
    return written


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF (pdftotext, layout kept)."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    n = int(next(line.split()[-1] for line in info.stdout.splitlines()
                 if line.startswith("Pages:")))
    return [
        subprocess.run(["pdftotext", "-layout", "-f", str(i), "-l", str(i), str(pdf), "-"],
                       check=True, capture_output=True, text=True).stdout
        for i in range(1, n + 1)
    ]


def pdf_page_size_pt(pdf: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    line = next(x for x in info.stdout.splitlines() if x.startswith("Page size:"))
    w, _, h = line.split(":", 1)[1].split()[:3]
    return float(w), float(h)


def print_pages(xlsx: Path, out_dir: Path) -> tuple[list[str], tuple[float, float]]:
    """Print a workbook to PDF with LibreOffice; each page's text and the page size (points)."""
    pdf = convert(xlsx, "pdf", out_dir)
    return pdf_pages(pdf), pdf_page_size_pt(pdf)
