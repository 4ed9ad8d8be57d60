"""Issue 21: the default ``isipo-geo build`` national map, opened in headless Chromium, draws the
31 equal shares in one class, and its legend says so (not two classes made of an allocation's
remainders: 11 provinces «۴۱۵٫۱», 20 «۴۱۵»)."""

from __future__ import annotations

import pytest
from test_maps_browser import FILLS, Visit, browser  # noqa: F401  (browser is a fixture)

from isipo_geo.cli import app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("equal") / "maps"
    result = CliRunner().invoke(app, ["build", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_default_national_map_draws_the_equal_shares_in_one_class(browser, built):  # noqa: F811
    visit = Visit(browser, built / "national.html")
    try:
        page = visit.page
        fills = page.evaluate(FILLS)
        assert len(fills) == 31
        assert len(set(fills)) == 1, sorted(set(fills))
        legend = " ".join(page.locator(".ig-legend").inner_text().split())
        assert "هر استان ۴۱۵ میلیارد تومان — سهم برابر" in legend
        assert "every province 415 bn toman — equal shares" in legend
        assert "۴۱۵٫۱" not in legend
        # every layer: water 185.5 and power 229.5 in every province, one class each
        for i, value in ((1, "۱۸۵٫۵"), (2, "۲۲۹٫۵")):
            # chosen by the control's own input (a script's click: at 1200×850 the legend
            # covers the opened control's third row, a layout matter of the page's chrome)
            page.evaluate(
                f"document.querySelectorAll('.leaflet-control-layers-base input')[{i}].click()"
            )
            page.wait_for_timeout(200)
            assert len(set(page.evaluate(FILLS))) == 1, i
            shown = " ".join(page.locator(f'.ig-legend [data-l="{i}"]').inner_text().split())
            assert f"هر استان {value} میلیارد تومان — سهم برابر" in shown, i
        assert visit.errors == []
    finally:
        visit.close()
