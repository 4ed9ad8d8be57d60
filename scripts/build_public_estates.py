"""Build the shipped registry: the 1400 report's estates plus every estate public sources name.

Usage (a maintainer runs it; nothing at run time reads ../shared)::

    python scripts/build_counties.py ../shared/reference/osm_admin      # once, for the counties
    python scripts/build_public_estates.py ../shared/reference/estates_public \\
        ../shared/seed/000_dd0ab854e6a26b3b.txt

Reads the reference collection (``g*.csv``: one row per estate and source, see its NOTES.md),
the report's 34 rows (``build_estates.build``), the reviewed tables ``data/estates/
public_aliases.csv`` (merges and splits no rule decides) and ``public_operators.csv`` (who runs
an estate, where the kind does not say), and writes, identically on every run:

- ``data/estates/estates.csv`` — one row per estate (columns of ``REGISTRY_COLUMNS``);
- ``data/estates/province_counts.csv`` — the sourced per-province counts of estates and zones
  (from ``province_facts_public.csv`` beside the folder, ``--facts``): value, year, address;
- ``data/estates/public_build.txt`` — what was merged, left out (and why) and how rows were placed.

Variants merge by :func:`isipo_geo.registry.identity.estate_identity` (same province) and by the
alias table. A pair the rules cannot tell apart (:func:`~isipo_geo.registry.identity.
candidate_pair`) and the table does not decide stops the build: it prints the pairs so a
maintainer adds a line for each to ``public_aliases.csv``. The ``quote`` and ``note`` columns of
the sources are evidence for review; nothing of them is shipped.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import _pairs  # noqa: E402
import _seed  # noqa: E402
import build_estates  # noqa: E402

from isipo_geo.io import atomic_write  # noqa: E402
from isipo_geo.names import fold, normalize_fa, province_keys, resolve_province  # noqa: E402
from isipo_geo.registry import counties  # noqa: E402
from isipo_geo.registry.estates import (  # noqa: E402
    FLAG_OUTSIDE_PROVINCE,
    points_outside_province,
    registry_to_csv_text,
    to_geodataframe,
    validate_registry,
)
from isipo_geo.registry.identity import (  # noqa: E402
    Identity,
    estate_identity,
    split_kind,
)
from isipo_geo.registry.schema import KINDS, OPERATORS, REGISTRY_COLUMNS  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data" / "estates"

# the collection's kind words -> registry kinds (unknown: decided from the name's kind word)
SOURCE_KINDS = {
    "estate": "industrial_estate",
    "zone": "industrial_zone",
    "sez": "special_economic_zone",
    "technology": "technology_estate",
    "specialised": "specialised_estate",
    "guild": "guild_estate",
    "private": "private_estate",
    "unknown": None,
}
# kind words in a name that override the collection's «estate»/«unknown»
_NAME_KIND_WINS = {"industrial_zone", "special_economic_zone", "free_zone", "industrial_city"}
# a kind more specific than «industrial_estate» wins when sources disagree
_SPECIFIC = ("specialised_estate", "private_estate", "guild_estate", "technology_estate")
KIND_OPERATOR = {
    "industrial_estate": "isipo",
    "industrial_zone": "isipo",
    "technology_estate": "isipo",
    "specialised_estate": "isipo",
    "private_estate": "private",
    "guild_estate": "guild",
    "free_zone": "free_zone",
    "industrial_city": "unknown",
    "special_economic_zone": "unknown",  # the report's 9 are ISIPO's (set below); others: not said
    "other": "unknown",
}
KIND_PREFIX = {
    "industrial_estate": "ie",
    "industrial_zone": "iz",
    "special_economic_zone": "sez",
    "technology_estate": "te",
    "specialised_estate": "se",
    "guild_estate": "ge",
    "private_estate": "pe",
    "free_zone": "fz",
    "industrial_city": "ic",
    "other": "ot",
}
STATUS_PROGRESS = {"planned": 0, "approved": 1, "under_construction": 2, "operational": 3}
COUNT_INDICATORS = ("estates_and_zones_count", "estates_count", "zones_count")
_YEAR = re.compile(r"\b(1[34]\d\d)\b")
_PERSIAN = re.compile("[\u0600-\u06ff]")
_GLUED = re.compile(r"[^\W\d_]\d|\d[^\W\d_]")
_PERCENT_UTF8 = re.compile(r"(?:%[89A-Fa-f][0-9A-Fa-f])+")


_GARBLED = re.compile(r"[-_/]?(?:%EF%BF%BD|\ufffd)", re.IGNORECASE)


def repaired_url(url: str) -> str:
    """An address whose title part was lost before the collection (runs of U+FFFD, the
    replacement character, «%EF%BF%BD»), cut before the first lost letter: the page's id stays
    («http://lajvargroup.com/articles/216», «https://www.vekalatonline.ir/laws/24105»), which is
    what these sites open a page by. No other row of the collection holds these pages' whole
    address; an address with nothing left before the loss is dropped ("")."""
    m = _GARBLED.search(url)
    if not m:
        return url
    kept = url[: m.start()].rstrip("-_/?=&")
    return kept if kept.count("/") >= 3 else ""


def readable_url(url: str) -> str:
    """An address with its percent-encoded non-ASCII letters decoded («%D8%B4» -> «ش»), as a
    browser shows it; ASCII escapes (%2F, %3F, %20 …) stay as they are, so the address is the same.
    Sources store one page both ways; this makes them one address (and the file a third the
    size)."""
    from urllib.parse import unquote

    def decode(m: re.Match) -> str:
        text = unquote(m.group(0), errors="strict")
        unsafe = "\ufffd" in text or any(c.isspace() for c in text)  # keep %C2%A0 and the like
        return m.group(0) if unsafe else text

    try:
        return _PERCENT_UTF8.sub(decode, url.strip())
    except UnicodeDecodeError:
        return url.strip()


class BuildError(Exception):
    """The inputs cannot be built into a registry as they are (the message says what to fix)."""


@dataclass
class Mention:
    """One row of the reference collection (or one of the report's rows)."""

    where: str  # file:row, or seed
    province: str
    name_fa: str
    kind: str
    identity: Identity
    town: str = ""
    county: str = ""
    town_from_name: bool = False
    area_ha: float | None = None
    status: str = ""
    status_year: int | None = None
    utilities: str = ""
    url: str = ""
    report: dict | None = None  # the report's row, for the report's 34
    evidence: str = ""  # the source's quote and note: read for review, never shipped
    event: str = ""  # what the source reports, when it is not the estate's status (EVENTS)

    @property
    def key(self) -> tuple[str, str]:
        return (self.province, self.identity.key)


# --------------------------------------------------------------------------------- reading


def read_public(folder: Path) -> list[Mention]:
    """Every row of ``g*.csv`` in ``folder`` as a Mention (rows with no proper name left out
    and reported by :func:`main`)."""
    files = sorted(folder.glob("g*.csv"))
    if not files:
        raise BuildError(f"{folder}: no g*.csv files (the reference collection)")
    mentions = []
    for path in files:
        with open(path, encoding="utf-8-sig", newline="") as f:
            for i, rec in enumerate(csv.DictReader(f), start=2):
                where = f"{path.name}:{i}"
                try:
                    mentions.append(_mention(rec, where))
                except (KeyError, ValueError) as exc:
                    raise BuildError(f"{where}: {exc}") from None
    return mentions


def _mention(rec: dict[str, str], where: str) -> Mention:
    province = resolve_province(rec["province_en"] or rec["province_fa"])
    name = normalize_fa(rec["name_fa"])
    if rec["kind"] not in SOURCE_KINDS:
        raise ValueError(f"unknown kind {rec['kind']!r}")
    kind = row_kind(name, SOURCE_KINDS[rec["kind"]])
    status = rec["status"].strip()
    if status not in (*STATUS_PROGRESS, "unknown", ""):
        raise ValueError(f"unknown status {status!r}")
    year = rec["status_year"].strip()
    area = rec["area_ha"].strip()
    return Mention(
        where=where,
        province=province,
        name_fa=name,
        kind=kind,
        identity=estate_identity(name, kind),
        town=normalize_fa(rec["town_fa"]),
        county=normalize_fa(rec["county_fa"]),
        town_from_name="town from name" in rec["note"],
        area_ha=float(area.replace(",", "")) if area else None,
        status="" if status == "unknown" else status,
        status_year=int(year) if year else None,
        utilities=rec["utilities"].strip(),
        url=repaired_url(readable_url(rec["source_url"])),
        evidence=f"{rec['quote']} {rec['note']}",
        event=status_event(name, rec["quote"], rec["note"], status),
    )


def apply_recall(public: list[Mention], path: Path | None) -> tuple[list[Mention], list[str]]:
    """The reviewed recall table ``public_recall.csv`` (evidence = a source row, province,
    name_fa, town, reason): a row whose own name is only a kind word (and a number), left out
    for that, is the estate its quote, town or note names: it takes that name (and town, when
    the table gives one), keeping everything else it states. Returns the mentions and the
    report's lines («row -> name: reason»). A line whose row is not left out, or whose province
    is not the row's, stops the build."""
    if path is None:
        return public, []
    by_where = {m.where: m for m in public}
    lines = []
    with open(path, encoding="utf-8", newline="") as f:
        for i, rec in enumerate(csv.DictReader(f), start=2):
            m = by_where.get(rec["evidence"].strip())
            where = f"{path.name}:{i}"
            if m is None:
                raise BuildError(f"{where}: no source row {rec['evidence']!r}")
            if m.identity.core:
                raise BuildError(
                    f"{where}: {m.where} names «{m.name_fa}» already; the table names only "
                    "rows left out for a name that is a kind word"
                )
            if resolve_province(rec["province"]) != m.province:
                raise BuildError(f"{where}: {m.where} is a row of {m.province}")
            if not rec["reason"].strip():
                raise BuildError(f"{where}: every line needs its reason")
            name = normalize_fa(rec["name_fa"])
            m.name_fa, m.identity = name, estate_identity(name, m.kind)
            m.town = normalize_fa(rec["town"]) or m.town
            lines.append(f"- {m.where} -> «{name}» ({m.province}): {rec['reason'].strip()}")
    return public, lines


# What a source reports that is an event in an estate's history, not the estate's status.
EVENTS = {
    "expansion": "expansion approved",
    "phase": "expansion phase",
    "allocation": "land allocation began",
    "decree": "approved by decree",
}
_EXPANSION = re.compile(r"توسعه\S*\s")
_EXPANSION_AREA = re.compile(r"به\s*(?:وسعت|مساحت)|هکتار")
_EXPANSION_NOTE = re.compile(r"EXPANSION|expansion approved|is the expansion|expansion area")
_PHASE = re.compile(r"فاز\s*(?:توسعه\S*|دو|دوم|۲|2)\s")
_ALLOCATION = re.compile(r"آغاز\s*واگذاری|land allocation start")
_DECREE = re.compile(r"decree|هی[أا]ت\s*وزیران|تصویب\s*نامه", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[،,؛;.]|\sو\s")


def _names_it(after: str, core: str) -> bool:
    """The words right after a phrase («فاز توسعه …», «توسعه …»), to the end of the clause,
    are this estate's name (with or without its kind word)."""
    clause = _CLAUSE_END.split(after, maxsplit=1)[0]
    return len(core) >= 2 and fold(split_kind(clause)[1]).startswith(core)


def status_event(name_fa: str, quote: str, note: str, status: str) -> str:
    """The event (a key of :data:`EVENTS`) a source's row reports instead of the estate's status,
    or "": an expansion phase or a phase-2 road of this estate («فاز توسعه شهرک صنعتی اهر»), an
    expansion of it approved («توسعه ناحیه صنعتی مروست … به وسعت ۴۹٫۵۸ هکتار»; or the row's note
    says its area is the expansion), the start of its land allocation (unless the source says
    it is operational), a cabinet decree that approves it with others. The phrase must name
    this estate: a quote about another estate's expansion says nothing of this one."""
    core = estate_identity(name_fa).core
    if name_fa.startswith("فاز"):
        return "phase"
    if any(_names_it(quote[m.end() :], core) for m in _PHASE.finditer(quote)):
        return "phase"
    if status != "operational":
        if _EXPANSION_NOTE.search(note):
            return "expansion"
        for m in _EXPANSION.finditer(quote):
            if _names_it(quote[m.end() :], core) and _EXPANSION_AREA.search(quote[m.end() :]):
                return "expansion"
        if _ALLOCATION.search(f"{quote} {note}"):
            return "allocation"
    if status == "approved" and _DECREE.search(f"{quote} {note}"):
        return "decree"
    return ""


def row_kind(name_fa: str, source_kind: str | None) -> str:
    """The registry kind of a source's row: the collection's kind, unless the name's own kind
    word says zone, SEZ, free zone or industrial city where the collection says estate or
    unknown; «unknown» with no telling kind word is ``other``."""
    word, _ = split_kind(name_fa)
    if word in _NAME_KIND_WINS and source_kind in ("industrial_estate", None):
        return word
    return source_kind or word or "other"


def report_mentions(seed_lines: list[str]) -> list[Mention]:
    """The report's 34 rows, as mentions that keep their row (id, names, status, area)."""
    out = []
    for row in build_estates.build(seed_lines):
        out.append(
            Mention(
                where=f"report {row['id']}",
                province=str(row["province"]),
                name_fa=str(row["name_fa"]),
                kind=str(row["kind"]),
                identity=estate_identity(str(row["name_fa"]), str(row["kind"])),
                town=str(row["_town"] or ""),
                area_ha=row["area_ha"],
                status=str(row["status"] or ""),
                status_year=_seed_year(row),
                report=row,
            )
        )
    return out


def _seed_year(row: dict) -> int | None:
    return 1400 if row.get("status") else None


@dataclass
class Decision:
    line: int
    province: str
    name_a: str
    name_b: str
    same: bool
    reason: str
    renamed: bool = False  # name_a was renamed name_b: the estate is shown by name_b


def read_aliases(path: Path) -> list[Decision]:
    """``public_aliases.csv``: province, name_a, name_b, decision (same|different), reason."""
    out = []
    with open(path, encoding="utf-8", newline="") as f:
        for i, rec in enumerate(csv.DictReader(f), start=2):
            decision = rec["decision"].strip()
            if decision not in ("same", "different", "renamed"):
                raise BuildError(
                    f"{path.name}:{i}: decision must be same, different or renamed "
                    "(name_a was renamed name_b: one estate, shown by name_b)"
                )
            if not rec["reason"].strip():
                raise BuildError(f"{path.name}:{i}: every decision needs its reason")
            out.append(
                Decision(
                    i,
                    resolve_province(rec["province"]),
                    rec["name_a"],
                    rec["name_b"],
                    decision in ("same", "renamed"),
                    rec["reason"].strip(),
                    renamed=decision == "renamed",
                )
            )
    return out


@dataclass
class StatusCheck:
    """A reviewed check of an estate no source gives a status for (``status_checks.csv``)."""

    line: int
    province: str
    name_fa: str
    evidence: tuple[str, ...]  # the estate's source rows read (file:line, or seed:L…)
    status: str  # "" (no dated statement of the estate's own stage) or the stage stated
    status_year: int | None
    reason: str


_EVIDENCE = re.compile(r"g\d_[a-z]+\.csv:\d+|seed:L\d+")


def read_status_checks(path: Path) -> dict[tuple[str, str], StatusCheck]:
    """``status_checks.csv``: province, name_fa (any spelling of the estate), evidence (the
    source rows read, space-separated), status (empty, or the stage a dated statement about the
    estate itself gives), status_year, reason. A status needs its statement's year: an undated
    or an event's statement (an expansion, a decree, land, a utility) leaves it empty."""
    out: dict[tuple[str, str], StatusCheck] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for i, rec in enumerate(csv.DictReader(f), start=2):
            where = f"{path.name}:{i}"
            status, year = rec["status"].strip(), rec["status_year"].strip()
            evidence = tuple(rec["evidence"].split())
            if status and status not in STATUS_PROGRESS:
                raise BuildError(
                    f"{where}: status {status!r} is not one of {', '.join(STATUS_PROGRESS)} "
                    "(leave it empty when no dated statement gives the estate's stage)"
                )
            if status and not _YEAR.fullmatch(year):
                raise BuildError(
                    f"{where}: status {status!r} needs the year of the statement that gives it "
                    "(a status comes only from a dated statement about the estate itself)"
                )
            if not status and year:
                raise BuildError(f"{where}: a year without a status; empty both or give both")
            if not rec["reason"].strip() or not evidence:
                raise BuildError(
                    f"{where}: every check needs the rows read (evidence) and a reason"
                )
            bad = [e for e in evidence if not _EVIDENCE.fullmatch(e)]
            if bad:
                raise BuildError(
                    f"{where}: evidence {bad[0]!r} is not a source row (g1_northwest.csv:12) "
                    "or a report line (seed:L1750)"
                )
            key = (resolve_province(rec["province"]), fold(rec["name_fa"]))
            if key in out:
                raise BuildError(f"{where}: {rec['name_fa']!r} is checked twice")
            out[key] = StatusCheck(
                i,
                key[0],
                rec["name_fa"],
                evidence,
                status,
                int(year) if year else None,
                rec["reason"].strip(),
            )
    return out


def _checked_status(
    ms: list[Mention], checks: dict, used: set[int]
) -> tuple[str, int | None, str] | None:
    """The reviewed check of an estate without a status from its sources: (status, year, note),
    or None when no line of ``status_checks.csv`` names it. Its evidence must be the estate's
    own rows (a check of another estate says nothing of this one)."""
    hits = {checks[k].line: checks[k] for m in ms if (k := (m.province, fold(m.name_fa))) in checks}
    if not hits:
        return None
    if len(hits) > 1:
        raise BuildError(f"status_checks.csv: lines {sorted(hits)} check one estate; keep one")
    check = next(iter(hits.values()))
    own = {m.where for m in ms} | {
        f"seed:L{line}" for m in ms if m.report is not None for line in _report_lines(m.report)
    }
    foreign = [e for e in check.evidence if e not in own]
    if foreign:
        raise BuildError(
            f"status_checks.csv:{check.line}: {foreign[0]} is not a source row of "
            f"{check.name_fa!r} (its rows: {' '.join(sorted(own))})"
        )
    used.add(check.line)
    if check.status:
        return (
            check.status,
            check.status_year,
            (
                f"status {check.status} ({check.status_year}) read from "
                f"{' '.join(check.evidence)} (status_checks.csv)"
            ),
        )
    return "", None, "status: no dated statement of its own stage (checked: status_checks.csv)"


def _report_lines(report: dict) -> list[str]:
    return re.findall(r"seed:L(\d+)", str(report.get("_report_source", "")))


@dataclass
class Elsewhere:
    """An estate one province's company runs that lies in another province
    (``public_places.csv``): placed where it lies, counted with the company's province."""

    line: int
    province: str
    name_fa: str
    lies_in: str
    county: str
    evidence: str
    reason: str


def read_places(path: Path) -> dict[tuple[str, str], Elsewhere]:
    """``public_places.csv``: province (the company's), name_fa (any spelling), lies_in (the
    province it lies in), county (there, when the sources give it), evidence, reason."""
    out = {}
    with open(path, encoding="utf-8", newline="") as f:
        for i, rec in enumerate(csv.DictReader(f), start=2):
            if not rec["evidence"].strip() or not rec["reason"].strip():
                raise BuildError(f"{path.name}:{i}: every line needs its evidence and reason")
            try:
                province, lies_in = (
                    resolve_province(rec["province"]),
                    resolve_province(rec["lies_in"]),
                )
            except Exception as exc:  # an unknown province name: say which line
                raise BuildError(f"{path.name}:{i}: {exc}") from None
            out[(province, fold(rec["name_fa"]))] = Elsewhere(
                i,
                province,
                rec["name_fa"],
                lies_in,
                normalize_fa(rec["county"]),
                rec["evidence"].strip(),
                rec["reason"].strip(),
            )
    return out


def _placed_elsewhere(ms: list[Mention], place: Elsewhere):
    """(Placement, note) of an estate that lies in another province than its company's: the
    sources' town there, else the county the table gives; flagged ``in_other_province:<key>``."""
    towns = _ranked([m.town for m in ms])
    where = counties.place(place.lies_in, town=towns[0] if towns else "", county=place.county)
    where = where._replace(flags=(*where.flags, f"in_other_province:{place.lies_in}"))
    how = f" (it lies in {place.lies_in} (public_places.csv: {place.evidence.split()[0]})"
    return where, how + f"; run by {place.province}'s company)"


def read_operators(path: Path) -> dict[tuple[str, str], tuple[str, str, int]]:
    """``public_operators.csv``: (province, fold(name)) -> (operator, reason, line)."""
    out = {}
    with open(path, encoding="utf-8", newline="") as f:
        for i, rec in enumerate(csv.DictReader(f), start=2):
            if rec["operator"] not in OPERATORS:
                raise BuildError(f"{path.name}:{i}: unknown operator {rec['operator']!r}")
            out[(resolve_province(rec["province"]), fold(rec["name_fa"]))] = (
                rec["operator"],
                rec["reason"].strip(),
                i,
            )
    return out


# --------------------------------------------------------------------------------- merging


class _Groups:
    """Union-find over mention keys (province, identity)."""

    def __init__(self, keys):
        self.parent = {k: k for k in keys}

    def find(self, k):
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def merge(mentions: list[Mention], decisions: list[Decision]) -> tuple[dict, list[str]]:
    """Group mentions into estates. Returns (root key -> mentions, undecided candidate lines)."""
    by_name: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for m in mentions:
        by_name[(m.province, fold(m.name_fa))].add(m.key)
    groups = _Groups({m.key for m in mentions})

    def keys_of(d: Decision, name: str) -> set[tuple[str, str]]:
        found = by_name.get((d.province, fold(name)))
        if not found:
            raise BuildError(
                f"public_aliases.csv:{d.line}: no source names {name!r} in {d.province}; "
                "fix the spelling or remove the line"
            )
        return found

    different: list[tuple[set, set, Decision]] = []
    for d in decisions:
        a, b = keys_of(d, d.name_a), keys_of(d, d.name_b)
        if d.same:
            for x in a | b:
                groups.union(next(iter(a)), x)
        else:
            different.append((a, b, d))
    for a, b, d in different:
        if {groups.find(x) for x in a} & {groups.find(x) for x in b}:
            raise BuildError(
                f"public_aliases.csv:{d.line}: {d.name_a!r} and {d.name_b!r} are decided "
                "different but other lines (or the rules) merge them"
            )
    clusters: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for m in mentions:
        clusters[groups.find(m.key)].append(m)

    kept_apart = set()
    for a, b, _ in different:
        for x in a:
            for y in b:
                kept_apart.add(frozenset((groups.find(x), groups.find(y))))
    undecided = []
    by_province: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for root in clusters:
        by_province[root[0]].append(root)
    for province in sorted(by_province):
        roots = sorted(by_province[province])
        spellings = {r: sorted({(m.identity, m.name_fa) for m in clusters[r]}) for r in roots}
        found: dict[frozenset, tuple[str, int]] = {}
        for i, ra in enumerate(roots):
            for rb in roots[i + 1 :]:
                if frozenset((ra, rb)) in kept_apart:
                    continue
                hit = next(
                    (
                        w
                        for x, nx in spellings[ra]
                        for y, ny in spellings[rb]
                        if (w := _pairs.pair_reason(x, y, nx, ny)) is not None
                    ),
                    None,
                )
                if hit:
                    found[frozenset((ra, rb))] = hit
        # a source's quote or note that names another estate of the province as this one
        cores = {m.identity.core: r for r in roots for m in clusters[r] if m.report is None}
        for ra in roots:
            for m in clusters[ra]:
                for core in _pairs.note_names(m.evidence, {c: c for c in cores}):
                    rb = cores[core]
                    pair = frozenset((ra, rb))
                    if rb != ra and pair not in kept_apart and pair not in found:
                        found[pair] = ("note_names", 100)
        for pair, (why, score) in sorted(found.items(), key=lambda kv: (-kv[1][1], sorted(kv[0]))):
            ra, rb = sorted(pair)
            undecided.append(
                f"{province},{_example(clusters[ra])},{_example(clusters[rb])},,"
                f"{why} (score {score})"
            )
    return clusters, undecided


def _example(ms: list[Mention]) -> str:
    return Counter(m.name_fa for m in ms).most_common(1)[0][0]


# ------------------------------------------------------------------------------ one estate


def _display_name(ms: list[Mention]) -> str:
    counts = Counter(m.name_fa for m in ms if _PERSIAN.search(m.name_fa))
    if not counts:
        counts = Counter(m.name_fa for m in ms)
    town = fold(_most_common([m.town for m in ms]))

    def named_after_town(n: str) -> bool:
        return bool(town) and estate_identity(n).core == town

    return min(
        counts,
        key=lambda n: (
            -counts[n],
            not named_after_town(n),  # «لاهیجان» before the OCR-garbled «الهیجان»
            split_kind(n)[0] is None,
            bool(_GLUED.search(n)),
            len(n),
            n,
        ),
    )


def _kind(ms: list[Mention]) -> str:
    """The kind most sources give; a more specific estate kind wins over «industrial_estate»,
    except that a private or guild estate a later dated source calls an (ISIPO) estate has
    become one (Sardarabad Mahdasht, private in 1390, ISIPO's Kharazmi estate since 1397)."""
    kinds = Counter(m.kind for m in ms)
    specific = [k for k in _SPECIFIC if k in kinds]
    if specific and set(kinds) <= {"industrial_estate", *_SPECIFIC}:
        owned = [m.status_year or 0 for m in ms if m.kind in ("private_estate", "guild_estate")]
        generic = [m.status_year or 0 for m in ms if m.kind == "industrial_estate"]
        taken_over = (
            owned
            and generic
            and set(specific) <= {"private_estate", "guild_estate"}
            and max(generic) > max(owned) > 0
        )
        if taken_over:
            return "industrial_estate"
        return max(specific, key=lambda k: (kinds[k], k))
    return min(kinds, key=lambda k: (-kinds[k], KINDS.index(k)))


def _status(ms: list[Mention]) -> tuple[str, int | None, str]:
    """(status, year, note) from the sources' statements about the estate itself: the most
    recent dated one; an undated one further along wins (an estate does not go back from
    operational to approved), without a year.

    Events (:data:`EVENTS`) are not the estate's status: an expansion approved or an expansion
    phase says the estate itself is in operation (``operational`` in the event's year, the note
    says so); land allocation is history only; an approval by cabinet decree is the status only
    when no other statement is left (``approved``, the note says «approved (decree 13xx)»). The
    note lists every event with its year (status history)."""
    history = sorted(
        {(m.status_year or 0, EVENTS[m.event]) for m in ms if m.event},
        key=lambda e: (e[0], e[1]),
    )
    hist = "; ".join(f"{what} ({y})" if y else f"{what} (undated)" for y, what in history)
    hist_note = f"status history: {hist}" if hist else ""
    own = [m for m in ms if m.status and not m.event]
    implied = [m for m in ms if m.event in ("expansion", "phase")]
    decrees = [m for m in ms if m.status and m.event == "decree"]
    stated: list[tuple[str, int | None, str]] = [(m.status, m.status_year, "") for m in own]
    stated += [("operational", m.status_year, "expansion") for m in implied]
    if not stated and decrees:
        year = max(m.status_year or 0 for m in decrees) or None
        when = f"decree {year}" if year else "decree"
        return "approved", year, "; ".join(x for x in (f"approved ({when})", hist_note) if x)
    if not stated:
        return "", None, hist_note
    dated = [x for x in stated if x[1]]
    undated = [x for x in stated if not x[1]]
    best = max(dated, key=lambda x: (x[1], STATUS_PROGRESS[x[0]])) if dated else None
    ahead = max(undated, key=lambda x: STATUS_PROGRESS[x[0]]) if undated else None
    notes = []
    if best is None or (ahead and STATUS_PROGRESS[ahead[0]] > STATUS_PROGRESS[best[0]]):
        assert ahead is not None
        status, year, why = ahead[0], None, ahead[2]
        notes.append(
            "status from undated sources"
            if best is None
            else f"status {ahead[0]} from an undated source; {best[0]} in {best[1]}"
        )
    else:
        status, year, why = best
    if why == "expansion":
        notes.append("operational: an expansion of the estate was approved or built")
    return status, year, "; ".join([*notes, hist_note] if hist_note else notes)


def _area(ms: list[Mention]) -> tuple[float | None, str]:
    report = [m for m in ms if m.report is not None and m.area_ha is not None]
    # a phase («فاز توسعه ...») states the phase's hectares, not the estate's
    phases = [m for m in ms if m.area_ha is not None and m.name_fa.startswith("فاز")]
    stated = [m for m in ms if m.area_ha is not None and m not in phases]
    phase_note = "; ".join(
        f"a phase of {_num(m.area_ha)} ha" + (f" ({m.status_year})" if m.status_year else "")
        for m in phases
    )
    if not stated:
        return None, phase_note
    values = sorted({m.area_ha for m in stated})
    if report:
        chosen = report[0]
    else:
        chosen = max(
            stated,
            key=lambda m: (m.status_year or 0, sum(x.area_ha == m.area_ha for x in stated)),
        )
    if len(values) == 1:
        return chosen.area_ha, phase_note
    parts = []
    for v in values:
        years = sorted({m.status_year for m in stated if m.area_ha == v and m.status_year})
        when = f" ({', '.join(map(str, years))})" if years else ""
        parts.append(f"{_num(v)} ha{when}")
    why = "the report's" if report else "the most recent source's"
    note = f"areas stated differently: {'; '.join(parts)}; {why} is kept"
    return chosen.area_ha, "; ".join(n for n in (note, phase_note) if n)


def _num(v: float) -> str:
    return str(int(v)) if v == int(v) else f"{v:g}"


def _utilities(ms: list[Mention]) -> str:
    facts = set()
    for m in ms:
        for part in m.utilities.split(";"):
            part = part.strip()
            if "=" not in part:
                continue
            key, value = (x.strip() for x in part.split("=", 1))
            facts.add((key, value, m.status_year))
    ordered = sorted(facts, key=lambda f: (f[0], f[2] or 0, f[1]))
    return "; ".join(f"{k}={v} ({y or 'undated'})" for k, v, y in ordered)


def _most_common(values: list[str]) -> str:
    values = [v for v in values if v]
    if not values:
        return ""
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], v))


