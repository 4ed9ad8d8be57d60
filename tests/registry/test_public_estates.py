"""The shipped registry built from public sources (scripts/build_public_estates.py)."""

from __future__ import annotations

import csv
import importlib
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest

from isipo_geo import _paths
from isipo_geo.names import fold, province_keys
from isipo_geo.registry import estates
from isipo_geo.registry.identity import estate_identity
from isipo_geo.registry.schema import OPERATORS

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO.parent / "shared" / "reference"
DATA = REPO / "data" / "estates"


@pytest.fixture(scope="module")
def shipped():
    return estates.load_estates()


@pytest.fixture(scope="module")
def reference() -> Path:
    if not (REFERENCE / "estates_public").is_dir():
        pytest.skip(
            "the public estates collection (../shared/reference/estates_public) is not on this "
            "machine; these tests rebuild the shipped registry from it"
        )
    return REFERENCE


def _by_name(shipped, province, name):
    """The shipped row whose name, or one of its other spellings, is ``name``."""
    hits = [
        ident
        for ident, row in shipped[shipped["province"] == province].iterrows()
        if fold(row["name_fa"]) == fold(name)
        or fold(name) in {fold(v) for v in row["note"].split("also written: ")[-1].split(" · ")}
    ]
    assert len(hits) == 1, (name, hits)
    return hits[0]


def test_done_when_counts(shipped):
    assert len(shipped) >= 500
    per_province = shipped.groupby("province").size()
    assert set(per_province.index) == set(province_keys())
    assert per_province.min() >= 3
    assert per_province.to_dict()["south_khorasan"] == 8  # thin, as the collection's notes say


def test_every_row_is_sourced(shipped):
    for ident, source in shipped["source"].items():
        parts = source.split(" | ")
        assert all(p.startswith(("http://", "https://", "seed:L")) for p in parts), ident
    assert shipped["source"].str.contains("seed:L").sum() == 34  # the report's rows
    assert shipped["source"].str.contains("http").sum() >= 780


def test_no_two_rows_fold_to_one_identity(shipped):
    keys = Counter(
        (row["province"], estate_identity(row["name_fa"], row["kind"]).key)
        for _, row in shipped.iterrows()
    )
    assert max(keys.values()) == 1, [k for k, n in keys.items() if n > 1]


def test_other_bodies_are_marked_never_counted(shipped):
    assert set(shipped["operator"]) <= set(OPERATORS)
    ops = shipped.groupby(["kind", "operator"]).size().to_dict()
    assert ops[("free_zone", "free_zone")] == 3
    assert ("free_zone", "isipo") not in ops and ("industrial_city", "isipo") not in ops
    assert ops[("industrial_estate", "free_zone")] == 5  # estates inside free zones
    alborz_city = _by_name(shipped, "qazvin", "شهر صنعتی البرز")
    assert shipped.loc[alborz_city, ["kind", "operator"]].tolist() == [
        "industrial_city",
        "other_body",
    ]
    pars = _by_name(shipped, "bushehr", "منطقه ویژه اقتصادی انرژی پارس")
    assert shipped.loc[pars, "operator"] == "other_body"
    assert (shipped[shipped.index.str.match(r"^sez-[a-z_]+$")]["operator"] == "isipo").all()


@pytest.mark.parametrize(
    ("province", "a", "b"),
    [
        ("gilan", "شهرک صنعتی الهیجان", "شهرک صنعتی لاهیجان"),  # OCR error (table)
        ("razavi_khorasan", "شهرک صنعتی توس", "شهرک صنعتی طوس"),  # spelling (table)
        ("razavi_khorasan", "شهرک صنعتی خیام", "شهرک صنعتی خیام نیشابور"),  # town added
        ("razavi_khorasan", "شهرک صنعتی شماره پنج مشهد", "شهرک صنعتی مشهد5"),  # rule
        ("zanjan", "شهرک صنعتی اشراق", "شهرک صنعتی شماره یک زنجان"),  # the source says so
        ("isfahan", "Anarak", "ناحیه صنعتی انارک"),  # an Italian source's name
        ("bushehr", "منطقه ویژه اقتصادی بوشهر (شمال استان)", "منطقه ویژه اقتصادی شمال استان بوشهر"),
    ],
)
def test_merged_spellings_are_one_row(shipped, province, a, b):
    assert _by_name(shipped, province, a) == _by_name(shipped, province, b)


