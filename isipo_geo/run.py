"""One run: each input read once, the figures made once, handed to the writers; and what a
build read, recorded in its folder (``manifest.json``).

- :func:`read_funding` reads the registry once for the funding rows (the figures, exact; see
  :mod:`isipo_geo.figures` for how they read) and the estates; :func:`data_warnings` says
  what the run warns of, as data; :func:`map_table` and :func:`load_map_data` make what the
  maps render; :func:`write_funding` writes the tables; :func:`build` does all of it through
  one staging folder, with the manifest. The commands parse options, call these, print.

``isipo-geo build`` writes a manifest beside its files: the version, the options (scenario,
allocation key, the registry's year...), each input file with its SHA-256, and the years of
its figures. A command run later into that folder (``brief``, ``map``, ``funding --out``)
reads it with :func:`folder_options`: given no data options of its own it uses the build's,
so a brief beside a registry's maps shows the registry's figures and year; given others, or
when an input changed since the build, it stops with a message naming the difference.

The manifest is deterministic: the same inputs and options give the same bytes; it holds no
time unless ``SOURCE_DATE_EPOCH`` is set (then ``built`` is that time, in UTC).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from isipo_geo.errors import InputError
from isipo_geo.messages import message

MANIFEST = "manifest.json"
# The data options a manifest records, with the commands' defaults; the files among them are
# recorded with their hashes.
DATA_OPTIONS: dict[str, Any] = {
    "scenario": "essential",
    "allocate_by": "equal",
    "weights": None,
    "registry": None,
    "registry_only": False,
    "registry_year": None,
    "costs": None,
}
FILE_OPTIONS = ("registry", "weights", "costs")
FLAGS = {  # how a reader names each option
    "scenario": "--scenario",
    "allocate_by": "--allocate-by",
    "weights": "--weights",
    "registry": "--registry",
    "registry_only": "--registry-only",
    "registry_year": "--registry-year",
    "costs": "--costs",
}


def file_hash(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest(
    options: Mapping[str, Any],
    *,
    command: str = "build",
    years: Mapping[str, str] | None = None,
    extra_files: Mapping[str, str | os.PathLike[str] | None] | None = None,
    warnings: list[str] | None = None,
    network_filter: Sequence[str] = (),
    hashes: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The manifest of a run: ``options`` are the data options (:data:`DATA_OPTIONS`; files as
    paths), ``years`` the figures' years (``{"nation": "1400", "isfahan": "1403"}``),
    ``extra_files`` other inputs to record (``{"layer": path}``), ``warnings`` what the run
    warned of (:func:`data_warnings`), ``hashes`` the SHA-256 of files the run hashed as it
    read them (by option name; the others are read here to hash them).

    Examples
    --------
    >>> m = manifest({"scenario": "essential"}, years={"nation": "1400"})
    >>> m["options"]["allocate_by"], m["inputs"], m["years"]
    ('equal', {}, {'nation': '1400'})
    """
    from isipo_geo import __version__

    chosen = {k: _plain(options.get(k, default)) for k, default in DATA_OPTIONS.items()}
    inputs = {}
    files = {k: chosen[k] for k in FILE_OPTIONS} | dict(extra_files or {})
    for name, path in sorted(files.items()):
        if path is None:
            continue
        if _is_server(path):  # a registry server: named without its password, not hashed
            chosen[name] = _server_name(path)
            inputs[name] = {"server": _server_name(path)}
            continue
        resolved = Path(path).resolve()
        chosen[name] = str(resolved) if name in chosen else None
        digest = (hashes or {}).get(name) or file_hash(resolved)
        inputs[name] = {"path": str(resolved), "sha256": digest}
    out: dict[str, Any] = {
        "tool": "isipo-geo",
        "version": __version__,
        "command": command,
        "scenario": chosen["scenario"],
        "options": chosen,
        "inputs": inputs,
        "years": dict(sorted((years or {}).items())),
        **({"network_filter": list(network_filter)} if network_filter else {}),
        "warnings": list(warnings or []),
    }
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        from datetime import UTC, datetime

        out["built"] = datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return out


