"""Candidate pairs for the reviewed alias table: estates of one province that may be one site.

The rules of :func:`isipo_geo.registry.identity.candidate_pair` find spellings of one name
(edit distance, a name inside the other, numbered/unnumbered, two estate-like kinds). This module
adds the rules a second reading of the sources called for, each a reason a maintainer reads in
the build's list of undecided pairs:

- ``number_word``: a number written as a leading word («چهار کرمان») against the number
  («شماره 4 کرمان»): the identity reads number words only after «شماره» or last, since places
  start with them (هفت تپه, ده نو);
- ``kind_word``: the same name and number under an estate and a zone kind word (a zone upgraded
  to an estate, or a source's loose kind word: Kowsar, Tork, Farsafaj …);
- ``words_inside``: every word of the shorter name inside the longer one, in any place (a town or
  a part added in the middle: «صنایع دریایی بندرعباس» / «تخصصی صنایع دریایی بندرعباس»);
- ``similar``: the names' rapidfuzz similarity (ratio on the fold) at least :data:`SIMILAR`,
  beyond the edit-distance rule's two letters (longer names, Arabic and Kurdish letter forms);
- ``note_names``: a source's quote or note about one estate names the other with words that
  state a rename or an identity («تغییر نام», «سابق», "renamed", "formerly", "same as", «یا» …).

Each pair gets a score (0-100: the names' similarity, 100 for a note that names the other) so the
list reads best-first. A score never decides: every pair is decided in ``public_aliases.csv``
after reading the evidence rows.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from isipo_geo.names import fold
from isipo_geo.registry.identity import NUMBER_WORDS, Identity, candidate_pair

SIMILAR = 88  # rapidfuzz ratio (0-100) on the folded names, below which no ``similar`` pair
# an estate and a zone of one name may be one site (a technology or private estate is not)
ESTATE_AND_ZONE_KINDS = frozenset({"industrial_estate", "industrial_zone", "specialised_estate"})
WORDS_INSIDE = 60  # below this similarity a name inside another is not listed
# words in a quote or note that state two names are one site
_IDENTITY_CUES = re.compile(
    r"تغییر\s*نام|سابق|پیشتر|معروف به|موسوم به|"
    r"renamed|formerly|former name|same (?:as|site|estate)|also called|likely =|"
    r"probably =|equates|known as",
    re.IGNORECASE,
)


def _compatible_numbers(a: Identity, b: Identity) -> bool:
    return a.number == b.number or 0 in (a.number, b.number)


def _number_word(a: Identity, b: Identity) -> bool:
    """«چهار کرمان» (number 0, core starts with a number word) against «کرمان 4»."""
    for x, y in ((a, b), (b, a)):
        if x.number or not y.number:
            continue
        for word, value in NUMBER_WORDS.items():
            w = fold(word)
            if value == y.number and (x.core == w + y.core or x.core == y.core + w):
                return True
    return False


def _words(name_fa: str) -> set[str]:
    from isipo_geo.registry.identity import split_kind, split_number

    core, _ = split_number(split_kind(name_fa)[1])
    return {fold(w) for w in core.split() if len(fold(w)) >= 2}


def pair_reason(
    a: Identity, b: Identity, name_a: str = "", name_b: str = ""
) -> tuple[str, int] | None:
    """(reason, score) when two identities (and names as written) of one province may be one
    site, or None. The identity module's reasons first, then this module's."""
    if a == b:
        return None
    score = round(fuzz.ratio(a.core, b.core))
    why = candidate_pair(a, b)
    if why:
        return why, score
    if _number_word(a, b) and (a.kind == b.kind or {a.kind, b.kind} <= ESTATE_AND_ZONE_KINDS):
        return "number_word", 100
    if not _compatible_numbers(a, b):
        return None
    if (
        a.core == b.core
        and a.number == b.number
        and a.kind != b.kind
        and {a.kind, b.kind} <= ESTATE_AND_ZONE_KINDS
    ):
        return "kind_word", 100
    if a.kind != b.kind:
        return None
    if name_a and name_b:
        wa, wb = _words(name_a), _words(name_b)
        short, long_ = sorted((wa, wb), key=len)
        if short and short < long_ and sum(len(w) for w in short) >= 4 and score >= WORDS_INSIDE:
            return "words_inside", score
    short_core, long_core = sorted((a.core, b.core), key=len)
    if len(short_core) >= 5 and short_core in long_core:  # spaces and ZWNJ aside
        return "words_inside", score
    if min(len(a.core), len(b.core)) >= 4 and score >= SIMILAR:
        return "similar", score
    return None


def note_names(text: str, names: dict[str, str]) -> list[str]:
    """The names (values of ``names``: folded core -> name) a quote or note names next to words
    that state an identity or a rename. Only cores of 4 letters or more count."""
    if not _IDENTITY_CUES.search(text):
        return []
    folded = fold(text)
    return sorted({name for core, name in names.items() if len(core) >= 4 and core in folded})
