"""The message catalogue: every import flag and reject reason in English and Persian, as data."""

from __future__ import annotations

import re

import pytest

from isipo_geo import messages
from isipo_geo.messages import Message, bilingual, flag_text, message


def test_a_message_is_its_english_text_with_the_persian_beside():
    m = message("name_empty")
    assert m == "the estate name is empty" and isinstance(m, str)
    assert m.fa == "نام شهرک خالی است" and m.key == "name_empty"
    assert bilingual(m, "both") == "the estate name is empty / نام شهرک خالی است"
    assert bilingual(m, "fa") == "نام شهرک خالی است"
    assert bilingual(m, "en") == "the estate name is empty"


def test_values_fill_both_languages():
    m = message("id_reused", value="'E-1'", row=7)
    assert m == "id 'E-1' is also used on row 7"
    assert m.fa == "شناسه 'E-1' در سطر ۷ هم به کار رفته است"


def test_counts_read_in_persian_digits_in_the_persian_text():
    m = message("summary_rows", read=84400, accepted=84398, rejected=2, flagged=0, skipped="")
    assert m == "rows read: 84400 = accepted 84398 + rejected 2; flagged: 0"
    assert m.fa == "سطرهای خوانده‌شده: ۸۴۴۰۰ = پذیرفته ۸۴۳۹۸ + ردشده ۲؛ نشانه‌دار: ۰"
    # text values keep their digits as written (a file name, an id, a column)
    assert message("id_reused", value="'E-12'", row=3).fa.startswith("شناسه 'E-12' در سطر ۳")


def test_a_flag_reads_in_both_languages_with_its_detail():
    assert flag_text("province_spelling:Esfhan", "fa") == (
        "نام استان با غلط املایی نوشته شده و به نزدیک‌ترین استان خوانده شد: Esfhan")
    assert flag_text("no_persian_name", "en") == (
        "no Persian name: the estate is shown by its Latin name")
    assert flag_text("some_new_flag:x", "both") == "some_new_flag:x"  # not in the catalogue


def test_an_unknown_key_is_a_bug_named_at_once():
    with pytest.raises(KeyError, match="no_such_message"):
        message("no_such_message")


def test_every_import_flag_is_in_the_catalogue():
    from isipo_geo.registry import _fields, _locate, batch, counties, importer

    flags = {v for mod in (_fields, _locate, batch, counties, importer)
             for k, v in vars(mod).items() if k.startswith("FLAG_") and k != "FLAG_SEP"}
    flags |= {f"{u}_{w}" for u in ("water", "power")
              for w in ("deficit_exceeds_demand", "figures_disagree")}
    assert flags - set(messages.catalogue()) == set()


def test_both_texts_take_the_same_values():
    for key, (en, fa, _) in messages.catalogue().items():
        names_en = set(re.findall(r"{(\w+)}", en))
        names_fa = set(re.findall(r"{(\w+)}", fa)) - {"hint_fa"}
        assert names_en - {"hint"} == names_fa, key
        assert re.search("[\u0600-\u06ff]", fa), f"{key}: no Persian text"


def test_message_is_a_str_for_every_caller():
    m = message("province_empty")
    assert isinstance(m, Message) and " | ".join([m, m]).startswith("the province is empty")


def test_the_number_grammar_explains_in_both_languages():
    from isipo_geo.numbers import NumberTextError, number_text

    with pytest.raises(NumberTextError) as info:
        number_text("120 m²", unit="ha")
    m = info.value.args[0]
    assert m == ("is in m², but this column is in ha: write 0.012 (120 m² = 0.012 ha), or state "
                 "the unit in the column header")
    assert m.fa == ("به m² است اما این ستون به ha است: 0.012 بنویسید (120 m² = 0.012 ha)، یا "
                    "واحد را در سرستون بنویسید")


def test_every_catalogue_row_has_four_fields():
    # a comma left unquoted cuts a text short and spills the rest into a fifth field
    import csv

    from isipo_geo._paths import data_file

    with data_file("messages", "messages.csv").open(encoding="utf-8", newline="") as f:
        bad = [row[0] for row in csv.reader(f) if len(row) != 4]
    assert bad == []
    assert message("number_mixes_separators").fa == (
        "«.» و «,» را با هم دارد: ممیز را با «.» یا «٫» بنویسید و جداکننده هزارگان نگذارید")


# The modules whose user errors are all catalogue messages: an InputError raised with plain
# English text (a string literal or an f-string) there would read "not yet translated" in Persian.
TRANSLATED_MODULES = (
    "cli/", "io.py", "tables.py", "numbers.py",
    "finance/costs.py", "finance/inputs.py", "finance/money.py", "finance/budget.py",
    "finance/portfolio.py", "finance/mcda.py", "finance/criteria.py", "finance/montecarlo.py",
    "finance/connection.py",
    "registry/estates.py", "registry/_checks.py",
    "registry/importer.py", "registry/_tables.py", "registry/_headers.py", "registry/_fields.py",
    "registry/_locate.py", "registry/batch.py", "registry/backend.py", "registry/store",
    "registry/server", "networks.py", "units/", "raster/", "provinces.py", "names.py",
    "report.py", "documents/", "run.py",
)


def _plain_text(node) -> bool:
    """Whether an expression is English text written in the code (not a catalogue message)."""
    import ast

    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _plain_text(node.left) or _plain_text(node.right)
    if isinstance(node, ast.IfExp):
        return _plain_text(node.body) or _plain_text(node.orelse)
    if isinstance(node, ast.Subscript):
        return _plain_text(node.value)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return _plain_text(node.func.value)  # "...".format(...), f"...".splitlines()[0]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id == "str"  # str(exc): another error's text, its Persian lost
    return False


def plain_english_input_errors(prefixes: tuple[str, ...] = ("",)) -> list[str]:
    """``file:line`` of every ``InputError(...)`` raised with plain English text."""
    import ast
    from pathlib import Path

    package = Path(messages.__file__).parent
    found = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        if not rel.startswith(prefixes):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name == "InputError" and node.args and _plain_text(node.args[0]):
                found.append(f"{rel}:{node.lineno}")
    return found


def test_the_checker_sees_plain_english_errors():
    import ast

    sources = {
        'InputError("x")': True, 'InputError(f"{a} x")': True, 'InputError("a" + b)': True,
        "InputError(str(exc))": True, 'InputError(f"x: {e}".splitlines()[0])': True,
        'InputError(message("x"))': False, "InputError(exc.reason)": False,
        "InputError(error_reason(exc))": False,
    }
    for source, plain in sources.items():
        call = ast.parse(source).body[0].value
        assert _plain_text(call.args[0]) is plain, source


def test_every_user_error_in_the_translated_modules_is_a_catalogue_message():
    assert plain_english_input_errors(TRANSLATED_MODULES) == []


def test_every_number_range_reads_in_both_languages():
    from isipo_geo.numbers import RANGES

    for quantity, rng in RANGES.items():
        said = message(f"range_{quantity}")
        assert said == rng.text and said.fa != said, quantity
    assert message("range_escalation_years").fa == "0 تا 50 (سال)"


def test_a_placeholder_may_be_called_key():
    assert message("province_twice", key="qom") == "province qom is listed twice"
    assert message("province_twice", key="qom").fa == "استان qom دو بار آمده است"


def test_one_row_per_message():
    # a message said in two places is one row, its values as placeholders
    texts = [en for en, _, _ in messages.catalogue().values()]
    assert sorted(t for t in set(texts) if texts.count(t) > 1) == []
