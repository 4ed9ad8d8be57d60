"""The README's embed recipe, followed literally in a browser: `isipo-geo map national --embed`,
the maps/ folder next to a report page, the snippet pasted into it."""

from __future__ import annotations

import re

import pytest
from test_maps_browser import browser  # noqa: F401  (the one browser fixture)

from isipo_geo.cli import app

pytestmark = pytest.mark.browser


def readme_recipe() -> tuple[str, str]:
    """The command and the snippet file the README's "Embed in a report" item names."""
    from conftest import REPO

    text = (REPO / "README.md").read_text(encoding="utf-8")
    item = re.search(r"\*\*Embed in a report\*\*:(.*?)(?:\n- |\n\n)", text, re.DOTALL)
    assert item, "README lost its 'Embed in a report' recipe"
    recipe = " ".join(item[1].split())
    command = re.search(r"`(isipo-geo map national --embed)`", recipe)
    snippet = re.search(r"paste the contents of `(maps/national\.embed\.html)`", recipe)
    assert command and snippet and "keep the `maps/` folder next to your HTML report" in recipe
    return command[1], snippet[1]


def test_readme_embed_recipe_draws_the_map_in_a_report(browser, runner, tmp_path) -> None:  # noqa: F811
    command, snippet_path = readme_recipe()
    report_dir = tmp_path / "report"
    args = command.split()[1:] + ["--out-dir", str(report_dir / "maps")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    snippet = (report_dir / snippet_path).read_text(encoding="utf-8")
    page_html = (
        '<!DOCTYPE html>\n<html lang="fa" dir="rtl"><head><meta charset="utf-8">'
        "<title>گزارش</title></head><body>"
        '<main style="width:1000px;margin:0 auto"><h1>گزارش سالانه</h1>'
        "<p>نیاز مالی زیرساخت شهرک‌ها در نقشه زیر آمده است.</p>"
        f"{snippet}<p>پایان</p></main></body></html>\n"
    )
    report = report_dir / "report.html"
    report.write_text(page_html, encoding="utf-8")

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    outside: list[str] = []
    missing: list[str] = []

    def route(r) -> None:
        url = r.request.url
        if url.startswith("file://"):
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda r: missing.append(r.url))
    page.goto(report.as_uri())
    frame = page.frame_locator("iframe")
    frame.locator(".leaflet-overlay-pane path").first.wait_for()
    inner = next(f for f in page.frames if f.url.endswith("/maps/national.html"))
    assert inner.evaluate("document.querySelectorAll('.leaflet-overlay-pane path').length") == 31
    # a 1000 × 600 frame: the legend is folded into its button and covers little of the map
    assert inner.evaluate("document.querySelector('.ig-legend details').open") is False
    share = inner.evaluate(
        "(() => { const b = document.querySelector('.ig-legend').getBoundingClientRect();"
        " return b.width * b.height / (innerWidth * innerHeight); })()"
    )
    assert share < 0.05
    assert outside == [] and missing == []
    page.close()
