"""Importing many files at once (31 provincial workbooks, a folder, every sheet of a workbook)
and the checks across them, before they become one registry or enter the store.

Each file (or sheet) is one *submission*, imported by :func:`isipo_geo.registry.importer.
import_registry` as before; then across submissions:

- the same estate (same id in the same province, or the same folded name in the same province)
  in two submissions is kept once — from the submission that covers its province, else the
  first — flagged ``duplicate_in:<the other's file and row>``, and never counted twice;
- one id given to two estates in different provinces is rejected in the later file;
- an estate whose point (or, without a point, stated province) lies in a province another
  submission covers is flagged ``in_province_of:<that file>``.

Rows read = accepted + rejected holds per file and in total; the registry holds accepted −
merged rows. Nothing here writes files.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isipo_geo.errors import InputError
from isipo_geo.messages import message, persian

if TYPE_CHECKING:
    import pandas as pd

    from isipo_geo.registry._tables import Progress
    from isipo_geo.registry.importer import ImportResult

__all__ = ["Batch", "Submission", "covered_provinces", "expand_inputs", "import_files"]

SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".geojson", ".json", ".gpkg", ".shp")
FLAG_DUPLICATE_IN = "duplicate_in"
FLAG_IN_PROVINCE_OF = "in_province_of"
MAIN_SHARE = 0.5
"""A file whose most frequent province holds at least this share of its rows is that
province's submission..."""
ALSO_SHARE = 0.25
"""... and also covers any other province with at least this share (a workbook for two
provinces); its rows in other provinces update estates by id without replacing the province."""


@dataclass(frozen=True)
class Submission:
    """One imported file or sheet, after the checks across the batch.

    ``kept`` is what enters the registry (its accepted rows less the duplicates merged into
    another submission's row, with the batch's flags); ``merged`` counts those duplicates.
    """

    result: ImportResult
    sha256: str
    covers: tuple[str, ...]
    kept: pd.DataFrame
    merged: int
    report: dict[str, Any]

    @property
    def label(self) -> str:
        r = self.result
        return r.source.name + (f" [{r.sheet}]" if r.sheet and r.source.suffix.lower()
                                in (".xlsx", ".xlsm") else "")


@dataclass(frozen=True)
class Batch:
    submissions: list[Submission]
    skipped: list[str]

    def registry(self) -> pd.DataFrame:
        """The merged registry of every submission (ids unique)."""
        import pandas as pd

        return pd.concat([s.kept for s in self.submissions], ignore_index=True)

    def totals(self) -> dict[str, int]:
        keys = ("rows_read", "accepted", "rejected", "flagged", "merged", "province_from_location")
        out = {k: sum(int(s.report[k]) for s in self.submissions) for k in keys}
        out["estates"] = sum(len(s.kept) for s in self.submissions)
        return out

    def report(self) -> dict[str, Any]:
        """The import's summary as JSON-ready data (written next to the registry)."""
        return {"submissions": [s.report for s in self.submissions], "totals": self.totals(),
                "skipped": self.skipped}


def expand_inputs(paths: list[str | os.PathLike[str]]) -> list[Path]:
    """Files to import: the files given, and the registry files inside each folder given
    (sorted by name; Excel lock files ``~$…``, hidden files and this tool's own outputs —
    ``*.rejects.csv``, ``*.import.json``, registry stores — are left out).

    Raises
    ------
    InputError
        A path does not exist, or a folder holds no file to import.
    """
    from isipo_geo.registry._files import is_store

    out: list[Path] = []
    for p in map(Path, paths):
        if not p.exists():
            raise InputError(message("file_not_found"), path=p)
        if not p.is_dir():
            out.append(p)
            continue
        found = [f for f in sorted(p.rglob("*")) if f.is_file()
                 and f.suffix.lower() in SUFFIXES and not f.name.startswith(("~$", "."))
                 and not f.name.endswith((".rejects.csv", ".import.json"))
                 and not (f.suffix.lower() == ".gpkg" and is_store(f))]
        if not found:
            raise InputError(message("folder_nothing_to_import", suffixes=', '.join(SUFFIXES)),
                             path=p)
        out += found
    seen: set[Path] = set()
    unique = []
    for f in out:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append(f)
    return unique


def covered_provinces(provinces: list[str]) -> tuple[str, ...]:
    """The provinces a submission covers, from its rows' provinces: a provincial file (one
    province holds at least half the rows) covers that province and any other with a quarter
    of the rows; a file with no such province (a national list) covers every province it has.

    Examples
    --------
    >>> covered_provinces(["tehran"] * 9 + ["alborz"])
    ('tehran',)
    >>> covered_provinces(["tehran", "alborz", "qom"])
    ('alborz', 'qom', 'tehran')
    """
    counts = Counter(p for p in provinces if p)
    if not counts:
        return ()
    n = sum(counts.values())
    if counts.most_common(1)[0][1] >= MAIN_SHARE * n:
        return tuple(sorted(p for p, c in counts.items() if c >= ALSO_SHARE * n))
    return tuple(sorted(counts))


