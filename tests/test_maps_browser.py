"""The maps in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven by playwright,
pages opened from file:// with every other request aborted and recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from isipo_geo import _html, maps

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
    from test_maps import synthetic_estates, synthetic_funding

    from isipo_geo.provinces import load_provinces

    provinces = load_provinces()
    data = maps.map_data(provinces, synthetic_funding(list(provinces.index)), synthetic_estates())
    out = tmp_path_factory.mktemp("maps")
    return {
        "national": _html.write_text(out / "national.html", _html.render(maps.national_map(data))),
        "tehran": _html.write_text(
            out / "tehran.html", _html.render(maps.province_map(data, "tehran"))
        ),
    }


class Visit:
    """One page opened with the network blocked; records requests, errors and dialogs."""

    def __init__(self, browser, path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1200, "height": 850})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.route("**/*", self._route)
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


@pytest.fixture
def national(browser, pages):
    visit = Visit(browser, pages["national"])
    yield visit
    visit.close()


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
    assert page.evaluate("document.querySelectorAll('script').length") == 3  # assets + map
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


def test_province_map_is_zoomed_with_grey_neighbours(browser, pages):
    visit = Visit(browser, pages["tehran"])
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
        assert visit.errors == [] and visit.dialogs == []
        assert [u for u in visit.requests if not u.startswith("file://")] == []
    finally:
        visit.close()
