"""The maps in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven by playwright,
pages opened from file:// with every other request aborted and recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from isipo_geo.maps import html as _html
from isipo_geo.maps import leaflet as maps

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
FIND_MAP = "Object.values(window).find(v => v instanceof L.Map)"
FILLS = (
    "Array.from(document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive'))"
    ".map(p => p.getAttribute('fill'))"
)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: install the Debian package 'chromium' to run the "
            "browser tests (.ci/run does)"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is missing"
    )
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Plain and compressed (``--compress``) pages of the synthetic data, and a province page
    whose deficits need thousands separators and decimals."""
    from decimal import Decimal

    from test_maps import synthetic_estates, synthetic_funding

    from isipo_geo.provinces import load_provinces

    provinces = load_provinces()
    funding = synthetic_funding(list(provinces.index))
    data = maps.map_data(provinces, funding, synthetic_estates())
    layer = maps.map_data(provinces, funding, layer=user_layer())
    out = tmp_path_factory.mktemp("maps")
    paths = {}
    for suffix, compress in (("", False), ("_z", True)):
        paths["national" + suffix] = _html.write_text(
            out / f"national{suffix}.html",
            _html.render(maps.national_map(data), compress=compress),
        )
        paths["tehran" + suffix] = _html.write_text(
            out / f"tehran{suffix}.html",
            _html.render(maps.province_map(data, "tehran"), compress=compress),
        )
    funding = funding.copy()
    funding["deficit"] = [
        None if d is None else d * 100 if u == "water" else d + Decimal("0.5")
        for d, u in zip(funding["deficit"], funding["utility"], strict=True)
    ]
    digits = maps.map_data(provinces, funding)
    paths["digits"] = _html.write_text(
        out / "digits.html", _html.render(maps.province_map(digits, "tehran"), compress=True)
    )
    paths["layer"] = _html.write_text(out / "layer.html", _html.render(maps.national_map(layer)))
    return paths


class Visit:
    """One page opened with the network blocked; records requests, errors and dialogs."""

    def __init__(self, browser, path: Path, viewport: tuple[int, int] = (1200, 850)) -> None:
        self.page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.route("**/*", self._route)
        self.scripts = script_count(path)
        self.page.goto(path.as_uri())
        self.page.wait_for_function(
            "window.L && document.querySelector('.leaflet-overlay-pane path')"
        )

    def _route(self, route) -> None:
        url = route.request.url
        self.requests.append(url)
        if url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def point(self, lat: float, lon: float) -> tuple[float, float]:
        """Page coordinates of a latitude/longitude."""
        xy = self.page.evaluate(
            f"([lat, lon]) => {{ const m = {FIND_MAP};"
            " const p = m.latLngToContainerPoint([lat, lon]);"
            " const r = m.getContainer().getBoundingClientRect();"
            " return [p.x + r.left, p.y + r.top]; }",
            [lat, lon],
        )
        return xy[0], xy[1]

    def label_point(self, key: str) -> tuple[float, float]:
        lat, lon = self.page.evaluate(f"IGD.prov.find(p => p.k === {key!r}).at")
        return self.point(lat, lon)

    def close(self) -> None:
        self.page.close()


@pytest.fixture(params=["national", "national_z"])
def national(request, browser, pages):
    """The national page, plain and compressed."""
    visit = Visit(browser, pages[request.param])
    yield visit
    visit.close()


def script_count(path: Path) -> int:
    """How many <script> elements the page has once it runs: its own, plus for a compressed
    page the scripts it unpacks."""
    text = path.read_text(encoding="utf-8")
    if 'var P="' not in text:
        return text.count("<script>")
    return 1 + sum(tag == "script" for tag, _ in _html.unpack(text))


def test_leaflet_runs_offline_and_draws_31_provinces(national):
    page = national.page
    assert page.evaluate("L.version") == "1.9.3"
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() == 31
    assert page.locator(".ig-label").count() == 31
    assert page.locator(".leaflet-control-layers").count() == 1
    assert page.locator(".ig-legend").count() == 1
    page.wait_for_timeout(200)
    assert national.errors == []
    assert [u for u in national.requests if not u.startswith("file://")] == []
    assert national.dialogs == []


