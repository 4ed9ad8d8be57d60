"""Write the input files of the non-import corpus (synthetic, made-up values).

Run ``python tests/bad_options/make_corpus.py`` to regenerate ``files/``; ``cases.csv`` lists
the command lines that use them, with the exit code and message each must give.
"""

from __future__ import annotations

from pathlib import Path

from isipo_geo.registry import schema as _schema

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"

REGISTRY_COLUMNS = list(_schema.REGISTRY_COLUMNS)


def costs(water: str, power: str = "3") -> str:
    return (
        'currency = "toman"\nscale = "billion"\n'
        f'[water]\ndeficit_unit = "lps"\nunit_cost = {water}\n'
        f'[power]\ndeficit_unit = "mw"\nunit_cost = {power}\n'
    )


def registry(rows: list[dict[str, str]]) -> str:
    lines = [",".join(REGISTRY_COLUMNS)]
    for row in rows:
        cells = dict.fromkeys(REGISTRY_COLUMNS, "") | row
        lines.append(",".join(cells[c] for c in REGISTRY_COLUMNS))
    return "\n".join(lines) + "\n"


ESTATE = {"id": "t1", "name_fa": "شهرک آزمایشی", "kind": "industrial_estate", "province": "tehran"}

PROVINCES = [
    "tehran", "isfahan", "fars", "khuzestan", "razavi_khorasan", "east_azerbaijan",
    "west_azerbaijan", "kerman", "mazandaran", "gilan", "kermanshah", "hamadan", "markazi",
    "qazvin", "zanjan", "semnan", "qom", "alborz", "yazd", "hormozgan", "bushehr",
    "sistan_baluchestan", "kurdistan", "lorestan", "ardabil", "golestan", "north_khorasan",
    "south_khorasan", "ilam", "chaharmahal_bakhtiari", "kohgiluyeh_boyer_ahmad",
]

FILES_TEXT = {
    "costs_nan.toml": costs("nan"),
    "costs_inf.toml": costs("inf"),
    "costs_1e400.toml": costs('"1e400"'),
    "costs_29_digits.toml": costs("12345678901234567890123456789"),
    "costs_true.toml": costs("true"),
    "costs_negative.toml": costs("-2.5"),
    "costs_text.toml": costs('"lots"'),
    "costs_persian_digits.toml": costs('"۲٫۵"'),
    "weights_huge.csv": "province,weight\nTehran,1e999999\nFars,1\n",
    "weights_nan.csv": "province,weight\nTehran,nan\n",
    "weights_true.csv": "province,weight\nTehran,true\n",
    "weights_negative.csv": "province,weight\nTehran,-1\n",
    "weights_persian.csv": "province,weight\nتهران,۲\nفارس,۱٫۵\n",
    "weights_one_province.csv": "province,weight\nTehran,2\n",
    "priority.csv": "province,utility\nTehran,water\n",
    "priority_no_match.csv": "province,utility\nTehran,water\nFars,electricity\n",
    "registry_duplicate_id.csv": registry([ESTATE, ESTATE]),
    "registry_inf.csv": registry([ESTATE | {"water_deficit_lps": "inf"}]),
    "registry_1e400.csv": registry([ESTATE | {"area_ha": "1e400"}]),
    "registry_true_number.csv": registry([ESTATE | {"power_deficit_mw": "true"}]),
    "layer_text.csv": "province,v\nTehran,lots\n",
    "layer_inf.csv": "province,v\nTehran,inf\n",
    "layer_outlier.csv": "province,v\n"
    + "".join(f"{k},{'1e300' if i == 0 else i}\n" for i, k in enumerate(PROVINCES)),
    "units_inf.csv": "lon,lat,area\n51.4,35.7,inf\n",
    "units_overflow.csv": "lon,lat,area\n51.4,35.7,1e308\n51.5,35.6,1e308\n",
    "units_persian_digits.csv": "lon,lat,employees,name\n51.4,35.7,۱۲,الف\n51.5,35.6,۳٬۴۰۰,ب\n",
    "import_persian_comma.csv": "نام شهرک,استان,نوع\n"
    + "".join(f'"شهرک صنعتی {n}، فاز ۱، ۲",تهران,شهرک صنعتی\n' for n in ["الف", "ب", "ج", "د"]),
    "import_formula_name.csv": 'نام شهرک,استان,نوع\n"=HYPERLINK(""http://x"",""الف"")",تهران,'
    "شهرک صنعتی\n",
    "import_quoted_semicolons.csv": 'نام شهرک;استان;نوع\n"الف, ب, ج";تهران;شهرک صنعتی\n'
    '"د, ه";فارس;شهرک صنعتی\n',
}


def main() -> None:
    FILES.mkdir(exist_ok=True)
    for name, text in FILES_TEXT.items():
        (FILES / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(FILES_TEXT)} files to {FILES}")


if __name__ == "__main__":
    main()
