"""Persian text normalisation and province name resolution.

Every join on a name goes through :func:`normalize_fa` (what is stored and shown) and
:func:`fold` (the matching key: also drops spaces/ZWNJ, case and punctuation).

A province name is resolved in three steps, each stricter about what it accepts than the last is
lenient: the folded spelling against the names and ``data/provinces/aliases.csv``; then the
*Latin key* of a transliteration (:func:`latin_key`: the consonant skeleton Persian itself
writes); then a similarity fallback (rapidfuzz) that accepts a match only when it is close and
points to one province — otherwise the error lists suggestions. Nothing is guessed between two
provinces.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache

from isipo_geo import _paths
from isipo_geo.errors import AmbiguousProvinceError, InputError, ProvinceNotFoundError
from isipo_geo.messages import message
from isipo_geo.provinces import province_rows

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

    Parameters
    ----------
    text : str
        Persian (or any) text, e.g. a cell of a user's file or a line of the report.

    Returns
    -------
    str
        The normalised text.

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
    """Return the key two spellings of one name share.

    The text is normalised (:func:`normalize_fa`), spaces, ZWNJ and punctuation dropped, Latin
    lower-cased with accents stripped, آ and أ/إ folded to ا, and the connectors 'and', '&',
    'va' unified.

    Parameters
    ----------
    text : str
        A name in Persian or Latin script.

    Returns
    -------
    str
        The folded key; equal for two spellings of one name.

    Examples
    --------
    >>> fold("Kohgiluyeh and Boyer-Ahmad") == fold("Kohgiluyeh & Boyer Ahmad")
    True
    >>> fold("آذربايجان شرقي") == fold("آذربایجان‌شرقی")
    True
    """
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

    for row in province_rows():
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
    matches = [r["key"] for r in province_rows() if r[column].upper() == code]
    if len(matches) > 1:  # Natural Earth's FIPS column repeats a code: never guess
        raise AmbiguousProvinceError(text, sorted(matches))
    if not matches:
        raise ProvinceNotFoundError(f"{text} ({scheme} code)", [])
    return matches[0]


# ------------------------------------------------------------------------- Latin transliterations
#
# How romanisations of one Persian name differ (pycountry's ISO 3166-2 names and their French and
# German translations, Natural Earth's name_en, GeoNames' alternate names of the capitals, and the
# English, French and German names in OpenStreetMap/Wikipedia):
# - short vowels: Persian does not write a/e/o, so Hamadan/Hamedan, Kordestan/Kurdistan,
#   Esfahan/Isfahan, Lorestan/Luristan, Ardabil/Ardebil; long vowels are doubled, accented or
#   spelled ou/ee/oo (Lorestaan, Khouzistan, Jonoobi). The key keeps consonants only.
# - one letter, several spellings: خ kh/ch(de)/x, چ ch/tsch(de)/tch(fr), ش sh/sch(de)/ch(fr)
#   (all folded to "x": no two provinces differ only there); ج j/dj(fr)/dsch(de); ق/غ q/gh/k
#   (Qom/Ghom/Kum, Qazvin/Ghazvin/Kazvin);
#   ز/ذ/ض/ظ z and German s; و w/v (Bowyer/Boyer/Buyer: y and w are vowels here).
# - connectors and izafe: and/va/o/et/und/e/&, "-e" (Khorasan-e Razavi), word-final silent -eh.
# - words around the name: province/provinz/ostan/"province de"/"(Provinz)".
# - direction words in any order: East Azerbaijan / Azerbaijan East / Azarbayjan-e Sharqi /
#   Ost-Aserbaidschan / Azerbaïdjan oriental / Azarbayjan-e Khavari (خاور, east) and -e Bakhtari
#   (باختر, west); the key puts the direction first.
# - hyphens that split a word or join two: Koh-Giluye / Kohgiluyeh, Boyer-Ahmad / Boyer Ahmad.

_LATIN_NOISE = frozenset((
    "province", "provinces", "provinz", "provincia", "provincie", "ostan", "ostane", "astan",
    "eyaleti", "iranienne", "iran", "of", "de", "du", "d", "l", "la", "le", "del", "di", "der",
    "and", "va", "wa", "o", "et", "und", "y", "e", "u",
))
_DIRECTIONS = {
    "E": "east eastern ost oriental orientale est sharqi sharghi shargi sharqhi shrqi khavari",
    "W": "west western occidental occidentale gharbi qarbi gharbii garbi bakhtari",
    "N": "north northern nord septentrional septentrionale shomali shemali shamali",
    "S": "south southern sud sued meridional meridionale jonubi jonoubi jonoobi jenubi janubi",
}
_DIRECTION_OF = {w: d for d, words in _DIRECTIONS.items() for w in words.split()}
_LATIN_LETTERS = [  # longest first; applied to one lower-case word without diacritics
    ("tsch", "x"), ("dsch", "j"), ("sch", "x"), ("tch", "x"), ("dj", "j"), ("kh", "x"),
    ("ch", "x"), ("sh", "x"), ("zh", "j"), ("gh", "k"), ("q", "k"), ("ph", "f"), ("w", "v"),
    ("z", "s"),
]
_LATIN_WORD = re.compile(r"[a-z]+")
_LATIN_SYMBOLS = re.compile(r"[^\w\s\-'’(),.&/]")
_VOWELS = re.compile(r"[aeiouy]")


def _latin_skeleton(word: str, w_vowel: bool = False) -> str:
    if word.endswith("eh") and len(word) > 3:  # silent final ه: Kohgiluyeh = Kohgiluye
        word = word[:-1]
    if word.startswith("gu") and len(word) > 2 and word[2] in "ie":  # French Guilan = Gilan
        word = "g" + word[2:]
    if w_vowel:  # و is v or u: "bwshhr", "thrwn" spell the letters, w as a vowel
        word = word.replace("w", "u")
    for a, b in _LATIN_LETTERS:
        word = word.replace(a, b)
    word = _VOWELS.sub("", word)
    return re.sub(r"(.)\1+", r"\1", word)


def latin_key(text: str, *, w_vowel: bool = False, join_hyphens: bool = False) -> str:
    """The key two Latin transliterations of one Persian name share (empty for non-Latin text).

    Diacritics, case, hyphens, connectors (and/va/et/und), the izafe «-e», words such as
    "Province"/"Provinz"/"Ostan" and vowels are dropped; kh/ch/sh/tsch/sch fold to one letter,
    dj/dsch to j, q/gh to k, z to s, w to v; a direction word (East/Ost/oriental/Sharqi …) goes
    first. Used only to resolve province names, where no two provinces share a key. With
    ``w_vowel`` a w is read as the vowel u (و written letter by letter) instead of v; with
    ``join_hyphens`` hyphenated parts are one word ("Koh-Giluye" = "Kohgiluyeh"). Symbols left
    by a wrong encoding ("T‚h‚ran") are dropped.

    Examples
    --------
    >>> latin_key("Chahar Mahaal and Bakhtiari") == latin_key("Chahār Maḩāl va Bakhtīārī")
    True
    >>> latin_key("Ost-Aserbaidschan") == latin_key("Azarbayjan-e Sharqi")
    True
    """
    text = unicodedata.normalize("NFKD", normalize_fa(text).replace("ı", "i"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("ß", "ss").replace("œ", "oe").replace("æ", "ae")
    text = _LATIN_SYMBOLS.sub("", text)
    if join_hyphens:
        text = text.replace("-", "")
    words = _LATIN_WORD.findall(text)
    directions = sorted(_DIRECTION_OF[w] for w in words if w in _DIRECTION_OF)
    skeletons = sorted(
        sk for w in words
        if w not in _LATIN_NOISE and w not in _DIRECTION_OF
        and (sk := _latin_skeleton(w, w_vowel))
    )
    if not skeletons:
        return ""
    return "".join(directions) + ("_" if directions else "") + "".join(skeletons)


def _latin_keys(text: str) -> list[str]:
    """The Latin keys of ``text``: w as v or as u, hyphens apart or joined (in that order)."""
    keys = [latin_key(text, w_vowel=w, join_hyphens=j) for j in (False, True)
            for w in (False, True)]
    return list(dict.fromkeys(keys))


@cache
def _latin_index() -> dict[str, tuple[str, ...]]:
    """latin_key(alias) -> province keys, for every Latin name and alias."""
    index: dict[str, set[str]] = {}
    names: list[tuple[str, tuple[str, ...]]] = []
    for row in province_rows():
        names += [(row["name_en"], (row["key"],)), (row["iso_name"], (row["key"],)),
                  (row["key"].replace("_", " "), (row["key"],))]
    with open(_paths.data_file("provinces", "aliases.csv"), encoding="utf-8") as f:
        names += [(r["alias"], tuple(r["key"].split("|"))) for r in csv.DictReader(f)]
    for name, keys in names:
        for key in _latin_keys(name):
            if len(key) >= MIN_LATIN_KEY:
                index.setdefault(key, set()).update(keys)
    return {k: tuple(sorted(v)) for k, v in index.items()}


MIN_LATIN_KEY = 2
"""Shorter Latin keys (one consonant) say too little to match on."""
# Similarity fallback (rapidfuzz ratio, 0-100, on the fold: whole spellings, vowels included — on
# the consonant keys one letter is too much of a short name): accepted only when the best score
# reaches FUZZY_ACCEPT and every other province scores at least FUZZY_MARGIN less.
FUZZY_ACCEPT = 90.0
FUZZY_MARGIN = 8.0
FUZZY_SUGGEST = 55.0


def _scores(text: str, *, latin: bool = False) -> dict[str, float]:
    """Best similarity of ``text``'s fold to each province's names and aliases (the provinces of
    an ambiguous alias share its score); with ``latin`` also of its Latin key (for suggestions
    only: on a few consonants one letter weighs too much to accept a match on)."""
    from rapidfuzz import fuzz, process

    best: dict[str, float] = {}
    searches = [(fold(_strip_prefix(normalize_fa(text))), _alias_index())]
    if latin:
        searches.append((latin_key(text), _latin_index()))
    for query, index in searches:
        if len(query) < 2:
            continue
        for alias, score, _ in process.extract(query, list(index), scorer=fuzz.ratio, limit=12,
                                               score_cutoff=FUZZY_SUGGEST):
            for key in index[alias]:
                best[key] = max(best.get(key, 0.0), score)
    return best


def resolve_province(text: str, *, scheme: str | None = None) -> str:
    """Return the province key for a name or code, however it is spelled.

    Parameters
    ----------
    text : str
        A Persian or English name in any letter form or spacing (``"كهگيلويه و بوير احمد"``,
        ``"Kohgiluyeh and Boyer-Ahmad"``), a transliteration or exonym in any Latin spelling
        (``"Chahar Mahaal and Bakhtiari"``, ``"Ost-Aserbaidschan"``, ``"Khorassan du Nord"``), a
        province key, a HASC code (``"IR.TE"``) or an ISO 3166-2 code. A bare ``IR-nn`` is read
        as the current ISO 3166-2 code (IR-23 is Tehran). A misspelling is accepted only when it
        is close to one province's name and clearly closer than to any other's.
    scheme : {'iso', 'legacy', 'hasc', 'geonames', 'fips'}, optional
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
        Nothing matched closely enough, or two provinces matched about as well; the error lists
        the closest names.
    AmbiguousProvinceError
        The text names more than one province (``"Khorasan"``, ``"Azerbaijan"``).

    Examples
    --------
    >>> resolve_province("آذربايجان شرقي")
    'east_azerbaijan'
    >>> resolve_province("Chahar Mahaal and Bakhtiari")
    'chaharmahal_bakhtiari'
    >>> resolve_province("IR-23")
    'tehran'
    >>> resolve_province("IR-07", scheme="legacy")
    'tehran'
    """
    return match_province(text, scheme=scheme)[0]


def match_province(text: str, *, scheme: str | None = None) -> tuple[str, bool]:
    """:func:`resolve_province`, and whether the key is a guess: ``True`` when ``text`` was
    read as a misspelling (close to one province only), ``False`` for a name, alias, code or
    transliteration.

    Examples
    --------
    >>> match_province("اصفهن"), match_province("اصفهان"), match_province("Esfahan")
    (('isfahan', True), ('isfahan', False), ('isfahan', False))
    """
    if not isinstance(text, str) or not text.strip():
        raise ProvinceNotFoundError(str(text), [])
    if scheme is not None:
        if scheme not in SCHEMES:
            raise InputError(message("unknown_code_scheme", scheme=repr(scheme),
                                     schemes=', '.join(SCHEMES)))
        key = _resolve_code(text, scheme)
        if key is None:
            raise ProvinceNotFoundError(f"{text} ({scheme} code)", [])
        return key, False
    key = _resolve_code(text, None)
    if key is not None:
        return key, False
    index = _alias_index()
    for candidate in (text, _strip_prefix(normalize_fa(text))):
        keys = index.get(fold(candidate))
        if keys:
            if len(keys) > 1:
                raise AmbiguousProvinceError(text, list(keys))
            return keys[0], False
    for key in _latin_keys(text):
        keys = _latin_index().get(key)
        if keys:
            if len(keys) > 1:
                raise AmbiguousProvinceError(text, list(keys))
            return keys[0], False
    scores = _scores(text)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if ranked and ranked[0][1] >= FUZZY_ACCEPT and (
        len(ranked) == 1 or ranked[1][1] <= ranked[0][1] - FUZZY_MARGIN
    ):
        return ranked[0][0], True
    raise ProvinceNotFoundError(text, suggest_provinces(text))


def suggest_provinces(text: str, *, n: int = 3) -> list[str]:
    """Closest province names to ``text`` (as 'key (name_fa / name_en)'), best first."""
    rows = {r["key"]: r for r in province_rows()}
    ranked = sorted(_scores(text, latin=True).items(), key=lambda kv: (-kv[1], kv[0]))
    return [f"{k} ({rows[k]['name_fa']} / {rows[k]['name_en']})" for k, _ in ranked[:n]]


def province_keys() -> list[str]:
    """The 31 province keys, in ISO 3166-2 order."""
    return [r["key"] for r in province_rows()]