def test_hover_shows_the_persian_name_first(national):
    page = national.page
    page.mouse.move(*national.label_point("semnan"))
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    text = tooltip.inner_text()
    assert "سمنان" in text and "Semnan" in text
    assert text.index("سمنان") < text.index("Semnan")
    assert tooltip.locator('div[dir="rtl"]').count() == 1
    page.mouse.move(*national.label_point("kerman"))
    page.wait_for_function("document.querySelector('.leaflet-tooltip').innerText.includes('کرمان')")


def test_html_in_an_estate_name_is_text(national):
    from test_maps import SCRIPT_BREAK, XSS

    page = national.page
    page.mouse.move(*national.point(35.70, 51.40))  # estate e1, named with an <img> payload
    page.locator(".leaflet-tooltip", has_text="onerror").wait_for()
    page.mouse.click(*national.point(35.70, 51.40))
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert XSS in popup.inner_text()
    page.mouse.click(*national.point(35.60, 51.10))  # estate e2: a </script> payload
    second = page.locator(".leaflet-popup-content", has_text="alert(2)")
    second.wait_for()
    assert SCRIPT_BREAK in second.inner_text()
    page.wait_for_timeout(300)
    assert page.locator('img[src="x"]').count() == 0
    assert page.evaluate("document.querySelectorAll('script').length") == national.scripts
    assert national.dialogs == []
    assert national.errors == []


def test_layer_control_switches_utility_and_legend(national):
    page = national.page
    legend = page.locator(".ig-legend")
    assert legend.locator('[data-l="0"]').is_visible()
    assert not legend.locator('[data-l="1"]').is_visible()
    page.locator(".leaflet-control-layers").hover()
    page.locator(".leaflet-control-layers-base input").nth(1).check()
    assert legend.locator('[data-l="1"]').is_visible()
    assert not legend.locator('[data-l="0"]').is_visible()
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() == 31


@pytest.mark.parametrize("name", ["tehran", "tehran_z"])
def test_province_map_is_zoomed_with_grey_neighbours(browser, pages, name):
    visit = Visit(browser, pages[name])
    try:
        page = visit.page
        assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() == 31
        assert page.evaluate(f"{FIND_MAP}.getZoom()") >= 7
        fills = page.evaluate(
            "Array.from(document.querySelectorAll("
            "'.leaflet-overlay-pane path.leaflet-interactive')).map(p => p.getAttribute('fill'))"
        )
        assert fills.count(maps.GREY_FILL) == 30
        assert page.locator(".ig-info").inner_text().startswith("تهران")
        assert page.evaluate("document.querySelectorAll('script').length") == visit.scripts
        assert visit.errors == [] and visit.dialogs == []
        assert [u for u in visit.requests if not u.startswith("file://")] == []
    finally:
        visit.close()


def test_tooltip_numbers_are_persian_in_persian_and_latin_in_english(browser, pages):
    from isipo_geo.maps.html import format_number

    visit = Visit(browser, pages["digits"])
    try:
        info = visit.page.locator(".ig-info")
        fa = info.locator('div[dir="rtl"]').inner_text()
        en = info.locator('div[dir="ltr"]').inner_text()
        i = visit.page.evaluate("IGD.prov.findIndex(p => p.k === 'tehran')")
        water_lps, power_mw = (10 + i) * 100, 5 + i + 0.5
        assert format_number(water_lps, digits="fa") + " لیتر بر ثانیه" in fa  # ۱٬۷۰۰
        assert format_number(power_mw, digits="fa") + " مگاوات" in fa  # ۱۲٫۵
        assert "٬" in fa and "٫" in fa and not any(c in fa for c in "0123456789")
        assert f"water {25 + 10 * i} ({format_number(water_lps, digits='latin')} L/s, " in en
        assert f"power {15 + 3 * i} ({power_mw} MW, estimate)" in en
        assert en.startswith("Tehran · need 1400, bn toman: ")
        assert visit.errors == []
    finally:
        visit.close()