# Issue 25's examples: one site, every spelling a source gives finds the one row.
ONE_SITE = [
    (
        "hormozgan",
        [
            "شهرک صنعتی صنایع دریای بندر عباس",
            "شهرک صنعتی صنایع دریایی بندرعباس(3)",  # «(3)»: the other copy of the decree line
            "شهرک صنعتی تخصصی صنایع دریایی بندرعباس",
        ],
    ),
    ("gilan", ["شهرک صنعتی انزلی", "شهرک صنعتی حسنرود انزلی"]),
    ("kerman", ["شهرک صنعتی شماره 4 کرمان", "شهرک صنعتی چهار کرمان", "شهرک صنعتی شماره (4) کرمان"]),
    ("tehran", ["شهرک صنعتی علی آباد", "شهرک صنعتی پایتخت", "شهرک صنعتی پايتخت"]),
    (
        "east_azerbaijan",
        [
            "شهرک صنعتی تبریز 4",
            "شهرک صنعتی تبریز(4)",
            "شهرک شهید قاسم سلیمانی",
            "شهرک صنعتی شهید سلیمانی",
        ],
    ),
    ("alborz", ["شهرک صنعتی ماهدشت", "شهرک صنعتی خوارزمی", "شهرک سردرآباد ماهدشت"]),
    ("lorestan", ["منطقه ویژه اقتصادی بروجرد", "منطقه ویژه بروجرد", "منطقه ویژه اقتصادی اشترینان"]),
    ("lorestan", ["منطقه ویژه اقتصادی ازنا", "منطقه ویژه اقتصادی لرستان", "منطقه ویژه ازنا"]),
    ("alborz", ["شهرک صنعتی کوثر", "ناحیه صنعتی کوثر", "شهرک صنعتی کوثر اشتهارد"]),  # zone → estate
    ("east_azerbaijan", ["شهرک صنعتی ترک", "ناحیه صنعتی ترک"]),
    ("hamadan", ["شهرک صنعتی «فرسفج»", "ناحیه صنعتی فرسفج"]),
    ("qom", ["شهرک صنعتی سیرو", "ناحیه صنعتی سیرو"]),
    ("golestan", ["شهرک صنعتی آق قلا", "ناحیه صنعتی آققلا", "Aq Qala Industrial Park"]),
    ("semnan", ["شهرک صنعتی صید آباد", "ناحیه صنعتی صیدآباد"]),
    ("lorestan", ["ناحیه صنعتی مرزبان", "ناحیه صنعتی مرزیان"]),  # a note ties the spellings
]


@pytest.mark.parametrize(("province", "names"), ONE_SITE)
def test_one_site_is_one_row_found_by_every_spelling(shipped, province, names):
    assert len({_by_name(shipped, province, n) for n in names}) == 1


@pytest.mark.parametrize(
    ("province", "name", "precision", "county"),
    [
        ("markazi", "شهر صنعتی کاوه", "town", "ساوه"),  # not Arak, whose alternate names hold ساوه
        ("markazi", "شهرک صنعتی کاوه", "town", "ساوه"),  # the same site, one row
        ("markazi", "شهرک صنعتی سرمایه گذاری خارجی", "town", "ساوه"),
        ("isfahan", "شهرک صنعتی ورزنه", "county", "ورزنه"),  # GeoNames' Varzaneh: Golpayegan
        ("yazd", "ناحیه صنعتی مروست", "town", "مروست"),  # another source's county and town
        ("east_azerbaijan", "شهرک صنعتی جلفا", "county", "جلفا"),  # the name's place: a county
        ("khuzestan", "شهرک صنعتی ماهشهر", "town", "بندر ماهشهر"),  # another source's town
    ],
)
def test_places_hold(shipped, province, name, precision, county):
    row = shipped.loc[_by_name(shipped, province, name)]
    assert (row["location_precision"], row["county"]) == (precision, county)
    if precision == "town":  # the point lies in the county the row names
        from isipo_geo.registry import counties

        at = counties.county_at(row.geometry.x, row.geometry.y, province)
        assert counties.county_name(at) == county


@pytest.mark.parametrize(
    ("province", "name", "year"),
    [
        ("yazd", "ناحیه صنعتی مروست", 1401),  # 51 ha allocated in 1391; expansion approved 1401
        ("yazd", "ناحیه صنعتی پشتکوه", 1401),
        ("semnan", "شهرک صنعتی صید آباد", 1400),
        ("lorestan", "ناحیه صنعتی مرزبان", None),
        ("east_azerbaijan", "شهرک صنعتی استاد عالینسب تبریز", None),  # its expansion phase
        ("east_azerbaijan", "شهرک صنعتی اهر", None),
    ],
)
def test_an_expansion_is_an_event_not_the_estate_status(shipped, province, name, year):
    row = shipped.loc[_by_name(shipped, province, name)]
    assert row["status"] == "operational"
    assert (None if pd.isna(row["status_year"]) else row["status_year"]) == year
    assert "status history: " in row["note"] and "expansion" in row["note"]


def test_a_decree_only_estate_says_so_and_another_estate_expansion_is_not_its_event(shipped):
    bonab2 = shipped.loc[_by_name(shipped, "east_azerbaijan", "شهرک صنعتی بناب 2")]
    assert bonab2["status"] == "approved"
    # Toyeh Darvar is created by the decision that expands Damghan: created, not expanded
    toyeh = shipped.loc[_by_name(shipped, "semnan", "ناحیه صنعتی تویه دروار")]
    assert (toyeh["status"], toyeh["status_year"]) == ("approved", 1400)
    decree_only = shipped["note"].str.contains(r"approved \(decree", regex=True)
    assert (shipped.loc[decree_only, "status"] == "approved").all()
    assert decree_only.sum() >= 50


