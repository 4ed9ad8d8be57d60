"""The registry store: one GeoPackage holding the current registry and its whole history.

``registry.gpkg`` (opens in QGIS) has three tables:

- ``estates`` — the current registry (points; the columns of REGISTRY_COLUMNS, plus
  ``submission`` and ``valid_from``, the submission and date that brought each row);
- ``history`` — every version of every row ever imported, never deleted: the same columns plus
  ``version``, ``replaced_by`` and ``valid_to`` (the submission and date that replaced it; empty
  while it is current);
- ``submissions`` — one record per imported file or sheet: file name, SHA-256 of its content,
  sheet, provinces it covers, date, rows read / accepted / rejected / flagged / merged, rows it
  replaced, who ran it (when given) and the import's JSON report.

A submission replaces the current rows of the provinces it covers (see
:func:`isipo_geo.registry.batch.covered_provinces`) and, elsewhere, the rows with the same id; the
replaced rows stay in ``history``. The state after submission *k* is every version with
``submission <= k`` not replaced by a submission ``<= k``.

Registry values are kept as the registry CSV's text (:func:`~isipo_geo.registry._cells.
registry_cells`), so the store, its exports and a CSV registry read the same; numbers are
written as REAL for QGIS.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isipo_geo.errors import InputError
from isipo_geo.labels import UNIT_LABELS
from isipo_geo.messages import message
from isipo_geo.registry._cells import format_cell_number, registry_cells
from isipo_geo.registry._files import STORE_LAYERS, is_store
from isipo_geo.registry.criteria_columns import CRITERIA_COLUMNS
from isipo_geo.registry.schema import REGISTRY_COLUMNS
from isipo_geo.utilities import FIGURES, UTILITIES

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from isipo_geo.registry.batch import Batch

__all__ = [
    "Change", "Diff", "Store", "Tip", "add_batch", "diff", "diff_records", "empty_store",
    "format_diff", "parse_date", "read_gpkg_store", "state", "store_tip", "submission_as_of",
    "write_store",
]

LAYERS = STORE_LAYERS
GPKG_OPTIONS = {"VERSION": "1.2"}
"""GeoPackage 1.2: read without warnings by the GDAL of older QGIS installations too."""
VERSION_COLUMNS = ("version", "submission", "valid_from", "replaced_by", "valid_to")
SUBMISSION_COLUMNS = (
    "submission", "batch", "date", "file", "sha256", "sheet", "provinces", "rows_read",
    "accepted", "rejected", "flagged", "merged", "replaced", "user", "report",
)
_INT_SUBMISSION = ("submission", "batch", "rows_read", "accepted", "rejected", "flagged",
                   "merged", "replaced")
_NUMBERS = tuple(c for c, t in REGISTRY_COLUMNS.items() if t == "Float64")
# Columns a diff compares (where a row came from and its warnings are not the estate's data).
# The data year is told once for all estates ("data year 1402 → 1403: 26 estates"), not per estate.
DIFF_COLUMNS = tuple(c for c in REGISTRY_COLUMNS if c not in ("id", "source", "flags", "year"))


@dataclass(frozen=True)
class Store:
    """A store in memory: ``history`` (text cells: REGISTRY_COLUMNS + VERSION_COLUMNS, one row per
    version) and ``submissions`` (SUBMISSION_COLUMNS)."""

    history: pd.DataFrame
    submissions: pd.DataFrame

    @property
    def last_submission(self) -> int:
        return int(_ints(self.submissions["submission"]).max()) if len(self.submissions) else 0


@dataclass(frozen=True)
class Tip:
    """Where a store's numbering stands: its last submission, batch, row version and date. A
    server store gives the whole registry's (a provincial user reads only its province's rows,
    yet numbers must follow every province's)."""

    submission: int = 0
    batch: int = 0
    version: int = 0
    date: str = ""


def store_tip(store: Store) -> Tip:
    """The :class:`Tip` of a store read whole."""
    subs, h = store.submissions, store.history
    if not len(subs):
        return Tip(version=int(_ints(h["version"]).max()) if len(h) else 0)
    return Tip(store.last_submission, int(_ints(subs["batch"]).max()),
               int(_ints(h["version"]).max()) if len(h) else 0, str(subs["date"].max()))


