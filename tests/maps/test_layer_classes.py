"""Layer legends that survive outliers and tiny values: an outlier gets a class of its own and
is named in the legend with the reason; values near 3e-11 are told apart, never all "0"."""

from __future__ import annotations

import pandas as pd
import pytest

from isipo_geo.maps import html as _html
from isipo_geo.maps import leaflet as maps
from tests.maps.test_maps import synthetic_estates, synthetic_funding


@pytest.fixture(scope="module")
def provinces():
    from isipo_geo.provinces import load_provinces

    return load_provinces()


def _values(provinces, first: float, rest) -> pd.Series:
    keys = list(provinces.index)
    cells = [first, *rest][: len(keys)]
    cells += [float("nan")] * (len(keys) - len(cells))
    return pd.Series(cells, index=keys, dtype="float64")


def test_one_huge_outlier_gets_its_own_class(provinces) -> None:
    values = _values(provinces, 1e300, [float(v) for v in range(30)])
    classes, bins = maps.classify(values, k=5)  # no numpy warning (warnings are errors here)
    assert bins[-1] == 1e300 and len(bins) == 5
    assert classes[0] == 4  # the outlier alone in the top class
    assert sorted(set(classes[1:])) == [0, 1, 2, 3]  # the other 30 still spread over 4 classes
    assert maps.layer_outliers(values) == [values.index[0]]


def test_no_outliers_in_an_even_spread(provinces) -> None:
    values = _values(provinces, 31.0, [float(v) for v in range(30)])
    assert maps.layer_outliers(values) == []
    assert maps.classify(values)[1][-1] == 31.0


def test_legend_names_the_outlier_and_why(provinces) -> None:
    keys = list(provinces.index)
    table = pd.DataFrame({"province": keys, "v": ["1e300", *[str(i) for i in range(30)]]})
    layer = maps.user_layer(table, "v")
    data = maps.map_data(
        provinces, synthetic_funding(keys), synthetic_estates(), digits="latin", layer=layer
    )
    html = _html.render(maps.national_map(data))
    assert "beyond 3× the interquartile range" in html
    name_en = provinces.loc[keys[0], "name_en"]
    assert f"{name_en} (1e300)" in html


def test_tiny_values_are_told_apart(provinces) -> None:
    values = _values(provinces, 3.1e-11, [3.4e-11, 2.9e-11])
    classes, bins = maps.classify(values)
    assert bins == [2.9e-11, 3.1e-11, 3.4e-11]
    shown = [_html.format_number(b, digits="latin") for b in bins]
    assert shown == ["2.9e-11", "3.1e-11", "3.4e-11"]
    assert _html.format_number(3.1e-11, digits="fa") == "۳٫۱e−۱۱"


@pytest.mark.parametrize(
    ("value", "text"),
    [(1e300, "1e300"), (-2.5e20, "-2.5e20"), (1234.5, "1,235"), (0.0034, "0.0034")],  # half up
)
def test_format_number_extremes(value, text) -> None:
    assert _html.format_number(value, digits="latin") == text
