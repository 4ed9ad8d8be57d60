"""Tests for isipo_geo.registry.identity: the name fold that merges spellings of one estate."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isipo_geo.registry.identity import (
    Identity,
    candidate_pair,
    edit_distance,
    estate_identity,
    split_kind,
    split_number,
)

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
WORDS = {1: "یک", 2: "دو", 3: "سه", 4: "چهار", 5: "پنج"}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # numbers in any script, spelled out, with or without «شماره», glued or not
        ("شهرک صنعتی شماره پنج مشهد", "شهرک صنعتی مشهد۵"),
        ("شهرک صنعتی مشهد 5", "شهرک صنعتی مشهد٥"),
        ("شهرک صنعتی قوچان ۲", "شهرک صنعتی قوچان 2"),
        ("شهرک صنعتی شماره ۲ سبزوار", "شهرک صنعتی سبزوار دو"),
        ("شهرک صنعتی شماره ی 2 دزفول", "شهرک صنعتی دزفول (2)"),
        ("شهرک صنعتی یاسوج یک", "شهرک صنعتی یاسوج ۱"),
        ("شهرک صنعتی دوم در مراغه", "شهرک صنعتی مراغه 2"),
        # letters: Arabic ي/ك, ZWNJ, آ/ا, spacing
        ("شهرك صنعتي كاسپين", "شهرک صنعتی کاسپین"),
        ("شهرک صنعتی علی‌آباد", "شهرک صنعتی علی آباد"),
        ("ناحیه صنعتی آران و بیدگل", "ناحيه صنعتي اران و بيدگل"),
        # a phase of an estate is that estate; «شهرستان»/«در» place it, do not name it
        ("شهرک صنعتی خیام (فاز یک)", "شهرک صنعتی خیام"),
        ("فاز توسعه‌ای شهرک صنعتی اهر", "شهرک صنعتی اهر"),
        ("شهرک صنعتی در شهرستان جاسک", "شهرک صنعتی جاسک"),
    ],
)
def test_spellings_of_one_estate_fold_together(a, b):
    assert estate_identity(a) == estate_identity(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("شهرک صنعتی ارومیه ۱", "شهرک صنعتی ارومیه ۲"),  # two numbered estates of one town
        ("شهرک صنعتی شماره دو ارومیه", "شهرک صنعتی ارومیه 3"),
        ("شهرک صنعتی قروه", "ناحیه صنعتی قروه"),  # the kind word is part of the identity
        ("شهرک صنعتی ساری", "منطقه ویژه اقتصادی ساری"),
        ("شهرک صنعتی بوعلی", "شهرک صنفی بوعلی"),
        ("شهرک صنعتی یاسوج", "شهرک صنعتی یاسوج یک"),  # unnumbered vs No. 1: for the table
        ("شهرک صنعتی ده نو", "شهرک صنعتی نو 10"),  # «ده» inside a name is not ten
    ],
)
def test_different_estates_stay_apart(a, b):
    assert estate_identity(a) != estate_identity(b)


def test_parts_of_an_identity():
    assert estate_identity("شهرک صنعتی شماره پنج مشهد") == Identity("industrial_estate", "مشهد", 5)
    assert estate_identity("منطقه ویژه اقتصادی ازنا") == estate_identity("منطقه ویژه ازنا")
    assert estate_identity("چرمشهر", "specialised_estate").kind == "specialised_estate"
    assert estate_identity("شهرک صنعتی چرمشهر", "specialised_estate") == estate_identity(
        "چرمشهر", "specialised_estate"
    )
    assert estate_identity("Mashad V").number == 5  # Roman numerals as last word
    assert split_kind("شهر صنعتی کاوه") == ("industrial_city", "کاوه")
    assert split_kind("منطقه آزاد تجاری-صنعتی ارس")[0] == "free_zone"
    assert split_number("شماره") == ("شماره", 0)


@given(
    n=st.integers(min_value=1, max_value=5),
    script=st.sampled_from(["latin", "persian", "arabic", "word"]),
    shape=st.sampled_from(["{t} {n}", "{t}{n}", "شماره {n} {t}", "{t} ({n})", "شماره {n}{t}"]),
    town=st.sampled_from(["ارومیه", "مشهد", "سبزوار", "کرمان", "علی‌آباد"]),
)
def test_every_way_of_writing_a_number_folds_to_it(n, script, shape, town):
    digits = {
        "latin": str(n),
        "persian": PERSIAN_DIGITS[n],
        "arabic": ARABIC_DIGITS[n],
        "word": WORDS[n],
    }[script]
    if script == "word" and shape in ("{t}{n}", "شماره {n}{t}"):
        shape = "{t} {n}"  # a glued word is a different word
    name = "شهرک صنعتی " + shape.format(t=town, n=digits)
    ident = estate_identity(name)
    assert ident.number == n
    assert ident == estate_identity(f"شهرک صنعتی {town} {n}")
    assert ident != estate_identity(f"شهرک صنعتی {town} {n + 1}")


@given(st.text(alphabet="ابپتثجحخدرزسشکگلمنوهی ‌", min_size=1, max_size=20))
def test_fold_is_stable_under_arabic_letter_forms(text):
    arabic = text.replace("ی", "ي").replace("ک", "ك")
    assert estate_identity("شهرک صنعتی " + text) == estate_identity("شهرک صنعتی " + arabic)


def test_candidate_pairs():
    def pair(a, b):
        return candidate_pair(estate_identity(a), estate_identity(b))

    assert pair("شهرک صنعتی الهیجان", "شهرک صنعتی لاهیجان") == "edit_distance"
    assert pair("شهرک صنعتی خیام", "شهرک صنعتی خیام نیشابور") == "name_contains"
    assert pair("شهرک صنعتی بینالود", "شهرک صنعتی مشهد (بینالود)") == "name_contains"
    assert pair("شهرک صنعتی یاسوج", "شهرک صنعتی یاسوج ۱") == "numbered_unnumbered"
    assert pair("شهرک صنعتی ارومیه 1", "شهرک صنعتی ارومیه 2") is None  # never a candidate
    assert pair("شهرک صنعتی قروه", "ناحیه صنعتی قروه") is None
    a = estate_identity("شهرک صنعتی گلوگاه", "industrial_estate")
    b = estate_identity("شهرک صنعتی تخصصی گلوگاه", "specialised_estate")
    assert candidate_pair(a, b) == "kind_differs"
    assert edit_distance("کتاب", "کتب") == 1 and edit_distance("abc", "xyz", limit=1) == 2
