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
    assert shipped["source"].str.contains("http").sum() >= 800


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


@pytest.mark.parametrize(
    ("province", "a", "b"),
    [
        ("west_azerbaijan", "شهرک صنعتی شماره 1 ارومیه", "شهرک صنعتی شماره 2 ارومیه"),  # rule
        ("west_azerbaijan", "شهرک صنعتی شماره 2 ارومیه", "شهرک صنعتی شماره سه ارومیه"),
        ("lorestan", "ناحیه صنعتی مرزبان", "ناحیه صنعتی مرزیان"),  # table: no source ties them
        ("khuzestan", "شهرک صنعتی اهواز", "شهرک صنعتی شماره 2 اهواز"),  # table: No. 2 is another
        ("hamadan", "شهرک صنعتی بوعلی", "شهرک صنفی بوعلی"),  # kind word: estate ≠ guild estate
        ("razavi_khorasan", "شهرک صنعتی رضویه", "شهرک صنعتی مشهد5"),  # no source equates them
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
    assert {r["decision"] for r in aliases} == {"same", "different"}
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