def _sources(ms: list[Mention]) -> str:
    report = [str(m.report["_report_source"]) for m in ms if m.report is not None]
    urls = sorted({m.url for m in ms if m.url})
    return " | ".join([*report, *urls])


def row_id(ms: list[Mention]) -> str:
    """The registry id of the estate these mentions make: the report's id, else
    ``<kind prefix>-<province>-<8 hex of its smallest identity>`` (stable while the merge is)."""
    report = next((m.report for m in ms if m.report is not None), None)
    if report is not None:
        return str(report["id"])
    ident = min(m.identity.key for m in ms)
    digest = hashlib.sha1(f"{ms[0].province}|{ident}".encode()).hexdigest()[:8]
    return f"{KIND_PREFIX[_kind(ms)]}-{ms[0].province}-{digest}"


def estate_row(
    ms: list[Mention],
    operators: dict,
    used_operators: set,
    current: frozenset = frozenset(),
    checks: dict | None = None,
    used_checks: set | None = None,
    places: dict | None = None,
    used_places: set | None = None,
) -> dict[str, object]:
    """One registry row from an estate's mentions (``current``: (province, fold(name)) of the
    names a source says an estate was renamed to: shown before any other spelling; ``checks``:
    the reviewed checks of estates without a status, :func:`read_status_checks`)."""
    report = next((m.report for m in ms if m.report is not None), None)
    province = ms[0].province
    row: dict[str, object] = dict.fromkeys(REGISTRY_COLUMNS)
    if report is not None:
        row.update({k: report[k] for k in ("id", "name_fa", "name_en", "kind", "year")})
        kind = str(report["kind"])
    else:
        kind = _kind(ms)
        renamed = sorted({m.name_fa for m in ms if (m.province, fold(m.name_fa)) in current})
        row["name_fa"] = renamed[0] if renamed else _display_name(ms)
        row["id"] = row_id(ms)
        row["kind"] = kind
        if not _PERSIAN.search(str(row["name_fa"])):
            row["name_en"] = row["name_fa"]
    row["province"] = province
    operator = "isipo" if report is not None else KIND_OPERATOR[kind]
    for m in ms:
        hit = operators.get((province, fold(m.name_fa)))
        if hit:
            operator = hit[0]
            used_operators.add(hit[2])
    row["operator"] = operator
    status, year, status_note = _status(ms)
    checked = None
    if not status and checks is not None:
        checked = _checked_status(ms, checks, used_checks if used_checks is not None else set())
    if checked is not None:
        status, year = checked[0], checked[1]
        status_note = "; ".join(n for n in (checked[2], status_note) if n)
    row["_status_checked"] = checked is not None
    row["status"] = status or None
    row["status_year"] = year
    area, area_note = _area(ms)
    row["area_ha"] = area
    row["utilities_stated"] = _utilities(ms) or None
    row["source"] = _sources(ms)

    where, town, from_name, how = _placement(province, ms, str(row["name_fa"]))
    elsewhere = {
        places[k].line: places[k]
        for m in ms
        if places and (k := (province, fold(m.name_fa))) in places
    }
    if elsewhere:
        place = next(iter(elsewhere.values()))
        where, how = _placed_elsewhere(ms, place)
        from_name = False
        if used_places is not None:
            used_places.add(place.line)
    row["lon"], row["lat"] = where.lon, where.lat
    row["location_precision"] = where.precision
    row["geonames_id"] = where.geonames_id
    row["county"] = where.county_fa or None
    flags = list(where.flags)
    if from_name and where.precision == "town":
        flags.append("town_from_name")
    if (
        report is not None
        and report.get("flags")
        and "town_shares_province_name" in str(report["flags"])
    ):
        flags.append("town_shares_province_name")
    if where.precision != "town":  # a miss on a name-derived town is not news
        flags = [f for f in flags if not (from_name and f.startswith("town_not_found"))]
    row["flags"] = ";".join(flags) or None
    variants = sorted({m.name_fa for m in ms} - {str(row["name_fa"])})
    notes = [
        n
        for n in (
            f"location: {where.note}"
            + (" (town from the name)" if from_name and where.precision == "town" else "")
            + how,
            status_note,
            area_note,
            f"also written: {' · '.join(variants)}" if variants else "",
        )
        if n
    ]
    row["note"] = "; ".join(notes)
    return row