def test_a_renamed_estate_is_shown_by_its_new_name_and_one_operator(shipped):
    tabriz4 = shipped.loc[_by_name(shipped, "east_azerbaijan", "شهرک صنعتی تبریز 4")]
    assert tabriz4["name_fa"] == "شهرک شهید قاسم سلیمانی"  # renamed 1398/10/14
    assert "شهرک صنعتی تبریز 4" in tabriz4["note"]
    # private in a 1390 list, ISIPO's Kharazmi estate since 1397: the latest statement wins
    kharazmi = shipped.loc[_by_name(shipped, "alborz", "شهرک صنعتی خوارزمی")]
    assert (kharazmi["kind"], kharazmi["operator"]) == ("industrial_estate", "isipo")


@pytest.mark.parametrize(
    ("province", "a", "b"),
    [
        ("west_azerbaijan", "شهرک صنعتی شماره 1 ارومیه", "شهرک صنعتی شماره 2 ارومیه"),  # rule
        ("west_azerbaijan", "شهرک صنعتی شماره 2 ارومیه", "شهرک صنعتی شماره سه ارومیه"),
        ("khuzestan", "شهرک صنعتی اهواز", "شهرک صنعتی شماره 2 اهواز"),  # table: No. 2 is another
        ("hamadan", "شهرک صنعتی بوعلی", "شهرک صنفی بوعلی"),  # kind word: estate ≠ guild estate
        ("razavi_khorasan", "شهرک صنعتی رضویه", "شهرک صنعتی مشهد5"),  # no source equates them
        ("gilan", "شهرک صنعتی انزلی", "شهرک صنعتی شماره 3 انزلی"),  # No. 3: the free zone's
        ("yazd", "شهرک صنعتی ابرکوه", "ناحیه صنعتی ابرکوه"),  # opened 1386 and 1371
        ("qom", "شهرک صنعتی شهاب", "شهرک صنعتی چاپ و نشر"),  # one list names both
    ],
)
def test_different_estates_are_different_rows(shipped, province, a, b):
    assert _by_name(shipped, province, a) != _by_name(shipped, province, b)


def test_a_merged_estate_keeps_every_address_latest_status_and_area_conflicts(shipped):
    salimi = shipped.loc[_by_name(shipped, "east_azerbaijan", "شهرک صنعتی شهید سلیمی")]
    assert salimi["source"].count("http") >= 3
    assert "areas stated differently: 500 ha; 600 ha (1402)" in salimi["note"]
    assert salimi["area_ha"] == 600  # the most recent stated figure, never an average
    assert "a phase of 407 ha (1402)" in salimi["note"]  # an expansion phase is not the estate
    dezful = shipped.loc["ie-khuzestan-dezful_2"]  # the report's row, a later public status
    assert (dezful["status"], dezful["status_year"]) == ("operational", 1402)
    assert dezful["area_ha"] == 82.2  # the report's hectares win


def test_the_tables_are_human_readable_and_complete():
    with open(DATA / "public_aliases.csv", encoding="utf-8", newline="") as f:
        aliases = list(csv.DictReader(f))
    assert len(aliases) >= 150
    assert {r["decision"] for r in aliases} == {"same", "different", "renamed"}
    assert all(r["reason"].strip() for r in aliases)
    with open(DATA / "public_operators.csv", encoding="utf-8", newline="") as f:
        operators = list(csv.DictReader(f))
    assert all(r["operator"] in OPERATORS and r["reason"] for r in operators)


def test_sourced_province_counts():
    counts = pd.read_csv(_paths.data_file("estates", "province_counts.csv"), dtype=str)
    assert list(counts.columns) == [
        "province", "indicator", "value", "status", "year", "year_as_stated", "source_url",
    ]  # fmt: skip
    assert set(counts["province"]) <= set(province_keys())
    assert counts["source_url"].str.match(r"https?://").all()
    assert counts["value"].str.fullmatch(r"\d+").all()
    assert counts["province"].nunique() == 29  # none for Alborz and Fars (the notes say so)


# --- rebuilding from the reference collection ------------------------------------------------


@pytest.mark.seed
def test_rebuilding_gives_the_same_bytes(reference, seed_lines):
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        build = importlib.import_module("build_public_estates")
        built = build.build(
            reference / "estates_public",
            seed_lines,
            facts=reference / "province_facts_public.csv",
            aliases=DATA / "public_aliases.csv",
            operators=DATA / "public_operators.csv",
            status_checks=DATA / "status_checks.csv",
            places=DATA / "public_places.csv",
            recall=DATA / "public_recall.csv",
        )
    finally:
        sys.path.remove(str(REPO / "scripts"))
    assert built.undecided == []  # every pair the rules cannot tell apart is decided
    assert built.registry == (DATA / "estates.csv").read_text(encoding="utf-8-sig")
    assert built.counts == (DATA / "province_counts.csv").read_text(encoding="utf-8")
    assert built.report == (DATA / "public_build.txt").read_text(encoding="utf-8")