def import_files(
    paths: list[str | os.PathLike[str]],
    *,
    sheet: str | None = None,
    aliases: str | os.PathLike[str] | None = None,
    power_factor: float | None = None,
    utm_zone: int | None = None,
    year: str | int | None = None,
    progress: Progress | None = None,
    others: dict[str, str] | None = None,
) -> Batch:
    """Import several files (and folders of files) as one batch of submissions.

    Parameters
    ----------
    paths
        Files and folders (see :func:`expand_inputs`).
    sheet
        A sheet/layer name for every file, or ``"all"``: every sheet of each workbook that holds
        an estate table is its own submission (one province per sheet is common).
    aliases, power_factor, utm_zone, year, progress
        As for :func:`isipo_geo.registry.importer.import_registry` (``year`` for every file).
    others
        Province → the earlier submission that covers it (e.g. a store's,
        :func:`isipo_geo.registry.backend.coverage`), for the ``in_province_of`` check of provinces
        no file of this batch covers.

    Raises
    ------
    InputError
        A file cannot be read (the message names it), or no file holds an estate table; nothing
        of the batch is kept then.
    """
    from isipo_geo.registry._headers import load_aliases
    from isipo_geo.registry._tables import read_tables
    from isipo_geo.registry.importer import check_options, import_table

    zone, file_year = check_options(power_factor=power_factor, utm_zone=utm_zone, year=year)
    alias_table = load_aliases(aliases)
    files = expand_inputs(paths)
    results: list[tuple[ImportResult, str]] = []
    skipped: list[str] = []
    for f in files:
        digest = hashlib.sha256(f.read_bytes()).hexdigest() if f.is_file() else ""
        tables, empty = read_tables(f, sheet=sheet, aliases=alias_table, progress=progress)
        skipped += [f"{f.name} [{s}]: no estate table (or no rows)" for s in empty]
        for table in tables:
            result = import_table(table, alias_table, power_factor=power_factor, utm_zone=zone,
                                  year=file_year, progress=progress)
            results.append((result, digest))
    if not results:
        raise InputError(message("batch_no_table", skipped='; '.join(skipped)))
    return _check_across(results, skipped, others)


# ---------------------------------------------------------------------------------- checks


def _point_province(rec: dict[str, Any]) -> str:
    for flag in str(rec.get("flags") or "").split(";"):
        if flag.startswith("point_in_province:"):
            return flag.split(":", 1)[1]
    return str(rec["province"])


def _check_across(
    results: list[tuple[ImportResult, str]],
    skipped: list[str],
    others: dict[str, str] | None = None,
) -> Batch:
    """The batch of the files read: each file's rows checked against the other files' (the
    same estate twice, an id of another province, a point in another file's province)."""
    covers = [covered_provinces([p for p in r.registry["province"].tolist() if type(p) is str])
              for r, _ in results]
    labels = [r.source.name + (f" [{r.sheet}]" if r.sheet and r.source.suffix.lower()
                               in (".xlsx", ".xlsm") else "") for r, _ in results]
    needed = ["id", "name_fa", "name_en", "province", "source", "flags"]
    records = [_records(r.registry, needed) for r, _ in results]
    across = _Across(
        extra_flags=[[[] for _ in recs] for recs in records],
        dropped=[set() for _ in records],
        rejected=[{} for _ in records],
        duplicates=[[] for _ in records],
    )
    _merge_duplicates(records, covers, across)
    _flag_points_elsewhere(records, covers, labels, others or {}, across.extra_flags)
    submissions = [
        _submission(result, digest, covers[s], across, s)
        for s, (result, digest) in enumerate(results)
    ]
    return Batch(submissions, skipped)


@dataclass
class _Across:
    """What the checks across files found, per file (by its place in the batch) and row."""

    extra_flags: list[list[list[str]]]  # flags to add to each row
    dropped: list[set[int]]  # rows merged into the same estate's row in another file
    rejected: list[dict[int, str]]  # rows refused, with the reason
    duplicates: list[list[dict[str, str]]]  # the merges, for the submission's report


