"""One run: what a build read and how, recorded in its folder (``manifest.json``).

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
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from isipo_geo.errors import InputError

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
) -> dict[str, Any]:
    """The manifest of a run: ``options`` are the data options (:data:`DATA_OPTIONS`; files as
    paths), ``years`` the figures' years (``{"nation": "1400", "isfahan": "1403"}``),
    ``extra_files`` other inputs to record (``{"layer": path}``).

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
        resolved = Path(path).resolve()
        chosen[name] = str(resolved) if name in chosen else None
        inputs[name] = {"path": str(resolved), "sha256": file_hash(resolved)}
    out: dict[str, Any] = {
        "tool": "isipo-geo",
        "version": __version__,
        "command": command,
        "scenario": chosen["scenario"],
        "options": chosen,
        "inputs": inputs,
        "years": dict(sorted((years or {}).items())),
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
        raise InputError(
            f"not a manifest isipo-geo wrote ({exc}); delete it or run isipo-geo build again",
            path=path,
        ) from None
    if not isinstance(record, dict) or not isinstance(record.get("options"), dict):
        raise InputError(
            "not a manifest isipo-geo wrote; delete it or run isipo-geo build again", path=path
        )
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
    options when ``given`` are the defaults (the command was given no data options), or when
    they are the build's; its input files must be unchanged since the build.

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
    if chosen != DATA_OPTIONS:
        differences = [
            f"{FLAGS[k]} {_shown(chosen[k])} (the build: {_shown(built[k])})"
            for k in DATA_OPTIONS
            if not _same(k, chosen[k], built[k])
        ]
        if differences:
            raise InputError(
                f"{command} would mix other figures into the build in {folder}: "
                f"{'; '.join(differences)}. Leave out these options to use the build's, "
                "write to another --out-dir, or give --overwrite to write anyway",
                path=where,
            )
    for name, entry in sorted(record.get("inputs", {}).items()):
        path = Path(entry["path"])
        if not path.is_file():
            raise InputError(
                f"the build read {name} {path}, which is gone; run isipo-geo build again, or "
                "give --overwrite to write with other inputs",
                path=where,
            )
        if file_hash(path) != entry["sha256"]:
            raise InputError(
                f"{name} {path} changed since the build (its SHA-256 was "
                f"{entry['sha256'][:12]}…, now {file_hash(path)[:12]}…); run isipo-geo build "
                "again, or give --overwrite to write with the new file beside the old figures",
                path=where,
            )
    return built


def _plain(value: Any) -> Any:
    """An option as the manifest holds it: enums as their value, paths as text."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, os.PathLike):
        return str(value)
    return getattr(value, "value", value)


def _same(name: str, a: Any, b: Any) -> bool:
    if name in FILE_OPTIONS and a is not None and b is not None:
        return str(Path(a).resolve()) == str(Path(b).resolve())
    return a == b or (name == "registry_year" and not a and not b)


def _shown(value: Any) -> str:
    if value is None:
        return "not given"
    return str(value).lower() if isinstance(value, bool) else str(value)
