"""Persian text normalisation and province name resolution.

Every join on a name goes through :func:`normalize_fa` (what is stored and shown) and
:func:`fold` (the matching key: also drops spaces/ZWNJ, case and punctuation).
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from functools import cache

from isipo_geo import _paths
from isipo_geo.errors import AmbiguousProvinceError, InputError, ProvinceNotFoundError
from isipo_geo.provinces import _records

ZWNJ = "\u200c"

_CHAR_MAP = {
    "\u064a": "\u06cc",  # Arabic yeh -> Persian yeh
    "\u0649": "\u06cc",  # alef maksura -> Persian yeh
    "\u06d2": "\u06cc",  # yeh barree -> Persian yeh
    "\u0643": "\u06a9",  # Arabic kaf -> Persian keheh
    "\u0629": "\u0647",  # teh marbuta -> heh
    "\u06c0": "\u0647",  # heh with yeh above -> heh
    "\u06d5": "\u0647",  # ae -> heh
    "\u0640": "",  # tatweel
    "\u066c": ",",  # Arabic thousands separator
    "\u066b": ".",  # Arabic decimal separator
    "\u060c": "،",
}
for _i in range(10):
    _CHAR_MAP[chr(0x06F0 + _i)] = str(_i)  # Persian digits
    _CHAR_MAP[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
_TRANSLATE = str.maketrans(_CHAR_MAP)

# Arabic diacritics (harakat, tanwin, shadda, sukun, superscript alef, Quranic marks).
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
# Private-use characters left by PDF extraction (U+F020 cell separator, U+F071 bullets ...).
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# Bidi controls and other invisible format characters except ZWNJ.
_INVISIBLE = re.compile("[\u200b\u200d-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZWNJ_RUN = re.compile(f"{ZWNJ}+")
_ZWNJ_SPACE = re.compile(f" ?{ZWNJ}+ ?")


def normalize_fa(text: str) -> str:
    """Normalise Persian text for storage, display and joins.

    Arabic letter forms become Persian ones (ي ى → ی, ك → ک, ة → ه), tatweel and diacritics are
    removed, Persian and Arabic-Indic digits become ASCII, private-use characters from PDF
    extraction become spaces, ZWNJ runs are unified (a ZWNJ next to a space becomes a space),
    and whitespace is collapsed and stripped. The function is idempotent.

    Examples
    --------
    >>> normalize_fa("كهگيلويه  و بوير احمد")
    'کهگیلویه و بویر احمد'
    >>> normalize_fa("۱۴۰۰")
    '1400'
    """
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_TRANSLATE)
    text = _DIACRITICS.sub("", text)
    text = _PRIVATE_USE.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _ZWNJ_RUN.sub(ZWNJ, text)
    text = _ZWNJ_SPACE.sub(lambda m: " " if " " in m.group(0) else ZWNJ, text)
    text = text.strip(" " + ZWNJ)
    # NFKC can recombine what the steps above separated; one more pass settles it.
    return text if unicodedata.is_normalized("NFKC", text) else normalize_fa(text)


_FOLD_DROP = re.compile(r"[\s\u200c\-_.,،'’`()\[\]/&]+")
_LATIN_PREFIX = re.compile(r"^(ostan-?e?|province of)\s+|\s+(province|ostan)$", re.IGNORECASE)
_FA_PREFIX = re.compile(r"^استان\s*")


def fold(text: str) -> str:
    """The key two spellings of one name share: normalised, no spaces/ZWNJ/punctuation, lower-case,
    Latin accents stripped, آ and أ/إ folded to ا, 'and'/'&'/'va' connectors unified."""
    text = normalize_fa(text)
    text = text.replace("آ", "ا").replace("أ", "ا").replace("إ", "ا").replace("ؤ", "و")
    latin = unicodedata.normalize("NFKD", text)
    latin = "".join(c for c in latin if not unicodedata.combining(c))
    latin = latin.lower()
    while True:  # to a fixed point: dropping "/" in "V/A" leaves a connector "va" to fold
        folded = _FOLD_DROP.sub("", re.sub(r"\b(and|va|wa)\b", "&", latin))
        if folded == latin:
            return folded
        latin = folded


def _strip_prefix(text: str) -> str:
    text = _FA_PREFIX.sub("", text)
    return _LATIN_PREFIX.sub("", text).strip()


@cache
def _alias_index() -> dict[str, tuple[str, ...]]:
    """fold(alias) -> province keys (one key, or several for an ambiguous alias)."""
    index: dict[str, set[str]] = {}

    def add(alias: str, keys: tuple[str, ...]) -> None:
        index.setdefault(fold(alias), set()).update(keys)

    for row in _records():
        add(row["key"], (row["key"],))
        add(row["name_fa"], (row["key"],))
        add(row["name_en"], (row["key"],))
    with open(_paths.data_file("provinces", "aliases.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            add(row["alias"], tuple(row["key"].split("|")))
    return {k: tuple(sorted(v)) for k, v in index.items()}


SCHEMES = ("iso", "legacy", "hasc", "geonames", "fips")
_CODE_COLUMNS = {
    "iso": "iso_3166_2",
    "legacy": "iso_legacy",
    "hasc": "hasc",
    "geonames": "gn_a1_code",
    "fips": "fips",
}
_ISO_LIKE = re.compile(r"^IR[-_ ]?(\d{1,2})$", re.IGNORECASE)
_HASC_LIKE = re.compile(r"^IR\.([A-Z]{2})$", re.IGNORECASE)


def _resolve_code(text: str, scheme: str | None) -> str | None:
    code = text.strip().upper()
    if scheme is None:
        m = _ISO_LIKE.match(code)
        if m:
            scheme, code = "iso", f"IR-{int(m.group(1)):02d}"
        elif _HASC_LIKE.match(code):
            scheme = "hasc"
        else:
            return None
    elif scheme in {"iso", "legacy"}:
        m = _ISO_LIKE.match(code)
        if not m:
            return None
        code = f"IR-{int(m.group(1)):02d}"
    elif scheme == "geonames":
        code = code.removeprefix("IR.").zfill(2)
    column = _CODE_COLUMNS[scheme]
    matches = [r["key"] for r in _records() if r[column].upper() == code]
    if len(matches) > 1:  # Natural Earth's FIPS column repeats a code: never guess
        raise AmbiguousProvinceError(text, sorted(matches))
    if not matches:
        raise ProvinceNotFoundError(f"{text} ({scheme} code)", [])
    return matches[0]


def resolve_province(text: str, *, scheme: str | None = None) -> str:
    """Return the province key for a name or code, however it is spelled.

    Parameters
    ----------
    text
        A Persian or English name in any letter form or spacing (``"كهگيلويه و بوير احمد"``,
        ``"Kohgiluyeh and Boyer-Ahmad"``), a province key, a HASC code (``"IR.TE"``) or an ISO
        3166-2 code. A bare ``IR-nn`` is read as the current ISO 3166-2 code (IR-23 is Tehran).
    scheme
        Read ``text`` as a code of this scheme only: ``"iso"``, ``"legacy"`` (Natural Earth's
        pre-2020 ISO codes; IR-07 is Tehran there), ``"hasc"``, ``"geonames"`` (admin-1 code) or
        ``"fips"``.

    Returns
    -------
    str
        The province key, e.g. ``"tehran"``.

    Raises
    ------
    ProvinceNotFoundError
        Nothing matched; the error lists the closest names.
    AmbiguousProvinceError
        The text names more than one province (``"Khorasan"``).

    Examples
    --------
    >>> resolve_province("آذربايجان شرقي")
    'east_azerbaijan'
    >>> resolve_province("IR-23")
    'tehran'
    >>> resolve_province("IR-07", scheme="legacy")
    'tehran'
    """
    if not isinstance(text, str) or not text.strip():
        raise ProvinceNotFoundError(str(text), [])
    if scheme is not None:
        if scheme not in SCHEMES:
            raise InputError(f"unknown code scheme {scheme!r}; use one of {', '.join(SCHEMES)}")
        key = _resolve_code(text, scheme)
        if key is None:
            raise ProvinceNotFoundError(f"{text} ({scheme} code)", [])
        return key
    key = _resolve_code(text, None)
    if key is not None:
        return key
    index = _alias_index()
    for candidate in (text, _strip_prefix(normalize_fa(text))):
        keys = index.get(fold(candidate))
        if keys:
            if len(keys) > 1:
                raise AmbiguousProvinceError(text, list(keys))
            return keys[0]
    raise ProvinceNotFoundError(text, suggest_provinces(text))


def suggest_provinces(text: str, *, n: int = 3) -> list[str]:
    """Closest province names to ``text`` (as 'key (name_fa / name_en)'), best first."""
    index = _alias_index()
    close = difflib.get_close_matches(fold(text), list(index), n=10, cutoff=0.5)
    keys: list[str] = []
    for alias in close:
        for key in index[alias]:
            if key not in keys:
                keys.append(key)
    rows = {r["key"]: r for r in _records()}
    return [f"{k} ({rows[k]['name_fa']} / {rows[k]['name_en']})" for k in keys[:n]]


def province_keys() -> list[str]:
    """The 31 province keys, in ISO 3166-2 order."""
    return [r["key"] for r in _records()]