def test_no_quoted_sentence_is_shipped(reference):
    shipped_text = (DATA / "estates.csv").read_text(encoding="utf-8-sig")
    quotes = []
    for path in sorted((reference / "estates_public").glob("g*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as f:
            quotes += [
                r["quote"]
                for r in csv.DictReader(f)
                if len(r["quote"]) > 80 and r["quote"][:40] not in unquote(r["source_url"])
            ]  # (a few quotes are the page's address itself)
    assert len(quotes) > 500
    assert not [q for q in quotes if q[:80] in shipped_text]


# --- the build's refusals (a tiny synthetic collection; the report's rows need the seed) ---------

HEADER = (
    "province_fa,province_en,name_fa,kind,town_fa,county_fa,area_ha,status,status_year,"
    "utilities,source_url,quote,note\n"
)


def _collection(
    tmp_path, rows: list[str], aliases: str = "", status_checks: str = ""
) -> dict[str, Path]:
    folder = tmp_path / "estates_public"
    folder.mkdir(parents=True)
    (folder / "g1_test.csv").write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    (tmp_path / "province_facts_public.csv").write_text(
        "province_fa,province_en,indicator,value,unit,status,refers_to_year,source_url,quote\n"
        "گیلان,Gilan,estates_and_zones_count,32,x,operational,1402,https://example.ir/a,q\n",
        encoding="utf-8",
    )
    alias_path = tmp_path / "aliases.csv"
    alias_path.write_text("province,name_a,name_b,decision,reason\n" + aliases, encoding="utf-8")
    ops = tmp_path / "operators.csv"
    ops.write_text("province,name_fa,operator,reason\n", encoding="utf-8")
    checks = tmp_path / "status_checks.csv"
    checks.write_text(
        "province,name_fa,evidence,status,status_year,reason\n" + status_checks, encoding="utf-8"
    )
    places = tmp_path / "places.csv"
    places.write_text("province,name_fa,lies_in,county,evidence,reason\n", encoding="utf-8")
    recall = tmp_path / "recall_empty.csv"
    recall.write_text("evidence,province,name_fa,town,reason\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    return {
        "folder": folder,
        "aliases": alias_path,
        "operators": ops,
        "checks": checks,
        "places": places,
        "recall": recall,
        "out": out,
    }


ROWS = [
    "گیلان,Gilan,شهرک صنعتی الهیجان,estate,,,,operational,1395,gas=yes,https://example.ir/1,q,",
    "گیلان,Gilan,شهرک صنعتی لاهیجان,estate,لاهیجان,,,approved,1380,,https://example.ir/2,q,",
    "گیلان,Gilan,ناحیه صنعتی لاهیجان,zone,لاهیجان,,,,,,https://example.ir/3,q,",
]


def _main(paths, seed_path, capsys):
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        build = importlib.import_module("build_public_estates")
        code = build.main(
            [
                str(paths["folder"]),
                str(seed_path),
                "--aliases",
                str(paths["aliases"]),
                "--operators",
                str(paths["operators"]),
                "--status-checks",
                str(paths["checks"]),
                "--places",
                str(paths["places"]),
                "--recall",
                str(paths["recall"]),
                "--out",
                str(paths["out"]),
            ]
        )
    finally:
        sys.path.remove(str(REPO / "scripts"))
    return code, capsys.readouterr()


@pytest.mark.seed
def test_the_build_refuses_undecided_pairs_and_writes_nothing(tmp_path, seed_path, capsys):
    paths = _collection(tmp_path, ROWS)
    code, out = _main(paths, seed_path, capsys)
    assert code == 1
    assert "2 pair(s) the rules cannot tell apart" in out.err
    assert "gilan,شهرک صنعتی الهیجان,شهرک صنعتی لاهیجان,,edit_distance (score 86)" in out.err
    # an estate and a zone of one name may be one site (a zone made an estate): listed too
    assert "gilan,شهرک صنعتی لاهیجان,ناحیه صنعتی لاهیجان,,kind_word (score 100)" in out.err
    assert list(paths["out"].iterdir()) == []  # nothing half-written


@pytest.mark.seed
def test_a_decided_pair_merges_keeping_every_address_and_the_latest_status(
    tmp_path, seed_path, capsys
):
    aliases = (
        "gilan,شهرک صنعتی الهیجان,شهرک صنعتی لاهیجان,same,OCR error\n"
        "gilan,شهرک صنعتی لاهیجان,ناحیه صنعتی لاهیجان,different,two sites\n"
    )
    paths = _collection(tmp_path, ROWS, aliases)
    code, _ = _main(paths, seed_path, capsys)
    assert code == 0
    reg = estates.load_estates(paths["out"] / "estates.csv")
    gilan = reg[reg["province"] == "gilan"].set_index("name_fa")
    assert len(gilan) == 2  # the estate and the zone of Lahijan (a kind word is never merged)
    one = gilan.loc["شهرک صنعتی لاهیجان"]
    assert one["source"] == "https://example.ir/1 | https://example.ir/2"
    assert (one["status"], one["status_year"]) == ("operational", 1395)
    assert one["utilities_stated"] == "gas=yes (1395)"
    assert "also written: شهرک صنعتی الهیجان" in one["note"]
    assert len(reg) == 34 + 2


@pytest.mark.seed
def test_contradicting_decisions_stop_the_build(tmp_path, seed_path, capsys):
    aliases = (
        "gilan,شهرک صنعتی الهیجان,شهرک صنعتی لاهیجان,same,OCR error\n"
        "gilan,شهرک صنعتی الهیجان,شهرک صنعتی لاهیجان,different,a second opinion\n"
        "gilan,شهرک صنعتی ناپیدا,شهرک صنعتی لاهیجان,same,stale line\n"
    )
    code, out = _main(_collection(tmp_path, ROWS, aliases), seed_path, capsys)
    assert code == 1
    assert "no source names 'شهرک صنعتی ناپیدا' in gilan" in out.err
    two_lines = "".join(aliases.splitlines(keepends=True)[:2])
    code, out = _main(_collection(tmp_path / "b", ROWS, two_lines), seed_path, capsys)
    assert code == 1
    assert "decided different but other lines (or the rules) merge them" in out.err


# --- statuses no source gives: each one checked (data/estates/status_checks.csv) -------------


def _empty(value) -> bool:
    return value is None or value is pd.NA or value == "" or bool(pd.isna(value))


def _checks() -> list[dict[str, str]]:
    with open(DATA / "status_checks.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_empty_status_has_a_recorded_check(shipped):
    checks = _checks()
    found = Counter()
    for i, check in enumerate(checks, start=2):
        ident = _by_name(shipped, check["province"], check["name_fa"])
        found[ident] += 1
        row = shipped.loc[ident]
        assert check["reason"] and check["evidence"], i
        if check["status"]:  # a dated statement about the estate itself
            assert (row["status"], row["status_year"]) == (
                check["status"],
                int(check["status_year"]),
            ), i
            assert f"status {check['status']} ({check['status_year']}) read from" in row["note"]
        else:
            assert _empty(row["status"]) and _empty(row["status_year"]), i
            assert "no dated statement of its own stage (checked" in row["note"]
    assert max(found.values()) == 1  # one line per estate
    empty = shipped[shipped["status"].map(_empty)]
    assert len(empty) > 0
    assert set(empty.index) <= set(found)  # every row without a status was checked
    assert len(found) == len(checks)
    report = (DATA / "public_build.txt").read_text(encoding="utf-8")
    assert "- rows without a status, not checked: 0" in report
    assert "- lines that check no estate without a status: 0" in report


@pytest.mark.parametrize(
    ("province", "name", "status", "year"),
    [
        ("east_azerbaijan", "شهرک صنعتی بخشایش", "planned", 1404),  # groundbreaking to come
        ("ardabil", "Azerbaijan–Iran joint industrial park (Parsabad)", "planned", 1398),
        ("east_azerbaijan", "شهرک صنعتی اسکو", None, None),  # the report's hectares developed
        ("zanjan", "شهرک صنعتی زنجان 3", None, None),  # a decree to study it: an event
        ("lorestan", "شهرک صنعتی کوهدشت", None, None),  # gas due in 1400: a utility event
        ("fars", "شهرک صنعتی غدیرگه", None, None),  # a water problem (1398): no stage
    ],
)
def test_a_checked_status_comes_only_from_a_dated_statement(shipped, province, name, status, year):
    row = shipped.loc[_by_name(shipped, province, name)]
    if status is None:
        assert _empty(row["status"]) and _empty(row["status_year"])
    else:
        assert (row["status"], row["status_year"]) == (status, year)


def test_one_joint_park_of_parsabad(shipped):
    persian = _by_name(shipped, "ardabil", "شهرک صنعتی مشترک مرزی بین ایران و جمهوری آذربایجان")
    assert persian == _by_name(
        shipped, "ardabil", "Azerbaijan–Iran joint industrial park (Parsabad)"
    )
    assert shipped.loc[persian, "source"].count("http") == 2


CHECKED_ROWS = [
    "گیلان,Gilan,شهرک صنعتی لاهیجان,estate,لاهیجان,,,,1403,,https://example.ir/2,q,",
    "گیلان,Gilan,ناحیه صنعتی رودسر,zone,رودسر,,,,,,https://example.ir/3,q,",
]


@pytest.mark.seed
@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "gilan,شهرک صنعتی لاهیجان,g1_test.csv:2,planned,,will be built",
            "status 'planned' needs the year of the statement",
        ),
        ("gilan,شهرک صنعتی لاهیجان,g1_test.csv:2,closed,1403,x", "status 'closed' is not one of"),
        (
            "gilan,شهرک صنعتی لاهیجان,g1_test.csv:3,planned,1403,will be built",
            "g1_test.csv:3 is not a source row of 'شهرک صنعتی لاهیجان'",
        ),
        (
            "gilan,شهرک صنعتی لاهیجان,article,planned,1403,will be built",
            "evidence 'article' is not a source row",
        ),
    ],
)
def test_a_bad_status_check_stops_the_build_and_writes_nothing(
    tmp_path, seed_path, capsys, line, message
):
    aliases = "gilan,شهرک صنعتی لاهیجان,ناحیه صنعتی رودسر,different,two towns\n"
    paths = _collection(tmp_path, CHECKED_ROWS, aliases, line + "\n")
    code, out = _main(paths, seed_path, capsys)
    assert code == 1
    assert message in out.err
    assert "status_checks.csv:2" in out.err
    assert list(paths["out"].iterdir()) == []