def empty_store() -> Store:
    import pandas as pd

    history = pd.DataFrame({c: pd.Series(dtype=object) for c in
                            (*REGISTRY_COLUMNS, *VERSION_COLUMNS)})
    submissions = pd.DataFrame({c: pd.Series(dtype=object) for c in SUBMISSION_COLUMNS})
    return Store(history, submissions)


# ---------------------------------------------------------------------------------- reading


def read_gpkg_store(path: str | os.PathLike[str]) -> Store:
    """Read a GeoPackage store written by :func:`write_store`.

    Raises
    ------
    InputError
        The file is missing or is not a registry store (e.g. another GeoPackage).
    """
    import pyogrio

    path = Path(path)
    if not path.is_file():

        raise InputError(message("store_not_found"), path=path)
    if not is_store(path):
        raise InputError(
            message("not_a_store"),
            path=path,
        )
    history = pyogrio.read_dataframe(path, layer="history", read_geometry=False)
    submissions = pyogrio.read_dataframe(path, layer="submissions", read_geometry=False)
    return Store(_as_text(history, (*REGISTRY_COLUMNS, *VERSION_COLUMNS)),
                 _as_text(submissions, SUBMISSION_COLUMNS))


def _as_text(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Cells as the registry CSV writes them: numbers without trailing zeros, unknown as ''."""
    import pandas as pd

    out = pd.DataFrame(index=range(len(frame)))
    for col in columns:
        values = frame[col].tolist() if col in frame.columns else [None] * len(frame)
        out[col] = [
            "" if v is None or v is pd.NA or (isinstance(v, float) and v != v)
            else format_cell_number(float(v))
            if isinstance(v, int | float) and not isinstance(v, bool)
            else str(v)
            for v in values
        ]
    return out


# ---------------------------------------------------------------------------------- states


def _ints(series: pd.Series) -> pd.Series:
    import pandas as pd

    return pd.to_numeric(series.replace("", None), errors="coerce")


def state(store: Store, *, after: int | None = None) -> pd.DataFrame:
    """The registry after submission ``after`` (default: now), as registry text, by id."""
    h = store.history
    sub = _ints(h["submission"])
    rep = _ints(h["replaced_by"])
    keep = rep.isna() if after is None else (sub <= after) & (rep.isna() | (rep > after))
    rows = h.loc[keep.to_numpy(), list(REGISTRY_COLUMNS)]
    return rows.sort_values("id", kind="stable").reset_index(drop=True)


def submission_as_of(store: Store, date: str) -> int:
    """The last submission dated on or before ``date`` (YYYY-MM-DD); 0 if none."""
    subs = store.submissions
    dates = subs["date"].astype(str)
    before = subs.loc[(dates <= date).to_numpy(), "submission"]
    return int(_ints(before).max()) if len(before) else 0


# ---------------------------------------------------------------------------------- changing


def add_batch(
    store: Store, batch: Batch, *, date: str, user: str | None = None, tip: Tip | None = None
) -> tuple[Store, list[int]]:
    """The store with a batch of submissions added (pure: nothing is written).

    Each submission replaces the current rows of the provinces it covers; its rows in other
    provinces replace the current row with the same id (of the same province), if any. Replaced
    rows get ``replaced_by``/``valid_to`` and stay in the history.

    Returns
    -------
    (Store, list of int)
        The new store and the numbers given to the batch's submissions.

    Raises
    ------
    InputError
        ``date`` is before the store's last submission (history must run forward), or a row
        brings an id the store gives an estate of another province the batch does not cover.
    """
    import pandas as pd

    subs = store.submissions
    tip = store_tip(store) if tip is None else tip
    if tip.date and date < tip.date:
        raise InputError(
            message("date_before_last", date=date, date2=tip.date)
        )
    first = tip.submission + 1
    numbers = list(range(first, first + len(batch.submissions)))
    history = store.history.copy()
    cover: dict[str, int] = {}
    for number, sub in zip(numbers, batch.submissions, strict=True):
        for province in sub.covers:
            cover.setdefault(province, number)
    new_rows, owners = _new_rows(batch, numbers, tip.version + 1, date)
    closer = _closer(history, new_rows, owners, cover)
    closing = closer.notna().to_numpy()
    history.loc[closing, "replaced_by"] = [str(int(n)) for n in closer[closing]]
    history.loc[closing, "valid_to"] = date
    counts = closer[closing].astype(int).value_counts()
    replaced = {n: int(counts.get(n, 0)) for n in numbers}
    if len(new_rows):
        history = pd.concat([history, new_rows[list(history.columns)]], ignore_index=True)
    records = _submission_records(
        batch, numbers, replaced, batch_no=tip.batch + 1, date=date, user=user
    )
    submissions = pd.concat([subs, pd.DataFrame(records, columns=list(SUBMISSION_COLUMNS))],
                            ignore_index=True) if len(subs) else pd.DataFrame(
        records, columns=list(SUBMISSION_COLUMNS))
    new = Store(history, submissions)
    ids = state(new)["id"]
    if ids.duplicated().any():  # batch.py rejects such rows first; this is a guard
        dup = ids[ids.duplicated()].iloc[0]
        raise InputError(message("current_id_shared", dup=repr(dup)))
    return new, numbers


def _new_rows(
    batch: Batch, numbers: list[int], version: int, date: str
) -> tuple[pd.DataFrame, list[str]]:
    """The rows of the batch's submissions, as registry text, with their version columns
    (versions from ``version`` on), and the number of the submission each comes from."""
    import pandas as pd

    frames = [sub.kept for sub in batch.submissions]
    kept = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    new_rows = registry_cells(kept)
    owners = [str(n) for n, sub in zip(numbers, batch.submissions, strict=True)
              for _ in range(len(sub.kept))]
    new_rows["version"] = [str(v) for v in range(version, version + len(new_rows))]
    new_rows["submission"] = owners
    new_rows["valid_from"] = date
    new_rows["replaced_by"] = ""
    new_rows["valid_to"] = ""
    return new_rows, owners


def _closer(
    history: pd.DataFrame, new_rows: pd.DataFrame, owners: list[str], cover: dict[str, int]
) -> pd.Series:
    """For each history row, the submission that replaces it (NaN: none): the current rows of
    a covered province, and those whose id comes again.

    Raises
    ------
    InputError
        A new row brings an id the store gives an estate of a province the batch does not
        cover.
    """
    current = _ints(history["replaced_by"]).isna().to_numpy()
    closer = history["province"].map(cover).where(current)
    first_owner = dict(zip(reversed(new_rows["id"].tolist()), reversed(owners), strict=True))
    by_id = history["id"].map(first_owner).where(current)
    new_province = dict(zip(new_rows["id"], new_rows["province"], strict=True))
    clash = (by_id.notna() & closer.isna()
             & (history["province"] != history["id"].map(new_province))).to_numpy()
    if clash.any():  # an id the store gives an estate of a province this batch does not cover
        old = history[clash].iloc[0]
        new = new_rows[new_rows["id"] == old["id"]].iloc[0]
        raise InputError(
            message("id_used_in_store", new=new['source'], old=repr(old['id']),
                    value=old['name_fa'] or old['name_en'], old2=old['province'])
        )
    return closer.fillna(by_id.astype(float) if len(by_id) else by_id)


def _submission_records(
    batch: Batch, numbers: list[int], replaced: dict[int, int], *, batch_no: int, date: str,
    user: str | None,
) -> list[dict[str, str]]:
    """The submissions table's rows of the batch's submissions."""
    records = []
    for number, sub in zip(numbers, batch.submissions, strict=True):
        r = sub.result
        records.append({
            "submission": str(number), "batch": str(batch_no), "date": date,
            "file": r.source.name, "sha256": sub.sha256, "sheet": r.sheet or "",
            "provinces": ";".join(sub.covers), "rows_read": str(r.rows_read),
            "accepted": str(r.accepted), "rejected": str(r.rejected),
            "flagged": str(int(sub.kept["flags"].notna().sum())), "merged": str(sub.merged),
            "replaced": str(replaced[number]), "user": user or "",
            "report": json.dumps(sub.report, ensure_ascii=False, sort_keys=True),
        })
    return records


# ---------------------------------------------------------------------------------- writing


def write_store(store: Store, path: str | os.PathLike[str]) -> Path:
    """Write the store as one GeoPackage, atomically (the old file stays if anything fails)."""
    import pyogrio

    from isipo_geo.io import atomic_path

    path = Path(path)
    with atomic_path(path) as tmp:
        current = store.history[_ints(store.history["replaced_by"]).isna().to_numpy()]
        current = current.drop(columns=["version", "replaced_by", "valid_to"])
        pyogrio.write_dataframe(_spatial(current), tmp, layer="estates", driver="GPKG",
                                dataset_options=GPKG_OPTIONS)
        pyogrio.write_dataframe(_spatial(store.history), tmp, layer="history", driver="GPKG")
        subs = store.submissions.copy()
        for col in _INT_SUBMISSION:
            subs[col] = _ints(subs[col]).astype("int64")
        pyogrio.write_dataframe(subs, tmp, layer="submissions", driver="GPKG")
    return path


def _spatial(frame: pd.DataFrame) -> Any:
    """Text cells → a GeoDataFrame of points (numbers as floats; no point where no lon/lat)."""
    import geopandas as gpd
    import numpy as np
    import shapely

    out = frame.reset_index(drop=True).copy()
    for col in (*_NUMBERS, "version", "submission", "replaced_by"):
        if col in out.columns:
            out[col] = _ints(out[col]).astype("float64")
    for col in ("version", "submission"):
        if col in out.columns:
            out[col] = out[col].astype("int64")
    lon, lat = out["lon"].to_numpy(), out["lat"].to_numpy()
    located = ~(np.isnan(lon) | np.isnan(lat))
    geoms = np.full(len(out), None, dtype=object)
    if located.any():
        geoms[located] = shapely.points(lon[located], lat[located])
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].replace("", None)
    return gpd.GeoDataFrame(out, geometry=list(geoms), crs="EPSG:4326")


def parse_date(text: str | None) -> str:
    """A submission date as ISO ``YYYY-MM-DD``: ISO, or a Persian (Solar Hijri) date such as
    ``1403-01-15`` or ``۱۴۰۳/۰۱/۱۵`` (a year below 1700); default today (UTC).

    Raises
    ------
    InputError
        Not a date.
    """
    import datetime as dt
    import re

    from isipo_geo.names import normalize_fa

    if text is None:
        return dt.datetime.now(dt.UTC).date().isoformat()
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", normalize_fa(text).strip())
    try:
        if not m:
            raise ValueError
        y, mo, d = (int(g) for g in m.groups())
        if y < 1700:
            import jdatetime

            return jdatetime.date(y, mo, d).togregorian().isoformat()
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        raise InputError(message("date_bad", text=repr(text))) from None


# ---------------------------------------------------------------------------------- diff


@dataclass(frozen=True)
class Change:
    """One field of one estate that differs between two states."""

    id: str
    name: str
    province: str
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Diff:
    """What changed from the state after submission ``a`` to the state after ``b``."""

    a: int
    b: int
    added: pd.DataFrame
    removed: pd.DataFrame
    changed: list[Change]
    years: dict[tuple[str, str], int]
    """(old data year, new data year) -> estates whose year changed so."""


def diff(store: Store, *, a: int | None = None, b: int | None = None) -> Diff:
    """Compare the registry after submission ``a`` with the registry after ``b``.

    Defaults: ``b`` is the last submission and ``a`` the one before it (the latest submission
    against the state before it). Estates are matched by id.

    Raises
    ------
    InputError
        A submission number the store does not have.
    """
    last = store.last_submission
    if last == 0:
        raise InputError(message("store_empty"))
    b = last if b is None else b
    a = b - 1 if a is None else a
    for n in (b, a):
        if not 0 <= n <= last:
            raise InputError(message("store_no_submission_empty", last=last, n=n))
    old = state(store, after=a).set_index("id", drop=False).rename_axis(None)
    new = state(store, after=b).set_index("id", drop=False).rename_axis(None)
    order = ["province", "name_fa", "name_en", "id"]
    added = new.loc[[i for i in new.index if i not in old.index]].sort_values(order)
    removed = old.loc[[i for i in old.index if i not in new.index]].sort_values(order)
    added, removed = added.reset_index(drop=True), removed.reset_index(drop=True)
    changed = []
    years: dict[tuple[str, str], int] = {}
    for ident in new.sort_values(order).index:
        if ident not in old.index:
            continue
        if "year" in new.columns and old.at[ident, "year"] != new.at[ident, "year"]:
            pair = (old.at[ident, "year"], new.at[ident, "year"])
            years[pair] = years.get(pair, 0) + 1
        o, n = old.loc[ident], new.loc[ident]
        name = n["name_fa"] or n["name_en"]
        for col in DIFF_COLUMNS:
            if o[col] != n[col]:
                changed.append(Change(ident, name, n["province"], col, o[col], n[col]))
    return Diff(a, b, added, removed, changed, years)


_FIELD_LABELS = {  # field -> (English words, unit); every utility's figures
    **{u.column(f): (f"{u.label_en} {f}", UNIT_LABELS[u.unit][1])
       for u in UTILITIES for f in FIGURES},
    "area_ha": ("area", "ha"),
    **{c.column: (c.label_en, {"count": "", "pct": "%", "bn_toman": "bn toman"}[c.unit])
       for c in CRITERIA_COLUMNS},
}


def _coded(field: str, value: str) -> str:
    """A changed value as the diff shows it: a status or kind code with its Persian word."""
    if not value:
        return "(empty)"
    from isipo_geo.labels import KIND_LABELS, STATUS_LABELS

    words = {"status": STATUS_LABELS, "kind": KIND_LABELS}.get(field, {})
    return f"{value} ({words[value][0]})" if value in words else value


def diff_records(d: Diff) -> dict[str, Any]:
    """The diff as JSON-ready data."""
    keep = ["id", "name_fa", "name_en", "province"]
    return {
        "from": d.a, "to": d.b,
        "added": d.added[keep].to_dict(orient="records"),
        "removed": d.removed[keep].to_dict(orient="records"),
        "changed": [vars(c) for c in d.changed],
        "years": [{"from": a, "to": b, "estates": n} for (a, b), n in d.years.items()],
    }


def format_diff(d: Diff, dates: Mapping[int, str] | None = None) -> list[str]:
    """The diff as lines a planner reads: «name» (province): water deficit 40 → 25 L/s.
    ``dates`` (submission -> ISO date) adds each submission's date, in the Persian calendar."""
    from isipo_geo.dates import jalali

    def who(rec: Any) -> str:
        return f"«{rec['name_fa'] or rec['name_en']}» ({rec['province']}, {rec['id']})"

    def when(n: int) -> str:
        day = (dates or {}).get(n)
        return f" ({jalali(day)})" if day else ""

    lines = [f"from submission {d.a}{when(d.a)} to {d.b}{when(d.b)}: {len(d.added)} added, "
             f"{len(d.removed)} removed, {len({c.id for c in d.changed})} changed "
             f"({len(d.changed)} fields)"]
    lines += [f"  data year {a or '(unknown)'} → {b or '(unknown)'}: {n} estates"
              for (a, b), n in d.years.items()]
    lines += [f"+ {who(r)}" for r in d.added.to_dict(orient="records")]
    lines += [f"- {who(r)}" for r in d.removed.to_dict(orient="records")]
    for c in d.changed:
        words, unit = _FIELD_LABELS.get(c.field, (c.field, ""))
        old, new = _coded(c.field, c.old), _coded(c.field, c.new)
        lines.append(f"~ «{c.name}» ({c.province}, {c.id}): {words} {old} → {new}"
                     + (f" {unit}" if unit else ""))
    return lines
