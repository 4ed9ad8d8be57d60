"""Static maps for print (isipo_geo.maps.static): size, legend, scale bar, north arrow, labels."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from isipo_geo import finance
from isipo_geo.errors import InputError
from isipo_geo.maps import leaflet as maps
from isipo_geo.maps import static
from isipo_geo.provinces import load_provinces
from isipo_geo.registry.estates import load_estates


@pytest.fixture(scope="module")
def data():
    rows = finance.funding_rows(scenario="essential", allocate_by="equal")
    funding = pd.DataFrame(rows, columns=finance.OUTPUT_COLUMNS)
    return maps.map_data(load_provinces(), funding, load_estates())


@pytest.fixture(scope="module")
def national(data):
    return static.draw_map(data)


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.texts] + [t.get_text() for t in fig.axes[0].texts]


def test_png_is_16_cm_at_300_dpi_by_default(national) -> None:
    from PIL import Image

    png = static.png_bytes(national)
    image = Image.open(io.BytesIO(png))
    assert image.size[0] == 1889  # 16 / 2.54 × 300
    assert round(image.info["dpi"][0]) == 300


def test_size_options_and_their_limits(data) -> None:
    fig = static.draw_map(data, focus="fars", width_cm=8, dpi=150)
    assert fig.get_figwidth() == pytest.approx(8 / 2.54) and fig.dpi == 150
    with pytest.raises(InputError, match="--dpi 10: use 2 to 100 cm and 50 to 1200 dpi"):
        static.draw_map(data, dpi=10)


def test_province_labels_are_at_least_2_mm_tall(national) -> None:
    names = set(load_provinces()["name_fa"])
    sizes = [t.get_fontsize() for t in national.axes[0].texts if t.get_text() in names]
    assert len(sizes) == 31
    assert min(sizes) * 25.4 / 72 >= 2.0  # points to mm


def test_scale_bar_and_north_arrow(national) -> None:
    found = texts(national)
    assert "N" in found
    assert "250 km" in found and "۲۵۰ کیلومتر" in found  # a fifth of Iran's width


def test_legend_lists_every_symbol_drawn_and_what_is_not_shown(national) -> None:
    found = " | ".join(texts(national))
    for words in (
        "برآورد (تخصیص) / estimate (allocated)",
        "شهرک صنعتی / industrial estate",
        "منطقه ویژه اقتصادی / special economic zone",
        "شهرک فناوری / technology estate",
        "حلقه: وضعیت نامعلوم / ring: status unknown",
        "حلقه: در حال بهره‌برداری / ring: operational",  # the status the sources state
        "approximate location (town, county or province)",
    ):
        assert words in found, words
    assert "not shown" not in found  # all 803 are located: to a town, county or province
    assert "reported or derived" not in found  # every figure is an estimate here


def test_province_map_legend_shows_only_what_is_on_it(data) -> None:
    fig = static.draw_map(data, focus="chaharmahal_bakhtiari")
    found = " | ".join(texts(fig))
    assert "neighbouring provinces" in found
    # its 18 estates: estates, zones, specialised estates; no SEZ or free zone there
    assert "/ industrial estate" in found and "/ specialised estate" in found
    assert "/ special economic zone" not in found and "/ free zone" not in found
    assert "not shown" not in found


def test_names_do_not_sit_on_markers(data) -> None:
    # with the report's 34 estates there is room for every name; with all 803 there is not
    # (a name that fits nowhere stays at its point, over the markers, with its halo)
    from matplotlib.transforms import Bbox

    report_rows = load_estates()
    report_rows = report_rows[report_rows["source"].str.startswith("seed:L")]
    assert len(report_rows) == 34
    rows = finance.funding_rows(scenario="essential", allocate_by="equal")
    funding = pd.DataFrame(rows, columns=finance.OUTPUT_COLUMNS)
    data = maps.map_data(load_provinces(), funding, report_rows)
    national = static.draw_map(data)
    ax = national.axes[0]
    renderer = national.canvas.get_renderer()
    names = set(load_provinces()["name_fa"])
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_text() in names]
    r = static.MARKER_PT / 2 * national.dpi / 72
    points = ax.transData.transform(list(zip(data.estates.lon, data.estates.lat, strict=True)))
    hits = [
        (i, j)
        for i, box in enumerate(boxes)
        for j, (x, y) in enumerate(points)
        if box.overlaps(Bbox.from_extents(x - r, y - r, x + r, y + r))
    ]
    assert hits == []


def test_svg_and_pdf_are_vector_and_deterministic(data) -> None:
    fig = static.draw_map(data, focus="tehran")
    svg = static.figure_bytes(fig, "svg")
    assert svg.startswith(b"<?xml") and b"<svg" in svg
    assert static.figure_bytes(static.draw_map(data, focus="tehran"), "svg") == svg
    pdf = static.figure_bytes(fig, "pdf")
    assert pdf.startswith(b"%PDF") and b"CreationDate" not in pdf
    with pytest.raises(InputError, match="format must be one of png, svg, pdf"):
        static.figure_bytes(fig, "bmp")


def test_every_legend_text_stays_inside_the_figure(tmp_path) -> None:
    # a registry's source row ("from the registry <file>, year ...") is longer than half the
    # width: it must get a row of its own, not run off the figure's left edge
    from dataclasses import replace

    from isipo_geo.maps.credits import with_registry

    registry = tmp_path / "a_registry_file_with_a_long_descriptive_name_1403.csv"
    registry.write_text(
        "id,name_fa,kind,province,water_deficit_lps,year\n"
        "isf-1,شهرک صنعتی محمودآباد,industrial_estate,isfahan,15,1403\n",
        encoding="utf-8",
    )
    rows = finance.funding_rows(registry=str(registry))
    funding = pd.DataFrame(rows, columns=finance.OUTPUT_COLUMNS)
    estates = load_estates(registry)
    data = maps.map_data(load_provinces(), funding, estates)
    data = replace(data, sources=with_registry(data.sources, estates, ""))
    fig = static.draw_map(data, focus="isfahan")
    renderer = fig.canvas.get_renderer()
    width_px = fig.get_figwidth() * fig.dpi
    legend = [t for t in fig.texts if "registry" in t.get_text()]
    assert legend, "the registry's source row is in the legend"
    for text in fig.texts:
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= width_px, text.get_text()


def test_equal_shares_are_one_class_and_the_legend_says_so(national) -> None:
    """Issue 21: the default PNG draws the 31 equal shares in one colour, and says so."""
    found = " | ".join(texts(national))
    fa = "هر استان ۴۱۵ میلیارد تومان — سهم برابر"
    assert f"{fa} / every province 415 bn toman — equal shares" in found
    assert "۴۱۵٫۱" not in found
    fills = {p.get_facecolor() for p in national.axes[0].patches[:31]}  # the provinces
    assert len(fills) == 1