FAR_KM = 40.0  # a point this far from another town a source names for the estate is flagged


def _ranked(values: list[str]) -> list[str]:
    counts = Counter(v for v in values if v)
    return sorted(counts, key=lambda v: (-counts[v], v))


def _ranked_recent(pairs: list[tuple[str, int | None]]) -> list[str]:
    """Names by how many sources give them, a tie going to the one a more recent source gives
    (counties split: «سوادکوه» before 1392, «سوادکوه شمالی» after)."""
    counts = Counter(v for v, _ in pairs if v)
    latest = {v: max((y or 0) for w, y in pairs if w == v) for v in counts}
    return sorted(counts, key=lambda v: (-counts[v], -latest[v], v))


def _placement(province: str, ms: list[Mention], name_fa: str):
    """(Placement, town used, town taken from the name?, a note on how) for an estate.

    The most common town and county the sources give first (as before); when that finds no
    town, every other town and county the sources give; then the town in the name (its last
    word, or the word in brackets: «حسنرود انزلی», «کاسپین 2 (آبیک)»). A town found more than
    :data:`FAR_KM` km from another town a source names for the estate is flagged
    ``far_from_named_town:<town> <km> km``."""
    towns = _ranked([m.town for m in ms])
    county_names = _ranked_recent([(m.county, m.status_year) for m in ms])
    town = towns[0] if towns else ""
    county = county_names[0] if county_names else ""
    from_name = bool(town) and all(m.town_from_name for m in ms if m.town == town)
    if not town and not county:  # the name's own place, if it is a town: marked so
        core = normalize_fa(re.sub(r"\d+", "", split_kind(name_fa)[1])).strip()
        if core and _PERSIAN.search(core):
            town, from_name = core, True
    where = counties.place(province, town=town, county=county)
    how = ""
    if where.precision != "town":
        # a stated county holds: another town is tried inside it, never instead of it
        tries = [(t, c) for c in county_names or [""] for t in towns if (t, c) != (town, county)]
        for t, c in tries:
            hit = counties.place(province, town=t, county=c, fallback_province=False)
            if hit.precision == "town":
                where, town, from_name = hit, t, False
                how = f" (another source's town {t}" + (f", county {c})" if c else ")")
                break
    if where.precision == "province":
        named = _towns_in_name(ms)
        core = normalize_fa(re.sub(r"\d+", "", split_kind(name_fa)[1])).strip()
        for alt in named:
            hit = counties.place(province, town=alt, fallback_province=False)
            if hit.precision is not None:
                where, town, from_name = hit, alt, True
                how = f" (the town in the name: {alt})"
                break
        else:  # the place a name or a source gives may be a county («تالش», «جلفا»)
            for alt in dict.fromkeys([*towns, core, *named]):
                hit = counties.place(province, county=alt, fallback_province=False)
                if alt and hit.precision == "county":
                    where = hit._replace(flags=where.flags)
                    how = f" (the county named {alt})"
                    break
    if where.precision == "town":
        for other in towns:
            if other == town:
                continue
            there = counties.place(province, town=other, fallback_province=False)
            if there.precision != "town":
                continue
            km = counties.km_between(where.lon, where.lat, there.lon, there.lat)
            if km > FAR_KM:
                far = f"far_from_named_town:{other} {km:.0f} km"
                where = where._replace(flags=(*where.flags, far))
    return where, town, from_name, how


