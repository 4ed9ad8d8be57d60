"""The figures model (isipo_geo.figures), and the promise it makes: a figure reads the same in
every output — the console table, the map's tooltip and legend, the PNG and the brief."""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd
import pytest

from isipo_geo import figures, finance
from isipo_geo.cli import app


def test_figures_round_once_by_the_units_rule() -> None:
    rows = finance.funding_rows(scenario="essential", allocate_by="equal")
    model = figures.figures(rows)
    fars = {(f.utility, f.quantity): f for f in model if f.province == "fars"}
    assert fars[("total", "need")].text("latin") == "415"
    assert fars[("water", "need")].text("fa") == "۱۸۵٫۵"
    assert fars[("power", "deficit")].text("latin") == "76.5"
    assert fars[("power", "deficit")].unit == "mw"
    assert fars[("water", "need")].shown == 185.5
    assert fars[("water", "need")].basis == "allocated:equal"
    assert fars[("water", "need")].year == "1400"
    nation = next(f for f in model if f.scope == "nation" and f.utility == "total")
    assert nation.exact == Decimal(12866) and nation.text("latin") == "12,866"


def test_rounding_note_only_when_parts_do_not_add_up() -> None:
    assert figures.rounding_note([Decimal("1.2"), Decimal("2.34")], Decimal("3.54"), "lps") is None
    fa, en = figures.rounding_note([Decimal("1.04"), Decimal("2.04")], Decimal("3.08"), "lps")
    assert "add up to 3, not 3.1" in en and "۳٫۱" in fa


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture(scope="module")
def fars(tmp_path_factory):
    """Fars in every output of the default data: the console table, the brief, the map data and
    the PNG, all made by the commands or the functions they call."""
    from typer.testing import CliRunner

    from isipo_geo.maps import leaflet as maps
    from isipo_geo.maps import static
    from isipo_geo.provinces import load_provinces

    out = tmp_path_factory.mktemp("agree")
    runner = CliRunner()
    console = runner.invoke(app, ["funding"])
    assert console.exit_code == 0, console.output
    result = runner.invoke(app, ["brief", "fars", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = finance.funding_rows(scenario="essential", allocate_by="equal")
    data = maps.map_data(load_provinces(), pd.DataFrame(rows, columns=finance.OUTPUT_COLUMNS))
    png = {
        layer: " | ".join(
            t.get_text() for t in static.draw_map(data, focus="fars", layer=layer).texts
        )
        for layer in data.needs.layers
    }
    brief = (out / "briefs" / "fars.html").read_text(encoding="utf-8")
    return {"rows": rows, "console": console.output, "brief": brief, "data": data, "png": png}


def test_every_figure_of_a_province_reads_the_same_everywhere(fars) -> None:
    """Issue 21: one province, each of its figures (need per utility and total, deficits) as the
    model reads it, found in the console table, the map's tooltip rows and legend, the PNG's
    legend and the brief — in Persian digits where the output is Persian, Latin in English."""
    model = {
        (f.utility, f.quantity): f
        for f in figures.figures(fars["rows"])
        if f.scope == "province" and f.province == "fars"
    }
    need = {u: model[(u, "need")] for u in ("water", "power", "total")}
    # console: the province row (Latin digits)
    line = next(x for x in fars["console"].splitlines() if "│ fars " in x)
    cells = [c.strip() for c in line.split("│") if c.strip()]
    assert cells[2:5] == [need[u].text("latin") for u in ("water", "power", "total")]
    # map: the tooltip rows (need, deficit per utility; Latin, the page writes Persian digits)
    tips = fars["data"].tip_rows["fars"]
    assert [t[0] for t in tips] == [need[u].text("latin") for u in ("water", "power", "total")]
    assert [t[1] for t in tips[:2]] == [
        model[(u, "deficit")].text("latin") for u in ("water", "power")
    ]
    # brief: its need table and headline (Persian digits), and its map's legend
    text = fars["brief"]
    section = text[text.index('<section id="need"') :]
    section = _text(section[: section.index("</section>")])
    for u in ("water", "power", "total"):
        assert need[u].text("fa") in section, u
    assert f"{need['total'].text('fa')} میلیارد تومان" in section
    for u in ("water", "power"):
        deficit = model[(u, "deficit")]
        assert deficit.text("fa") in section, u
    legend = _text(text[text.index('<div class="ig-legend">') :])
    for u in ("total", "water", "power"):
        assert f"هر استان {need[u].text('fa')} میلیارد تومان" in legend, u
        assert f"every province {need[u].text('latin')} bn toman" in legend, u
    # the brief's chart of the need per utility
    charts = _text(text[text.index('<section id="charts"') :])
    for u in ("water", "power"):
        assert need[u].text("fa") in charts, u
    # the PNG's legend, each layer
    for u in ("total", "water", "power"):
        assert f"هر استان {need[u].text('fa')} میلیارد تومان" in fars["png"][u], u
    # and nowhere the other roundings the issue found (415.1, 229.6, 186, 230)
    for wrong in ("415.1", "229.6"):
        assert wrong not in fars["console"] and wrong not in " ".join(fars["png"].values())
    for wrong in ("۴۱۵٫۱", "۲۲۹٫۶", "۱۸۶ ", "۲۳۰ "):
        assert wrong not in section and wrong not in legend and wrong not in charts
