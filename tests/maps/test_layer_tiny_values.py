"""A user's layer of values around 1e-11 (issue 21: every tooltip showed 0): each province's
tooltip, built into the page, shows the value in significant digits."""

from __future__ import annotations

import json
import re

from isipo_geo.cli import app


def test_tooltips_of_a_layer_near_1e_11_show_significant_digits(runner, tmp_path) -> None:
    from isipo_geo.names import province_keys

    keys = province_keys()
    values = {k: (1.05 + 0.1 * i) * 1e-11 for i, k in enumerate(keys)}  # 1.05e-11 .. 4.05e-11
    layer = tmp_path / "tiny.csv"
    layer.write_text("province,v\n" + "".join(f"{k},{v!r}\n" for k, v in values.items()),
                     encoding="utf-8")
    out = tmp_path / "maps"
    result = runner.invoke(app, ["map", "national", "--layer", str(layer), "--layer-column", "v",
                                 "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    page = (out / "national.html").read_text(encoding="utf-8")
    shown = dict(re.findall(r'\{"k":"([a-z_]+)","n":"[^"]*","e":"[^"]*".*?"x":("[^"]*")', page))
    assert sorted(shown) == sorted(keys)
    for key, value in values.items():
        text = json.loads(shown[key])
        assert text == f"{value:.3g}", (key, text)  # e.g. 1.05e-11, never 0
