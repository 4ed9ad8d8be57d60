"""File writing shared by every output of isipo-geo: atomic, so a reader never sees half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from isipo_geo.errors import OutputError


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str],
    *,
    mode: str = "w",
    encoding: str | None = "utf-8",
    newline: str | None = None,
) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` in one step.

    If the block raises, the temporary file is removed and ``path`` is left as it was.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_write(out) as f:
    ...     _ = f.write("سلام")
    >>> out.read_text(encoding="utf-8")
    'سلام'
    """
    target = Path(path)
    binary = "b" in mode
    fd, tmp = _temp_beside(target, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(
            fd, mode, encoding=None if binary else encoding, newline=None if binary else newline
        ) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        _replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _temp_beside(target: Path, *, prefix: str, suffix: str) -> tuple[int, str]:
    """A temporary file in the target's folder (created if missing); OutputError if it cannot be."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=suffix)
    except OSError as exc:
        raise OutputError(
            f"cannot write {target}: {exc.strerror or exc}; choose another output path"
        ) from None


def _replace(tmp: str, target: Path) -> None:
    try:
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(
            f"cannot write {target}: {exc.strerror or exc}; choose another output path"
        ) from None


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside ``path`` for libraries that write by file name (GeoPackage,
    GeoTIFF, XLSX); it replaces ``path`` when the block succeeds and is removed otherwise."""
    target = Path(path)
    fd, tmp = _temp_beside(target, prefix=f".{target.stem}.", suffix=target.suffix)
    os.close(fd)
    os.unlink(tmp)  # libraries such as GDAL refuse to write over an existing empty file
    try:
        yield Path(tmp)
        _replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _read_small_csv(path: str | os.PathLike[str], what: str) -> list[dict[str, str]]:
    import csv

    from isipo_geo.errors import InputError

    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{what} file not found", path=p) from None
    except UnicodeDecodeError:
        raise InputError(f"{what} file is not UTF-8 text; save it as CSV UTF-8", path=p) from None
    rows = list(csv.DictReader(text.splitlines()))
    if not rows:
        raise InputError(f"{what} file has no rows under its header", path=p)
    return rows


def read_weights(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a user's allocation weights: a CSV with columns ``province`` and ``weight``.

    Provinces may be written in any spelling :func:`isipo_geo.names.resolve_province` accepts.
    Every bad row is reported with its row number (the header is row 1).
    """
    from isipo_geo.errors import InputError, IsipoGeoError
    from isipo_geo.money import parse_decimal
    from isipo_geo.names import resolve_province

    rows = _read_small_csv(path, "weights")
    for col in ("province", "weight"):
        if col not in rows[0]:
            raise InputError(
                f"needs the columns province and weight; {col!r} is missing", path=path
            )
    weights: dict[str, Any] = {}
    for n, row in enumerate(rows, start=2):
        try:
            key = resolve_province(row["province"] or "")
        except IsipoGeoError as exc:
            raise InputError(str(exc), path=path, row=n, column="province") from None
        try:
            value = parse_decimal(row["weight"], what="weight")
        except InputError as exc:
            raise InputError(exc.reason, path=path, row=n, column="weight") from None
        if value < 0:
            raise InputError("weight must not be negative", path=path, row=n, column="weight")
        if key in weights:
            raise InputError(f"province {key} is listed twice", path=path, row=n, column="province")
        weights[key] = value
    return weights


def read_priority(path: str | os.PathLike[str]) -> list[tuple[str, str | None]]:
    """Read a priority list: a CSV with a ``province`` column and an optional ``utility``
    column, most urgent first."""
    from isipo_geo.errors import InputError, IsipoGeoError
    from isipo_geo.names import resolve_province

    rows = _read_small_csv(path, "priority")
    if "province" not in rows[0]:
        raise InputError("needs a province column (and optionally utility)", path=path)
    out: list[tuple[str, str | None]] = []
    for n, row in enumerate(rows, start=2):
        try:
            key = resolve_province(row["province"] or "")
        except IsipoGeoError as exc:
            raise InputError(str(exc), path=path, row=n, column="province") from None
        utility = (row.get("utility") or "").strip().lower() or None
        out.append((key, utility))
    return out
