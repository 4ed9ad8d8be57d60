"""Persian normalisation and province resolution."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isipo_geo.errors import AmbiguousProvinceError, ProvinceNotFoundError
from isipo_geo.names import fold, normalize_fa, province_keys, resolve_province

# --- normalize_fa ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("آذربايجان شرقي", "آذربایجان شرقی"),  # Arabic yeh -> Persian yeh
        ("كرمانشاه", "کرمانشاه"),  # Arabic kaf -> Persian keheh
        ("مدرسة", "مدرسه"),  # teh marbuta -> heh
        ("موسى", "موسی"),  # alef maksura -> yeh
        ("تهـــران", "تهران"),  # tatweel
        ("مُحَمَّد", "محمد"),  # diacritics
        ("۱۴۰۰", "1400"),  # Persian digits
        ("٢٠٢١", "2021"),  # Arabic-Indic digits
        ("\uf020 66\uf020 69\uf020 آذربايجان شرقي", "66 69 آذربایجان شرقی"),  # PDF private use
        ("  شهرک   صنعتی \t البرز ", "شهرک صنعتی البرز"),  # whitespace
        ("شهرک\u200c\u200cها", "شهرک\u200cها"),  # ZWNJ run
        ("شهرک \u200cها", "شهرک ها"),  # ZWNJ next to a space
        ("\u200cتهران\u200c", "تهران"),  # leading/trailing ZWNJ
        ("\ufeb3\ufee0\ufe8e\ufee1", "سلام"),  # Arabic presentation forms
        ("Tehran", "Tehran"),
    ],
)
def test_normalize_fa(raw: str, expected: str) -> None:
    assert normalize_fa(raw) == expected


_PERSIANISH = st.text(
    alphabet=st.sampled_from(
        list("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكىةۀـًٌٍَُِّْٰ۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٬٫ abcXYZ-.")
        + ["\u200c", "\uf020", "\uf071", "\u00a0", "\t", "\n", "\u200f", "\ufeb3", "\ufee0"]
    ),
    max_size=40,
)


@given(_PERSIANISH)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_fa(text)
    assert normalize_fa(once) == once


@given(_PERSIANISH)
def test_normalize_leaves_no_arabic_forms_or_foreign_digits(text: str) -> None:
    out = normalize_fa(text)
    assert not re.search("[يىكةـ\u064b-\u065f\u0670\ue000-\uf8ff۰-۹٠-٩]", out)
    assert out == out.strip()
    assert "  " not in out


@given(st.text(max_size=30))
def test_fold_is_idempotent_on_any_text(text: str) -> None:
    assert fold(fold(text)) == fold(text)


# --- resolve_province -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("آذربايجان شرقي", "east_azerbaijan"),
        ("آذربایجان‌غربی", "west_azerbaijan"),
        ("كهگيلويه و بوير احمد", "kohgiluyeh_boyer_ahmad"),
        ("کهگیلویه وبویراحمد", "kohgiluyeh_boyer_ahmad"),
        ("سيستان و بلوچستان", "sistan_baluchestan"),
        ("استان تهران", "tehran"),
        ("اذربایجان شرقی", "east_azerbaijan"),
        ("Esfahan", "isfahan"),
        ("Isfahan", "isfahan"),
        ("Kordestan", "kurdistan"),
        ("Kurdistan", "kurdistan"),
        ("Ardebil", "ardabil"),
        ("ardabil", "ardabil"),
        ("Kohgiluyeh and Boyer-Ahmad", "kohgiluyeh_boyer_ahmad"),
        ("Buyer Ahmad", "kohgiluyeh_boyer_ahmad"),
        ("Chaharmahal & Bakhtiari", "chaharmahal_bakhtiari"),
        ("Sistan va Baluchestan", "sistan_baluchestan"),
        ("  KHORASAN RAZAVI ", "razavi_khorasan"),
        ("Tehran Province", "tehran"),
        ("north_khorasan", "north_khorasan"),
        ("IR-23", "tehran"),  # a bare IR-nn is the current ISO 3166-2 code
        ("IR-07", "fars"),
        ("ir-30", "alborz"),
        ("IR-0", "markazi"),
        ("IR.TE", "tehran"),
        ("IR.AL", "alborz"),
        ("Kermānshāh", "kermanshah"),
        ("Eşfahān", "isfahan"),
    ],
)
def test_resolve_province(text: str, key: str) -> None:
    assert resolve_province(text) == key


@pytest.mark.parametrize(
    ("text", "scheme", "key"),
    [
        ("IR-07", "legacy", "tehran"),  # Natural Earth's pre-2020 code
        ("IR-32", "legacy", "alborz"),
        ("IR-07", "iso", "fars"),
        ("26", "geonames", "tehran"),
        ("44", "geonames", "alborz"),
        ("IR.44", "geonames", "alborz"),
        ("IR.KV", "hasc", "razavi_khorasan"),
        ("IR34", "fips", "markazi"),
    ],
)
def test_resolve_province_with_scheme(text: str, scheme: str, key: str) -> None:
    assert resolve_province(text, scheme=scheme) == key


def test_every_province_resolves_by_its_own_names_and_codes() -> None:
    import csv

    from isipo_geo import _paths

    with open(_paths.data_file("provinces", "provinces.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 31
    for row in rows:
        for text in (row["name_fa"], row["name_en"], row["iso_3166_2"], row["hasc"], row["key"]):
            assert resolve_province(text) == row["key"], text
        assert resolve_province(row["iso_legacy"], scheme="legacy") == row["key"]
        assert resolve_province(row["gn_a1_code"], scheme="geonames") == row["key"]


def test_alias_table_keys_are_known() -> None:
    import csv

    from isipo_geo import _paths

    keys = set(province_keys())
    with open(_paths.data_file("provinces", "aliases.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            assert set(row["key"].split("|")) <= keys, row


@pytest.mark.parametrize("text", ["Khorasan", "خراسان", "Azerbaijan", "آذربايجان"])
def test_ambiguous_names_are_refused(text: str) -> None:
    with pytest.raises(AmbiguousProvinceError, match="ambiguous"):
        resolve_province(text)


def test_fips_code_shared_by_two_provinces_is_refused() -> None:
    with pytest.raises(AmbiguousProvinceError, match="east_azerbaijan, west_azerbaijan"):
        resolve_province("IR01", scheme="fips")


def test_unknown_name_lists_candidates() -> None:
    with pytest.raises(
        ProvinceNotFoundError, match=r"unknown province .Tehranabad.; did you mean: tehran"
    ):
        resolve_province("Tehranabad")


def test_unknown_code_is_not_guessed() -> None:
    with pytest.raises(ProvinceNotFoundError, match="IR-31"):
        resolve_province("IR-31")
    with pytest.raises(ProvinceNotFoundError, match="legacy"):
        resolve_province("IR-00", scheme="legacy")  # Markazi is IR-00 only in the current scheme
    assert resolve_province("IR-23", scheme="legacy") == "hormozgan"  # same number, other province


@pytest.mark.parametrize("text", ["", "   ", "تهرانستان"])
def test_empty_or_garbage_is_refused(text: str) -> None:
    with pytest.raises(ProvinceNotFoundError):
        resolve_province(text)


def test_unknown_scheme() -> None:
    with pytest.raises(ValueError, match="unknown code scheme"):
        resolve_province("IR-01", scheme="gadm")


# --- the report's own spellings ---------------------------------------------------------------

REPORT_TABLE = re.compile(r"^\uf020 ?\d+(?:\uf020 ?\d+){6}\uf020 ?(?P<name>\D+)$")


def test_every_province_of_the_reactivation_table_resolves(seed_lines: list[str]) -> None:
    """The re-activation table (seed lines ~1562-1622) names all 31 provinces once each."""
    names = [m.group("name") for line in seed_lines if (m := REPORT_TABLE.match(line))]
    assert len(names) == 31
    keys = [resolve_province(n) for n in names]
    assert sorted(keys) == sorted(province_keys())
    # spot-check spellings with Arabic letters
    assert dict(zip(names, keys, strict=True))["كهگيلويه و بوير احمد"] == "kohgiluyeh_boyer_ahmad"
