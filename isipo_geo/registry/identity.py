"""An estate's identity: the key two spellings of one estate share (two estates never do).

Sources spell one estate many ways: «شهرک صنعتی شماره ۲ سبزوار», «شهرک صنعتی سبزوار 2», «شهرك
صنعتي سبزوار دو». :func:`estate_identity` folds them to one key by rule:

- letters, ZWNJ, spaces and punctuation as :func:`isipo_geo.names.fold` (ي/ی, ك/ک, آ/ا …);
- numbers in any script, spelled out (یک، دو، … ده; اول، دوم …) or Roman (II, V) become one number,
  and «شماره» (No.) is dropped: «شماره ۲», «۲», «2» and «دو» are the same number 2; a number glued
  to a name («مشهد۵») is split off;
- a phase in brackets («(فاز یک)») is not part of the name (a phase of an estate is that estate);
- the kind word is **part** of the identity: the leading «شهرک صنعتی», «ناحیه صنعتی», «منطقه ویژه
  اقتصادی» … is replaced by the registry kind, so شهرک صنعتی X ≠ ناحیه صنعتی X;
- the number stays in the identity: Urmia 1 ≠ Urmia 2 (and «Urmia» ≠ «Urmia 1»: whether an
  unnumbered name means No. 1 is for a reviewed alias table to say, not for a rule).

What no rule can decide («مشهد ۵» = «رضویه»?) goes in a reviewed table
(``data/estates/public_aliases.csv``); :func:`candidate_pairs` finds the pairs a maintainer should
look at. Pure functions; imports only :mod:`isipo_geo.names`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from isipo_geo.names import fold, normalize_fa

# Number words (cardinal and ordinal) -> value. Only read as a number after «شماره» or as the
# last word of a name, so a place called «ده نو» keeps its «ده».
NUMBER_WORDS: dict[str, int] = {
    "یک": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5,
    "شش": 6, "شیش": 6, "هفت": 7, "هشت": 8, "نه": 9, "ده": 10,
    "اول": 1, "یکم": 1, "دوم": 2, "سوم": 3, "چهارم": 4, "پنجم": 5,
    "ششم": 6, "هفتم": 7, "هشتم": 8, "نهم": 9, "دهم": 10,
}  # fmt: skip
ROMAN: dict[str, int] = {
    "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
}  # fmt: skip
_NUMBER_PREFIX = ("شماره", "no", "no.", "number", "n°")
_ORDINALS = frozenset(("دوم", "سوم", "چهارم", "پنجم", "ششم", "هفتم", "هشتم", "نهم", "دهم"))
# Words that place a name rather than name it: «شهرک صنعتی (در) شهرستان رزن» = «شهرک صنعتی رزن».
_FILLER = frozenset(("در", "شهرستان"))

# Kind words at the start of a name, longest first, -> the registry kind they denote.
KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("منطقه ویژه اقتصادی", "special_economic_zone"),
    ("منطقه اقتصادی ویژه", "special_economic_zone"),
    ("منطقه ویژه", "special_economic_zone"),
    ("منطقه آزاد تجاری صنعتی", "free_zone"),
    ("منطقه آزاد", "free_zone"),
    ("شهرک صنفی صنعتی", "guild_estate"),
    ("شهرک صنعتی صنفی", "guild_estate"),
    ("شهرک صنفی", "guild_estate"),
    ("ناحیه صنفی", "guild_estate"),
    ("شهرک صنعتی تخصصی", "specialised_estate"),
    ("شهرک تخصصی", "specialised_estate"),
    ("ناحیه تخصصی", "specialised_estate"),
    ("شهرک صنعتی غیردولتی", "private_estate"),
    ("شهرک صنعتی غیر دولتی", "private_estate"),
    ("شهرک صنعتی خصوصی", "private_estate"),
    ("شهرک غیردولتی", "private_estate"),
    ("شهرک غیر دولتی", "private_estate"),
    ("شهرک خصوصی", "private_estate"),
    ("شهرک فناوری", "technology_estate"),
    ("شهر صنعتی", "industrial_city"),
    ("ناحیه صنعتی", "industrial_zone"),
    ("شهرک صنعتی", "industrial_estate"),
    ("شهرک", "industrial_estate"),
)
_PHASE = re.compile(r"\(\s*فاز[^)]*\)")
# «فاز یک شهرک صنعتی خلخال», «فاز توسعه شهرک صنعتی اهر»: a phase of the estate named after it
_LEADING_PHASE = re.compile(r"^فاز\s+(?:\S+\s+){0,2}?(?=(?:شهرک|ناحیه)\s)")
_GLUED = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_BRACKETS = re.compile(r"[()\[\]«»\"'“”–—\-_/,،.:]")


class Identity(NamedTuple):
    """The parts of an estate's identity: ``kind``, ``core`` (the folded name without kind
    word and number) and ``number`` (0 when the name carries none)."""

    kind: str
    core: str
    number: int

    @property
    def key(self) -> str:
        """One string: ``kind|core|number``."""
        return f"{self.kind}|{self.core}|{self.number}"


def _tokens(text: str) -> list[str]:
    text = normalize_fa(text).replace("\u200c", " ")
    text = _LEADING_PHASE.sub("", text)
    text = _PHASE.sub(" ", text)
    text = _GLUED.sub(" ", text)
    text = _BRACKETS.sub(" ", text)
    return [t for t in text.split() if t]


def split_kind(name_fa: str) -> tuple[str | None, str]:
    """(kind the name's leading kind word denotes or None, the rest of the name).

    >>> split_kind("ناحيه صنعتي قروه")
    ('industrial_zone', 'قروه')
    >>> split_kind("چرمشهر")
    (None, 'چرمشهر')
    """
    tokens = _tokens(name_fa)
    folded = [fold(t) for t in tokens]
    for words, kind in KIND_WORDS:
        w = [fold(x) for x in words.split()]
        if folded[: len(w)] == w:
            return kind, " ".join(tokens[len(w) :])
        # «شهرک صنعتی‌غیردولتی» and the like: the kind words glued together
        joined = "".join(w)
        if folded and folded[0] == joined:
            return kind, " ".join(tokens[1:])
    return None, " ".join(tokens)


def split_number(rest: str) -> tuple[str, int]:
    """(name without its number, the number or 0).

    >>> split_number("شماره پنج مشهد")
    ('مشهد', 5)
    >>> split_number("سبزوار ۲")
    ('سبزوار', 2)
    >>> split_number("ده نو")
    ('ده نو', 0)
    """
    tokens = _tokens(rest)
    number = 0
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        low = fold(tok)
        if low in _FILLER and len(tokens) > 1:
            i += 1
            continue
        if low in _NUMBER_PREFIX and i + 1 < len(tokens):
            step = 2 if fold(tokens[i + 1]) == "ی" and i + 2 < len(tokens) else 1  # «شماره ی ۲»
            value = _number_value(tokens[i + step], anywhere=True)
            if value:
                number = number or value
                i += step + 1
                continue
        value = _number_value(tok, anywhere=(i == len(tokens) - 1 and i > 0) or low in _ORDINALS)
        if value:
            number = number or value
        else:
            out.append(tok)
        i += 1
    return " ".join(out), number


def _number_value(token: str, *, anywhere: bool) -> int:
    """The number a token writes, 0 if none. Digits (any script) always count; number words
    and Roman numerals only where ``anywhere`` (after «شماره», or as the last word)."""
    t = normalize_fa(token)
    if t.isdigit():
        return int(t)
    if not anywhere:
        return 0
    return NUMBER_WORDS.get(fold(t), 0) or ROMAN.get(t.lower(), 0)


def estate_identity(name_fa: str, kind: str | None = None) -> Identity:
    """The identity of an estate name: two spellings of one estate give the same value.

    Parameters
    ----------
    name_fa
        The name as a source writes it, with or without its kind word.
    kind
        The registry kind (``industrial_estate`` …) decided for the row; None: the kind the
        name's leading kind word denotes.

    Examples
    --------
    >>> estate_identity("شهرک صنعتی شماره پنج مشهد") == estate_identity("شهرك صنعتي مشهد۵")
    True
    >>> estate_identity("شهرک صنعتی ارومیه ۱") == estate_identity("شهرک صنعتی ارومیه ۲")
    False
    >>> estate_identity("ناحیه صنعتی قروه").kind
    'industrial_zone'
    """
    word_kind, rest = split_kind(name_fa)
    core, number = split_number(rest)
    return Identity(kind or word_kind or "", fold(core), number)


def edit_distance(a: str, b: str, *, limit: int | None = None) -> int:
    """Levenshtein distance between two strings (stops early once above ``limit``)."""
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    if limit is not None and len(a) - len(b) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if limit is not None and min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


# Kinds a source may confuse for one another (a specialised or private estate is often just
# called «شهرک صنعتی X»); a zone, an SEZ, a free zone or a guild estate (a trade's workshops,
# often a municipality's) is never confused with an estate by rule.
ESTATE_LIKE_KINDS = frozenset(
    {"industrial_estate", "specialised_estate", "technology_estate", "private_estate"}
)


def candidate_pair(a: Identity, b: Identity, *, max_distance: int = 2) -> str | None:
    """Why two different identities of one province might still be one estate, or None.

    Reasons: ``edit_distance`` (same kind and number, names within ``max_distance`` edits:
    «الهیجان»/«لاهیجان»), ``name_contains`` (same kind and number, one name starts or ends the
    other: «خیام»/«خیام نیشابور», «بینالود»/«مشهد (بینالود)»), ``numbered_unnumbered`` (same kind
    and name, one has no number: «یاسوج»/«یاسوج ۱»), ``kind_differs`` (same name and number, two
    estate-like kinds: a specialised estate a source calls «شهرک صنعتی»). Two different numbers
    are never a candidate.
    """
    if a == b:
        return None
    if a.kind != b.kind:
        if a.core == b.core and a.number == b.number and {a.kind, b.kind} <= ESTATE_LIKE_KINDS:
            return "kind_differs"
        return None
    if a.core == b.core:
        return "numbered_unnumbered" if 0 in (a.number, b.number) else None
    if a.number != b.number:
        return None
    if min(len(a.core), len(b.core)) >= 3 and (
        edit_distance(a.core, b.core, limit=max_distance) <= max_distance
    ):
        return "edit_distance"
    short, long_ = sorted((a.core, b.core), key=len)
    if len(short) >= 3 and (long_.startswith(short) or long_.endswith(short)):
        return "name_contains"
    return None
