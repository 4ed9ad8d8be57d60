"""Briefs in a real browser (headless Chromium, network blocked) and printed to PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from isipo_geo import finance
from isipo_geo.documents.write import write_briefs
from isipo_geo.maps import leaflet as maps
from isipo_geo.provinces import load_provinces
from isipo_geo.registry.estates import load_estates
from isipo_geo.report import load_indicators

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "maps"))
from test_maps_browser import browser  # noqa: E402,F401  (the one browser fixture)

pytestmark = pytest.mark.browser

# The headline need, 415 bn toman, on a line of its own. pdftotext orders a line's runs by the
# page's main direction, which it guesses from its letters: page 1 holds the map's legend and
# credits in English too, so the number may come out after the words.
HEADLINE = re.compile(r"^\W*(۴۱۵\S*\s*میلیارد تومان|میلیارد تومان\W*۴۱۵)\W*$", re.M)
HEADINGS = "Array.from(document.querySelectorAll('h2')).map(h => h.firstChild.textContent)"


@pytest.fixture(scope="module")
def briefs(tmp_path_factory) -> dict[str, Path]:
    rows = finance.funding_rows(scenario="essential", allocate_by="equal")
    estates = load_estates()
    funding = pd.DataFrame(rows, columns=finance.OUTPUT_COLUMNS)
    data = maps.map_data(load_provinces(), funding, estates)
    out = tmp_path_factory.mktemp("briefs")
    paths = write_briefs(
        data, [None, "fars"], out, rows=rows, indicators=load_indicators(), estates=estates
    )
    return {p.stem: p for p in paths}


def open_offline(browser, path: Path):  # noqa: F811
    """The page, with every request but file:// aborted and recorded."""
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    outside: list[str] = []
    errors: list[str] = []

    def route(r) -> None:
        url = r.request.url
        if url.startswith(("file://", "about:", "data:")):
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    return page, outside, errors


@pytest.mark.parametrize("name", ["fars", "national"])
def test_brief_draws_its_map_offline(browser, briefs, name) -> None:  # noqa: F811
    page, outside, errors = open_offline(browser, briefs[name])
    frame = next(f for f in page.frames if f.url == "about:srcdoc")
    frame.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length > 0")
    drawn = frame.evaluate("document.querySelectorAll('.leaflet-overlay-pane path').length")
    assert drawn >= 31  # every province is drawn (neighbours greyed on a province map)
    box = page.evaluate(
        "(() => { const r = document.querySelector('iframe.ig-map').getBoundingClientRect();"
        " return [r.width, r.height]; })()"
    )
    assert box[0] > 600 and box[1] > 350
    # the brief shows the legend itself: none on the map, no province box over it
    assert frame.evaluate("document.querySelectorAll('.ig-legend, .ig-info').length") == 0
    assert page.evaluate("document.fonts.check('16px Vazirmatn')")
    assert outside == [] and errors == []
    page.close()


def test_brief_headings_are_persian_and_in_order(browser, briefs) -> None:  # noqa: F811
    page, _, _ = open_offline(browser, briefs["fars"])
    assert page.evaluate(HEADINGS) == [
        "۱. نیاز مالی",
        "۲. نقشه",
        "۳. ارقام گزارش ۱۴۰۰",
        "۴. شهرک‌ها و مناطق",
        "۵. نمودارها",
        "۶. منابع و روش",
    ]
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith("Vazirmatn")
    page.close()


def test_national_brief_links_province_briefs(browser, briefs) -> None:  # noqa: F811
    page, _, _ = open_offline(browser, briefs["national"])
    page.click('a[href="fars.html"]')
    page.wait_for_load_state()
    assert page.url.endswith("/fars.html")
    assert page.evaluate("document.title").startswith("استان فارس")
    page.close()


def test_pdf_holds_selectable_persian_text(briefs, tmp_path) -> None:
    from isipo_geo.documents.pdf import find_chromium, print_pdfs

    if find_chromium() is None:
        pytest.skip("no Chromium/Chrome on this machine: install the Debian package 'chromium'")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is missing: install the Debian package 'poppler-utils'")
    pdfs = print_pdfs(
        [(briefs["fars"], tmp_path / "fars.pdf"), (briefs["national"], tmp_path / "national.pdf")]
    )
    assert [p.name for p in pdfs] == ["fars.pdf", "national.pdf"]
    assert pdfs[0].read_bytes().startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdfs[0]), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "استان فارس" in text  # shaped Persian comes back as text, in logical order
    assert HEADLINE.search(text)
    info = subprocess.run(["pdfinfo", str(pdfs[0])], capture_output=True, text=True).stdout
    assert "A4" in info


def test_pdf_one_browser_per_page_as_on_windows(briefs, tmp_path) -> None:
    from isipo_geo.documents.pdf import find_chromium, print_pdfs

    if find_chromium() is None or shutil.which("pdftotext") is None:
        pytest.skip("needs Chromium and pdftotext (Debian packages chromium, poppler-utils)")
    (pdf,) = print_pdfs([(briefs["fars"], tmp_path / "fars.pdf")], one_by_one=True)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "استان فارس" in text and HEADLINE.search(text)


def _pdf_text(pdf: Path, *pages: str) -> str:
    """The PDF's text (``pages``: pdftotext's ``-f N -l M``), bidi marks out, spaces collapsed."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *pages, str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return " ".join(re.sub("[\u202a-\u202e]", "", text).split())


# Pages of the printed briefs before the map moved onto page 1 (map and legend on page 2 then).
PAGES_BEFORE = {"fars": 13, "national": 142}


@pytest.mark.parametrize("name", ["fars", "national"])
def test_pdf_page_one_holds_the_need_the_map_and_its_legend(briefs, tmp_path, name) -> None:
    from isipo_geo.documents.pdf import find_chromium, print_pdfs

    if find_chromium() is None or shutil.which("pdftotext") is None:
        pytest.skip("needs Chromium and pdftotext (Debian packages chromium, poppler-utils)")
    (pdf,) = print_pdfs([(briefs[name], tmp_path / f"{name}.pdf")])
    first = _pdf_text(pdf, "-f", "1", "-l", "1")
    second = _pdf_text(pdf, "-f", "2", "-l", "2")
    # section 1's heading and section 2's (English lines; the Persian ones around the numbers)
    assert "financing need" in first and re.search(r"(^| )map( |$)", first)
    assert "نیاز مالی" in first and "نقشه" in first
    # the legend, first block to last, on the map's page: need classes, estimate, markers
    assert "Financing need — total" in first
    assert "estimate:" in first
    assert "industrial estate" in first and "approximate (province)" in first
    assert "Financing need — total" not in second and "industrial estate" not in second
    # page 2 goes on with section 3
    assert "the 1400 report's figures" in second
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages <= PAGES_BEFORE[name]