@pytest.mark.seed
def test_a_check_fills_a_dated_status_and_the_build_lists_the_unchecked(
    tmp_path, seed_path, capsys
):
    paths = _collection(
        tmp_path,
        CHECKED_ROWS,
        "gilan,شهرک صنعتی لاهیجان,ناحیه صنعتی رودسر,different,two towns\n",
        "gilan,شهرک صنعتی لاهیجان,g1_test.csv:2,planned,1403,will be built (1403)\n",
    )
    code, _ = _main(paths, seed_path, capsys)
    assert code == 0
    reg = estates.load_estates(paths["out"] / "estates.csv").set_index("name_fa")
    assert (
        reg.loc["شهرک صنعتی لاهیجان", "status"],
        reg.loc["شهرک صنعتی لاهیجان", "status_year"],
    ) == (
        "planned",
        1403,
    )
    assert _empty(reg.loc["ناحیه صنعتی رودسر", "status"])
    report = (paths["out"] / "public_build.txt").read_text(encoding="utf-8")
    unchecked = reg[reg["status"].map(_empty)]
    assert f"- rows without a status, not checked: {len(unchecked)}" in report
    assert "«ناحیه صنعتی رودسر» (gilan): read its rows, add a line" in report


@pytest.mark.seed
def test_a_town_far_from_another_named_town_is_flagged(tmp_path, seed_path, capsys):
    # synthetic: three sources place one estate at Rasht (twice) and at Astara (143 km) or
    # Khomam (14 km): only the town more than 40 km away is flagged, with its distance
    from isipo_geo.registry import counties

    rows = [
        "گیلان,Gilan,شهرک صنعتی دوردست,estate,رشت,,,,,,https://example.ir/1,q,",
        "گیلان,Gilan,شهرک صنعتی دوردست,estate,رشت,,,,,,https://example.ir/2,q,",
        "گیلان,Gilan,شهرک صنعتی دوردست,estate,آستارا,,,,,,https://example.ir/3,q,",
        "گیلان,Gilan,شهرک صنعتی نزدیک,estate,رشت,,,,,,https://example.ir/4,q,",
        "گیلان,Gilan,شهرک صنعتی نزدیک,estate,رشت,,,,,,https://example.ir/5,q,",
        "گیلان,Gilan,شهرک صنعتی نزدیک,estate,خمام,,,,,,https://example.ir/6,q,",
    ]
    aliases = "gilan,شهرک صنعتی دوردست,شهرک صنعتی نزدیک,different,two estates\n"
    paths = _collection(tmp_path, rows, aliases)
    code, out = _main(paths, seed_path, capsys)
    assert code == 0, out.err
    reg = estates.load_estates(paths["out"] / "estates.csv").set_index("name_fa")
    rasht, astara, khomam = (counties.place("gilan", town=t) for t in ("رشت", "آستارا", "خمام"))
    far_km = counties.km_between(rasht.lon, rasht.lat, astara.lon, astara.lat)
    near_km = counties.km_between(rasht.lon, rasht.lat, khomam.lon, khomam.lat)
    assert near_km < 40 < far_km
    far = reg.loc["شهرک صنعتی دوردست"]
    assert (far["lon"], far["lat"]) == (rasht.lon, rasht.lat)
    assert f"far_from_named_town:آستارا {far_km:.0f} km" in far["flags"].split(";")
    assert "far_from_named_town" not in str(reg.loc["شهرک صنعتی نزدیک", "flags"])
    report = (paths["out"] / "public_build.txt").read_text(encoding="utf-8")
    assert "- far_from_named_town: 1" in report