_BRACKETED = re.compile(r"\(([^()]+)\)")
_DIRECTIONS = frozenset(fold(w) for w in ("شمال", "جنوب", "شرق", "غرب", "استان", "مرکز"))


def _towns_in_name(ms: list[Mention]) -> list[str]:
    """Towns an estate's names carry: the words in brackets, then the last word of the name
    without its kind word and number («شهرک صنعتی حسنرود انزلی» → انزلی)."""
    out: list[str] = []
    for m in ms:
        if {fold(w) for w in normalize_fa(m.name_fa).replace("(", " ").split()} & _DIRECTIONS:
            continue  # «بوشهر (شمال استان)», «جنوب کرمان»: a part of the province, not its town
        for inner in _BRACKETED.findall(m.name_fa):
            out.append(normalize_fa(inner).strip())
        rest = normalize_fa(re.sub(r"\d+", "", split_kind(_BRACKETED.sub(" ", m.name_fa))[1]))
        words = [w for w in rest.split() if _PERSIAN.search(w)]
        if len(words) > 1:
            out.append(words[-1])
    return [t for t in dict.fromkeys(out) if len(fold(t)) >= 3]


# ------------------------------------------------------------------------------- province counts


def province_counts(facts: Path) -> str:
    """The sourced per-province counts of estates and zones, without the quotes."""
    with open(facts, encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["indicator"] in COUNT_INDICATORS]
    out = []
    for r in rows:
        year = _YEAR.search(r["refers_to_year"])
        out.append(
            {
                "province": resolve_province(r["province_en"] or r["province_fa"]),
                "indicator": r["indicator"],
                "value": int(float(r["value"])),
                "status": r["status"],
                "year": year.group(1) if year else "",
                "year_as_stated": r["refers_to_year"],
                "source_url": r["source_url"],
            }
        )
    order = {k: i for i, k in enumerate(province_keys())}
    out.sort(
        key=lambda r: (
            order[r["province"]],
            r["indicator"],
            -(int(r["year"]) if r["year"] else 0),
            r["source_url"],
            r["value"],
        )
    )
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(out[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(out)
    return buf.getvalue()


# ----------------------------------------------------------------------------------- build


@dataclass
class Built:
    registry: str
    counts: str
    report: str
    undecided: list[str] = field(default_factory=list)


def build(
    folder: Path,
    seed_lines: list[str],
    *,
    facts: Path,
    aliases: Path,
    operators: Path,
    status_checks: Path | None = None,
    places: Path | None = None,
    recall: Path | None = None,
):
    public, recalled = apply_recall(read_public(folder), recall)
    left_out = [m for m in public if not m.identity.core]
    public = [m for m in public if m.identity.core]
    mentions = report_mentions(seed_lines) + public
    decisions = read_aliases(aliases)
    clusters, undecided = merge(mentions, decisions)
    current = frozenset((d.province, fold(d.name_b)) for d in decisions if d.renamed)
    two_reports = [r for r, ms in clusters.items() if sum(m.report is not None for m in ms) > 1]
    if two_reports:
        raise BuildError(f"two of the report's rows merge into one estate: {two_reports}")
    op_table = read_operators(operators)
    used: set[int] = set()
    checks = read_status_checks(status_checks) if status_checks is not None else {}
    elsewhere = read_places(places) if places is not None else {}
    used_places: set[int] = set()
    used_checks: set[int] = set()
    rows = [
        estate_row(ms, op_table, used, current, checks, used_checks, elsewhere, used_places)
        for _, ms in sorted(clusters.items())
    ]
    stale = sorted({p.line for p in elsewhere.values()} - used_places)
    if stale:
        raise BuildError(f"public_places.csv: line(s) {stale} match no estate")
    unused = sorted({v[2] for v in op_table.values()} - used)
    if unused:
        raise BuildError(f"public_operators.csv: line(s) {unused} match no estate")
    order = {k: i for i, k in enumerate(province_keys())}
    rows.sort(key=lambda r: (order[r["province"]], KINDS.index(r["kind"]), r["name_fa"], r["id"]))
    ids = Counter(r["id"] for r in rows)
    if max(ids.values()) > 1:
        raise BuildError(f"duplicate ids: {[i for i, n in ids.items() if n > 1]}")
    text = _checked_text(rows)
    unused_checks = sorted(c.line for c in checks.values() if c.line not in used_checks)
    report = _report(rows, public, left_out, clusters, unused_checks, recalled)
    return Built(text, province_counts(facts), report, undecided)


def _checked_text(rows: list[dict]) -> str:
    import pandas as pd

    text = registry_to_csv_text(pd.DataFrame(rows, columns=list(REGISTRY_COLUMNS)))
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    gdf = to_geodataframe(validate_registry(raw, path="estates.csv"), check_provinces=False)
    outside = set(points_outside_province(gdf))
    for row in rows:
        if row["id"] in outside:
            flags = [f for f in (row["flags"] or "").split(";") if f]
            row["flags"] = ";".join([*flags, FLAG_OUTSIDE_PROVINCE])
            note, also, spellings = str(row["note"] or "").partition("; also written: ")
            row["note"] = "; ".join(n for n in (note, _outside_note(row)) if n) + also + spellings
    return registry_to_csv_text(pd.DataFrame(rows, columns=list(REGISTRY_COLUMNS)))


def _outside_note(row: dict) -> str:
    """Why a point is flagged ``outside_stated_province``: Natural Earth's province polygons
    (the maps' provinces) are generalised and older than OSM's counties; a point inside an OSM
    county of the stated province is there by OSM (Tabas: a county of South Khorasan since it
    left Yazd, which Natural Earth's polygon predates)."""
    osm = counties.county_at(float(row["lon"]), float(row["lat"]), str(row["province"]))
    where = (
        f"inside OSM's county {counties.county_name(osm)} of {row['province']}"
        if osm is not None
        else f"in no OSM county of {row['province']} either"
    )
    return f"outside Natural Earth's polygon of the province ({where})"


def _report(rows, public, left_out, clusters, unused_checks=(), recalled=()) -> str:
    lines = ["# Build report: data/estates/estates.csv", ""]
    lines.append(
        f"{len(public) + len(left_out)} source rows read; {len(left_out)} left out (no proper "
        f"name); {len(public)} + the report's 34 rows merged into {len(rows)} estates."
    )
    lines.append("")
    lines.append("## Left out")
    for m in left_out:
        lines.append(
            f"- {m.where}: «{m.name_fa}» ({m.province}): the name is only a kind word (and a "
            "number): no estate to tell apart"
        )
    lines.append("")
    lines.append("## Recalled (public_recall.csv): rows named by their town, quote or note")
    lines.extend(recalled or ["- none"])
    lines.append("")
    lines.append("## By kind and operator (only operator isipo is among the report's 844)")
    pairs = Counter((str(r["kind"]), str(r["operator"])) for r in rows)
    for (kind, op), n in sorted(pairs.items()):
        lines.append(f"- {kind} / {op}: {n}")
    lines.append("")
    lines.append("## Kept, never counted among the 844 (operator other than isipo)")
    for r in rows:
        if r["operator"] != "isipo":
            lines.append(f"- {r['id']}: «{r['name_fa']}» — {r['kind']}, {r['operator']}")
    lines.append("")
    lines.append("## Location precision")
    for p, n in sorted(Counter(str(r["location_precision"]) for r in rows).items()):
        lines.append(f"- {p}: {n}")
    flags = Counter(f.split(":")[0] for r in rows for f in str(r["flags"] or "").split(";") if f)
    lines.append("")
    lines.append("## Flags")
    for f, n in sorted(flags.items()):
        lines.append(f"- {f}: {n}")
    lines.append("")
    lines.append("## Per province (estates; of which operator isipo)")
    for key in province_keys():
        mine = [r for r in rows if r["province"] == key]
        isipo = sum(r["operator"] == "isipo" for r in mine)
        lines.append(f"- {key}: {len(mine)}; {isipo}")
    lines.append("")
    lines.append("## Status checks (status_checks.csv)")
    empty = [r for r in rows if not r["status"]]
    checked = [r for r in rows if r.get("_status_checked")]
    lines.append(f"- rows a check gives a status: {sum(bool(r['status']) for r in checked)}")
    lines.append(f"- rows left without a status, checked: {sum(not r['status'] for r in checked)}")
    unchecked = [r for r in empty if not r.get("_status_checked")]
    lines.append(f"- rows without a status, not checked: {len(unchecked)}")
    for r in unchecked:
        lines.append(
            f"  - {r['id']}: «{r['name_fa']}» ({r['province']}): read its rows, add a line"
        )
    lines.append(f"- lines that check no estate without a status: {len(unused_checks)}")
    for line in unused_checks:
        lines.append(
            f"  - status_checks.csv:{line}: remove it (its estate has a status or is gone)"
        )
    merged = sum(1 for ms in clusters.values() if len({m.name_fa for m in ms}) > 1)
    lines.append("")
    lines.append(f"{merged} estates carry more than one spelling (see `note`: also written).")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="the estates_public folder (g*.csv)")
    parser.add_argument("seed", type=Path, help="the 1400 report text (000_dd0ab854e6a26b3b.txt)")
    parser.add_argument("--facts", type=Path, help="province_facts_public.csv (default: beside)")
    parser.add_argument("--aliases", type=Path, default=DATA / "public_aliases.csv")
    parser.add_argument("--operators", type=Path, default=DATA / "public_operators.csv")
    parser.add_argument(
        "--status-checks",
        type=Path,
        default=DATA / "status_checks.csv",
        help="reviewed checks of the estates no source gives a status for",
    )
    parser.add_argument(
        "--places",
        type=Path,
        default=DATA / "public_places.csv",
        help="estates a province's company runs in another province (where they lie)",
    )
    parser.add_argument(
        "--recall",
        type=Path,
        default=DATA / "public_recall.csv",
        help="rows left out for a kind-word name that their town, quote or note names",
    )
    parser.add_argument("--out", type=Path, default=DATA, help="folder to write into")
    parser.add_argument(
        "--allow-undecided",
        action="store_true",
        help="write even when candidate pairs are undecided (for a first look only)",
    )
    args = parser.parse_args(argv)
    facts = args.facts or args.folder.parent / "province_facts_public.csv"
    try:
        built = build(
            args.folder,
            _seed.read_seed(args.seed),
            facts=facts,
            aliases=args.aliases,
            operators=args.operators,
            status_checks=args.status_checks,
            places=args.places,
            recall=args.recall,
        )
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if built.undecided:
        print(
            f"{len(built.undecided)} pair(s) the rules cannot tell apart and "
            f"{args.aliases.name} does not decide; add a line for each "
            "(province,name_a,name_b,decision,reason with decision same|different):",
            file=sys.stderr,
        )
        for line in built.undecided:
            print(line, file=sys.stderr)
        if not args.allow_undecided:
            return 1
    for name, text, enc in (
        ("estates.csv", built.registry, "utf-8-sig"),
        ("province_counts.csv", built.counts, "utf-8"),
        ("public_build.txt", built.report, "utf-8"),
    ):
        with atomic_write(args.out / name, encoding=enc, newline="") as f:
            f.write(text)
    print(built.report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