def _merge_duplicates(
    records: list[list[dict[str, Any]]], covers: list[tuple[str, ...]], across: _Across
) -> None:
    """The same estate (province and name, or id) in two files: kept once, from the file that
    covers its province; an id another file gives an estate of another province: refused."""
    from isipo_geo.registry._fields import fold_cached

    by_name: dict[tuple[str, str], tuple[int, int]] = {}
    by_id: dict[str, tuple[int, int]] = {}
    for s, recs in enumerate(records):
        for i, rec in enumerate(recs):
            name = fold_cached(str(rec["name_fa"] or rec["name_en"] or ""))
            key = (str(rec["province"]), name)
            ident = str(rec["id"])
            other = by_name.get(key)
            if other is None and ident in by_id:
                t, j = by_id[ident]
                if t != s and records[t][j]["province"] != rec["province"]:
                    o = records[t][j]
                    across.rejected[s][i] = message(
                        "id_in_other_file", value=repr(ident), name=o["name_fa"] or o["name_en"],
                        province=o["province"], source=o["source"])
                    continue
                other = (t, j) if t != s else None
            if other is None or other[0] == s:  # same file: the importer's duplicate_of
                by_name.setdefault(key, (s, i))
                by_id.setdefault(ident, (s, i))
                continue
            t, j = other
            province = str(rec["province"])
            keep, drop = (t, j), (s, i)
            if province in covers[s] and province not in covers[t]:
                keep, drop = (s, i), (t, j)
                by_name[key] = by_id[ident] = keep
            ks, ki = keep
            ds, di = drop
            across.dropped[ds].add(di)
            across.extra_flags[ks][ki].append(f"{FLAG_DUPLICATE_IN}:{records[ds][di]['source']}")
            across.duplicates[ds].append({"kept": str(records[ks][ki]["source"]),
                                          "merged": str(records[ds][di]["source"]),
                                          "id": str(records[ks][ki]["id"])})


def _flag_points_elsewhere(
    records: list[list[dict[str, Any]]],
    covers: list[tuple[str, ...]],
    labels: list[str],
    others: dict[str, str],
    extra_flags: list[list[list[str]]],
) -> None:
    """Flag a row whose point lies in a province another file (or ``others``) covers."""
    owner: dict[str, int] = {}
    for s, provs in enumerate(covers):
        for p in provs:
            owner.setdefault(p, s)
    for s, recs in enumerate(records):
        for i, rec in enumerate(recs):
            at = _point_province(rec)
            if at in covers[s]:
                continue
            t = owner.get(at)
            if t is not None and t != s:
                extra_flags[s][i].append(f"{FLAG_IN_PROVINCE_OF}:{labels[t]}")
            elif t is None and at in others:
                extra_flags[s][i].append(f"{FLAG_IN_PROVINCE_OF}:{others[at]}")


def _submission(
    result: ImportResult, digest: str, covers: tuple[str, ...], across: _Across, s: int
) -> Submission:
    """The ``s``-th file's submission: its rows with the flags the checks added (a merged
    duplicate's source named beside the kept row's), without the rows merged or refused."""
    import pandas as pd

    from isipo_geo.registry.importer import FLAG_SEP

    extra_flags, dropped, rejected = across.extra_flags[s], across.dropped[s], across.rejected[s]
    kept = result.registry.copy()
    touched = [i for i in range(len(kept)) if extra_flags[i]]
    if touched:
        flags = [None if v is pd.NA or v is None else str(v) for v in kept["flags"].tolist()]
        sources = kept["source"].astype(object).tolist()
        for i in touched:
            given = [f for f in (flags[i] or "").split(FLAG_SEP) if f]
            flags[i] = FLAG_SEP.join(dict.fromkeys(given + extra_flags[i]))
            dup_sources = [f.split(":", 1)[1] for f in extra_flags[i]
                           if f.startswith(FLAG_DUPLICATE_IN + ":")]
            if dup_sources:
                sources[i] = "; ".join([str(sources[i]), *dup_sources])
        kept["flags"] = pd.array(flags, dtype=kept["flags"].dtype)
        kept["source"] = pd.array(sources, dtype=kept["source"].dtype)
    gone = dropped | set(rejected)
    if gone:
        kept = kept.drop(index=sorted(gone)).reset_index(drop=True)
    if rejected:
        result = _move_to_rejects(result, rejected)
    report = _submission_report(result, digest, covers, kept, len(dropped), across.duplicates[s])
    return Submission(result, digest, covers, kept, len(dropped), report)


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """Rows as dicts of plain values (None where unknown)."""
    import pandas as pd

    lists = [[None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v
              for v in frame[c].tolist()] for c in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*lists, strict=True)]