# --- recall: rows left out for a kind-word name, named by their town, quote or note ----------


def _recall() -> list[dict[str, str]]:
    with open(DATA / "public_recall.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_recalled_row_is_an_estate_of_its_province_with_its_address(shipped, reference):
    evidence = {}
    for path in sorted((reference / "estates_public").glob("g*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as f:
            for i, rec in enumerate(csv.DictReader(f), start=2):
                evidence[f"{path.name}:{i}"] = rec
    report = (DATA / "public_build.txt").read_text(encoding="utf-8")
    lines = _recall()
    assert lines
    for line in lines:
        row = shipped.loc[_by_name(shipped, line["province"], line["name_fa"])]
        url = evidence[line["evidence"]]["source_url"]
        assert unquote(url) in unquote(row["source"]) or url in row["source"], line["evidence"]
        assert f"- {line['evidence']} -> «{line['name_fa']}» ({line['province']})" in report
    left_out = report.split("## Left out\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert not {x["evidence"] for x in lines} & {
        x[2:].split(":")[0] + ":" + x[2:].split(":")[1] for x in left_out
    }
    # rows whose town no source states stay out (Ardabil's «No. 2», Khuzestan's «3 and 5»)
    assert any("g1_northwest.csv:143" in x for x in left_out)
    assert any("g3_southwest.csv:18" in x for x in left_out)


@pytest.mark.parametrize(
    ("province", "names"),
    [
        ("kurdistan", ["شهرک صنعتی سقز", "شهرک صنعتی شماره یک سقز"]),
        ("east_azerbaijan", ["ناحیه دوزدوزان", "ناحیه صنعتی در شهر دوزدوزان"]),
        ("lorestan", ["شهرک صنعتی شماره 3 بروجرد", "شهرک صنعتی شماره ۳ بروجرد"]),
    ],
)
def test_recall_and_its_merges_keep_one_row_per_site(shipped, province, names):
    assert len({_by_name(shipped, province, n) for n in names}) == 1


def test_a_new_site_the_recall_found(shipped):
    malayer = shipped.loc[_by_name(shipped, "hamadan", "شهرک صنعتی قشلاق پیرحیاتی")]
    assert (malayer["status"], malayer["status_year"], malayer["area_ha"]) == (
        "under_construction",
        1403,
        300,
    )
    assert malayer["county"] == "ملایر" and malayer["operator"] == "isipo"
    guild = shipped.loc[_by_name(shipped, "hamadan", "شهرک صنفی صنعتی رزن")]
    assert (guild["kind"], guild["operator"], guild["county"]) == ("guild_estate", "guild", "رزن")


@pytest.mark.seed
def test_a_recall_line_for_a_named_row_stops_the_build(tmp_path, seed_path, capsys):
    rows = [*CHECKED_ROWS, "گیلان,Gilan,شهرک صنعتی شماره 2,estate,,,,,,,https://example.ir/9,q,"]
    aliases = "gilan,شهرک صنعتی لاهیجان,ناحیه صنعتی رودسر,different,two towns\n"
    paths = _collection(tmp_path, rows, aliases)
    recall = tmp_path / "recall.csv"
    recall.write_text(
        "evidence,province,name_fa,town,reason\n"
        "g1_test.csv:2,gilan,شهرک صنعتی لاهیجان 2,,a second name\n",
        encoding="utf-8",
    )
    paths["recall"] = recall
    code, out = _main(paths, seed_path, capsys)
    assert code == 1
    assert "recall.csv:2: g1_test.csv:2 names «شهرک صنعتی لاهیجان» already" in out.err
    assert list(paths["out"].iterdir()) == []
    recall.write_text(
        "evidence,province,name_fa,town,reason\n"
        "g1_test.csv:4,gilan,شهرک صنعتی شماره 2 رودسر,رودسر,its town\n",
        encoding="utf-8",
    )
    code, out = _main(paths, seed_path, capsys)
    assert code == 0, out.err
    reg = estates.load_estates(paths["out"] / "estates.csv").set_index("name_fa")
    assert reg.loc["شهرک صنعتی شماره 2 رودسر", "source"] == "https://example.ir/9"


# --- an estate one province's company runs in another province (data/estates/public_places.csv)


def test_ali_abad_is_placed_in_semnan_where_it_lies_and_says_why(shipped):
    from isipo_geo.provinces import load_provinces

    ident = _by_name(shipped, "tehran", "شهرک صنعتی پایتخت")  # Ali Abad, Tehran's company
    row = shipped.loc[ident]
    assert row["province"] == "tehran"  # counted with the company that runs it, as sources do
    assert load_provinces().loc["semnan", "geometry"].covers(row.geometry)
    assert row["county"] == "گرمسار" and row["location_precision"] == "county"
    flags = row["flags"].split(";")
    assert "in_other_province:semnan" in flags and "outside_stated_province" in flags
    assert "lies in semnan (public_places.csv: g2_north.csv:133)" in row["note"]
    # Semnan's own Eyvanaki estate stays a row of its own
    assert _by_name(shipped, "semnan", "شهرک صنعتی ایوانکی") != ident


def test_a_point_outside_natural_earths_province_says_whether_osm_holds_it(shipped):
    # Natural Earth's polygons are older and generalised: Tabas county is South Khorasan's in OSM
    tabas = shipped.loc[_by_name(shipped, "south_khorasan", "شهرک صنعتی طبس")]
    assert "outside_stated_province" in tabas["flags"].split(";")
    assert "inside OSM's county طبس of south_khorasan" in tabas["note"]
    flagged = shipped[shipped["flags"].fillna("").str.contains("outside_stated_province")]
    explained = flagged["note"].str.contains("outside Natural Earth's polygon of the province")
    assert explained.all()
    ali_abad = shipped.loc[_by_name(shipped, "tehran", "شهرک صنعتی پایتخت")]
    assert "inside OSM's county" not in ali_abad["note"]  # it lies in Semnan: no county of Tehran


def test_every_place_line_moves_one_estate():
    with open(DATA / "public_places.csv", encoding="utf-8", newline="") as f:
        lines = list(csv.DictReader(f))
    assert lines and all(x["evidence"] and x["reason"] for x in lines)
    report = (DATA / "public_build.txt").read_text(encoding="utf-8")
    assert f"- in_other_province: {len(lines)}" in report


# --- the candidate rules (scripts/_pairs.py) ------------------------------------------------


@pytest.fixture(scope="module")
def pairs():
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        yield importlib.import_module("_pairs")
    finally:
        sys.path.remove(str(REPO / "scripts"))


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [
        ("شهرک صنعتی چهار کرمان", "شهرک صنعتی شماره 4 کرمان", "number_word"),
        ("شهرک صنعتی کوثر", "ناحیه صنعتی کوثر", "kind_word"),
        ("شهرک صنعتی زاهدان میرجاوه", "شهرک صنعتی زاهدان و جاده میرجاوه", "words_inside"),
        ("شهرک صنعتی امامزاده عبدالله آمل", "شهرک صنعتی امامزاده عبداله", "similar"),
        ("شهرک صنعتی ارومیه 1", "شهرک صنعتی ارومیه 2", None),  # two numbers: never
        ("شهرک صنعتی ارومیه", "شهرک فناوری ارومیه", "kind_differs"),  # identity.py's rule
        ("شهرک صنعتی هفت تپه", "شهرک صنعتی تپه 7", "number_word"),  # listed, then decided
    ],
)
def test_candidate_rules(pairs, a, b, why):
    ia, ib = estate_identity(a), estate_identity(b)
    hit = pairs.pair_reason(ia, ib, a, b)
    assert (hit[0] if hit else None) == why


def test_a_note_that_states_a_rename_names_the_other_estate(pairs):
    cores = {fold("خوارزمی"): "خوارزمی", fold("سردارآباد ماهدشت"): "سردارآباد ماهدشت"}
    note = "formerly لکه صنعتی سردارآباد ماهدشت; registered as approved estate 1397"
    assert pairs.note_names(note, cores) == ["سردارآباد ماهدشت"]
    assert pairs.note_names("listed with سردارآباد ماهدشت", cores) == []  # no cue word


def test_no_source_address_holds_replacement_characters(shipped):
    text = (DATA / "estates.csv").read_text(encoding="utf-8-sig")
    assert "%EF%BF%BD" not in text.upper() and "\ufffd" not in text
    paytakht = shipped.loc[_by_name(shipped, "tehran", "شهرک صنعتی پایتخت")]
    assert "http://lajvargroup.com/articles/216" in paytakht["source"].split(" | ")


def test_a_garbled_address_is_cut_before_the_lost_letters():
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        build = importlib.import_module("build_public_estates")
    finally:
        sys.path.remove(str(REPO / "scripts"))
    lost = "%EF%BF%BD%EF%BF%BD"
    assert build.repaired_url(f"https://www.vekalatonline.ir/laws/24105/{lost}-{lost}") == (
        "https://www.vekalatonline.ir/laws/24105"
    )
    assert build.repaired_url(f"https://www.faryad.ir/news/?ihwffkhfz-{lost}") == (
        "https://www.faryad.ir/news/?ihwffkhfz"
    )
    assert build.repaired_url(f"https://{lost}.ir/") == ""  # nothing left: dropped
    assert build.repaired_url("https://example.ir/a-b") == "https://example.ir/a-b"


# --- the audit (scripts/audit_sample.py, data/estates/audit.csv) -------------------------------


@pytest.fixture(scope="module")
def audit():
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        yield importlib.import_module("audit_sample")
    finally:
        sys.path.remove(str(REPO / "scripts"))


def test_the_audit_covers_the_current_sample_and_meets_its_target(shipped, audit):
    with open(DATA / "audit.csv", encoding="utf-8", newline="") as f:
        verdicts = list(csv.DictReader(f))
    # a data change that changes the sample fails here: the changed rows are audited again
    assert [v["id"] for v in verdicts] == audit.sample_ids(list(shipped.index), seed=25, size=80)
    assert all(v[field] in ("ok", "wrong") for v in verdicts for field in audit.FIELDS)
    assert all(v["why"] for v in verdicts if "wrong" in [v[x] for x in audit.FIELDS])
    text = audit.summary(DATA / "audit.csv")
    full = int(text.split("- every field right: ")[1].split("/")[0])
    assert full >= 0.95 * len(verdicts)  # the target: 95 % of the sample fully right
    assert "- place: 80/80 right" in text  # Ali Abad lies in Semnan and is placed there
    source_md = (DATA / "SOURCE.md").read_text(encoding="utf-8")
    for line in text.splitlines()[1:]:
        assert line in source_md  # SOURCE.md states the audit as the file gives it


def test_the_sample_is_stable_under_a_merge(audit):
    ids = [f"ie-x-{i:03d}" for i in range(300)]
    first = audit.sample_ids(ids, seed=25, size=80)
    dropped = next(i for i in ids if i not in first)
    assert audit.sample_ids([i for i in ids if i != dropped], seed=25, size=80) == first


def test_source_md_states_the_coverage_and_the_distinct_sites(shipped, audit):
    source_md = (DATA / "SOURCE.md").read_text(encoding="utf-8")
    table = audit.coverage_table()  # isipo-geo report's figures, with decree-only rows apart
    assert table in source_md  # word for word: a data change that alters it fails here
    counted = shipped[(shipped["operator"] == "isipo") & (shipped["kind"] != "technology_estate")]
    operational = (counted["status"] == "operational").sum()
    decree = counted["note"].fillna("").str.contains("approved (decree", regex=False).sum()
    assert f"| all | {len(counted)} | {operational} | {decree} | – | – |" in table
    assert f"{len(shipped)} rows" in source_md and f"{len(shipped)} distinct sites" in source_md
