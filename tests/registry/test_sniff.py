"""CSV delimiter detection: quotes respected; comma, semicolon, tab, bar and the Persian comma
«،» and semicolon «؛» weighed on the parsed fields."""

from __future__ import annotations

import pytest

from isipo_geo.registry._tables import _sniff_delimiter


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the case: Persian commas inside names outnumber the real commas
        (
            "نام شهرک,استان,نوع,مساحت\n"
            '"شهرک صنعتی الف، فاز ۲، ۳، ۴",تهران,شهرک صنعتی,10\n'
            '"شهرک صنعتی ب، فاز ۱، ۲، ۳",فارس,شهرک صنعتی,20\n'
            '"ناحیه صنعتی ج، ۱، ۲، ۳",قم,ناحیه صنعتی,30\n',
            ",",
        ),
        # commas inside quotes do not count for a semicolon file
        ('name;province\n"a, b, c, d";tehran\n"e, f, g";fars\n', ";"),
        ('name\tprovince\n"a; b; c"\ttehran\n', "\t"),
        ("نام،استان،نوع\nالف، ب،تهران،شهرک\n".replace("الف، ب", '"الف, ب"'), "،"),
        ("نام؛استان\nالف؛تهران\nب؛فارس\n", "؛"),
        ("name|province\na|tehran\n", "|"),
        # a title line above the header does not decide
        ("فهرست شهرک‌ها\nname;province;kind\na;tehran;x\nb;fars;y\n", ";"),
        # one column: comma
        ("name\na\nb\n", ","),
    ],
)
def test_sniff(text, expected) -> None:
    assert _sniff_delimiter(text) == expected


def test_persian_comma_in_names_imports_with_commas(tmp_path) -> None:
    from isipo_geo.registry.importer import import_registry

    src = tmp_path / "in.csv"
    src.write_text(
        "نام شهرک,استان,نوع\n"
        '"شهرک صنعتی الف، فاز ۲، ۳",تهران,شهرک صنعتی\n'
        '"شهرک صنعتی ب، فاز ۱، ۲",فارس,شهرک صنعتی\n'
        '"شهرک صنعتی ج، ۱، ۲",قم,شهرک صنعتی\n'
        '"شهرک صنعتی د، ۱، ۲",البرز,شهرک صنعتی\n',
        encoding="utf-8",
    )
    result = import_registry(src)
    assert (result.accepted, result.rejected) == (4, 0)
    assert result.registry["name_fa"].iloc[0] == "شهرک صنعتی الف، فاز 2، 3"  # digits: Latin
