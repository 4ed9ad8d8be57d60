"""Where a registry store lives: the one interface over its two backends.

A store *location* is either

- a GeoPackage path (``registry.gpkg``): the embedded default, one planner on one machine
  (:mod:`isipo_geo.registry.store`); or
- a PostgreSQL/PostGIS server URL (``postgresql://user@host/db``, ``postgresql://`` alone takes
  everything from libpq's ``PG*`` variables, ``postgresql:///?service=isipo`` from a service
  file): one registry shared by headquarters and the 31 provincial companies
  (:mod:`isipo_geo.registry.server`).

``ISIPO_GEO_STORE`` names the store commands use when none is given. Every command reads and
adds submissions through :func:`read_store` and :func:`add_to_store`, so both backends give the
same registry, the same history and the same outputs. A password in a URL is never shown:
:func:`location_name` is what messages print.

The operations on a store wherever it lives are here too — :func:`current_registry`,
:func:`coverage`, :func:`import_into`, :func:`submission_detail`, :func:`export_registry` —
above the two backends (:mod:`~isipo_geo.registry.store` for a GeoPackage and the store's
data, :mod:`~isipo_geo.registry.server` for a server), which never import this module.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isipo_geo.errors import InputError
from isipo_geo.messages import message
from isipo_geo.registry._location import ENV_STORE as ENV_STORE
from isipo_geo.registry._location import as_location as as_location
from isipo_geo.registry._location import default_store as default_store
from isipo_geo.registry._location import is_server as is_server
from isipo_geo.registry._location import location_name as location_name
from isipo_geo.registry._location import redact as redact
from isipo_geo.registry._location import short_name as short_name
from isipo_geo.registry.store import (
    GPKG_OPTIONS,
    _ints,
    _spatial,
    parse_date,
    state,
    submission_as_of,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

    from isipo_geo.registry.batch import Batch
    from isipo_geo.registry.store import Store

__all__ = ["ENV_STORE", "ImportInto", "add_to_store", "as_location", "coverage",
           "current_registry", "default_store", "export_registry", "import_into", "is_server",
           "location_name", "read_store", "redact", "short_name", "submission_detail"]


def read_store(location: str | os.PathLike[str]) -> Store:
    """The whole store at ``location`` (for a provincial user of a server: what it may read).

    Raises
    ------
    InputError
        The file is missing or not a store; the server has no registry schema.
    StoreServerError
        The server cannot be reached (or the connection was lost).
    """
    if is_server(location):
        from isipo_geo.registry.server import read_server_store

        return read_server_store(str(location))
    from isipo_geo.registry.store import read_gpkg_store

    return read_gpkg_store(location)


def add_to_store(
    batch: Batch,
    location: str | os.PathLike[str],
    *,
    date: str,
    user: str | None,
    before_commit: Callable[[list[int]], Any],
) -> tuple[Store, Store, list[int]]:
    """Add a batch of submissions to the store at ``location``: (store before, store after, the
    submissions' numbers). ``before_commit(numbers)`` writes the command's other outputs
    while the store can still refuse the batch as a whole: a GeoPackage is replaced after it,
    a server commits after it (and rolls back if it fails)."""
    if is_server(location):
        from isipo_geo.registry.server import add_to_server

        return add_to_server(batch, str(location), date=date, user=user,
                             before_commit=before_commit)
    from isipo_geo.registry.store import add_batch, empty_store, read_gpkg_store, write_store

    path = Path(location)
    old = read_gpkg_store(path) if path.exists() else empty_store()
    new, numbers = add_batch(old, batch, date=date, user=user)
    before_commit(numbers)
    write_store(new, path)
    return old, new, numbers


# ---------------------------------------------------------------------------------- operations


def current_registry(path: str | os.PathLike[str]) -> pd.DataFrame:
    """The current estates of a store as registry text (the columns of REGISTRY_COLUMNS)."""
    return state(read_store(path))


def coverage(path: str | os.PathLike[str]) -> dict[str, str]:
    """Province → the latest submission of the store at ``path`` that covers it, as
    ``"file [sheet] (submission n)"``; empty when there is no store yet."""
    if not is_server(path) and not Path(path).exists():
        return {}
    out: dict[str, str] = {}
    for rec in read_store(path).submissions.to_dict(orient="records"):
        label = rec["file"] + (f" [{rec['sheet']}]" if rec["sheet"] else "")
        for province in filter(None, str(rec["provinces"]).split(";")):
            out[province] = f"{label} (submission {rec['submission']})"
    return out


@dataclass(frozen=True)
class ImportInto:
    """What :func:`import_into` did."""

    numbers: list[int]
    estates: int
    replaced: int
    rejects: Path
    report: Path
    repeats: list[str]
    """Files whose content the store already had: "file = submission n (date)"."""


def import_into(
    batch: Batch,
    path: str | os.PathLike[str],
    *,
    date: str | None = None,
    user: str | None = None,
    rejects: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
) -> ImportInto:
    """Add a batch of submissions to the store at ``path`` (a GeoPackage, created if missing,
    or a server URL: :mod:`isipo_geo.registry.backend`) and write, each atomically, the store,
    the batch's rejects (``STORE.rejects.csv``; for a server ``registry.rejects.csv`` in
    ``out_dir``, default the current folder) and its JSON report (``STORE.import.json``).
    Nothing is written if the batch cannot be added."""
    from isipo_geo.registry.batch import (
        batch_rejects,
        default_report_path,
        write_report,
    )
    from isipo_geo.registry.importer import check_outputs, default_rejects_path

    server = is_server(path)
    if not server and Path(path).suffix.lower() != ".gpkg":
        raise InputError(message("store_kind"), path=path)
    if out_dir is not None and not server:

        raise InputError(message("out_dir_not_server"), path=path)
    base = Path(out_dir or ".") / "registry.gpkg" if server else Path(path)
    rejects_path = Path(rejects) if rejects else default_rejects_path(base)
    report_path = default_report_path(base)
    check_outputs([*([] if server else [base]), rejects_path, report_path],
                  inputs=[s.result.source for s in batch.submissions])

    def write_outputs(numbers: list[int]) -> None:
        from isipo_geo.io import atomic_write
        from isipo_geo.tables import neutralise_frame

        report = batch.report()
        for number, sub in zip(numbers, report["submissions"], strict=True):
            sub["submission"] = number
        write_report(report, report_path)
        with atomic_write(rejects_path, encoding="utf-8-sig", newline="") as f:
            neutralise_frame(batch_rejects(batch)).to_csv(f, index=False, lineterminator="\n")

    old, new, numbers = add_to_store(batch, path, date=parse_date(date), user=user,
                                     before_commit=write_outputs)
    seen = {rec["sha256"]: f"submission {rec['submission']} ({rec['date']})"
            for rec in old.submissions.to_dict(orient="records")}
    repeats = [f"{sub.label} = {seen[sub.sha256]}" for sub in batch.submissions
               if sub.sha256 in seen]
    replaced = int(new.submissions["replaced"].tail(len(numbers)).astype(int).sum())
    return ImportInto(numbers, len(state(new)), replaced, rejects_path, report_path, repeats)


def submission_detail(
    path: str | os.PathLike[str], number: int
) -> tuple[dict[str, str], dict[str, Any], pd.DataFrame]:
    """A submission's record, its JSON report and the rows it brought (with ``current``).

    Raises
    ------
    InputError
        The store has no such submission.
    """
    store = read_store(path)
    subs = store.submissions
    match = subs[_ints(subs["submission"]).to_numpy() == number]
    if not len(match):
        raise InputError(message("store_no_submission", last_submission=store.last_submission,
                                 number=number),
                         path=path)
    record = match.iloc[0].to_dict()
    report = json.loads(record.pop("report") or "{}")
    h = store.history
    rows = h[_ints(h["submission"]).to_numpy() == number].copy()
    rows["current"] = _ints(rows["replaced_by"]).isna().to_numpy()
    return record, report, rows.reset_index(drop=True)


def export_registry(
    path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    as_of: str | None = None,
    submission: int | None = None,
) -> tuple[Path, int, int]:
    """Write the store's registry (now, as of a date, or after a submission) to ``out``:
    ``.csv`` as a registry CSV, ``.xlsx`` as a right-to-left sheet that prints (the registry
    CSV's columns), ``.gpkg`` as one point layer. Returns (path, estates, the submission the
    state follows)."""
    from isipo_geo.io import atomic_path, atomic_write
    from isipo_geo.registry._cells import registry_to_csv_text
    from isipo_geo.registry.derived import with_derived_deficits

    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".gpkg"):
        raise InputError(message("export_extension"), path=out)
    if not is_server(path) and Path(path).resolve() == out.resolve():
        raise InputError(message("overwrite_store"), path=out)
    if as_of is not None and submission is not None:
        raise InputError(message("as_of_or_submission"))
    store = read_store(path)
    after = store.last_submission
    if as_of is not None:
        after = submission_as_of(store, parse_date(as_of))
    elif submission is not None:
        if not 0 <= submission <= store.last_submission:
            raise InputError(message("store_no_submission",
                                     last_submission=store.last_submission, number=submission))
        after = submission
    registry = state(store, after=after)
    if suffix == ".csv":
        with atomic_write(out, encoding="utf-8-sig", newline="") as f:
            f.write(registry_to_csv_text(registry.replace("", None), derived=True))
    elif suffix == ".xlsx":
        _write_xlsx(registry_to_csv_text(registry.replace("", None), derived=True), out,
                    title=f"شهرک‌ها و نواحی صنعتی / Estate registry — after submission {after}")
    else:
        import pyogrio

        with atomic_path(out) as tmp:
            spatial = _spatial(with_derived_deficits(registry))
            pyogrio.write_dataframe(spatial, tmp, layer="estates", driver="GPKG",
                                    dataset_options=GPKG_OPTIONS)
    return out, len(registry), after


def _write_xlsx(csv_text: str, out: Path, *, title: str) -> None:
    """The registry CSV's columns and cells as a sheet: numbers as numbers (the CSV's exact
    text; unknown empty), text as text (no ``'`` before a formula-like name: a sheet stores it
    as text)."""
    import csv
    import io
    from decimal import Decimal

    from isipo_geo.registry.schema import REGISTRY_COLUMNS
    from isipo_geo.tables import formula_like, write_records

    records = list(csv.DictReader(io.StringIO(csv_text)))
    columns = next(csv.reader(io.StringIO(csv_text)), [])
    numeric = [c for c in columns if REGISTRY_COLUMNS.get(c) in ("Float64", "Int64")]
    for rec in records:
        for c in numeric:
            rec[c] = Decimal(rec[c]) if rec[c] else None
        for c, v in rec.items():
            if isinstance(v, str) and v[:1] == "'" and formula_like(v[1:]):
                rec[c] = v[1:]
    if "flags" in columns:  # the codes, and beside them what each means (fa / en)
        columns.insert(columns.index("flags") + 1, "flags_explained")
        for rec in records:
            rec["flags_explained"] = flags_explained(rec.get("flags") or "")
    write_records(records, out, columns=columns, sheet_name="registry", title=title)


def flags_explained(flags: str) -> str:
    """A row's flags (``a;b:detail``) as a reader reads them: each one's Persian sentence /
    English sentence, ``;`` between them.

    >>> flags_explained("no_persian_name").split(" / ")[1]
    'no Persian name: the estate is shown by its Latin name'
    """
    from isipo_geo.messages import flag_text

    return "; ".join(f"{flag_text(f, 'fa')} / {flag_text(f, 'en')}"
                     for f in flags.split(";") if f)