@pytest.mark.parametrize("how", ["no DecompressionStream", "JavaScript off"])
def test_compressed_page_tells_old_browsers_what_to_do(browser, pages, how):
    """Browsers before Chrome 80, Firefox 113 or Safari 16.4 lack DecompressionStream: they
    show a message in Persian and English instead of a blank page (so does JavaScript off)."""
    context = browser.new_context(
        viewport={"width": 1000, "height": 700}, java_script_enabled=how != "JavaScript off"
    )
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        if how == "no DecompressionStream":
            page.add_init_script("delete window.DecompressionStream;")
        page.goto(pages["national_z"].as_uri())
        page.wait_for_timeout(300)
        message = page.locator("#ig-old")
        assert message.is_visible()
        text = message.inner_text()
        assert text.index("مرورگر") < text.index("browser")
        assert "Firefox (113 or later)" in text and "--compress" in text
        assert page.locator(".leaflet-container").count() == 0
        assert errors == []
    finally:
        context.close()


def test_compressed_page_hides_the_message_when_it_opens(national):
    assert not national.page.locator("#ig-old").is_visible()


def user_layer():
    """A layer of the user's own: two provinces with a value, one empty cell, a hostile label."""
    import pandas as pd
    from test_maps import XSS

    table = pd.DataFrame({"province": ["tehran", "Semnan", "کرمان"], "ghi": ["5.5", "1234.5", ""]})
    return maps.user_layer(table, "ghi", label=f"{XSS} تابش / Irradiation", unit="kWh/m²")


def test_switching_to_the_users_layer_recolours_provinces_and_tooltips_show_its_value(
    browser, pages
):
    from test_maps import XSS

    visit = Visit(browser, pages["layer"])
    try:
        page = visit.page
        n = page.evaluate("IGD.x.i")
        before = page.evaluate(FILLS)
        page.mouse.move(*visit.label_point("semnan"))  # on a need layer: the value comes last
        page.locator(".leaflet-tooltip").wait_for()
        en = page.locator('.leaflet-tooltip div[dir="ltr"]').inner_text()
        assert en.index("need 1400") < en.index("Irradiation: 1,235 kWh/m²")
        legend = page.locator(".ig-legend")
        assert not legend.locator(f'[data-l="{n}"]').is_visible()
        assert legend.get_by_text("reported, or derived").is_visible()
        page.locator(".leaflet-control-layers").hover()
        base = page.locator(".leaflet-control-layers-base label")
        assert base.count() == n + 1
        assert "Irradiation (از فایل شما / from your file)" in base.nth(n).inner_text()
        assert XSS in base.nth(n).inner_text()  # the hostile label is text
        base.nth(n).locator("input").check()
        assert legend.locator(f'[data-l="{n}"]').is_visible()
        assert not legend.locator('[data-l="0"]').is_visible()
        assert not legend.get_by_text("reported, or derived").is_visible()  # need only
        after = page.evaluate(FILLS)
        assert len(after) == 31 and after != before
        palette = page.evaluate("IGD.x.pal")
        assert sorted(set(after)) == sorted({palette[0], palette[4], maps.NODATA_COLOR})
        assert after.count(maps.NODATA_COLOR) == 29  # Kerman's cell is empty: no data too
        page.mouse.move(*visit.label_point("kerman"))  # away from the control: it folds
        page.wait_for_function(
            "document.querySelector('.leaflet-tooltip').innerText.includes('کرمان')"
        )
        tooltip = page.locator(".leaflet-tooltip")
        assert "بدون داده" in tooltip.inner_text() and "no data" in tooltip.inner_text()
        page.mouse.move(*visit.label_point("semnan"))
        page.wait_for_function(
            "document.querySelector('.leaflet-tooltip').innerText.includes('سمنان')"
        )
        fa = tooltip.locator('div[dir="rtl"]').inner_text()
        en = tooltip.locator('div[dir="ltr"]').inner_text()
        assert "۱٬۲۳۵ kWh/m²" in fa and "1,235 kWh/m²" in en
        assert fa.index("۱٬۲۳۵") < fa.index("نیاز مالی")  # the chosen layer comes first
        assert en.index("Irradiation") < en.index("need 1400")
        page.wait_for_timeout(200)
        assert page.locator('img[src="x"]').count() == 0
        assert visit.errors == [] and visit.dialogs == []
        assert [u for u in visit.requests if not u.startswith("file://")] == []
    finally:
        visit.close()