def _move_to_rejects(result: ImportResult, reasons: dict[int, str]) -> ImportResult:
    """The result with the rows ``reasons`` names moved from accepted to rejected."""
    import pandas as pd

    moved = []
    for i, reason in reasons.items():
        source = str(result.registry.iloc[i]["source"])
        row = int(source.rsplit(" row ", 1)[-1]) if " row " in source else 0
        moved.append({"row": row, "column": "id", "reason": str(reason),
                      "reason_fa": persian(reason) or str(reason)})
    rejects = pd.concat([result.rejects, pd.DataFrame(moved)], ignore_index=True)
    rejects = rejects.sort_values("row", kind="stable").reset_index(drop=True)
    registry = result.registry.drop(index=list(reasons)).reset_index(drop=True)
    return replace(result, registry=registry, rejects=rejects,
                   flagged=int(registry["flags"].notna().sum()))


def _submission_report(
    result: ImportResult, digest: str, covers: tuple[str, ...], kept: pd.DataFrame,
    merged: int, duplicates: list[dict[str, str]],
) -> dict[str, Any]:
    from isipo_geo.registry._locate import FLAG_PROVINCE_FROM_POINT

    counts: dict[str, int] = {}
    for flags in kept["flags"].dropna():
        for flag in {f.split(":")[0] for f in str(flags).split(";") if f} - {"point_in_province"}:
            counts[flag] = counts.get(flag, 0) + 1
    counts = dict(sorted(counts.items()))
    return {
        "file": result.source.name,
        "sheet": result.sheet or "",
        "sha256": digest,
        "encoding": result.encoding or "",
        "header_rows": list(result.header_rows),
        "columns": result.columns,
        "unmapped": list(result.unmapped),
        "notes": list(result.notes),
        "covers": list(covers),
        "rows_read": result.rows_read,
        "accepted": result.accepted,
        "rejected": result.rejected,
        "flagged": int(kept["flags"].notna().sum()),
        "merged": merged,
        "estates": len(kept),
        "province_from_location": counts.get(FLAG_PROVINCE_FROM_POINT, 0),
        "flags": counts,
        "duplicates": duplicates,
        "rejects": [
            {"row": int(r), "column": str(c), "reason": str(why), "reason_fa": str(fa)}
            for r, c, why, fa in zip(
                result.rejects["row"].tolist(), result.rejects["column"].tolist(),
                result.rejects["reason"].tolist(),
                result.rejects.get("reason_fa", result.rejects["reason"]).tolist(),
                strict=True)
        ] if len(result.rejects) else [],
    }


def single_report(result: ImportResult) -> dict[str, Any]:
    """The JSON summary of one file imported on its own (as :meth:`Batch.report`)."""
    digest = hashlib.sha256(Path(result.source).read_bytes()).hexdigest()
    return _check_across([(result, digest)], []).report()


# ---------------------------------------------------------------------------------- writing


def default_report_path(registry_path: str | os.PathLike[str]) -> Path:
    """``registry.csv`` or ``registry.gpkg`` → ``registry.import.json`` beside it."""
    p = Path(registry_path)
    return p.with_name(f"{p.stem}.import.json")


def batch_rejects(batch: Batch) -> pd.DataFrame:
    """Every submission's rejected rows, with ``file`` and ``sheet`` first."""
    import pandas as pd

    frames = []
    for s in batch.submissions:
        r = s.result.rejects.copy()
        r.insert(0, "sheet", s.result.sheet or "")
        r.insert(0, "file", s.result.source.name)
        frames.append(r)
    if not frames:
        return pd.DataFrame(columns=["file", "sheet", "row", "column", "reason", "reason_fa"])
    return pd.concat(frames, ignore_index=True).fillna("")


def write_report(report: dict[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write the import's JSON summary atomically."""
    import json

    from isipo_geo.io import atomic_write

    with atomic_write(path, encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")
    return Path(path)


def write_batch(
    batch: Batch,
    registry_path: str | os.PathLike[str],
    rejects_path: str | os.PathLike[str] | None = None,
) -> tuple[Path, Path, Path]:
    """Write the merged registry CSV, the rejects (with file and sheet) and the JSON report,
    each atomically; returns their paths."""
    from isipo_geo.io import atomic_write
    from isipo_geo.registry._cells import registry_to_csv_text
    from isipo_geo.registry.importer import check_outputs, default_rejects_path

    registry_path = Path(registry_path)
    rejects_path = Path(rejects_path) if rejects_path else default_rejects_path(registry_path)
    check_outputs([registry_path, rejects_path],
                  inputs=[s.result.source for s in batch.submissions])
    report_path = write_report(batch.report(), default_report_path(registry_path))
    from isipo_geo.tables import neutralise_frame

    with atomic_write(rejects_path, encoding="utf-8-sig", newline="") as f:
        neutralise_frame(batch_rejects(batch)).to_csv(f, index=False, lineterminator="\n")
    with atomic_write(registry_path, encoding="utf-8-sig", newline="") as f:
        f.write(registry_to_csv_text(batch.registry(), derived=True))
    return registry_path, rejects_path, report_path