def manifest_bytes(record: Mapping[str, Any]) -> bytes:
    """The manifest as written: sorted keys, two-space indent, UTF-8, a final newline."""
    return (json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def write_manifest(folder: str | os.PathLike[str], record: Mapping[str, Any]) -> Path:
    """Write ``folder/manifest.json`` atomically; returns its path."""
    from isipo_geo.io import atomic_write

    path = Path(folder) / MANIFEST
    with atomic_write(path, mode="wb") as f:
        f.write(manifest_bytes(record))
    return path


def read_manifest(folder: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The manifest of the build in ``folder``; None when there is none."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(message("manifest_unreadable", exc=str(exc)), path=path) from None
    if not isinstance(record, dict) or not isinstance(record.get("options"), dict):
        raise InputError(message("manifest_not_ours"), path=path)
    return record


def folder_options(
    folder: str | os.PathLike[str],
    given: Mapping[str, Any],
    *,
    overwrite: bool = False,
    command: str = "this command",
) -> dict[str, Any]:
    """The data options a command writing into ``folder`` uses.

    Without a manifest in ``folder``, or with ``overwrite``: ``given``. With one: the build's
    options; an option given otherwise than its default must be the build's (the same file, the
    same scenario...); the build's input files must be unchanged since.

    Raises
    ------
    InputError
        ``given`` differ from the build's (the message names each difference), or an input
        file changed or is gone since the build.
    """
    chosen = {k: _plain(given.get(k, default)) for k, default in DATA_OPTIONS.items()}
    record = None if overwrite else read_manifest(folder)
    if record is None:
        return chosen
    built = {k: record["options"].get(k, default) for k, default in DATA_OPTIONS.items()}
    where = Path(folder) / MANIFEST
    # an option left at its default takes the build's; one given otherwise must be the build's
    given_here = {k for k, default in DATA_OPTIONS.items() if chosen[k] != default}
    if given_here:
        differences = [
            f"{FLAGS[k]} {_shown(chosen[k])} (the build: {_shown(built[k])})"
            for k in DATA_OPTIONS
            if k in given_here and not _same(k, chosen[k], built[k])
        ]
        if differences:
            raise InputError(
                message("build_mixed_options", command=command, folder=str(folder),
                        differences="; ".join(differences)),
                path=where,
            )
    for name, entry in sorted(record.get("inputs", {}).items()):
        if "path" not in entry:  # a registry server: its data moves on by submissions
            continue
        path = Path(entry["path"])
        if not path.is_file():
            raise InputError(message("build_input_gone", name=name, path=str(path)), path=where)
        if file_hash(path) != entry["sha256"]:
            raise InputError(
                message("build_input_changed", name=name, path=str(path),
                        was=entry["sha256"][:12], now=file_hash(path)[:12]),
                path=where,
            )
    return built


def folder_networks(
    folder: str | os.PathLike[str], *, overwrite: bool = False
) -> tuple[list[str], list[str]]:
    """The ``--network`` and ``--network-filter`` options of the build in ``folder`` (its files
    are checked unchanged by :func:`folder_options`); none without a manifest or with
    ``overwrite``."""
    record = None if overwrite else read_manifest(folder)
    if record is None:
        return [], []
    specs = [
        f"{name.split(':')[1]}={entry['path']}"
        for name, entry in sorted(record.get("inputs", {}).items())
        if name.startswith("network:") and "path" in entry
    ]
    return specs, [str(f) for f in record.get("network_filter", [])]


def _plain(value: Any) -> Any:
    """An option as the manifest holds it: enums as their value, paths as text."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, os.PathLike):
        return str(value)
    return getattr(value, "value", value)


def _is_server(value: object) -> bool:
    from isipo_geo.registry.backend import is_server

    return is_server(value)


def _server_name(value: object) -> str:
    from isipo_geo.registry.backend import location_name

    return location_name(str(value))


def _same(name: str, a: Any, b: Any) -> bool:
    if name in FILE_OPTIONS and (_is_server(a) or _is_server(b)):
        return _server_name(a) == _server_name(b)
    if name in FILE_OPTIONS and a is not None and b is not None:
        return str(Path(a).resolve()) == str(Path(b).resolve())
    return a == b or (name == "registry_year" and not a and not b)


def _shown(value: Any) -> str:
    if value is None:
        return "not given"
    return str(value).lower() if isinstance(value, bool) else str(value)


# --- the run: each input read once, the figures made once, handed to the writers -------------


def data_warnings(
    options: Mapping[str, Any], *, weights_file: str | os.PathLike[str] | None = None
) -> list[str]:
    """What the run warns of, as data (printed by the commands, kept in the manifest): the
    provinces a weights file leaves out (they get no share).

    Examples
    --------
    >>> from decimal import Decimal
    >>> data_warnings({"weights": {"fars": Decimal(1)}}, weights_file="w.csv")[0][:40]
    'w.csv: 30 province(s) not in the weights'
    """
    from isipo_geo.finance.inputs import missing_weights

    out = []
    weights = options.get("weights")
    if weights is not None:
        left_out = missing_weights(weights)
        if left_out:
            out.append(
                f"{weights_file or 'weights'}: {len(left_out)} province(s) not in the weights "
                f"file get no share (weight 0): {', '.join(left_out)}"
            )
    return out


def read_funding(options: Mapping[str, Any]) -> tuple[list[dict], Any]:
    """The funding rows (the figures, exact) and the estates of the registry read with them.

    ``options`` are :func:`isipo_geo.finance.funding_rows`'s keyword arguments (a registry as
    its path): the registry is read and validated once for both
    (:func:`isipo_geo.finance.read_registry_once`). Without a registry the estates are None
    (the maps load the shipped ones)."""
    rows, estates, _ = _read_funding(options)
    return rows, estates


def _read_funding(options: Mapping[str, Any]) -> tuple[list[dict], Any, dict[str, str]]:
    """:func:`read_funding`, with the SHA-256 of each input file it read, by option name
    (``{"registry": ...}``; the manifest records them without reading the files again)."""
    from isipo_geo import finance

    options = dict(options)
    estates = None
    hashes = {}
    if options.get("registry") is not None:
        figures, estates = finance.read_registry_once(
            options["registry"],
            registry_only=bool(options.get("registry_only")),
            registry_year=options.get("registry_year") or "",
        )
        if figures.sha256 is not None:
            hashes["registry"] = figures.sha256
        options["registry"] = figures
        del figures  # the options hold it, until funding_rows has costed it
    return finance.funding_rows(**options), estates, hashes


def read_networks(
    specs: list[str] | None, filters: list[str] | None, costs: Any = None
) -> Any:
    """The planner's network layers (``--network UTILITY=FILE``, ``--network-filter``) and the
    costs file's connection tables, read and checked once; None without ``specs``."""
    if not specs:
        if filters:
            raise InputError(message("network_filter_needs_network"))
        return None
    from isipo_geo.finance.connection import load_connection_costs
    from isipo_geo.networks import read_networks as read_layers

    layers, files = read_layers(specs, filters)
    return layers, files, load_connection_costs(costs)


def add_connections(rows: list[dict], estates: Any, networks: Any) -> tuple[list[dict], Any]:
    """The funding rows with each estate's connection (:mod:`isipo_geo.finance.connection`)
    and what the maps draw of them (:class:`isipo_geo.maps.networks.Networks`); ``estates``
    the registry read with the rows (None: the shipped registry), ``networks`` from
    :func:`read_networks` (None: the rows as they are, no networks)."""
    if networks is None:
        return rows, None
    from isipo_geo.finance.connection import add_connections as connect
    from isipo_geo.maps.networks import Networks
    from isipo_geo.provinces import province_records

    layers, files, costs = networks
    if estates is None:
        from isipo_geo.registry.estates import read_registry, registry_path

        estates = read_registry(registry_path())
    keys = [p["key"] for p in province_records()]
    rows = connect(rows, estates, layers, costs, network_files=files, province_order=keys)
    links = [r for r in rows if r.get("component") == "connection" and r["scope"] == "estate"]
    return rows, Networks(layers, files, links)


def map_table(rows: list[dict]) -> Any:
    """The part of the funding rows the maps read: :data:`isipo_geo.maps.data.FUNDING_COLUMNS`,
    the ``year`` and the ``source`` up to its row reference (``registry x.csv: row 12`` ->
    ``registry x.csv``; the credits name files, not rows).

    ``rows`` are mappings (dicts or any read-only row of the funding rows). The ``need`` and
    ``deficit`` are floats, as the maps read them (:func:`isipo_geo.maps.data.cell_number`;
    NaN: none); a text column whose cells are all text or None (the ids apart) is categorical,
    None read as ``""`` (as the maps read it), one small code per row.

    Memory (tracemalloc, ``build --registry`` at 84,400 estates, 151,800 rows): the table is
    made a column at a time straight from the rows, without a list of the column's cells; its
    figures as floats keep none of the rows' 300,000 Decimals alive once the caller drops the
    rows, and its categorical texts hold ~2 MB where Arrow strings held ~20."""
    import pandas as pd

    from isipo_geo.maps.data import FUNDING_COLUMNS

    columns = {c: _map_column(rows, c) for c in (*FUNDING_COLUMNS, "year")}
    sources = _categorical(str(r["source"] or "").partition(": row ")[0] for r in rows)
    columns["source"] = pd.Series(sources)
    return pd.DataFrame(columns)


def _map_column(rows: list[dict], name: str) -> Any:
    """One column of :func:`map_table`."""
    import numpy as np
    import pandas as pd

    from isipo_geo.maps.data import cell_number

    if name in ("need", "deficit"):
        return pd.Series(np.fromiter((cell_number(r[name]) for r in rows), float, len(rows)))
    if name != "estate_id":
        codes = _categorical(("" if r[name] is None else r[name]) for r in rows)
        if codes is not None:
            return pd.Series(codes)
    else:
        import pyarrow as pa

        try:  # the ids straight into Arrow, as pandas would hold them (10 MB through a list)
            ids = pa.array((r[name] for r in rows), type=pa.large_string(), size=len(rows))
            return pd.Series(pd.array(ids, dtype="str"))
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # an id that is not text
            pass
    return pd.Series([r[name] for r in rows])


def _categorical(cells: Any) -> Any:
    """``cells`` as a pandas Categorical (categories in order of first use), made in one pass
    without a list of the cells (a column of 151,800 cells peaked at 11 MB through a list and
    ``pd.Categorical``, at 1 MB so); None when a cell is not text."""
    import numpy as np
    import pandas as pd

    index: dict[Any, int] = {}
    codes = np.fromiter((index.setdefault(c, len(index)) for c in cells), dtype=np.int32)
    if not all(type(c) is str for c in index):
        return None
    return pd.Categorical.from_codes(codes, categories=list(index))


def load_map_data(
    options: Mapping[str, Any],
    digits: str = "fa",
    *,
    rows: Any = None,
    estates: Any = None,
    layer: Any = None,
    networks: Any = None,
) -> Any:
    """Everything the maps need (:class:`isipo_geo.maps.MapData`): ``rows`` are funding rows
    already computed (a list, or their :func:`map_table`), ``estates`` the registry read with
    them, ``layer`` the user's own layer, ``networks`` the networks and connections the maps
    draw (:func:`add_connections`). Without ``rows`` the inputs are read once
    (:func:`read_funding`). A registry is laid over the shipped estates
    (:func:`isipo_geo.registry.estates.load_registry`) unless ``registry_only``."""
    import pandas as pd

    from isipo_geo import maps
    from isipo_geo.provinces import load_provinces

    if rows is None:
        rows, estates = read_funding(options)
    registry = options.get("registry")
    if estates is None:
        from isipo_geo.registry.estates import load_registry

        estates = load_registry(registry, registry_only=bool(options.get("registry_only")))
    funding = rows if isinstance(rows, pd.DataFrame) else map_table(rows)
    del rows  # the caller may drop its own: the table holds the same values
    _release_arrow()
    data = maps.map_data(
        load_provinces(), funding, estates, digits=digits, layer=layer, networks=networks
    )
    _release_arrow()
    if registry is None:
        return data
    from dataclasses import replace

    from isipo_geo.maps.credits import with_registry

    year = options.get("registry_year") or ""
    return replace(data, sources=with_registry(data.sources, estates, year))


def _release_arrow() -> None:
    """Hand back to the system the memory Arrow's pool (mimalloc) keeps after it is freed.

    mimalloc keeps freed pages for Arrow's next arrays; the maps make few, so those pages only
    raise the peak: ``build --registry`` at 84,400 estates, RSS after the map data 490 MB
    without this call after it, 452 MB with it."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


# Printed at the top of every page of funding.xlsx.
FUNDING_TITLE = "اعتبار مورد نیاز زیرساخت شهرک‌ها و نواحی صنعتی / Financing needs — isipo-geo"


def write_funding(rows: list[dict], out: str | os.PathLike[str], *, headers: str = "en") -> Path:
    """Write the long table (CSV/XLSX/JSON) or, for .gpkg, one polygon per province with its
    needs; ``headers`` is the CSV's header style (:func:`isipo_geo.tables.write_records`)."""
    from isipo_geo.finance import OUTPUT_COLUMNS
    from isipo_geo.finance.connection import CONNECTION_COLUMNS, connection_columns
    from isipo_geo.tables import output_format, write_records, write_table

    out = Path(out)
    if output_format(out) == "gpkg":
        import pandas as pd

        from isipo_geo.finance import province_wide
        from isipo_geo.provinces import load_provinces

        provinces = load_provinces()
        # only the province rows are pivoted: no table of 150,000 estate rows for 31 polygons
        mine = [
            r for r in rows if r["scope"] == "province" and r.get("component", "gap") == "gap"
        ]
        wide = province_wide(pd.DataFrame(mine, columns=OUTPUT_COLUMNS))
        wide = connection_columns(wide, rows)
        frame = provinces[["key", "name_fa", "name_en", "iso_3166_2"]].join(wide)
        write_table(
            frame.reset_index(drop=True), out, geometries=provinces.geometry.values, layer="funding"
        )
    else:
        ranges = ["need_p10", "need_p50", "need_p90"] if rows and "need_p10" in rows[0] else []
        columns = OUTPUT_COLUMNS + ranges
        if rows and "component" in rows[0]:  # funding --network: the connection columns too
            columns = [*columns, *CONNECTION_COLUMNS]
        write_records(rows, out, columns=columns, headers=headers, title=FUNDING_TITLE)
    return out


def build(
    options: Mapping[str, Any],
    out_dir: str | os.PathLike[str],
    *,
    recorded: Mapping[str, Any],
    digits: str = "fa",
    layer: Any = None,
    layer_file: str | os.PathLike[str] | None = None,
    progress: Any = None,
    networks: Any = None,
    network_files: Mapping[str, str | os.PathLike[str]] | None = None,
    network_filter: Sequence[str] = (),
) -> list[Path]:
    """The main job: the funding tables (CSV, XLSX, GeoPackage), the manifest and every map,
    written into a staging folder and moved into ``out_dir`` together.

    ``options`` are :func:`isipo_geo.finance.funding_rows`'s keyword arguments, ``recorded``
    the data options as given (files as paths) for the manifest, ``layer`` the user's layer
    already read (from ``layer_file``), ``progress`` called with each page's name, ``networks``
    the network layers read by :func:`read_networks` (each estate's connection costed in the
    tables and drawn on the maps). Every input
    is read and checked before the first file is written. Returns the files written, as they
    are named in ``out_dir``."""
    from isipo_geo.io import staged_folder
    from isipo_geo.maps.atlas import write_atlas

    rows, estates, hashes = _read_funding(options)
    rows, drawn = add_connections(rows, estates, networks)
    years = {
        (r["province"] or "nation"): str(r["year"] or "")
        for r in rows
        if r["utility"] == "total" and r["scope"] in ("nation", "province")
    }
    files = {"layer": layer_file, **(network_files or {})}  # network files: "network:power"
    record = manifest(
        recorded,
        years=years,
        extra_files=files,
        warnings=data_warnings(options, weights_file=recorded.get("weights")),
        network_filter=network_filter,
        hashes=hashes,
    )
    out_dir = Path(out_dir)
    written: list[Path] = []
    with staged_folder(out_dir) as stage:
        for ext in ("csv", "xlsx", "gpkg"):
            written.append(write_funding(rows, stage / f"funding.{ext}"))
        written.append(write_manifest(stage, record))
        # the rows give way to their table (the same values) for the maps, and the map data to
        # the pages: each is dropped once the next is made, for a lower peak
        funding = map_table([r for r in rows if r.get("component", "gap") == "gap"])
        del rows
        data = load_map_data(
            options, digits, rows=funding, estates=estates, layer=layer, networks=drawn
        )
        del funding, estates
        written += write_atlas(data, stage, progress=progress)
    return [out_dir / p.relative_to(stage) for p in written]