@pytest.fixture(scope="module")
def shipped_pages(tmp_path_factory):
    """The national and Isfahan pages of the shipped registry, as `build` makes
    them."""
    from typer.testing import CliRunner

    from isipo_geo.cli import app

    out = tmp_path_factory.mktemp("shipped")
    result = CliRunner().invoke(app, ["map", "all", "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    return {
        "national": out / "national.html",
        "isfahan": out / "provinces" / "isfahan.html",
        "fars": out / "provinces" / "fars.html",
    }


def test_national_map_shows_the_public_estates(browser, shipped_pages):
    visit = Visit(browser, shipped_pages["national"])
    try:
        page = visit.page
        page.wait_for_function("document.querySelectorAll('.marker-cluster').length > 10")
        drawn = page.evaluate(
            f"(() => {{ let n = 0; {FIND_MAP}.eachLayer(l => {{"
            " if (l instanceof L.MarkerClusterGroup) n = Math.max(n, l.getLayers().length); });"
            " return n; })()"
        )
        from isipo_geo.registry.estates import load_estates

        shipped = load_estates()
        assert drawn == int(shipped.geometry.notna().sum()) > 800  # every estate, clustered
        legend = page.locator(".ig-legend").inner_text()
        counts = shipped["location_precision"].value_counts()
        for text in (
            *(f"approximate ({p}): {counts[p]}" for p in ("town", "county", "province")),
            "free zone",
            "under construction",
        ):
            assert text in legend
        assert page.locator(".leaflet-control-layers").count() == 1
        attribution = page.locator(".leaflet-control-attribution").inner_text()
        assert "OpenStreetMap contributors, ODbL" in attribution
        assert "Estates: public pages (each popup links its sources)" in attribution
        popup = page.evaluate(  # the popup the page builds for that estate when it is opened
            "() => new Promise(done => { const T = IGD.et;"
            " const i = T.nf.findIndex(j => T.t[j].includes('دزفول 2'));"
            " IG.card(i, d => done(d.outerHTML)); })"
        )
        assert "در حال بهره‌برداری (۱۴۰۲)" in popup and "operational (1402)" in popup
        assert '<a href="https://' in popup and 'rel="noopener noreferrer"' in popup
        assert "approximate (town)" in popup
        assert visit.errors == [] and visit.dialogs == []
        assert [u for u in visit.requests if not u.startswith("file://")] == []
    finally:
        visit.close()


def test_province_page_has_county_borders(browser, shipped_pages):
    visit = Visit(browser, shipped_pages["isfahan"])
    try:
        page = visit.page
        counties = page.evaluate("IGD.cty.length")
        assert counties > 20
        lines = page.evaluate(
            "document.querySelectorAll('.leaflet-igOutline-pane path[stroke-dasharray=\"4 3\"]')"
            ".length"
        )
        assert lines == counties
        assert "ODbL" in page.locator(".leaflet-control-attribution").inner_text()
        assert visit.errors == []
    finally:
        visit.close()


@pytest.mark.parametrize("viewport", [(628, 364), (1200, 850)])
def test_province_is_whole_above_the_credits(browser, shipped_pages, viewport):
    # the brief shows a province page in a 96 mm frame (628 x 364 px): Fars's south ran under
    # the three lines of credits at the bottom, because the fit padded 8 px and the credits
    # were written after it
    from isipo_geo.provinces import load_provinces

    west, south, east, north = load_provinces().loc["fars"].geometry.bounds
    visit = Visit(browser, shipped_pages["fars"], viewport=viewport)
    try:
        page = visit.page
        shown = page.evaluate(
            f"(() => {{ const m = {FIND_MAP};"
            " const top = document.querySelector('.leaflet-control-attribution')"
            ".getBoundingClientRect().top - m.getContainer().getBoundingClientRect().top;"
            " const low = m.containerPointToLatLng([0, top]);"
            " const b = m.getBounds();"
            " return [b.getWest(), low.lat, b.getEast(), b.getNorth()]; })()"
        )
        assert shown[0] <= west and shown[1] <= south and shown[2] >= east
        assert shown[3] >= north
        assert visit.errors == []
    finally:
        visit.close()


@pytest.fixture(scope="module")
def large_page(tmp_path_factory):
    """A national page drawn as a large one (LARGE_MIN lowered to 20 for 64 estates): circles
    on a canvas, the estates' text deflated."""
    from test_maps import synthetic_estates, synthetic_funding

    from isipo_geo.provinces import load_provinces

    provinces = load_provinces()
    data = maps.map_data(
        provinces, synthetic_funding(list(provinces.index)), synthetic_estates(n_extra=60)
    )
    saved, maps.LARGE_MIN = maps.LARGE_MIN, 20
    try:
        page = _html.render(maps.national_map(data))
    finally:
        maps.LARGE_MIN = saved
    return _html.write_text(tmp_path_factory.mktemp("large") / "national.html", page)


def test_a_large_page_draws_on_a_canvas_and_builds_popups_as_text(browser, large_page):
    from test_maps import XSS

    visit = Visit(browser, large_page)
    try:
        page = visit.page
        page.wait_for_function(
            "document.querySelector('.leaflet-igEstates-pane canvas') !== null"
        )
        assert page.locator(".marker-cluster").count() == 0
        assert page.evaluate("typeof L.MarkerClusterGroup") == "undefined"
        drawn = page.evaluate(
            f"(() => {{ let n = 0; {FIND_MAP}.eachLayer(l => {{"
            " if (l instanceof L.CircleMarker && l.options.pane === 'igEstates') n++; });"
            " return n; })()"
        )
        assert drawn == 64
        # estate e1, named with an <img> payload, zoomed in clear of the 60 others near it
        page.evaluate(f"{FIND_MAP}.setView([35.70, 51.40], 11, {{animate: false}})")
        page.wait_for_timeout(300)
        page.mouse.move(*visit.point(35.70, 51.40))
        tip = page.locator(".leaflet-tooltip", has_text="onerror")
        tip.wait_for()
        assert XSS in tip.inner_text() and "Estate <b>one</b>" in tip.inner_text()
        page.mouse.click(*visit.point(35.70, 51.40))
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert XSS in popup.inner_text() and "estate location" in popup.inner_text()
        page.wait_for_timeout(200)
        assert page.locator('img[src="x"]').count() == 0
        assert visit.errors == [] and visit.dialogs == []
        assert [u for u in visit.requests if not u.startswith("file://")] == []
    finally:
        visit.close()


def test_a_large_page_in_a_browser_without_decompression_still_draws(browser, large_page):
    context = browser.new_context(viewport={"width": 1200, "height": 850})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.add_init_script("delete window.DecompressionStream;")
        page.goto(large_page.as_uri())
        page.wait_for_function(
            "document.querySelector('.leaflet-igEstates-pane canvas') !== null"
        )
        page.evaluate(f"{FIND_MAP}.setView([35.70, 51.40], 11, {{animate: false}})")
        page.wait_for_timeout(300)
        xy = page.evaluate(
            f"(() => {{ const m = {FIND_MAP}; const p = m.latLngToContainerPoint([35.70, 51.40]);"
            " const r = m.getContainer().getBoundingClientRect();"
            " return [p.x + r.left, p.y + r.top]; })()"
        )
        page.mouse.click(*xy)
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        text = popup.inner_text()
        assert "this browser cannot show the estates" in text and "Firefox 113" in text
        assert text.index("مرورگر") < text.index("browser")
        assert errors == []
    finally:
        context.close()
