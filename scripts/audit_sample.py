"""Draw the audit's seeded random sample of the shipped registry and show each row beside its
evidence, for a reviewer to check field by field.

Usage (a maintainer, with the reference collection; nothing at run time needs it)::

    python scripts/audit_sample.py ../shared/reference/estates_public \\
        ../shared/seed/000_dd0ab854e6a26b3b.txt [--seed 25] [--size 80] > /tmp/audit.txt

Prints, for each sampled row of ``data/estates/estates.csv``, the shipped fields (name, kind,
operator, status and its year, area, place, sources) and every source row merged into it
(file:line, name, kind, status, year, town, county, area, address, quote, note). The quotes are
evidence for the reviewer: they are printed, never written into the repository. The verdicts
go in ``data/estates/audit.csv`` (one line per sampled row: ok or wrong per field, and why);
``--summary`` prints the per-field accuracy from that file, as ``SOURCE.md`` states it.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import _seed  # noqa: E402
import build_public_estates as build  # noqa: E402

DATA = build.DATA
FIELDS = ("identity", "name", "kind", "operator", "status", "area", "place", "sources")


def sample_ids(ids: list[str], *, seed: int, size: int) -> list[str]:
    """``size`` of ``ids``: those whose sha1 of ``"<seed>:<id>"`` ranks lowest, in the registry's
    order. The same ids on every run and machine; a data change that removes or adds a row
    leaves the rest of the sample as it was (a merged row's place goes to the next id), so the
    audit is redone on the rows that changed, not on a new sample."""
    rank = sorted(ids, key=lambda i: hashlib.sha1(f"{seed}:{i}".encode()).hexdigest())
    chosen = set(rank[:size])
    return [i for i in ids if i in chosen]


def _evidence(folder: Path) -> dict[str, dict[str, str]]:
    out = {}
    for path in sorted(folder.glob("g*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as f:
            for i, rec in enumerate(csv.DictReader(f), start=2):
                out[f"{path.name}:{i}"] = rec
    return out


def show(folder: Path, seed_path: Path, *, seed: int, size: int) -> str:
    public, _ = build.apply_recall(build.read_public(folder), DATA / "public_recall.csv")
    public = [m for m in public if m.identity.core]
    mentions = build.report_mentions(_seed.read_seed(seed_path)) + public
    clusters, _ = build.merge(mentions, build.read_aliases(DATA / "public_aliases.csv"))
    by_id = {build.row_id(ms): ms for ms in clusters.values()}
    with open(DATA / "estates.csv", encoding="utf-8-sig", newline="") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    evidence = _evidence(folder)
    lines = []
    for n, ident in enumerate(sample_ids(list(rows), seed=seed, size=size), start=1):
        r = rows[ident]
        lines.append(f"=== {n}. {ident} «{r['name_fa']}» {r['kind']} / {r['operator']}")
        lines.append(
            f"    status={r['status']} {r['status_year']}  area={r['area_ha']}  "
            f"place={r['location_precision']} county={r['county']} flags={r['flags']}"
        )
        lines.append(f"    note: {r['note']}")
        lines.append(f"    sources: {r['source']}")
        for m in by_id[ident]:
            rec = evidence.get(m.where)
            if rec is None:
                lines.append(f"  - {m.where} (the report's row)")
                continue
            lines.append(
                f"  - {m.where} «{rec['name_fa']}» {rec['kind']} town={rec['town_fa']} "
                f"county={rec['county_fa']} area={rec['area_ha']} {rec['status']} "
                f"{rec['status_year']} util={rec['utilities']}"
            )
            lines.append(f"      Q: {rec['quote']}")
            lines.append(f"      N: {rec['note']}")
    return "\n".join(lines) + "\n"


def summary(path: Path) -> str:
    """Per-field accuracy (share of sampled rows whose field is right) and rows fully right,
    from ``audit.csv`` (one line per sampled row: id, one column per field with ok or wrong,
    and why)."""
    with open(path, encoding="utf-8", newline="") as f:
        verdicts = list(csv.DictReader(f))
    n = len(verdicts)
    out = [f"{n} rows checked"]
    for field in FIELDS:
        ok = sum(v[field] == "ok" for v in verdicts)
        out.append(f"- {field}: {ok}/{n} right ({100 * ok / n:.1f} %)")
    full = sum(all(v[field] == "ok" for field in FIELDS) for v in verdicts)
    out.append(f"- every field right: {full}/{n} rows ({100 * full / n:.1f} %)")
    return "\n".join(out) + "\n"


def coverage_table() -> str:
    """Coverage per province of the shipped registry, as ``isipo-geo report`` computes it
    (:func:`isipo_geo.report.coverage`: ISIPO's estates, zones, specialised estates and SEZs
    against the count public pages state), with the rows approved only by a decree counted apart
    (``note``: «approved (decree …)»). A Markdown table, as ``SOURCE.md`` gives it."""
    from isipo_geo import report
    from isipo_geo.registry.estates import load_estates

    shipped = load_estates()
    decree = (
        shipped[
            shipped["note"].fillna("").str.contains("approved (decree", regex=False)
            & (shipped["operator"] == "isipo")
            & (shipped["kind"] != "technology_estate")
        ]
        .groupby("province")
        .size()
    )
    out = [
        "| province | ISIPO's in the registry | stated operational | decree only "
        "| sourced count (of, year) | share |",
        "|---|---:|---:|---:|---|---:|",
    ]
    import pandas as pd

    cov = report.coverage(by="province")
    for r in cov.itertuples():
        if pd.isna(r.sourced_count):
            stated = "none found"
        else:
            year = "undated" if pd.isna(r.sourced_count_year) else int(r.sourced_count_year)
            stated = f"{int(r.sourced_count)} ({r.sourced_count_of}, {year})"
        share = "–" if pd.isna(r.named_share_pct) else f"{r.named_share_pct:.0f} %"
        out.append(
            f"| {r.name_en} | {r.counted} | {r.counted_operational} "
            f"| {int(decree.get(r.province, 0))} | {stated} | {share} |"
        )
    out.append(
        f"| all | {cov['counted'].sum()} | {cov['counted_operational'].sum()} "
        f"| {int(decree.sum())} | – | – |"
    )
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, nargs="?", help="the estates_public folder")
    parser.add_argument("seed_text", type=Path, nargs="?", help="the 1400 report text")
    parser.add_argument("--seed", type=int, default=25, help="the sample's random seed")
    parser.add_argument("--size", type=int, default=80, help="rows to draw")
    parser.add_argument(
        "--summary", action="store_true", help="print the accuracy from data/estates/audit.csv"
    )
    parser.add_argument(
        "--coverage", action="store_true", help="print the coverage per province (SOURCE.md)"
    )
    args = parser.parse_args(argv)
    if args.summary:
        print(summary(DATA / "audit.csv"), end="")
        return 0
    if args.coverage:
        print(coverage_table(), end="")
        return 0
    if args.folder is None or args.seed_text is None:
        parser.error("the estates_public folder and the report text are needed to draw a sample")
    print(show(args.folder, args.seed_text, seed=args.seed, size=args.size), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
